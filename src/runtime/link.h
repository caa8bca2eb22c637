// ward/runtime/link.h — the parts of instantiation every backend shares
// (spec 4.5.3 import matching, 4.5.4 allocation of tables and memories), so
// that `interp` and `aot` link and size modules by one set of rules.
// Thread-safety: pure functions; created objects belong to the caller.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "runtime/backend.h"

namespace ward::runtime {

/// "\"module\".\"field\"", as import errors name an import.
std::string import_name(const wasm::Import& im);

/// Limits matching (spec 4.5.3): the actual size and maximum of an import
/// (in pages or elements) against the limits the module declares.
bool limits_match(uint64_t actual_min, bool actual_has_max, uint64_t actual_max, const wasm::SizeLimits& want);

/// Checks an import's kind and, for functions, memories and globals, its
/// type; for a table, only that one is given (its size is checked by the
/// backend against its own view of the table with limits_match). The error
/// is the message of an Unlinkable instantiation, e.g.
/// "incompatible import type: import \"env\".\"f\" expects function (i32) -> (), got () -> ()".
Result<void> check_import(const wasm::Module& module, const wasm::Import& im, const Extern& ex);

/// A new table for defined table `index` (index space, imports first): the
/// declared initial size, the maximum capped at Limits::max_table_elements.
/// Error when the initial size exceeds that limit.
Result<std::shared_ptr<Table>> create_table(const wasm::TableType& type, uint64_t index, const Limits& limits);

/// A new linear memory for defined memory `index`: the declared initial
/// pages, the maximum capped at Limits::max_memory_pages. Error when the
/// initial size exceeds that limit or the reservation fails. `guarded`: as
/// Memory::create.
Result<std::shared_ptr<Memory>> create_memory(const wasm::MemoryType& type, uint64_t index, const Limits& limits,
                                              bool guarded = false);

}  // namespace ward::runtime
