// ward/spectest/differential.h — the differential mode of the spec runner
// (`ward spec-test DIR --differential`): every command of a script runs on
// two backends side by side, each with its own instances, and every call
// into wasm (invoke actions and instantiations, whose start function is the
// call) must give the same result bits, trap kind and gas on both.
// Thread-safety: functions of this file use the runners they are given from
// the calling thread only.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "spectest/script.h"

namespace ward::spectest {

/// The default gas limit of every call in differential mode (that of any
/// spec run): finite, so that gas is counted, and far above what any
/// testsuite call uses.
constexpr uint64_t kDifferentialGasLimit = kSpecGasLimit;

/// Compares what two backends recorded for one command, in order. Adds one
/// line per disagreeing invocation to `differences` ("invoke \"f\" (i32:1):
/// interp returned (i32:2), gas 12; aot returned (i32:3), gas 12") and the
/// number of compared calls to `compared`: invoke actions that reached
/// their function on both, and instantiations of modules with a start
/// function. Numbers compare bit for bit (i32 and f32 on their low 32
/// bits; NaNs exactly), funcrefs by nullness (function identities are
/// backend-specific), externrefs by token.
void compare_invocations(const std::vector<Invocation>& a, std::string_view name_a, const std::vector<Invocation>& b,
                         std::string_view name_b, std::vector<std::string>& differences, uint64_t& compared);

/// Runs every command of `script` on runner `a` then on runner `b` (both
/// recording, `b` given the gas limit of `a`), checks each runner's expectations
/// and compares their invocations. A command passes when it passes on both
/// and they agree; otherwise it fails, with the details of each backend's
/// failure (prefixed "[name]") and of each difference. Adds to `report`,
/// including report.compared and report.differences.
void run_differential(const nlohmann::json& script, ScriptRunner& a, std::string_view name_a, ScriptRunner& b,
                      std::string_view name_b, FileReport& report);

}  // namespace ward::spectest
