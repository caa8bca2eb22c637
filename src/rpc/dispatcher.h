// ward/rpc/dispatcher.h — JSON-RPC 2.0 request handling independent of any
// transport: parse one HTTP body or WebSocket message, validate the envelope,
// run the registered handler of each call and build the response text.
// The dispatcher knows nothing about the blockchain; the node registers its
// methods with Dispatcher::add. Source: the JSON-RPC 2.0 specification
// (jsonrpc.org/specification) and docs/rpc.md.
// Thread-safety: every member function may be called from any thread; add()
// may run concurrently with handle(). Handlers are called concurrently from
// several threads and must be thread-safe themselves.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ward::rpc {

/// Standard JSON-RPC 2.0 error codes (specification section 5.1).
inline constexpr int kParseError = -32700;      ///< invalid JSON text
inline constexpr int kInvalidRequest = -32600;  ///< not a valid request object / batch
inline constexpr int kMethodNotFound = -32601;  ///< no handler of that name
inline constexpr int kInvalidParams = -32602;   ///< params rejected by the handler
inline constexpr int kInternalError = -32603;   ///< a handler failed unexpectedly
/// First server-defined code; -32000 .. -32099 are reserved for the server.
/// The rpc layer itself uses -32000 with a `data.kind` string naming the case
/// (docs/rpc.md, "Envelope and errors"); the node may define others.
inline constexpr int kServerError = -32000;

/// A JSON-RPC error object. Handlers throw it (or a handler-visible helper
/// builds it); the dispatcher sends code, message and data unchanged.
/// `data` is omitted from the response when it is null.
struct RpcError {
  int code = kInternalError;
  std::string message;
  nlohmann::json data;  ///< null: no "data" member in the response
};

/// What a handler knows about the call it serves.
struct CallContext {
  bool websocket = false;      ///< true when the call came over a WebSocket
  uint64_t connection_id = 0;  ///< unique per connection and server, never 0 for a real one
  /// When the request should be answered by: receipt time + request_timeout_ms.
  /// Handlers doing long work may check it and give up with an RpcError; the
  /// server cannot preempt a handler, it only logs calls that overrun.
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

/// A method implementation. `params` is the request's "params" member (an
/// array or an object) or null when the request had none. Returns the
/// "result" value; reports errors by throwing RpcError. Any other exception
/// becomes -32603 "internal error" (and is logged).
using Handler = std::function<nlohmann::json(const nlohmann::json& params, const CallContext& ctx)>;

/// A log sink: one line of text, no trailing newline. Must be thread-safe.
using LogFn = std::function<void(std::string_view line)>;

class Dispatcher;

/// Per-server settings of Dispatcher::handle.
struct DispatchOptions {
  size_t max_batch = 100;       ///< most calls in one batch array
  size_t max_json_depth = 64;   ///< deepest array/object nesting of a request text
  LogFn log;                    ///< empty: no logging
  /// Methods looked up before the dispatcher's own (the server's built-in
  /// ward_subscribe / ward_unsubscribe); may be null.
  const Dispatcher* builtins = nullptr;
};

/// Method table plus the JSON-RPC 2.0 processing of one request text.
class Dispatcher {
 public:
  /// Registers `handler` under `name`, replacing any earlier one.
  void add(std::string name, Handler handler);
  /// True when a method of that name is registered.
  bool has(std::string_view name) const;

  /// Handles one HTTP body or WebSocket message (a request or a batch):
  /// measures its nesting depth (-32700 when deeper than max_json_depth),
  /// parses it (-32700 naming the position and cause), validates each
  /// envelope (-32600), runs the handlers in order and collects the answers.
  /// Returns the response text, or nullopt when nothing must be sent (a
  /// notification, or a batch of only notifications). Never throws.
  std::optional<std::string> handle(std::string_view body, const CallContext& ctx,
                                    const DispatchOptions& options = {}) const;

  /// Serializes an error response with the given id (null when unknown).
  static std::string error_response(const RpcError& error, const nlohmann::json& id = nullptr);

 private:
  std::optional<Handler> find(const std::string& name) const;
  std::optional<nlohmann::json> handle_one(const nlohmann::json& request, const CallContext& ctx,
                                           const DispatchOptions& options) const;

  mutable std::shared_mutex m_mutex;
  std::map<std::string, Handler, std::less<>> m_methods;
};

}  // namespace ward::rpc
