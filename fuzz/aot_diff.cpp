// The differential check between the interpreter and the AOT backend (see aot_diff.h).
#include "aot_diff.h"

#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "aot/aot.h"
#include "harness.h"
#include "wasm/module.h"

namespace ward::fuzz {

using runtime::TrapKind;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

/// The bits of a value of type t that carry meaning (the low half of 32-bit values).
uint64_t meaningful(uint64_t bits, wasm::ValType t) {
  if (t == wasm::ValType::I32 || t == wasm::ValType::F32) return bits & 0xFFFFFFFFull;
  if (wasm::is_ref(t)) return bits != 0 ? 1 : 0;
  return bits;
}

const char* stage_name(RunOutcome::Stage s) {
  switch (s) {
    case RunOutcome::Stage::Load: return "load";
    case RunOutcome::Stage::Compile: return "compile";
    case RunOutcome::Stage::Link: return "link";
    case RunOutcome::Stage::Instantiate: return "instantiation";
    case RunOutcome::Stage::Ran: return "ran";
  }
  return "?";
}

/// A seed from a module's bytes (FNV-1a).
uint64_t bytes_seed(const std::vector<uint8_t>& bytes) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint8_t b : bytes) h = (h ^ b) * 0x100000001b3ull;
  return h;
}

/// `name(arg, ...)` with the argument bits in hex.
std::string call_text(const ExportCall& c) {
  std::string s = "\"" + c.name + "\"(";
  for (size_t i = 0; i < c.args.size(); ++i) s += fmt::format("{}{:#x}", i ? ", " : "", c.args[i]);
  return s + ")";
}

std::string trap_text(TrapKind t) { return t == TrapKind::None ? "no trap" : runtime::trap_message(t); }

/// Compares the first n import calls of both logs; empty when equal.
std::string compare_logs(const std::vector<ImportCall>& a, const std::vector<ImportCall>& b, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    bool same = a[i].import_index == b[i].import_index && a[i].args.size() == b[i].args.size();
    for (size_t k = 0; same && k < a[i].args.size(); ++k) {
      same = meaningful(a[i].args[k], a[i].types[k]) == meaningful(b[i].args[k], b[i].types[k]);
    }
    if (!same) {
      std::string sa, sb;
      for (uint64_t v : a[i].args) sa += fmt::format(" {:#x}", v);
      for (uint64_t v : b[i].args) sb += fmt::format(" {:#x}", v);
      return fmt::format("import call #{}: interp import {}({}), aot import {}({})", i, a[i].import_index, sa,
                         b[i].import_index, sb);
    }
  }
  return {};
}

/// The verdict on one module from its two runs (interp `a`, aot `b`).
DiffResult compare_runs(const RunOutcome& a, const RunOutcome& b, bool metering) {
  using Kind = DiffResult::Kind;
  if (a.stage != b.stage) {
    return verdict(Kind::Different, fmt::format("interp stopped at {} ({}), aot at {} ({})", stage_name(a.stage),
                                                a.message, stage_name(b.stage), b.message));
  }
  if (a.stage < RunOutcome::Stage::Instantiate) return verdict(Kind::Skipped, "link: " + a.message);
  if (a.stage == RunOutcome::Stage::Instantiate) {
    if (a.start_trap == TrapKind::Timeout || b.start_trap == TrapKind::Timeout) {
      return verdict(Kind::Skipped, "instantiation timed out");
    }
    if (a.start_trap != b.start_trap) {
      return verdict(Kind::Different, fmt::format("instantiation: interp {} ({}), aot {} ({})",
                                                  trap_text(a.start_trap), a.message, trap_text(b.start_trap),
                                                  b.message));
    }
  }
  if (metering && a.start_gas_used != b.start_gas_used) {
    return verdict(Kind::Different,
                   fmt::format("instantiation gas: interp {}, aot {}", a.start_gas_used, b.start_gas_used));
  }
  if (a.stage == RunOutcome::Stage::Instantiate) {
    if (a.log.size() != b.log.size()) {
      return verdict(Kind::Different,
                     fmt::format("instantiation: interp made {} import calls, aot {}", a.log.size(), b.log.size()));
    }
    std::string logs = compare_logs(a.log, b.log, a.log.size());
    if (!logs.empty()) return verdict(Kind::Different, "instantiation: " + logs);
    return verdict(Kind::Same, "both stopped in instantiation: " + trap_text(a.start_trap));
  }

  size_t k = 0;
  for (; k < a.calls.size() && k < b.calls.size(); ++k) {
    const ExportCall& x = a.calls[k];
    const ExportCall& y = b.calls[k];
    // Everything before this call's imports must agree; a timeout makes the rest incomparable.
    if (x.log_before != y.log_before) {
      return verdict(Kind::Different, fmt::format("before export \"{}\": interp made {} import calls, aot {}", x.name,
                                                  x.log_before, y.log_before), k);
    }
    if (x.trap == TrapKind::Timeout || y.trap == TrapKind::Timeout) {
      std::string logs = compare_logs(a.log, b.log, x.log_before);
      if (!logs.empty()) return verdict(Kind::Different, logs, k);
      return verdict(k == 0 ? Kind::Skipped : Kind::Same, fmt::format("export \"{}\" timed out", x.name), k);
    }
    if (x.trap != y.trap) {
      return verdict(Kind::Different, fmt::format("export {}: interp {}, aot {} (gas {} vs {})", call_text(x),
                                                  trap_text(x.trap), trap_text(y.trap), x.gas_used, y.gas_used), k);
    }
    if (metering && x.gas_used != y.gas_used) {
      return verdict(Kind::Different, fmt::format("export {} ({}): gas used interp {}, aot {}", call_text(x),
                                                  trap_text(x.trap), x.gas_used, y.gas_used), k);
    }
    if (x.trap == TrapKind::None) {
      for (size_t r = 0; r < x.results.size() && r < y.results.size(); ++r) {
        if (meaningful(x.results[r], x.result_types[r]) != meaningful(y.results[r], x.result_types[r])) {
          return verdict(Kind::Different, fmt::format("export {} result {} ({}): interp {:#x}, aot {:#x}", call_text(x),
                                                      r, wasm::to_string(x.result_types[r]), x.results[r],
                                                      y.results[r]), k);
        }
      }
      if (x.results.size() != y.results.size()) {
        return verdict(Kind::Different, fmt::format("export \"{}\": {} results on interp, {} on aot", x.name,
                                                    x.results.size(), y.results.size()), k);
      }
    }
    if (x.memory_hash != y.memory_hash) {
      return verdict(Kind::Different,
                     fmt::format("memory after export {} ({}) differs", call_text(x), trap_text(x.trap)), k);
    }
    if (x.globals != y.globals) {
      size_t g = 0;
      while (g < x.globals.size() && g < y.globals.size() && x.globals[g] == y.globals[g]) ++g;
      return verdict(Kind::Different, fmt::format("exported global #{} after export {} ({}) differs", g, call_text(x),
                                                  trap_text(x.trap)), k);
    }
  }
  if (a.calls.size() != b.calls.size()) {
    return verdict(Kind::Different,
                   fmt::format("interp made {} export calls, aot {}", a.calls.size(), b.calls.size()), k);
  }
  if (a.log.size() != b.log.size()) {
    return verdict(Kind::Different, fmt::format("interp made {} import calls, aot {}", a.log.size(), b.log.size()), k);
  }
  std::string logs = compare_logs(a.log, b.log, a.log.size());
  if (!logs.empty()) return verdict(Kind::Different, logs, k);
  DiffResult same = verdict(Kind::Same, {}, k);
  uint64_t gas = a.start_gas_used;
  for (const ExportCall& c : a.calls) {
    if (c.trap != TrapKind::None) ++same.trapped_calls;
    if (c.trap == TrapKind::OutOfGas) ++same.out_of_gas_calls;
    gas += c.gas_used;
  }
  same.detail = fmt::format("{} calls, {} trapped ({} out of gas), {} import calls, {} gas", k, same.trapped_calls,
                            same.out_of_gas_calls, a.log.size(), gas);
  return same;
}

}  // namespace

std::vector<DiffResult> diff_backends_batch(const std::vector<std::vector<uint8_t>>& modules,
                                            const BackendDiffOptions& options, BatchTimes* times) {
  using Kind = DiffResult::Kind;
  const runtime::Limits limits = fuzz_limits();
  std::vector<DiffResult> out(modules.size());
  std::vector<std::shared_ptr<const wasm::Module>> loaded(modules.size());
  std::vector<std::shared_ptr<runtime::CompiledModule>> interp(modules.size());
  runtime::CompileOptions copts;
  copts.metering = options.metering;

  Clock::time_point t = Clock::now();
  std::unique_ptr<runtime::Backend> backend = runtime::make_interp_backend();
  std::vector<std::shared_ptr<const wasm::Module>> to_build;
  std::vector<size_t> build_index;
  for (size_t i = 0; i < modules.size(); ++i) {
    Result<std::shared_ptr<const wasm::Module>> m = wasm::load_module(modules[i], limits);
    if (!m) {
      out[i] = verdict(Kind::Skipped, "Ward rejected the module: " + m.error().message);
      continue;
    }
    auto c = backend->compile(*m, limits, copts);
    if (!c) {
      out[i] = verdict(Kind::Skipped, "interp compile: " + c.error().message);
      continue;
    }
    loaded[i] = *m;
    interp[i] = *c;
    to_build.push_back(*m);
    build_index.push_back(i);
  }
  if (times != nullptr) times->interp_compile += seconds_since(t);

  t = Clock::now();
  aot::AotOptions aopts;
  aopts.cache_dir = options.aot_cache_dir;
  aopts.use_cache = false;
  auto built = aot::detail::compile_aot_batch(to_build, limits, options.metering, aopts);
  if (times != nullptr) times->aot_compile += seconds_since(t);

  t = Clock::now();
  RunOptions run;
  run.gas_per_call = options.gas_per_call;
  run.stop_on_resource_trap = true;
  run.record_imports = true;
  run.record_state = true;
  run.rounds = options.rounds;
  for (size_t k = 0; k < build_index.size(); ++k) {
    const size_t i = build_index[k];
    if (!built[k]) {
      // The interpreter runs it: a module the AOT backend cannot build is a bug of its own.
      out[i] = verdict(Kind::Different, "the AOT backend cannot build a module the interpreter runs: " +
                                            built[k].error().message);
      continue;
    }
    run.arg_seed = options.random_args ? (bytes_seed(modules[i]) | 1) : 0;
    const RunOutcome a = run_compiled(loaded[i], *interp[i], limits, run);
    const RunOutcome b = run_compiled(loaded[i], **built[k], limits, run);
    out[i] = compare_runs(a, b, options.metering);
  }
  if (times != nullptr) times->run += seconds_since(t);
  return out;
}

}  // namespace ward::fuzz
