// ward/wasm/policy.cpp — the deploy policy (see policy.h).
#include "wasm/policy.h"

#include <fmt/format.h>

#include "wasm/instr_reader.h"
#include "wasm/prescan.h"

namespace ward::wasm {
namespace {

bool is_float(ValType t) { return t == ValType::F32 || t == ValType::F64; }

bool type_uses_floats(const FuncType& t) {
  for (ValType v : t.params) if (is_float(v)) return true;
  for (ValType v : t.results) if (is_float(v)) return true;
  return false;
}

constexpr const char* kFloatsDenied = "uses floating point, which this chain's policy forbids";

Result<void> check_imports(const Module& module, std::span<const ImportSpec> allowed) {
  bool uses_host_abi = false;
  for (const Import& imp : module.imports) {
    if (imp.kind != ExternKind::Func) {
      return make_error(fmt::format("import \"{}\".\"{}\" is a {} import; a contract may import only host functions",
                                    imp.module, imp.field, to_string(imp.kind)));
    }
    const ImportSpec* spec = nullptr;
    for (const ImportSpec& s : allowed) {
      if (s.module == imp.module && s.field == imp.field) {
        spec = &s;
        break;
      }
    }
    if (spec == nullptr) {
      return make_error(fmt::format("import \"{}\".\"{}\" is not a host function of Ward", imp.module, imp.field));
    }
    const FuncType& actual = module.types[imp.type_index];
    if (!(actual == spec->type)) {
      return make_error(fmt::format("import \"{}\".\"{}\" has type {} but the host ABI defines {}", imp.module,
                                    imp.field, to_string(actual), to_string(spec->type)));
    }
    if (imp.module == kHostAbiModule) uses_host_abi = true;
  }
  if (uses_host_abi && module.find_export("memory", ExternKind::Memory) == nullptr) {
    return make_error("contract imports the host ABI but exports no memory named \"memory\"");
  }
  return {};
}

Result<void> check_floats(const Module& module) {
  if (!module.uses_floats) return {};
  // Functions first, in index-space order, so the error names the first one.
  for (uint32_t i = 0; i < module.num_imported_funcs; ++i) {
    if (type_uses_floats(module.func_type(i))) {
      const Import* imp = nullptr;
      uint32_t seen = 0;
      for (const Import& candidate : module.imports) {
        if (candidate.kind == ExternKind::Func && seen++ == i) {
          imp = &candidate;
          break;
        }
      }
      return make_error(fmt::format("function {} (import \"{}\".\"{}\") has type {}: {}", i, imp ? imp->module : "",
                                    imp ? imp->field : "", to_string(module.func_type(i)), kFloatsDenied));
    }
  }
  for (uint32_t d = 0; d < module.functions.size(); ++d) {
    const uint32_t index = module.num_imported_funcs + d;
    const Function& fn = module.functions[d];
    if (type_uses_floats(module.types[fn.type_index])) {
      return make_error(fmt::format("function {} has type {}: {}", index, to_string(module.types[fn.type_index]),
                                    kFloatsDenied));
    }
    for (ValType t : fn.locals) {
      if (is_float(t)) {
        return make_error(fmt::format("function {} declares a local of type {}: {}", index, to_string(t),
                                      kFloatsDenied));
      }
    }
    InstrReader reader(module.body(d), fn.body_offset);
    Instr in;
    while (!reader.done()) {
      if (!reader.next(in)) return make_error(fmt::format("function {}: {}", index, reader.error()));
      const bool block_float = (in.op == Op::Block || in.op == Op::Loop || in.op == Op::If) &&
                               ((in.block.kind == BlockType::Kind::Value && is_float(in.block.value)) ||
                                (in.block.kind == BlockType::Kind::TypeIndex &&
                                 in.block.type_index < module.types.size() &&
                                 type_uses_floats(module.types[in.block.type_index])));
      const bool select_float = in.op == Op::SelectT && is_float(in.ref_type);
      if (detail::is_float_op(in.op) || block_float || select_float) {
        return make_error(fmt::format("function {} {} ({} at offset {:#x})", index, kFloatsDenied,
                                      op_info(in.op).text, in.offset));
      }
    }
  }
  uint32_t global_index = 0;
  for (const Import& imp : module.imports) {
    if (imp.kind != ExternKind::Global) continue;
    if (is_float(imp.global.type)) {
      return make_error(fmt::format("global {} (import \"{}\".\"{}\") has type {}: {}", global_index, imp.module,
                                    imp.field, to_string(imp.global.type), kFloatsDenied));
    }
    ++global_index;
  }
  for (const Global& g : module.globals) {
    if (is_float(g.type.type)) {
      return make_error(fmt::format("global {} has type {}: {}", global_index, to_string(g.type.type), kFloatsDenied));
    }
    ++global_index;
  }
  for (size_t i = 0; i < module.types.size(); ++i) {
    if (type_uses_floats(module.types[i])) {
      return make_error(fmt::format("type {} is {}: {}", i, to_string(module.types[i]), kFloatsDenied));
    }
  }
  return make_error(fmt::format("module {}", kFloatsDenied));
}

}  // namespace

Result<void> check_policy(const Module& module, std::span<const ImportSpec> allowed, FloatPolicy floats) {
  if (auto r = check_imports(module, allowed); !r) return r;
  if (floats == FloatPolicy::Deny) {
    if (auto r = check_floats(module); !r) return r;
  }
  return {};
}

Result<void> check_resource_limits(const Module& module, const ward::Limits& limits) {
  const uint64_t tables = uint64_t{module.num_imported_tables} + module.tables.size();
  if (tables > limits.max_tables) {
    return make_error(fmt::format("table count (imported + defined) {} exceeds max_tables ({})", tables,
                                  limits.max_tables));
  }
  // Index spaces start with the imports (spec 2.5.1).
  uint32_t table_index = 0, memory_index = 0;
  auto check_table = [&](const TableType& t) -> Result<void> {
    if (t.limits.min > limits.max_table_elements) {
      return make_error(fmt::format("table {}: initial size {} elements exceeds max_table_elements ({})", table_index,
                                    t.limits.min, limits.max_table_elements));
    }
    ++table_index;
    return {};
  };
  auto check_memory = [&](const MemoryType& m) -> Result<void> {
    if (m.limits.min > limits.max_memory_pages) {
      return make_error(fmt::format("memory {}: initial size {} pages exceeds max_memory_pages ({})", memory_index,
                                    m.limits.min, limits.max_memory_pages));
    }
    ++memory_index;
    return {};
  };
  for (const Import& imp : module.imports) {
    if (imp.kind == ExternKind::Table) {
      if (auto r = check_table(imp.table); !r) return r;
    } else if (imp.kind == ExternKind::Memory) {
      if (auto r = check_memory(imp.memory); !r) return r;
    }
  }
  for (const TableType& t : module.tables) {
    if (auto r = check_table(t); !r) return r;
  }
  for (const MemoryType& m : module.memories) {
    if (auto r = check_memory(m); !r) return r;
  }
  return {};
}

}  // namespace ward::wasm
