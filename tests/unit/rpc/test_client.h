// tests/unit/rpc/test_client.h — small Beast HTTP and WebSocket clients and a
// server fixture for the rpc tests. Every operation has a timeout (the
// tcp_stream expiry), so a misbehaving server fails a test instead of
// hanging it. Thread-safety: one client per thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdio>
#include <dirent.h>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "rpc/server.h"

namespace ward::rpc::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using nlohmann::json;
using namespace std::chrono_literals;

/// An HTTP/1.1 keep-alive client on one connection.
class HttpClient {
 public:
  struct Reply {
    beast::error_code ec;
    http::response<http::string_body> res;
    json body() const { return json::parse(res.body()); }
  };

  explicit HttpClient(uint16_t port) : m_stream(m_ioc) {
    m_stream.expires_after(5s);
    m_stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port),
                           [this](beast::error_code ec) { m_connect_ec = ec; });
    m_ioc.run();
  }
  beast::error_code connect_error() const { return m_connect_ec; }

  /// Sends one request and reads its response.
  Reply request(http::verb verb, const std::string& target, std::string body,
                const std::string& content_type = "application/json", std::chrono::seconds timeout = 10s) {
    http::request<http::string_body> req{verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!content_type.empty()) req.set(http::field::content_type, content_type);
    req.keep_alive(true);
    req.body() = std::move(body);
    req.prepare_payload();
    Reply reply;
    m_stream.expires_after(timeout);
    http::async_write(m_stream, req, [&](beast::error_code ec, size_t) {
      if (ec) {
        reply.ec = ec;
        return;
      }
      http::async_read(m_stream, m_buffer, m_parser_storage.emplace(), [&](beast::error_code read_ec, size_t) {
        reply.ec = read_ec;
        if (!read_ec) reply.res = m_parser_storage->release();
      });
    });
    m_ioc.restart();
    m_ioc.run();
    return reply;
  }

  /// POSTs `body` as application/json.
  Reply post(std::string body) { return request(http::verb::post, "/", std::move(body)); }

  /// POSTs and parses the JSON response body (null when none or on error).
  json call(const std::string& body) {
    const Reply reply = post(body);
    if (reply.ec || reply.res.body().empty()) return nullptr;
    return reply.body();
  }

  /// Reads from the connection until it ends; the error that ended it.
  beast::error_code wait_closed(std::chrono::seconds timeout = 5s) {
    beast::error_code result;
    char scratch[4096];
    m_stream.expires_after(timeout);
    std::function<void(beast::error_code, size_t)> on_read = [&](beast::error_code ec, size_t) {
      if (ec) {
        result = ec;
        return;
      }
      m_stream.async_read_some(net::buffer(scratch), on_read);
    };
    m_stream.async_read_some(net::buffer(scratch), on_read);
    m_ioc.restart();
    m_ioc.run();
    return result;
  }

 private:
  net::io_context m_ioc;
  beast::tcp_stream m_stream;
  beast::flat_buffer m_buffer;
  std::optional<http::response_parser<http::string_body>> m_parser_storage;
  beast::error_code m_connect_ec;
};

/// A WebSocket client on one connection.
class WsClient {
 public:
  explicit WsClient(uint16_t port) : m_ws(m_ioc) {
    auto& lowest = beast::get_lowest_layer(m_ws);
    lowest.expires_after(5s);
    lowest.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [this](beast::error_code ec) {
      m_ec = ec;
      if (ec) return;
      m_ws.async_handshake("127.0.0.1", "/ws", [this](beast::error_code hs_ec) { m_ec = hs_ec; });
    });
    m_ioc.run();
  }
  beast::error_code error() const { return m_ec; }

  beast::error_code send(const std::string& text) {
    beast::error_code result;
    beast::get_lowest_layer(m_ws).expires_after(5s);
    m_ws.text(true);
    m_ws.async_write(net::buffer(text), [&](beast::error_code ec, size_t) { result = ec; });
    m_ioc.restart();
    m_ioc.run();
    return result;
  }

  /// The next message parsed as JSON, or nullopt on error/timeout.
  std::optional<json> receive(std::chrono::seconds timeout = 5s) {
    beast::error_code result;
    beast::flat_buffer buffer;
    beast::get_lowest_layer(m_ws).expires_after(timeout);
    m_ws.async_read(buffer, [&](beast::error_code ec, size_t) { result = ec; });
    m_ioc.restart();
    m_ioc.run();
    m_last_error = result;
    if (result) return std::nullopt;
    return json::parse(beast::buffers_to_string(buffer.data()));
  }

  /// Sends `text` and returns the next message.
  std::optional<json> call(const std::string& text) {
    if (send(text)) return std::nullopt;
    return receive();
  }

  beast::error_code last_error() const { return m_last_error; }

  void close() {
    beast::get_lowest_layer(m_ws).expires_after(5s);
    m_ws.async_close(websocket::close_code::normal, [](beast::error_code) {});
    m_ioc.restart();
    m_ioc.run();
  }

 private:
  net::io_context m_ioc;
  websocket::stream<beast::tcp_stream> m_ws;
  beast::error_code m_ec;
  beast::error_code m_last_error;
};

/// A Server on 127.0.0.1, an ephemeral port, with dummy methods; stopped by
/// the destructor even when a test fails.
class TestServer {
 public:
  explicit TestServer(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.log = [this](std::string_view line) {
      std::lock_guard lock(m_log_mutex);
      m_log.emplace_back(line);
    };
    register_methods();
    m_server = std::make_unique<Server>(std::move(options), m_dispatcher);
    // "tick" subscriptions take a filter {"min": number}.
    m_server->add_subscription_kind("tick", [](const json& filter) {
      if (!filter.is_object() || !filter.contains("min") || !filter["min"].is_number()) {
        throw RpcError{kInvalidParams, "filter must be {\"min\": number}", nullptr};
      }
    });
  }
  ~TestServer() { m_server->stop(); }
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  /// Starts the server; false (with a test failure) when it cannot.
  bool start() {
    const auto started = m_server->start();
    EXPECT_TRUE(started.ok()) << (started.ok() ? "" : started.error().message);
    return started.ok();
  }
  Server& server() { return *m_server; }
  Dispatcher& dispatcher() { return m_dispatcher; }
  uint16_t port() const { return m_server->port(); }
  int notifications() const { return m_notifications.load(); }

  /// True when some log line contains `text`.
  bool logged(const std::string& text) {
    std::lock_guard lock(m_log_mutex);
    for (const auto& line : m_log) {
      if (line.find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  void register_methods();

  Dispatcher m_dispatcher;
  std::unique_ptr<Server> m_server;
  std::atomic<int> m_notifications{0};
  std::mutex m_log_mutex;
  std::vector<std::string> m_log;
};

/// Polls `condition` until true or `timeout`.
template <class F>
bool eventually(F condition, std::chrono::milliseconds timeout = 5000ms) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return condition();
}

/// Open file descriptors of this process.
inline size_t open_fds() {
  size_t count = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (readdir(dir) != nullptr) ++count;
    closedir(dir);
  }
  return count;
}

/// Resident set size of this process, bytes.
inline size_t rss_bytes() {
  long pages_total = 0;
  long pages_resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages_total, &pages_resident) != 2) pages_resident = 0;
    std::fclose(f);
  }
  return static_cast<size_t>(pages_resident) * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

/// A request text.
inline std::string request(const std::string& method, const json& params, const json& id) {
  return json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}, {"id", id}}.dump();
}

}  // namespace ward::rpc::test
