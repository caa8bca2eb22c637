// Tests of rpc::HttpConnection and parse_http_url: URL forms, a POST answered
// on a kept-alive connection, the one retry when the server closed an idle
// kept-alive connection, and a clear failure when nothing listens.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "rpc/http_connection.h"

namespace ward::rpc {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

TEST(HttpUrlTest, SplitsHostPortAndPath) {
  auto a = parse_http_url("http://127.0.0.1:8545");
  ASSERT_TRUE(a) << a.error().message;
  EXPECT_EQ(a.value().host, "127.0.0.1");
  EXPECT_EQ(a.value().port, "8545");
  EXPECT_EQ(a.value().target, "/");
  auto b = parse_http_url("http://node:1/rpc/v1");
  ASSERT_TRUE(b);
  EXPECT_EQ(b.value().target, "/rpc/v1");
  auto c = parse_http_url("http://node:2379//");
  ASSERT_TRUE(c);
  EXPECT_EQ(c.value().target, "/");
}

TEST(HttpUrlTest, RejectsOtherFormsNamingTheUrl) {
  EXPECT_EQ(parse_http_url("https://a:1").error().message, "'https://a:1' must start with http://");
  EXPECT_EQ(parse_http_url("http://a").error().message, "'http://a' must be http://HOST:PORT[/path]");
  EXPECT_EQ(parse_http_url("http://:80").error().message, "'http://:80' must be http://HOST:PORT[/path]");
  EXPECT_EQ(parse_http_url("http://a:99999").error().message, "'http://a:99999': port must be a number from 1 to 65535");
  EXPECT_EQ(parse_http_url("http://a:0").error().message, "'http://a:0': port must be a number from 1 to 65535");
  EXPECT_EQ(parse_http_url("http://a:8x").error().message, "'http://a:8x': port must be a number from 1 to 65535");
}

/// A server on a free loopback port that answers each request with
/// "<n>:<body>" (n counts requests) and closes a connection after
/// `per_connection` answers, as a server with a keep-alive limit does.
class EchoServer {
 public:
  explicit EchoServer(int per_connection) : m_acceptor(m_io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
    m_thread = std::thread([this, per_connection] {
      while (!m_stop) {
        tcp::socket socket(m_io);
        boost::system::error_code ec;
        m_acceptor.accept(socket, ec);
        if (ec || m_stop) return;
        ++m_connections;
        beast::flat_buffer buffer;
        for (int i = 0; i < per_connection; ++i) {
          http::request<http::string_body> req;
          http::read(socket, buffer, req, ec);
          if (ec) break;
          http::response<http::string_body> res{http::status::ok, 11};
          res.keep_alive(true);
          res.body() = std::to_string(++m_requests) + ":" + req.body();
          res.prepare_payload();
          http::write(socket, res, ec);
          if (ec) break;
        }
        socket.close(ec);
      }
    });
  }
  ~EchoServer() {
    m_stop = true;
    boost::system::error_code ec;
    // Wake the blocking accept with a connection of our own.
    tcp::socket poke(m_io);
    poke.connect(m_acceptor.local_endpoint(), ec);
    m_thread.join();
  }
  std::string port() const { return std::to_string(m_acceptor.local_endpoint().port()); }
  int connections() const { return m_connections; }

 private:
  asio::io_context m_io;
  tcp::acceptor m_acceptor;
  std::thread m_thread;
  std::atomic<bool> m_stop{false};
  std::atomic<int> m_connections{0};
  std::atomic<int> m_requests{0};
};

TEST(HttpConnectionTest, KeepsTheConnectionAlive) {
  EchoServer server(100);
  HttpConnection conn("127.0.0.1", server.port(), 5000, 1 << 20);
  EXPECT_EQ(conn.post("/", "a").body, "1:a");
  auto second = conn.post("/", "b");
  EXPECT_EQ(second.status, 200u);
  EXPECT_EQ(second.body, "2:b");
  EXPECT_EQ(server.connections(), 1);
}

TEST(HttpConnectionTest, ResendsOnceWhenTheServerClosedAnIdleConnection) {
  EchoServer server(1);  // closes after every answer, though it said keep-alive
  HttpConnection conn("127.0.0.1", server.port(), 5000, 1 << 20);
  EXPECT_EQ(conn.post("/", "a").body, "1:a");
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the close arrive
  EXPECT_EQ(conn.post("/", "b").body, "2:b");  // sent again on a new connection, answered once
  EXPECT_EQ(server.connections(), 2);
}

TEST(HttpConnectionTest, NothingListeningIsATransportError) {
  std::string port;
  {
    asio::io_context io;
    tcp::acceptor probe(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = std::to_string(probe.local_endpoint().port());
  }  // closed again: nothing listens there now
  HttpConnection conn("127.0.0.1", port, 2000, 1 << 20);
  try {
    conn.post("/", "x");
    FAIL() << "post to a closed port returned";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("refused"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace ward::rpc
