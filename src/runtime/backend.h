// ward/runtime/backend.h — the one backend interface. A Backend compiles a
// validated module into a CompiledModule; a CompiledModule is instantiated
// any number of times; an Instance runs calls. The interpreter (`interp`) and
// the AOT compiler (`aot`) implement it. Gas, limits and traps behave the
// same on every backend (DESIGN.md section 4-5).
// Thread-safety: a CompiledModule may be instantiated from several threads;
// an Instance is used by one thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/limits.h"
#include "runtime/objects.h"
#include "runtime/trap.h"
#include "runtime/value.h"
#include "util/result.h"
#include "wasm/gas_schedule.h"
#include "wasm/module.h"

namespace ward::runtime {

/// The most gas a backend's signed gas counter holds while code runs (it may
/// dip below zero between check points, docs/gas.md); the rest of a larger
/// ExecContext::gas_left waits outside the counter. Only unmetered-size
/// limits (the spec runner's, UINT64_MAX) reach it.
inline constexpr uint64_t kGasCounterCap = INT64_MAX / 4;

/// Per-call execution state shared by the backend and the host functions.
struct ExecContext {
  uint64_t gas_left = UINT64_MAX;  ///< decremented by every charge; OutOfGas when a charge exceeds it
  const Limits* limits = nullptr;  ///< never null during a call
  void* host_env = nullptr;        ///< the host's environment for this call (host::CallEnv*)
  std::string message;             ///< details for Host / Revert traps
  int32_t exit_code = 0;           ///< set by proc_exit (TrapKind::Exit)
  uint32_t depth = 0;              ///< current wasm call depth (backends maintain it)
  /// Value-stack slots of the active wasm frames: the sum, along the call
  /// chain, of each function's params + locals + static maximum operand
  /// height; above Limits::max_stack_slots a call traps with
  /// CallStackExhausted (backends maintain it).
  uint64_t stack_slots = 0;
  /// Set by a runtime::Watchdog when Limits::timeout_ms has passed; a backend
  /// checks it on loop back-edges and calls and stops with TrapKind::Timeout.
  /// Null: no wall-clock limit. Never part of consensus.
  const std::atomic<bool>* interrupt = nullptr;

  /// Charges gas; false (and gas_left = 0) when it does not cover `amount`.
  bool charge(uint64_t amount) noexcept {
    if (amount > gas_left) { gas_left = 0; return false; }
    gas_left -= amount;
    return true;
  }
};

/// What a host function sees of the running call.
struct HostCall {
  ExecContext& ctx;
  Memory* memory;        ///< the calling instance's memory 0, or null
  const FuncInst& func;  ///< the host function being called

  /// Sets ctx.message and returns TrapKind::Host, for `return call.fail(...)`.
  TrapKind fail(std::string message) {
    ctx.message = std::move(message);
    return TrapKind::Host;
  }
};

/// An import or export value (spec 4.2.10 external values).
struct Extern {
  wasm::ExternKind kind = wasm::ExternKind::Func;
  FuncInst* func = nullptr;  ///< owned by its instance or by the host's table; must outlive users
  std::shared_ptr<Memory> memory;
  std::shared_ptr<Table> table;
  std::shared_ptr<Global> global;
};

/// Ends a call or an instantiation that stopped with `t`: a trap uses up
/// all the gas (runtime::uses_all_gas, docs/gas.md), so ctx.gas_left = 0.
/// Returns t. Instance::invoke and CompiledModule::instantiate apply it for
/// every backend.
inline TrapKind settle_gas(TrapKind t, ExecContext& ctx) {
  if (uses_all_gas(t)) ctx.gas_left = 0;
  return t;
}

/// A module instance (spec 4.2.5).
class Instance {
 public:
  virtual ~Instance() = default;
  /// The exported value of this name, or an Error naming the missing export.
  virtual Result<Extern> get_export(std::string_view name) = 0;
  /// The function of this index in the module's function space.
  virtual FuncInst* function(uint32_t func_index) = 0;
  /// Memory 0, or null when the module has none.
  virtual Memory* memory() = 0;
  /// Calls `func` (of this instance, or any FuncInst) with args (one Value per
  /// param), writes one Value per result into results. Returns TrapKind::None
  /// on success; on a trap, results are unspecified, ctx says more and the
  /// gas is used up (settle_gas).
  TrapKind invoke(const FuncInst& func, std::span<const Value> args, std::span<Value> results,
                  ExecContext& ctx) {
    return settle_gas(do_invoke(func, args, results, ctx), ctx);
  }

 protected:
  /// The backend's call path behind invoke().
  virtual TrapKind do_invoke(const FuncInst& func, std::span<const Value> args, std::span<Value> results,
                             ExecContext& ctx) = 0;
};

/// Outcome of instantiation (spec 4.5.4).
struct InstantiateResult {
  enum class Status : uint8_t { Ok, Unlinkable, Trapped, Failed } status = Status::Ok;
  std::unique_ptr<Instance> instance;  ///< Ok only
  TrapKind trap = TrapKind::None;      ///< Trapped: the trap of a segment or the start function
  std::string message;                 ///< what went wrong (names the import, segment, ...)
};

/// A compiled module, ready to instantiate.
class CompiledModule {
 public:
  virtual ~CompiledModule() = default;
  virtual const wasm::Module& module() const = 0;
  /// Instantiates with `imports` given in the module's import order. Checks
  /// each import's kind and type (Unlinkable), allocates memories/tables/
  /// globals, applies element and data segments (Trapped when out of
  /// bounds; effects on imported objects before the trap stay, spec 2.0),
  /// then runs the start function with ctx (Trapped on its trap; a trap
  /// uses up the gas, settle_gas).
  InstantiateResult instantiate(std::span<const Extern> imports, ExecContext& ctx) {
    InstantiateResult r = do_instantiate(imports, ctx);
    if (r.status == InstantiateResult::Status::Trapped) settle_gas(r.trap, ctx);
    return r;
  }

 protected:
  /// The backend's instantiation behind instantiate().
  virtual InstantiateResult do_instantiate(std::span<const Extern> imports, ExecContext& ctx) = 0;
};

/// Options for compiling a module.
struct CompileOptions {
  bool metering = true;  ///< charge gas per basic block (docs/gas.md); off only for benchmarks
  /// The gas schedule (wasm::gas_schedule) whose costs the code charges,
  /// static and dynamic. compile() fails on an unknown revision.
  uint32_t gas_revision = 1;
};

/// A backend: `interp` or `aot`.
class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string_view name() const = 0;
  /// Compiles a validated module. Errors name the function that could not be compiled.
  virtual Result<std::shared_ptr<CompiledModule>> compile(std::shared_ptr<const wasm::Module> module,
                                                          const Limits& limits,
                                                          const CompileOptions& options) = 0;
};

/// Ward's interpreter backend (src/interp).
std::unique_ptr<Backend> make_interp_backend();

}  // namespace ward::runtime
