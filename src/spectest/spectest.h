// ward/spectest/spectest.h — the WebAssembly spec testsuite runner behind
// `ward spec-test DIR [--backend interp|aot|auto] [--differential]`. Each
// .wast script is converted by wabt's wast2json, then its commands run
// against a Ward backend (or two, compared, in differential mode).
// Thread-safety: run_spec_tests is reentrant (no global state); the output
// stream must not be shared with another thread during the run.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/backend.h"
#include "runtime/limits.h"

namespace ward::spectest {

/// What to run and how.
struct SpecOptions {
  std::string dir;                   ///< folder holding the *.wast scripts
  std::string backend = "interp";    ///< backend name, see make_backend()
  std::vector<std::string> only;     ///< file stems to run ("i32", "linking"); empty = all
  bool verbose = false;              ///< also print every failure detail and each wast2json call
  std::string wast2json = "wast2json";  ///< the converter; looked up in PATH unless it has a slash
  /// Runs every script on interp and aot side by side and compares every
  /// call (differential.h); `backend` is then ignored.
  bool differential = false;
  /// Worker threads compiling a script's modules before it runs, for the
  /// aot backend (precompile.h); 1 compiles each module when its command runs.
  unsigned compile_threads = 2;
  /// Gas limit of every invoke and instantiation (kSpecGasLimit in script.h).
  uint64_t gas = 10'000'000'000ull;
  /// Wall-clock limit of every invoke and instantiation, ms (the watchdog's
  /// safety net: a call past it traps with "timeout").
  uint32_t timeout_ms = 60'000;
};

/// Counts over all scripts. The unit is an assertion: every assert_* and
/// every bare action command counts once. `module` and `register` commands
/// count only when they fail (as failed). Scripts named simd_* are skipped
/// whole and add their assertion count to `skipped`; elsewhere, commands
/// with v128 values are skipped one by one.
struct SpecSummary {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  uint64_t compared = 0;     ///< differential mode: calls compared between the backends
  uint64_t differences = 0;  ///< differential mode: calls on which they disagreed (each also a failure)
};

/// Runs every *.wast of options.dir (sorted by name; restricted to
/// options.only when given). Prints one line per file ("i32.wast: 374
/// passed, 0 failed", "simd_lane.wast: skipped (SIMD)"), under a file with
/// failures the details (script line, command, what was expected, what
/// happened), and last "spec: N passed, N failed, N skipped". A missing
/// folder, a folder without .wast files, an unknown backend or a script
/// wast2json cannot convert counts as one failure each. Every invoke and
/// instantiation is bounded by options.gas and options.timeout_ms; the
/// temporary folders are removed before returning.
/// In differential mode, the last line is "differential: N invokes
/// compared, N differences".
SpecSummary run_spec_tests(const SpecOptions& options, std::ostream& out);

/// As run_spec_tests, on the backends given (options.backend and
/// options.differential are ignored): with `second`, the differential mode
/// between `primary` and `second`; without, a plain run on `primary`.
SpecSummary run_spec_tests_on(const SpecOptions& options, runtime::Backend& primary, runtime::Backend* second,
                              std::ostream& out);

/// The backend of this name: "interp" -> runtime::make_interp_backend();
/// null for an unknown name.
std::unique_ptr<runtime::Backend> make_backend(std::string_view name);

/// The limits of a spec run, all set here: deploy-time limits raised far
/// enough for every module of the testsuite (65,536 memory pages, 10 million
/// table elements, large modules and bodies), run-time limits left at their
/// defaults so that assert_exhaustion sees Ward's real call-depth limit.
runtime::Limits spec_limits();

}  // namespace ward::spectest
