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
  InstantiateResult r;
  r.status = s;
  r.message = std::move(message);
  r.trap = trap;
  return r;
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
void do_instantiate(void* p) {
  auto* c = static_cast<InstantiateCall*>(p);
  c->info->instantiate(c->inst, c->w);
}

struct InvokeCall {
  const Target* target;
  const uint64_t* args;
  uint64_t* results;
};
void do_invoke(void* p) {
  auto* c = static_cast<InvokeCall*>(p);
  c->target->tramp(c->target->fn, c->target->module_instance, c->args, c->results);
}

uint64_t eval_const(const wasm::ConstExpr& e, const AotInstance& inst) {
  switch (e.kind) {
    case wasm::ConstExpr::Kind::I32Const: return e.bits & 0xFFFFFFFFull;
    case wasm::ConstExpr::Kind::F32Const: return e.bits & 0xFFFFFFFFull;
    case wasm::ConstExpr::Kind::I64Const:
    case wasm::ConstExpr::Kind::F64Const: return e.bits;
    case wasm::ConstExpr::Kind::GlobalGet:
      return e.index < inst.m_globals.size() ? inst.m_globals[e.index]->value.bits : 0;
    case wasm::ConstExpr::Kind::RefNull: return 0;
    case wasm::ConstExpr::Kind::RefFunc:
      return e.index < inst.m_funcs.size() ? static_cast<uint64_t>(reinterpret_cast<uintptr_t>(inst.m_funcs[e.index]))
                                           : 0;
  }
  return 0;
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
  load_state(env, ctx);  // depth and stack slots continue the caller's (host re-entry, other instances)
  if (m_w.env != &env) m_w.env = &env;
  if (m_instantiated) m_info->rebind(m_struct, &env);
  if (m_membox) m_membox->refresh();
  const uint32_t code = ward_aot_protected(fn, arg);
  const TrapKind t = code == 0 ? TrapKind::None : map_trap(code, env.why);
  flush_state(env, ctx);
  if (t == TrapKind::OutOfGas) ctx.gas_left = 0;
  ctx.depth = entry_depth;
  ctx.stack_slots = entry_slots;
  env = saved;
  thread_hidden_gas() = saved_hidden;
  return t;
}

InstantiateResult AotModule::instantiate(std::span<const Extern> imports, runtime::ExecContext& ctx) {
  const wasm::Module& M = *m_module;
  const runtime::Limits& lim = m_limits;
  if (imports.size() != M.imports.size()) {
    return failure(Status::Unlinkable,
                   fmt::format("module expects {} imports, {} given", M.imports.size(), imports.size()));
  }
  auto inst = std::make_unique<AotInstance>(shared_from_this());
  for (size_t i = 0; i < imports.size(); ++i) {
    const wasm::Import& im = M.imports[i];
    const Extern& ex = imports[i];
    if (auto ok = runtime::check_import(M, im, ex); !ok) return failure(Status::Unlinkable, ok.error().message);
    switch (im.kind) {
      case wasm::ExternKind::Func: inst->m_funcs.push_back(ex.func); break;
      case wasm::ExternKind::Table: {
        auto box = table_box(ex.table);
        if (box->elem != im.table.elem ||
            !runtime::limits_match(box->size(), box->max() < lim.max_table_elements || im.table.limits.has_max,
                                   box->max(), im.table.limits)) {
          return failure(Status::Unlinkable, fmt::format("incompatible import type: table import {} does not match "
                                                         "(size {}, max {})", runtime::import_name(im), box->size(),
                                                         box->max()));
        }
        inst->m_tables.push_back(ex.table);
        inst->m_tableboxes.push_back(std::move(box));
        break;
      }
      case wasm::ExternKind::Memory: inst->m_memory = ex.memory; break;
      case wasm::ExternKind::Global: inst->m_globals.push_back(ex.global); break;
    }
  }
  for (size_t i = 0; i < M.tables.size(); ++i) {
    auto t = runtime::create_table(M.tables[i], M.num_imported_tables + i, lim);
    if (!t) return failure(Status::Failed, t.error().message);
    inst->m_tableboxes.push_back(table_box(t.value()));
    inst->m_tables.push_back(std::move(t.value()));
  }
  for (size_t i = 0; i < M.memories.size(); ++i) {
    // Guarded when the code expects it; a failed reservation (address space)
    // falls back to a plain one and the bounds-checked code.
    auto mem = runtime::create_memory(M.memories[i], M.num_imported_memories + i, lim, m_guard_pages);
    if (!mem && m_guard_pages) mem = runtime::create_memory(M.memories[i], M.num_imported_memories + i, lim);
    if (!mem) return failure(Status::Failed, mem.error().message);
    if (!inst->m_memory) inst->m_memory = std::move(mem.value());
  }
  {
    auto lib = library_for(inst->m_memory.get());
    if (!lib) return failure(Status::Failed, lib.error().message);
    inst->m_info = lib->info;
  }
  if (inst->m_memory) inst->m_membox = mem_box(inst->m_memory);
  inst->m_own_funcs.resize(M.functions.size());
  for (size_t i = 0; i < M.functions.size(); ++i) {
    FuncInst& f = inst->m_own_funcs[i];
    f.type = M.types[M.functions[i].type_index];
    f.type_id = m_type_ids[M.functions[i].type_index];
    f.instance = inst.get();
    f.index = static_cast<uint32_t>(M.num_imported_funcs + i);
    inst->m_funcs.push_back(&f);
  }
  for (const wasm::Global& g : M.globals) {
    auto obj = std::make_shared<runtime::Global>();
    obj->type = g.type;
    obj->value.bits = eval_const(g.init, *inst);
    inst->m_globals.push_back(std::move(obj));
  }
  for (const auto& g : inst->m_globals) {
    if (g->type.type == wasm::ValType::FuncRef) {
      auto cell = ref_cell(g);
      inst->m_global_ptrs.push_back(&cell->ref);
      inst->m_refcells.push_back(std::move(cell));
    } else {
      inst->m_global_ptrs.push_back(&g->value.bits);
      inst->m_refcells.push_back(nullptr);
    }
  }
  for (const auto& b : inst->m_tableboxes) inst->m_table_ptrs.push_back(b->rt());

  const ward_aot_module_info* info = inst->m_info;
  inst->m_struct = std::calloc(1, info->instance_size);
  if (inst->m_struct == nullptr) return failure(Status::Failed, "cannot allocate the instance");
  Z_W_instance_t& w = inst->m_w;
  w.magic = WARD_AOT_ENV_MAGIC;
  w.owner = inst.get();
  w.env = &thread_env();
  w.globals = inst->m_global_ptrs.data();
  w.memory = inst->m_membox ? &inst->m_membox->rt : nullptr;
  w.tables = inst->m_table_ptrs.data();

  // The wasm2c instance gets its function references before the start
  // function can run: wasm2c fills "wardall" in init_tables.
  InstantiateCall call{info, inst->m_struct, &w};
  const TrapKind t = inst->run_protected(do_instantiate, &call, ctx);
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
  if (t != TrapKind::None) {
    std::string what = fmt::format("instantiation: {}", runtime::trap_message(t));
    retain(std::move(inst));
    return failure(Status::Trapped, std::move(what), t);
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
  const wasm::Module& M = *m_mod->m_module;
  for (const wasm::Export& e : M.exports) {
    if (e.name != name) continue;
    Extern x;
    x.kind = e.kind;
    switch (e.kind) {
      case wasm::ExternKind::Func: x.func = m_funcs[e.index]; break;
      case wasm::ExternKind::Table: x.table = m_tables[e.index]; break;
      case wasm::ExternKind::Memory: x.memory = m_memory; break;
      case wasm::ExternKind::Global:
        if (m_refcells[e.index]) m_globals[e.index]->value.bits = from_funcref(m_refcells[e.index]->ref);
        x.global = m_globals[e.index];
        break;
    }
    return x;
  }
  return make_error(fmt::format("no export named \"{}\"", name));
}

TrapKind AotInstance::invoke(const FuncInst& func, std::span<const Value> args, std::span<Value> results,
                             runtime::ExecContext& ctx) {
  const size_t np = func.type.params.size(), nr = func.type.results.size();
  if (args.size() != np || results.size() < nr) {
    ctx.message = fmt::format("invoke: expected {} arguments and {} results, got {} and {}", np, nr, args.size(),
                              results.size());
    return TrapKind::Host;
  }
  if (func.host != nullptr) {
    runtime::HostCall call{ctx, memory(), func};
    return func.host(call, args.data(), results.data());
  }
  if (func.instance != this) return func.instance->invoke(func, args, results, ctx);
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
  const TrapKind t = run_protected(do_invoke, &call, ctx);
  if (t == TrapKind::None) {
    for (size_t i = 0; i < nr; ++i) results[i].bits = out[i];
  }
  if (!m_refcells.empty()) sync_ref_globals();
  return t;
}

}  // namespace ward::aot::detail
