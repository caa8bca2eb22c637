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

}  // namespace ward::runtime
