// ward/aot/instrument.cpp — the libwabt rewrite of a module before wasm2c
// (see instrument.h) and the small adjustments of wasm2c's output that map
// its traps onto Ward's trap kinds.
//
// Rewrite, per defined function f (index kept): f becomes a wrapper that
// checks the gas (W.gas < 0: out of gas), takes one call and f's frame
// slots from W.stack (the call depth and stack slots still allowed, packed,
// aot::StackCounter; the stack-slot budget is summed along the call chain
// as the interpreter counts it), traps when either runs out, calls f's
// original body (moved to a new function appended after all others) and
// restores W.stack from a local. A direct call made where the gas was just
// checked and has not changed since (the first call of a loop head's block)
// calls a second entry without the gas check, appended after the bodies;
// f's wrapper then checks the gas and calls that entry (CheckedCalls).
// In the body, each basic block with a cost charges it first
// (gas -= cost, no check), and the first block of every loop body also
// checks (trap when negative), the rule of docs/gas.md. The body keeps the
// gas in a local (a register in the compiled code), loaded at entry and
// after every call or grow (which may charge), and stores it into the
// global only where someone else continues from it: at the start of every
// basic block that calls, grows or returns (may_observe_gas), and when the
// body falls off its end. A trap uses up all the gas, so nothing stores for
// it, and a block of plain computation costs one subtraction. Bulk
// operations charge their dynamic cost and check before they run, and
// float results that may be NaN are replaced by the
// canonical NaN: the instructions of the `nan` column of opcodes.def, the
// set the interpreter canonicalises too (a check is left out where the
// value's only use cannot tell one NaN from another: NanChecks). The frame's slots are
// wasm::frame_slots; all costs, static and dynamic, are those of the
// wasm::GasSchedule given (the bulk-memory charge its bulk_memory_gas).
// Out of gas and stack exhaustion set W.why and run `unreachable`, which the
// runtime reports as the matching trap.
// wasm2c's output is then adjusted by c_patch.cpp.
// Recursion on block nesting is bounded: the pre-scan limits nesting to
// Limits::max_block_depth before any module gets here.
#include <fmt/format.h>
#include <wabt/apply-names.h>
#include <wabt/binary-reader-ir.h>
#include <wabt/binary-reader.h>
#include <wabt/c-writer.h>
#include <wabt/cast.h>
#include <wabt/generate-names.h>
#include <wabt/ir.h>
#include <wabt/stream.h>
#include <wabt/validator.h>

#include <bit>
#include <memory>

#include "aot/c_patch.h"
#include "aot/instrument.h"
#include "aot/stack_counter.h"
#include "wasm/instr_reader.h"
#include "wasm/metering.h"

namespace ward::aot {
namespace {

using wabt::Const;
using wabt::Expr;
using wabt::ExprList;
using wabt::ExprType;
using wabt::Index;
using wabt::Opcode;
using wabt::Type;
using wabt::Var;

wabt::Features ward_features() {
  wabt::Features f;
  f.disable_simd();
  f.disable_threads();
  return f;
}

Var var(Index i) { return Var(i, wabt::Location()); }

/// Per defined function: the gas to charge before each instruction (end and
/// else excluded, body order), where the gas must be stored for others to
/// see, and the stack accounting.
struct Plan {
  std::vector<uint64_t> gas;
  /// Per instruction (same order): 1 at the first instruction of a basic
  /// block in which something may observe the gas (may_observe_gas); the
  /// function's gas local is stored into W.gas there.
  std::vector<uint8_t> store;
  /// Per instruction (same order): the instruction, for the columns of
  /// opcodes.def (NaN canonicalisation).
  std::vector<wasm::Op> ops;
  uint64_t frame_slots = 0;  ///< wasm::frame_slots, the stack-slot budget of one activation
};

/// True when `op` hands the function's gas to someone else: a call (the
/// callee, or the host function, continues from W.gas), a runtime call that
/// charges (memory.grow, table.grow) or a return. A trap does not: it uses up
/// all the gas (docs/gas.md), so no block stores for it, and a basic block
/// without these leaves its gas in the local alone.
bool may_observe_gas(wasm::Op op) {
  using wasm::Op;
  switch (op) {
    case Op::Call: case Op::CallIndirect: case Op::Return: case Op::MemoryGrow: case Op::TableGrow:
      return true;
    default:
      return false;
  }
}

Result<Plan> make_plan(const wasm::Module& m, uint32_t d, const wasm::GasSchedule& gas) {
  Plan p;
  auto blocks = analyze_gas(m, d, gas);
  if (!blocks) return blocks.error();
  auto slots = wasm::frame_slots(m, d);
  if (!slots) return slots.error();
  p.frame_slots = *slots;
  const wasm::Function& fn = m.functions[d];
  wasm::InstrReader reader(m.body(d), fn.body_offset);
  wasm::Instr in;
  size_t bi = 0;
  std::vector<size_t> block_of;               // per planned instruction: its basic block
  std::vector<uint8_t> observes(blocks->size() + 1, 0);  // per basic block
  uint32_t open = 0;                          // open block/loop/if (the function's own label excluded)
  size_t cur = blocks->size();                // basic block of the current instruction
  while (!reader.done()) {
    if (!reader.next(in)) return make_error(reader.error());
    uint64_t cost = 0;
    while (bi < blocks->size() && (*blocks)[bi].offset < in.offset) ++bi;
    if (bi < blocks->size() && (*blocks)[bi].offset == in.offset) {
      cost = (*blocks)[bi].cost;
      cur = bi;
    }
    bool obs = may_observe_gas(in.op);
    switch (in.op) {  // a branch to the function's label is a return
      case wasm::Op::Br:
      case wasm::Op::BrIf: obs = in.a >= open; break;
      case wasm::Op::BrTable:
        for (uint32_t t : in.targets) obs = obs || t >= open;
        break;
      default: break;
    }
    if (in.op == wasm::Op::Block || in.op == wasm::Op::Loop || in.op == wasm::Op::If) ++open;
    if (in.op == wasm::Op::End && open > 0) --open;
    if (in.op == wasm::Op::End || in.op == wasm::Op::Else) {
      if (cost != 0) return make_error(fmt::format("block at offset {:#x} starts at end/else", in.offset));
      continue;
    }
    if (obs) observes[cur] = 1;
    block_of.push_back(cur);
    p.gas.push_back(cost);
    p.ops.push_back(in.op);
  }
  p.store.resize(p.gas.size(), 0);
  for (size_t k = 0; k < block_of.size(); ++k) {
    if ((k == 0 || block_of[k] != block_of[k - 1]) && observes[block_of[k]]) p.store[k] = 1;
  }
  return p;
}

/// Builds instruction sequences over the instrumentation globals.
struct Emit {
  Index gas = 0, stack = 0, why = 0;

  template <class T, class... A>
  static std::unique_ptr<Expr> mk(A&&... a) {
    return std::make_unique<T>(std::forward<A>(a)...);
  }
  static std::unique_ptr<Expr> op(Opcode::Enum o) { return mk<wabt::BinaryExpr>(Opcode(o)); }

  /// `if (cond on stack) { why = reason; unreachable }`
  std::unique_ptr<Expr> trap_if(uint32_t reason) const {
    auto e = std::make_unique<wabt::IfExpr>();
    e->true_.exprs.push_back(mk<wabt::ConstExpr>(Const::I32(reason)));
    e->true_.exprs.push_back(mk<wabt::GlobalSetExpr>(var(why)));
    e->true_.exprs.push_back(mk<wabt::UnreachableExpr>());
    return e;
  }
  /// A dynamic charge: gl -= (i64 on stack), into the global as well (a
  /// call or grow later in the same basic block continues from the global,
  /// which its block stored before this charge), then the check. The
  /// function's gas lives in local `gl` (a register in the compiled code).
  void charge_stack(std::vector<std::unique_ptr<Expr>>& out, Index tmp64, Index gl) const {
    out.push_back(mk<wabt::LocalSetExpr>(var(tmp64)));
    out.push_back(mk<wabt::LocalGetExpr>(var(gl)));
    out.push_back(mk<wabt::LocalGetExpr>(var(tmp64)));
    out.push_back(op(Opcode::I64Sub));
    out.push_back(mk<wabt::LocalSetExpr>(var(gl)));
    store(out, gl);
    check(out, gl);
  }
  /// A basic block's charge: gl -= cost (none when 0), with no check;
  /// `store`: then into the global; `check_it`: then the check (a loop head).
  void charge_const(std::vector<std::unique_ptr<Expr>>& out, uint64_t cost, Index gl, bool store_it,
                    bool check_it) const {
    if (cost > 0) {
      out.push_back(mk<wabt::LocalGetExpr>(var(gl)));
      out.push_back(mk<wabt::ConstExpr>(Const::I64(cost)));
      out.push_back(op(Opcode::I64Sub));
      out.push_back(mk<wabt::LocalSetExpr>(var(gl)));
    }
    if (store_it) store(out, gl);
    if (check_it) check(out, gl);
  }
  /// Out of gas when gl < 0 (an out-of-gas trap leaves no gas, so the
  /// global need not be exact for it).
  void check(std::vector<std::unique_ptr<Expr>>& out, Index gl) const {
    out.push_back(mk<wabt::LocalGetExpr>(var(gl)));
    out.push_back(mk<wabt::ConstExpr>(Const::I64(0)));
    out.push_back(mk<wabt::CompareExpr>(Opcode(Opcode::I64LtS)));
    out.push_back(trap_if(1));
  }
  /// gas = gl.
  void store(std::vector<std::unique_ptr<Expr>>& out, Index gl) const {
    out.push_back(mk<wabt::LocalGetExpr>(var(gl)));
    out.push_back(mk<wabt::GlobalSetExpr>(var(gas)));
  }
  /// gl = gas (at entry and after anything that may charge: calls, grows).
  void reload(std::vector<std::unique_ptr<Expr>>& out, Index gl) const {
    out.push_back(mk<wabt::GlobalGetExpr>(var(gas)));
    out.push_back(mk<wabt::LocalSetExpr>(var(gl)));
  }
};

/// GasSchedule::bulk_memory_gas as the instrumented code computes it: a
/// shift, which needs bulk_bytes_per_gas to be a power of two (checked with
/// sample values, so the two can never disagree). Errors: the schedule's
/// bulk_bytes_per_gas is not a power of two.
Result<uint64_t> bulk_gas_shift(const wasm::GasSchedule& gas) {
  const uint64_t k = gas.bulk_bytes_per_gas;
  if (!std::has_single_bit(k)) {
    return make_error(fmt::format("gas schedule revision {}: bulk_bytes_per_gas {} is not a power of two",
                                  gas.revision, k));
  }
  const uint64_t shift = std::countr_zero(k);
  for (uint64_t n : {uint64_t{0}, uint64_t{1}, k, k + 1, uint64_t{UINT32_MAX}}) {
    if (((n + k - 1) >> shift) != gas.bulk_memory_gas(n)) {
      return make_error(fmt::format("gas schedule revision {}: the bulk gas shift differs", gas.revision));
    }
  }
  return shift;
}
static_assert(std::has_single_bit(wasm::kGasScheduleV1.bulk_bytes_per_gas), "the bulk gas shift needs a power of two");

/// True when wabt's opcode is Ward's instruction (same prefix and code).
bool same_op(Opcode opc, wasm::Op op) {
  const wasm::OpInfo& info = wasm::op_info(op);
  return opc.GetPrefix() == info.prefix && opc.GetCode() == info.code;
}

void insert_before(ExprList& list, ExprList::iterator pos, std::vector<std::unique_ptr<Expr>>& seq) {
  for (auto& e : seq) list.insert(pos, std::move(e));
  seq.clear();
}

/// True when a NaN operand of `op` leads to the same outcome whatever its
/// bits: `op` makes a NaN of any NaN operand and canonicalises its own
/// result (the nan column), compares (NaN is unordered, whatever its bits),
/// converts to an integer (a NaN traps or gives 0) or drops the value.
bool nan_bits_unseen_by(wasm::Op op) {
  using wasm::Op;
  if (wasm::op_nan_width(op) != 0) return true;
  switch (op) {
    case Op::Drop:
    case Op::F32Eq: case Op::F32Ne: case Op::F32Lt: case Op::F32Gt: case Op::F32Le: case Op::F32Ge:
    case Op::F64Eq: case Op::F64Ne: case Op::F64Lt: case Op::F64Gt: case Op::F64Le: case Op::F64Ge:
    case Op::I32TruncF32S: case Op::I32TruncF32U: case Op::I32TruncF64S: case Op::I32TruncF64U:
    case Op::I64TruncF32S: case Op::I64TruncF32U: case Op::I64TruncF64S: case Op::I64TruncF64U:
    case Op::I32TruncSatF32S: case Op::I32TruncSatF32U: case Op::I32TruncSatF64S: case Op::I32TruncSatF64U:
    case Op::I64TruncSatF32S: case Op::I64TruncSatF32U: case Op::I64TruncSatF64S: case Op::I64TruncSatF64U:
      return true;
    default:
      return false;
  }
}

/// True for the instructions whose whole stack effect the pop and push
/// columns of opcodes.def do not give (control instructions and calls).
bool is_control(wasm::Op op) {
  const wasm::OpInfo& info = wasm::op_info(op);
  return info.prefix == 0x00 && info.code <= 0x11;  // unreachable ... call_indirect
}

/// The NaN canonicalisation of one instruction list. The result of a `nan`
/// column instruction must become the canonical NaN when it is a NaN, unless
/// nothing can ever see its bits: its only use (a value on the operand stack
/// is used once) is an instruction for which nan_bits_unseen_by holds. In
/// `a * b + c` the product's check is left out, since the sum is a NaN
/// whenever the product is and is checked itself; what the code computes
/// and stores is the same bit for bit. Tracked along straight-line code
/// with a model of the operand stack; any control instruction or call ends
/// the tracking and every check still pending is placed.
struct NanChecks {
  struct Slot {
    bool pending;               ///< the result of a nan instruction, not yet checked
    ExprList::iterator at;      ///< that instruction (list.end() when not pending)
    uint32_t width;
  };
  ExprList& list;
  Index tmp32;  ///< the walker's temporaries: tmp32 + 2 (f32), tmp32 + 3 (f64)
  std::vector<Slot> stack;  ///< the known top of the operand stack, deepest first

  /// x -> isnan(x) ? canonical NaN : x, right after the instruction that made x.
  void place(const Slot& s) {
    const Index tf = s.width == 32 ? tmp32 + 2 : tmp32 + 3;
    std::vector<std::unique_ptr<Expr>> seq;
    seq.push_back(Emit::mk<wabt::LocalSetExpr>(var(tf)));
    seq.push_back(Emit::mk<wabt::ConstExpr>(s.width == 32 ? Const::F32(0x7FC00000u) : Const::F64(0x7FF8000000000000ull)));
    seq.push_back(Emit::mk<wabt::LocalGetExpr>(var(tf)));
    seq.push_back(Emit::mk<wabt::LocalGetExpr>(var(tf)));
    seq.push_back(Emit::mk<wabt::LocalGetExpr>(var(tf)));
    seq.push_back(Emit::mk<wabt::CompareExpr>(Opcode(s.width == 32 ? Opcode::F32Ne : Opcode::F64Ne)));
    seq.push_back(Emit::mk<wabt::SelectExpr>(wabt::TypeVector{}));
    insert_before(list, std::next(s.at), seq);
  }
  /// Places every pending check and forgets the stack (before a control
  /// instruction or call, and at the end of the list).
  void flush() {
    for (const Slot& s : stack) {
      if (s.pending) place(s);
    }
    stack.clear();
  }
  /// Instruction `op` at `it`, before the walker goes on past it.
  void step(wasm::Op op, ExprList::iterator it) {
    if (is_control(op)) {
      flush();
      return;
    }
    const wasm::OpInfo& info = wasm::op_info(op);
    const bool unseen = nan_bits_unseen_by(op);
    for (uint32_t i = 0; i < info.pop; ++i) {
      if (stack.empty()) break;  // a value from before the tracking: never pending
      if (stack.back().pending && !unseen) place(stack.back());
      stack.pop_back();
    }
    for (uint32_t i = 0; i < info.push; ++i) {
      stack.push_back(info.nan != 0 ? Slot{true, it, info.nan} : Slot{false, list.end(), 0});
    }
  }
};

/// The direct calls that may skip the callee's gas check: a call made where
/// W.gas is known to be what was last checked (not negative) cannot run out
/// of gas at the callee's entry, so it calls an entry without that check
/// (docs/aot.md, "Checks a call can skip").
struct CheckedCalls {
  Index first_defined;  ///< the index of the first defined function
  Index ndef;           ///< defined functions
  Index next_index;     ///< the index of the first entry without the gas check
  std::vector<int64_t> entry_of;  ///< per defined function: its entry without the check, or -1
  std::vector<uint32_t> order;    ///< the defined functions that have one, in index order of those entries

  /// The index of defined function d's entry without the gas check (made on first use).
  Index unchecked(uint32_t d) {
    if (entry_of[d] < 0) {
      entry_of[d] = static_cast<int64_t>(next_index + order.size());
      order.push_back(d);
    }
    return static_cast<Index>(entry_of[d]);
  }
};

/// Instruments one function body in place.
struct Walker {
  const Plan& plan;
  const Emit& em;
  bool metering;
  const wasm::GasSchedule& gas;  ///< the dynamic costs
  uint64_t bulk_shift;           ///< log2(gas.bulk_bytes_per_gas)
  Index tmp32, tmp64, gl;
  CheckedCalls& calls;
  size_t ord = 0;
  bool bad = false;
  /// W.gas equals gl and was checked not negative since either last changed:
  /// from a loop head's check (its block stores first) until the next
  /// charge, call, grow, bulk operation or control instruction.
  bool checked = false;

  /// `loop_head`: `list` is a loop body, whose first basic block also
  /// checks the gas (docs/gas.md), even when it costs nothing or is empty.
  void walk(ExprList& list, bool loop_head = false) {
    std::vector<std::unique_ptr<Expr>> seq;
    if (loop_head && metering && list.empty()) {
      em.check(seq, gl);
      for (auto& x : seq) list.push_back(std::move(x));
      return;
    }
    bool first = true;
    checked = false;
    NanChecks nan{list, tmp32, {}};
    for (auto it = list.begin(); it != list.end() && !bad; ++it) {
      Expr& e = *it;
      if (ord >= plan.gas.size()) {
        bad = true;
        return;
      }
      const bool st = plan.store[ord] != 0;
      const bool head = loop_head && first;
      first = false;
      const wasm::Op wop = plan.ops[ord];
      const uint64_t g = plan.gas[ord++];
      if (metering && (g > 0 || st || head)) {
        em.charge_const(seq, g, gl, st, head);
        insert_before(list, it, seq);
        if (g > 0 || head) checked = head && st;
      }
      nan.step(wop, it);
      switch (e.type()) {
        case ExprType::Block: walk(wabt::cast<wabt::BlockExpr>(&e)->block.exprs); break;
        case ExprType::Loop: walk(wabt::cast<wabt::LoopExpr>(&e)->block.exprs, true); break;
        case ExprType::If: {
          auto* ie = wabt::cast<wabt::IfExpr>(&e);
          walk(ie->true_.exprs);
          walk(ie->false_);
          break;
        }
        case ExprType::MemoryFill:
        case ExprType::MemoryCopy:
        case ExprType::MemoryInit:
        case ExprType::TableFill:
        case ExprType::TableCopy:
        case ExprType::TableInit: {
          checked = false;  // its charge changes the gas
          if (!metering) break;
          const bool bytes = e.type() == ExprType::MemoryFill || e.type() == ExprType::MemoryCopy ||
                             e.type() == ExprType::MemoryInit;
          seq.push_back(Emit::mk<wabt::LocalTeeExpr>(var(tmp32)));  // n stays for the operation
          seq.push_back(Emit::mk<wabt::LocalGetExpr>(var(tmp32)));
          seq.push_back(Emit::mk<wabt::ConvertExpr>(Opcode(Opcode::I64ExtendI32U)));
          if (bytes) {  // gas.bulk_memory_gas(n), as (n + k - 1) >> log2(k)
            seq.push_back(Emit::mk<wabt::ConstExpr>(Const::I64(gas.bulk_bytes_per_gas - 1)));
            seq.push_back(Emit::op(Opcode::I64Add));
            seq.push_back(Emit::mk<wabt::ConstExpr>(Const::I64(bulk_shift)));
            seq.push_back(Emit::op(Opcode::I64ShrU));
          } else if (gas.table_element != 1) {  // n * table_element
            seq.push_back(Emit::mk<wabt::ConstExpr>(Const::I64(gas.table_element)));
            seq.push_back(Emit::op(Opcode::I64Mul));
          }
          em.charge_stack(seq, tmp64, gl);
          insert_before(list, it, seq);
          break;
        }
        case ExprType::Call:
        case ExprType::CallIndirect:
        case ExprType::MemoryGrow:
        case ExprType::TableGrow: {
          if (!metering) break;
          if (e.type() == ExprType::Call && checked) {
            Var& callee = wabt::cast<wabt::CallExpr>(&e)->var;
            const Index fi = callee.index();
            if (fi >= calls.first_defined && fi - calls.first_defined < calls.ndef) {
              callee = var(calls.unchecked(fi - calls.first_defined));
            }
          }
          checked = false;  // the callee or the grow may charge
          em.reload(seq, gl);
          auto next = std::next(it);
          for (auto& x : seq) it = list.insert(next, std::move(x));
          seq.clear();
          break;
        }
        case ExprType::Binary:
        case ExprType::Unary:
        case ExprType::Convert: {
          const Opcode opc = e.type() == ExprType::Binary  ? wabt::cast<wabt::BinaryExpr>(&e)->opcode
                             : e.type() == ExprType::Unary ? wabt::cast<wabt::UnaryExpr>(&e)->opcode
                                                           : wabt::cast<wabt::ConvertExpr>(&e)->opcode;
          if (!same_op(opc, wop)) {  // the plan and the IR walk must see the same instruction
            bad = true;
            return;
          }
          break;  // the nan column: NanChecks
        }
        case ExprType::Compare:
          if (!same_op(wabt::cast<wabt::CompareExpr>(&e)->opcode, wop)) {  // NanChecks relies on it too
            bad = true;
            return;
          }
          break;
        default:
          break;
      }
      if (is_control(wop)) checked = false;
    }
    nan.flush();
  }
};

template <class T>
std::unique_ptr<T> take(std::unique_ptr<wabt::ModuleField>& f) {
  return std::unique_ptr<T>(static_cast<T*>(f.release()));
}

std::unique_ptr<wabt::ImportModuleField> import_field(std::unique_ptr<wabt::Import> im, std::string field) {
  im->module_name = kImportModule;
  im->field_name = std::move(field);
  return std::make_unique<wabt::ImportModuleField>(std::move(im));
}

std::unique_ptr<wabt::ImportModuleField> global_import(std::string field, Type t, bool mut) {
  auto gi = std::make_unique<wabt::GlobalImport>();
  gi->global.type = t;
  gi->global.mutable_ = mut;
  return import_field(std::move(gi), std::move(field));
}

}  // namespace

Result<GeneratedC> generate_c(const wasm::Module& M, const runtime::Limits& limits, bool metering, bool guard_pages,
                              const wasm::GasSchedule& gas) {
  const auto bulk_shift = bulk_gas_shift(gas);
  if (!bulk_shift) return bulk_shift.error();
  if (!StackCounter::fits(limits)) {
    return make_error(fmt::format("aot: max_call_depth ({}) and max_stack_slots ({}) must be at most {}",
                                  limits.max_call_depth, limits.max_stack_slots, StackCounter::kMaxField));
  }
  const uint32_t ndef = static_cast<uint32_t>(M.functions.size());
  std::vector<Plan> plans;
  plans.reserve(ndef);
  for (uint32_t d = 0; d < ndef; ++d) {
    auto p = make_plan(M, d, gas);
    if (!p) return make_error(fmt::format("cannot compile function {}: {}", M.num_imported_funcs + d,
                                          p.error().message));
    plans.push_back(std::move(p.value()));
  }

  wabt::Errors errors;
  wabt::Module src;
  const wabt::Features wf = ward_features();
  const wabt::ReadBinaryOptions ropts(wf, nullptr, false, true, false);
  if (wabt::Failed(wabt::ReadBinaryIr("module", M.bytes.data(), M.bytes.size(), ropts, &errors, &src))) {
    return make_error("aot: libwabt cannot read the module");
  }
  std::vector<std::unique_ptr<wabt::ModuleField>> fields;
  while (!src.fields.empty()) fields.push_back(src.fields.extract_front());

  wabt::Module dst;
  uint32_t nf = 0, ng = 0, nt = 0, nm = 0;
  for (auto& f : fields) {
    if (f && f->type() == wabt::ModuleFieldType::Type) dst.AppendField(take<wabt::TypeModuleField>(f));
  }
  for (auto& f : fields) {
    if (!f || f->type() != wabt::ModuleFieldType::Import) continue;
    auto imf = take<wabt::ImportModuleField>(f);
    std::string name;
    switch (imf->import->kind()) {
      case wabt::ExternalKind::Func: name = fmt::format("f{}", nf++); break;
      case wabt::ExternalKind::Global: name = fmt::format("g{}", ng++); break;
      case wabt::ExternalKind::Table: name = fmt::format("t{}", nt++); break;
      case wabt::ExternalKind::Memory: name = fmt::format("m{}", nm++); break;
      default: return make_error("aot: unsupported import kind");
    }
    dst.AppendField(import_field(std::move(imf->import), std::move(name)));
  }
  // Defined globals, tables and memories become imports (same indices).
  std::vector<std::unique_ptr<wabt::FuncModuleField>> funcs;
  std::vector<std::unique_ptr<wabt::ModuleField>> rest;
  for (auto& f : fields) {
    if (!f) continue;
    switch (f->type()) {
      case wabt::ModuleFieldType::Global: {
        auto g = take<wabt::GlobalModuleField>(f);
        dst.AppendField(global_import(fmt::format("g{}", ng++), g->global.type, g->global.mutable_));
        break;
      }
      case wabt::ModuleFieldType::Table: {
        auto t = take<wabt::TableModuleField>(f);
        auto ti = std::make_unique<wabt::TableImport>();
        ti->table.elem_type = t->table.elem_type;
        ti->table.elem_limits = t->table.elem_limits;
        dst.AppendField(import_field(std::move(ti), fmt::format("t{}", nt++)));
        break;
      }
      case wabt::ModuleFieldType::Memory: {
        auto mm = take<wabt::MemoryModuleField>(f);
        auto mi = std::make_unique<wabt::MemoryImport>();
        mi->memory.page_limits = mm->memory.page_limits;
        dst.AppendField(import_field(std::move(mi), fmt::format("m{}", nm++)));
        break;
      }
      case wabt::ModuleFieldType::Func: funcs.push_back(take<wabt::FuncModuleField>(f)); break;
      case wabt::ModuleFieldType::Export: f.reset(); break;  // Ward resolves exports itself
      case wabt::ModuleFieldType::Tag: return make_error("aot: exception tags are not supported");
      default: rest.push_back(std::move(f)); break;
    }
  }
  if (funcs.size() != ndef) return make_error("aot: function count mismatch");
  Emit em;
  em.gas = ng;
  em.stack = ng + 1;
  em.why = ng + 2;
  dst.AppendField(global_import("gas", Type::I64, true));
  dst.AppendField(global_import("stack", Type::I64, true));
  dst.AppendField(global_import("why", Type::I32, true));

  const Index num_funcs = M.num_imported_funcs + ndef;
  // Bodies are instrumented first: that tells which functions some call
  // enters with the gas already checked (CheckedCalls).
  CheckedCalls calls{M.num_imported_funcs, ndef, num_funcs + ndef, std::vector<int64_t>(ndef, -1), {}};
  for (uint32_t d = 0; d < ndef; ++d) {
    wabt::Func& f = funcs[d]->func;
    const Index tmp32 = f.GetNumParamsAndLocals();
    f.local_types.AppendDecl(Type::I32, 1);
    f.local_types.AppendDecl(Type::I64, 1);
    f.local_types.AppendDecl(Type::F32, 1);
    f.local_types.AppendDecl(Type::F64, 1);
    f.local_types.AppendDecl(Type::I64, 1);
    const Index gl = tmp32 + 4;
    Walker wk{plans[d], em, metering, gas, bulk_shift.value(), tmp32, tmp32 + 1, gl, calls};
    wk.walk(f.exprs);
    if (metering) {
      std::vector<std::unique_ptr<Expr>> seq;
      em.reload(seq, gl);
      insert_before(f.exprs, f.exprs.begin(), seq);
      // Falling off the end returns: the caller continues from the global.
      // (return and branches to the function's label store in their block.)
      em.store(seq, gl);
      for (auto& x : seq) f.exprs.push_back(std::move(x));
    }
    if (wk.bad || wk.ord != plans[d].gas.size()) {
      return make_error(fmt::format("cannot compile function {}: instruction stream mismatch",
                                    M.num_imported_funcs + d));
    }
  }
  // The entry of defined function d: `gas_check` (every function entry
  // checks the gas first, docs/gas.md), then either a call of its entry
  // without the check (`to`), or the stack part and a call of its body.
  const auto entry = [&](uint32_t d, bool gas_check, int64_t to) {
    const wabt::Func& orig = funcs[d]->func;
    auto w = std::make_unique<wabt::FuncModuleField>();
    w->func.decl = orig.decl;
    const Index nparams = orig.GetNumParams();
    ExprList& b = w->func.exprs;
    if (gas_check) {
      b.push_back(Emit::mk<wabt::GlobalGetExpr>(var(em.gas)));
      b.push_back(Emit::mk<wabt::ConstExpr>(Const::I64(0)));
      b.push_back(Emit::mk<wabt::CompareExpr>(Opcode(Opcode::I64LtS)));
      b.push_back(em.trap_if(1));
    }
    if (to >= 0) {
      for (Index i = 0; i < nparams; ++i) b.push_back(Emit::mk<wabt::LocalGetExpr>(var(i)));
      b.push_back(Emit::mk<wabt::CallExpr>(var(static_cast<Index>(to))));
      return w;
    }
    // W.stack at entry stays in a local and is stored back on return (no
    // read-modify-write of the global after the call).
    const Index saved = nparams;
    w->func.local_types.AppendDecl(Type::I64, 1);
    // stack = saved - (one call, f's slots); call stack exhausted when
    // either field went below zero.
    b.push_back(Emit::mk<wabt::GlobalGetExpr>(var(em.stack)));
    b.push_back(Emit::mk<wabt::LocalTeeExpr>(var(saved)));
    b.push_back(Emit::mk<wabt::ConstExpr>(Const::I64(StackCounter::entry(plans[d].frame_slots, limits))));
    b.push_back(Emit::op(Opcode::I64Sub));
    b.push_back(Emit::mk<wabt::GlobalSetExpr>(var(em.stack)));
    b.push_back(Emit::mk<wabt::GlobalGetExpr>(var(em.stack)));
    b.push_back(Emit::mk<wabt::ConstExpr>(Const::I64(StackCounter::kExhaustedBits)));
    b.push_back(Emit::op(Opcode::I64And));
    b.push_back(Emit::mk<wabt::ConstExpr>(Const::I64(0)));
    b.push_back(Emit::mk<wabt::CompareExpr>(Opcode(Opcode::I64Ne)));
    b.push_back(em.trap_if(2));
    for (Index i = 0; i < nparams; ++i) b.push_back(Emit::mk<wabt::LocalGetExpr>(var(i)));
    b.push_back(Emit::mk<wabt::CallExpr>(var(num_funcs + d)));
    b.push_back(Emit::mk<wabt::LocalGetExpr>(var(saved)));
    b.push_back(Emit::mk<wabt::GlobalSetExpr>(var(em.stack)));
    return w;
  };
  // Entries keep the original indices; bodies move to num_funcs + d; the
  // entries without the gas check follow.
  std::vector<std::unique_ptr<wabt::FuncModuleField>> unchecked;
  for (uint32_t d : calls.order) unchecked.push_back(entry(d, false, -1));
  for (uint32_t d = 0; d < ndef; ++d) dst.AppendField(entry(d, metering, calls.entry_of[d]));
  for (uint32_t d = 0; d < ndef; ++d) dst.AppendField(std::move(funcs[d]));
  for (auto& w : unchecked) dst.AppendField(std::move(w));
  // Table "wardall": every function of the original index space.
  const Index all_table = nt;
  {
    auto t = std::make_unique<wabt::TableModuleField>();
    t->table.elem_type = Type::FuncRef;
    t->table.elem_limits = wabt::Limits(num_funcs, num_funcs);
    dst.AppendField(std::move(t));
  }
  for (auto& f : rest) {
    if (f && f->type() == wabt::ModuleFieldType::ElemSegment) dst.AppendField(take<wabt::ElemSegmentModuleField>(f));
  }
  {
    auto seg = std::make_unique<wabt::ElemSegmentModuleField>();
    seg->elem_segment.kind = wabt::SegmentKind::Active;
    seg->elem_segment.table_var = var(all_table);
    seg->elem_segment.elem_type = Type::FuncRef;
    seg->elem_segment.offset.push_back(Emit::mk<wabt::ConstExpr>(Const::I32(0)));
    for (Index i = 0; i < num_funcs; ++i) {
      ExprList e;
      e.push_back(Emit::mk<wabt::RefFuncExpr>(var(i)));
      seg->elem_segment.elem_exprs.push_back(std::move(e));
    }
    dst.AppendField(std::move(seg));
  }
  for (auto& f : rest) {
    if (f && f->type() == wabt::ModuleFieldType::DataSegment) dst.AppendField(take<wabt::DataSegmentModuleField>(f));
  }
  {
    auto ex = std::make_unique<wabt::ExportModuleField>();
    ex->export_.name = "wardall";
    ex->export_.kind = wabt::ExternalKind::Table;
    ex->export_.var = var(all_table);
    dst.AppendField(std::move(ex));
  }
  for (auto& f : rest) {
    if (f && f->type() == wabt::ModuleFieldType::Start) dst.AppendField(take<wabt::StartModuleField>(f));
  }

  if (wabt::Failed(wabt::ValidateModule(&dst, &errors, wabt::ValidateOptions(wf)))) {
    std::string msg = "aot: instrumented module does not validate";
    for (const auto& e : errors) msg += "; " + e.message;
    return make_error(msg);
  }
  if (wabt::Failed(wabt::GenerateNames(&dst))) return make_error("aot: cannot name the module's items");
  (void)wabt::ApplyNames(&dst);
  wabt::MemoryStream cs, hs;
  wabt::WriteCOptions copts;
  copts.module_name = "m";
  if (wabt::Failed(wabt::WriteC(&cs, &hs, "m.h", &dst, copts))) return make_error("aot: wasm2c failed");
  GeneratedC out;
  out.source.assign(cs.output_buffer().data.begin(), cs.output_buffer().data.end());
  out.header.assign(hs.output_buffer().data.begin(), hs.output_buffer().data.end());
  auto pr = patch_wasm2c_output(out.source, guard_pages);
  if (!pr) return pr.error();
  return out;
}

}  // namespace ward::aot
