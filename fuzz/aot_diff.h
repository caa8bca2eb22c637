// ward/fuzz/aot_diff.h — the differential check between Ward's two
// backends: one module on the interpreter and on AOT compiled code, the same
// calls, compared exactly: results (every bit, NaNs included: both backends
// canonicalise them), trap kinds, gas used by instantiation and by every
// call (out of gas included), calls of imported functions, and after every
// call the memory's contents and the exported globals.
// Many modules are compiled by the AOT backend into one shared object
// (aot::detail::compile_aot_batch), so that the C compiler's fixed costs are
// paid once per batch.
// Thread-safety: none; one comparison per thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "diff.h"

namespace ward::fuzz {

/// Options of diff_backends_batch.
struct BackendDiffOptions {
  /// Gas for instantiation and for each exported call, on both backends;
  /// running out is an outcome to compare like any other.
  uint64_t gas_per_call = 1'000'000;
  bool metering = true;  ///< compile both with metering (false: gas is not compared)
  /// Passes over the exports on the same instance (RunOptions::rounds).
  uint32_t rounds = 1;
  /// Call exports with generated arguments (RunOptions::arg_seed, seeded
  /// from the module's bytes, so a kept module reproduces them) instead of
  /// zeros.
  bool random_args = true;
  std::string aot_cache_dir;  ///< where the AOT backend builds and loads (private to the user); empty: its default
};

/// Timing of one batch, in wall-clock seconds.
struct BatchTimes {
  double interp_compile = 0;  ///< loading and interpreter translation of every module
  double aot_compile = 0;     ///< instrumentation, C generation, the C compiler, loading
  double run = 0;             ///< running and comparing
};

/// Compares the interpreter and the AOT backend on each module of `modules`
/// (wasm bytes); one verdict per module, in order: Skipped when Ward
/// rejects the module or its first call ran into the wall-clock timeout
/// (not deterministic; later timeouts end the comparison); Different with
/// what differed first, or when the AOT backend cannot build a module the
/// interpreter runs; else Same. Never Ambiguous.
std::vector<DiffResult> diff_backends_batch(const std::vector<std::vector<uint8_t>>& modules,
                                            const BackendDiffOptions& options, BatchTimes* times = nullptr);

}  // namespace ward::fuzz
