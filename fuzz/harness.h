// ward/fuzz/harness.h — the execution path shared by the fuzz targets, the
// differential driver and the regression test: load a module, compile it
// with the interpreter, instantiate it with dummy imports and call every
// exported function with zero arguments under a gas budget.
// Thread-safety: none; one run per thread.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "runtime/backend.h"

namespace ward::fuzz {

/// The limits every fuzz target uses: the defaults, with a short wall-clock
/// safety net so that a slow input cannot stall a fuzzing run.
runtime::Limits fuzz_limits();

/// One call of an imported function, as the dummy host saw it.
struct ImportCall {
  uint32_t import_index = 0;          ///< index in Module::imports
  std::vector<wasm::ValType> types;   ///< parameter types
  std::vector<uint64_t> args;         ///< argument bits
};

/// What a dummy import function knows about itself (FuncInst::host_data).
struct DummyFuncData {
  std::vector<ImportCall>* log = nullptr;  ///< where calls are recorded; may be null
  uint32_t import_index = 0;               ///< index in Module::imports
};

/// Objects standing in for a module's imports: host functions that record
/// their arguments and return zeros, fresh memories, tables and globals of
/// the imported types. Must outlive every instance linked against it.
class DummyImports {
 public:
  /// Builds one Extern per import of `module`; `log` (may be null) receives
  /// every call of an imported function.
  DummyImports(const wasm::Module& module, const runtime::Limits& limits, std::vector<ImportCall>* log);
  DummyImports(const DummyImports&) = delete;
  DummyImports& operator=(const DummyImports&) = delete;

  /// False when some import cannot be provided (e.g. a memory larger than the limits).
  bool ok() const { return m_ok; }
  /// The externs, in import order.
  std::span<const runtime::Extern> externs() const { return m_externs; }

 private:
  std::vector<std::unique_ptr<runtime::FuncInst>> m_funcs;
  std::vector<std::unique_ptr<DummyFuncData>> m_data;
  std::vector<runtime::Extern> m_externs;
  bool m_ok = true;
};

/// What one exported function call did.
struct ExportCall {
  std::string name;
  runtime::TrapKind trap = runtime::TrapKind::None;
  size_t log_before = 0;  ///< RunOutcome::log size when the call started
  std::vector<uint64_t> args;  ///< argument bits (all zero unless RunOptions::arg_seed)
  std::vector<wasm::ValType> result_types;
  std::vector<uint64_t> results;  ///< result bits; meaningful only without a trap
  uint64_t gas_used = 0;          ///< gas the call consumed (all of it after out of gas)
  /// RunOptions::record_state: the instance's state after the call —
  /// memory_hash() of its memory and the bits of every exported global, in
  /// export order (references: 0 or 1 for null / non-null).
  uint64_t memory_hash = 0;
  std::vector<uint64_t> globals;
};

/// How far a run got and what it saw.
struct RunOutcome {
  enum class Stage : uint8_t { Load, Compile, Link, Instantiate, Ran };
  Stage stage = Stage::Load;  ///< the stage that failed, or Ran
  std::shared_ptr<const wasm::Module> module;  ///< set once loaded
  std::string message;        ///< why that stage failed
  runtime::TrapKind start_trap = runtime::TrapKind::None;  ///< Instantiate: the trap, if any
  uint64_t start_gas_used = 0;  ///< gas used by instantiation (segments, start function)
  std::vector<ExportCall> calls;  ///< Ran: one per exported function and round, in export order
  std::vector<ImportCall> log;    ///< calls of imported functions, in order
  /// True when a call stopped for a resource limit (gas, call stack, timeout);
  /// later calls were not made.
  bool resource_stop = false;
};

/// Options of run_module.
struct RunOptions {
  uint64_t gas_per_call = 1'000'000;  ///< gas for instantiation and for each export call
  bool stop_on_resource_trap = false; ///< stop calling exports after out of gas / stack / timeout
  bool record_imports = false;        ///< fill RunOutcome::log
  bool record_state = false;          ///< fill ExportCall::memory_hash and ExportCall::globals
  /// Passes over the exports on the same instance: later passes start from
  /// the memory and globals the earlier ones left.
  uint32_t rounds = 1;
  /// 0: every argument is zero. Otherwise the arguments of call i come from
  /// a generator seeded with (arg_seed, i): small and boundary integers,
  /// random bits, floats of every class; null references. Same seed, same
  /// arguments, so two runs can be compared.
  uint64_t arg_seed = 0;
};

/// Loads, compiles, instantiates and calls every exported function of
/// `bytes` with zero arguments (or generated ones: RunOptions::arg_seed).
/// Never throws; traps are results.
RunOutcome run_module(std::span<const uint8_t> bytes, const runtime::Limits& limits, const RunOptions& options);

/// As run_module, on a module already loaded and compiled (by any backend).
/// `out.module` is set to `module`; never throws.
RunOutcome run_compiled(std::shared_ptr<const wasm::Module> module, runtime::CompiledModule& compiled,
                        const runtime::Limits& limits, const RunOptions& options);

/// A 64-bit digest (FNV-1a over 8-byte words, then the size) of a memory's
/// bytes; 0 for no memory. Equal memories give equal digests.
uint64_t memory_hash(const runtime::Memory* memory);

/// True for the traps that depend on a resource budget rather than on the
/// program's semantics: out of gas, call stack exhausted, timeout.
bool is_resource_trap(runtime::TrapKind trap);

}  // namespace ward::fuzz
