// ward/aot/aot.h — the AOT backend: public entry points (make_aot_backend,
// make_tiered_backend) and the internals shared by backend.cpp and
// instance.cpp. A module is instrumented (instrument.h), translated to C by
// wasm2c, compiled by the system C compiler into a shared object (cached on
// disk, cache.h) and loaded with dlopen; its instances run behind the same
// runtime::Backend interface as the interpreter, with the same results,
// traps and gas.
// Thread-safety: as runtime/backend.h. Instances that share tables call each
// other's code directly and must be used from one thread at a time.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "aot/rt/ward_aot_abi.h"
#include "runtime/backend.h"
#include "runtime/instance_state.h"

namespace ward::aot {

/// Options of the AOT backend.
struct AotOptions {
  std::string cache_dir;  ///< empty: Cache::default_location() (cache.h); must be private to this user
  bool use_cache = true;  ///< false: compile every time (build folder and object copy in cache_dir, removed)
  /// Modules with more bytes of C function definitions than this compile as
  /// several translation units (c_split.h); 0: $WARD_AOT_SPLIT_BYTES, else
  /// 256 KiB.
  uint64_t split_bytes = 0;
  /// When the module cannot be compiled or loaded (cache folder refused,
  /// compiler failed or missing, disk full...), compile() returns the
  /// interpreter's module instead of an error: results, traps and gas are
  /// the same, so a node-local problem never changes a transaction's
  /// outcome. For chain-facing processes (CLI deploy/call/run, node); tests
  /// and spec runs keep the default (false) so AOT failures stay visible.
  bool interp_fallback = false;
  /// Tiering only: when the compiled module is released before its
  /// background build ends, the build is cancelled (the compiler's process
  /// group is killed, its folder removed) instead of waited for. For
  /// short-lived processes (CLI) that must exit once they have the answer;
  /// a long-running process keeps the default (false) and lets builds finish
  /// and fill the cache.
  bool cancel_on_release = false;
  /// Linear memory by guard pages (docs/adr/0010-aot-guard-pages.md): the
  /// code has no bounds checks and every memory it uses reserves
  /// runtime::kGuardReservationBytes of address space; an access past the
  /// size faults and becomes the same out-of-bounds trap. Used when true, on
  /// 64-bit Linux (x86-64, AArch64), when the fault handler could be
  /// installed and $WARD_AOT_GUARD_PAGES is not "0". An instance whose
  /// memory is not guarded (the reservation failed, or an imported memory
  /// made elsewhere) runs a bounds-checked build of the same module instead,
  /// compiled (or read from the cache) when first needed.
  bool guard_pages = true;
  /// Receives a one-line notice when interp_fallback is used or a cache
  /// entry could not be written; empty: silent.
  std::function<void(const std::string&)> warn;
};

/// The AOT backend.
std::unique_ptr<runtime::Backend> make_aot_backend(AotOptions options = {});

/// A backend that uses a valid cache entry at once; otherwise it compiles
/// with the AOT backend in a background thread and, meanwhile, instantiates
/// with the interpreter; instances created after the AOT build is ready run
/// compiled code. Modules the AOT backend cannot compile stay on the
/// interpreter. See AotOptions::cancel_on_release for short-lived processes.
std::unique_ptr<runtime::Backend> make_tiered_backend(AotOptions options = {});

namespace detail {

struct MemBox;
struct TableBox;
struct RefCell;

/// A loaded shared object.
struct Library {
  void* handle = nullptr;
  const ward_aot_module_info* info = nullptr;
};

class AotModule final : public runtime::CompiledModule, public std::enable_shared_from_this<AotModule> {
 public:
  const wasm::Module& module() const override { return *m_module; }
  runtime::InstantiateResult do_instantiate(std::span<const runtime::Extern> imports,
                                            runtime::ExecContext& ctx) override;

  /// The code for a memory: m_lib when it suits (guarded memory, or none),
  /// else the bounds-checked build (loaded once, on first need).
  Result<Library> library_for(const runtime::Memory* memory) const;

  std::shared_ptr<const wasm::Module> m_module;
  runtime::Limits m_limits;
  bool m_metering = true;
  const wasm::GasSchedule* m_gas = &wasm::kGasScheduleV1;  ///< the costs its code charges (gas_revision)
  bool m_guard_pages = false;  ///< m_lib has no bounds checks: guarded memories only
  Library m_lib;
  AotOptions m_options;        ///< for the bounds-checked build
  std::vector<uint32_t> m_type_ids;

 private:
  mutable std::mutex m_checked_mu;
  mutable Library m_checked;   ///< the bounds-checked build, once loaded
};

/// How to call function i of an instance.
struct Target {
  ward_aot_tramp tramp = nullptr;
  wasm_rt_function_ptr_t fn = nullptr;
  void* module_instance = nullptr;
};

/// A module instance of the AOT backend: the state (index spaces) is
/// runtime::InstanceState's; this adds the generated instance, the wasm2c
/// views of the tables, memory and globals, and the call path. Segments are
/// applied by the generated code (m_elems and m_data_dropped stay empty).
class AotInstance final : public runtime::InstanceState {
 public:
  explicit AotInstance(std::shared_ptr<const AotModule> mod)
      : runtime::InstanceState(mod->m_module), m_mod(std::move(mod)) {}
  ~AotInstance() override;
  /// As InstanceState's, with funcref globals synchronised first.
  Result<runtime::Extern> get_export(std::string_view name) override;
  runtime::TrapKind do_invoke(const runtime::FuncInst& func, std::span<const runtime::Value> args,
                              std::span<runtime::Value> results, runtime::ExecContext& ctx) override;

  /// Runs `fn` (a C closure) with the thread's AOT state set up for ctx.
  runtime::TrapKind run_protected(void (*fn)(void*), void* arg, runtime::ExecContext& ctx);
  /// Copies funcref globals from their cells into runtime::Global values.
  void sync_ref_globals();

  std::shared_ptr<const AotModule> m_mod;
  const ward_aot_module_info* m_info = nullptr;  ///< the code this instance runs (AotModule::library_for)
  void* m_struct = nullptr;  ///< the generated instance struct
  bool m_instantiated = false;
  Z_W_instance_t m_w{};
  std::vector<Target> m_targets;  ///< per function index (own functions)
  /// The wasm2c references this instance registered (boxes.h register_ref).
  std::vector<std::pair<runtime::FuncInst*, wasm_rt_funcref_t>> m_registered;
  std::shared_ptr<MemBox> m_membox;                 ///< the view of m_memory, or null
  std::vector<std::shared_ptr<TableBox>> m_tableboxes;  ///< per table, its view
  std::vector<void*> m_rt_tables;                   ///< per table, its wasm2c table (m_w.tables)
  std::vector<std::shared_ptr<RefCell>> m_refcells;  ///< per global; set for funcref globals
  std::vector<void*> m_rt_globals;                  ///< per global, its value or funcref cell (m_w.globals)
};

/// Loads (or compiles and caches) the shared object of a module. A damaged
/// or untrusted cache entry is rebuilt and replaced. cache_only: only a
/// valid cache entry is loaded (never compiles). cancel (may be null):
/// stops a running build when it becomes true.
/// guard_pages: the build without bounds checks (AotOptions::guard_pages).
/// gas: the costs the code charges (part of the cache key).
Result<Library> load_library(const wasm::Module& module, const runtime::Limits& limits, bool metering,
                             const wasm::GasSchedule& gas, bool guard_pages, const AotOptions& options,
                             bool cache_only = false,
                             const std::atomic<bool>* cancel = nullptr);

/// True when AotOptions::guard_pages can take effect in this process (see
/// there); installs the fault handler on first use.
bool guard_pages_usable(const AotOptions& options);

/// The AOT compiled module of `module` (load_library + AotModule), without
/// the interpreter fallback.
Result<std::shared_ptr<runtime::CompiledModule>> compile_aot(std::shared_ptr<const wasm::Module> module,
                                                             const runtime::Limits& limits, bool metering,
                                                             const wasm::GasSchedule& gas,
                                                             const AotOptions& options, bool cache_only = false,
                                                             const std::atomic<bool>* cancel = nullptr);

/// Compiles several modules into one shared object (compile_batch_object,
/// compiler.h), loaded once: one result per module, in order, each as
/// compile_aot would give it. Never reads or writes cache entries (the
/// folder of AotOptions::cache_dir, or the default, holds the build folder
/// and the loaded copy only). A module whose C is too large for one unit
/// (c_split.h) is built alone by compile_aot. For running many small
/// modules, e.g. the interpreter-vs-AOT differential test (fuzz/): the C
/// compiler still runs once per module, but the link, the load and the
/// cache bookkeeping happen once per batch.
std::vector<Result<std::shared_ptr<runtime::CompiledModule>>> compile_aot_batch(
    std::span<const std::shared_ptr<const wasm::Module>> modules, const runtime::Limits& limits, bool metering,
    const AotOptions& options, const wasm::GasSchedule& gas = wasm::kGasScheduleV1);

/// Converts between funcref values (FuncInst* bits) and wasm2c references.
wasm_rt_funcref_t to_funcref(uint64_t bits);
uint64_t from_funcref(const wasm_rt_funcref_t& ref);

/// The callback table given to every shared object.
const ward_aot_api* api();

}  // namespace detail
}  // namespace ward::aot
