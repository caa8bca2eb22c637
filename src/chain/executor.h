// ward/chain/executor.h — runs deploys, calls, value transfers, upgrades and
// destroys against the state (DESIGN.md section 2).
//
// One execution path, two drivers. Executor::apply(tx, sender, tx_hash,
// block, overlay) runs one transaction of a block against a caller-provided
// overlay and returns its receipt without committing: a block producer (the
// node, and the local mode's "block of one transaction", node/chain.h)
// applies many transactions to one overlay and commits them in one write.
// The older entry points (deploy, call, transfer, upgrade, destroy, query)
// run the same operations on an overlay of their own, committed on success,
// with a block context derived from the request counter `h`
// (local_block(h)); they remain for tests and embedders without blocks.
//
// Without a transaction hash (the older entry points), the hash seeding
// random_get is sha256("ward-call" || u64be height || sender || contract ||
// method || 0 || input) for a call and sha256("ward-deploy" || u64be height
// || deployer || u64be nonce || code hash) for a deploy; docs/host-abi.md has
// the others. Through apply() it is the real transaction hash.
//
// Cross-contract calls (calls.cpp) run the callee in a nested snapshot of
// the same overlay; every call of a request shares one Session.
// Thread-safety: none; one thread drives an Executor.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chain/address.h"
#include "chain/module_cache.h"
#include "runtime/backend.h"
#include "runtime/limits.h"
#include "runtime/watchdog.h"
#include "state/kv_store.h"
#include "state/layout.h"
#include "util/result.h"
#include "wasm/gas_schedule.h"
#include "wasm/policy.h"

namespace ward::host {
struct CallEnv;
}

namespace ward::chain {

struct Transaction;
struct Applied;

/// Block time at height 0: 2023-11-14T22:13:20Z, seconds since the Unix epoch.
inline constexpr int64_t kGenesisTime = 1'700'000'000;
/// Seconds between consecutive heights.
inline constexpr int64_t kBlockSeconds = 5;
// The chain's costs in gas schedule revision 1 (aliases of
// wasm::kGasScheduleV1, for tests and docs); the executor charges those of
// the schedule of the block's height (Executor::gas_schedule_at).

/// Gas of a deploy (and of an upgrade) before its init (migrate) method
/// runs: base + per byte of the (decompressed) module.
inline constexpr uint64_t kDeployBaseGas = wasm::kGasScheduleV1.deploy_base;
inline constexpr uint64_t kDeployGasPerByte = wasm::kGasScheduleV1.deploy_per_byte;
/// Gas of a plain value transfer.
inline constexpr uint64_t kTransferGas = wasm::kGasScheduleV1.transfer;
/// Gas of a destroy: base + per state key removed (storage and objects).
inline constexpr uint64_t kDestroyBaseGas = wasm::kGasScheduleV1.destroy_base;
inline constexpr uint64_t kDestroyGasPerKey = wasm::kGasScheduleV1.destroy_per_key;

/// A change of the gas costs: blocks from height `from_height` on use gas
/// schedule revision `revision` (wasm::gas_schedule, docs/gas.md "Gas
/// schedule").
struct GasScheduleStep {
  uint64_t from_height = 0;
  uint32_t revision = 1;
  bool operator==(const GasScheduleStep&) const = default;
};
/// The schedule of each step of `steps` (as Executor::set_gas_schedule
/// takes them). Errors: no step, the first not at height 0, heights not
/// increasing, an unknown revision; the message names the step.
Result<std::vector<const wasm::GasSchedule*>> check_gas_schedule(const std::vector<GasScheduleStep>& steps);
/// Native balance of the development address in a fresh local state
/// (Executor::ensure_genesis, docs/host-abi.md "Native balances").
inline constexpr uint64_t kDevStartingBalance = 1'000'000'000'000ull;

/// The block a transaction runs in.
struct BlockContext {
  uint64_t height = 0;   ///< height of the block being built
  int64_t time_ms = 0;   ///< block time, ms since the Unix epoch (the host's block_time is this / 1000)
  Address producer{};    ///< the block producer; receives the fees
  Hash seed{};           ///< block hash seed: the parent block's hash
};
/// The block context the older entry points use at request counter `height`:
/// time (kGenesisTime + height * kBlockSeconds) * 1000 ms, no producer.
BlockContext local_block(uint64_t height);

/// How a request ended.
enum class Status : uint8_t {
  Ok,        ///< ran to completion; its writes and events are committed
  Reverted,  ///< the contract called revert; nothing committed
  Trapped,   ///< a trap, out of gas, or a host error; nothing committed
  Failed,    ///< did not run: bad input, unknown contract/method, invalid module, storage error
};
/// "ok", "reverted", "trapped", "failed".
const char* to_string(Status status);

/// An event of a receipt.
struct ReceiptEvent {
  Address contract{};  ///< the contract that emitted it
  std::string name;
  std::string data;    ///< JSON text
};

/// One call of a call tree: the outermost call or a cross-contract call, with
/// the calls it made in order. Calls that did not run (reentrant, too deep,
/// unknown contract) are entries too, with status Failed and gas_used 0.
struct CallTrace {
  Address contract{};
  std::string method;
  uint64_t value = 0;      ///< native value attached
  uint64_t gas_limit = 0;  ///< gas the call was given
  uint64_t gas_used = 0;   ///< its own and its nested calls' gas
  Status status = Status::Failed;
  std::string error;       ///< empty when ok
  std::vector<CallTrace> calls;
};

/// Outcome of a call (also of a plain value transfer and of a destroy).
struct CallReceipt {
  Status status = Status::Failed;
  std::string result;                ///< JSON text from result_write; empty when none or not ok
  uint64_t gas_used = 0;             ///< gas_limit - gas left; the whole limit when out of gas
  /// Every event of the call and of its nested calls that ended ok, in
  /// emission order; empty unless the whole call is ok.
  std::vector<ReceiptEvent> events;
  /// Empty when ok; else e.g. "out of gas", "reverted: insufficient balance",
  /// "trapped: out of bounds memory access", "host error: storage_put: ...",
  /// "unknown contract 0x...", "unknown method 'foo' of contract 0x...",
  /// "contract destroyed: 0x...".
  std::string error;
  std::vector<std::string> debug;    ///< debug_print lines and stdout/stderr lines (kept on failure too)
  uint64_t height = 0;               ///< height the call ran at
  int32_t exit_code = 0;             ///< proc_exit code, when the contract called it
  CallTrace trace;                   ///< the call tree (empty method for a transfer or destroy)
  /// Read set and write set of the request: every state key (raw bytes) and
  /// scanned range its calls read, and every key they wrote, nested calls
  /// and the value move included, whatever their outcome (a superset of
  /// what a parallel scheduler must order). Bookkeeping keys (`h`) are left out.
  state::AccessLog access;
  bool ok() const noexcept { return status == Status::Ok; }
};

/// Outcome of a deploy or an upgrade.
struct DeployReceipt {
  Status status = Status::Failed;
  Address address{};                 ///< the contract's address (also reported on failure)
  Hash code_hash{};                  ///< sha256 of the module's (decompressed) bytes
  bool code_was_new = false;         ///< the code was not stored before
  bool compressed = false;           ///< the module came gzip-compressed
  uint64_t gas_used = 0;             ///< deploy cost + init (migrate) method's gas
  std::vector<ReceiptEvent> events;  ///< init method's events, empty unless ok
  std::string result;                ///< init method's result
  std::string error;                 ///< as CallReceipt::error; "invalid module: ..." etc.
  std::vector<std::string> debug;
  uint64_t height = 0;
  CallTrace trace;                   ///< of the init (migrate) method, when one ran
  bool ok() const noexcept { return status == Status::Ok; }
};

/// Options of a deploy besides the code.
struct DeployOptions {
  std::optional<std::string_view> init_method;  ///< run after deploying, as a call by the deployer
  std::string_view init_args_json;              ///< its input; empty means "{}"
  uint64_t gas_limit = 0;                       ///< 0: limits.default_gas
  wasm::FloatPolicy floats = wasm::FloatPolicy::Allow;
  bool immutable = false;                       ///< no admin: never upgraded nor destroyed
};

/// Decompresses a gzip member (magic 1f 8b) into at most `max_bytes` bytes.
/// Errors: "gzip: ..." for corrupt data, and
/// "gzip: decompressed module exceeds max_module_bytes (N)" past the bound.
Result<std::string> gunzip(std::span<const uint8_t> data, uint64_t max_bytes);
/// True when the bytes start with the gzip magic 1f 8b.
bool is_gzip(std::span<const uint8_t> data);

/// The chain rules apply() enforces, from the genesis file (docs/node.md).
struct ChainRules {
  std::string chain_id;                  ///< empty: any (the local mode)
  uint64_t min_gas_price = 0;            ///< native units per gas
  uint64_t block_gas_limit = UINT64_MAX; ///< a transaction's gas limit may not exceed it
};

/// State key of the ABI JSON stored with a contract at deploy: "a/<20-byte address>".
std::string abi_key(const Address& contract);

class Executor {
 public:
  /// An executor over `store` running code on `backend`; both must outlive
  /// it. `cache` (shared between executors of one node) defaults to a cache
  /// of its own.
  Executor(state::KvStore& store, runtime::Backend& backend, runtime::Limits limits = {},
           std::shared_ptr<ModuleCache> cache = nullptr);

  /// Applies one transaction of a block to `overlay` without committing
  /// (apply.cpp, docs/tx-format.md "Execution"): checks what can change
  /// between admission and inclusion (chain id, expiry, gas rules, nonce,
  /// balance >= gas_limit * gas_price + value) and returns ApplyFault::Invalid
  /// with nothing changed when one fails; else bumps the sender's nonce, runs
  /// the action in a snapshot (reverted unless it ends ok), charges
  /// fee = gas_used * gas_price to the sender and credits it to
  /// block.producer, and returns the receipt (position left 0 for the
  /// caller). A failed store read or write gives ApplyFault::StorageFault.
  /// `sender` is address_of(tx.signer) for a signed transaction, or the
  /// local mode's --from.
  Applied apply(const Transaction& tx, const Address& sender, const Hash& tx_hash, const BlockContext& block,
                state::Overlay& overlay, const ChainRules& rules);

  /// Sets which gas schedule revision applies at which height: `steps` in
  /// increasing from_height, the first from height 0, each revision known
  /// to wasm::gas_schedule. The default is revision 1 from height 0. Every
  /// cost of a request (instructions, memory and table growth, bulk
  /// operations, deploy, transfer, destroy) is that of the schedule of its
  /// block's height; modules are compiled (and cached) per revision.
  /// Errors: "gas schedule: ..." naming the bad step; nothing changes then.
  Result<void> set_gas_schedule(std::vector<GasScheduleStep> steps);
  const std::vector<GasScheduleStep>& gas_schedule() const noexcept { return m_gas_steps; }
  /// The schedule of a block at `height` (the last step at or below it).
  const wasm::GasSchedule& gas_schedule_at(uint64_t height) const;

  /// Gives the development address kDevStartingBalance when the store holds
  /// no key at all (a fresh state); returns true when it did. Call it when
  /// opening a local state; a state already in use is left alone.
  Result<bool> ensure_genesis();

  /// Deploys a wasm module, raw or gzip-compressed (decompressed size at most
  /// limits.max_module_bytes): load_module + resource limits
  /// (wasm::check_resource_limits) + deploy policy (host_import_specs(),
  /// `floats`) + compile, all before any code runs; stores the code under
  /// its sha256 (once) and counts one more user of it; derives the address
  /// contract_address(deployer, nonce) and bumps the deployer's nonce;
  /// writes the contract record (admin = deployer, or none when immutable);
  /// creates the default object; runs the init method (when given) as a
  /// call with sender = deployer. On any failure nothing is committed and
  /// the receipt's status and error say why. An Error is returned only when
  /// the store itself fails.
  Result<DeployReceipt> deploy(std::span<const uint8_t> code, const Address& deployer, const DeployOptions& options);
  /// The same with positional options (kept for existing callers).
  Result<DeployReceipt> deploy(std::span<const uint8_t> code, const Address& deployer,
                               std::optional<std::string_view> init_method, std::string_view init_args_json,
                               uint64_t gas_limit, wasm::FloatPolicy floats = wasm::FloatPolicy::Allow);

  /// Replaces the code of the contract at `contract` (by its admin only):
  /// the new module is checked as at deploy; address, storage, objects and
  /// balance stay; the old code loses a user (deleted at 0). `migrate` (when
  /// given) runs on the new code in the same step with sender = admin; when
  /// it fails nothing changes. Errors in the receipt: "unknown contract 0x…",
  /// "contract destroyed: 0x…", "contract 0x… is immutable",
  /// "only the admin 0x… may upgrade contract 0x…", module errors.
  Result<DeployReceipt> upgrade(const Address& contract, std::span<const uint8_t> code, const Address& sender,
                                std::optional<std::string_view> migrate, std::string_view migrate_args_json,
                                uint64_t gas_limit, wasm::FloatPolicy floats = wasm::FloatPolicy::Allow);

  /// Destroys the contract at `contract` (by its admin only): removes its
  /// storage and objects, moves its balance to `beneficiary`, drops its
  /// code's user count (the code is deleted at 0) and leaves the record as a
  /// tombstone, so the address is never used again. gas_limit 0 means
  /// limits.default_gas; the gas is destroy_base + destroy_per_key per key
  /// removed (of the schedule of the height, gas_schedule_at).
  CallReceipt destroy(const Address& contract, const Address& beneficiary, const Address& sender,
                      uint64_t gas_limit = 0);

  /// Calls `method` (an export of type () -> ()) of the contract at
  /// `contract` with input `args_json` (empty means "{}"), moving `value`
  /// from the sender to the contract first: instantiate, run `_initialize`
  /// when exported, run the method; commit its writes, value move and events
  /// (its nested calls' too) and bump the height only when it ends ok.
  /// gas_limit 0 means limits.default_gas.
  CallReceipt call(const Address& contract, std::string_view method, std::string_view args_json,
                   const Address& sender, uint64_t gas_limit, uint64_t value = 0);

  /// Runs a call on `overlay` at `block` without committing (ward_call, and
  /// the dry runs of ward_simulate): the receipt as call() gives it. The
  /// caller discards the overlay.
  CallReceipt view(state::Overlay& overlay, const BlockContext& block, const Address& contract,
                   std::string_view method, std::string_view args_json, const Address& sender, uint64_t gas_limit,
                   uint64_t value = 0) {
    return call_in(overlay, block, std::nullopt, contract, method, args_json, sender, gas_limit, value);
  }

  /// As call() but never commits anything (read-only query).
  CallReceipt query(const Address& contract, std::string_view method, std::string_view args_json,
                    const Address& sender, uint64_t gas_limit);

  /// Moves `amount` of native value from `from` to `to` (any address: an
  /// account, a contract, a system address) with empty call data: no code
  /// runs. Costs the schedule's transfer gas (kTransferGas in revision 1).
  /// Fails with "insufficient balance: 0x… has N, needs M" when short.
  CallReceipt transfer(const Address& from, const Address& to, uint64_t amount);

  /// Native balance of any address (0 when never credited).
  Result<uint64_t> balance(const Address& addr);
  /// The contract record at `addr` (tombstones included), nullopt when none.
  Result<std::optional<state::ContractRecord>> contract(const Address& addr);
  /// Number of committed requests.
  Result<uint64_t> height();
  /// Receives each debug line as the contract produces it (also kept in receipts).
  void set_debug_sink(std::function<void(std::string_view)> sink) { m_debug_sink = std::move(sink); }
  const runtime::Limits& limits() const noexcept { return m_limits; }

 private:
  struct Session;
  struct Frame;

  // The operations on a caller's overlay at a given block, without
  // committing. `tx_hash` nullopt: the seed is derived as described at the
  // top of this file. On failure they may leave partial writes in the
  // overlay: the caller reverts to a snapshot (apply) or discards it.
  CallReceipt call_in(state::Overlay& overlay, const BlockContext& block, const std::optional<Hash>& tx_hash,
                      const Address& contract, std::string_view method, std::string_view args_json,
                      const Address& sender, uint64_t gas_limit, uint64_t value);
  /// `address_nonce`: the nonce the address derives from; nullopt reads the
  /// deployer's nonce and bumps it (the older entry point).
  Result<DeployReceipt> deploy_in(state::Overlay& overlay, const BlockContext& block,
                                  const std::optional<Hash>& tx_hash, std::span<const uint8_t> code,
                                  const Address& deployer, const DeployOptions& options,
                                  std::optional<uint64_t> address_nonce);
  Result<DeployReceipt> upgrade_in(state::Overlay& overlay, const BlockContext& block,
                                   const std::optional<Hash>& tx_hash, const Address& contract,
                                   std::span<const uint8_t> code, const Address& sender,
                                   std::optional<std::string_view> migrate, std::string_view migrate_args_json,
                                   uint64_t gas_limit, wasm::FloatPolicy floats);
  CallReceipt destroy_in(state::Overlay& overlay, const BlockContext& block, const Address& contract,
                         const Address& beneficiary, const Address& sender, uint64_t gas_limit);
  CallReceipt transfer_in(state::Overlay& overlay, const BlockContext& block, const Address& from,
                          const Address& to, uint64_t amount);

  CallReceipt call_impl(const Address& contract, std::string_view method, std::string_view args_json,
                        const Address& sender, uint64_t gas_limit, uint64_t value, bool commit);
  /// Runs one method of `contract` in the session's overlay (no commit),
  /// after moving `value` from `sender` to it; fills `trace`. Reverts every
  /// change of the call (value move included) unless it ends ok. `gas` is
  /// the gas available.
  CallReceipt run(Session& session, const Address& contract, const state::ContractRecord& record,
                  std::string_view method, std::string input, const Address& sender, uint64_t value,
                  uint64_t gas, CallTrace& trace);
  /// Wires CallEnv::call_contract of `frame` to nested_call (calls.cpp).
  void wire_calls(Session& session, Frame& frame, host::CallEnv& env);
  /// The module's compiled form for the gas schedule of `height`, from the
  /// cache or compiled from the stored code.
  Result<std::shared_ptr<runtime::CompiledModule>> compiled(state::Overlay& overlay, const Hash& code_hash,
                                                            uint64_t height);
  /// Decodes, checks (resource limits, deploy policy, at least one method)
  /// and compiles a module for a deploy or an upgrade, caching it under
  /// `code_hash` and handing it out in *compiled (when not null); an error
  /// message or empty. `gas`: the schedule the code charges.
  std::string prepare_code(std::string_view module_bytes, const Hash& code_hash, wasm::FloatPolicy floats,
                           const wasm::GasSchedule& gas, std::shared_ptr<runtime::CompiledModule>* compiled = nullptr);
  /// Instantiates a deployed (or upgraded) module once as `contract` with
  /// `gas` gas: data and element segments, then the start function, whose
  /// state changes are reverted (it runs again at every call). Sets
  /// gas_used, appends debug lines; returns empty when the instantiation
  /// succeeds, else "start function trapped: <why>", "instantiation
  /// trapped: data segment N: ..." (a segment that does not fit), "cannot
  /// instantiate: ...", or "out of memory". An Error when
  /// the start function met a store failure.
  Result<std::string> run_start(state::Overlay& overlay, const BlockContext& block, const Hash& seed,
                                const Address& contract, const Address& sender, runtime::CompiledModule& cm,
                                uint64_t gas, uint64_t& gas_used, std::vector<std::string>& debug);
  /// Checks and normalises a gas limit and args; an error message or empty.
  std::string check_request(uint64_t& gas_limit, std::string_view& args_json) const;

  state::KvStore& m_store;
  runtime::Backend& m_backend;
  runtime::Limits m_limits;
  std::shared_ptr<ModuleCache> m_cache;
  std::vector<GasScheduleStep> m_gas_steps{GasScheduleStep{}};  ///< set_gas_schedule
  std::vector<const wasm::GasSchedule*> m_gas_by_step{&wasm::kGasScheduleV1};  ///< per step, its schedule
  std::function<void(std::string_view)> m_debug_sink;
  runtime::Watchdog m_watchdog;  ///< Limits::timeout_ms safety net of every request (not consensus)
};

}  // namespace ward::chain
