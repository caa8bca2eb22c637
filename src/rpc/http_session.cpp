// ward/rpc/http_session.cpp — one HTTP/1.1 connection: keep-alive request
// loop, routing (POST JSON-RPC, GET static routes, OPTIONS preflight), the
// HTTP error answers (400, 404, 405, 413, 415, 431, 503) and the hand-over of
// WebSocket upgrades. RFC 9110/9112 for HTTP, Fetch standard for CORS.
#include <array>
#include <chrono>
#include <optional>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include "rpc/server_impl.h"

namespace ward::rpc::detail {
namespace {

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

constexpr size_t kHeaderLimit = 16 * 1024;             // bytes of request line + headers
constexpr auto kDrainTime = std::chrono::seconds(5);   // how long a closing connection is drained
constexpr size_t kDrainSmall = 64 * 1024;              // bytes drained after a small error answer

void add_common(Response& res) {
  res.set(http::field::server, "ward-rpc");
  res.set(http::field::access_control_allow_origin, "*");
}

Response make_response(http::status status, unsigned version, bool keep_alive, std::string content_type,
                       std::string body) {
  Response res{status, version};
  add_common(res);
  if (!content_type.empty()) res.set(http::field::content_type, content_type);
  res.keep_alive(keep_alive);
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response error_response(http::status status, unsigned version, bool keep_alive, int code, std::string message,
                        nlohmann::json data = nullptr) {
  return make_response(status, version, keep_alive, "application/json",
                       Dispatcher::error_response(RpcError{code, std::move(message), std::move(data)}));
}

// "application/json", optionally with parameters ("; charset=utf-8"),
// compared case-insensitively.
bool is_json_content_type(std::string_view value) {
  value = value.substr(0, value.find(';'));
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  constexpr std::string_view kJson = "application/json";
  if (value.size() != kJson.size()) return false;
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != kJson[i]) return false;
  }
  return true;
}

// Writes a last response, half-closes the connection, then reads and drops
// what the peer still sends (bounded in bytes and time) so that the peer can
// read the response before the socket closes instead of getting a reset.
class Closer : public std::enable_shared_from_this<Closer> {
 public:
  Closer(beast::tcp_stream stream, ConnectionSlot slot, Response response, size_t drain_limit)
      : m_stream(std::move(stream)), m_slot(std::move(slot)), m_response(std::move(response)),
        m_drain_limit(drain_limit) {
    m_response.keep_alive(false);
  }

  void run() {
    m_stream.expires_after(kDrainTime);
    http::async_write(m_stream, m_response, beast::bind_front_handler(&Closer::on_write, shared_from_this()));
  }

 private:
  void on_write(beast::error_code ec, size_t) {
    if (ec) return close();
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    m_stream.expires_after(kDrainTime);
    read_some();
  }
  void read_some() {
    m_stream.async_read_some(net::buffer(m_scratch), beast::bind_front_handler(&Closer::on_read, shared_from_this()));
  }
  void on_read(beast::error_code ec, size_t bytes) {
    m_drained += bytes;
    if (ec || m_drained > m_drain_limit) return close();
    read_some();
  }
  void close() {
    beast::error_code ec;
    m_stream.socket().close(ec);
  }

  beast::tcp_stream m_stream;
  ConnectionSlot m_slot;
  Response m_response;
  size_t m_drain_limit;
  size_t m_drained = 0;
  std::array<char, 16 * 1024> m_scratch{};
};

void close_with(beast::tcp_stream stream, ConnectionSlot slot, Response response, size_t drain_limit) {
  std::make_shared<Closer>(std::move(stream), std::move(slot), std::move(response), drain_limit)->run();
}

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(ServerImpl& server, tcp::socket socket, ConnectionSlot slot)
      : m_server(server), m_stream(std::move(socket)), m_slot(std::move(slot)), m_id(server.next_connection_id()) {}

  void run() {
    net::dispatch(m_stream.get_executor(), beast::bind_front_handler(&HttpSession::do_read, shared_from_this()));
  }

 private:
  std::chrono::milliseconds idle() const { return std::chrono::milliseconds(m_server.options().idle_timeout_ms); }

  void do_read() {
    m_parser.emplace();
    m_parser->body_limit(m_server.options().max_body_bytes);
    m_parser->header_limit(kHeaderLimit);
    m_stream.expires_after(idle());
    http::async_read(m_stream, m_buffer, *m_parser, beast::bind_front_handler(&HttpSession::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, size_t) {
    if (ec == http::error::end_of_stream) return shutdown();
    if (ec == http::error::body_limit) {
      const size_t limit = m_server.options().max_body_bytes;
      return fail(error_response(http::status::payload_too_large, 11, false, kInvalidRequest,
                                 "request body exceeds max_body_bytes (" + std::to_string(limit) + ")"),
                  2 * limit + kDrainSmall);
    }
    if (ec == http::error::header_limit) {
      return fail(error_response(http::status::request_header_fields_too_large, 11, false, kInvalidRequest,
                                 "request header exceeds " + std::to_string(kHeaderLimit) + " bytes"),
                  kDrainSmall);
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::partial_message) {
      return fail(error_response(http::status::bad_request, 11, false, kInvalidRequest,
                                 "malformed HTTP request: " + ec.message()),
                  kDrainSmall);
    }
    if (ec) return close();  // timeout, reset, peer gone mid-request
    Request request = m_parser->release();
    if (beast::websocket::is_upgrade(request)) {
      m_stream.expires_never();
      start_ws_session(m_server, std::move(m_stream), std::move(m_slot), m_id, std::move(request));
      return;
    }
    m_response = route(request);
    m_stream.expires_after(idle());
    http::async_write(m_stream, m_response, beast::bind_front_handler(&HttpSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, size_t) {
    if (ec) return close();
    if (m_response.need_eof()) return shutdown();
    m_response = {};
    do_read();
  }

  Response route(Request& request) {
    const unsigned version = request.version();
    const bool keep_alive = request.keep_alive();
    std::string path(request.target());
    path = path.substr(0, path.find_first_of("?#"));
    switch (request.method()) {
      case http::verb::options: {
        Response res = make_response(http::status::no_content, version, keep_alive, "", "");
        res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
        res.set(http::field::access_control_allow_headers, "Content-Type");
        res.set(http::field::access_control_max_age, "86400");
        return res;
      }
      case http::verb::get: {
        if (const auto route = m_server.find_static(path)) {
          return make_response(http::status::ok, version, keep_alive, route->content_type, route->body);
        }
        if (path == "/") {
          Response res = error_response(http::status::method_not_allowed, version, keep_alive, kInvalidRequest,
                                        "send a JSON-RPC 2.0 request with POST, or open a WebSocket");
          res.set(http::field::allow, "POST, OPTIONS");
          return res;
        }
        return error_response(http::status::not_found, version, keep_alive, kInvalidRequest,
                              "no route for GET " + path);
      }
      case http::verb::post:
        return post(request, version, keep_alive);
      default: {
        Response res = error_response(http::status::method_not_allowed, version, keep_alive, kInvalidRequest,
                                      "HTTP method not allowed; use POST");
        res.set(http::field::allow, "GET, POST, OPTIONS");
        return res;
      }
    }
  }

  Response post(Request& request, unsigned version, bool keep_alive) {
    const auto content_type = request[http::field::content_type];
    if (!is_json_content_type(std::string_view(content_type.data(), content_type.size()))) {
      return error_response(http::status::unsupported_media_type, version, keep_alive, kInvalidRequest,
                            "Content-Type must be application/json");
    }
    CallContext ctx;
    ctx.websocket = false;
    ctx.connection_id = m_id;
    ctx.deadline = std::chrono::steady_clock::now() +
                   std::chrono::milliseconds(m_server.options().request_timeout_ms);
    auto reply = m_server.dispatcher().handle(request.body(), ctx, m_server.dispatch_options());
    if (!reply) return make_response(http::status::no_content, version, keep_alive, "", "");
    return make_response(http::status::ok, version, keep_alive, "application/json", std::move(*reply));
  }

  void fail(Response response, size_t drain_limit) {
    close_with(std::move(m_stream), std::move(m_slot), std::move(response), drain_limit);
  }
  void shutdown() {
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    close();
  }
  void close() {
    beast::error_code ec;
    m_stream.socket().close(ec);
  }

  ServerImpl& m_server;
  beast::tcp_stream m_stream;
  ConnectionSlot m_slot;
  const uint64_t m_id;
  beast::flat_buffer m_buffer;
  std::optional<http::request_parser<http::string_body>> m_parser;
  Response m_response;
};

// The raw answer to a connection over max_connections.
Response busy_response(size_t limit) {
  return error_response(http::status::service_unavailable, 11, false, kServerError,
                        "open connections reach max_connections (" + std::to_string(limit) + ")",
                        nlohmann::json{{"kind", "connection_limit"}});
}

}  // namespace

void start_http_session(ServerImpl& server, tcp::socket socket, ConnectionSlot slot) {
  std::make_shared<HttpSession>(server, std::move(socket), std::move(slot))->run();
}

void reject_connection(ServerImpl& server, tcp::socket socket, ConnectionSlot slot) {
  close_with(beast::tcp_stream(std::move(socket)), std::move(slot), busy_response(server.options().max_connections),
             kDrainSmall);
}

}  // namespace ward::rpc::detail
