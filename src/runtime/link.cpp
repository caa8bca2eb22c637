#include "runtime/link.h"

#include <algorithm>

#include <fmt/format.h>

namespace ward::runtime {

std::string import_name(const wasm::Import& im) { return fmt::format("\"{}\".\"{}\"", im.module, im.field); }

bool limits_match(uint64_t actual_min, bool actual_has_max, uint64_t actual_max, const wasm::SizeLimits& want) {
  if (actual_min < want.min) return false;
  return !want.has_max || (actual_has_max && actual_max <= want.max);
}

Result<void> check_import(const wasm::Module& module, const wasm::Import& im, const Extern& ex) {
  const std::string name = import_name(im);
  if (ex.kind != im.kind) {
    return make_error(fmt::format("incompatible import type: import {} expects a {}, got a {}", name,
                                  wasm::to_string(im.kind), wasm::to_string(ex.kind)));
  }
  switch (im.kind) {
    case wasm::ExternKind::Func: {
      const wasm::FuncType& want = module.types[im.type_index];
      if (ex.func == nullptr) return make_error(fmt::format("import {}: no function given", name));
      if (!(ex.func->type == want)) {
        return make_error(fmt::format("incompatible import type: import {} expects function {}, got {}", name,
                                      wasm::to_string(want), wasm::to_string(ex.func->type)));
      }
      return {};
    }
    case wasm::ExternKind::Table:
      if (!ex.table) return make_error(fmt::format("import {}: no table given", name));
      return {};
    case wasm::ExternKind::Memory: {
      if (!ex.memory) return make_error(fmt::format("import {}: no memory given", name));
      const Memory& mem = *ex.memory;
      if (!limits_match(mem.pages(), true, mem.max_pages(), im.memory.limits)) {
        return make_error(fmt::format("incompatible import type: memory import {} does not match (pages {}, max {})",
                                      name, mem.pages(), mem.max_pages()));
      }
      return {};
    }
    case wasm::ExternKind::Global:
      if (!ex.global) return make_error(fmt::format("import {}: no global given", name));
      if (ex.global->type.type != im.global.type || ex.global->type.mut != im.global.mut) {
        return make_error(fmt::format("incompatible import type: global import {} expects {}{}", name,
                                      im.global.mut ? "mut " : "", wasm::to_string(im.global.type)));
      }
      return {};
  }
  return make_error(fmt::format("import {}: unknown kind", name));
}

Result<std::shared_ptr<Table>> create_table(const wasm::TableType& type, uint64_t index, const Limits& limits) {
  if (type.limits.min > limits.max_table_elements) {
    return make_error(fmt::format("table {}: initial size {} exceeds max_table_elements ({})", index,
                                  type.limits.min, limits.max_table_elements));
  }
  auto t = std::make_shared<Table>();
  t->elem = type.elem;
  t->max = type.limits.has_max ? std::min<uint64_t>(type.limits.max, limits.max_table_elements)
                               : limits.max_table_elements;
  t->elems.assign(type.limits.min, 0);
  return t;
}

Result<std::shared_ptr<Memory>> create_memory(const wasm::MemoryType& type, uint64_t index, const Limits& limits,
                                              bool guarded) {
  if (type.limits.min > limits.max_memory_pages) {
    return make_error(fmt::format("memory {}: initial size {} pages exceeds max_memory_pages ({})", index,
                                  type.limits.min, limits.max_memory_pages));
  }
  const uint64_t max = type.limits.has_max ? std::min<uint64_t>(type.limits.max, limits.max_memory_pages)
                                           : limits.max_memory_pages;
  auto mem = Memory::create(static_cast<uint32_t>(type.limits.min), static_cast<uint32_t>(max), guarded);
  if (!mem) return make_error(fmt::format("memory {}: cannot allocate", index));
  return mem;
}

InstantiateResult instantiate_failure(InstantiateResult::Status status, std::string message, TrapKind trap) {
  InstantiateResult r;
  r.status = status;
  r.message = std::move(message);
  r.trap = trap;
  return r;
}

Result<LinkedImports> link_imports(const wasm::Module& m, std::span<const Extern> imports, const Limits& lim,
                                   const TableExtent& extent) {
  if (imports.size() != m.imports.size()) {
    return make_error(fmt::format("module expects {} imports, {} given", m.imports.size(), imports.size()));
  }
  LinkedImports out;
  for (size_t i = 0; i < imports.size(); ++i) {
    const wasm::Import& im = m.imports[i];
    const Extern& ex = imports[i];
    if (auto ok = check_import(m, im, ex); !ok) return ok.error();
    switch (im.kind) {
      case wasm::ExternKind::Func: out.funcs.push_back(ex.func); break;
      case wasm::ExternKind::Table: {
        const auto [size, max] = extent(ex.table);
        if (ex.table->elem != im.table.elem ||
            !limits_match(size, max < lim.max_table_elements || im.table.limits.has_max, max, im.table.limits)) {
          return make_error(fmt::format("incompatible import type: table import {} does not match (size {}, max {})",
                                        import_name(im), size, max));
        }
        out.tables.push_back(ex.table);
        break;
      }
      case wasm::ExternKind::Memory: out.memory = ex.memory; break;
      case wasm::ExternKind::Global: out.globals.push_back(ex.global); break;
    }
  }
  return out;
}

Result<Extern> find_export(const wasm::Module& m, std::string_view name, std::span<FuncInst* const> funcs,
                           std::span<const std::shared_ptr<Table>> tables, const std::shared_ptr<Memory>& memory,
                           std::span<const std::shared_ptr<Global>> globals) {
  for (const wasm::Export& e : m.exports) {
    if (e.name != name) continue;
    Extern x;
    x.kind = e.kind;
    switch (e.kind) {
      case wasm::ExternKind::Func: x.func = e.index < funcs.size() ? funcs[e.index] : nullptr; break;
      case wasm::ExternKind::Table: x.table = e.index < tables.size() ? tables[e.index] : nullptr; break;
      case wasm::ExternKind::Memory: x.memory = memory; break;
      case wasm::ExternKind::Global: x.global = e.index < globals.size() ? globals[e.index] : nullptr; break;
    }
    return x;
  }
  return make_error(fmt::format("no export named \"{}\"", name));
}

std::optional<TrapKind> invoke_prologue(Instance& self, Memory* memory, const FuncInst& func,
                                        std::span<const Value> args, std::span<Value> results, ExecContext& ctx) {
  const size_t np = func.type.params.size(), nr = func.type.results.size();
  if (args.size() != np || results.size() < nr) {
    ctx.message = fmt::format("invoke: expected {} arguments and {} results, got {} and {}", np, nr, args.size(),
                              results.size());
    return TrapKind::Host;
  }
  if (func.host != nullptr) {
    HostCall call{ctx, memory, func};
    return func.host(call, args.data(), results.data());
  }
  if (func.instance != &self) return func.instance->invoke(func, args, results, ctx);
  return std::nullopt;
}

uint64_t eval_const(const wasm::ConstExpr& e, std::span<Global* const> globals,
                    std::span<FuncInst* const> funcs) {
  switch (e.kind) {
    case wasm::ConstExpr::Kind::I32Const:
    case wasm::ConstExpr::Kind::F32Const: return e.bits & 0xFFFFFFFFull;
    case wasm::ConstExpr::Kind::I64Const:
    case wasm::ConstExpr::Kind::F64Const: return e.bits;
    case wasm::ConstExpr::Kind::GlobalGet:
      return e.index < globals.size() && globals[e.index] != nullptr ? globals[e.index]->value.bits : 0;
    case wasm::ConstExpr::Kind::RefNull: return 0;
    case wasm::ConstExpr::Kind::RefFunc:
      return e.index < funcs.size() ? static_cast<uint64_t>(reinterpret_cast<uintptr_t>(funcs[e.index])) : 0;
  }
  return 0;
}

SegmentFault first_segment_fault(const wasm::Module& m, std::span<Global* const> globals,
                                 std::span<FuncInst* const> funcs, std::span<const uint64_t> table_sizes,
                                 const Memory* memory) {
  SegmentFault f;
  for (size_t i = 0; i < m.elems.size(); ++i) {
    const wasm::ElemSegment& seg = m.elems[i];
    if (seg.mode != wasm::SegmentMode::Active) continue;
    const uint64_t off = static_cast<uint32_t>(eval_const(seg.offset, globals, funcs));
    if (seg.table_index >= table_sizes.size() || off + seg.init.size() > table_sizes[seg.table_index]) {
      f.trap = TrapKind::TableOutOfBounds;
      f.index = i;
      f.message = fmt::format("element segment {}: out of bounds table access", i);
      return f;
    }
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const wasm::DataSegment& seg = m.datas[i];
    if (seg.mode != wasm::SegmentMode::Active) continue;
    const uint64_t off = static_cast<uint32_t>(eval_const(seg.offset, globals, funcs));
    if (memory == nullptr || !memory->in_bounds(off, seg.data_size)) {
      f.trap = TrapKind::MemoryOutOfBounds;
      f.index = i;
      f.message = fmt::format("data segment {}: out of bounds memory access", i);
      return f;
    }
  }
  return f;
}

}  // namespace ward::runtime
