// libFuzzer target: load + translation by the interpreter backend, with and
// without metering. Must never crash, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "harness.h"
#include "runtime/backend.h"
#include "wasm/module.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ward::runtime::Limits limits = ward::fuzz::fuzz_limits();
  static const std::unique_ptr<ward::runtime::Backend> backend = ward::runtime::make_interp_backend();
  auto module = ward::wasm::load_module(std::span<const uint8_t>(data, size), limits);
  if (!module) return 0;
  (void)backend->compile(*module, limits, ward::runtime::CompileOptions{true});
  (void)backend->compile(*module, limits, ward::runtime::CompileOptions{false});
  return 0;
}
