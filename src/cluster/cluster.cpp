// ward/cluster/cluster.cpp — leader election, block ordering on etcd and
// following (cluster.h).
#include "cluster/cluster.h"

#include <algorithm>
#include <cstdio>

#include "rpc/client.h"
#include "state/layout.h"

namespace ward::cluster {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

std::string hex(std::string_view s) {
  return state::hex_encode({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

std::string hash_hex(const chain::Hash& h) { return state::hex_encode(h); }

constexpr size_t kSignedHeaderBytes = node::kHeaderBytes + 32 + 64;

/// "<height>:<hash hex>" of the tip key.
std::string tip_value(uint64_t height, const chain::Hash& hash) { return std::to_string(height) + ":" + hash_hex(hash); }

std::optional<uint64_t> tip_height(const std::string& value) {
  const size_t colon = value.find(':');
  if (colon == 0 || colon == std::string::npos) return std::nullopt;
  try {
    return std::stoull(value.substr(0, colon));
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

std::string ordered_block_key(const std::string& chain, uint64_t height) {
  char digits[24];
  std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(height));
  return "ward/" + chain + "/blocks/" + digits;
}

Result<std::vector<std::string>> cluster_peers(Etcd& etcd, const std::string& chain, const std::string& self,
                                               const std::string& leader) {
  const std::string prefix = "ward/" + chain + "/members/";
  auto r = etcd.range(prefix, prefix_end(prefix));
  if (!r) return r.error();
  std::vector<std::string> out;
  for (const auto& kv : r.value().kvs) {
    if (kv.value.empty() || kv.value == self) continue;
    if (kv.value == leader) out.insert(out.begin(), kv.value);
    else out.push_back(kv.value);
  }
  return out;
}

size_t block_overhead(size_t tx_count) { return kSignedHeaderBytes + 4 + 4 * tx_count; }

std::string encode_block(const node::SignedHeader& header, const std::vector<std::string>& txs) {
  std::string out = node::encode_signed_header(header);
  out += state::encode_u32(static_cast<uint32_t>(txs.size()));
  for (const auto& t : txs) {
    out += state::encode_u32(static_cast<uint32_t>(t.size()));
    out += t;
  }
  return out;
}

Result<std::pair<node::SignedHeader, std::vector<std::string>>> decode_block(std::string_view bytes) {
  if (bytes.size() < kSignedHeaderBytes + 4) {
    return make_error("ordered block: " + std::to_string(bytes.size()) + " bytes, fewer than a header and a count");
  }
  auto sh = node::decode_signed_header(bytes.substr(0, kSignedHeaderBytes));
  if (!sh) return make_error("ordered block: " + sh.error().message);
  size_t at = kSignedHeaderBytes;
  const uint32_t n = *state::decode_u32(bytes.substr(at, 4));
  at += 4;
  std::vector<std::string> txs;
  for (uint32_t i = 0; i < n; ++i) {
    if (bytes.size() - at < 4) return make_error("ordered block: transaction " + std::to_string(i) + " truncated");
    const uint32_t len = *state::decode_u32(bytes.substr(at, 4));
    at += 4;
    if (bytes.size() - at < len) return make_error("ordered block: transaction " + std::to_string(i) + " truncated");
    txs.emplace_back(bytes.substr(at, len));
    at += len;
  }
  if (at != bytes.size()) return make_error("ordered block: " + std::to_string(bytes.size() - at) + " trailing bytes");
  return std::make_pair(sh.value(), std::move(txs));
}

ClusterNode::ClusterNode(node::NodeService& service, ClusterOptions options)
    : m_service(service),
      m_chain(service.chain()),
      m_options(std::move(options)),
      m_etcd(m_options.endpoints),
      m_order(m_options.endpoints) {}

ClusterNode::~ClusterNode() { stop(); }

void ClusterNode::log(const std::string& line) {
  if (m_options.log) m_options.log("cluster: " + line);
}

std::string ClusterNode::key(const std::string& suffix) const { return "ward/" + m_options.chain + "/" + suffix; }

std::string ClusterNode::block_key(uint64_t height) const { return ordered_block_key(m_options.chain, height); }

bool ClusterNode::sleep_for(std::chrono::milliseconds d) {
  std::unique_lock lock(m_mutex);
  m_wake.wait_for(lock, d, [&] { return m_stop.load(); });
  return !m_stop;
}

Result<void> ClusterNode::check_genesis(const std::string& mine) {
  auto t = m_etcd.txn(nlohmann::json::array({compare_version(key("genesis"), 0)}),
                      nlohmann::json::array({op_put(key("genesis"), mine)}),
                      nlohmann::json::array({op_range(key("genesis"))}));
  if (!t) return make_error("cannot reach etcd: " + t.error().message);
  if (!t.value().succeeded) {
    auto g = m_etcd.range(key("genesis"));
    if (!g) return make_error("cannot reach etcd: " + g.error().message);
    if (g.value().kvs.empty() || g.value().kvs[0].value != mine) {
      return make_error("this node's genesis block " + mine + " is not chain '" + m_options.chain +
                        "''s genesis block in etcd (" + (g.value().kvs.empty() ? "none" : g.value().kvs[0].value) +
                        "): start every node from the same genesis file");
    }
  } else {
    log("recorded genesis " + mine + " for chain '" + m_options.chain + "'");
  }
  auto tip = m_etcd.range(key("tip"));
  if (!tip) return make_error("cannot reach etcd: " + tip.error().message);
  if (!tip.value().kvs.empty()) {
    if (auto h = tip_height(tip.value().kvs[0].value)) m_tip = *h;
  }
  return {};
}

Result<void> ClusterNode::start() {
  if (m_options.chain != m_chain.genesis().chain_id) {
    return make_error("--chain '" + m_options.chain + "' is not the chain id of this node's genesis ('" +
                      m_chain.genesis().chain_id + "')");
  }
  const std::string mine = hash_hex(m_chain.genesis_hash());
  // etcd may be electing a leader or restarting a member right now: a
  // failed request is retried for start_timeout_s before start() gives up.
  const auto deadline = Clock::now() + std::chrono::seconds(m_options.start_timeout_s);
  for (int attempt = 1;; ++attempt) {
    auto checked = check_genesis(mine);
    if (checked) break;
    if (checked.error().message.rfind("cannot reach etcd: ", 0) != 0 || Clock::now() >= deadline) return checked;
    if (attempt == 1) log("etcd not ready (" + checked.error().message + "); retrying");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  {
    std::lock_guard lock(m_mutex);
    m_stop = false;
  }
  m_follower = std::thread([this] { follower_loop(); });
  m_election = std::thread([this] { election_loop(); });
  return {};
}

void ClusterNode::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  if (m_election.joinable()) m_election.join();
  if (m_follower.joinable()) m_follower.join();
}

bool ClusterNode::may_produce() {
  if (m_halted.load()) return false;
  {
    std::lock_guard lock(m_state_mutex);
    if (!m_leader || Clock::now() >= m_lease_fresh_until) return false;
  }
  return m_chain.head().height == m_tip.load();
}

Result<bool> ClusterNode::before_commit(const node::BlockResult& block) {
  std::lock_guard order_lock(m_order_mutex);
  const node::BlockHeader& h = block.header.header;
  int64_t rev = 0;
  {
    std::lock_guard lock(m_state_mutex);
    if (!m_leader || Clock::now() >= m_lease_fresh_until) return false;
    rev = m_leader_rev;
  }
  const std::string value = encode_block(block.header, block.txs);
  if (value.size() > m_options.max_block_bytes) {
    return make_error("block " + std::to_string(h.height) + " encodes to " + std::to_string(value.size()) +
                      " bytes, above the cluster limit of " + std::to_string(m_options.max_block_bytes));
  }
  nlohmann::json compares = nlohmann::json::array({compare_create(key("leader"), rev),
                                                   compare_version(block_key(h.height), 0)});
  compares.push_back(h.height == 1 ? compare_version(key("tip"), 0)
                                   : compare_value(key("tip"), tip_value(h.height - 1, h.parent_hash)));
  nlohmann::json ops = nlohmann::json::array({op_put(block_key(h.height), value),
                                              op_put(key("tip"), tip_value(h.height, block.hash))});
  if (h.height > m_options.block_window) ops.push_back(op_delete(block_key(h.height - m_options.block_window)));
  auto t = m_order.txn(compares, ops, nlohmann::json::array({op_range(key("leader"))}));
  if (!t) {
    // Unknown outcome: if etcd did order it, the follower applies it from there.
    log("block " + std::to_string(h.height) + " not ordered: " + t.error().message);
    return false;
  }
  if (!t.value().succeeded) {
    // Which compare failed? The leader key tells whether we still lead (then
    // this node is behind the ordered tip and catches up first).
    int64_t holder = 0;
    try {
      const auto& kvs = t.value().responses.at(0).at("response_range").at("kvs");
      if (!kvs.empty()) holder = std::stoll(kvs.at(0).value("create_revision", std::string("0")));
    } catch (...) {
    }
    if (holder == rev) {
      log("block " + std::to_string(h.height) + " not ordered: the ordered tip is past this node's head; catching up");
    } else {
      log("block " + std::to_string(h.height) + " not ordered: fenced (this node no longer leads)");
      std::lock_guard lock(m_state_mutex);
      m_leader = false;
    }
    return false;
  }
  uint64_t seen = m_tip.load();
  while (seen < h.height && !m_tip.compare_exchange_weak(seen, h.height)) {
  }
  return true;
}

Result<std::optional<std::string>> ClusterNode::forward_url() {
  std::lock_guard lock(m_state_mutex);
  if (m_leader) return std::optional<std::string>{};
  if (m_leader_url.empty() || m_leader_url == m_options.self_url) {
    return make_error("no leader elected yet in chain '" + m_options.chain + "'; retry in a few seconds");
  }
  return std::optional<std::string>{m_leader_url};
}

nlohmann::json ClusterNode::info() {
  const uint64_t head = m_chain.head().height;
  const uint64_t tip = std::max(m_tip.load(), head);
  std::lock_guard lock(m_state_mutex);
  nlohmann::ordered_json j = {{"chain", m_options.chain},
                              {"role", m_leader ? "leader" : "follower"},
                              {"leader", m_leader ? nlohmann::json(m_options.self_url)
                                                  : m_leader_url.empty() ? nlohmann::json(nullptr)
                                                                         : nlohmann::json(m_leader_url)},
                              {"leader_height", tip},
                              {"behind", tip - head},
                              {"state_sync_base", m_chain.base_height()}};
  return j;
}

void ClusterNode::election_loop() {
  const auto ttl = std::chrono::seconds(m_options.lease_ttl_s);
  // The local view of the lease ends a second before etcd's does.
  const auto fresh = ttl - 1s;
  Clock::time_point next_keepalive{};
  std::string last_error;
  auto report = [&](const std::string& e) {
    if (e != last_error) log(e);
    last_error = e;
  };
  Clock::time_point next_member{};
  while (!m_stop && !m_halted.load()) {
    keep_membership(next_member);
    bool leader;
    {
      std::lock_guard lock(m_state_mutex);
      leader = m_leader;
    }
    if (leader) {
      const auto now = Clock::now();
      if (now >= next_keepalive) {
        int64_t lease;
        {
          std::lock_guard lock(m_state_mutex);
          lease = m_lease;
        }
        auto k = m_etcd.lease_keepalive(lease);
        if (k && k.value() > 0) {
          std::lock_guard lock(m_state_mutex);
          m_lease_fresh_until = now + fresh;
          next_keepalive = now + ttl / 3;
          last_error.clear();
        } else if (k) {
          std::lock_guard lock(m_state_mutex);
          m_leader = false;
          log("leadership lost: the lease expired");
          continue;
        } else {
          report("lease keep-alive failed: " + k.error().message);
        }
        // Still our key? (A lease that lapsed and a new leader took over.)
        auto l = m_etcd.range(key("leader"));
        if (l && (l.value().kvs.empty() || l.value().kvs[0].create_revision != m_leader_rev)) {
          std::lock_guard lock(m_state_mutex);
          m_leader = false;
          log("leadership lost: the leader key is no longer ours");
          continue;
        }
      }
      {
        std::lock_guard lock(m_state_mutex);
        if (Clock::now() >= m_lease_fresh_until) {
          m_leader = false;
          log("leadership lost: no keep-alive answered within the lease");
          continue;
        }
      }
    } else {
      auto l = m_etcd.range(key("leader"));
      if (!l) {
        report("cannot read the leader: " + l.error().message);
      } else if (!l.value().kvs.empty()) {
        std::lock_guard lock(m_state_mutex);
        if (m_leader_url != l.value().kvs[0].value) log("leader is " + l.value().kvs[0].value);
        m_leader_url = l.value().kvs[0].value;
      } else {
        auto lease = m_etcd.lease_grant(m_options.lease_ttl_s);
        const auto granted = Clock::now();
        if (!lease) {
          report("cannot campaign: " + lease.error().message);
        } else {
          auto t = m_etcd.txn(nlohmann::json::array({compare_create(key("leader"), 0)}),
                              nlohmann::json::array({op_put(key("leader"), m_options.self_url, lease.value())}));
          if (t && t.value().succeeded) {
            // Our blocks build on the ordered tip: learn it before producing.
            auto tip = m_etcd.range(key("tip"));
            if (tip && !tip.value().kvs.empty()) {
              if (auto h = tip_height(tip.value().kvs[0].value)) {
                uint64_t seen = m_tip.load();
                while (seen < *h && !m_tip.compare_exchange_weak(seen, *h)) {
                }
              }
            }
            std::lock_guard lock(m_state_mutex);
            m_leader = true;
            m_leader_rev = t.value().revision;
            m_lease = lease.value();
            m_lease_fresh_until = granted + fresh;
            m_leader_url = m_options.self_url;
            next_keepalive = granted + ttl / 3;
            log("leading chain '" + m_options.chain + "' (lease " + std::to_string(lease.value()) + ", revision " +
                std::to_string(m_leader_rev) + ", ordered tip " + std::to_string(m_tip.load()) + ")");
          } else {
            (void)m_etcd.lease_revoke(lease.value());
            if (!t) report("cannot campaign: " + t.error().message);
          }
        }
      }
      forward_mempool();
    }
    sleep_for(200ms);
  }
  if (m_member_lease != 0) {
    (void)m_etcd.lease_revoke(m_member_lease);
    m_member_lease = 0;
  }
  std::lock_guard lock(m_state_mutex);
  if (m_leader) {
    m_leader = false;
    if (auto r = m_etcd.lease_revoke(m_lease); r) log("resigned: lease revoked");
  }
}

void ClusterNode::keep_membership(Clock::time_point& next) {
  constexpr int64_t kMemberTtl = 10;
  const auto now = Clock::now();
  if (now < next) return;
  next = now + 3s;
  if (m_member_lease != 0) {
    auto k = m_etcd.lease_keepalive(m_member_lease);
    if (k && k.value() > 0) return;
    if (!k) return;  // etcd unreachable: try again later with the same lease
    m_member_lease = 0;  // expired: register again
  }
  auto lease = m_etcd.lease_grant(kMemberTtl);
  if (!lease) return;
  if (auto p = m_etcd.put(key("members/") + m_options.self_url, m_options.self_url, lease.value()); !p) {
    (void)m_etcd.lease_revoke(lease.value());
    return;
  }
  m_member_lease = lease.value();
  log("member " + m_options.self_url + " registered (lease " + std::to_string(lease.value()) + ")");
}

void ClusterNode::forward_mempool() {
  if (m_service.mempool().size() == 0) return;
  std::string url;
  {
    std::lock_guard lock(m_state_mutex);
    if (m_leader || m_leader_url.empty() || m_leader_url == m_options.self_url) return;
    url = m_leader_url;
  }
  auto txs = m_service.mempool().select(100'000);
  if (!txs) return;
  std::vector<chain::Hash> sent;
  try {
    rpc::Client client(url, 5000);
    for (const auto& t : txs.value()) {
      try {
        client.call("ward_sendTransaction", nlohmann::json{{"tx", "0x" + hex(t.stored)}});
      } catch (const rpc::ClientError&) {
        // Refused by the leader (a duplicate, a nonce taken): nothing to keep.
      }
      sent.push_back(t.hash);
    }
  } catch (const std::exception& e) {
    log("cannot forward waiting transactions to " + url + ": " + e.what());
  }
  m_service.mempool().remove(sent);
  if (!sent.empty()) log("forwarded " + std::to_string(sent.size()) + " waiting transactions to the leader " + url);
}

Result<void> ClusterNode::take_block(const KeyValue& kv) {
  const std::string prefix = key("blocks/");
  if (kv.key.compare(0, prefix.size(), prefix) != 0) return make_error("unexpected key " + kv.key);
  uint64_t height = 0;
  try {
    height = std::stoull(kv.key.substr(prefix.size()));
  } catch (...) {
    return make_error("unexpected key " + kv.key);
  }
  auto decoded = decode_block(kv.value);
  if (!decoded) return make_error("block " + std::to_string(height) + " in etcd: " + decoded.error().message);
  const node::SignedHeader& sh = decoded.value().first;
  if (sh.header.height != height) {
    return make_error("block under " + kv.key + " has height " + std::to_string(sh.header.height));
  }
  uint64_t seen = m_tip.load();
  while (seen < height && !m_tip.compare_exchange_weak(seen, height)) {
  }
  const node::Head head = m_chain.head();
  if (height < m_chain.base_height()) return {};  // before this node's state-sync base: nothing to compare with
  if (height <= head.height) {
    auto mine = m_chain.header_at(height);
    if (!mine) return mine.error();
    if (!mine.value() || node::block_hash(mine.value()->header) != node::block_hash(sh.header)) {
      const std::string why = "block " + std::to_string(height) + " in etcd (" +
                              chain::format_hash(node::block_hash(sh.header)) + ") differs from this node's (" +
                              (mine.value() ? chain::format_hash(node::block_hash(mine.value()->header)) : "none") +
                              "): diverged";
      m_halted = true;
      m_service.halt(why);
      return make_error(why);
    }
    return {};
  }
  if (height > head.height + 1) return make_error("gap");
  auto applied = m_chain.apply_block(sh, decoded.value().second);
  if (!applied) {
    const std::string& m = applied.error().message;
    if (m.find("does not extend the head") != std::string::npos) {
      // Raced with this node's own commit of the block (a leader): check it.
      if (m_chain.head().height >= height) return take_block(kv);
      return applied.error();  // read again from the head
    }
    m_halted = true;
    m_service.halt(m);
    return applied.error();
  }
  m_service.block_applied(applied.value());
  return {};
}

Result<void> ClusterNode::fetch_from_peer(Etcd& etcd, uint64_t from, uint64_t to) {
  std::string leader;
  {
    std::lock_guard lock(m_state_mutex);
    leader = m_leader_url;
  }
  auto peers = cluster_peers(etcd, m_options.chain, m_options.self_url, leader);
  if (!peers) return peers.error();
  if (!leader.empty() && leader != m_options.self_url &&
      std::find(peers.value().begin(), peers.value().end(), leader) == peers.value().end()) {
    peers.value().insert(peers.value().begin(), leader);
  }
  if (peers.value().empty()) {
    return make_error("blocks " + std::to_string(from) + ".." + std::to_string(to) +
                      " are gone from etcd and no peer is known to fetch them from");
  }
  std::string errors;
  for (const auto& url : peers.value()) {
    const uint64_t next = std::max(from, m_chain.head().height + 1);
    if (next > to || m_stop) return {};
    auto r = fetch_blocks(url, next, to);
    if (r) return {};
    log("fetching blocks from " + url + " failed: " + r.error().message + "; trying the next peer");
    errors += (errors.empty() ? "" : "; ") + r.error().message;
    if (m_halted.load()) return r;
  }
  return make_error("no peer could give blocks " + std::to_string(from) + ".." + std::to_string(to) + ": " + errors);
}

Result<void> ClusterNode::fetch_blocks(const std::string& url, uint64_t from, uint64_t to) {
  const auto started = Clock::now();
  try {
    rpc::Client client(url, 10'000);
    for (uint64_t h = from; h <= to && !m_stop; ++h) {
      auto j = client.call("ward_getBlock", nlohmann::json{{"block", h}, {"raw", true}});
      if (j.is_null()) return make_error("peer " + url + " has no block " + std::to_string(h));
      auto header = state::hex_decode(j.value("raw_header", std::string("0x")).substr(2));
      if (!header) return make_error("peer " + url + ": block " + std::to_string(h) + " without raw_header");
      auto sh = node::decode_signed_header(*header);
      if (!sh) return make_error("peer " + url + ": block " + std::to_string(h) + ": " + sh.error().message);
      std::vector<std::string> txs;
      for (const auto& t : j.value("raw_transactions", nlohmann::json::array())) {
        auto b = state::hex_decode(t.get<std::string>().substr(2));
        if (!b) return make_error("peer " + url + ": block " + std::to_string(h) + ": malformed raw transaction");
        txs.push_back(std::move(*b));
      }
      KeyValue kv;
      kv.key = block_key(h);
      kv.value = encode_block(sh.value(), txs);
      if (auto r = take_block(kv); !r) return r;
    }
  } catch (const std::exception& e) {
    return make_error("cannot fetch blocks from " + url + ": " + e.what());
  }
  const double s = std::chrono::duration<double>(Clock::now() - started).count();
  log("fetched blocks " + std::to_string(from) + ".." + std::to_string(to) + " from " + url + " in " +
      std::to_string(s) + " s");
  return {};
}

Result<bool> ClusterNode::catch_up(Etcd& etcd, int64_t& revision) {
  bool any = false;
  const std::string end = prefix_end(key("blocks/"));
  while (!m_stop && !m_halted.load()) {
    const uint64_t head = m_chain.head().height;
    auto r = etcd.range(block_key(head + 1), end, 64);
    if (!r) return r.error();
    revision = r.value().revision;
    if (r.value().kvs.empty()) {
      // Nothing after the head in etcd; is the tip further (blocks deleted)?
      auto tip = etcd.range(key("tip"));
      if (!tip) return tip.error();
      uint64_t t = 0;
      if (!tip.value().kvs.empty()) t = tip_height(tip.value().kvs[0].value).value_or(0);
      // The tip and its block are written in one transaction: a tip our
      // blocks read already saw, with no block after the head, means the
      // window deleted them.
      if (t > head && tip.value().kvs[0].mod_revision <= revision) {
        if (auto f = fetch_from_peer(etcd, head + 1, t); !f) return f.error();
        any = true;
        continue;
      }
      return any;
    }
    const uint64_t first = std::stoull(r.value().kvs[0].key.substr(key("blocks/").size()));
    if (first > head + 1) {
      if (auto f = fetch_from_peer(etcd, head + 1, first - 1); !f) return f.error();
      any = true;
      continue;
    }
    for (const auto& kv : r.value().kvs) {
      if (auto t = take_block(kv); !t) return t.error();
      any = true;
    }
  }
  return any;
}

void ClusterNode::follower_loop() {
  Etcd etcd(m_options.endpoints);
  std::string last_error;
  auto report = [&](const std::string& e) {
    if (e != last_error) log(e);
    last_error = e;
  };
  while (!m_stop && !m_halted.load()) {
    int64_t revision = 0;
    const uint64_t before = m_chain.head().height;
    const auto t0 = Clock::now();
    auto c = catch_up(etcd, revision);
    if (!c) {
      report("following: " + c.error().message);
      sleep_for(500ms);
      continue;
    }
    last_error.clear();
    const uint64_t after = m_chain.head().height;
    if (after - before >= 50) {
      const double s = std::chrono::duration<double>(Clock::now() - t0).count();
      char rate[64];
      std::snprintf(rate, sizeof rate, "%.1f", s > 0 ? (after - before) / s : 0.0);
      log("caught up " + std::to_string(after - before) + " blocks to height " + std::to_string(after) + " at " +
          rate + " blocks/s");
    }
    Watch watch(m_options.endpoints, key("blocks/"), prefix_end(key("blocks/")), revision + 1);
    while (!m_stop && !m_halted.load()) {
      auto b = watch.next(1000);
      if (!b) {
        report("following: " + b.error().message);
        break;
      }
      if (b.value().timed_out) break;
      if (b.value().compact_revision != 0) {
        log("watch cancelled by compaction at revision " + std::to_string(b.value().compact_revision) +
            ": reading blocks from the head");
        break;
      }
      bool reread = false;
      for (const auto& ev : b.value().events) {
        if (ev.is_delete) continue;  // the window moving on
        if (auto t = take_block(ev.kv); !t) {
          reread = true;
          break;
        }
      }
      if (reread) break;
    }
  }
}

}  // namespace ward::cluster
