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

InstantiateResult InterpModule::do_instantiate(std::span<const Extern> imports, runtime::ExecContext& ctx) {
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

  // Index spaces: imports, tables, memory, function instances, globals.
  inst->adopt_imports(std::move(linked.value()));
  if (auto ok = inst->add_tables(lim); !ok) return failure(Status::Failed, ok.error().message);
  if (auto ok = inst->add_memory(lim); !ok) return failure(Status::Failed, ok.error().message);
  inst->add_functions(m_type_ids);
  inst->add_globals();

  // Segments (spec 4.5.4): where the step stops is runtime::first_segment_fault,
  // the rule the AOT backend reports too; the segments before it are applied.
  std::vector<uint64_t> table_sizes;
  for (const runtime::Table* t : inst->m_table_ptrs) table_sizes.push_back(t->elems.size());
  const runtime::SegmentFault fault = inst->segment_fault(table_sizes);
  auto trapped = [&]() {
    if (may_have_escaped(M)) retain_failed(std::move(inst));
    return failure(Status::Trapped, fault.message, fault.trap);
  };

  // Every data segment is live until the data step drops it: a function the
  // element step already put into an imported table may run memory.init or
  // data.drop even when instantiation then traps (spec 4.5.4).
  inst->m_data_dropped.assign(M.datas.size(), 0);

  // Element segments: references, then active ones as table.init + elem.drop.
  inst->m_elems.resize(M.elems.size());
  for (size_t i = 0; i < M.elems.size(); ++i) {
    const wasm::ElemSegment& seg = M.elems[i];
    std::vector<uint64_t>& refs = inst->m_elems[i];
    refs.reserve(seg.init.size());
    for (const wasm::ConstExpr& e : seg.init) refs.push_back(inst->eval_const(e));
  }
  for (size_t i = 0; i < M.elems.size(); ++i) {
    const wasm::ElemSegment& seg = M.elems[i];
    std::vector<uint64_t>& refs = inst->m_elems[i];
    if (seg.mode == wasm::SegmentMode::Active) {
      if (fault.trap == TrapKind::TableOutOfBounds && fault.index == i) return trapped();
      const uint64_t off = static_cast<uint32_t>(inst->eval_const(seg.offset));
      runtime::Table* t = inst->m_table_ptrs[seg.table_index];
      if (!refs.empty()) std::memcpy(t->elems.data() + off, refs.data(), refs.size() * sizeof(uint64_t));
      inst->drop_elem(i);
    } else if (seg.mode == wasm::SegmentMode::Declarative) {
      inst->drop_elem(i);
    }
  }

  // Data segments: active ones as memory.init + data.drop.
  for (size_t i = 0; i < M.datas.size(); ++i) {
    const wasm::DataSegment& seg = M.datas[i];
    if (seg.mode != wasm::SegmentMode::Active) continue;
    if (fault.trap == TrapKind::MemoryOutOfBounds && fault.index == i) return trapped();
    const uint64_t off = static_cast<uint32_t>(inst->eval_const(seg.offset));
    if (seg.data_size != 0) std::memcpy(inst->m_mem->data() + off, M.bytes.data() + seg.data_offset, seg.data_size);
    inst->drop_data(i);
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

TrapKind InterpInstance::do_invoke(const FuncInst& func, std::span<const Value> args, std::span<Value> results,
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
    return TrapKind::CallStackExhausted;
  }
  uint64_t* fp = m->stack;
  if (fp + f.frame_slots > m->stack_end) return TrapKind::CallStackExhausted;
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
