// State sync's verifiable chunks (src/node/snapshot.h) and the synced chain
// (Chain::adopt_state): a plan cuts a state into bounded chunks that hash up
// to the state root; a tampered chunk or plan is refused with a precise
// error; a state assembled from verified chunks has the block's root, opens
// as a chain at its base height and follows the leader's next blocks; an
// interrupted switch to a synced state completes on the next start.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <fstream>
#include <thread>

#include "cluster/cluster.h"
#include "cluster/state_sync.h"
#include "rpc/dispatcher.h"
#include "rpc/server.h"
#include "node/chain.h"
#include "node/snapshot.h"
#include "node_test_util.h"
#include "runtime/backend.h"
#include "state/kv_store.h"
#include "state/objects.h"
#include "state/overlay.h"

namespace ward::node {
namespace {

using testing::input_of;
using testing::key_of;
using testing::make_tx;

/// A state of `n` entries of varied sizes in `store`; its root.
Hash make_state(state::MemoryStore& store, int n) {
  std::vector<TreeChange> changes;
  state::WriteBatch batch;
  for (int i = 0; i < n; ++i) {
    std::string k = "key-" + std::to_string(i);
    std::string v(static_cast<size_t>(1 + (i * 37) % 90), static_cast<char>('a' + i % 26));
    batch.put(k, v);
    changes.emplace_back(k, v);
  }
  StateTree tree(store);
  auto root = tree.update(kEmptyRoot, changes, batch);
  EXPECT_TRUE(root.ok());
  EXPECT_TRUE(store.write(batch).ok());
  return root.value();
}

/// The root of a tree built from `entries` in a fresh store (as the syncing node does, chunk by chunk).
Hash assemble(state::MemoryStore& out, const std::vector<std::vector<StateEntry>>& chunks) {
  StateTree tree(out);
  Hash root = kEmptyRoot;
  for (const auto& c : chunks) {
    state::WriteBatch batch;
    std::vector<TreeChange> changes;
    for (const auto& [k, v] : c) {
      batch.put(k, v);
      changes.emplace_back(k, v);
    }
    auto r = tree.update(root, changes, batch);
    EXPECT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(out.write(batch).ok());
    tree.clear_pending();
    root = r.value();
  }
  return root;
}

bool has(const Result<void>& r, const std::string& text) {
  return !r.ok() && r.error().message.find(text) != std::string::npos;
}

TEST(SnapshotPlan, CutsIntoBoundedChunksThatVerifyAndReassembleToTheRoot) {
  state::MemoryStore store;
  const Hash root = make_state(store, 600);
  auto plan = plan_chunks(store, root, 1024);
  ASSERT_TRUE(plan.ok()) << plan.error().message;
  ASSERT_GT(plan.value().size(), 10u);
  ASSERT_TRUE(verify_plan(plan.value(), root).ok()) << verify_plan(plan.value(), root).error().message;
  uint64_t entries = 0;
  std::vector<std::vector<StateEntry>> chunks;
  for (size_t i = 0; i < plan.value().size(); ++i) {
    const ChunkInfo& c = plan.value()[i];
    EXPECT_TRUE(c.bytes <= 1024 || c.entries == 1) << "chunk " << i << " has " << c.bytes << " bytes";
    auto got = read_chunk(store, root, c);
    ASSERT_TRUE(got.ok()) << got.error().message;
    EXPECT_EQ(got.value().size(), c.entries);
    auto ok = verify_chunk(c, i, got.value());
    ASSERT_TRUE(ok.ok()) << ok.error().message;
    entries += c.entries;
    chunks.push_back(got.value());
  }
  EXPECT_EQ(entries, 600u);
  state::MemoryStore synced;
  EXPECT_EQ(assemble(synced, chunks), root);

  // One chunk when everything fits; none for the empty state.
  auto whole = plan_chunks(store, root, 1u << 20);
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole.value().size(), 1u);
  EXPECT_EQ(whole.value()[0].depth, 0u);
  EXPECT_EQ(whole.value()[0].hash, root);
  state::MemoryStore empty;
  auto none = plan_chunks(empty, kEmptyRoot, 1024);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none.value().empty());
  EXPECT_TRUE(verify_plan({}, kEmptyRoot).ok());
  EXPECT_FALSE(plan_chunks(store, root, 0).ok());
}

TEST(SnapshotPlan, ATamperedChunkIsRefusedWithAPreciseError) {
  state::MemoryStore store;
  const Hash root = make_state(store, 300);
  auto plan = plan_chunks(store, root, 600);
  ASSERT_TRUE(plan.ok());
  ASSERT_GT(plan.value().size(), 3u);
  const size_t i = 2;
  const ChunkInfo& c = plan.value()[i];
  ASSERT_GT(c.entries, 1u);
  auto good = read_chunk(store, root, c).value();

  auto changed = good;
  changed[0].second += "x";
  EXPECT_TRUE(has(verify_chunk(c, i, changed), "chunk 2 (depth " + std::to_string(c.depth)))
      << verify_chunk(c, i, changed).error().message;
  EXPECT_TRUE(has(verify_chunk(c, i, changed), "entries hash to"));

  auto missing = good;
  missing.pop_back();
  EXPECT_TRUE(has(verify_chunk(c, i, missing), std::to_string(c.entries - 1) + " entries, the plan says " +
                                                   std::to_string(c.entries)))
      << verify_chunk(c, i, missing).error().message;

  // An extra entry from another chunk lies outside this one's subtree.
  auto outside = good;
  outside.push_back(read_chunk(store, root, plan.value()[0]).value()[0]);
  EXPECT_TRUE(has(verify_chunk(c, i, outside), "lies outside the chunk's subtree"))
      << verify_chunk(c, i, outside).error().message;

  // An extra entry whose path is inside the subtree: the count is off.
  auto extra = good;
  for (int n = 0;; ++n) {
    std::string k = "extra-" + std::to_string(n);
    const Hash p = state::sha256(k);
    bool inside = true;
    for (unsigned b = 0; b < c.depth && inside; ++b) inside = path_bit(p, b) == path_bit(c.prefix, b);
    if (inside) {
      extra.emplace_back(k, "v");
      break;
    }
  }
  EXPECT_TRUE(has(verify_chunk(c, i, extra), std::to_string(c.entries + 1) + " entries, the plan says"))
      << verify_chunk(c, i, extra).error().message;
  // Same count, one entry swapped for a foreign one: the hash tells.
  auto swapped = extra;
  swapped.erase(swapped.begin());
  EXPECT_TRUE(has(verify_chunk(c, i, swapped), "entries hash to")) << verify_chunk(c, i, swapped).error().message;

  auto twice = good;
  twice.back() = twice.front();
  EXPECT_TRUE(has(verify_chunk(c, i, twice), "a key appears twice")) << verify_chunk(c, i, twice).error().message;

  // Order does not matter.
  auto reversed = good;
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_TRUE(verify_chunk(c, i, reversed).ok());
}

TEST(SnapshotPlan, ATamperedPlanDoesNotHashToTheRoot) {
  state::MemoryStore store;
  const Hash root = make_state(store, 200);
  auto plan = plan_chunks(store, root, 500).value();
  ASSERT_GT(plan.size(), 3u);

  auto bad_hash = plan;
  bad_hash[1].hash[5] ^= 1;
  EXPECT_TRUE(has(verify_plan(bad_hash, root), "chunks hash to")) << verify_plan(bad_hash, root).error().message;

  auto dropped = plan;
  dropped.erase(dropped.begin() + 1);
  EXPECT_TRUE(has(verify_plan(dropped, root), "block state root is"));

  auto swapped = plan;
  std::swap(swapped[0], swapped[1]);
  EXPECT_TRUE(has(verify_plan(swapped, root), "is not after and apart from chunk 0"));

  auto overlapping = plan;
  overlapping.insert(overlapping.begin() + 1, ChunkInfo{plan[0].prefix, 0, plan[0].hash, 1, 1});
  EXPECT_FALSE(verify_plan(overlapping, root).ok());

  auto sloppy = plan;
  sloppy[0].prefix[31] |= 1;
  EXPECT_TRUE(has(verify_plan(sloppy, root), "bits set past its depth"));

  auto zero = plan;
  zero[0].entries = 0;
  EXPECT_TRUE(has(verify_plan(zero, root), "no entries"));

  // A root from elsewhere.
  Hash other = root;
  other[0] ^= 1;
  EXPECT_TRUE(has(verify_plan(plan, other), "chunks hash to"));
}

TEST(SnapshotKeeper, PlansOnDemandInTheBackgroundAndOffersOnlyPlannedSnapshots) {
  state::MemoryStore store;
  const Hash root = make_state(store, 400);
  auto copy = [&store]() -> std::unique_ptr<state::KvStore> {
    auto c = std::make_unique<state::MemoryStore>();
    state::WriteBatch b;
    for (const auto& [k, v] : store.contents()) b.put(k, v);
    EXPECT_TRUE(c->write(b).ok());
    return c;
  };
  StateSnapshots snaps(copy, 10, 800, 2, true);
  EXPECT_NE(snaps.get(std::nullopt).error().message.find("no state snapshot yet"), std::string::npos);
  Head h;
  h.header.state_root = root;
  for (uint64_t height : {5, 10, 20, 30}) {
    h.height = height;
    h.hash[0] = static_cast<uint8_t>(height);
    snaps.on_commit(h);  // 5 is not a multiple of 10: not pinned
  }
  // Planned when first asked for: meanwhile the answer says to retry.
  EXPECT_NE(snaps.get(30).error().message.find("no state snapshot at height 30 yet (its chunk plan is being made; retry)"),
            std::string::npos);
  std::shared_ptr<const PinnedSnapshot> got;
  for (int i = 0; i < 500 && !got; ++i) {
    auto g = snaps.get(30);
    if (g.ok()) got = g.value();
    else std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_TRUE(got) << "the snapshot at 30 was never planned";
  EXPECT_EQ(got->height, 30u);
  EXPECT_EQ(got->entries, 400u);
  EXPECT_TRUE(verify_plan(got->plan, root).ok());
  EXPECT_EQ(snaps.get(std::nullopt).value()->height, 30u);
  EXPECT_NE(snaps.get(10).error().message.find("this node keeps 20, 30"), std::string::npos);
}

// --- a synced chain -----------------------------------------------------------

const std::string kChainId = "ward-sync-unit";
constexpr uint64_t kT0 = 1'700'000'000'000ull;

TEST(StateSync, AStateFromVerifiedChunksOpensAtItsBaseAndFollowsTheLeader) {
  auto backend = runtime::make_interp_backend();
  const chain::KeyPair producer = key_of(0x50), alice_key = key_of(0xa1);
  const chain::Address alice = chain::address_of(alice_key.public_key);
  Genesis genesis;
  genesis.chain_id = kChainId;
  genesis.genesis_time_ms = kT0;
  genesis.producer = chain::address_of(producer.public_key);
  genesis.balances[alice] = 1'000'000'000;
  for (uint8_t i = 1; i < 200; ++i) genesis.balances[chain::Address{{0x77, i}}] = 1000 + i;

  state::MemoryStore leader_store;
  ASSERT_TRUE(Chain::init(leader_store, genesis).ok());
  StateSnapshots snaps(
      [&leader_store]() -> std::unique_ptr<state::KvStore> {
        auto copy = std::make_unique<state::MemoryStore>();
        state::WriteBatch b;
        for (const auto& [k, v] : leader_store.contents()) b.put(k, v);
        EXPECT_TRUE(copy->write(b).ok());
        return copy;
      },
      2, 700);
  Chain::Options o;
  o.producer_key = producer;
  o.after_commit = [&snaps](const Head& h) { snaps.on_commit(h); };
  auto leader = Chain::open(leader_store, *backend, o);
  ASSERT_TRUE(leader.ok());
  EXPECT_TRUE(has(snaps.get(std::nullopt).ok() ? Result<void>{} : Result<void>(snaps.get(std::nullopt).error()),
                  "no state snapshot yet"));
  uint64_t nonce = 0;
  auto block = [&](uint64_t t) {
    const chain::Address to{{0xca, static_cast<uint8_t>(nonce)}};
    auto tx = input_of(make_tx(kChainId, alice_key, nonce++, chain::TransferAction{to, 5}), alice_key);
    auto made = leader.value()->produce({tx}, kT0 + t);
    EXPECT_TRUE(made.ok() && made.value().committed);
    return made.value();
  };
  for (uint64_t b = 1; b <= 5; ++b) block(1000 * b);
  auto snap = snaps.get(std::nullopt);
  ASSERT_TRUE(snap.ok()) << snap.error().message;
  EXPECT_EQ(snap.value()->height, 4u);
  EXPECT_TRUE(snaps.get(2).ok());
  EXPECT_NE(snaps.get(3).error().message.find("no state snapshot at height 3 (this node keeps 2, 4)"),
            std::string::npos);
  const PinnedSnapshot& p = *snap.value();
  ASSERT_TRUE(verify_plan(p.plan, p.state_root).ok());
  ASSERT_GT(p.plan.size(), 3u);
  auto h4 = leader.value()->header_at(4);
  ASSERT_TRUE(h4.ok() && h4.value());
  EXPECT_EQ(h4.value()->header.state_root, p.state_root);

  state::MemoryStore synced;
  std::vector<std::vector<StateEntry>> chunks;
  for (size_t i = 0; i < p.plan.size(); ++i) {
    auto got = read_chunk(*p.store, p.state_root, p.plan[i]);
    ASSERT_TRUE(got.ok());
    ASSERT_TRUE(verify_chunk(p.plan[i], i, got.value()).ok());
    chunks.push_back(got.value());
  }
  ASSERT_EQ(assemble(synced, chunks), p.state_root);
  ASSERT_TRUE(Chain::adopt_state(synced, genesis, *h4.value()).ok());
  EXPECT_TRUE(has(Chain::adopt_state(synced, genesis, *h4.value()), "already holds a chain"));
  auto follower = Chain::open(synced, *backend, Chain::Options{});
  ASSERT_TRUE(follower.ok()) << follower.error().message;
  EXPECT_EQ(follower.value()->base_height(), 4u);
  EXPECT_EQ(follower.value()->head().height, 4u);
  EXPECT_EQ(follower.value()->genesis_hash(), leader.value()->genesis_hash());
  EXPECT_FALSE(follower.value()->header_at(2).value().has_value());
  EXPECT_TRUE(follower.value()->header_at(0).value().has_value());
  {
    state::Overlay a(synced), b(leader_store);
    EXPECT_EQ(state::get_nonce(a, alice).value(), 4u);  // nonce set before the base
    EXPECT_EQ(state::balance(a, chain::Address{{0x77, 9}}).value(), 1009u);
    EXPECT_EQ(state::balance(a, chain::Address{{0xca, 2}}).value(), 5u);
  }
  // Block 5 (made after the snapshot) and 6 apply on the synced state.
  auto b5 = leader.value()->header_at(5).value();
  auto t5 = leader.value()->block_txs(5).value();
  auto a5 = follower.value()->apply_block(*b5, t5);
  ASSERT_TRUE(a5.ok()) << a5.error().message;
  auto b6 = block(6000);
  auto a6 = follower.value()->apply_block(b6.header, b6.txs);
  ASSERT_TRUE(a6.ok()) << a6.error().message;
  EXPECT_EQ(follower.value()->head().hash, leader.value()->head().hash);

  // A state missing one chunk has another root: adopt_state refuses a root it lacks.
  state::MemoryStore partial;
  chunks.pop_back();
  EXPECT_NE(assemble(partial, chunks), p.state_root);
  EXPECT_TRUE(has(Chain::adopt_state(partial, genesis, *h4.value()), "is not in the synced state"));
}

}  // namespace
}  // namespace ward::node

namespace ward::cluster {
namespace {

namespace fs = std::filesystem;

void write_text(const fs::path& p, const std::string& text) {
  std::ofstream(p) << text;
}
std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A peer that serves a tampered chunk is passed over: the chunk is rejected
// with the reason and fetched from the next peer; the assembled state has
// the snapshot's root; a download marked partly done resumes without
// fetching those chunks again.
TEST(ChunkDownload, ABadChunkIsRejectedAndFetchedFromTheNextPeer) {
  state::MemoryStore source;
  const node::Hash root = [&] {
    std::vector<node::TreeChange> changes;
    state::WriteBatch batch;
    for (int i = 0; i < 300; ++i) {
      std::string k = "acct-" + std::to_string(i), v(10 + i % 7, 'v');
      batch.put(k, v);
      changes.emplace_back(k, v);
    }
    node::StateTree tree(source);
    auto r = tree.update(node::kEmptyRoot, changes, batch).value();
    EXPECT_TRUE(source.write(batch).ok());
    return r;
  }();
  auto plan = node::plan_chunks(source, root, 500).value();
  ASSERT_GT(plan.size(), 4u);
  ASSERT_TRUE(node::verify_plan(plan, root).ok());

  // Peer "bad" changes a value of chunk 0 (mode 1) or leaves out one of its
  // entries (mode 2); peer "good" is honest.
  std::atomic<int> served_bad{0}, served_good{0}, mode{1};
  auto serve = [&](bool bad) {
    return [&, bad](const nlohmann::json& params, const rpc::CallContext&) -> nlohmann::json {
      const size_t i = params.at("chunk").get<size_t>();
      auto entries = node::read_chunk(source, root, plan.at(i)).value();
      if (bad && i == 0 && mode == 1) entries[0].second += "!";
      if (bad && i == 0 && mode == 2) entries.pop_back();
      (bad ? served_bad : served_good)++;
      nlohmann::json list = nlohmann::json::array();
      for (const auto& [k, v] : entries) {
        list.push_back({"0x" + state::hex_encode({reinterpret_cast<const uint8_t*>(k.data()), k.size()}),
                        "0x" + state::hex_encode({reinterpret_cast<const uint8_t*>(v.data()), v.size()})});
      }
      return {{"height", params.at("height")}, {"chunk", i}, {"entries", list}};
    };
  };
  rpc::Dispatcher bad_d, good_d;
  bad_d.add("ward_getStateChunk", serve(true));
  good_d.add("ward_getStateChunk", serve(false));
  rpc::ServerOptions so;
  so.port = 0;
  rpc::Server bad_s(so, bad_d), good_s(so, good_d);
  ASSERT_TRUE(bad_s.start().ok());
  ASSERT_TRUE(good_s.start().ok());

  std::vector<std::string> lines;
  std::mutex lines_mutex;
  ChunkDownload d;
  d.peers = {"http://127.0.0.1:" + std::to_string(bad_s.port()), "http://127.0.0.1:" + std::to_string(good_s.port())};
  d.height = 40;
  d.plan = plan;
  d.give_up_s = 20;
  d.log = [&](const std::string& l) {
    std::lock_guard lock(lines_mutex);
    lines.push_back(l);
  };
  state::MemoryStore staging;
  auto got = download_chunks(staging, d);
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got.value().first, root);
  auto logged = [&](const std::string& text) {
    for (const auto& l : lines)
      if (l.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(logged("chunk 0 rejected: " + d.peers[0] + ": chunk 0 (depth"));
  EXPECT_TRUE(logged("entries hash to"));
  EXPECT_GT(served_good.load(), 0);
  mode = 2;
  state::MemoryStore staging2;
  auto got2 = download_chunks(staging2, d);
  ASSERT_TRUE(got2.ok()) << got2.error().message;
  EXPECT_EQ(got2.value().first, root);
  EXPECT_TRUE(logged("entries, the plan says"));
  {
    state::Overlay o(staging);
    EXPECT_EQ(o.get("acct-7").value(), std::optional<std::string>(std::string(10, 'v')));
  }

  // Resuming: with every chunk marked done nothing is fetched again.
  const int before = served_bad.load() + served_good.load();
  auto again = download_chunks(staging, d);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again.value().first, root);
  EXPECT_EQ(again.value().second, 0u);
  EXPECT_EQ(served_bad.load() + served_good.load(), before);
  EXPECT_TRUE(logged("resuming: " + std::to_string(plan.size()) + " of " + std::to_string(plan.size())));

  // Only a lying peer: the download gives up with the reason.
  ChunkDownload only_bad = d;
  only_bad.peers = {d.peers[0]};
  only_bad.give_up_s = 1;
  state::MemoryStore fresh;
  auto refused = download_chunks(fresh, only_bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("no peer served chunk 0 of the snapshot at height 40"), std::string::npos)
      << refused.error().message;
  bad_s.stop();
  good_s.stop();
}

// The switch to a synced state, interrupted at each step, completes on the
// next start; without the marker nothing is touched (a staged download is
// kept to resume).
TEST(StateSwitch, AnInterruptedSwitchCompletesAndAnUnfinishedSyncIsLeftAlone) {
  const fs::path base = node::testing::temp_path("ward-switch");
  fs::remove_all(base);
  fs::create_directories(base);
  const std::string data = (base / "data").string();
  const fs::path staging = data + ".sync", marker = data + ".sync-done";

  // No marker: a staged download and the old data stay as they are.
  fs::create_directories(data);
  write_text(fs::path(data) / "f", "old");
  fs::create_directories(staging);
  write_text(staging / "f", "new");
  ASSERT_TRUE(finish_state_switch(data).ok());
  EXPECT_EQ(read_text(fs::path(data) / "f"), "old");
  EXPECT_TRUE(fs::exists(staging));

  // Marker written, nothing moved yet: the staged store replaces the data.
  write_text(marker, "");
  auto r = finish_state_switch(data);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(read_text(fs::path(data) / "f"), "new");
  EXPECT_FALSE(fs::exists(staging));
  EXPECT_FALSE(fs::exists(marker));

  // Crash after the old data was removed: the rename completes.
  fs::remove_all(data);
  fs::create_directories(staging);
  write_text(staging / "f", "newer");
  write_text(marker, "");
  ASSERT_TRUE(finish_state_switch(data).ok());
  EXPECT_EQ(read_text(fs::path(data) / "f"), "newer");
  EXPECT_FALSE(fs::exists(marker));

  // Crash after the rename, before the marker went: only the marker goes.
  write_text(marker, "");
  ASSERT_TRUE(finish_state_switch(data).ok());
  EXPECT_EQ(read_text(fs::path(data) / "f"), "newer");
  EXPECT_FALSE(fs::exists(marker));
  fs::remove_all(base);
}

}  // namespace
}  // namespace ward::cluster
