// ward/rpc/http_connection.cpp — keep-alive HTTP POST over Beast (http_connection.h).
#include "rpc/http_connection.h"

#include <optional>
#include <stdexcept>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ward::rpc {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Result<HttpUrl> parse_http_url(const std::string& url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) return make_error("'" + url + "' must start with http://");
  std::string rest = url.substr(scheme.size());
  HttpUrl out;
  const size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    out.target = rest.substr(slash);
    rest.resize(slash);
  }
  if (out.target.find_first_not_of('/') == std::string::npos) out.target = "/";
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) {
    return make_error("'" + url + "' must be http://HOST:PORT[/path]");
  }
  out.host = rest.substr(0, colon);
  out.port = rest.substr(colon + 1);
  if (out.port.size() > 5 || out.port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoul(out.port) == 0 || std::stoul(out.port) > 65535) {
    return make_error("'" + url + "': port must be a number from 1 to 65535");
  }
  return out;
}

struct HttpConnection::Impl {
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  std::string host, port;
  uint32_t timeout_ms = 0;
  uint64_t body_limit = 0;
};

HttpConnection::HttpConnection(std::string host, std::string port, uint32_t timeout_ms, uint64_t body_limit)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->host = std::move(host);
  m_impl->port = std::move(port);
  m_impl->timeout_ms = timeout_ms;
  m_impl->body_limit = body_limit;
}

HttpConnection::~HttpConnection() = default;

void HttpConnection::reset() noexcept { m_impl->stream.reset(); }

namespace {
/// The server closed a kept-alive connection before answering.
bool closed_by_peer(const boost::system::error_code& ec) {
  return ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset ||
         ec == asio::error::broken_pipe;
}
}  // namespace

HttpResponse HttpConnection::post(const std::string& target, const std::string& body) {
  Impl& s = *m_impl;
  for (int attempt = 0;; ++attempt) {
    const bool reused = s.stream.has_value();
    try {
      if (!s.stream) {
        tcp::resolver resolver(s.io);
        auto results = resolver.resolve(s.host, s.port);
        s.stream.emplace(s.io);
        s.stream->expires_after(std::chrono::milliseconds(s.timeout_ms));
        s.stream->connect(results);
      }
      http::request<http::string_body> req{http::verb::post, target, 11};
      req.set(http::field::host, s.host);
      req.set(http::field::content_type, "application/json");
      req.keep_alive(true);
      req.body() = body;
      req.prepare_payload();
      s.stream->expires_after(std::chrono::milliseconds(s.timeout_ms));
      http::write(*s.stream, req);
      beast::flat_buffer buffer;
      http::response_parser<http::string_body> parser;
      parser.body_limit(s.body_limit);
      http::read(*s.stream, buffer, parser);
      auto res = parser.release();
      if (!res.keep_alive()) s.stream.reset();
      return HttpResponse{res.result_int(), std::move(res.body())};
    } catch (const boost::system::system_error& e) {
      s.stream.reset();
      if (attempt == 0 && reused && closed_by_peer(e.code())) continue;
      throw std::runtime_error(e.what());
    } catch (const std::exception&) {
      s.stream.reset();
      throw;
    }
  }
}

}  // namespace ward::rpc
