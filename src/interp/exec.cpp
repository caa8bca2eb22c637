// ward/interp/exec.cpp — the interpreter's dispatch loop: threaded code with
// computed goto (GCC/Clang extension), an explicit call-frame stack (wasm to
// wasm calls never recurse on the native stack) and a register-held gas
// counter.
#include <atomic>
#include <bit>
#include <climits>
#include <cstring>

#include "interp/interp.h"
#include "interp/numeric.h"
#include "wasm/metering.h"
#include "wasm/opcodes.h"

namespace ward::interp::detail {

using runtime::ExecContext;
using runtime::FuncInst;
using runtime::Memory;
using runtime::Table;
using runtime::TrapKind;
using runtime::Value;

namespace {

inline const void* load_handler(const uint32_t* p) noexcept {
  const void* h;
  std::memcpy(&h, p, sizeof h);
  return h;
}

/// Calls a host function with arguments in args; writes results over args.
[[gnu::noinline]] TrapKind call_host(const FuncInst& fi, uint64_t* args, ExecContext& ctx, Memory* mem) noexcept {
  const size_t nr = fi.type.results.size();
  Value small[16];
  std::vector<Value> big;
  Value* res = small;
  if (nr > 16) {
    big.resize(nr);
    res = big.data();
  }
  runtime::HostCall call{ctx, mem, fi};
  TrapKind t = fi.host(call, reinterpret_cast<const Value*>(args), res);
  if (t != TrapKind::None) return t;
  for (size_t i = 0; i < nr; ++i) args[i] = res[i].bits;
  return TrapKind::None;
}

/// Calls a function of an instance of another backend through its invoke().
[[gnu::noinline]] TrapKind call_foreign(const FuncInst& fi, uint64_t* args, ExecContext& ctx) noexcept {
  const size_t np = fi.type.params.size(), nr = fi.type.results.size();
  std::vector<Value> a(np), r(nr);
  for (size_t i = 0; i < np; ++i) a[i].bits = args[i];
  TrapKind t = fi.instance->invoke(fi, a, r, ctx);
  if (t != TrapKind::None) return t;
  for (size_t i = 0; i < nr; ++i) args[i] = r[i].bits;
  return TrapKind::None;
}

[[gnu::noinline]] bool indirect_type_matches(const InterpInstance& inst, const FuncInst& fi, uint32_t type_index) noexcept {
  if (fi.type_id != 0) return fi.type_id == inst.m_type_ids[type_index];
  return fi.type == inst.m_mod->m_module->types[type_index];
}

[[gnu::noinline]] InterpInstance* as_interp(runtime::Instance* i) noexcept {
  return dynamic_cast<InterpInstance*>(i);
}

TrapKind run(InterpInstance* inst, const FuncCode* entry, uint64_t* fp, ExecContext* ctxp, Machine* m,
             const void* const** table_out) noexcept {
  static const void* const kLabels[] = {
#define IOP(N) &&L_##N,
#define IOP_LOAD(N) &&L_##N, &&L_##N##_a, &&L_##N##_k,
#define IOP_STORE(N) &&L_##N, &&L_##N##_i, &&L_##N##_k,
#define IOP_UN(N) &&L_##N,
#define IOP_BIN(N) &&L_##N,
#define IOP_BIN_RI(N) &&L_##N##_ri,
#define IOP_CMP(N) &&L_Br##N, &&L_Br##N##_ri, &&L_Br##N##G, &&L_Br##N##_riG,
#include "interp/ops.def"
  };
  static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == kIOpCount);
  if (table_out != nullptr) {
    *table_out = kLabels;
    return TrapKind::None;
  }

  ExecContext& ctx = *ctxp;
  const runtime::Limits& lim = ctx.limits != nullptr ? *ctx.limits : inst->m_mod->m_limits;
  const uint32_t max_depth = lim.max_call_depth;
  const uint64_t max_slots = lim.max_stack_slots;
  const uint32_t entry_depth = ctx.depth;
  const uint64_t entry_slots = ctx.stack_slots;
  uint64_t slots = entry_slots;  // stack budget used by the active frames (ExecContext::stack_slots)
  static const std::atomic<bool> kNever{false};
  const std::atomic<bool>* const stop = ctx.interrupt != nullptr ? ctx.interrupt : &kNever;
  const bool metering = inst->m_mod->m_metering;
  // The dynamic costs of the module's gas schedule, read once per run.
  const wasm::GasSchedule& sched = *inst->m_mod->m_gas;
  const uint64_t gas_grow_page = sched.grow_page;
  const uint64_t gas_table_element = sched.table_element;
  const uint64_t bulk_round = sched.bulk_bytes_per_gas - 1;  // ceil(n / k) = (n + k - 1) >> log2(k)
  const int bulk_shift = std::countr_zero(sched.bulk_bytes_per_gas);
  uint64_t* const stack_end = m->stack_end;
  Frame* const frames = m->frames;
  uint32_t nf = 0;
  // The gas counter is signed: a basic block charges without a check, so it
  // may dip below zero until the next check point (docs/gas.md). Gas above
  // runtime::kGasCounterCap waits in `hidden`; no real limit's use reaches it.
  const uint64_t hidden = ctx.gas_left > runtime::kGasCounterCap ? ctx.gas_left - runtime::kGasCounterCap : 0;
  int64_t gas = static_cast<int64_t>(ctx.gas_left - hidden);
  TrapKind trap = TrapKind::None;
  uint8_t* mem_base = nullptr;
  uint64_t mem_size = 0;
  const uint32_t* ip = nullptr;
  // Call state handed to the shared call paths.
  const FuncCode* cf = nullptr;
  uint64_t* nfp = nullptr;
  const uint32_t* rip = nullptr;
  InterpInstance* cinst = nullptr;
  FuncInst* fi = nullptr;

#define NEXT() goto* load_handler(ip)
#define TRAP(k)           \
  do {                    \
    trap = TrapKind::k;   \
    goto trap_exit;       \
  } while (0)
#define RELOAD_MEM()                        \
  do {                                      \
    Memory* mm_ = inst->m_mem;              \
    if (mm_ != nullptr) {                   \
      mem_base = mm_->data();               \
      mem_size = mm_->size_bytes();         \
    } else {                                \
      mem_base = nullptr;                   \
      mem_size = 0;                         \
    }                                       \
  } while (0)
// A dynamic charge, then a check (docs/gas.md "When gas is checked").
#define CHARGE(n)                              \
  do {                                         \
    if (metering) {                            \
      gas -= static_cast<int64_t>(n);          \
      if (gas < 0) TRAP(OutOfGas);             \
    }                                          \
  } while (0)
// A loop head's charge and check, made by a branch back to the loop.
#define CHARGE_BR(c)                      \
  do {                                    \
    gas -= static_cast<int64_t>(c);       \
    if (gas < 0) TRAP(OutOfGas);          \
  } while (0)
// Hands the counter to a host function or another instance (which see it in
// ExecContext::gas_left) and takes it back; the counter is not negative there.
#define SAVE_GAS() ctx.gas_left = hidden + static_cast<uint64_t>(gas)
#define LOAD_GAS() gas = ctx.gas_left >= hidden ? static_cast<int64_t>(ctx.gas_left - hidden) : -1
// A taken branch. A branch backwards (a loop back-edge) also checks the
// wall-clock interrupt; forward branches cannot loop.
#define JUMP(off)                                                          \
  do {                                                                     \
    const int32_t o_ = static_cast<int32_t>(off);                          \
    if (o_ <= 0 && stop->load(std::memory_order_relaxed)) TRAP(Timeout);   \
    ip += o_;                                                              \
  } while (0)
#define R32(k) static_cast<uint32_t>(fp[k])
#define RS32(k) static_cast<int32_t>(static_cast<uint32_t>(fp[k]))
#define R64(k) (fp[k])
#define RS64(k) static_cast<int64_t>(fp[k])
#define RF32(k) std::bit_cast<float>(static_cast<uint32_t>(fp[k]))
#define RF64(k) std::bit_cast<double>(fp[k])
#define W32(k, v) fp[k] = static_cast<uint32_t>(v)
#define W64(k, v) fp[k] = static_cast<uint64_t>(v)
#define WF32(k, v) fp[k] = std::bit_cast<uint32_t>(static_cast<float>(v))
#define WF64(k, v) fp[k] = std::bit_cast<uint64_t>(static_cast<double>(v))
// Writers for float arithmetic: a NaN result becomes the canonical quiet NaN
// (docs/determinism.md), so every CPU and backend gives the same bits.
#define WNF32(k, v) fp[k] = canonical_f32(static_cast<float>(v))
#define WNF64(k, v) fp[k] = canonical_f64(static_cast<double>(v))
// The canonical-NaN width each writer gives; UN and BIN check it against
// the `nan` column of opcodes.def (the set the AOT backend reads too), so
// the interpreter cannot canonicalise a different set of instructions.
#define W32_NAN 0
#define W64_NAN 0
#define WF32_NAN 0
#define WF64_NAN 0
#define WNF32_NAN 32
#define WNF64_NAN 64
#define CHECK_NAN_COLUMN(N, WR)                                        \
  static_assert(wasm::op_nan_width(wasm::Op::N) == WR##_NAN,          \
                #N ": its writer disagrees with the nan column of opcodes.def");
#define IMM32(p) static_cast<uint32_t>((p)[0])
#define IMM32_WORDS 1
#define IMM64(p) (uint64_t{(p)[0]} | (uint64_t{(p)[1]} << 32))
#define IMM64_WORDS 2

  if (ctx.depth + 1 > max_depth || slots + entry->frame_slots > max_slots || fp + entry->frame_slots > stack_end) {
    return TrapKind::CallStackExhausted;
  }
  if (stop->load(std::memory_order_relaxed)) return TrapKind::Timeout;
  ctx.depth++;
  slots += entry->frame_slots;
  std::memset(fp + entry->num_params, 0, uint64_t{entry->num_locals} * sizeof(uint64_t));
  ip = inst->m_code + entry->entry;
  RELOAD_MEM();
  NEXT();

  // ---------------------------------------------------------------- control
L_Unreachable:
  TRAP(Unreachable);
L_Gas:
  gas -= static_cast<int64_t>(ip[2]);
  ip += 3;
  NEXT();
L_GasCheck:
  gas -= static_cast<int64_t>(ip[2]);
  if (gas < 0) TRAP(OutOfGas);
  ip += 3;
  NEXT();
L_Br:
  JUMP(ip[2]);
  NEXT();
#define BR1(N, cond)    \
  L_##N : {             \
    if (cond) {         \
      JUMP(ip[3]);      \
    } else {            \
      ip += 4;          \
    }                   \
    NEXT();             \
  }
  BR1(BrNz, R32(ip[2]) != 0)
  BR1(BrZ, R32(ip[2]) == 0)
  BR1(BrNz64, R64(ip[2]) != 0)
  BR1(BrZ64, R64(ip[2]) == 0)
#undef BR1
L_BrG:
  CHARGE_BR(ip[3]);
  JUMP(ip[2]);
  NEXT();
#define BR1G(N, cond)                       \
  L_##N : {                                 \
    if (cond) {                             \
      CHARGE_BR(ip[4]);                     \
      JUMP(ip[3]);                          \
    } else {                                \
      ip += 5;                              \
    }                                       \
    NEXT();                                 \
  }
  BR1G(BrNzG, R32(ip[2]) != 0)
  BR1G(BrZG, R32(ip[2]) == 0)
  BR1G(BrNz64G, R64(ip[2]) != 0)
  BR1G(BrZ64G, R64(ip[2]) == 0)
#undef BR1G
L_BrTable: {
  uint32_t i = R32(ip[2]);
  const uint32_t n = ip[3];
  if (i > n) i = n;
  JUMP(ip[4 + i]);
  NEXT();
}
L_Call:
  cf = inst->m_fcode + ip[2];
  nfp = fp + ip[3];
  rip = ip + 4;
  cinst = inst;
  goto enter;
L_CallImport:
  fi = inst->m_funcs[ip[2]];
  nfp = fp + ip[3];
  rip = ip + 4;
  goto call_funcinst;
L_CallIndirect: {
  Table* t = inst->m_table_ptrs[ip[3]];
  const uint32_t i = R32(ip[5]);
  if (i >= t->elems.size()) TRAP(UndefinedElement);
  fi = reinterpret_cast<FuncInst*>(static_cast<uintptr_t>(t->elems[i]));
  if (fi == nullptr) TRAP(UninitializedElement);
  if (!indirect_type_matches(*inst, *fi, ip[2])) TRAP(IndirectCallTypeMismatch);
  nfp = fp + ip[4];
  rip = ip + 6;
  goto call_funcinst;
}
call_funcinst:
  if (fi->host != nullptr) {
    if (metering && gas < 0) TRAP(OutOfGas);  // checked before a host function runs
    SAVE_GAS();
    ctx.stack_slots = slots;  // a host function may re-enter wasm
    trap = call_host(*fi, nfp, ctx, inst->m_mem);
    LOAD_GAS();
    if (trap != TrapKind::None) goto trap_exit;
    RELOAD_MEM();
    ip = rip;
    NEXT();
  }
  if (fi->instance == inst) {
    cinst = inst;
  } else {
    cinst = as_interp(fi->instance);
    if (cinst == nullptr) {
      if (metering && gas < 0) TRAP(OutOfGas);  // the callee's entry check, made before the hand-over
      SAVE_GAS();
      ctx.stack_slots = slots;
      trap = call_foreign(*fi, nfp, ctx);
      LOAD_GAS();
      if (trap != TrapKind::None) goto trap_exit;
      RELOAD_MEM();
      ip = rip;
      NEXT();
    }
  }
  cf = cinst->m_fcode + (fi->index - cinst->m_num_imported_funcs);
  goto enter;
enter:
  if (metering && gas < 0) TRAP(OutOfGas);  // every function entry checks, before the stack checks
  if (ctx.depth + 1 > max_depth || slots + cf->frame_slots > max_slots || nfp + cf->frame_slots > stack_end) {
    TRAP(CallStackExhausted);
  }
  if (stop->load(std::memory_order_relaxed)) TRAP(Timeout);
  ctx.depth++;
  frames[nf++] = Frame{rip, fp, inst, slots};
  slots += cf->frame_slots;
  for (uint64_t *p = nfp + cf->num_params, *e = p + cf->num_locals; p != e; ++p) *p = 0;
  fp = nfp;
  if (cinst != inst) {
    inst = cinst;
    RELOAD_MEM();
  }
  ip = inst->m_code + cf->entry;
  NEXT();
L_Ret:
  ctx.depth--;
  if (nf == 0) goto done;
  {
    const Frame& fr = frames[--nf];
    ip = fr.ip;
    fp = fr.fp;
    inst = fr.inst;
    slots = fr.slots;
    RELOAD_MEM();
  }
  NEXT();

  // ------------------------------------------------------ variables, misc
L_Copy:
  fp[ip[2]] = fp[ip[3]];
  ip += 4;
  NEXT();
L_Const:
  fp[ip[2]] = uint64_t{ip[3]} | (uint64_t{ip[4]} << 32);
  ip += 5;
  NEXT();
L_Select:
  fp[ip[2]] = R32(ip[5]) != 0 ? fp[ip[3]] : fp[ip[4]];
  ip += 6;
  NEXT();
L_GlobalGet:
  fp[ip[2]] = inst->m_global_ptrs[ip[3]]->value.bits;
  ip += 4;
  NEXT();
L_GlobalSet:
  inst->m_global_ptrs[ip[2]]->value.bits = fp[ip[3]];
  ip += 4;
  NEXT();
L_RefFunc:
  fp[ip[2]] = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(inst->m_funcs[ip[3]]));
  ip += 4;
  NEXT();
L_RefIsNull:
  W32(ip[2], fp[ip[3]] == 0);
  ip += 4;
  NEXT();

  // ----------------------------------------------------------------- tables
L_TableGet: {
  Table* t = inst->m_table_ptrs[ip[3]];
  const uint32_t i = R32(ip[4]);
  if (i >= t->elems.size()) TRAP(TableOutOfBounds);
  fp[ip[2]] = t->elems[i];
  ip += 5;
  NEXT();
}
L_TableSet: {
  Table* t = inst->m_table_ptrs[ip[2]];
  const uint32_t i = R32(ip[3]);
  if (i >= t->elems.size()) TRAP(TableOutOfBounds);
  t->elems[i] = fp[ip[4]];
  ip += 5;
  NEXT();
}
L_TableSize:
  W32(ip[2], inst->m_table_ptrs[ip[3]]->elems.size());
  ip += 4;
  NEXT();
L_TableGrow: {
  Table* t = inst->m_table_ptrs[ip[3]];
  const uint64_t init = fp[ip[4]];
  const uint32_t n = R32(ip[5]);
  const uint64_t old = t->elems.size();
  if (old + n > t->max || old + n > UINT32_MAX) {
    W32(ip[2], 0xFFFFFFFFu);
  } else {
    CHARGE(gas_table_element * n);
    t->elems.resize(old + n, init);
    W32(ip[2], old);
  }
  ip += 6;
  NEXT();
}
L_TableFill: {
  Table* t = inst->m_table_ptrs[ip[2]];
  const uint64_t i = R32(ip[3]);
  const uint64_t v = fp[ip[4]];
  const uint64_t n = R32(ip[5]);
  CHARGE(gas_table_element * n);
  if (i + n > t->elems.size()) TRAP(TableOutOfBounds);
  for (uint64_t k = 0; k < n; ++k) t->elems[i + k] = v;
  ip += 6;
  NEXT();
}
L_TableCopy: {
  Table* dt = inst->m_table_ptrs[ip[2]];
  Table* st = inst->m_table_ptrs[ip[3]];
  const uint64_t d = R32(ip[4]), s = R32(ip[5]), n = R32(ip[6]);
  CHARGE(gas_table_element * n);
  if (s + n > st->elems.size() || d + n > dt->elems.size()) TRAP(TableOutOfBounds);
  if (n != 0) std::memmove(dt->elems.data() + d, st->elems.data() + s, n * sizeof(uint64_t));
  ip += 7;
  NEXT();
}
L_TableInit: {
  const std::vector<uint64_t>& seg = inst->m_elems[ip[2]];
  Table* t = inst->m_table_ptrs[ip[3]];
  const uint64_t d = R32(ip[4]), s = R32(ip[5]), n = R32(ip[6]);
  CHARGE(gas_table_element * n);
  if (s + n > seg.size() || d + n > t->elems.size()) TRAP(TableOutOfBounds);
  if (n != 0) std::memcpy(t->elems.data() + d, seg.data() + s, n * sizeof(uint64_t));
  ip += 7;
  NEXT();
}
L_ElemDrop:
  inst->m_elems[ip[2]].clear();
  inst->m_elems[ip[2]].shrink_to_fit();
  ip += 3;
  NEXT();

  // ----------------------------------------------------------------- memory
L_MemorySize:
  W32(ip[2], mem_size / wasm::kPageSize);
  ip += 3;
  NEXT();
L_MemoryGrow: {
  Memory* mm = inst->m_mem;
  const uint32_t delta = R32(ip[3]);
  const uint64_t cost = gas_grow_page * delta;
  const bool pays = metering && uint64_t{mm->pages()} + delta <= mm->max_pages();
  if (pays) CHARGE(cost);
  const int64_t r = mm->grow(delta);
  if (r < 0 && pays) gas += static_cast<int64_t>(cost);  // a grow that fails costs nothing
  W32(ip[2], static_cast<uint32_t>(static_cast<int32_t>(r)));
  RELOAD_MEM();
  ip += 4;
  NEXT();
}
L_MemoryInit: {
  const wasm::DataSegment& seg = inst->m_mod->m_module->datas[ip[2]];
  const uint64_t len = inst->m_data_dropped[ip[2]] ? 0 : seg.data_size;
  const uint64_t d = R32(ip[3]), s = R32(ip[4]), n = R32(ip[5]);
  CHARGE((n + bulk_round) >> bulk_shift);
  if (s + n > len || d + n > mem_size) TRAP(MemoryOutOfBounds);
  if (n != 0) std::memcpy(mem_base + d, inst->m_mod->m_module->bytes.data() + seg.data_offset + s, n);
  ip += 6;
  NEXT();
}
L_DataDrop:
  inst->m_data_dropped[ip[2]] = 1;
  ip += 3;
  NEXT();
L_MemoryCopy: {
  const uint64_t d = R32(ip[2]), s = R32(ip[3]), n = R32(ip[4]);
  CHARGE((n + bulk_round) >> bulk_shift);
  if (s + n > mem_size || d + n > mem_size) TRAP(MemoryOutOfBounds);
  if (n != 0) std::memmove(mem_base + d, mem_base + s, n);
  ip += 5;
  NEXT();
}
L_MemoryFill: {
  const uint64_t d = R32(ip[2]), n = R32(ip[4]);
  const uint8_t v = static_cast<uint8_t>(fp[ip[3]]);
  CHARGE((n + bulk_round) >> bulk_shift);
  if (d + n > mem_size) TRAP(MemoryOutOfBounds);
  if (n != 0) std::memset(mem_base + d, v, n);
  ip += 5;
  NEXT();
}

#define LOAD(N, T, conv)                                   \
  L_##N : {                                                \
    const uint64_t ea = uint64_t{R32(ip[3])} + ip[4];      \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds); \
    T v;                                                   \
    std::memcpy(&v, mem_base + ea, sizeof(T));             \
    fp[ip[2]] = (conv);                                    \
    ip += 5;                                               \
    NEXT();                                                \
  }                                                        \
  L_##N##_a : {                                            \
    const uint64_t ea = uint64_t{static_cast<uint32_t>(R32(ip[3]) + ip[4])} + ip[5]; \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds); \
    T v;                                                   \
    std::memcpy(&v, mem_base + ea, sizeof(T));             \
    fp[ip[2]] = (conv);                                    \
    ip += 6;                                               \
    NEXT();                                                \
  }                                                        \
  L_##N##_k : {                                            \
    const uint64_t ea = ip[3];                             \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds); \
    T v;                                                   \
    std::memcpy(&v, mem_base + ea, sizeof(T));             \
    fp[ip[2]] = (conv);                                    \
    ip += 4;                                               \
    NEXT();                                                \
  }
  LOAD(I32Load, uint32_t, uint64_t{v})
  LOAD(I64Load, uint64_t, v)
  LOAD(F32Load, uint32_t, uint64_t{v})
  LOAD(F64Load, uint64_t, v)
  LOAD(I32Load8S, int8_t, uint64_t{static_cast<uint32_t>(int32_t{v})})
  LOAD(I32Load8U, uint8_t, uint64_t{v})
  LOAD(I32Load16S, int16_t, uint64_t{static_cast<uint32_t>(int32_t{v})})
  LOAD(I32Load16U, uint16_t, uint64_t{v})
  LOAD(I64Load8S, int8_t, static_cast<uint64_t>(int64_t{v}))
  LOAD(I64Load8U, uint8_t, uint64_t{v})
  LOAD(I64Load16S, int16_t, static_cast<uint64_t>(int64_t{v}))
  LOAD(I64Load16U, uint16_t, uint64_t{v})
  LOAD(I64Load32S, int32_t, static_cast<uint64_t>(int64_t{v}))
  LOAD(I64Load32U, uint32_t, uint64_t{v})
#undef LOAD

#define STORE(N, T)                                        \
  L_##N : {                                                \
    const uint64_t ea = uint64_t{R32(ip[2])} + ip[4];      \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds); \
    const T v = static_cast<T>(fp[ip[3]]);                 \
    std::memcpy(mem_base + ea, &v, sizeof(T));             \
    ip += 5;                                               \
    NEXT();                                                \
  }                                                        \
  L_##N##_i : {                                            \
    const uint64_t ea = uint64_t{R32(ip[2])} + ip[3];      \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds); \
    const T v = static_cast<T>(uint64_t{ip[4]} | (uint64_t{ip[5]} << 32)); \
    std::memcpy(mem_base + ea, &v, sizeof(T));             \
    ip += 6;                                               \
    NEXT();                                                \
  }                                                        \
  L_##N##_k : {                                            \
    const uint64_t ea = ip[2];                             \
    if (ea + sizeof(T) > mem_size) TRAP(MemoryOutOfBounds); \
    const T v = static_cast<T>(fp[ip[3]]);                 \
    std::memcpy(mem_base + ea, &v, sizeof(T));             \
    ip += 4;                                               \
    NEXT();                                                \
  }
  STORE(I32Store, uint32_t)
  STORE(I64Store, uint64_t)
  STORE(F32Store, uint32_t)
  STORE(F64Store, uint64_t)
  STORE(I32Store8, uint8_t)
  STORE(I32Store16, uint16_t)
  STORE(I64Store8, uint8_t)
  STORE(I64Store16, uint16_t)
  STORE(I64Store32, uint32_t)
#undef STORE

  // ---------------------------------------------------------------- numeric
#define UN(N, T, RD, WR, expr) \
  L_##N : {                    \
    CHECK_NAN_COLUMN(N, WR)    \
    const T a = RD(ip[3]);     \
    WR(ip[2], (expr));         \
    ip += 4;                   \
    NEXT();                    \
  }
#define BIN(N, T, RD, WR, expr) \
  L_##N : {                     \
    CHECK_NAN_COLUMN(N, WR)     \
    const T a = RD(ip[3]);      \
    const T b = RD(ip[4]);      \
    WR(ip[2], (expr));          \
    ip += 5;                    \
    NEXT();                     \
  }
#define BIN_RI(N, T, RD, IMM, WR, expr) \
  L_##N##_ri : {                        \
    const T a = RD(ip[3]);              \
    const T b = static_cast<T>(IMM(ip + 4)); \
    WR(ip[2], (expr));                  \
    ip += 4 + IMM##_WORDS;              \
    NEXT();                             \
  }
#define BRCMP(N, T, RD, IMM, cond)                                    \
  L_Br##N : {                                                         \
    const T a = RD(ip[2]);                                            \
    const T b = RD(ip[3]);                                            \
    if (cond) {                                                       \
      JUMP(ip[4]);                                                    \
    } else {                                                          \
      ip += 5;                                                        \
    }                                                                 \
    NEXT();                                                           \
  }                                                                   \
  L_Br##N##_ri : {                                                    \
    const T a = RD(ip[2]);                                            \
    const T b = static_cast<T>(IMM(ip + 3));                          \
    if (cond) {                                                       \
      JUMP(ip[3 + IMM##_WORDS]);                                      \
    } else {                                                          \
      ip += 4 + IMM##_WORDS;                                          \
    }                                                                 \
    NEXT();                                                           \
  }                                                                   \
  L_Br##N##G : {                                                      \
    const T a = RD(ip[2]);                                            \
    const T b = RD(ip[3]);                                            \
    if (cond) {                                                       \
      CHARGE_BR(ip[5]);                                               \
      JUMP(ip[4]);                                                    \
    } else {                                                          \
      ip += 6;                                                        \
    }                                                                 \
    NEXT();                                                           \
  }                                                                   \
  L_Br##N##_riG : {                                                   \
    const T a = RD(ip[2]);                                            \
    const T b = static_cast<T>(IMM(ip + 3));                          \
    if (cond) {                                                       \
      CHARGE_BR(ip[4 + IMM##_WORDS]);                                 \
      JUMP(ip[3 + IMM##_WORDS]);                                      \
    } else {                                                          \
      ip += 5 + IMM##_WORDS;                                          \
    }                                                                 \
    NEXT();                                                           \
  }
#define I32_BOTH(N, expr)                    \
  BIN(N, uint32_t, R32, W32, expr)           \
  BIN_RI(N, uint32_t, R32, IMM32, W32, expr)
#define I64_BOTH(N, expr)                    \
  BIN(N, uint64_t, R64, W64, expr)           \
  BIN_RI(N, uint64_t, R64, IMM64, W64, expr)
#define I32_CMP(N, cond) \
  I32_BOTH(N, cond)      \
  BRCMP(N, uint32_t, R32, IMM32, cond)
#define I64_CMP(N, cond)                        \
  BIN(N, uint64_t, R64, W32, cond)              \
  BIN_RI(N, uint64_t, R64, IMM64, W32, cond)    \
  BRCMP(N, uint64_t, R64, IMM64, cond)

  I32_CMP(I32Eq, a == b)
  I32_CMP(I32Ne, a != b)
  I32_CMP(I32LtS, static_cast<int32_t>(a) < static_cast<int32_t>(b))
  I32_CMP(I32LtU, a < b)
  I32_CMP(I32GtS, static_cast<int32_t>(a) > static_cast<int32_t>(b))
  I32_CMP(I32GtU, a > b)
  I32_CMP(I32LeS, static_cast<int32_t>(a) <= static_cast<int32_t>(b))
  I32_CMP(I32LeU, a <= b)
  I32_CMP(I32GeS, static_cast<int32_t>(a) >= static_cast<int32_t>(b))
  I32_CMP(I32GeU, a >= b)
  I64_CMP(I64Eq, a == b)
  I64_CMP(I64Ne, a != b)
  I64_CMP(I64LtS, static_cast<int64_t>(a) < static_cast<int64_t>(b))
  I64_CMP(I64LtU, a < b)
  I64_CMP(I64GtS, static_cast<int64_t>(a) > static_cast<int64_t>(b))
  I64_CMP(I64GtU, a > b)
  I64_CMP(I64LeS, static_cast<int64_t>(a) <= static_cast<int64_t>(b))
  I64_CMP(I64LeU, a <= b)
  I64_CMP(I64GeS, static_cast<int64_t>(a) >= static_cast<int64_t>(b))
  I64_CMP(I64GeU, a >= b)

  I32_BOTH(I32Add, a + b)
  I32_BOTH(I32Sub, a - b)
  I32_BOTH(I32Mul, a * b)
  I32_BOTH(I32And, a & b)
  I32_BOTH(I32Or, a | b)
  I32_BOTH(I32Xor, a ^ b)
  I32_BOTH(I32Shl, a << (b & 31))
  I32_BOTH(I32ShrS, static_cast<uint32_t>(static_cast<int32_t>(a) >> (b & 31)))
  I32_BOTH(I32ShrU, a >> (b & 31))
  I32_BOTH(I32Rotl, std::rotl(a, static_cast<int>(b & 31)))
  I32_BOTH(I32Rotr, std::rotr(a, static_cast<int>(b & 31)))
  I64_BOTH(I64Add, a + b)
  I64_BOTH(I64Sub, a - b)
  I64_BOTH(I64Mul, a * b)
  I64_BOTH(I64And, a & b)
  I64_BOTH(I64Or, a | b)
  I64_BOTH(I64Xor, a ^ b)
  I64_BOTH(I64Shl, a << (b & 63))
  I64_BOTH(I64ShrS, static_cast<uint64_t>(static_cast<int64_t>(a) >> (b & 63)))
  I64_BOTH(I64ShrU, a >> (b & 63))
  I64_BOTH(I64Rotl, std::rotl(a, static_cast<int>(b & 63)))
  I64_BOTH(I64Rotr, std::rotr(a, static_cast<int>(b & 63)))

L_I32DivS: {
  const int32_t a = RS32(ip[3]), b = RS32(ip[4]);
  if (b == 0) TRAP(IntDivByZero);
  if (a == INT32_MIN && b == -1) TRAP(IntOverflow);
  W32(ip[2], a / b);
  ip += 5;
  NEXT();
}
L_I32DivU: {
  const uint32_t a = R32(ip[3]), b = R32(ip[4]);
  if (b == 0) TRAP(IntDivByZero);
  W32(ip[2], a / b);
  ip += 5;
  NEXT();
}
L_I32RemS: {
  const int32_t a = RS32(ip[3]), b = RS32(ip[4]);
  if (b == 0) TRAP(IntDivByZero);
  W32(ip[2], b == -1 ? 0 : a % b);
  ip += 5;
  NEXT();
}
L_I32RemU: {
  const uint32_t a = R32(ip[3]), b = R32(ip[4]);
  if (b == 0) TRAP(IntDivByZero);
  W32(ip[2], a % b);
  ip += 5;
  NEXT();
}
L_I64DivS: {
  const int64_t a = RS64(ip[3]), b = RS64(ip[4]);
  if (b == 0) TRAP(IntDivByZero);
  if (a == INT64_MIN && b == -1) TRAP(IntOverflow);
  W64(ip[2], a / b);
  ip += 5;
  NEXT();
}
L_I64DivU: {
  const uint64_t a = R64(ip[3]), b = R64(ip[4]);
  if (b == 0) TRAP(IntDivByZero);
  W64(ip[2], a / b);
  ip += 5;
  NEXT();
}
L_I64RemS: {
  const int64_t a = RS64(ip[3]), b = RS64(ip[4]);
  if (b == 0) TRAP(IntDivByZero);
  W64(ip[2], b == -1 ? 0 : a % b);
  ip += 5;
  NEXT();
}
L_I64RemU: {
  const uint64_t a = R64(ip[3]), b = R64(ip[4]);
  if (b == 0) TRAP(IntDivByZero);
  W64(ip[2], a % b);
  ip += 5;
  NEXT();
}

  BIN(F32Eq, float, RF32, W32, a == b)
  BIN(F32Ne, float, RF32, W32, a != b)
  BIN(F32Lt, float, RF32, W32, a < b)
  BIN(F32Gt, float, RF32, W32, a > b)
  BIN(F32Le, float, RF32, W32, a <= b)
  BIN(F32Ge, float, RF32, W32, a >= b)
  BIN(F64Eq, double, RF64, W32, a == b)
  BIN(F64Ne, double, RF64, W32, a != b)
  BIN(F64Lt, double, RF64, W32, a < b)
  BIN(F64Gt, double, RF64, W32, a > b)
  BIN(F64Le, double, RF64, W32, a <= b)
  BIN(F64Ge, double, RF64, W32, a >= b)
  BIN(F32Add, float, RF32, WNF32, a + b)
  BIN(F32Sub, float, RF32, WNF32, a - b)
  BIN(F32Mul, float, RF32, WNF32, a * b)
  BIN(F32Div, float, RF32, WNF32, a / b)
  BIN(F32Min, float, RF32, WNF32, wasm_min(a, b))
  BIN(F32Max, float, RF32, WNF32, wasm_max(a, b))
  BIN(F32Copysign, float, RF32, WF32, f32_copysign(a, b))
  BIN(F64Add, double, RF64, WNF64, a + b)
  BIN(F64Sub, double, RF64, WNF64, a - b)
  BIN(F64Mul, double, RF64, WNF64, a * b)
  BIN(F64Div, double, RF64, WNF64, a / b)
  BIN(F64Min, double, RF64, WNF64, wasm_min(a, b))
  BIN(F64Max, double, RF64, WNF64, wasm_max(a, b))
  BIN(F64Copysign, double, RF64, WF64, f64_copysign(a, b))

  UN(I32Eqz, uint32_t, R32, W32, a == 0)
  UN(I64Eqz, uint64_t, R64, W32, a == 0)
  UN(I32Clz, uint32_t, R32, W32, std::countl_zero(a))
  UN(I32Ctz, uint32_t, R32, W32, std::countr_zero(a))
  UN(I32Popcnt, uint32_t, R32, W32, std::popcount(a))
  UN(I64Clz, uint64_t, R64, W64, std::countl_zero(a))
  UN(I64Ctz, uint64_t, R64, W64, std::countr_zero(a))
  UN(I64Popcnt, uint64_t, R64, W64, std::popcount(a))
  UN(F32Abs, uint32_t, R32, W32, a & 0x7FFFFFFFu)
  UN(F32Neg, uint32_t, R32, W32, a ^ 0x80000000u)
  UN(F32Ceil, float, RF32, WNF32, round_op(a, [](auto x) { return std::ceil(x); }))
  UN(F32Floor, float, RF32, WNF32, round_op(a, [](auto x) { return std::floor(x); }))
  UN(F32Trunc, float, RF32, WNF32, round_op(a, [](auto x) { return std::trunc(x); }))
  UN(F32Nearest, float, RF32, WNF32, round_op(a, [](auto x) { return std::nearbyint(x); }))
  UN(F32Sqrt, float, RF32, WNF32, std::sqrt(a))
  UN(F64Abs, uint64_t, R64, W64, a & 0x7FFFFFFFFFFFFFFFull)
  UN(F64Neg, uint64_t, R64, W64, a ^ 0x8000000000000000ull)
  UN(F64Ceil, double, RF64, WNF64, round_op(a, [](auto x) { return std::ceil(x); }))
  UN(F64Floor, double, RF64, WNF64, round_op(a, [](auto x) { return std::floor(x); }))
  UN(F64Trunc, double, RF64, WNF64, round_op(a, [](auto x) { return std::trunc(x); }))
  UN(F64Nearest, double, RF64, WNF64, round_op(a, [](auto x) { return std::nearbyint(x); }))
  UN(F64Sqrt, double, RF64, WNF64, std::sqrt(a))
  UN(I32WrapI64, uint64_t, R64, W32, a)
  UN(I64ExtendI32S, int32_t, RS32, W64, int64_t{a})
  UN(I64ExtendI32U, uint32_t, R32, W64, a)
  UN(F32ConvertI32S, int32_t, RS32, WF32, static_cast<float>(a))
  UN(F32ConvertI32U, uint32_t, R32, WF32, static_cast<float>(a))
  UN(F32ConvertI64S, int64_t, RS64, WF32, static_cast<float>(a))
  UN(F32ConvertI64U, uint64_t, R64, WF32, static_cast<float>(a))
  UN(F32DemoteF64, double, RF64, WNF32, static_cast<float>(a))
  UN(F64ConvertI32S, int32_t, RS32, WF64, static_cast<double>(a))
  UN(F64ConvertI32U, uint32_t, R32, WF64, static_cast<double>(a))
  UN(F64ConvertI64S, int64_t, RS64, WF64, static_cast<double>(a))
  UN(F64ConvertI64U, uint64_t, R64, WF64, static_cast<double>(a))
  UN(F64PromoteF32, float, RF32, WNF64, static_cast<double>(a))
  UN(I32ReinterpretF32, uint32_t, R32, W32, a)
  UN(I64ReinterpretF64, uint64_t, R64, W64, a)
  UN(F32ReinterpretI32, uint32_t, R32, W32, a)
  UN(F64ReinterpretI64, uint64_t, R64, W64, a)
  UN(I32Extend8S, uint32_t, R32, W32, static_cast<int32_t>(static_cast<int8_t>(a)))
  UN(I32Extend16S, uint32_t, R32, W32, static_cast<int32_t>(static_cast<int16_t>(a)))
  UN(I64Extend8S, uint64_t, R64, W64, static_cast<int64_t>(static_cast<int8_t>(a)))
  UN(I64Extend16S, uint64_t, R64, W64, static_cast<int64_t>(static_cast<int16_t>(a)))
  UN(I64Extend32S, uint64_t, R64, W64, static_cast<int64_t>(static_cast<int32_t>(a)))
  UN(I32TruncSatF32S, float, RF32, W32, trunc_sat<int32_t>(a))
  UN(I32TruncSatF32U, float, RF32, W32, trunc_sat<uint32_t>(a))
  UN(I32TruncSatF64S, double, RF64, W32, trunc_sat<int32_t>(a))
  UN(I32TruncSatF64U, double, RF64, W32, trunc_sat<uint32_t>(a))
  UN(I64TruncSatF32S, float, RF32, W64, trunc_sat<int64_t>(a))
  UN(I64TruncSatF32U, float, RF32, W64, trunc_sat<uint64_t>(a))
  UN(I64TruncSatF64S, double, RF64, W64, trunc_sat<int64_t>(a))
  UN(I64TruncSatF64U, double, RF64, W64, trunc_sat<uint64_t>(a))

#define TRUNC(N, F, RD, I, WR)                  \
  L_##N : {                                     \
    I r;                                        \
    const int s = trunc_checked<I, F>(RD(ip[3]), r); \
    if (s == 1) TRAP(InvalidConversion);        \
    if (s == 2) TRAP(IntOverflow);              \
    WR(ip[2], r);                               \
    ip += 4;                                    \
    NEXT();                                     \
  }
  TRUNC(I32TruncF32S, float, RF32, int32_t, W32)
  TRUNC(I32TruncF32U, float, RF32, uint32_t, W32)
  TRUNC(I32TruncF64S, double, RF64, int32_t, W32)
  TRUNC(I32TruncF64U, double, RF64, uint32_t, W32)
  TRUNC(I64TruncF32S, float, RF32, int64_t, W64)
  TRUNC(I64TruncF32U, float, RF32, uint64_t, W64)
  TRUNC(I64TruncF64S, double, RF64, int64_t, W64)
  TRUNC(I64TruncF64U, double, RF64, uint64_t, W64)

done:
  if (metering && gas < 0) {  // the check when the call returns to its caller outside
    trap = TrapKind::OutOfGas;
    goto trap_exit;
  }
  SAVE_GAS();
  ctx.stack_slots = entry_slots;
  return TrapKind::None;
trap_exit:
  // A revert or an exit keeps the exact count; a trap's gas is settled by
  // Instance::invoke (runtime::settle_gas), so a negative counter is cut to 0.
  if (gas < 0) gas = 0;
  SAVE_GAS();
  ctx.depth = entry_depth;
  ctx.stack_slots = entry_slots;
  return trap;
}

}  // namespace

const void* const* handler_table() noexcept {
  static const void* const* table = [] {
    const void* const* t = nullptr;
    run(nullptr, nullptr, nullptr, nullptr, nullptr, &t);
    return t;
  }();
  return table;
}

runtime::TrapKind execute(InterpInstance& inst, const FuncCode& f, uint64_t* fp, runtime::ExecContext& ctx,
                          Machine& m) noexcept {
  return run(&inst, &f, fp, &ctx, &m, nullptr);
}

}  // namespace ward::interp::detail
