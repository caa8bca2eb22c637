// ward/node/chain.h — the chain of one node: genesis, block production and
// commit, the block store and its indexes, the head (docs/node.md).
//
// Every block is committed in one atomic write batch holding its state
// writes, the state-tree nodes, the header, the transactions, the receipts,
// the indexes (transaction hash -> height and position; events by height
// and by contract) and the head pointer. A block of height h is written only
// when the stored head is h-1, checked inside one process-wide critical
// section together with the write, so two producers never write two blocks
// at one height. The local mode (`ward call` without --node) commits a block
// of one unsigned transaction through the same produce().
//
// Keys (beside the state's own, state/layout.h; chain keys start with '_',
// which no state key does, and are not part of the state root):
//   _g                          -> genesis JSON (genesis.h)
//   _H                          -> head: u64be height || 32-byte block hash
//   _b/<u64be height>           -> signed block header (block.h)
//   _B/<block hash>             -> u64be height
//   _y/<u64be height><u32be i>  -> the i-th transaction of the block, signed bytes
//   _l/<tx hash>                -> u64be height || u32be position
//   _r/<tx hash>                -> receipt JSON (chain/receipt_json.h)
//   _T/<tx hash>                -> call trace JSON (chain::trace_json; diagnostics, in no root)
//   _E/<u64be h><u32be pos><u32be i>            -> event JSON (all events by height)
//   _e/<contract><u64be h><u32be pos><u32be i>  -> event JSON (events by contract)
//   _t/<node hash>              -> state-tree nodes (state_tree.h)
//   _S                          -> u64be state-sync base height: the state was
//                                  downloaded at that block (cluster state sync);
//                                  blocks 1..base-1 are absent. No key: base 0.
// Thread-safety: produce() serialises itself; the read methods may run on
// any thread at any time (RocksDB reads), and see whole blocks only.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chain/executor.h"
#include "chain/receipt.h"
#include "chain/tx.h"
#include "node/block.h"
#include "node/genesis.h"
#include "node/state_tree.h"

namespace ward::node {

/// A transaction handed to produce().
struct TxInput {
  chain::Transaction tx;
  chain::Address sender{};  ///< address_of(tx.signer), or the local mode's --from
  Hash hash{};              ///< sha256 of the transaction bytes
  std::string stored;       ///< what the block keeps: the signed bytes (tx || signature)
};

/// What produce() did.
struct BlockResult {
  bool committed = false;  ///< false: no transaction was included, nothing written
  SignedHeader header;
  Hash hash{};
  std::vector<chain::Receipt> receipts;                ///< of the included transactions, in block order
  std::vector<std::pair<Hash, std::string>> dropped;   ///< not applicable now (hash, why): remove from the mempool
  std::vector<Hash> deferred;                          ///< did not fit the block gas limit: keep for the next block
  std::vector<std::string> txs;                        ///< stored bytes of the included transactions, in block order
  bool discarded = false;  ///< built, but the before-commit hook refused it: nothing written (cluster fencing)
};

/// The head of the chain.
struct Head {
  uint64_t height = 0;
  Hash hash{};
  BlockHeader header;
};

/// An event as the indexes hold it.
struct IndexedEvent {
  nlohmann::json json;  ///< {"contract","name","data","tx_hash","height","position","index"}
  std::string cursor;   ///< opaque resume point (hex of the index key)
};

class Chain {
 public:
  struct Options {
    runtime::Limits limits;
    std::shared_ptr<chain::ModuleCache> cache;     ///< shared with read-only executors; null: own
    std::optional<chain::KeyPair> producer_key;    ///< signs blocks; none: unsigned (local mode)
    size_t max_block_bytes = 0;  ///< stored transaction bytes per produced block; 0: unbounded (cluster: etcd's limit)
    /// Called after each commit with the new head, while no other block can
    /// be committed (the store is at exactly that head): state snapshots.
    std::function<void(const Head&)> after_commit;
  };

  /// Called by produce() with the built, signed block before it is written:
  /// true commits it, false discards it (nothing written; BlockResult
  /// discarded), an error discards it and is returned by produce().
  using BeforeCommit = std::function<Result<bool>(const BlockResult&)>;

  /// Writes the genesis block (height 0) into `store`: the genesis balances
  /// on top of whatever state the store already holds (a local state made
  /// before blocks existed keeps its contents), the state root over all of
  /// it. Error when the store already has a head.
  static Result<void> init(state::KvStore& store, const Genesis& genesis);
  /// True when the store holds a chain (a head).
  static Result<bool> exists(state::KvStore& store);
  /// Makes `store`, which holds the state entries and tree nodes of
  /// `at.header.state_root` and nothing of a chain, a chain whose head is
  /// block `at` (state sync): writes the genesis (its block computed from
  /// `genesis`, as init() does), the header of `at`, the head and the base
  /// height `at.header.height`. Blocks between them are absent. Errors: the
  /// store already holds a chain, `at` is at height 0, the state root is
  /// not in the store, storage errors.
  static Result<void> adopt_state(state::KvStore& store, const Genesis& genesis, const SignedHeader& at);
  /// The state-sync base height (0: this node has every block from genesis).
  static Result<uint64_t> read_base(state::KvStore& store);
  /// Opens the chain in `store`: reads the genesis and the head, checks that
  /// the head header decodes, hashes to the stored hash and that its state
  /// root is present in the state tree. Errors: "no chain in this state
  /// (run `ward node --dev` or `ward node --genesis FILE`)", "corrupt head: ...".
  static Result<std::unique_ptr<Chain>> open(state::KvStore& store, runtime::Backend& backend, Options options);

  /// Applies `txs` in order to block head+1 with time max(time_ms, parent
  /// time + 1) and commits it in one write. Transactions that are not
  /// applicable are dropped, those past the block gas limit deferred.
  /// When no transaction was included nothing is written (committed false;
  /// `dropped` and `deferred` still say why). Errors are storage faults ("storage error: ...") or a moved head ("head
  /// moved: ..."): the caller (a node) halts on a storage fault.
  /// `before_commit` (cluster mode) orders the block elsewhere first; see BeforeCommit.
  Result<BlockResult> produce(const std::vector<TxInput>& txs, uint64_t time_ms, const BeforeCommit& before_commit = {});

  /// Applies a block produced by another node through the same executor
  /// path as produce(): checks the producer signature and that the block
  /// extends the head, re-executes every transaction with the header's time
  /// and producer, and commits only when the transaction count, transactions
  /// root, receipts root, state root and gas used all equal the header's.
  /// `txs` are the stored (signed) bytes in block order. Errors: "block N
  /// does not extend the head ..." (nothing written), "block N diverges:
  /// <field> ..." (the local execution disagrees with the header: the node
  /// must halt), signature errors of verify_header, storage errors.
  Result<BlockResult> apply_block(const SignedHeader& block, const std::vector<std::string>& txs);

  Head head() const;
  const Genesis& genesis() const noexcept { return m_genesis; }
  const Hash& genesis_hash() const noexcept { return m_genesis_hash; }
  /// The state-sync base height: blocks 1..base-1 are not stored here (0: all are).
  uint64_t base_height() const noexcept { return m_base; }
  chain::ChainRules rules() const;
  state::KvStore& store() noexcept { return m_store; }
  const Options& options() const noexcept { return m_options; }

  // --- reads ---
  Result<std::optional<SignedHeader>> header_at(uint64_t height);
  Result<std::optional<uint64_t>> height_of(const Hash& block_hash);
  /// The stored (signed) bytes of every transaction of a block, in order.
  Result<std::vector<std::string>> block_txs(uint64_t height);
  /// Height and position of a transaction; nullopt when not in a block.
  Result<std::optional<std::pair<uint64_t, uint32_t>>> tx_location(const Hash& tx_hash);
  Result<std::optional<std::string>> tx_bytes(const Hash& tx_hash);
  Result<std::optional<chain::Receipt>> receipt(const Hash& tx_hash);
  /// The call tree this node recorded when it executed the transaction
  /// (chain::trace_json text), or empty: not a contract call, deploy or
  /// upgrade, or unknown. Diagnostics: in no root, not compared between nodes.
  Result<std::optional<std::string>> trace(const Hash& tx_hash);
  /// Events of heights [from, to] in order, optionally of one contract and
  /// one name, at most `limit`, resuming after `cursor` (empty: from the start).
  Result<std::vector<IndexedEvent>> events(uint64_t from, uint64_t to, const std::optional<chain::Address>& contract,
                                           const std::optional<std::string>& name, size_t limit,
                                           const std::string& cursor);
  /// A proof of `key` against the head's state root.
  Result<std::pair<Hash, Proof>> prove(std::string_view key);

 private:
  Chain(state::KvStore& store, runtime::Backend& backend, Options options, Genesis genesis, Hash genesis_hash, Head head);
  /// produce() and apply_block(): executes `txs` on top of the head and
  /// commits. `expected` (apply_block) makes every transaction mandatory and
  /// the header's fields checked instead of computed and signed.
  Result<BlockResult> execute(const std::vector<TxInput>& txs, uint64_t time_ms, const SignedHeader* expected,
                              const BeforeCommit& before_commit);

  state::KvStore& m_store;
  Options m_options;
  Genesis m_genesis;
  Hash m_genesis_hash{};
  uint64_t m_base = 0;
  chain::Executor m_executor;
  StateTree m_tree;
  mutable std::mutex m_head_mutex;
  Head m_head;
  std::mutex m_produce_mutex;
};

/// Event `index` of an included receipt as the event indexes, ward_getEvents
/// and "events" subscriptions show it: {"contract","name","data","tx_hash",
/// "height","position","index"}.
nlohmann::ordered_json event_json(const chain::Receipt& r, size_t index);

/// The head as stored, nullopt when the store has no chain.
Result<std::optional<std::pair<uint64_t, Hash>>> read_head(state::KvStore& store);
/// The head with its block header, checked: the header decodes and hashes
/// to the stored head hash. Errors: "corrupt chain: ... no head",
/// "corrupt head: ...", storage errors.
Result<Head> read_head_block(state::KvStore& store);

}  // namespace ward::node
