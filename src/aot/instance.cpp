// ward/aot/instance.cpp — instantiation (spec 4.5.4), exports and calls of
// AOT instances. Import matching follows the interpreter (src/interp/
// instance.cpp); segments and the start function run inside the generated
// code, under the same trap handling as calls.
#include <fmt/format.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

#include "runtime/link.h"
#include "aot/boxes.h"
#include "aot/rt_support.h"

namespace ward::aot::detail {

using runtime::Extern;
using runtime::FuncInst;
using runtime::InstantiateResult;
using runtime::TrapKind;
using runtime::Value;
using Status = runtime::InstantiateResult::Status;

namespace {

InstantiateResult failure(Status s, std::string message, TrapKind trap = TrapKind::None) {
  return runtime::instantiate_failure(s, std::move(message), trap);
}

/// Keeps instances whose code may still be reachable through shared tables
/// after a failed instantiation.
void retain(std::unique_ptr<AotInstance> inst) {
  static std::mutex mu;
  static std::vector<std::unique_ptr<AotInstance>> kept;
  std::lock_guard<std::mutex> lock(mu);
  kept.push_back(std::move(inst));
}

TrapKind map_trap(uint32_t code, uint32_t why) {
  if (code >= WARD_AOT_KIND_BASE) return static_cast<TrapKind>(code - WARD_AOT_KIND_BASE);
  switch (code) {
    case WASM_RT_TRAP_OOB: return TrapKind::MemoryOutOfBounds;
    case WASM_RT_TRAP_TABLE_OOB: return TrapKind::TableOutOfBounds;
    case WASM_RT_TRAP_INT_OVERFLOW: return TrapKind::IntOverflow;
    case WASM_RT_TRAP_DIV_BY_ZERO: return TrapKind::IntDivByZero;
    case WASM_RT_TRAP_INVALID_CONVERSION: return TrapKind::InvalidConversion;
    case WASM_RT_TRAP_UNREACHABLE:
      return why == 1 ? TrapKind::OutOfGas : why == 2 ? TrapKind::CallStackExhausted : TrapKind::Unreachable;
    case WASM_RT_TRAP_CALL_INDIRECT: return TrapKind::IndirectCallTypeMismatch;
    case WASM_RT_TRAP_EXHAUSTION: return TrapKind::CallStackExhausted;
    case WASM_RT_TRAP_UNDEFINED_ELEMENT: return TrapKind::UndefinedElement;
    case WASM_RT_TRAP_UNINIT_ELEMENT: return TrapKind::UninitializedElement;
    case WASM_RT_TRAP_TYPE_MISMATCH: return TrapKind::IndirectCallTypeMismatch;
    default: return TrapKind::Unreachable;
  }
}

struct InstantiateCall {
  const ward_aot_module_info* info;
  void* inst;
  Z_W_instance_t* w;
};
void instantiate_closure(void* p) {
  auto* c = static_cast<InstantiateCall*>(p);
  c->info->instantiate(c->inst, c->w);
}

struct InvokeCall {
  const Target* target;
  const uint64_t* args;
  uint64_t* results;
};
void invoke_closure(void* p) {
  auto* c = static_cast<InvokeCall*>(p);
  c->target->tramp(c->target->fn, c->target->module_instance, c->args, c->results);
}

}  // namespace

AotInstance::~AotInstance() {
  for (const auto& [fi, ref] : m_registered) unregister_ref(fi, ref);
  if (m_struct != nullptr) {
    if (m_instantiated) m_info->free_instance(m_struct);
    std::free(m_struct);
  }
}

TrapKind AotInstance::run_protected(void (*fn)(void*), void* arg, runtime::ExecContext& ctx) {
  ward_aot_env& env = thread_env();
  const ward_aot_env saved = env;
  const uint64_t saved_hidden = thread_hidden_gas();
  const uint32_t entry_depth = ctx.depth;
  const uint64_t entry_slots = ctx.stack_slots;
  env.ctx = &ctx;
  env.metering = m_mod->m_metering ? 1 : 0;
  env.why = 0;
  env.max_depth = m_mod->m_limits.max_call_depth;
  env.max_slots = m_mod->m_limits.max_stack_slots;
  load_state(env, ctx);  // depth and stack slots continue the caller's (host re-entry, other instances)
  if (m_w.env != &env) m_w.env = &env;
  if (m_instantiated) m_info->rebind(m_struct, &env);
  if (m_membox) m_membox->refresh();
  const uint32_t code = ward_aot_protected(fn, arg);
  TrapKind t = code == 0 ? TrapKind::None : map_trap(code, env.why);
  // The check when the call returns to its caller outside (docs/gas.md).
  if (t == TrapKind::None && env.metering != 0 && env.gas < 0) t = TrapKind::OutOfGas;
  flush_state(env, ctx);  // a trap's gas is settled by the caller (runtime::settle_gas)
  ctx.depth = entry_depth;
  ctx.stack_slots = entry_slots;
  env = saved;
  thread_hidden_gas() = saved_hidden;
  return t;
}

InstantiateResult AotModule::do_instantiate(std::span<const Extern> imports, runtime::ExecContext& ctx) {
  const wasm::Module& M = *m_module;
  const runtime::Limits& lim = m_limits;
  // Imports: the interpreter's rule (runtime::link_imports); a table's size
  // is its view's, which AOT code grows.
  auto linked = runtime::link_imports(M, imports, lim, [](const std::shared_ptr<runtime::Table>& t) {
    auto box = table_box(t);
    return std::pair<uint64_t, uint64_t>{box->size(), box->max()};
  });
  if (!linked) return failure(Status::Unlinkable, linked.error().message);
  auto inst = std::make_unique<AotInstance>(shared_from_this());
  inst->adopt_imports(std::move(linked.value()));
  if (auto ok = inst->add_tables(lim); !ok) return failure(Status::Failed, ok.error().message);
  for (const auto& t : inst->m_tables) inst->m_tableboxes.push_back(table_box(t));
  // Guarded when the code expects it; a failed reservation (address space)
  // falls back to a plain one and the bounds-checked code.
  if (auto ok = inst->add_memory(lim, m_guard_pages); !ok) return failure(Status::Failed, ok.error().message);
  {
    auto lib = library_for(inst->m_memory.get());
    if (!lib) return failure(Status::Failed, lib.error().message);
    inst->m_info = lib->info;
  }
  if (inst->m_memory) inst->m_membox = mem_box(inst->m_memory);
  inst->add_functions(m_type_ids);
  inst->add_globals();
  for (const auto& g : inst->m_globals) {
    if (g->type.type == wasm::ValType::FuncRef) {
      auto cell = ref_cell(g);
      inst->m_rt_globals.push_back(&cell->ref);
      inst->m_refcells.push_back(std::move(cell));
    } else {
      inst->m_rt_globals.push_back(&g->value.bits);
      inst->m_refcells.push_back(nullptr);
    }
  }
  for (const auto& b : inst->m_tableboxes) inst->m_rt_tables.push_back(b->rt());

  const ward_aot_module_info* info = inst->m_info;
  inst->m_struct = std::calloc(1, info->instance_size);
  if (inst->m_struct == nullptr) return failure(Status::Failed, "cannot allocate the instance");
  Z_W_instance_t& w = inst->m_w;
  w.magic = WARD_AOT_ENV_MAGIC;
  w.owner = inst.get();
  w.env = &thread_env();
  w.globals = inst->m_rt_globals.data();
  w.memory = inst->m_membox ? &inst->m_membox->rt : nullptr;
  w.tables = inst->m_rt_tables.data();

  // Where the segment step will stop, if it does (the generated code applies
  // the segments; this names its trap as the interpreter does).
  std::vector<uint64_t> table_sizes;
  for (const auto& b : inst->m_tableboxes) table_sizes.push_back(b->size());
  const runtime::SegmentFault fault = inst->segment_fault(table_sizes);

  // The wasm2c instance gets its function references before the start
  // function can run: wasm2c fills "wardall" in init_tables.
  InstantiateCall call{info, inst->m_struct, &w};
  const TrapKind t = inst->run_protected(instantiate_closure, &call, ctx);
  inst->m_instantiated = true;
  wasm_rt_funcref_table_t* all = info->functions(inst->m_struct);
  const uint32_t nfuncs = M.num_funcs();
  inst->m_targets.resize(nfuncs);
  if (all != nullptr && all->size >= nfuncs) {
    for (uint32_t i = 0; i < nfuncs; ++i) {
      const wasm_rt_funcref_t& r = all->data[i];
      Target& tg = inst->m_targets[i];
      tg.tramp = info->tramps[M.func_type_indices[i]];
      tg.fn = r.func;
      tg.module_instance = r.module_instance;
      register_ref(inst->m_funcs[i], r, i >= M.num_imported_funcs);
      inst->m_registered.emplace_back(inst->m_funcs[i], r);
    }
    for (size_t g = 0; g < M.globals.size(); ++g) {
      const size_t gi = M.num_imported_globals + g;
      if (inst->m_refcells[gi] && M.globals[g].init.kind == wasm::ConstExpr::Kind::RefFunc) {
        inst->m_refcells[gi]->ref = to_funcref(inst->m_globals[gi]->value.bits);
      }
    }
  }
  if (t != TrapKind::None || fault.trap != TrapKind::None) {
    // A segment that does not fit stops instantiation before the start
    // function; any other trap is the start function's.
    const bool in_segments = fault.trap != TrapKind::None;
    std::string what = in_segments ? fault.message : fmt::format("start function: {}", runtime::trap_message(t));
    retain(std::move(inst));
    return failure(Status::Trapped, std::move(what), in_segments ? fault.trap : t);
  }
  InstantiateResult r;
  r.status = Status::Ok;
  r.instance = std::move(inst);
  return r;
}

void AotInstance::sync_ref_globals() {
  for (size_t i = 0; i < m_refcells.size(); ++i) {
    if (m_refcells[i]) m_globals[i]->value.bits = from_funcref(m_refcells[i]->ref);
  }
}

Result<Extern> AotInstance::get_export(std::string_view name) {
  sync_ref_globals();  // funcref globals live in their cells while AOT code runs
  return InstanceState::get_export(name);
}

TrapKind AotInstance::do_invoke(const FuncInst& func, std::span<const Value> args, std::span<Value> results,
                             runtime::ExecContext& ctx) {
  if (auto done = runtime::invoke_prologue(*this, memory(), func, args, results, ctx)) return *done;
  const size_t nr = func.type.results.size();
  const Target& tg = m_targets[func.index];
  if (tg.fn == nullptr) {
    ctx.message = "function of a failed instantiation";
    return TrapKind::Host;
  }
  uint64_t res[16];
  std::vector<uint64_t> big;
  uint64_t* out = res;
  if (nr > 16) {
    big.resize(nr);
    out = big.data();
  }
  InvokeCall call{&tg, reinterpret_cast<const uint64_t*>(args.data()), out};
  const TrapKind t = run_protected(invoke_closure, &call, ctx);
  if (t == TrapKind::None) {
    for (size_t i = 0; i < nr; ++i) results[i].bits = out[i];
  }
  if (!m_refcells.empty()) sync_ref_globals();
  return t;
}

}  // namespace ward::aot::detail
