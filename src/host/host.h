// ward/host/host.h — the contract host ABI v1 (docs/host-abi.md is the
// reference): the environment of one call (CallEnv), the one table of host
// functions (module `ward_v1` and the deterministic WASI subset of
// `wasi_snapshot_preview1`), the import specs the deploy policy checks
// against, and import resolution for instantiation.
// Thread-safety: the table is immutable after first use (thread-safe lazy
// initialisation); a CallEnv belongs to one executing call.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/backend.h"
#include "state/layout.h"
#include "state/overlay.h"
#include "util/result.h"
#include "wasm/gas_schedule.h"
#include "wasm/module.h"
#include "wasm/policy.h"

namespace ward::host {

/// Longest event name `log` accepts, in bytes (docs/host-abi.md).
inline constexpr uint32_t kMaxEventNameBytes = 256;

/// Longest method name `call` accepts, in bytes (docs/host-abi.md).
inline constexpr uint32_t kMaxMethodNameBytes = 256;

/// A cross-contract call asked for by the `call` host function, handed to
/// CallEnv::call_contract.
struct ContractCall {
  state::Address target{};  ///< the contract to call
  std::string method;       ///< export name, as given by the caller (up to kMaxMethodNameBytes)
  std::string args;         ///< JSON args, as given by the caller (not validated by the host)
  uint64_t value = 0;       ///< native value to move from the caller (`self`) to the callee
  uint64_t gas = 0;         ///< gas the callee may use (the host already capped it to the gas left)
};

/// Outcome of a cross-contract call (the `call` host function returns status).
struct ContractCallResult {
  int32_t status = 2;     ///< 0 ok, 1 reverted, 2 anything else (trap, out of gas, unknown, reentrant, depth)
  std::string output;     ///< result JSON when ok, else the error text
  uint64_t gas_used = 0;  ///< gas the callee used, charged to the caller; at most ContractCall::gas
  /// Non-empty: a failure no contract may handle ("storage error: ...", "out
  /// of memory"). `call` then traps with it instead of returning a status,
  /// so the whole request fails (chain::Executor::apply reports a storage
  /// error as a storage fault).
  std::string fault;
};

/// An open storage iterator of one call (storage_iter_*). It holds its
/// position, not a snapshot: each step reads the overlay afresh, so it sees
/// the call's own writes and deletes, including those made while it is open.
struct StorageIterator {
  std::string next_from;        ///< full state key where the next step starts (inclusive)
  std::string end;              ///< end of the range, a full state key (exclusive; never empty)
  size_t strip = 0;             ///< bytes of the contract's key prefix ("s/<addr>/") removed from keys handed out
  bool has_current = false;     ///< the last step returned 1
  bool done = false;            ///< the last step returned 0
  bool open = true;             ///< false after storage_iter_close; the slot is reused by the next open
  std::string key;              ///< current key (without the prefix)
  std::string value;            ///< current value
};

/// An event emitted by `log`.
struct Event {
  std::string name;  ///< UTF-8, 1 to kMaxEventNameBytes bytes
  std::string data;  ///< JSON text, validated
};

/// Everything the host functions of one call see, pointed to by
/// runtime::ExecContext::host_env. The caller (chain::Executor, `ward run`)
/// fills the inputs, runs the call, then reads the outputs.
struct CallEnv {
  // --- inputs ---
  std::string input;                  ///< call input, UTF-8 JSON (input_size / input_read)
  std::string method;                 ///< the method (export) being called (method_size / method_read)
  state::Address sender{};            ///< the caller (sender)
  state::Address self{};              ///< the running contract (self_address; owner of its storage)
  uint64_t block_height = 0;          ///< block_height
  int64_t block_time = 0;             ///< block_time, seconds since the Unix epoch; WASI clocks in ns
  state::Hash tx_hash{};              ///< seed of random_get
  state::Overlay* state = nullptr;    ///< storage of `self` lives here; null: storage functions trap
  /// The account that signed the outermost call (`origin`); nullopt: the sender.
  std::optional<state::Address> origin;
  uint64_t value = 0;                 ///< native value attached to the call (call_value), already credited to self
  /// state->held_bytes() when the transaction began: writes trap once the
  /// overlay holds more than Limits::max_tx_write_bytes beyond it.
  uint64_t write_base = 0;
  /// The gas schedule host functions charge from (their HostFunction::id
  /// row); the executor sets the schedule of the block's height
  /// (Executor::gas_schedule_at). Never null.
  const wasm::GasSchedule* gas = &wasm::kGasScheduleV1;
  /// Runs a cross-contract call for the `call` host function. Empty: `call`
  /// returns 2 with "cross-contract calls are not available here".
  std::function<ContractCallResult(const ContractCall&)> call_contract;
  /// When set, each completed debug line is also passed here as it is produced.
  std::function<void(std::string_view line)> debug_sink;

  // --- outputs ---
  std::string result;                 ///< last result_write (JSON text); empty when never written
  bool has_result = false;            ///< result_write was called
  std::string revert_reason;          ///< set by revert
  std::vector<Event> events;          ///< in emission order
  std::vector<std::string> debug_lines;  ///< debug_print lines and fd 1/2 output split at '\n'
  /// Read set and write set: every full state key (storage, objects,
  /// balances) the call's host functions read or wrote, and the ranges its
  /// iterators and owner lookups scanned. Kept whatever the outcome. Nested
  /// calls have their own CallEnv; the caller merges theirs in (AccessLog::merge).
  state::AccessLog access;

  // --- host bookkeeping ---
  uint64_t random_position = 0;       ///< bytes of the random_get stream handed out so far
  uint64_t virtual_clock_ns = 0;      ///< time poll_oneoff waited in this call; added to the WASI clocks
  std::string debug_partial;          ///< fd_write text after its last '\n'
  std::vector<StorageIterator> iterators;  ///< by handle; at most Limits::max_iterators_per_call open at once
  std::string call_result;            ///< output of the last `call` (call_result_size / call_result_read)
  /// A host function ran out of memory (std::bad_alloc, caught by the host
  /// table): the call is reported as trapped with "out of memory".
  bool out_of_memory = false;

  /// The origin, or the sender when none was set.
  const state::Address& origin_address() const noexcept { return origin ? *origin : sender; }

  /// Appends text to the debug log as a stream (fd_write): complete lines go
  /// to debug_lines (and debug_sink), the rest waits for the next newline.
  void debug_write(std::string_view text);
  /// Adds one whole line (debug_print), finishing any partial line first.
  void debug_line(std::string_view line);
  /// Moves a pending partial line to debug_lines; call when the call ends.
  void debug_flush();
};

/// One entry of the host function table.
struct HostFunction {
  std::string_view module;  ///< "ward_v1" or "wasi_snapshot_preview1"
  std::string_view name;
  wasm::FuncType type;
  /// Its costs in a gas schedule: CallEnv::gas->host_cost(id).
  wasm::HostFn id = wasm::HostFn{};
  runtime::HostFn fn = nullptr;
};

/// Every host function, in table order (ward_v1 first, then WASI).
std::span<const HostFunction> host_functions();
/// The table entry of module.name, or null.
const HostFunction* find_host_function(std::string_view module, std::string_view name);
/// The imports a contract may have, with their exact types (for wasm::check_policy).
std::span<const wasm::ImportSpec> host_import_specs();

/// The runtime::Extern of each import of `module`, in import order, pointing
/// at the table's static FuncInst objects (one per entry, type_id =
/// runtime::canonical_type_id(type)). Errors name the import:
/// "import env.foo: unknown host function", "import ward_v1.log: type
/// (i32) -> () does not match (i32, i32, i32, i32) -> ()", or
/// "import env.memory: only functions may be imported (found memory)".
Result<std::vector<runtime::Extern>> resolve_imports(const wasm::Module& module);

}  // namespace ward::host
