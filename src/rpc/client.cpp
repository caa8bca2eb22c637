// ward/rpc/client.cpp — synchronous JSON-RPC client over HTTP (client.h).
#include "rpc/client.h"

#include <stdexcept>

#include "rpc/http_connection.h"

namespace ward::rpc {

struct Client::Impl {
  HttpUrl url;
  std::unique_ptr<HttpConnection> conn;
};

Client::Client(const std::string& url, uint32_t timeout_ms) : m_impl(std::make_unique<Impl>()), m_url(url) {
  auto parsed = parse_http_url(url);
  if (!parsed) throw std::invalid_argument("node URL " + parsed.error().message);
  m_impl->url = std::move(parsed.value());
  m_impl->conn = std::make_unique<HttpConnection>(m_impl->url.host, m_impl->url.port, timeout_ms, 256ull << 20);
}

Client::~Client() = default;

std::string Client::post(const std::string& body) {
  try {
    return m_impl->conn->post(m_impl->url.target, body).body;
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot reach the node at " + m_url + ": " + e.what());
  }
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
