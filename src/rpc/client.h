// ward/rpc/client.h — a small synchronous JSON-RPC 2.0 client over HTTP
// (Boost.Beast), used by the CLI's --node mode and by tests and benchmarks.
// Thread-safety: one Client per thread (it keeps one keep-alive connection).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "rpc/dispatcher.h"

namespace ward::rpc {

/// A JSON-RPC error answered by the node; code, message and data as sent.
struct ClientError : std::runtime_error {
  ClientError(RpcError e) : std::runtime_error(e.message), error(std::move(e)) {}
  RpcError error;
};

class Client {
 public:
  /// A client of `url` ("http://HOST:PORT[/path]"); connects lazily.
  /// Throws std::invalid_argument when the URL is not of that form.
  explicit Client(const std::string& url, uint32_t timeout_ms = 65'000);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Calls `method` with `params` and returns "result". Throws ClientError
  /// for a JSON-RPC error, std::runtime_error naming the URL for a transport
  /// failure ("cannot reach the node at URL: ...") or a malformed answer.
  nlohmann::json call(const std::string& method, const nlohmann::json& params);
  /// Sends a raw body and returns the raw response body (tests).
  std::string post(const std::string& body);

  const std::string& url() const noexcept { return m_url; }

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
  std::string m_url;
  uint64_t m_next_id = 1;
};

}  // namespace ward::rpc
