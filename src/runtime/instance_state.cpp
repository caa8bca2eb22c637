// ward/runtime/instance_state.cpp — the instantiation steps that build an
// instance's index spaces (runtime::InstanceState).
#include "runtime/instance_state.h"

namespace ward::runtime {

Result<Extern> InstanceState::get_export(std::string_view name) {
  return find_export(*m_module, name, m_funcs, m_tables, m_memory, m_globals);
}

void InstanceState::adopt_imports(LinkedImports linked) {
  m_funcs = std::move(linked.funcs);
  m_funcs.reserve(m_module->num_funcs());
  m_tables = std::move(linked.tables);
  m_memory = std::move(linked.memory);
  m_globals = std::move(linked.globals);
}

Result<void> InstanceState::add_tables(const Limits& limits) {
  const wasm::Module& M = *m_module;
  for (size_t i = 0; i < M.tables.size(); ++i) {
    auto t = create_table(M.tables[i], M.num_imported_tables + i, limits);
    if (!t) return t.error();
    m_tables.push_back(std::move(t.value()));
  }
  for (const auto& t : m_tables) m_table_ptrs.push_back(t.get());
  return {};
}

Result<void> InstanceState::add_memory(const Limits& limits, bool guarded) {
  const wasm::Module& M = *m_module;
  for (size_t i = 0; i < M.memories.size(); ++i) {
    auto mem = create_memory(M.memories[i], M.num_imported_memories + i, limits, guarded);
    if (!mem && guarded) mem = create_memory(M.memories[i], M.num_imported_memories + i, limits);
    if (!mem) return mem.error();
    if (!m_memory) m_memory = std::move(mem.value());
  }
  m_mem = m_memory.get();
  return {};
}

void InstanceState::add_functions(std::span<const uint32_t> type_ids) {
  const wasm::Module& M = *m_module;
  m_own_funcs.resize(M.functions.size());
  for (size_t i = 0; i < M.functions.size(); ++i) {
    FuncInst& f = m_own_funcs[i];
    f.type = M.types[M.functions[i].type_index];
    f.type_id = type_ids[M.functions[i].type_index];
    f.instance = this;
    f.index = static_cast<uint32_t>(M.num_imported_funcs + i);
    m_funcs.push_back(&f);
  }
}

void InstanceState::add_globals() {
  for (const auto& g : m_globals) m_global_ptrs.push_back(g.get());
  for (const wasm::Global& g : m_module->globals) {
    auto obj = std::make_shared<Global>();
    obj->type = g.type;
    obj->value.bits = eval_const(g.init);
    m_global_ptrs.push_back(obj.get());
    m_globals.push_back(std::move(obj));
  }
}

}  // namespace ward::runtime
