// libFuzzer target: decode + validate (wasm::load_module, with its pre-scan)
// and the deploy policy (wasm::check_policy) on raw bytes. Must never crash,
// whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <span>

#include "harness.h"
#include "host/host.h"
#include "wasm/module.h"
#include "wasm/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const ward::runtime::Limits limits = ward::fuzz::fuzz_limits();
  auto module = ward::wasm::load_module(std::span<const uint8_t>(data, size), limits);
  if (!module) return 0;
  (void)ward::wasm::check_policy(**module, ward::host::host_import_specs(), ward::wasm::FloatPolicy::Allow);
  (void)ward::wasm::check_policy(**module, ward::host::host_import_specs(), ward::wasm::FloatPolicy::Deny);
  (void)ward::wasm::check_policy(**module, {}, ward::wasm::FloatPolicy::Allow);
  return 0;
}
