// ward/rpc/http_connection.h — one keep-alive HTTP/1.1 client connection
// (Boost.Beast) that POSTs a body and returns the status and body. The
// JSON-RPC client (client.h) and the etcd gateway client
// (cluster/etcd.h) both send through it.
// Thread-safety: one HttpConnection per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "util/result.h"

namespace ward::rpc {

/// The parts of an "http://HOST:PORT[/path]" URL.
struct HttpUrl {
  std::string host;
  std::string port;    ///< decimal, 1..65535
  std::string target;  ///< the path, "/" when the URL has none
};

/// Splits `url` of the form http://HOST:PORT[/path] (trailing slashes of a
/// bare host:port are dropped). Errors: "'URL' must start with http://",
/// "'URL' must be http://HOST:PORT[/path]", "'URL': port must be a number
/// from 1 to 65535".
Result<HttpUrl> parse_http_url(const std::string& url);

/// An answer: the HTTP status code and the whole body.
struct HttpResponse {
  unsigned status = 0;
  std::string body;
};

class HttpConnection {
 public:
  /// A connection to `host`:`port`, opened lazily by the first post().
  /// `timeout_ms` bounds connect, write and read of each request;
  /// `body_limit` is the largest response body accepted, bytes.
  HttpConnection(std::string host, std::string port, uint32_t timeout_ms, uint64_t body_limit);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  /// POSTs `body` (Content-Type: application/json) to `target` and reads
  /// the answer, keeping the connection open when the server allows. When a
  /// kept-alive connection turns out closed by the server (end of stream,
  /// reset or broken pipe before an answer), the request is sent once more
  /// on a new connection. Throws std::runtime_error with Beast's message for
  /// any other transport failure (refused, timeout, body over the limit).
  HttpResponse post(const std::string& target, const std::string& body);

  /// Closes the connection; the next post() opens a new one.
  void reset() noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace ward::rpc
