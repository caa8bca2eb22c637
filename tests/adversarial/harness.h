// Test helpers of the adversarial suite: modules from cases/*.wat or built as
// bytes, a dump of a whole key/value store, and one deploy (+ call) of a case
// on a fresh state through chain::Executor.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/limits.h"
#include "state/kv_store.h"
#include "wasm/policy.h"

namespace ward::adversarial {

using Bytes = std::vector<uint8_t>;

/// The binary of cases/<name>.wat, built once with wat2wasm; empty on failure.
const Bytes& case_module(const std::string& name);
/// The binary of WAT text, built with wat2wasm; empty on failure.
Bytes wat_to_wasm(const std::string& text);

/// Every key and value of the store, in key order, hex-escaped: equal dumps
/// mean equal states.
std::string dump(state::KvStore& store);

/// What one case is expected to do.
enum class Expect {
  Rejected,  ///< the deploy fails (nothing stored)
  Fails,     ///< the deploy succeeds; the call fails and changes nothing
  Ok,        ///< the deploy and the call succeed
};

/// A deploy of `module`, then (unless method is empty) a call of `method`.
struct Scenario {
  Bytes module;
  std::string method;
  uint64_t gas = 0;  ///< 0: Limits::default_gas
  wasm::FloatPolicy floats = wasm::FloatPolicy::Allow;
  runtime::Limits limits;
};

/// What a scenario did, on a fresh MemoryStore.
struct Outcome {
  bool deployed = false;      ///< the deploy succeeded
  bool called_ok = false;     ///< the call succeeded
  std::string error;          ///< the deploy's error, else the call's
  uint64_t deploy_gas = 0;
  uint64_t call_gas = 0;
  std::string state_before;   ///< dump before the deploy, or before the call when deployed
  std::string state_after;    ///< dump at the end
  std::string store_error;    ///< the store itself failed (never expected)
};

/// Runs a scenario once on a fresh state with backend `backend` ("interp"
/// or "aot", tests/unit/support/backend_fixture.h).
Outcome run_scenario(const Scenario& s, const std::string& backend);

}  // namespace ward::adversarial
