// ward/rpc/server.h — a JSON-RPC 2.0 server over HTTP POST and WebSocket on
// one TCP port (Boost.Beast), with WebSocket subscriptions. It is generic:
// the node registers its methods on a Dispatcher and its subscription kinds
// on the Server, and publishes events with Server::publish. docs/rpc.md
// describes the wire behaviour, the limits and the message shapes.
//
// Threads: start() runs `threads` I/O threads. Handlers, filter validators
// and publish() matchers run on those threads, concurrently; a handler
// occupies its I/O thread until it returns (the server cannot preempt it),
// so long work should check CallContext::deadline. No exception escapes an
// I/O thread. publish() may be called from any thread, also from a handler,
// and never waits for a client. stop() must not be called from a handler.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "rpc/dispatcher.h"
#include "util/result.h"

namespace ward::rpc {

/// Settings of a Server; the node exposes the limits as --rpc-* flags.
struct ServerOptions {
  std::string host = "127.0.0.1";  ///< address or host name to listen on
  uint16_t port = 8645;            ///< TCP port; 0 picks a free one (see Server::port)
  size_t max_body_bytes = 8 << 20;  ///< largest HTTP body / WebSocket message, bytes
  size_t max_batch = 100;           ///< most calls in one batch
  size_t max_connections = 256;     ///< open HTTP + WebSocket connections; more get HTTP 503
  size_t max_subscriptions_per_connection = 32;
  uint32_t request_timeout_ms = 30000;  ///< CallContext::deadline = receipt + this, ms
  unsigned threads = 2;                 ///< I/O threads (0 is taken as 1)
  size_t max_json_depth = 64;           ///< deepest array/object nesting of a request
  /// HTTP keep-alive connections idle this long are closed; WebSocket
  /// connections are pinged after this long without traffic and closed when
  /// the peer stays silent. ms.
  uint32_t idle_timeout_ms = 60000;
  /// A WebSocket client whose unsent messages exceed either bound is
  /// disconnected (publish never waits for a slow client).
  size_t max_queue_messages = 1000;
  size_t max_queue_bytes = 16 << 20;  ///< bytes
  LogFn log;                          ///< one line per event; empty: no logging
};

/// Checks the filter of a ward_subscribe call; throws RpcError (normally
/// kInvalidParams) to refuse it. Called on an I/O thread.
using FilterValidator = std::function<void(const nlohmann::json& filter)>;
/// Tells whether a published event matches a subscription's filter.
using FilterMatcher = std::function<bool(const nlohmann::json& filter)>;

namespace detail {
class ServerImpl;
}

/// The server. Construct, register static routes and subscription kinds,
/// start(); stop() (or the destructor) closes everything. Restartable.
class Server {
 public:
  /// `dispatcher` must outlive the server; the server adds no methods to it
  /// (ward_subscribe / ward_unsubscribe are built in and take precedence).
  Server(ServerOptions options, Dispatcher& dispatcher);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds, listens and starts the I/O threads. Error when already started,
  /// when the host does not resolve or when the port cannot be bound.
  Result<void> start();
  /// The port listened on (the ephemeral one when options.port was 0); 0
  /// when not started.
  uint16_t port() const;
  /// Stops accepting, closes every connection (subscriptions die with them),
  /// waits for running handlers to return and joins the I/O threads.
  /// Idempotent; safe from any thread except an I/O thread of this server.
  void stop();

  /// Serves `body` for GET `path` (exact match, query string ignored) with
  /// the given Content-Type. Replaces an earlier route of the same path.
  /// Thread-safe; may be called while running.
  void add_static(std::string path, std::string content_type, std::string body);

  /// Registers a subscription kind for ward_subscribe(kind, filter).
  /// `validate` may be empty (any filter accepted). Thread-safe.
  void add_subscription_kind(std::string kind, FilterValidator validate);

  /// Sends {"jsonrpc":"2.0","method":"ward_subscription","params":
  /// {"subscription":ID,"result":payload}} to every subscription of `kind`
  /// whose filter `matches` (empty matcher: all). Thread-safe; queues and
  /// returns at once. Returns how many subscriptions it was queued for.
  size_t publish(const std::string& kind, const nlohmann::json& payload, const FilterMatcher& matches);

  /// Open connections (HTTP and WebSocket), for monitoring and tests.
  size_t connection_count() const;
  /// Live subscriptions over all connections.
  size_t subscription_count() const;

 private:
  std::unique_ptr<detail::ServerImpl> m_impl;
};

}  // namespace ward::rpc
