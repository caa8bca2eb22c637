// ward/aot/instrument.h — turns a validated module into C for the AOT
// backend: rewrites it with libwabt so that it charges gas per basic block
// exactly like the interpreter (wasm::analyze_gas), charges the dynamic costs
// of bulk memory and table operations, limits call depth and stack slots the
// way the interpreter counts them, and imports every memory, table and global
// from Ward; then runs wabt's C writer (wasm2c) on the result.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/limits.h"
#include "util/result.h"
#include "wasm/gas_schedule.h"
#include "wasm/module.h"

namespace ward::aot {

/// The C translation of an instrumented module.
struct GeneratedC {
  std::string source;  ///< wasm2c's .c, adjusted for Ward's runtime (module name "m")
  std::string header;  ///< wasm2c's .h ("m.h")
};

/// Import names of the instrumented module (module "W"): function import i
/// is "f<i>", global i "g<i>", table i "t<i>", memory "m0"; then "gas",
/// "stack" (aot/stack_counter.h), "why". Table "wardall" (exported) holds every function
/// of the original index space, by index.
inline constexpr const char* kImportModule = "W";

/// Instruments `module` and writes it as C. `metering` off leaves out all gas
/// charges (static and dynamic); on, the static and bulk/table costs are
/// those of `gas` (the grow costs are charged by Ward's runtime, with the
/// values generate_glue puts into the object). Call depth and stack slots
/// are always checked against `limits`. `guard_pages`: memory accesses are
/// not bounds-checked (the code may only run on a guarded memory, see
/// c_patch.h). Errors name the function or wabt's complaint, a schedule
/// whose bulk_bytes_per_gas is not a power of two, or limits the stack
/// counter cannot hold (max_call_depth or max_stack_slots above 2^31 - 1).
Result<GeneratedC> generate_c(const wasm::Module& module, const runtime::Limits& limits, bool metering,
                              bool guard_pages = false, const wasm::GasSchedule& gas = wasm::kGasScheduleV1);

}  // namespace ward::aot
