// ward/aot/runtime_api.cpp — the callbacks AOT code calls (ward_aot_api):
// traps, type interning, memory and table growth with their dynamic gas,
// function imports, reference conversion; and the object views (boxes.h).
// Callbacks that may trap hold no object with a destructor when they call
// ward_aot_unwind.
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "aot/boxes.h"
#include "aot/rt_support.h"
#include "aot/stack_counter.h"
#include "wasm/metering.h"

namespace ward::aot::detail {

using runtime::TrapKind;

namespace {

std::mutex g_mu;
std::unordered_map<const runtime::Memory*, std::weak_ptr<MemBox>> g_mems;
std::unordered_map<const runtime::Table*, std::weak_ptr<TableBox>> g_tables;
std::unordered_map<const runtime::Global*, std::weak_ptr<RefCell>> g_cells;
std::map<std::pair<void*, void*>, runtime::FuncInst*> g_ref_to_inst;
/// Every live wasm2c form of a function: its own instance's first, then the
/// import glue of the instances importing it. Entries leave with the instance
/// that registered them, so a FuncInst address reused by a later instance
/// never finds the reference (and type id) of a dead function.
std::unordered_map<const runtime::FuncInst*, std::vector<wasm_rt_funcref_t>> g_inst_to_ref;

bool same_ref(const wasm_rt_funcref_t& a, const wasm_rt_funcref_t& b) {
  return a.func == b.func && a.module_instance == b.module_instance;
}

thread_local ward_aot_env t_env{};
thread_local uint64_t t_hidden = 0;

[[noreturn]] void trap_kind(TrapKind k) { ward_aot_unwind(WARD_AOT_KIND_BASE + static_cast<uint32_t>(k)); }

wasm::ValType rt_type(uint32_t t) {
  switch (t) {
    case WASM_RT_I32: return wasm::ValType::I32;
    case WASM_RT_I64: return wasm::ValType::I64;
    case WASM_RT_F32: return wasm::ValType::F32;
    case WASM_RT_F64: return wasm::ValType::F64;
    case WASM_RT_FUNCREF: return wasm::ValType::FuncRef;
    default: return wasm::ValType::ExternRef;
  }
}

uint32_t api_register_type(uint32_t np, uint32_t nr, const uint32_t* types) {
  wasm::FuncType ft;
  for (uint32_t i = 0; i < np; ++i) ft.params.push_back(rt_type(types[i]));
  for (uint32_t i = 0; i < nr; ++i) ft.results.push_back(rt_type(types[np + i]));
  return runtime::canonical_type_id(ft);
}

/// Charges a dynamic cost from the thread state; unwinds with OutOfGas.
void charge_or_unwind(uint64_t cost) {
  ward_aot_env& env = t_env;
  if (env.metering == 0) return;
  env.gas -= static_cast<int64_t>(cost);  // then the check (docs/gas.md)
  if (env.gas < 0) trap_kind(TrapKind::OutOfGas);
}

/// `gas_per_page`: the grow cost of the calling object's gas schedule.
uint32_t api_grow_memory(wasm_rt_memory_t* m, uint32_t delta, uint64_t gas_per_page) {
  auto* box = static_cast<MemBox*>(m->owner);
  runtime::Memory& mem = *box->mem;
  const uint64_t cost = gas_per_page * delta;
  const bool pays = uint64_t{mem.pages()} + delta <= mem.max_pages();
  if (pays) charge_or_unwind(cost);
  const int64_t r = mem.grow(delta);
  if (r < 0 && pays && t_env.metering != 0) t_env.gas += static_cast<int64_t>(cost);  // a grow that fails costs nothing
  box->refresh();
  return r < 0 ? 0xFFFFFFFFu : static_cast<uint32_t>(r);
}

template <class T, class V>
uint32_t grow_table(T* t, uint32_t delta, V init, uint64_t gas_per_element) {
  const uint64_t old = t->size;
  if (old + delta > t->max_size) return 0xFFFFFFFFu;
  charge_or_unwind(gas_per_element * delta);
  if (delta == 0) return static_cast<uint32_t>(old);
  void* p = std::realloc(t->data, (old + delta) * sizeof(V));
  if (p == nullptr) return 0xFFFFFFFFu;
  t->data = static_cast<V*>(p);
  for (uint64_t i = old; i < old + delta; ++i) t->data[i] = init;
  t->size = static_cast<uint32_t>(old + delta);
  return static_cast<uint32_t>(old);
}

uint32_t api_grow_funcref_table(wasm_rt_funcref_table_t* t, uint32_t delta, wasm_rt_funcref_t init,
                                uint64_t gas_per_element) {
  return grow_table(t, delta, init, gas_per_element);
}
uint32_t api_grow_externref_table(wasm_rt_externref_table_t* t, uint32_t delta, wasm_rt_externref_t init,
                                  uint64_t gas_per_element) {
  return grow_table(t, delta, init, gas_per_element);
}

void api_alloc_funcref_table(wasm_rt_funcref_table_t* t, uint32_t n, uint32_t max) {
  t->data = static_cast<wasm_rt_funcref_t*>(std::calloc(n == 0 ? 1 : n, sizeof(wasm_rt_funcref_t)));
  t->size = t->data != nullptr ? n : 0;
  t->max_size = max;
  t->owner = nullptr;
}
void api_free_funcref_table(wasm_rt_funcref_table_t* t) {
  std::free(t->data);
  t->data = nullptr;
  t->size = 0;
}

uint32_t api_call_import(Z_W_instance_t* w, uint32_t index, const uint64_t* args, uint64_t* results) {
  auto* self = static_cast<AotInstance*>(w->owner);
  ward_aot_env& env = *w->env;
  auto& ctx = *static_cast<runtime::ExecContext*>(env.ctx);
  runtime::FuncInst* f = self->m_funcs[index];
  const auto* a = reinterpret_cast<const runtime::Value*>(args);
  auto* r = reinterpret_cast<runtime::Value*>(results);
  const size_t np = f->type.params.size(), nr = f->type.results.size();
  // Checked before a host function runs, and (the callee's entry check)
  // before another instance's function does (docs/gas.md).
  if (env.metering != 0 && env.gas < 0) trap_kind(TrapKind::OutOfGas);
  flush_state(env, ctx);
  // A callee in another instance runs under run_protected, which puts back
  // the whole thread state but the gas; a host function leaves it alone.
  const int64_t stack = env.stack;
  const uint64_t slots = ctx.stack_slots;
  TrapKind t;
  const int in_code = ward_aot_enter_host();  // a fault out there is not a wasm trap
  if (f->host != nullptr) {
    runtime::HostCall call{ctx, self->memory(), *f};
    t = f->host(call, a, r);
  } else {
    t = f->instance->invoke(*f, {a, np}, {r, nr}, ctx);
  }
  ward_aot_leave_host(in_code);
  ctx.stack_slots = slots;
  load_gas(env, ctx);  // what the callee left
  env.stack = stack;
  if (self->m_membox) self->m_membox->refresh();
  return static_cast<uint32_t>(t);
}

wasm_rt_funcref_t api_ref_to_funcref(uint64_t bits) { return to_funcref(bits); }
uint64_t api_funcref_to_ref(const wasm_rt_funcref_t* ref) { return from_funcref(*ref); }
void api_trap(uint32_t code) { ward_aot_unwind(code); }
void api_trap_kind(uint32_t kind) { ward_aot_unwind(WARD_AOT_KIND_BASE + kind); }
ward_aot_env* api_thread_env() { return &t_env; }

const ward_aot_api kApi = {
    api_trap,           api_register_type,       api_grow_memory,     api_grow_funcref_table,
    api_grow_externref_table, api_alloc_funcref_table, api_free_funcref_table, api_call_import,
    api_ref_to_funcref, api_funcref_to_ref,      api_trap_kind,       api_thread_env,
};

}  // namespace

const ward_aot_api* api() { return &kApi; }

ward_aot_env& thread_env() { return t_env; }
uint64_t& thread_hidden_gas() { return t_hidden; }

void load_gas(ward_aot_env& env, const runtime::ExecContext& ctx) {
  const uint64_t g = ctx.gas_left;
  const uint64_t use = g > runtime::kGasCounterCap ? runtime::kGasCounterCap : g;
  t_hidden = g - use;
  env.gas = static_cast<int64_t>(use);
}

void load_state(ward_aot_env& env, const runtime::ExecContext& ctx) {
  load_gas(env, ctx);
  env.stack = static_cast<int64_t>(StackCounter::pack(ctx.depth, ctx.stack_slots, env.max_depth, env.max_slots));
}

void flush_state(const ward_aot_env& env, runtime::ExecContext& ctx) {
  ctx.gas_left = t_hidden + static_cast<uint64_t>(env.gas < 0 ? 0 : env.gas);
  // A counter past a limit (only before the entry that traps) leaves ctx as it was.
  StackCounter::unpack(static_cast<uint64_t>(env.stack), env.max_depth, env.max_slots, ctx.depth, ctx.stack_slots);
}

TableBox::~TableBox() {
  std::free(fr.data);
  std::free(er.data);
}

std::shared_ptr<MemBox> mem_box(const std::shared_ptr<runtime::Memory>& mem) {
  std::lock_guard<std::mutex> lock(g_mu);
  auto& w = g_mems[mem.get()];
  if (auto b = w.lock()) return b;
  auto b = std::make_shared<MemBox>();
  b->mem = mem;
  b->rt.owner = b.get();
  b->refresh();
  w = b;
  return b;
}

std::shared_ptr<TableBox> table_box(const std::shared_ptr<runtime::Table>& table) {
  {
    std::lock_guard<std::mutex> lock(g_mu);
    if (auto b = g_tables[table.get()].lock()) return b;
  }
  auto b = std::make_shared<TableBox>();
  b->elem = table->elem;
  b->shell = table;
  const size_t n = table->elems.size();
  const uint32_t max = static_cast<uint32_t>(std::min<uint64_t>(table->max, UINT32_MAX));
  if (b->elem == wasm::ValType::FuncRef) {
    b->fr.data = static_cast<wasm_rt_funcref_t*>(std::calloc(n == 0 ? 1 : n, sizeof(wasm_rt_funcref_t)));
    for (size_t i = 0; i < n; ++i) b->fr.data[i] = to_funcref(table->elems[i]);
    b->fr.size = static_cast<uint32_t>(n);
    b->fr.max_size = max;
    b->fr.owner = b.get();
  } else {
    b->er.data = static_cast<wasm_rt_externref_t*>(std::calloc(n == 0 ? 1 : n, sizeof(wasm_rt_externref_t)));
    for (size_t i = 0; i < n; ++i) b->er.data[i] = reinterpret_cast<void*>(static_cast<uintptr_t>(table->elems[i]));
    b->er.size = static_cast<uint32_t>(n);
    b->er.max_size = max;
    b->er.owner = b.get();
  }
  std::lock_guard<std::mutex> lock(g_mu);
  auto& w = g_tables[table.get()];
  if (auto existing = w.lock()) return existing;
  w = b;
  return b;
}

std::shared_ptr<RefCell> ref_cell(const std::shared_ptr<runtime::Global>& global) {
  std::lock_guard<std::mutex> lock(g_mu);
  auto& w = g_cells[global.get()];
  if (auto c = w.lock()) return c;
  auto c = std::make_shared<RefCell>();
  c->global = global;
  auto it = g_inst_to_ref.find(reinterpret_cast<runtime::FuncInst*>(static_cast<uintptr_t>(global->value.bits)));
  if (it != g_inst_to_ref.end() && !it->second.empty()) c->ref = it->second.front();
  w = c;
  return c;
}

void register_ref(runtime::FuncInst* fi, const wasm_rt_funcref_t& ref, bool own) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_ref_to_inst[{reinterpret_cast<void*>(ref.func), ref.module_instance}] = fi;
  auto& refs = g_inst_to_ref[fi];
  if (own) {
    refs.insert(refs.begin(), ref);
  } else {
    refs.push_back(ref);
  }
}

void unregister_ref(runtime::FuncInst* fi, const wasm_rt_funcref_t& ref) {
  std::lock_guard<std::mutex> lock(g_mu);
  auto r = g_ref_to_inst.find({reinterpret_cast<void*>(ref.func), ref.module_instance});
  if (r != g_ref_to_inst.end() && r->second == fi) g_ref_to_inst.erase(r);
  auto it = g_inst_to_ref.find(fi);
  if (it == g_inst_to_ref.end()) return;
  auto& refs = it->second;
  for (auto k = refs.begin(); k != refs.end(); ++k) {
    if (same_ref(*k, ref)) {
      refs.erase(k);
      break;
    }
  }
  if (refs.empty()) g_inst_to_ref.erase(it);
}

wasm_rt_funcref_t to_funcref(uint64_t bits) {
  if (bits == 0) return wasm_rt_funcref_null_value;
  std::lock_guard<std::mutex> lock(g_mu);
  auto it = g_inst_to_ref.find(reinterpret_cast<runtime::FuncInst*>(static_cast<uintptr_t>(bits)));
  return it != g_inst_to_ref.end() && !it->second.empty() ? it->second.front() : wasm_rt_funcref_null_value;
}

uint64_t from_funcref(const wasm_rt_funcref_t& ref) {
  if (ref.func == nullptr) return 0;
  std::lock_guard<std::mutex> lock(g_mu);
  auto it = g_ref_to_inst.find({reinterpret_cast<void*>(ref.func), ref.module_instance});
  return it != g_ref_to_inst.end() ? static_cast<uint64_t>(reinterpret_cast<uintptr_t>(it->second)) : 0;
}

}  // namespace ward::aot::detail

extern "C" int ward_aot_in_guard_reservation(const void* addr) {
  return ward::runtime::in_guard_reservation(addr) ? 1 : 0;
}
