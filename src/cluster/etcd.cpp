// ward/cluster/etcd.cpp — etcd v3 JSON-gateway client (etcd.h).
#include "cluster/etcd.h"

#include <limits>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sodium.h>

#include "rpc/http_connection.h"
#include "state/kv_store.h"

namespace ward::cluster {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

struct Url {
  std::string host, port;
};

Result<Url> split_url(const std::string& url) {
  auto u = rpc::parse_http_url(url);
  if (!u) return u.error();
  if (u.value().target != "/") return make_error("'" + url + "' must be http://HOST:PORT");
  return Url{u.value().host, u.value().port};
}

int64_t num(const nlohmann::json& j, const char* field) {
  if (!j.contains(field)) return 0;
  const auto& v = j[field];
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    try {
      return std::stoll(v.get<std::string>());
    } catch (...) {
      return 0;
    }
  }
  return 0;
}

Result<KeyValue> decode_kv(const nlohmann::json& j) {
  KeyValue kv;
  auto k = base64_decode(j.value("key", std::string()));
  if (!k) return make_error("etcd: undecodable key in an answer");
  kv.key = std::move(k.value());
  auto v = base64_decode(j.value("value", std::string()));
  if (!v) return make_error("etcd: undecodable value of key '" + kv.key + "'");
  kv.value = std::move(v.value());
  kv.create_revision = num(j, "create_revision");
  kv.mod_revision = num(j, "mod_revision");
  kv.version = num(j, "version");
  kv.lease = num(j, "lease");
  return kv;
}

/// etcd's error answer: {"error": "...", "code": N, "message": "..."}.
std::string etcd_error(const nlohmann::json& j) {
  if (j.contains("message") && j["message"].is_string()) return j["message"].get<std::string>();
  if (j.contains("error") && j["error"].is_string()) return j["error"].get<std::string>();
  return j.dump().substr(0, 200);
}

}  // namespace

std::string base64_encode(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

Result<std::string> base64_decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(), text.size(), nullptr,
                        &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return make_error("invalid base64");
  }
  out.resize(len);
  return out;
}

Result<std::vector<std::string>> parse_endpoints(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string one = list.substr(start, comma - start);
    while (!one.empty() && one.back() == '/') one.pop_back();
    if (one.empty()) return make_error("--etcd: empty endpoint in '" + list + "' (expected http://HOST:PORT[,...])");
    if (auto u = split_url(one); !u) return make_error("--etcd: endpoint " + u.error().message);
    out.push_back(one);
    start = comma + 1;
  }
  return out;
}

std::string prefix_end(const std::string& prefix) {
  std::string end = state::prefix_end(prefix);
  if (end.empty()) return std::string(1, '\0');  // etcd's range_end for "every key"
  return end;
}

nlohmann::json compare_create(const std::string& key, int64_t rev) {
  return {{"key", base64_encode(key)}, {"target", "CREATE"}, {"result", "EQUAL"}, {"create_revision", std::to_string(rev)}};
}
nlohmann::json compare_version(const std::string& key, int64_t version) {
  return {{"key", base64_encode(key)}, {"target", "VERSION"}, {"result", "EQUAL"}, {"version", std::to_string(version)}};
}
nlohmann::json compare_value(const std::string& key, const std::string& value) {
  return {{"key", base64_encode(key)}, {"target", "VALUE"}, {"result", "EQUAL"}, {"value", base64_encode(value)}};
}
nlohmann::json op_put(const std::string& key, const std::string& value, int64_t lease) {
  nlohmann::json p = {{"key", base64_encode(key)}, {"value", base64_encode(value)}};
  if (lease != 0) p["lease"] = std::to_string(lease);
  return {{"request_put", p}};
}
nlohmann::json op_delete(const std::string& key, const std::string& range_end) {
  nlohmann::json p = {{"key", base64_encode(key)}};
  if (!range_end.empty()) p["range_end"] = base64_encode(range_end);
  return {{"request_delete_range", p}};
}
nlohmann::json op_range(const std::string& key) { return {{"request_range", {{"key", base64_encode(key)}}}}; }

// --- Etcd ---------------------------------------------------------------------

struct Etcd::Impl {
  std::vector<std::string> endpoints;
  size_t current = 0;
  uint32_t timeout_ms = 3000;
  std::unique_ptr<rpc::HttpConnection> conn;  ///< to endpoints[conn_for]
  size_t conn_for = 0;
};

Etcd::Etcd(std::vector<std::string> endpoints, uint32_t timeout_ms) : m_impl(std::make_unique<Impl>()) {
  m_impl->endpoints = std::move(endpoints);
  m_impl->timeout_ms = timeout_ms;
}

Etcd::~Etcd() = default;

const std::string& Etcd::endpoint() const { return m_impl->endpoints[m_impl->current]; }

Result<nlohmann::json> Etcd::post(const std::string& path, const nlohmann::json& body) {
  Impl& s = *m_impl;
  if (s.endpoints.empty()) return make_error("etcd: no endpoint");
  std::string failures;
  const std::string text = body.dump();
  // Each endpoint once; the current one may get a second try on a fresh
  // connection when a kept-alive one was closed by the server.
  for (size_t tried = 0; tried < s.endpoints.size(); ++tried) {
    const std::string& url = s.endpoints[s.current];
    auto u = split_url(url);
    if (!u) return make_error("etcd: " + u.error().message);
    if (!s.conn || s.conn_for != s.current) {
      s.conn = std::make_unique<rpc::HttpConnection>(u.value().host, u.value().port, s.timeout_ms, 64ull << 20);
      s.conn_for = s.current;
    }
    try {
      auto res = s.conn->post(path, text);
      auto j = nlohmann::json::parse(res.body, nullptr, false);
      if (j.is_discarded() || !j.is_object()) {
        return make_error("etcd at " + url + ": malformed answer to " + path + " (HTTP " +
                          std::to_string(res.status) + "): " + res.body.substr(0, 200));
      }
      if (res.status != 200 || j.contains("error")) {
        return make_error("etcd at " + url + ": " + path + ": " + etcd_error(j));
      }
      return j;
    } catch (const std::exception& e) {
      failures += (failures.empty() ? "" : "; ") + url + ": " + e.what();
    }
    s.current = (s.current + 1) % s.endpoints.size();
  }
  return make_error("etcd: no endpoint answered (" + failures + ")");
}

Result<RangeResult> Etcd::range(const std::string& key, const std::string& range_end, int64_t limit) {
  nlohmann::json body = {{"key", base64_encode(key)}};
  if (!range_end.empty()) body["range_end"] = base64_encode(range_end);
  if (limit > 0) body["limit"] = std::to_string(limit);
  auto j = post("/v3/kv/range", body);
  if (!j) return j.error();
  RangeResult out;
  out.revision = j.value().contains("header") ? num(j.value()["header"], "revision") : 0;
  out.more = j.value().value("more", false);
  if (j.value().contains("kvs")) {
    for (const auto& kv : j.value()["kvs"]) {
      auto d = decode_kv(kv);
      if (!d) return d.error();
      out.kvs.push_back(std::move(d.value()));
    }
  }
  return out;
}

Result<int64_t> Etcd::put(const std::string& key, const std::string& value, int64_t lease) {
  nlohmann::json body = op_put(key, value, lease)["request_put"];
  auto j = post("/v3/kv/put", body);
  if (!j) return j.error();
  return j.value().contains("header") ? num(j.value()["header"], "revision") : 0;
}

Result<int64_t> Etcd::del(const std::string& key, const std::string& range_end) {
  nlohmann::json body = op_delete(key, range_end)["request_delete_range"];
  auto j = post("/v3/kv/deleterange", body);
  if (!j) return j.error();
  return num(j.value(), "deleted");
}

Result<TxnResult> Etcd::txn(const nlohmann::json& compares, const nlohmann::json& success, const nlohmann::json& failure) {
  nlohmann::json body = {{"compare", compares}, {"success", success}, {"failure", failure}};
  auto j = post("/v3/kv/txn", body);
  if (!j) return j.error();
  TxnResult out;
  out.revision = j.value().contains("header") ? num(j.value()["header"], "revision") : 0;
  out.succeeded = j.value().value("succeeded", false);
  out.responses = j.value().value("responses", nlohmann::json::array());
  return out;
}

Result<int64_t> Etcd::lease_grant(int64_t ttl_s) {
  auto j = post("/v3/lease/grant", {{"TTL", std::to_string(ttl_s)}});
  if (!j) return j.error();
  const int64_t id = num(j.value(), "ID");
  if (id == 0) return make_error("etcd: lease grant answered without a lease id");
  return id;
}

Result<int64_t> Etcd::lease_keepalive(int64_t id) {
  auto j = post("/v3/lease/keepalive", {{"ID", std::to_string(id)}});
  if (!j) return j.error();
  // The gateway streams: {"result": {...,"TTL": "5"}}; an expired lease has no TTL.
  const nlohmann::json& r = j.value().contains("result") ? j.value()["result"] : j.value();
  return num(r, "TTL");
}

Result<void> Etcd::lease_revoke(int64_t id) {
  auto j = post("/v3/lease/revoke", {{"ID", std::to_string(id)}});
  if (!j) return j.error();
  return {};
}

// --- Watch --------------------------------------------------------------------

struct Watch::Impl {
  std::vector<std::string> endpoints;
  std::string key, range_end;
  int64_t start_revision = 0;
  asio::io_context io;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::string_body>> parser;
  size_t consumed = 0;  ///< body bytes already returned as messages
  bool closed = false;
  size_t endpoint = 0;
};

Watch::Watch(std::vector<std::string> endpoints, std::string key, std::string range_end, int64_t start_revision)
    : m_impl(std::make_unique<Impl>()) {
  m_impl->endpoints = std::move(endpoints);
  m_impl->key = std::move(key);
  m_impl->range_end = std::move(range_end);
  m_impl->start_revision = start_revision;
}

Watch::~Watch() {
  if (m_impl->stream) {
    beast::error_code ec;
    m_impl->stream->socket().shutdown(tcp::socket::shutdown_both, ec);
  }
}

Result<WatchBatch> Watch::next(uint32_t wait_ms) {
  Impl& s = *m_impl;
  if (s.closed) return make_error("etcd watch: closed (create a new watch)");
  std::string failures;
  if (!s.stream) {
    // Connect and send the create request, trying each endpoint once.
    for (size_t tried = 0; tried < s.endpoints.size() && !s.stream; ++tried) {
      const std::string& url = s.endpoints[(s.endpoint + tried) % s.endpoints.size()];
      auto u = split_url(url);
      if (!u) return make_error("etcd watch: " + u.error().message);
      try {
        tcp::resolver resolver(s.io);
        auto results = resolver.resolve(u.value().host, u.value().port);
        s.stream.emplace(s.io);
        s.stream->expires_after(std::chrono::milliseconds(3000));
        s.stream->connect(results);
        nlohmann::json create = {{"key", base64_encode(s.key)}, {"start_revision", std::to_string(s.start_revision)}};
        if (!s.range_end.empty()) create["range_end"] = base64_encode(s.range_end);
        http::request<http::string_body> req{http::verb::post, "/v3/watch", 11};
        req.set(http::field::host, u.value().host);
        req.set(http::field::content_type, "application/json");
        req.body() = nlohmann::json{{"create_request", create}}.dump();
        req.prepare_payload();
        http::write(*s.stream, req);
        s.parser.emplace();
        s.parser->body_limit(std::numeric_limits<uint64_t>::max());
        s.stream->expires_after(std::chrono::milliseconds(3000));
        http::read_header(*s.stream, s.buffer, *s.parser);
        if (s.parser->get().result() != http::status::ok) {
          s.closed = true;
          return make_error("etcd watch at " + url + ": HTTP " + std::to_string(s.parser->get().result_int()));
        }
      } catch (const std::exception& e) {
        s.stream.reset();
        failures += (failures.empty() ? "" : "; ") + url + ": " + e.what();
      }
    }
    if (!s.stream) {
      s.closed = true;
      return make_error("etcd watch: no endpoint answered (" + failures + ")");
    }
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(wait_ms);
  while (true) {
    std::string& body = s.parser->get().body();
    const size_t nl = body.find('\n', s.consumed);
    if (nl != std::string::npos) {
      const std::string line = body.substr(s.consumed, nl - s.consumed);
      s.consumed = nl + 1;
      if (s.consumed > (1u << 20)) {  // keep the buffered body small
        body.erase(0, s.consumed);
        s.consumed = 0;
      }
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (j.is_discarded() || !j.is_object()) return make_error("etcd watch: malformed message: " + line.substr(0, 200));
      if (j.contains("error")) {
        s.closed = true;
        return make_error("etcd watch: " + etcd_error(j["error"].is_object() ? j["error"] : j));
      }
      const nlohmann::json& r = j.contains("result") ? j["result"] : j;
      WatchBatch out;
      out.revision = r.contains("header") ? num(r["header"], "revision") : 0;
      out.compact_revision = num(r, "compact_revision");
      if (r.value("canceled", false)) {
        s.closed = true;
        if (out.compact_revision == 0) {
          return make_error("etcd watch: cancelled: " + r.value("cancel_reason", std::string("no reason given")));
        }
        return out;
      }
      if (r.contains("events")) {
        for (const auto& e : r["events"]) {
          WatchEvent ev;
          ev.is_delete = e.value("type", std::string()) == "DELETE";
          auto kv = decode_kv(e["kv"]);
          if (!kv) return kv.error();
          ev.kv = std::move(kv.value());
          out.events.push_back(std::move(ev));
        }
      }
      return out;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline || s.parser->is_done()) {
      s.closed = true;
      s.stream.reset();
      WatchBatch out;
      out.timed_out = true;
      return out;
    }
    s.stream->expires_after(deadline - now);
    beast::error_code ec;
    http::read_some(*s.stream, s.buffer, *s.parser, ec);
    if (ec == beast::error::timeout) {
      s.closed = true;
      s.stream.reset();
      WatchBatch out;
      out.timed_out = true;
      return out;
    }
    if (ec) {
      s.closed = true;
      s.stream.reset();
      return make_error("etcd watch: " + ec.message());
    }
  }
}

}  // namespace ward::cluster
