// ward/fuzz/diff.h — the differential check: one module on Ward's
// interpreter and on wabt's, the same calls, compared results, traps and
// calls of imported functions.
// Thread-safety: none; one comparison per thread.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace ward::fuzz {

/// Options of diff_module.
struct DiffOptions {
  /// Gas per call on Ward. Irrelevant to the comparison; calls that run out
  /// are not made on wabt (which has no gas) and end the comparison.
  uint64_t gas_per_call = 100'000'000;
  /// The module never produces a NaN (binaryen's --denan): every bit is
  /// compared. Otherwise a difference in a module that can observe NaN bits
  /// (reinterpret, float store, copysign) is reported as Ambiguous, since
  /// the sign and payload of a NaN result are not fixed by the spec.
  bool nan_free = false;
};

/// The verdict on one module.
struct DiffResult {
  enum class Kind : uint8_t {
    Skipped,    ///< nothing comparable (Ward rejected it, unsupported imports, a resource limit first, ...)
    Same,       ///< every compared call agreed
    Ambiguous,  ///< a difference that NaN bits may explain
    Different,  ///< a real difference: a bug in one of the two interpreters
  };
  Kind kind = Kind::Skipped;
  std::string detail;         ///< why skipped, or what differed
  size_t compared_calls = 0;  ///< exported function calls compared
  size_t trapped_calls = 0;   ///< of those, calls that trapped the same way (interp vs aot only)
  size_t out_of_gas_calls = 0;  ///< of those, calls that ran out of gas at the same point (interp vs aot only)
};

/// A result of `kind` with `detail` after `compared` compared calls.
inline DiffResult verdict(DiffResult::Kind kind, std::string detail, size_t compared = 0) {
  DiffResult r;
  r.kind = kind;
  r.detail = std::move(detail);
  r.compared_calls = compared;
  return r;
}

/// Runs `bytes` on both interpreters and compares them.
DiffResult diff_module(std::span<const uint8_t> bytes, const DiffOptions& options);

/// "skipped", "same", "ambiguous" or "different".
const char* to_string(DiffResult::Kind kind);

}  // namespace ward::fuzz
