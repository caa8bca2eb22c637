// ward/rpc/ws_session.cpp — one WebSocket connection (RFC 6455): each text
// message is a JSON-RPC request or batch, answered in order; subscription
// notifications share the bounded outgoing queue. A client whose queue
// overflows is disconnected; publish never waits for it.
#include <atomic>
#include <chrono>
#include <deque>
#include <map>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "rpc/server_impl.h"

namespace ward::rpc::detail {
namespace websocket = beast::websocket;

namespace {
thread_local WsSession* t_current_session = nullptr;

// Marks `session` as the one being dispatched on this thread.
class CurrentSession {
 public:
  explicit CurrentSession(WsSession* session) : m_previous(t_current_session) { t_current_session = session; }
  ~CurrentSession() { t_current_session = m_previous; }
  CurrentSession(const CurrentSession&) = delete;
  CurrentSession& operator=(const CurrentSession&) = delete;

 private:
  WsSession* m_previous;
};
}  // namespace

WsSession* current_ws_session() { return t_current_session; }

class WsSession : public std::enable_shared_from_this<WsSession> {
 public:
  WsSession(ServerImpl& server, beast::tcp_stream stream, ConnectionSlot slot, uint64_t id)
      : m_server(server), m_ws(std::move(stream)), m_slot(std::move(slot)), m_id(id) {}
  ~WsSession() { release_subscriptions(); }

  void run(http::request<http::string_body> request) {
    m_request = std::move(request);
    const auto& options = m_server.options();
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::seconds(30);
    timeout.idle_timeout = std::chrono::milliseconds(options.idle_timeout_ms);
    timeout.keep_alive_pings = true;
    m_ws.set_option(timeout);
    m_ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "ward-rpc"); }));
    m_ws.read_message_max(options.max_body_bytes);
    m_ws.async_accept(m_request, beast::bind_front_handler(&WsSession::on_accept, shared_from_this()));
  }

  // Any thread. Queues a notification unless the queue would exceed its bounds.
  bool push(const std::string& subscription_id, std::shared_ptr<const std::string> message) {
    if (m_closed_flag.load()) return false;
    const size_t size = message->size();
    const auto& options = m_server.options();
    const size_t messages = m_queued_messages.fetch_add(1) + 1;
    const size_t bytes = m_queued_bytes.fetch_add(size) + size;
    if (messages > options.max_queue_messages || bytes > options.max_queue_bytes) {
      uncount(size);
      if (!m_overflowed.exchange(true)) {
        m_server.log("rpc: websocket connection " + std::to_string(m_id) +
                     " disconnected: outgoing queue exceeds max_queue_messages (" +
                     std::to_string(options.max_queue_messages) + ") or max_queue_bytes (" +
                     std::to_string(options.max_queue_bytes) + ")");
        net::post(m_ws.get_executor(), [self = shared_from_this()] { self->hard_close(); });
      }
      return false;
    }
    net::post(m_ws.get_executor(), [self = shared_from_this(), id = subscription_id, message = std::move(message)] {
      if (self->m_closed || self->m_subscriptions.count(id) == 0) {
        self->uncount(message->size());  // unsubscribed or closed meanwhile
        return;
      }
      self->append(message);
    });
    return true;
  }

  // Strand-side subscription bookkeeping (called from the built-in methods,
  // which run on this session's strand inside on_read). Notifications are
  // posted to the strand, so none can be queued before the response of the
  // message being handled.
  size_t subscription_count() const { return m_subscriptions.size(); }
  void add_subscription(const std::string& id, const std::string& kind) {
    m_subscriptions.emplace(id, kind);
  }
  bool remove_subscription(const std::string& id, std::string* kind) {
    const auto it = m_subscriptions.find(id);
    if (it == m_subscriptions.end()) return false;
    *kind = it->second;
    m_subscriptions.erase(it);
    return true;
  }

 private:
  void on_accept(beast::error_code ec) {
    if (ec) return hard_close();
    do_read();
  }

  void do_read() { m_ws.async_read(m_buffer, beast::bind_front_handler(&WsSession::on_read, shared_from_this())); }

  void on_read(beast::error_code ec, size_t) {
    // Closed by the peer, too big, timeout or reset: Beast has already done
    // whatever closing handshake applies.
    if (ec) return hard_close();
    if (m_closed) return;
    const std::string body = beast::buffers_to_string(m_buffer.data());
    m_buffer.consume(m_buffer.size());
    CallContext ctx;
    ctx.websocket = true;
    ctx.connection_id = m_id;
    ctx.deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(m_server.options().request_timeout_ms);
    std::optional<std::string> reply;
    {
      CurrentSession current(this);
      reply = m_server.dispatcher().handle(body, ctx, m_server.dispatch_options());
    }
    if (reply) {
      auto message = std::make_shared<const std::string>(std::move(*reply));
      count(message->size());
      append(std::move(message));
    }
    if (over_half()) {
      m_read_paused = true;  // backpressure: resume once the client has read
    } else {
      do_read();
    }
  }

  void count(size_t size) {
    m_queued_messages.fetch_add(1);
    m_queued_bytes.fetch_add(size);
  }
  void uncount(size_t size) {
    m_queued_messages.fetch_sub(1);
    m_queued_bytes.fetch_sub(size);
  }
  bool over_half() const {
    const auto& options = m_server.options();
    return m_queued_messages.load() > options.max_queue_messages / 2 ||
           m_queued_bytes.load() > options.max_queue_bytes / 2;
  }

  // Strand. `message` is already counted.
  void append(std::shared_ptr<const std::string> message) {
    if (m_closed) {
      uncount(message->size());
      return;
    }
    m_out.push_back(std::move(message));
    if (!m_writing) do_write();
  }

  void do_write() {
    m_writing = true;
    m_ws.text(true);
    m_ws.async_write(net::buffer(*m_out.front()), beast::bind_front_handler(&WsSession::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, size_t) {
    m_writing = false;
    uncount(m_out.front()->size());
    m_out.pop_front();
    if (ec) {
      hard_close();
      return;
    }
    if (!m_out.empty()) do_write();
    if (m_read_paused && !m_closed && !over_half()) {
      m_read_paused = false;
      do_read();
    }
  }

  // Strand. The connection is over: no more messages, subscriptions gone.
  void finish() {
    m_closed = true;
    m_closed_flag.store(true);
    release_subscriptions();
    const size_t keep = m_writing ? 1 : 0;  // on_write uncounts the one in flight
    for (size_t i = keep; i < m_out.size(); ++i) uncount(m_out[i]->size());
    m_out.erase(m_out.begin() + static_cast<std::ptrdiff_t>(keep), m_out.end());
  }

  // Strand. Drops the TCP connection without a closing handshake.
  void hard_close() {
    finish();
    beast::error_code ec;
    beast::get_lowest_layer(m_ws).socket().close(ec);
  }

  void release_subscriptions() {
    if (m_subscriptions.empty()) return;
    std::vector<std::pair<std::string, std::string>> id_kinds(m_subscriptions.begin(), m_subscriptions.end());
    m_subscriptions.clear();
    m_server.remove_subscriptions(id_kinds);
  }

  ServerImpl& m_server;
  websocket::stream<beast::tcp_stream> m_ws;
  ConnectionSlot m_slot;
  const uint64_t m_id;
  http::request<http::string_body> m_request;
  beast::flat_buffer m_buffer;

  // Strand-only state.
  std::deque<std::shared_ptr<const std::string>> m_out;  ///< front is being written when m_writing
  bool m_writing = false;
  bool m_read_paused = false;
  bool m_closed = false;
  std::map<std::string, std::string> m_subscriptions;  ///< id -> kind

  // Shared with publishing threads.
  std::atomic<size_t> m_queued_messages{0};
  std::atomic<size_t> m_queued_bytes{0};
  std::atomic<bool> m_closed_flag{false};
  std::atomic<bool> m_overflowed{false};
};

void start_ws_session(ServerImpl& server, beast::tcp_stream stream, ConnectionSlot slot, uint64_t connection_id,
                      http::request<http::string_body> request) {
  std::make_shared<WsSession>(server, std::move(stream), std::move(slot), connection_id)->run(std::move(request));
}

bool ws_push(const std::shared_ptr<WsSession>& session, const std::string& subscription_id,
             std::shared_ptr<const std::string> message) {
  return session->push(subscription_id, std::move(message));
}
size_t ws_subscription_count(WsSession& session) { return session.subscription_count(); }
void ws_add_subscription(WsSession& session, const std::string& id, const std::string& kind) {
  session.add_subscription(id, kind);
}
bool ws_remove_subscription(WsSession& session, const std::string& id, std::string* kind) {
  return session.remove_subscription(id, kind);
}
std::weak_ptr<WsSession> ws_weak(WsSession& session) { return session.weak_from_this(); }

}  // namespace ward::rpc::detail
