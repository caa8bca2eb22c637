// ward/aot/boxes.h — wasm2c views of Ward's run-time objects. Every
// runtime::Memory / Table / funcref Global used by AOT code has exactly one
// view per process (a registry keyed by the object), so instances that share
// the object share the view. Also the per-thread AOT state.
// Thread-safety: the registries take a lock; views follow their objects.
#pragma once

#include <memory>

#include "aot/aot.h"

namespace ward::aot::detail {

struct MemBox {
  wasm_rt_memory_t rt{};
  std::shared_ptr<runtime::Memory> mem;
  /// Refreshes rt from mem (after someone else may have grown it).
  void refresh() {
    rt.data = mem->data();
    rt.pages = mem->pages();
    rt.max_pages = mem->max_pages();
    rt.size = mem->size_bytes();
  }
};

struct TableBox {
  wasm::ValType elem = wasm::ValType::FuncRef;
  wasm_rt_funcref_table_t fr{};
  wasm_rt_externref_table_t er{};
  std::shared_ptr<runtime::Table> shell;
  ~TableBox();
  void* rt() { return elem == wasm::ValType::FuncRef ? static_cast<void*>(&fr) : static_cast<void*>(&er); }
  uint64_t size() const { return elem == wasm::ValType::FuncRef ? fr.size : er.size; }
  uint64_t max() const { return elem == wasm::ValType::FuncRef ? fr.max_size : er.max_size; }
};

struct RefCell {
  wasm_rt_funcref_t ref{};
  std::shared_ptr<runtime::Global> global;
};

/// The view of a memory (created on first use).
std::shared_ptr<MemBox> mem_box(const std::shared_ptr<runtime::Memory>& mem);
/// The view of a table (created on first use from the table's elements).
std::shared_ptr<TableBox> table_box(const std::shared_ptr<runtime::Table>& table);
/// The cell of a funcref global (created on first use).
std::shared_ptr<RefCell> ref_cell(const std::shared_ptr<runtime::Global>& global);
/// Records that `ref` is the wasm2c form of `fi` (both directions); `own`:
/// fi is defined by the instance of `ref` (preferred over import glue).
void register_ref(runtime::FuncInst* fi, const wasm_rt_funcref_t& ref, bool own);
/// Forgets what register_ref(fi, ref, ...) recorded (the registering instance goes away).
void unregister_ref(runtime::FuncInst* fi, const wasm_rt_funcref_t& ref);

/// The calling thread's AOT state (imported by instrumented code).
ward_aot_env& thread_env();
/// Gas beyond what the signed env.gas holds (only for huge gas limits).
uint64_t& thread_hidden_gas();

/// Loads ctx's gas into the thread state: env.gas up to
/// runtime::kGasCounterCap, the rest in thread_hidden_gas().
void load_gas(ward_aot_env& env, const runtime::ExecContext& ctx);
/// Loads ctx's gas (load_gas), depth and stack slots into the thread state
/// (the stack counter packed for env.max_depth and env.max_slots, which the
/// caller sets to the running module's limits); flush_state writes them back.
void load_state(ward_aot_env& env, const runtime::ExecContext& ctx);
void flush_state(const ward_aot_env& env, runtime::ExecContext& ctx);

}  // namespace ward::aot::detail
