// ward/engine.h — Ward's engine as a library: create a backend by name,
// compile a module from bytes under Limits, instantiate it and call its
// exports with a gas limit, or run it as a contract whose storage the
// embedder provides (ContractStorage). Contracts use Ward's host ABI v1
// (docs/host-abi.md) and run on the same executor as a node, so results,
// gas and traps are those of a node. docs/embedding.md is the guide.
// Errors are values (Expected / Outcome); no function of this header throws
// except std::bad_alloc.
// Thread-safety: an Engine and a Module may be used from several threads at
// once; an Instance or a Contract by one thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ward/limits.h"
#include "ward/storage.h"

namespace ward {

namespace detail {
struct EngineImpl;
struct ModuleImpl;
struct InstanceImpl;
struct ContractImpl;
}  // namespace detail


/// Options of an Engine.
struct EngineOptions {
  /// AOT only: folder of the compiled-object cache (must be private to the
  /// user); empty: $WARD_AOT_CACHE, else ~/.cache/ward/aot (docs/aot.md).
  std::string aot_cache_dir;
  /// AOT only: when the C compiler fails or is missing, compile on the
  /// interpreter instead of failing (same results and gas).
  bool aot_interp_fallback = false;
};

/// A wasm value type.
enum class ValType : uint8_t { I32, I64, F32, F64, FuncRef, ExternRef };

/// A wasm value: i32 zero-extended, floats as raw bits, references as an
/// opaque token (0 = null).
struct Value {
  ValType type = ValType::I32;
  uint64_t bits = 0;
  static Value i32(int32_t v) { return {ValType::I32, static_cast<uint32_t>(v)}; }
  static Value i64(int64_t v) { return {ValType::I64, static_cast<uint64_t>(v)}; }
  int32_t as_i32() const { return static_cast<int32_t>(static_cast<uint32_t>(bits)); }
  int64_t as_i64() const { return static_cast<int64_t>(bits); }
};

/// How a call ended.
enum class CallStatus : uint8_t {
  Ok,        ///< returned; a contract's writes and events are committed
  Reverted,  ///< the contract called revert; nothing committed
  Trapped,   ///< a trap, out of gas, or a host error; nothing committed
  Failed,    ///< did not run or could not finish: unknown method, bad args, storage error
};
/// "ok", "reverted", "trapped", "failed".
const char* to_string(CallStatus status);

/// An event a contract emitted with `log`.
struct Event {
  std::string name;  ///< UTF-8
  std::string data;  ///< JSON text
};

/// The outcome of a call.
struct Outcome {
  CallStatus status = CallStatus::Failed;
  /// Contract method: the JSON text it wrote with result_write (empty when
  /// none or not ok). Plain export: empty (see `values`).
  std::string result;
  std::vector<Value> values;  ///< plain export: its results when ok
  uint64_t gas_used = 0;      ///< gas units; the whole limit when out of gas
  /// Empty when ok; else e.g. "out of gas", "reverted: <reason>",
  /// "trapped: integer divide by zero", "host error: storage_get: storage
  /// error: <embedder's message>", "unknown method 'x' ...".
  std::string error;
  std::vector<Event> events;       ///< in emission order; empty unless ok
  std::vector<std::string> debug;  ///< debug_print lines (kept on failure too)
  /// Contract calls: the embedder's ContractStorage reported a failure
  /// during this call (the error then contains "storage error: ").
  bool storage_failed = false;
  bool ok() const noexcept { return status == CallStatus::Ok; }
};

class Module;
class Instance;
class Contract;

/// A backend: Ward's interpreter or its AOT compiler.
class Engine {
 public:
  /// Creates the backend `name`: "interp" (the interpreter), "aot" (wasm2c
  /// and the system C compiler, objects cached on disk) or "auto" (AOT, on
  /// the interpreter while a module compiles in the background). Error
  /// UnknownBackend for any other name.
  static Expected<std::shared_ptr<Engine>> create(std::string_view name, const EngineOptions& options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;
  /// "interp", "aot" or "auto".
  std::string_view name() const;
  /// Decodes, validates and compiles a module (raw wasm bytes) under
  /// `limits`. Errors: InvalidModule ("module too large: ...", "invalid
  /// module: ...", a Limits field exceeded), Compile (the backend failed).
  Expected<std::shared_ptr<Module>> compile(std::span<const uint8_t> wasm, const Limits& limits = {});

  std::shared_ptr<detail::EngineImpl> impl() const noexcept { return m_impl; }

 private:
  explicit Engine(std::shared_ptr<detail::EngineImpl> impl) : m_impl(std::move(impl)) {}
  std::shared_ptr<detail::EngineImpl> m_impl;
};

/// One export of a module.
struct ExportInfo {
  std::string name;
  bool is_function = false;
  std::vector<ValType> params;   ///< functions only
  std::vector<ValType> results;  ///< functions only
};

/// Options of a contract (Module::contract).
struct ContractOptions {
  /// The deployer: the contract's address is the one a deploy by this
  /// account at nonce 0 gets (chain::contract_address; docs/host-abi.md).
  Address deployer{};
  /// Gas of the deploy check (instantiation and start function), gas units.
  /// 0: Limits::max_gas.
  uint64_t deploy_gas = 0;
};

/// The block and caller of one contract call.
struct CallInfo {
  Address sender{};           ///< what `sender` (and `origin`) return
  uint64_t block_height = 0;  ///< what `block_height` returns
  int64_t block_time = 0;     ///< seconds since the Unix epoch: `block_time`; WASI clocks
};

/// A compiled module (immutable, shareable).
class Module {
 public:
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;
  /// The module's exports, in module order.
  std::vector<ExportInfo> exports() const;
  /// Instantiates for plain export calls: imports resolve against Ward's
  /// host table (ward_v1, the WASI subset) on a private in-memory state that
  /// lives as long as the instance. `gas_limit` (gas units; 0: default_gas)
  /// bounds the segments and the start function. Error Instantiate:
  /// "import env.f: unknown host function", "instantiation trapped: unreachable".
  Expected<std::unique_ptr<Instance>> instantiate(uint64_t gas_limit = 0);
  /// Makes a contract of this module whose own storage is `storage` (which
  /// must outlive it). Runs the deploy checks (deploy policy: only host-ABI
  /// imports; at least one method; instantiation and start function) once.
  /// Error InvalidModule with the deploy's message, or Storage.
  Expected<std::unique_ptr<Contract>> contract(ContractStorage& storage, const ContractOptions& options = {});

  std::shared_ptr<detail::ModuleImpl> impl() const noexcept { return m_impl; }

 private:
  friend class Engine;
  explicit Module(std::shared_ptr<detail::ModuleImpl> impl) : m_impl(std::move(impl)) {}
  std::shared_ptr<detail::ModuleImpl> m_impl;
};

/// A module instance for calling plain exports.
class Instance {
 public:
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;
  /// Calls the exported function `name` with `args` (one per parameter, of
  /// its types) and at most `gas_limit` gas (0: default_gas). Status Failed
  /// when the export is missing or the arguments do not match its type;
  /// Trapped with the trap's message ("trapped: unreachable", "out of gas").
  Outcome call(std::string_view name, std::span<const Value> args = {}, uint64_t gas_limit = 0);

 private:
  friend class Module;
  explicit Instance(std::unique_ptr<detail::InstanceImpl> impl);
  std::unique_ptr<detail::InstanceImpl> m_impl;
};

/// A contract: a module plus the embedder's storage. Each call runs as a
/// node runs a contract call (docs/host-abi.md): the input is JSON, the
/// result JSON; reads go to the storage at once; writes are buffered and
/// handed to ContractStorage::put/del only when the call ends ok (on any
/// failure nothing is written). Objects and native balances (object_*,
/// balance, transfer) live in the contract object and are not persisted;
/// cross-contract calls return status 2.
class Contract {
 public:
  ~Contract();
  Contract(const Contract&) = delete;
  Contract& operator=(const Contract&) = delete;
  /// The contract's address (what `self_address` returns).
  const Address& address() const noexcept;
  /// Calls `method` with JSON `args_json` (empty: "{}") and at most
  /// `gas_limit` gas (0: default_gas; above max_gas: Failed). A storage
  /// failure while writing back gives status Failed, error "storage error:
  /// <message>"; some writes may already have been applied then.
  Outcome call(std::string_view method, std::string_view args_json = {}, uint64_t gas_limit = 0,
               const CallInfo& info = {});

 private:
  friend class Module;
  explicit Contract(std::unique_ptr<detail::ContractImpl> impl);
  std::unique_ptr<detail::ContractImpl> m_impl;
};

}  // namespace ward
