// libFuzzer target: differential execution, Ward's interpreter against
// wabt's (fuzz/diff.h). A real difference aborts, so libFuzzer keeps the
// input; differences that NaN bits may explain are only counted.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>

#include "diff.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static size_t ambiguous = 0;
  ward::fuzz::DiffOptions options;
  options.gas_per_call = 100'000'000;
  const ward::fuzz::DiffResult r = ward::fuzz::diff_module(std::span<const uint8_t>(data, size), options);
  if (r.kind == ward::fuzz::DiffResult::Kind::Ambiguous && ++ambiguous <= 5) {
    std::fprintf(stderr, "fuzz_diff: ambiguous (NaN bits): %s\n", r.detail.c_str());
  }
  if (r.kind == ward::fuzz::DiffResult::Kind::Different) {
    std::fprintf(stderr, "fuzz_diff: DIFFERENCE: %s\n", r.detail.c_str());
    std::abort();
  }
  return 0;
}
