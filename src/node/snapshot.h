// ward/node/snapshot.h — state snapshots in verifiable chunks, for a new
// node's state sync (docs/cluster.md "State sync", ADR 0013).
//
// A state of root R is cut into chunks along the state tree
// (docs/state-tree.md): chunk i is the whole subtree at one tree position
// (a path prefix of `depth` bits), holding every (key, value) entry whose
// path sha256(key) starts with that prefix. The chunks of a plan are
// prefix-free and cover every entry; plan_chunks() picks the largest
// subtrees of at most `target_bytes` (key + value bytes), so a chunk fits
// one RPC answer (a single entry larger than the target is a chunk alone).
//
// Verification needs only R: verify_plan() recomputes R from the chunks'
// subtree hashes and entry counts by the tree's hashing rules, and
// verify_chunk() recomputes one chunk's subtree hash from its entries.
// A chunk that verifies holds exactly the entries of the state of R under
// its prefix (anything else would need a SHA-256 collision).
//
// StateSnapshots pins point-in-time views of a node's store at heights
// that are multiples of an interval, so every node of a cluster offers the
// same heights, and serves plans and chunks from them.
// Thread-safety: the free functions are pure or read the given store;
// StateSnapshots may be used from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "node/chain.h"
#include "node/state_tree.h"
#include "state/kv_store.h"

namespace ward::node {

/// One chunk of a snapshot plan: the subtree at a tree position.
struct ChunkInfo {
  Hash prefix{};         ///< the position's path bits; bits at `depth` and after are zero
  unsigned depth = 0;    ///< prefix length in bits, 0..256
  Hash hash{};           ///< the subtree's hash (a tree node: internal, or a leaf for one entry)
  uint64_t entries = 0;  ///< entries under the prefix, >= 1
  uint64_t bytes = 0;    ///< their key + value bytes
  bool operator==(const ChunkInfo&) const = default;
};

/// A state entry: key and value bytes.
using StateEntry = std::pair<std::string, std::string>;

/// Cuts the state of `root` held by `store` (its "_t/" nodes and its
/// values) into chunks of at most `target_bytes` key + value bytes, in path
/// order. The empty state has no chunk. Reads every node and value once
/// (iterative, no recursion). Errors: a missing or corrupt tree node, a
/// value missing or not matching its leaf (the store is not at `root`),
/// target_bytes 0.
Result<std::vector<ChunkInfo>> plan_chunks(state::KvStore& store, const Hash& root, size_t target_bytes);

/// The entries of `chunk` in the state of `root` held by `store`, in path
/// order. Errors as plan_chunks, and a chunk whose hash is not a stored node.
Result<std::vector<StateEntry>> read_chunk(state::KvStore& store, const Hash& root, const ChunkInfo& chunk);

/// Checks that `plan` is a valid cut of the state of `root`: every chunk
/// canonical (bits past its depth zero, entries >= 1), the chunks in
/// strictly increasing path order and prefix-free, and their subtree hashes
/// and counts hash up to `root`. Errors name the first bad chunk or the
/// computed and expected roots ("snapshot plan: chunks hash to 0x…, block
/// state root is 0x…").
Result<void> verify_plan(const std::vector<ChunkInfo>& plan, const Hash& root);

/// Checks that `entries` (any order) are exactly the entries of `chunk`:
/// every key's path under the chunk's prefix, no key twice, the count and
/// the recomputed subtree hash equal to the chunk's. `index` names the
/// chunk in errors ("chunk 7 (depth 5, prefix 0x58…): 12 entries, the plan
/// says 13"; "...: entries hash to 0x…, the plan's node is 0x…").
Result<void> verify_chunk(const ChunkInfo& chunk, size_t index, const std::vector<StateEntry>& entries);

/// A pinned view of the state at one block.
struct PinnedSnapshot {
  uint64_t height = 0;
  Hash block_hash{};
  Hash state_root{};
  std::shared_ptr<state::KvStore> store;  ///< point-in-time view at `height`
  std::vector<ChunkInfo> plan;            ///< filled on first use
  uint64_t entries = 0, bytes = 0;        ///< totals of the plan
  bool planned = false;
  bool wanted = false;                    ///< asked for: the planning thread plans it
  std::string plan_error;                 ///< why planning failed ("" when it did not)
};

/// Keeps point-in-time views of the store at heights that are multiples of
/// `interval` (the latest `keep` of them) and plans their chunks when first
/// asked for: on a thread of its own (`background`, a node: planning reads
/// the whole state, so a request answers "retry" meanwhile instead of
/// waiting), or within that get() (tests).
class StateSnapshots {
 public:
  using ViewFn = std::function<std::unique_ptr<state::KvStore>()>;
  /// `view` makes a point-in-time view of the node's store (RocksDbStore::snapshot).
  StateSnapshots(ViewFn view, uint64_t interval, size_t chunk_bytes, size_t keep = 2, bool background = false);
  /// Stops the planning thread (after the plan it is making, if any).
  ~StateSnapshots();
  StateSnapshots(const StateSnapshots&) = delete;
  StateSnapshots& operator=(const StateSnapshots&) = delete;

  /// Chain::Options::after_commit: pins a view when `head.height` is a
  /// multiple of the interval. Called with the store at exactly `head`.
  void on_commit(const Head& head);
  /// The snapshot at `height` (nullopt: the latest planned one; in the
  /// background mode this also starts planning the newest), planned.
  /// Errors: "no state snapshot yet (one is taken every N blocks)", "no
  /// state snapshot yet (the chunk plan of height H is being made; retry)",
  /// "no state snapshot at height H (this node keeps A, B)", "no state
  /// snapshot at height H yet (its chunk plan is being made; retry)", plan errors.
  Result<std::shared_ptr<const PinnedSnapshot>> get(std::optional<uint64_t> height);
  uint64_t interval() const noexcept { return m_interval; }
  size_t chunk_bytes() const noexcept { return m_chunk_bytes; }

 private:
  ViewFn m_view;
  uint64_t m_interval;
  size_t m_chunk_bytes;
  size_t m_keep;
  bool m_background;
  std::mutex m_mutex;  ///< guards m_pinned, the snapshots' plan fields and m_stop
  std::condition_variable m_wake;
  bool m_stop = false;
  std::vector<std::shared_ptr<PinnedSnapshot>> m_pinned;  ///< oldest first
  std::thread m_planner;
  void planner_loop();
  /// Plans `p` (outside m_mutex) and records the outcome under it.
  void plan(const std::shared_ptr<PinnedSnapshot>& p);
};

}  // namespace ward::node
