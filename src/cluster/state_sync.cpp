// ward/cluster/state_sync.cpp — the downloading side of state sync
// (state_sync.h; the serving side is rpc/sync_methods.cpp).
#include "cluster/state_sync.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "chain/address.h"
#include "cluster/cluster.h"
#include "cluster/etcd.h"
#include "node/chain.h"
#include "node/snapshot.h"
#include "rpc/client.h"
#include "state/layout.h"
#include "state/rocksdb_store.h"

namespace ward::cluster {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Staging keys (start with '_': not state, not in any root).
constexpr std::string_view kTargetKey = "_sync/target";  // JSON: {height, block_hash, info (the peer's plan)}
constexpr std::string_view kRootKey = "_sync/root";      // 32 bytes: root of the chunks written so far
constexpr std::string_view kDonePrefix = "_sync/done/";  // + u32be chunk index -> ""

std::string staging_dir(const std::string& data) { return data + ".sync"; }
std::string marker_file(const std::string& data) { return data + ".sync-done"; }

/// fsync of a file or a folder (a rename is durable once its folder is synced).
Result<void> sync_path(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY);
  if (fd < 0) return make_error("cannot open " + p.string() + " to sync it");
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return make_error("cannot sync " + p.string());
  return {};
}

fs::path parent_of(const std::string& dir) {
  fs::path p = fs::absolute(fs::path(dir)).parent_path();
  return p.empty() ? fs::path(".") : p;
}

std::optional<node::Hash> parse_hash(const nlohmann::json& j) {
  if (!j.is_string()) return std::nullopt;
  const std::string s = j.get<std::string>();
  if (s.size() != 66 || s.compare(0, 2, "0x") != 0) return std::nullopt;
  auto b = state::hex_decode(s.substr(2));
  if (!b || b->size() != 32) return std::nullopt;
  node::Hash h{};
  std::copy(b->begin(), b->end(), h.begin());
  return h;
}

std::optional<std::string> parse_bytes(const nlohmann::json& j) {
  if (!j.is_string()) return std::nullopt;
  const std::string s = j.get<std::string>();
  if (s.compare(0, 2, "0x") != 0) return std::nullopt;
  return state::hex_decode(s.substr(2));
}

/// What a peer's ward_getSnapshotInfo says.
struct Offer {
  uint64_t height = 0;
  node::Hash block_hash{};
  node::Hash state_root{};
  uint64_t bytes = 0;
  std::vector<node::ChunkInfo> plan;
  nlohmann::json json;  ///< as answered (kept in the staging store)
};

Result<Offer> parse_offer(const nlohmann::json& j) {
  try {
    Offer o;
    o.json = j;
    o.height = j.at("height").get<uint64_t>();
    o.bytes = j.value("bytes", uint64_t{0});
    auto bh = parse_hash(j.at("block_hash"));
    auto sr = parse_hash(j.at("state_root"));
    if (!bh || !sr) return make_error("snapshot info: malformed block_hash or state_root");
    o.block_hash = *bh;
    o.state_root = *sr;
    for (const auto& c : j.at("chunks")) {
      node::ChunkInfo ci;
      auto prefix = parse_hash(c.at("prefix"));
      auto hash = parse_hash(c.at("hash"));
      if (!prefix || !hash) return make_error("snapshot info: malformed chunk prefix or hash");
      ci.prefix = *prefix;
      ci.hash = *hash;
      ci.depth = c.at("depth").get<unsigned>();
      ci.entries = c.at("entries").get<uint64_t>();
      ci.bytes = c.at("bytes").get<uint64_t>();
      o.plan.push_back(ci);
    }
    if (o.plan.size() != j.value("chunk_count", o.plan.size())) return make_error("snapshot info: chunk_count differs");
    return o;
  } catch (const std::exception& e) {
    return make_error(std::string("snapshot info: ") + e.what());
  }
}

/// A peer's snapshot at `height` (nullopt: its latest).
Result<Offer> ask_offer(const std::string& url, std::optional<uint64_t> height) {
  try {
    rpc::Client client(url, 30'000);
    nlohmann::json params = nlohmann::json::object();
    if (height) params["height"] = *height;
    return parse_offer(client.call("ward_getSnapshotInfo", params));
  } catch (const std::exception& e) {
    return make_error(url + ": " + e.what());
  }
}

/// Chunk `index` of the snapshot at `height` from `url`, verified.
Result<std::vector<node::StateEntry>> fetch_chunk(rpc::Client& client, uint64_t height, size_t index,
                                                  const node::ChunkInfo& info) {
  nlohmann::json j;
  try {
    j = client.call("ward_getStateChunk", nlohmann::json{{"height", height}, {"chunk", index}});
  } catch (const std::exception& e) {
    return make_error(e.what());
  }
  std::vector<node::StateEntry> entries;
  if (!j.is_object() || !j.contains("entries") || !j["entries"].is_array()) {
    return make_error("chunk " + std::to_string(index) + ": answer without an entries array");
  }
  for (const auto& e : j["entries"]) {
    if (!e.is_array() || e.size() != 2) return make_error("chunk " + std::to_string(index) + ": malformed entry");
    auto k = parse_bytes(e[0]);
    auto v = parse_bytes(e[1]);
    if (!k || !v) return make_error("chunk " + std::to_string(index) + ": malformed entry hex");
    entries.emplace_back(std::move(*k), std::move(*v));
  }
  if (auto ok = node::verify_chunk(info, index, entries); !ok) return ok.error();
  return entries;
}

/// The local head height and whether the folder holds a chain.
Result<uint64_t> local_head(const std::string& data) {
  if (!fs::exists(data) || (fs::is_directory(data) && fs::is_empty(data))) return uint64_t{0};
  state::RocksDbOptions o;
  o.mode = state::OpenMode::ReadOnly;
  auto store = state::RocksDbStore::open(data, o);
  if (!store) return store.error();
  auto head = node::read_head(*store.value());
  if (!head) return head.error();
  return head.value() ? head.value()->first : uint64_t{0};
}

Result<void> remove_dir(const std::string& dir) {
  std::error_code ec;
  fs::remove_all(dir, ec);
  if (ec) return make_error("cannot remove " + dir + ": " + ec.message());
  return {};
}

/// Block `height`'s signed header: from etcd when it is still there, else
/// from a peer; its hash must be the offer's, its signature the producer's.
Result<node::SignedHeader> trusted_header(Etcd& etcd, const StateSyncOptions& o, const std::vector<std::string>& peers,
                                          const Offer& offer) {
  std::optional<node::SignedHeader> got;
  std::string source;
  auto r = etcd.range(ordered_block_key(o.chain, offer.height));
  if (!r) return make_error("cannot reach etcd: " + r.error().message);
  if (!r.value().kvs.empty()) {
    auto b = decode_block(r.value().kvs[0].value);
    if (!b) return b.error();
    got = b.value().first;
    source = "etcd";
  }
  std::string errors;
  for (size_t i = 0; !got && i < peers.size(); ++i) {
    try {
      rpc::Client client(peers[i], 30'000);
      auto j = client.call("ward_getBlock", nlohmann::json{{"block", offer.height}, {"raw", true}});
      auto raw = j.is_object() ? parse_bytes(j.value("raw_header", nlohmann::json())) : std::nullopt;
      if (!raw) throw std::runtime_error("no raw_header");
      auto sh = node::decode_signed_header(*raw);
      if (!sh) throw std::runtime_error(sh.error().message);
      got = sh.value();
      source = peers[i];
    } catch (const std::exception& e) {
      errors += (errors.empty() ? "" : "; ") + peers[i] + ": " + e.what();
    }
  }
  if (!got) return make_error("no source for block " + std::to_string(offer.height) + "'s header: " + errors);
  const node::BlockHeader& h = got->header;
  const std::string name = "block " + std::to_string(offer.height) + " (header from " + source + ")";
  if (h.height != offer.height || node::block_hash(h) != offer.block_hash) {
    return make_error(name + " is not the snapshot's block " + chain::format_hash(offer.block_hash));
  }
  if (auto v = node::verify_header(*got, o.genesis.chain_id, false); !v) return make_error(name + ": " + v.error().message);
  if (h.producer != o.genesis.producer) return make_error(name + ": not produced by the genesis producer");
  if (h.state_root != offer.state_root) {
    return make_error(name + ": state root " + chain::format_hash(h.state_root) + " is not the snapshot's " +
                      chain::format_hash(offer.state_root));
  }
  // The ordered tip, when it is this very height, must name the same block.
  auto tip = etcd.range("ward/" + o.chain + "/tip");
  if (tip && !tip.value().kvs.empty()) {
    const std::string& v = tip.value().kvs[0].value;
    const std::string want = std::to_string(offer.height) + ":" + state::hex_encode(offer.block_hash);
    if (v.rfind(std::to_string(offer.height) + ":", 0) == 0 && v != want) {
      return make_error(name + " is not the block the cluster ordered at that height (" + v + ")");
    }
  }
  return *got;
}

/// The height of the oldest block still in etcd, and the ordered tip (0: none).
Result<std::pair<uint64_t, uint64_t>> etcd_window(Etcd& etcd, const std::string& chain) {
  const std::string prefix = "ward/" + chain + "/blocks/";
  auto r = etcd.range(prefix, prefix_end(prefix), 1);
  if (!r) return make_error("cannot reach etcd: " + r.error().message);
  uint64_t oldest = 0, tip = 0;
  if (!r.value().kvs.empty()) {
    try {
      oldest = std::stoull(r.value().kvs[0].key.substr(prefix.size()));
    } catch (...) {
    }
  }
  auto t = etcd.range("ward/" + chain + "/tip");
  if (!t) return make_error("cannot reach etcd: " + t.error().message);
  if (!t.value().kvs.empty()) {
    try {
      tip = std::stoull(t.value().kvs[0].value);
    } catch (...) {
    }
  }
  return std::make_pair(oldest, tip);
}

}  // namespace

Result<void> finish_state_switch(const std::string& data_dir) {
  const std::string staging = staging_dir(data_dir), marker = marker_file(data_dir);
  if (!fs::exists(marker)) return {};
  std::error_code ec;
  if (fs::exists(staging)) {
    if (auto r = remove_dir(data_dir); !r) return r;
    fs::rename(staging, data_dir, ec);
    if (ec) return make_error("cannot move " + staging + " to " + data_dir + ": " + ec.message());
    if (auto s = sync_path(parent_of(data_dir)); !s) return s;
  }
  fs::remove(marker, ec);
  if (ec) return make_error("cannot remove " + marker + ": " + ec.message());
  return sync_path(parent_of(data_dir));
}

Result<std::pair<node::Hash, uint64_t>> download_chunks(state::KvStore& store, const ChunkDownload& d) {
  auto log = [&](const std::string& line) {
    if (d.log) d.log("state sync: " + line);
  };
  if (d.peers.empty()) return make_error("no peer to download the state from");
  std::set<uint32_t> done;
  if (auto sc = store.scan_prefix(kDonePrefix, [&](std::string_view k, std::string_view) {
        if (k.size() == kDonePrefix.size() + 4) done.insert(*state::decode_u32(k.substr(kDonePrefix.size())));
        return true;
      });
      !sc) {
    return sc.error();
  }
  node::Hash root = node::kEmptyRoot;
  auto root_now = store.get(kRootKey);
  if (!root_now) return root_now.error();
  if (root_now.value()) {
    if (root_now.value()->size() != 32) return make_error("staging store: partial root of " +
                                                          std::to_string(root_now.value()->size()) + " bytes");
    std::copy(root_now.value()->begin(), root_now.value()->end(), root.begin());
  }
  const size_t n = d.plan.size();
  if (!done.empty()) {
    log("resuming: " + std::to_string(done.size()) + " of " + std::to_string(n) + " chunks already verified");
  }
  node::StateTree tree(store);
  size_t peer = 0;
  std::unique_ptr<rpc::Client> client;
  uint64_t bytes = 0;
  size_t last_pct = done.size() * 10 / std::max<size_t>(n, 1);
  for (size_t i = 0; i < n; ++i) {
    if (done.count(static_cast<uint32_t>(i)) != 0) continue;
    std::optional<std::vector<node::StateEntry>> entries;
    const auto deadline = Clock::now() + std::chrono::seconds(d.give_up_s);
    std::string last_error;
    while (!entries) {
      const std::string& url = d.peers[peer % d.peers.size()];
      try {
        if (!client || client->url() != url) client = std::make_unique<rpc::Client>(url, 30'000);
        auto got = fetch_chunk(*client, d.height, i, d.plan[i]);
        if (got) {
          entries = std::move(got.value());
          break;
        }
        last_error = url + ": " + got.error().message;
      } catch (const std::exception& e) {
        last_error = url + ": " + e.what();
      }
      log("chunk " + std::to_string(i) + " rejected: " + last_error + "; trying the next peer");
      client.reset();
      ++peer;
      if (Clock::now() >= deadline) {
        return make_error("no peer served chunk " + std::to_string(i) + " of the snapshot at height " +
                          std::to_string(d.height) + " for " + std::to_string(d.give_up_s) + " s; last: " +
                          last_error + " (a restart resumes)");
      }
      if (peer % d.peers.size() == 0) std::this_thread::sleep_for(std::chrono::seconds(1));
    }
    state::WriteBatch batch;
    std::vector<node::TreeChange> changes;
    changes.reserve(entries->size());
    for (auto& [k, v] : *entries) {
      bytes += k.size() + v.size();
      batch.put(k, v);
      changes.emplace_back(k, v);
    }
    auto next = tree.update(root, changes, batch);
    if (!next) return next.error();
    tree.clear_pending();
    root = next.value();
    batch.put(kRootKey, state::as_string(root));
    batch.put(std::string(kDonePrefix) + state::encode_u32(static_cast<uint32_t>(i)), "");
    if (auto w = store.write(batch); !w) return w.error();
    done.insert(static_cast<uint32_t>(i));
    const size_t pct = done.size() * 10 / n;
    if (pct != last_pct) {
      last_pct = pct;
      log(std::to_string(done.size()) + "/" + std::to_string(n) + " chunks (" + std::to_string(pct * 10) + "%)");
    }
    if (d.chunk_delay_ms != 0) std::this_thread::sleep_for(std::chrono::milliseconds(d.chunk_delay_ms));
  }
  return std::make_pair(root, bytes);
}

Result<bool> state_sync(const StateSyncOptions& o) {
  auto log = [&](const std::string& line) {
    if (o.log) o.log("state sync: " + line);
  };
  if (auto f = finish_state_switch(o.data_dir); !f) return f.error();
  const std::string staging = staging_dir(o.data_dir);
  Etcd etcd(o.endpoints);

  auto head = local_head(o.data_dir);
  if (!head) return make_error("cannot read the head of " + o.data_dir + ": " + head.error().message);
  auto window = etcd_window(etcd, o.chain);
  if (!window) return window.error();
  const auto [oldest, tip] = window.value();
  auto leader = etcd.range("ward/" + o.chain + "/leader");
  auto peers = cluster_peers(etcd, o.chain, "", leader && !leader.value().kvs.empty() ? leader.value().kvs[0].value : "");
  if (!peers) return make_error("cannot reach etcd: " + peers.error().message);

  // A staged sync to resume?
  std::optional<uint64_t> staged;
  if (fs::exists(staging)) {
    state::RocksDbOptions ro;
    ro.mode = state::OpenMode::ReadOnly;
    if (auto s = state::RocksDbStore::open(staging, ro)) {
      auto t = s.value()->get(kTargetKey);
      if (t && t.value()) {
        auto j = nlohmann::json::parse(*t.value(), nullptr, false);
        if (j.is_object() && j.contains("height")) staged = j["height"].get<uint64_t>();
      }
    }
  }

  // The offer: the staged height when a peer still has it, else the newest.
  // A peer still planning a snapshot answers "retry": ask again for a while.
  std::optional<Offer> offer;
  std::string why_none;
  const auto ask_until = Clock::now() + std::chrono::seconds(o.give_up_s);
  for (bool waited = false;; waited = true) {
    offer.reset();
    why_none.clear();
    bool retry = false, staged_retry = false;
    for (const auto& url : peers.value()) {
      if (staged) {
        auto s = ask_offer(url, *staged);
        if (s) {
          offer = std::move(s.value());
          break;
        }
        if (s.error().message.find("retry)") != std::string::npos) staged_retry = retry = true;
      }
      auto latest = ask_offer(url, std::nullopt);
      if (!latest) {
        if (latest.error().message.find("retry)") != std::string::npos) retry = true;
        why_none += (why_none.empty() ? "" : "; ") + latest.error().message;
        continue;
      }
      if (!offer || latest.value().height > offer->height) offer = std::move(latest.value());
    }
    const bool settled = offer && (!staged || offer->height == *staged || !staged_retry);
    if (settled || !retry || Clock::now() >= ask_until) break;
    if (!waited) log("waiting for a peer to make its snapshot's chunk plan");
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
  const uint64_t h = head.value();
  const bool far_behind = h == 0 || (oldest > h + 1);
  if (!offer || offer->height <= h || !far_behind || tip <= h) {
    std::string reason = !offer ? "no peer offers a state snapshot" + (why_none.empty() ? "" : " (" + why_none + ")")
                         : offer->height <= h ? "the newest snapshot (height " + std::to_string(offer->height) +
                                                    ") is not above this node's head " + std::to_string(h)
                                              : "this node's head " + std::to_string(h) +
                                                    " can follow from the blocks in etcd";
    log("not needed or not possible: " + reason + "; following from the head");
    // A staged download is kept while no peer answers (a later start may
    // resume it); it goes once the peers show it is not needed.
    if (offer && fs::exists(staging)) {
      if (auto r = remove_dir(staging); !r) return r.error();
    }
    return false;
  }
  const auto started = Clock::now();
  auto header = trusted_header(etcd, o, peers.value(), *offer);
  if (!header) return header.error();
  if (auto p = node::verify_plan(offer->plan, offer->state_root); !p) return p.error();

  // The staging store: kept when it holds this very target, else made anew.
  std::unique_ptr<state::RocksDbStore> store;
  {
    const std::string target = nlohmann::json{{"height", offer->height},
                                              {"block_hash", chain::format_hash(offer->block_hash)},
                                              {"info", offer->json}}
                                   .dump();
    if (fs::exists(staging)) {
      state::RocksDbOptions ro;
      ro.mode = state::OpenMode::MustExist;
      auto s = state::RocksDbStore::open(staging, ro);
      if (s) {
        auto t = s.value()->get(kTargetKey);
        if (t && t.value() && *t.value() == target) store = std::move(s.value());
      }
      if (!store) {
        log("discarding the staged sync (another height or unreadable)");
        if (auto r = remove_dir(staging); !r) return r.error();
      }
    }
    if (!store) {
      state::RocksDbOptions co;
      co.mode = state::OpenMode::Create;
      auto s = state::RocksDbStore::open(staging, co);
      if (!s) return s.error();
      store = std::move(s.value());
      state::WriteBatch b;
      b.put(kTargetKey, target);
      b.put(kRootKey, state::as_string(node::kEmptyRoot));
      if (auto w = store->write(b); !w) return w.error();
    }
  }
  const size_t n = offer->plan.size();
  log("downloading the state at height " + std::to_string(offer->height) + " (root " +
      chain::format_hash(offer->state_root) + ", " + std::to_string(n) + " chunks, " + std::to_string(offer->bytes) +
      " bytes) from " + std::to_string(peers.value().size()) + " peers");
  ChunkDownload d;
  d.peers = peers.value();
  d.height = offer->height;
  d.plan = offer->plan;
  d.chunk_delay_ms = o.chunk_delay_ms;
  d.give_up_s = o.give_up_s;
  d.log = o.log;
  auto downloaded = download_chunks(*store, d);
  if (!downloaded) return downloaded.error();
  const node::Hash root = downloaded.value().first;
  const uint64_t bytes = downloaded.value().second;
  if (root != offer->state_root) {
    store.reset();
    (void)remove_dir(staging);
    return make_error("the assembled state has root " + chain::format_hash(root) + ", block " +
                      std::to_string(offer->height) + "'s state root is " + chain::format_hash(offer->state_root) +
                      " (staging discarded; a restart syncs again)");
  }
  const double download_s = std::chrono::duration<double>(Clock::now() - started).count();
  auto has_head = node::read_head(*store);
  if (!has_head) return has_head.error();
  if (!has_head.value()) {  // (present when a crash came between this write and the next)
    if (auto a = node::Chain::adopt_state(*store, o.genesis, header.value()); !a) return a.error();
  }
  {
    state::WriteBatch cleanup;
    std::vector<std::string> keys;
    (void)store->scan_prefix("_sync/", [&](std::string_view k, std::string_view) {
      keys.emplace_back(k);
      return true;
    });
    for (const auto& k : keys) cleanup.del(k);
    if (auto w = store->write(cleanup); !w) return w.error();
  }
  store.reset();  // closed: everything is on disk
  {
    const std::string marker = marker_file(o.data_dir);
    const int fd = ::open(marker.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0644);
    if (fd < 0) return make_error("cannot create " + marker);
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0) return make_error("cannot sync " + marker);
    if (auto s = sync_path(parent_of(o.data_dir)); !s) return s.error();
  }
  if (auto f = finish_state_switch(o.data_dir); !f) return f.error();
  const double secs = std::chrono::duration<double>(Clock::now() - started).count();
  char rate[64];
  std::snprintf(rate, sizeof rate, "%.2f", download_s > 0 ? static_cast<double>(bytes) / download_s / 1e6 : 0.0);
  char timing[128];
  std::snprintf(timing, sizeof timing, "%.3f s (chunks verified and written in %.3f s)", secs, download_s);
  log("synced to height " + std::to_string(offer->height) + " (root " + chain::format_hash(offer->state_root) +
      ", " + std::to_string(offer->bytes) + " state bytes, " + std::to_string(n) + " chunks; " +
      std::to_string(bytes) + " downloaded at " + rate + " MB/s) in " + timing + "; following from height " +
      std::to_string(offer->height + 1));
  return true;
}

}  // namespace ward::cluster
