// ward/rpc/client.cpp — synchronous JSON-RPC client over HTTP (client.h).
#include "rpc/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace ward::rpc {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Client::Impl {
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  std::string host, port, target;
  uint32_t timeout_ms = 0;
};

Client::Client(const std::string& url, uint32_t timeout_ms) : m_impl(std::make_unique<Impl>()), m_url(url) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) throw std::invalid_argument("node URL '" + url + "' must start with http://");
  std::string rest = url.substr(scheme.size());
  const size_t slash = rest.find('/');
  m_impl->target = slash == std::string::npos ? "/" : rest.substr(slash);
  rest = rest.substr(0, slash);
  const size_t colon = rest.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == rest.size()) {
    throw std::invalid_argument("node URL '" + url + "' must name a host and a port (http://HOST:PORT)");
  }
  m_impl->host = rest.substr(0, colon);
  m_impl->port = rest.substr(colon + 1);
  m_impl->timeout_ms = timeout_ms;
}

Client::~Client() = default;

std::string Client::post(const std::string& body) {
  Impl& s = *m_impl;
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      if (!s.stream) {
        tcp::resolver resolver(s.io);
        auto results = resolver.resolve(s.host, s.port);
        s.stream.emplace(s.io);
        s.stream->expires_after(std::chrono::milliseconds(s.timeout_ms));
        s.stream->connect(results);
      }
      http::request<http::string_body> req{http::verb::post, s.target, 11};
      req.set(http::field::host, s.host);
      req.set(http::field::content_type, "application/json");
      req.keep_alive(true);
      req.body() = body;
      req.prepare_payload();
      s.stream->expires_after(std::chrono::milliseconds(s.timeout_ms));
      http::write(*s.stream, req);
      beast::flat_buffer buffer;
      http::response_parser<http::string_body> parser;
      parser.body_limit(256ull << 20);
      http::read(*s.stream, buffer, parser);
      auto res = parser.release();
      if (!res.keep_alive()) s.stream.reset();
      return std::move(res.body());
    } catch (const std::exception& e) {
      const bool reused = s.stream.has_value();
      s.stream.reset();
      // A kept-alive connection the server closed: retry once on a new one.
      if (attempt == 0 && reused && std::string(e.what()).find("end of stream") != std::string::npos) continue;
      throw std::runtime_error("cannot reach the node at " + m_url + ": " + e.what());
    }
  }
  throw std::runtime_error("cannot reach the node at " + m_url);
}

nlohmann::json Client::call(const std::string& method, const nlohmann::json& params) {
  const uint64_t id = m_next_id++;
  nlohmann::json req = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}};
  const std::string text = post(req.dump());
  auto res = nlohmann::json::parse(text, nullptr, false);
  if (res.is_discarded() || !res.is_object()) {
    throw std::runtime_error("the node at " + m_url + " sent a malformed answer: " + text.substr(0, 200));
  }
  if (res.contains("error")) {
    const auto& e = res["error"];
    RpcError err;
    err.code = e.value("code", 0);
    err.message = e.value("message", std::string("unknown error"));
    if (e.contains("data")) err.data = e["data"];
    throw ClientError(std::move(err));
  }
  if (!res.contains("result")) throw std::runtime_error("the node at " + m_url + " sent an answer without a result");
  return res["result"];
}

}  // namespace ward::rpc
