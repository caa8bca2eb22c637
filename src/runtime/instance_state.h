// ward/runtime/instance_state.h — the state of a module instance (spec 4.2.6:
// its function, table, memory and global index spaces, element and data
// segments) and the instantiation steps that build it, the same for every
// backend. A backend derives its instance from InstanceState and supplies
// its code and the call path (Instance::invoke) only.
// Thread-safety: an instance is used by one thread at a time (its tables,
// memory and globals may be shared with other instances, which must then be
// used from the same thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "runtime/backend.h"
#include "runtime/link.h"

namespace ward::runtime {

/// The index spaces and segment state of one instance, and Instance's
/// get_export / function / memory over them. Built by the steps below, in
/// this order (each may read what the earlier ones filled): adopt_imports,
/// add_tables, add_memory, add_functions, add_globals; then the segment step
/// (segment_fault, and for a backend that applies segments itself, m_elems,
/// drop_elem, m_data_dropped, drop_data) and the start function. A step that
/// fails leaves the state partly built; the backend then discards (or
/// retains, spec 4.5.4) the instance. Members are public for the backends'
/// hot paths, which read them directly. Not copyable: function instances,
/// tables and references point into it.
class InstanceState : public Instance {
 public:
  /// `module`: the instance's module (shared, kept alive by the instance).
  explicit InstanceState(std::shared_ptr<const wasm::Module> module) : m_module(std::move(module)) {}
  InstanceState(const InstanceState&) = delete;
  InstanceState& operator=(const InstanceState&) = delete;

  /// Export `name` (runtime::find_export over the index spaces).
  Result<Extern> get_export(std::string_view name) override;
  /// Function `func_index` of the function index space, or null past its end.
  FuncInst* function(uint32_t func_index) override {
    return func_index < m_funcs.size() ? m_funcs[func_index] : nullptr;
  }
  /// Memory 0, or null when the module has none.
  Memory* memory() override { return m_mem; }

  /// Starts each index space with the matched imports (link_imports); room
  /// is reserved in m_funcs for the defined functions.
  void adopt_imports(LinkedImports linked);
  /// Appends the module's defined tables (create_table) and fills
  /// m_table_ptrs. Error: create_table's, for the first table that fails.
  Result<void> add_tables(const Limits& limits);
  /// Creates each defined memory (create_memory); memory 0 is the imported
  /// one, else the first defined one (any other is released). Then sets
  /// m_mem. `guarded`: each is first tried guarded (Memory::create), and when
  /// that reservation fails, plain. Error: create_memory's, for the first
  /// memory that fails.
  Result<void> add_memory(const Limits& limits, bool guarded = false);
  /// Creates the function instances of the defined functions (m_own_funcs,
  /// owned by this instance) and appends them to m_funcs. `type_ids`: the
  /// canonical type id of each type index of the module.
  void add_functions(std::span<const uint32_t> type_ids);
  /// Fills m_global_ptrs with the imported globals, then creates each defined
  /// global from its initialiser (which may read the globals before it and
  /// reference any function).
  void add_globals();

  /// Value of constant expression `e` in this instance so far (runtime::eval_const).
  uint64_t eval_const(const wasm::ConstExpr& e) const { return runtime::eval_const(e, m_global_ptrs, m_funcs); }
  /// Where the segment step stops (runtime::first_segment_fault), with
  /// `table_sizes` the current size of each table as the backend sees it.
  SegmentFault segment_fault(std::span<const uint64_t> table_sizes) const {
    return first_segment_fault(*m_module, m_global_ptrs, m_funcs, table_sizes, m_mem);
  }
  /// elem.drop: element segment `index` keeps no references (m_elems sized).
  void drop_elem(size_t index) {
    m_elems[index].clear();
    m_elems[index].shrink_to_fit();
  }
  /// data.drop: data segment `index` reads as empty (m_data_dropped sized).
  void drop_data(size_t index) { m_data_dropped[index] = 1; }

  /// The module this is an instance of.
  std::shared_ptr<const wasm::Module> m_module;
  /// Function index space: imported functions (owned elsewhere), then
  /// pointers into m_own_funcs.
  std::vector<FuncInst*> m_funcs;
  /// This instance's defined functions; sized once by add_functions and never
  /// resized after (m_funcs, tables and references point into it).
  std::vector<FuncInst> m_own_funcs;
  /// Table index space, shared with importers and exporters.
  std::vector<std::shared_ptr<Table>> m_tables;
  /// m_tables[i].get(), for the hot path.
  std::vector<Table*> m_table_ptrs;
  /// Memory 0 (imported or defined), or null; shared like the tables.
  std::shared_ptr<Memory> m_memory;
  /// m_memory.get().
  Memory* m_mem = nullptr;
  /// Global index space, shared like the tables.
  std::vector<std::shared_ptr<Global>> m_globals;
  /// m_globals[i].get(), for the hot path and constant expressions.
  std::vector<Global*> m_global_ptrs;
  /// Per element segment, its references (funcref: FuncInst address, 0 for
  /// null); empty once dropped. Filled by backends that apply segments
  /// themselves, empty otherwise.
  std::vector<std::vector<uint64_t>> m_elems;
  /// Per data segment, 1 once dropped. Sized by backends that apply segments
  /// themselves, empty otherwise.
  std::vector<uint8_t> m_data_dropped;
};

}  // namespace ward::runtime
