// The differential check between Ward's interpreter and wabt's (see diff.h).
#include "diff.h"

#include <fmt/format.h>

#include "harness.h"
#include "wabt_runner.h"
#include "wasm/instr_reader.h"
#include "wasm/module.h"

namespace ward::fuzz {

using runtime::TrapKind;
using wasm::Op;

namespace {

/// What the module's code contains that matters to the comparison.
struct CodeTraits {
  bool nan_observable = false;  ///< reinterpret, float store or copysign
  bool memory_grow = false;
  bool table_grow = false;
};

CodeTraits scan_code(const wasm::Module& m) {
  CodeTraits t;
  wasm::Instr ins;
  for (uint32_t i = 0; i < m.functions.size(); ++i) {
    wasm::InstrReader reader(m.body(i), m.functions[i].body_offset);
    while (!reader.done() && reader.next(ins)) {
      switch (ins.op) {
        case Op::I32ReinterpretF32:
        case Op::I64ReinterpretF64:
        case Op::F32Store:
        case Op::F64Store:
        case Op::F32Copysign:
        case Op::F64Copysign: t.nan_observable = true; break;
        case Op::MemoryGrow: t.memory_grow = true; break;
        case Op::TableGrow: t.table_grow = true; break;
        default: break;
      }
    }
  }
  return t;
}

bool is_nan_bits(uint64_t bits, wasm::ValType t) {
  if (t == wasm::ValType::F32) return (bits & 0x7F800000u) == 0x7F800000u && (bits & 0x007FFFFFu) != 0;
  if (t == wasm::ValType::F64) {
    return (bits & 0x7FF0000000000000ull) == 0x7FF0000000000000ull && (bits & 0x000FFFFFFFFFFFFFull) != 0;
  }
  return false;
}

/// Equal as wasm values of type t: any NaN equals any NaN; references by null-ness.
bool same_value(uint64_t ward, uint64_t wabt, wasm::ValType t) {
  if (wasm::is_ref(t)) return (ward != 0) == (wabt != 0);
  if (t == wasm::ValType::I32 || t == wasm::ValType::F32) {
    ward &= 0xFFFFFFFFull;
    wabt &= 0xFFFFFFFFull;
  }
  if (is_nan_bits(ward, t) && is_nan_bits(wabt, t)) return true;
  return ward == wabt;
}

/// Ward's trap kind for a wabt trap message, or None when it has no exact counterpart.
TrapKind wabt_trap_kind(const std::string& msg) {
  auto starts = [&](const char* p) { return msg.rfind(p, 0) == 0; };
  if (starts("unreachable")) return TrapKind::Unreachable;
  if (starts("out of bounds memory access")) return TrapKind::MemoryOutOfBounds;
  if (starts("integer divide by zero")) return TrapKind::IntDivByZero;
  if (starts("integer overflow")) return TrapKind::IntOverflow;
  if (starts("invalid conversion")) return TrapKind::InvalidConversion;
  if (starts("indirect call signature mismatch")) return TrapKind::IndirectCallTypeMismatch;
  if (starts("uninitialized table element")) return TrapKind::UninitializedElement;
  return TrapKind::None;
}

template <class Call>
std::string describe_log_entry(const Call& c) {
  std::string s = fmt::format("import {}(", c.import_index);
  for (size_t i = 0; i < c.args.size(); ++i) s += fmt::format("{}{:#x}", i ? ", " : "", c.args[i]);
  return s + ")";
}

/// Compares the first n entries of both logs; empty when equal.
std::string compare_logs(const std::vector<ImportCall>& ward, size_t ward_n, const std::vector<WabtImportCall>& wabt,
                         size_t wabt_n) {
  for (size_t i = 0; i < ward_n && i < wabt_n; ++i) {
    const ImportCall& a = ward[i];
    const WabtImportCall& b = wabt[i];
    bool same = a.import_index == b.import_index && a.args.size() == b.args.size();
    for (size_t k = 0; same && k < a.args.size(); ++k) same = same_value(a.args[k], b.args[k], a.types[k]);
    if (!same) {
      return fmt::format("import call #{}: Ward {} vs wabt {}", i, describe_log_entry(a), describe_log_entry(b));
    }
  }
  if (ward_n != wabt_n) return fmt::format("import calls: Ward made {}, wabt {}", ward_n, wabt_n);
  return {};
}

}  // namespace

const char* to_string(DiffResult::Kind kind) {
  switch (kind) {
    case DiffResult::Kind::Skipped: return "skipped";
    case DiffResult::Kind::Same: return "same";
    case DiffResult::Kind::Ambiguous: return "ambiguous";
    case DiffResult::Kind::Different: return "different";
  }
  return "?";
}

DiffResult diff_module(std::span<const uint8_t> bytes, const DiffOptions& options) {
  using Kind = DiffResult::Kind;
  const runtime::Limits limits = fuzz_limits();

  // Ward first: only what Ward finished within its budget is run on wabt.
  RunOptions run;
  run.gas_per_call = options.gas_per_call;
  run.stop_on_resource_trap = true;
  run.record_imports = true;
  const RunOutcome ward = run_module(bytes, limits, run);
  if (!ward.module) return verdict(Kind::Skipped, "Ward rejected the module: " + ward.message);
  const wasm::Module& m = *ward.module;
  if (ward.stage < RunOutcome::Stage::Instantiate) return verdict(Kind::Skipped, "Ward: " + ward.message);
  for (const wasm::Import& imp : m.imports) {
    if (imp.kind != wasm::ExternKind::Func) return verdict(Kind::Skipped, "a non-function import");
  }
  const CodeTraits traits = scan_code(m);
  if (traits.table_grow) return verdict(Kind::Skipped, "table.grow (unbounded on wabt)");
  if (traits.memory_grow) {
    for (const wasm::MemoryType& mt : m.memories) {
      if (!mt.limits.has_max || mt.limits.max > limits.max_memory_pages) {
        return verdict(Kind::Skipped, "memory.grow past Ward's page limit");
      }
    }
  }
  const bool ward_inst_trapped = ward.stage == RunOutcome::Stage::Instantiate;
  if (ward_inst_trapped && (ward.resource_stop || ward.start_trap == TrapKind::None)) {
    return verdict(Kind::Skipped, "Ward instantiation stopped: " + ward.message);
  }

  const size_t n = ward.calls.size() - (ward.resource_stop ? 1 : 0);
  const WabtOutcome wabt = run_wabt(bytes.data(), bytes.size(), n, true);
  const Kind differ = (options.nan_free || !traits.nan_observable) ? Kind::Different : Kind::Ambiguous;
  if (!wabt.loaded) return verdict(Kind::Different, "Ward accepted the module, wabt rejected it: " + wabt.message);
  if (!wabt.linked) return verdict(Kind::Skipped, wabt.message);

  // Instantiation (segments and the start function).
  if (ward_inst_trapped || wabt.start_trapped) {
    if (wabt.start_trapped && is_wabt_exhaustion(wabt.message)) return verdict(Kind::Skipped, "wabt: " + wabt.message);
    if (ward_inst_trapped != wabt.start_trapped) {
      return verdict(differ, fmt::format("instantiation: Ward {}, wabt {}",
                                         ward_inst_trapped ? runtime::trap_message(ward.start_trap) : "ok",
                                         wabt.start_trapped ? wabt.message : "ok"));
    }
    std::string logs = compare_logs(ward.log, ward.log.size(), wabt.log, wabt.log.size());
    if (!logs.empty()) return verdict(differ, "instantiation: " + logs);
    return verdict(Kind::Same, "both trapped in instantiation");
  }

  // Exported function calls, in order, until either side hits a resource limit.
  size_t k = 0;
  for (; k < n && k < wabt.calls.size(); ++k) {
    const ExportCall& a = ward.calls[k];
    const WabtCall& b = wabt.calls[k];
    if (b.trapped && is_wabt_exhaustion(b.trap_message)) break;
    const bool a_trapped = a.trap != TrapKind::None;
    if (a_trapped != b.trapped) {
      return verdict(differ, fmt::format("export \"{}\": Ward {}, wabt {}", a.name,
                                         a_trapped ? runtime::trap_message(a.trap) : "returned",
                                         b.trapped ? b.trap_message : "returned"), k);
    }
    if (a_trapped) {
      const TrapKind want = wabt_trap_kind(b.trap_message);
      if (want != TrapKind::None && want != a.trap) {
        return verdict(differ, fmt::format("export \"{}\": Ward trapped with \"{}\", wabt with \"{}\"", a.name,
                                           runtime::trap_message(a.trap), b.trap_message), k);
      }
      continue;
    }
    if (a.results.size() != b.results.size()) {
      return verdict(Kind::Different, fmt::format("export \"{}\": {} results on Ward, {} on wabt", a.name,
                                                  a.results.size(), b.results.size()), k);
    }
    for (size_t r = 0; r < a.results.size(); ++r) {
      if (!same_value(a.results[r], b.results[r], a.result_types[r])) {
        return verdict(differ, fmt::format("export \"{}\" result {} ({}): Ward {:#x}, wabt {:#x}", a.name, r,
                                           wasm::to_string(a.result_types[r]), a.results[r], b.results[r]), k);
      }
    }
  }
  const size_t ward_log_n = k < ward.calls.size() ? ward.calls[k].log_before : ward.log.size();
  const size_t wabt_log_n = k < wabt.calls.size() ? wabt.calls[k].log_before : wabt.log.size();
  std::string logs = compare_logs(ward.log, ward_log_n, wabt.log, wabt_log_n);
  if (!logs.empty()) return verdict(differ, logs, k);
  return verdict(Kind::Same, {}, k);
}

}  // namespace ward::fuzz
