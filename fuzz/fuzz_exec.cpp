// libFuzzer target: execution. Loads, compiles and instantiates the module
// with dummy imports (host functions that return zeros), then calls every
// exported function with zero arguments, 1,000,000 gas each. Traps are
// fine; crashes, sanitizer reports and hangs are bugs.
#include <cstddef>
#include <cstdint>
#include <span>

#include "harness.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ward::runtime::Limits limits = ward::fuzz::fuzz_limits();
  ward::fuzz::RunOptions options;
  options.gas_per_call = 1'000'000;
  (void)ward::fuzz::run_module(std::span<const uint8_t>(data, size), limits, options);
  return 0;
}
