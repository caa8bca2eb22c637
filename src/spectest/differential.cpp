// The differential mode of the spec runner (see differential.h).
#include "spectest/differential.h"

#include <fmt/format.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "spectest/values.h"

namespace ward::spectest {

namespace {

/// The bits of a value that belong to its type.
uint64_t significant_bits(wasm::ValType type, runtime::Value v) {
  switch (type) {
    case wasm::ValType::I32:
    case wasm::ValType::F32: return v.bits & 0xffff'ffffull;
    case wasm::ValType::FuncRef: return v.bits == 0 ? 0 : 1;
    default: return v.bits;
  }
}

std::string describe_outcome(const Invocation& inv) {
  if (inv.kind == Invocation::Kind::NotRun) return "did not run";
  std::string s;
  if (inv.kind == Invocation::Kind::Instantiate) {
    using Status = runtime::InstantiateResult::Status;
    switch (static_cast<Status>(inv.status)) {
      case Status::Ok: s = "instantiated"; break;
      case Status::Unlinkable: s = "unlinkable"; break;
      case Status::Trapped: s = std::string("trapped \"") + runtime::trap_message(inv.trap) + "\""; break;
      case Status::Failed: s = "failed"; break;
    }
  } else if (inv.trap != runtime::TrapKind::None) {
    s = std::string("trapped \"") + runtime::trap_message(inv.trap) + "\"";
  } else {
    s = "returned (";
    for (size_t i = 0; i < inv.values.size() && i < inv.types.size(); ++i) {
      if (i > 0) s += ", ";
      s += describe(inv.types[i], inv.values[i]);
    }
    s += ")";
  }
  return s + ", gas " + std::to_string(inv.gas_used);
}

/// True when the two recorded calls agree.
bool same(const Invocation& a, const Invocation& b) {
  if (a.kind != b.kind || a.gas_used != b.gas_used || a.trap != b.trap || a.status != b.status) return false;
  if (a.types != b.types || a.values.size() != b.values.size()) return false;
  for (size_t i = 0; i < a.values.size(); ++i) {
    if (significant_bits(a.types[i], a.values[i]) != significant_bits(b.types[i], b.values[i])) return false;
  }
  return true;
}

}  // namespace

void compare_invocations(const std::vector<Invocation>& a, std::string_view name_a, const std::vector<Invocation>& b,
                         std::string_view name_b, std::vector<std::string>& differences, uint64_t& compared) {
  const size_t n = std::max(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= a.size() || i >= b.size()) {
      const Invocation& only = i < a.size() ? a[i] : b[i];
      differences.push_back(fmt::format("{}: {} only on {}", only.what, describe_outcome(only),
                                        i < a.size() ? name_a : name_b));
      continue;
    }
    const Invocation& x = a[i];
    const Invocation& y = b[i];
    const bool counted = (x.kind == Invocation::Kind::Invoke && y.kind == Invocation::Kind::Invoke) ||
                         (x.kind == Invocation::Kind::Instantiate && y.kind == Invocation::Kind::Instantiate &&
                          x.has_start);
    if (counted) ++compared;
    if (!same(x, y)) {
      differences.push_back(
          fmt::format("{}: {} {}; {} {}", x.what, name_a, describe_outcome(x), name_b, describe_outcome(y)));
    }
  }
}

void run_differential(const nlohmann::json& script, ScriptRunner& a, std::string_view name_a, ScriptRunner& b,
                      std::string_view name_b, FileReport& report) {
  a.set_recording(true);
  b.set_recording(true);
  b.set_gas_limit(a.gas_limit());  // kDifferentialGasLimit unless the run chose another (--gas)
  for (const nlohmann::json& cmd : script.at("commands")) {
    FileReport ra;
    FileReport rb;
    a.run_one(cmd, ra);
    b.run_one(cmd, rb);
    std::vector<std::string> diffs;
    compare_invocations(a.take_invocations(), name_a, b.take_invocations(), name_b, diffs, report.compared);
    report.differences += diffs.size();
    if (ra.failed > 0 || rb.failed > 0 || !diffs.empty()) {
      ++report.failed;
      for (const std::string& f : ra.failures) report.failures.push_back(fmt::format("[{}] {}", name_a, f));
      for (const std::string& f : rb.failures) report.failures.push_back(fmt::format("[{}] {}", name_b, f));
      const std::string head = fmt::format("line {}: {} differential: ", cmd.value("line", int64_t{0}),
                                           cmd.value("type", std::string("?")));
      for (const std::string& d : diffs) report.failures.push_back(head + d);
    } else if (ra.passed > 0 && rb.passed > 0) {
      ++report.passed;
    } else if (ra.skipped > 0 || rb.skipped > 0) {
      ++report.skipped;
    }
  }
}

}  // namespace ward::spectest
