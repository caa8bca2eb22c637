// ward/chain/executor.h — runs deploys and calls against the state, one at a
// time, each in its own overlay committed atomically on success (DESIGN.md
// section 2). A thin executor for now: no blocks or transactions yet.
//
// Block context until blocks exist: the height of a deploy or call is the
// number of deploys and calls committed before it (stored under key `h`,
// state/layout.h), and its time is kGenesisTime + height * kBlockSeconds.
// The "transaction hash" seeding random_get is
// sha256("ward-call" || u64be height || sender || contract || method || 0 || input)
// for a call and sha256("ward-deploy" || u64be height || deployer || u64be nonce || code hash)
// for a deploy (its init method included).
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
#include "runtime/backend.h"
#include "runtime/limits.h"
#include "runtime/watchdog.h"
#include "state/kv_store.h"
#include "state/layout.h"
#include "util/result.h"
#include "wasm/policy.h"

namespace ward::chain {

/// Block time at height 0: 2023-11-14T22:13:20Z, seconds since the Unix epoch.
inline constexpr int64_t kGenesisTime = 1'700'000'000;
/// Seconds between consecutive heights.
inline constexpr int64_t kBlockSeconds = 5;
/// Gas of a deploy before its init method runs: base + per byte of code.
inline constexpr uint64_t kDeployBaseGas = 20'000;
inline constexpr uint64_t kDeployGasPerByte = 1;

/// How a deploy or call ended.
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

/// Outcome of a call.
struct CallReceipt {
  Status status = Status::Failed;
  std::string result;                ///< JSON text from result_write; empty when none or not ok
  uint64_t gas_used = 0;             ///< gas_limit - gas left; the whole limit when out of gas
  std::vector<ReceiptEvent> events;  ///< empty unless ok
  /// Empty when ok; else e.g. "out of gas", "reverted: insufficient balance",
  /// "trapped: out of bounds memory access", "host error: storage_put: ...",
  /// "unknown contract 0x...", "unknown method 'foo' of contract 0x...".
  std::string error;
  std::vector<std::string> debug;    ///< debug_print lines and stdout/stderr lines (kept on failure too)
  uint64_t height = 0;               ///< height the call ran at
  int32_t exit_code = 0;             ///< proc_exit code, when the contract called it
  bool ok() const noexcept { return status == Status::Ok; }
};

/// Outcome of a deploy.
struct DeployReceipt {
  Status status = Status::Failed;
  Address address{};                 ///< the new contract's address (also reported on failure)
  Hash code_hash{};                  ///< sha256 of the module's bytes
  bool code_was_new = false;         ///< the code was not stored before this deploy
  uint64_t gas_used = 0;             ///< deploy cost + init method's gas
  std::vector<ReceiptEvent> events;  ///< init method's events, empty unless ok
  std::string result;                ///< init method's result
  std::string error;                 ///< as CallReceipt::error; "invalid module: ..." etc.
  std::vector<std::string> debug;
  uint64_t height = 0;
  bool ok() const noexcept { return status == Status::Ok; }
};

class Executor {
 public:
  /// An executor over `store` running code on `backend`; both must outlive it.
  Executor(state::KvStore& store, runtime::Backend& backend, runtime::Limits limits = {});

  /// Deploys a wasm module: load_module + resource limits
  /// (wasm::check_resource_limits: initial memory pages, table sizes) + deploy
  /// policy (host_import_specs(), `floats`: with FloatPolicy::Deny a module
  /// using f32/f64 is rejected) + compile, all before any code runs; stores the code under its sha256 (once);
  /// derives the address contract_address(deployer, nonce) and bumps the
  /// deployer's nonce; writes the contract record; runs `init_method` (when
  /// given) as a call with sender = deployer and input `init_args_json`. On
  /// any failure nothing is committed and the receipt's status and error say
  /// why. gas_limit 0 means limits.default_gas. An Error is returned only
  /// when the store itself fails.
  Result<DeployReceipt> deploy(std::span<const uint8_t> code, const Address& deployer,
                               std::optional<std::string_view> init_method, std::string_view init_args_json,
                               uint64_t gas_limit, wasm::FloatPolicy floats = wasm::FloatPolicy::Allow);

  /// Calls `method` (an export of type () -> ()) of the contract at
  /// `contract` with input `args_json` (empty means "{}"): instantiate, run
  /// `_initialize` when exported, run the method; commit its writes and
  /// bump the height only when it ends ok. gas_limit 0 means
  /// limits.default_gas.
  CallReceipt call(const Address& contract, std::string_view method, std::string_view args_json,
                   const Address& sender, uint64_t gas_limit);

  /// As call() but never commits anything (read-only query).
  CallReceipt query(const Address& contract, std::string_view method, std::string_view args_json,
                    const Address& sender, uint64_t gas_limit);

  /// The contract record at `addr`, nullopt when none.
  Result<std::optional<state::ContractRecord>> contract(const Address& addr);
  /// Number of committed deploys and calls.
  Result<uint64_t> height();
  /// Receives each debug line as the contract produces it (also kept in receipts).
  void set_debug_sink(std::function<void(std::string_view)> sink) { m_debug_sink = std::move(sink); }
  const runtime::Limits& limits() const noexcept { return m_limits; }

 private:
  CallReceipt call_impl(const Address& contract, std::string_view method, std::string_view args_json,
                        const Address& sender, uint64_t gas_limit, bool commit);
  /// Runs one method in `overlay` (no commit). `gas` is the gas available.
  CallReceipt run(state::Overlay& overlay, const Address& contract, const state::ContractRecord& record,
                  std::string_view method, std::string input, const Address& sender, uint64_t gas,
                  uint64_t height, const Hash& tx_hash);
  /// The compiled module of `code_hash`, from the cache or compiled from the stored code.
  Result<std::shared_ptr<runtime::CompiledModule>> compiled(state::Overlay& overlay, const Hash& code_hash);
  /// Checks and normalises a gas limit and args; an error message or empty.
  std::string check_request(uint64_t& gas_limit, std::string_view& args_json) const;

  state::KvStore& m_store;
  runtime::Backend& m_backend;
  runtime::Limits m_limits;
  std::map<Hash, std::shared_ptr<runtime::CompiledModule>> m_cache;
  std::function<void(std::string_view)> m_debug_sink;
  runtime::Watchdog m_watchdog;  ///< Limits::timeout_ms safety net of every call (not consensus)
};

}  // namespace ward::chain
