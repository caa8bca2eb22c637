// ward/interp/instance.cpp — instantiation (spec 4.5.4), exports and
// invocation of the interpreter's module instances.
#include <fmt/format.h>

#include <cstring>
#include <mutex>

#include "interp/interp.h"
#include "runtime/link.h"

namespace ward::interp::detail {

using runtime::Extern;
using runtime::FuncInst;
using runtime::InstantiateResult;
using runtime::TrapKind;
using runtime::Value;
using Status = runtime::InstantiateResult::Status;

namespace {

uint64_t eval_const(const wasm::ConstExpr& e, const InterpInstance& inst) {
  return runtime::eval_const(e, inst.m_global_ptrs, inst.m_funcs);
}

/// Instances whose instantiation trapped after their functions may have
/// become reachable from imported tables or globals (spec 4.5.4: those
/// writes persist, so the function instances must stay alive).
void retain_failed(std::unique_ptr<InterpInstance> inst) {
  static std::mutex mu;
  static std::vector<std::unique_ptr<InterpInstance>> retained;
  std::lock_guard<std::mutex> lock(mu);
  retained.push_back(std::move(inst));
}

bool may_have_escaped(const wasm::Module& m) { return m.num_imported_tables > 0 || m.num_imported_globals > 0; }

InstantiateResult failure(Status s, std::string message, TrapKind trap = TrapKind::None) {
  return runtime::instantiate_failure(s, std::move(message), trap);
}

/// Import matching of limits (spec 4.5.3): actual {min, max} against the
/// import's declared {min, max}.
uint64_t result_mask(wasm::ValType t) {
  return (t == wasm::ValType::I32 || t == wasm::ValType::F32) ? 0xFFFFFFFFull : ~0ull;
}

}  // namespace

InstantiateResult InterpModule::instantiate(std::span<const Extern> imports, runtime::ExecContext& ctx) {
  const wasm::Module& M = *m_module;
  const runtime::Limits& lim = m_limits;
  // Imports: kinds and types (spec 4.5.3 import matching), one rule for every backend.
  auto linked = runtime::link_imports(M, imports, lim, [](const std::shared_ptr<runtime::Table>& t) {
    return std::pair<uint64_t, uint64_t>{t->elems.size(), t->max};
  });
  if (!linked) return failure(Status::Unlinkable, linked.error().message);
  auto inst = std::make_unique<InterpInstance>(shared_from_this());
  inst->m_code = m_code.data();
  inst->m_fcode = m_funcs.data();
  inst->m_type_ids = m_type_ids.data();
  inst->m_num_imported_funcs = M.num_imported_funcs;
  inst->m_funcs = std::move(linked->funcs);
  inst->m_funcs.reserve(M.num_funcs());
  inst->m_tables = std::move(linked->tables);
  inst->m_memory = std::move(linked->memory);
  inst->m_globals = std::move(linked->globals);

  // Tables and memories.
  for (size_t i = 0; i < M.tables.size(); ++i) {
    auto t = runtime::create_table(M.tables[i], M.num_imported_tables + i, lim);
    if (!t) return failure(Status::Failed, t.error().message);
    inst->m_tables.push_back(std::move(t.value()));
  }
  for (const auto& t : inst->m_tables) inst->m_table_ptrs.push_back(t.get());
  for (size_t i = 0; i < M.memories.size(); ++i) {
    auto mem = runtime::create_memory(M.memories[i], M.num_imported_memories + i, lim);
    if (!mem) return failure(Status::Failed, mem.error().message);
    if (!inst->m_memory) inst->m_memory = std::move(mem.value());
  }
  inst->m_mem = inst->m_memory.get();

  // Function instances of the defined functions.
  inst->m_own_funcs.resize(M.functions.size());
  for (size_t i = 0; i < M.functions.size(); ++i) {
    FuncInst& f = inst->m_own_funcs[i];
    f.type = M.types[M.functions[i].type_index];
    f.type_id = m_type_ids[M.functions[i].type_index];
    f.instance = inst.get();
    f.index = static_cast<uint32_t>(M.num_imported_funcs + i);
    inst->m_funcs.push_back(&f);
  }

  // Globals (initialisers may read imported globals).
  for (const auto& g : inst->m_globals) inst->m_global_ptrs.push_back(g.get());
  for (const wasm::Global& g : M.globals) {
    auto obj = std::make_shared<runtime::Global>();
    obj->type = g.type;
    obj->value.bits = eval_const(g.init, *inst);
    inst->m_global_ptrs.push_back(obj.get());
    inst->m_globals.push_back(std::move(obj));
  }

  // Segments (spec 4.5.4): where the step stops is runtime::first_segment_fault,
  // the rule the AOT backend reports too; the segments before it are applied.
  std::vector<uint64_t> table_sizes;
  for (const runtime::Table* t : inst->m_table_ptrs) table_sizes.push_back(t->elems.size());
  const runtime::SegmentFault fault =
      runtime::first_segment_fault(M, inst->m_global_ptrs, inst->m_funcs, table_sizes, inst->m_mem);
  auto trapped = [&]() {
    ctx.gas_left = 0;  // a trap uses up all the gas (runtime::uses_all_gas), as on AOT
    if (may_have_escaped(M)) retain_failed(std::move(inst));
    return failure(Status::Trapped, fault.message, fault.trap);
  };

  // Element segments: references, then active ones as table.init + elem.drop.
  inst->m_elems.resize(M.elems.size());
  for (size_t i = 0; i < M.elems.size(); ++i) {
    const wasm::ElemSegment& seg = M.elems[i];
    std::vector<uint64_t>& refs = inst->m_elems[i];
    refs.reserve(seg.init.size());
    for (const wasm::ConstExpr& e : seg.init) refs.push_back(eval_const(e, *inst));
  }
  for (size_t i = 0; i < M.elems.size(); ++i) {
    const wasm::ElemSegment& seg = M.elems[i];
    std::vector<uint64_t>& refs = inst->m_elems[i];
    if (seg.mode == wasm::SegmentMode::Active) {
      if (fault.trap == TrapKind::TableOutOfBounds && fault.index == i) return trapped();
      const uint64_t off = static_cast<uint32_t>(eval_const(seg.offset, *inst));
      runtime::Table* t = inst->m_table_ptrs[seg.table_index];
      if (!refs.empty()) std::memcpy(t->elems.data() + off, refs.data(), refs.size() * sizeof(uint64_t));
      refs.clear();
      refs.shrink_to_fit();
    } else if (seg.mode == wasm::SegmentMode::Declarative) {
      refs.clear();
      refs.shrink_to_fit();
    }
  }

  // Data segments: active ones as memory.init + data.drop.
  inst->m_data_dropped.assign(M.datas.size(), 0);
  for (size_t i = 0; i < M.datas.size(); ++i) {
    const wasm::DataSegment& seg = M.datas[i];
    if (seg.mode != wasm::SegmentMode::Active) continue;
    if (fault.trap == TrapKind::MemoryOutOfBounds && fault.index == i) return trapped();
    const uint64_t off = static_cast<uint32_t>(eval_const(seg.offset, *inst));
    if (seg.data_size != 0) std::memcpy(inst->m_mem->data() + off, M.bytes.data() + seg.data_offset, seg.data_size);
    inst->m_data_dropped[i] = 1;
  }

  // Start function.
  if (M.start) {
    FuncInst* f = inst->m_funcs[*M.start];
    const TrapKind t = inst->invoke(*f, {}, {}, ctx);
    if (t != TrapKind::None) {
      if (may_have_escaped(M)) retain_failed(std::move(inst));
      return failure(Status::Trapped, fmt::format("start function: {}", runtime::trap_message(t)), t);
    }
  }
  InstantiateResult r;
  r.status = Status::Ok;
  r.instance = std::move(inst);
  return r;
}

Result<Extern> InterpInstance::get_export(std::string_view name) {
  return runtime::find_export(*m_mod->m_module, name, m_funcs, m_tables, m_memory, m_globals);
}

TrapKind InterpInstance::invoke(const FuncInst& func, std::span<const Value> args, std::span<Value> results,
                                runtime::ExecContext& ctx) {
  if (auto done = runtime::invoke_prologue(*this, m_mem, func, args, results, ctx)) return *done;
  const size_t np = func.type.params.size(), nr = func.type.results.size();
  const FuncCode& f = m_fcode[func.index - m_num_imported_funcs];
  Machine* m = &m_machine;
  std::unique_ptr<Machine> nested;
  if (m->in_use) {
    nested = std::make_unique<Machine>();
    m = nested.get();
  }
  if (!m->ensure(m_mod->m_limits)) {
    ctx.message = "cannot allocate the value stack";
    ctx.gas_left = 0;  // a trap uses up all the gas (runtime::uses_all_gas)
    return TrapKind::CallStackExhausted;
  }
  uint64_t* fp = m->stack;
  if (fp + f.frame_slots > m->stack_end) {
    ctx.gas_left = 0;
    return TrapKind::CallStackExhausted;
  }
  for (size_t i = 0; i < np; ++i) fp[i] = args[i].bits;
  m->in_use = true;
  const TrapKind t = execute(*this, f, fp, ctx, *m);
  m->in_use = false;
  if (t == TrapKind::None) {
    for (size_t i = 0; i < nr; ++i) results[i].bits = fp[i] & result_mask(func.type.results[i]);
  }
  return t;
}

}  // namespace ward::interp::detail
