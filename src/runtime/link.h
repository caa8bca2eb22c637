// ward/runtime/link.h — the parts of instantiation every backend shares
// (spec 4.5.3 import matching, 4.5.4 allocation of tables and memories), so
// that `interp` and `aot` link and size modules by one set of rules.
// Thread-safety: pure functions; created objects belong to the caller.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

/// An instantiation result without an instance: `status`, `message` (the
/// error or where it trapped) and `trap`.
InstantiateResult instantiate_failure(InstantiateResult::Status status, std::string message,
                                      TrapKind trap = TrapKind::None);

/// A module's imports after import matching, by kind in index order (the
/// start of each index space of the new instance).
struct LinkedImports {
  std::vector<FuncInst*> funcs;
  std::vector<std::shared_ptr<Table>> tables;
  std::shared_ptr<Memory> memory;  ///< the imported memory, or null
  std::vector<std::shared_ptr<Global>> globals;
};

/// The current size and maximum (elements) of a table, as a backend sees it.
using TableExtent = std::function<std::pair<uint64_t, uint64_t>(const std::shared_ptr<Table>&)>;

/// Import matching (spec 4.5.3) of every import, the same for every
/// backend: the count, each kind and type (check_import), and for tables
/// the element type and limits against `extent` (a maximum of at least
/// Limits::max_table_elements counts as none). The error is the message of
/// an Unlinkable instantiation, e.g. "module expects 2 imports, 1 given",
/// "incompatible import type: table import \"env\".\"t\" does not match (size 1, max 1)".
Result<LinkedImports> link_imports(const wasm::Module& module, std::span<const Extern> imports, const Limits& limits,
                                   const TableExtent& extent);

/// Export `name` of an instance (Instance::get_export on every backend): its
/// kind and object, from the instance's index spaces. Error: "no export
/// named \"name\"".
Result<Extern> find_export(const wasm::Module& module, std::string_view name, std::span<FuncInst* const> funcs,
                           std::span<const std::shared_ptr<Table>> tables, const std::shared_ptr<Memory>& memory,
                           std::span<const std::shared_ptr<Global>> globals);

/// The start of Instance::invoke on every backend: wrong argument or result
/// counts give TrapKind::Host (ctx.message says which); a host function runs
/// with `memory` as the calling instance's memory; a function of another
/// instance is invoked there. nullopt: `func` is `self`'s own function, which
/// the backend runs.
std::optional<TrapKind> invoke_prologue(Instance& self, Memory* memory, const FuncInst& func,
                                        std::span<const Value> args, std::span<Value> results, ExecContext& ctx);

/// Value of constant expression `e` (spec 3.3.10) in an instance whose
/// global index space so far is `globals` and function index space is
/// `funcs`: numbers as their bits (i32 and f32 zero-extended), global.get as
/// the global's bits, ref.null as 0, ref.func as the address of the
/// FuncInst; an index past the end gives 0 (validation rules it out).
uint64_t eval_const(const wasm::ConstExpr& e, std::span<Global* const> globals,
                    std::span<FuncInst* const> funcs);

/// Why instantiation traps in its segment step (spec 4.5.4, 2.0 semantics:
/// active element segments in order, then active data segments in order,
/// each as table.init / memory.init): the first segment that does not fit.
/// Both backends report this trap and message, so a deploy's receipt says
/// the same on either.
struct SegmentFault {
  TrapKind trap = TrapKind::None;  ///< TableOutOfBounds (an element segment), MemoryOutOfBounds (a data segment), or None
  size_t index = 0;                ///< the segment's index among the element or data segments
  std::string message;             ///< "element segment 2: out of bounds table access", "data segment 0: ..."
};

/// Finds the SegmentFault of instantiating `module` before any segment is
/// applied: offsets are evaluated with eval_const (`globals`, `funcs` as
/// there), against `table_sizes` (elements of each table, index space) and
/// `memory` (null: none). Sizes cannot change during the segment step (no code runs
/// in it), so the result is exactly where the step stops.
SegmentFault first_segment_fault(const wasm::Module& module, std::span<Global* const> globals,
                                 std::span<FuncInst* const> funcs, std::span<const uint64_t> table_sizes,
                                 const Memory* memory);

}  // namespace ward::runtime
