// ward/rpc/server.cpp — rpc::Server: listening, the I/O thread pool, start
// and stop, static routes, and the subscription table behind the built-in
// ward_subscribe / ward_unsubscribe methods and Server::publish.
#include <chrono>
#include <cstdio>
#include <exception>
#include <random>
#include <utility>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include "rpc/server_impl.h"

namespace ward::rpc {
namespace detail {
namespace {

using nlohmann::json;

// Bound on connections being answered 503 at once; more are closed at once.
constexpr size_t kMaxRejecting = 64;

RpcError websocket_only(const char* method) {
  return RpcError{kServerError, std::string(method) + " is only available over WebSocket",
                  json{{"kind", "websocket_only"}}};
}

}  // namespace

ServerImpl::ServerImpl(ServerOptions options, Dispatcher& dispatcher)
    : m_options(std::move(options)), m_dispatcher(dispatcher) {
  m_dispatch_options.max_batch = m_options.max_batch;
  m_dispatch_options.max_json_depth = m_options.max_json_depth;
  m_dispatch_options.log = m_options.log;
  m_dispatch_options.builtins = &m_builtins;
  std::random_device device;
  m_id_state = (static_cast<uint64_t>(device()) << 32) ^ device();
  register_builtins();
}

ServerImpl::~ServerImpl() { stop(); }

void ServerImpl::log(const std::string& line) const {
  if (!m_options.log) return;
  try {
    m_options.log(line);
  } catch (...) {
    // A failing log sink must not take the server down.
  }
}

void ServerImpl::register_builtins() {
  m_builtins.add("ward_subscribe", [this](const json& params, const CallContext& ctx) { return subscribe(params, ctx); });
  m_builtins.add("ward_unsubscribe",
                 [this](const json& params, const CallContext& ctx) { return unsubscribe(params, ctx); });
}

// ---- lifecycle --------------------------------------------------------------

Result<void> ServerImpl::start() {
  std::lock_guard control(m_control);
  if (m_ioc) return make_error("rpc: server already started");
  const std::string where = m_options.host + ":" + std::to_string(m_options.port);
  const unsigned threads = m_options.threads == 0 ? 1 : m_options.threads;
  auto ioc = std::make_unique<net::io_context>(static_cast<int>(threads));
  beast::error_code ec;
  tcp::resolver resolver(*ioc);
  const auto endpoints = resolver.resolve(m_options.host, std::to_string(m_options.port),
                                          tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || endpoints.empty()) {
    return make_error("rpc: cannot resolve host \"" + m_options.host + "\": " + (ec ? ec.message() : "no address"));
  }
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  auto acceptor = std::make_unique<tcp::acceptor>(*ioc);
  if (acceptor->open(endpoint.protocol(), ec); ec) return make_error("rpc: cannot open socket for " + where + ": " + ec.message());
  if (acceptor->set_option(net::socket_base::reuse_address(true), ec); ec) {
    return make_error("rpc: cannot set SO_REUSEADDR for " + where + ": " + ec.message());
  }
  if (acceptor->bind(endpoint, ec); ec) return make_error("rpc: cannot bind " + where + ": " + ec.message());
  if (acceptor->listen(net::socket_base::max_listen_connections, ec); ec) {
    return make_error("rpc: cannot listen on " + where + ": " + ec.message());
  }
  m_port = acceptor->local_endpoint(ec).port();
  m_ioc = std::move(ioc);
  m_acceptor = std::move(acceptor);
  m_work = std::make_unique<net::executor_work_guard<net::io_context::executor_type>>(m_ioc->get_executor());
  {
    std::unique_lock life(m_life);
    m_running = true;
  }
  do_accept();
  try {
    for (unsigned i = 0; i < threads; ++i) m_threads.emplace_back([this] { run_thread(); });
  } catch (const std::exception& e) {
    stop_locked();
    return make_error(std::string("rpc: cannot start I/O threads: ") + e.what());
  }
  return {};
}

void ServerImpl::run_thread() {
  for (;;) {
    try {
      m_ioc->run();
      return;
    } catch (const std::exception& e) {
      log(std::string("rpc: unexpected exception on an I/O thread: ") + e.what());
    } catch (...) {
      log("rpc: unexpected non-standard exception on an I/O thread");
    }
  }
}

void ServerImpl::stop() {
  std::lock_guard control(m_control);
  stop_locked();
}

void ServerImpl::stop_locked() {
  for (const auto& thread : m_threads) {
    if (thread.get_id() == std::this_thread::get_id()) {
      log("rpc: Server::stop called from an I/O thread of the server; ignored");
      return;
    }
  }
  {
    // After this no publish() touches a session: running publishes hold
    // m_life shared, so this waits for them.
    std::unique_lock life(m_life);
    m_running = false;
  }
  if (!m_ioc) return;
  m_ioc->stop();
  for (auto& thread : m_threads) thread.join();
  m_threads.clear();
  m_work.reset();
  if (m_acceptor) {
    beast::error_code ec;
    m_acceptor->close(ec);
    m_acceptor.reset();
  }
  // Destroying the io_context destroys every pending handler, and with them
  // the sessions they own: every connection is closed here.
  m_ioc.reset();
  m_port = 0;
  std::lock_guard lock(m_subs_mutex);
  m_subs.clear();
  m_sub_total = 0;
}

void ServerImpl::do_accept() {
  m_acceptor->async_accept(net::make_strand(*m_ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void ServerImpl::on_accept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !m_acceptor || !m_acceptor->is_open()) return;
  if (ec) {
    // For example EMFILE: wait a little instead of spinning on the error.
    log("rpc: accept failed: " + ec.message());
    auto timer = std::make_shared<net::steady_timer>(*m_ioc, std::chrono::milliseconds(50));
    timer->async_wait([this, timer](beast::error_code wait_ec) {
      if (!wait_ec) do_accept();
    });
    return;
  }
  try {
    if (m_connections.fetch_add(1) >= m_options.max_connections) {
      m_connections.fetch_sub(1);
      log("rpc: connection refused: open connections reach max_connections (" +
          std::to_string(m_options.max_connections) + ")");
      if (m_rejecting.fetch_add(1) < kMaxRejecting) {
        reject_connection(*this, std::move(socket), ConnectionSlot(&m_rejecting));
      } else {
        m_rejecting.fetch_sub(1);
        beast::error_code close_ec;
        socket.close(close_ec);
      }
    } else {
      start_http_session(*this, std::move(socket), ConnectionSlot(&m_connections));
    }
  } catch (const std::exception& e) {
    log(std::string("rpc: cannot serve a connection: ") + e.what());
  }
  do_accept();
}

// ---- static routes ----------------------------------------------------------

void ServerImpl::add_static(std::string path, std::string content_type, std::string body) {
  auto route = std::make_shared<const StaticRoute>(StaticRoute{std::move(content_type), std::move(body)});
  std::lock_guard lock(m_static_mutex);
  m_static.insert_or_assign(std::move(path), std::move(route));
}

std::shared_ptr<const StaticRoute> ServerImpl::find_static(const std::string& path) const {
  std::lock_guard lock(m_static_mutex);
  const auto it = m_static.find(path);
  return it == m_static.end() ? nullptr : it->second;
}

// ---- subscriptions ----------------------------------------------------------

void ServerImpl::add_subscription_kind(std::string kind, FilterValidator validate) {
  std::lock_guard lock(m_kinds_mutex);
  m_kinds.insert_or_assign(std::move(kind), std::move(validate));
}

std::string ServerImpl::new_subscription_id() {
  // splitmix64 over a random seed; caller holds m_subs_mutex.
  for (;;) {
    uint64_t z = (m_id_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    char text[19];
    std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(z));
    std::string id(text);
    bool taken = false;
    for (const auto& [kind, subs] : m_subs) taken = taken || subs.count(id) != 0;
    if (!taken) return id;
  }
}

json ServerImpl::subscribe(const json& params, const CallContext& ctx) {
  WsSession* session = current_ws_session();
  if (!ctx.websocket || session == nullptr) throw websocket_only("ward_subscribe");
  const RpcError bad_params{kInvalidParams, "params must be [kind, filter] or {\"kind\": kind, \"filter\": filter}",
                            nullptr};
  const json* kind_value = nullptr;
  json filter;
  if (params.is_array()) {
    if (params.empty() || params.size() > 2) throw bad_params;
    kind_value = &params[0];
    if (params.size() == 2) filter = params[1];
  } else if (params.is_object()) {
    for (const auto& [key, value] : params.items()) {
      if (key != "kind" && key != "filter") throw bad_params;
    }
    if (!params.contains("kind")) throw bad_params;
    kind_value = &params["kind"];
    if (params.contains("filter")) filter = params["filter"];
  } else {
    throw bad_params;
  }
  if (!kind_value->is_string()) throw RpcError{kInvalidParams, "subscription kind must be a string", nullptr};
  const std::string& kind = kind_value->get_ref<const std::string&>();
  FilterValidator validate;
  {
    std::lock_guard lock(m_kinds_mutex);
    const auto it = m_kinds.find(kind);
    if (it == m_kinds.end()) {
      json kinds = json::array();
      for (const auto& [name, unused] : m_kinds) kinds.push_back(name);
      throw RpcError{kInvalidParams, "unknown subscription kind \"" + kind + "\"", json{{"kinds", std::move(kinds)}}};
    }
    validate = it->second;
  }
  if (validate) validate(filter);
  const size_t limit = m_options.max_subscriptions_per_connection;
  if (ws_subscription_count(*session) >= limit) {
    throw RpcError{kServerError,
                   "subscriptions of this connection would exceed max_subscriptions_per_connection (" +
                       std::to_string(limit) + ")",
                   json{{"kind", "subscription_limit"}, {"limit", limit}}};
  }
  // Live at once: publish() may match it from now on, but it only posts to
  // the session's strand, which is busy with this call, so notifications are
  // queued after the ward_subscribe response.
  std::string id;
  {
    std::lock_guard lock(m_subs_mutex);
    id = new_subscription_id();
    m_subs[kind].emplace(id, Subscription{ws_weak(*session), std::make_shared<const json>(std::move(filter))});
    ++m_sub_total;
  }
  ws_add_subscription(*session, id, kind);
  return id;
}

json ServerImpl::unsubscribe(const json& params, const CallContext& ctx) {
  WsSession* session = current_ws_session();
  if (!ctx.websocket || session == nullptr) throw websocket_only("ward_unsubscribe");
  const json* id = nullptr;
  if (params.is_array() && params.size() == 1) {
    id = &params[0];
  } else if (params.is_object() && params.size() == 1 && params.contains("subscription")) {
    id = &params["subscription"];
  }
  if (id == nullptr || !id->is_string()) {
    throw RpcError{kInvalidParams, "params must be [subscription] or {\"subscription\": subscription}", nullptr};
  }
  std::string kind;
  if (!ws_remove_subscription(*session, id->get_ref<const std::string&>(), &kind)) return false;
  remove_subscriptions({{id->get<std::string>(), kind}});
  return true;
}

void ServerImpl::remove_subscriptions(const std::vector<std::pair<std::string, std::string>>& id_kinds) {
  std::lock_guard lock(m_subs_mutex);
  for (const auto& [id, kind] : id_kinds) {
    const auto it = m_subs.find(kind);
    if (it == m_subs.end()) continue;
    m_sub_total -= it->second.erase(id);
    if (it->second.empty()) m_subs.erase(it);
  }
}

size_t ServerImpl::subscription_count() const {
  std::lock_guard lock(m_subs_mutex);
  return m_sub_total;
}

size_t ServerImpl::publish(const std::string& kind, const json& payload, const FilterMatcher& matches) {
  struct Target {
    std::shared_ptr<WsSession> session;
    std::string id;
    std::shared_ptr<const json> filter;
  };
  size_t queued = 0;
  try {
    std::shared_lock life(m_life);
    if (!m_running) return 0;
    // Declared after `life`: the session references die before it unlocks.
    std::vector<Target> targets;
    {
      std::lock_guard lock(m_subs_mutex);
      const auto it = m_subs.find(kind);
      if (it == m_subs.end()) return 0;
      for (const auto& [id, sub] : it->second) {
        if (auto session = sub.session.lock()) targets.push_back({std::move(session), id, sub.filter});
      }
    }
    if (targets.empty()) return 0;
    const std::string result = payload.dump(-1, ' ', false, json::error_handler_t::replace);
    for (const auto& target : targets) {
      if (matches) {
        bool match = false;
        try {
          match = matches(*target.filter);
        } catch (const std::exception& e) {
          log("rpc: subscription filter of kind \"" + kind + "\" failed: " + e.what());
        } catch (...) {
          log("rpc: subscription filter of kind \"" + kind + "\" failed");
        }
        if (!match) continue;
      }
      auto message = std::make_shared<const std::string>(
          R"({"jsonrpc":"2.0","method":"ward_subscription","params":{"subscription":")" + target.id +
          R"(","result":)" + result + "}}");
      if (ws_push(target.session, target.id, std::move(message))) ++queued;
    }
  } catch (const std::exception& e) {
    log(std::string("rpc: publish failed: ") + e.what());
  }
  return queued;
}

}  // namespace detail

// ---- Server -----------------------------------------------------------------

Server::Server(ServerOptions options, Dispatcher& dispatcher)
    : m_impl(std::make_unique<detail::ServerImpl>(std::move(options), dispatcher)) {}
Server::~Server() = default;
Result<void> Server::start() { return m_impl->start(); }
uint16_t Server::port() const { return m_impl->port(); }
void Server::stop() { m_impl->stop(); }
void Server::add_static(std::string path, std::string content_type, std::string body) {
  m_impl->add_static(std::move(path), std::move(content_type), std::move(body));
}
void Server::add_subscription_kind(std::string kind, FilterValidator validate) {
  m_impl->add_subscription_kind(std::move(kind), std::move(validate));
}
size_t Server::publish(const std::string& kind, const nlohmann::json& payload, const FilterMatcher& matches) {
  return m_impl->publish(kind, payload, matches);
}
size_t Server::connection_count() const { return m_impl->connection_count(); }
size_t Server::subscription_count() const { return m_impl->subscription_count(); }

}  // namespace ward::rpc
