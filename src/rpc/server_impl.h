// ward/rpc/server_impl.h — internals of rpc::Server shared by server.cpp,
// http_session.cpp and ws_session.cpp. Not a public header.
// Thread-safety: ServerImpl members are guarded as noted per field; session
// objects run on their own strand.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "rpc/server.h"

namespace ward::rpc::detail {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

class WsSession;

/// Counts one open connection in an atomic counter while alive. Move-only.
class ConnectionSlot {
 public:
  ConnectionSlot() = default;
  explicit ConnectionSlot(std::atomic<size_t>* counter) : m_counter(counter) {}
  ConnectionSlot(ConnectionSlot&& other) noexcept : m_counter(other.m_counter) { other.m_counter = nullptr; }
  ConnectionSlot& operator=(ConnectionSlot&& other) noexcept {
    if (this != &other) {
      release();
      m_counter = other.m_counter;
      other.m_counter = nullptr;
    }
    return *this;
  }
  ConnectionSlot(const ConnectionSlot&) = delete;
  ConnectionSlot& operator=(const ConnectionSlot&) = delete;
  ~ConnectionSlot() { release(); }

 private:
  void release() noexcept {
    if (m_counter != nullptr) m_counter->fetch_sub(1);
    m_counter = nullptr;
  }
  std::atomic<size_t>* m_counter = nullptr;
};

/// A GET route registered with Server::add_static.
struct StaticRoute {
  std::string content_type;
  std::string body;
};

/// One subscription in the server-wide table.
struct Subscription {
  std::weak_ptr<WsSession> session;
  std::shared_ptr<const nlohmann::json> filter;
};

/// The state behind rpc::Server.
class ServerImpl {
 public:
  ServerImpl(ServerOptions options, Dispatcher& dispatcher);
  ~ServerImpl();

  Result<void> start();
  void stop();
  uint16_t port() const { return m_port.load(); }

  const ServerOptions& options() const { return m_options; }
  const Dispatcher& dispatcher() const { return m_dispatcher; }
  const DispatchOptions& dispatch_options() const { return m_dispatch_options; }
  void log(const std::string& line) const;

  void add_static(std::string path, std::string content_type, std::string body);
  /// The static route of `path`, or null.
  std::shared_ptr<const StaticRoute> find_static(const std::string& path) const;

  void add_subscription_kind(std::string kind, FilterValidator validate);
  size_t publish(const std::string& kind, const nlohmann::json& payload, const FilterMatcher& matches);
  /// Drops subscriptions from the table (unsubscribe, connection closed).
  void remove_subscriptions(const std::vector<std::pair<std::string, std::string>>& id_kinds);

  size_t connection_count() const { return m_connections.load(); }
  size_t subscription_count() const;
  /// A fresh non-zero connection id.
  uint64_t next_connection_id() { return m_next_connection_id.fetch_add(1); }

 private:
  void register_builtins();
  nlohmann::json subscribe(const nlohmann::json& params, const CallContext& ctx);
  nlohmann::json unsubscribe(const nlohmann::json& params, const CallContext& ctx);
  std::string new_subscription_id();
  void do_accept();
  void on_accept(beast::error_code ec, tcp::socket socket);
  void run_thread();
  void stop_locked();  ///< stop() with m_control held

  const ServerOptions m_options;
  Dispatcher& m_dispatcher;
  Dispatcher m_builtins;
  DispatchOptions m_dispatch_options;

  mutable std::mutex m_static_mutex;
  std::map<std::string, std::shared_ptr<const StaticRoute>, std::less<>> m_static;

  mutable std::mutex m_kinds_mutex;
  std::map<std::string, FilterValidator, std::less<>> m_kinds;

  // kind -> subscription id -> subscription. Guarded by m_subs_mutex.
  mutable std::mutex m_subs_mutex;
  std::unordered_map<std::string, std::unordered_map<std::string, Subscription>> m_subs;
  size_t m_sub_total = 0;
  uint64_t m_id_state = 0;  ///< splitmix64 state for subscription ids, guarded by m_subs_mutex

  // Lifecycle: publish holds m_life shared while it touches sessions; stop
  // flips m_running under it exclusively. m_control serializes start/stop.
  mutable std::shared_mutex m_life;
  bool m_running = false;
  std::mutex m_control;
  std::unique_ptr<net::io_context> m_ioc;
  std::unique_ptr<net::executor_work_guard<net::io_context::executor_type>> m_work;
  std::unique_ptr<tcp::acceptor> m_acceptor;
  std::vector<std::thread> m_threads;
  std::atomic<uint16_t> m_port{0};

  std::atomic<size_t> m_connections{0};
  std::atomic<size_t> m_rejecting{0};
  std::atomic<uint64_t> m_next_connection_id{1};
};

/// Starts serving one accepted connection over HTTP (http_session.cpp).
void start_http_session(ServerImpl& server, tcp::socket socket, ConnectionSlot slot);
/// Answers a connection over max_connections with HTTP 503 and closes it.
void reject_connection(ServerImpl& server, tcp::socket socket, ConnectionSlot slot);
/// Takes over an upgraded connection (ws_session.cpp).
void start_ws_session(ServerImpl& server, beast::tcp_stream stream, ConnectionSlot slot, uint64_t connection_id,
                      http::request<http::string_body> request);
/// The WebSocket session whose message is being dispatched on this thread,
/// or null (used by the built-in subscription methods).
WsSession* current_ws_session();

/// Queues a notification on a WebSocket session (ws_session.cpp). False when
/// the session is closed or its queue overflowed (it is then disconnected).
bool ws_push(const std::shared_ptr<WsSession>& session, const std::string& subscription_id,
             std::shared_ptr<const std::string> message);
/// Strand-side subscription bookkeeping of the current session.
size_t ws_subscription_count(WsSession& session);
void ws_add_subscription(WsSession& session, const std::string& id, const std::string& kind);
bool ws_remove_subscription(WsSession& session, const std::string& id, std::string* kind);
std::weak_ptr<WsSession> ws_weak(WsSession& session);

}  // namespace ward::rpc::detail
