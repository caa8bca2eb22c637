// ward/interp/translate.cpp — translates one validated function body into
// the interpreter's internal code in a single linear pass with an explicit
// control stack. Operands are frame slots: local.get pushes a reference to
// the local's slot (materialised only when that local is written while still
// referenced, or at a control-flow boundary), constants are folded into
// immediates where an instruction has an immediate form, a result feeding
// local.set is written straight into the local, and an integer compare
// feeding br_if / if becomes one compare-and-branch instruction.
#include <fmt/format.h>

#include <optional>

#include "interp/interp.h"
#include "wasm/instr_reader.h"
#include "wasm/metering.h"

namespace ward::interp::detail {
namespace {

using wasm::Op;

IOp map_plain(Op op) {
  switch (op) {
#define IOP_LOAD(N) case Op::N: return IOp::N;
#define IOP_STORE(N) case Op::N: return IOp::N;
#define IOP_UN(N) case Op::N: return IOp::N;
#define IOP_BIN(N) case Op::N: return IOp::N;
#include "interp/ops.def"
    default: return IOp::Count_;
  }
}

IOp map_load_add(Op op) {
  switch (op) {
#define IOP_LOAD(N) case Op::N: return IOp::N##_a;
#include "interp/ops.def"
    default: return IOp::Count_;
  }
}

IOp map_load_const(Op op) {
  switch (op) {
#define IOP_LOAD(N) case Op::N: return IOp::N##_k;
#include "interp/ops.def"
    default: return IOp::Count_;
  }
}

IOp map_store_const(Op op) {
  switch (op) {
#define IOP_STORE(N) case Op::N: return IOp::N##_k;
#include "interp/ops.def"
    default: return IOp::Count_;
  }
}

IOp map_store_imm(Op op) {
  switch (op) {
#define IOP_STORE(N) case Op::N: return IOp::N##_i;
#include "interp/ops.def"
    default: return IOp::Count_;
  }
}

IOp map_ri(Op op) {
  switch (op) {
#define IOP_BIN_RI(N) case Op::N: return IOp::N##_ri;
#include "interp/ops.def"
    default: return IOp::Count_;
  }
}

IOp map_br(Op op, bool ri, bool gas = false) {
  switch (op) {
#define IOP_CMP(N) \
  case Op::N: return gas ? (ri ? IOp::Br##N##_riG : IOp::Br##N##G) : (ri ? IOp::Br##N##_ri : IOp::Br##N);
#include "interp/ops.def"
    default: return IOp::Count_;
  }
}

bool is_int_cmp(Op op) { return map_br(op, false) != IOp::Count_; }

/// The compare that holds exactly when `op` does not (integers only).
Op invert_cmp(Op op) {
  switch (op) {
    case Op::I32Eq: return Op::I32Ne;
    case Op::I32Ne: return Op::I32Eq;
    case Op::I32LtS: return Op::I32GeS;
    case Op::I32LtU: return Op::I32GeU;
    case Op::I32GtS: return Op::I32LeS;
    case Op::I32GtU: return Op::I32LeU;
    case Op::I32LeS: return Op::I32GtS;
    case Op::I32LeU: return Op::I32GtU;
    case Op::I32GeS: return Op::I32LtS;
    case Op::I32GeU: return Op::I32LtU;
    case Op::I64Eq: return Op::I64Ne;
    case Op::I64Ne: return Op::I64Eq;
    case Op::I64LtS: return Op::I64GeS;
    case Op::I64LtU: return Op::I64GeU;
    case Op::I64GtS: return Op::I64LeS;
    case Op::I64GtU: return Op::I64LeU;
    case Op::I64LeS: return Op::I64GtS;
    case Op::I64LeU: return Op::I64GtU;
    case Op::I64GeS: return Op::I64LtS;
    case Op::I64GeU: return Op::I64LtU;
    default: return op;
  }
}

/// `a op b` == `b swapped(op) a`; Count_ when the operands cannot be swapped.
Op swap_operands(Op op) {
  switch (op) {
    case Op::I32Add: case Op::I32Mul: case Op::I32And: case Op::I32Or: case Op::I32Xor:
    case Op::I32Eq: case Op::I32Ne:
    case Op::I64Add: case Op::I64Mul: case Op::I64And: case Op::I64Or: case Op::I64Xor:
    case Op::I64Eq: case Op::I64Ne:
      return op;
    case Op::I32LtS: return Op::I32GtS;
    case Op::I32LtU: return Op::I32GtU;
    case Op::I32GtS: return Op::I32LtS;
    case Op::I32GtU: return Op::I32LtU;
    case Op::I32LeS: return Op::I32GeS;
    case Op::I32LeU: return Op::I32GeU;
    case Op::I32GeS: return Op::I32LeS;
    case Op::I32GeU: return Op::I32LeU;
    case Op::I64LtS: return Op::I64GtS;
    case Op::I64LtU: return Op::I64GtU;
    case Op::I64GtS: return Op::I64LtS;
    case Op::I64GtU: return Op::I64LtU;
    case Op::I64LeS: return Op::I64GeS;
    case Op::I64LeU: return Op::I64GeU;
    case Op::I64GeS: return Op::I64LeS;
    case Op::I64GeU: return Op::I64LeU;
    default: return Op::Count_;
  }
}

bool is_i64_op(Op op) { return wasm::op_info(op).text.starts_with("i64"); }


struct Opd {
  enum Kind : uint8_t { Stack, Local, Const } kind = Stack;
  uint32_t slot = 0;   ///< Stack: own slot; Local: the local's slot
  uint64_t value = 0;  ///< Const
};

struct Fixup {
  uint32_t instr = 0;  ///< first word of the branching instruction
  uint32_t word = 0;   ///< word holding the offset
};

struct Ctl {
  enum Kind : uint8_t { Func, Block, Loop, If } kind = Block;
  uint32_t base = 0;  ///< stack height below the block's params
  uint32_t nparams = 0;
  uint32_t nresults = 0;
  uint32_t loop_target = 0;
  bool reachable = true;  ///< reachable at entry
  bool has_else_fixup = false;
  Fixup else_fixup;
  std::vector<Fixup> fixups;
};

/// A popped branch condition, possibly a fusable compare.
struct Cond {
  enum Kind : uint8_t { Plain, Cmp, Eqz32, Eqz64 } kind = Plain;
  Op op = Op::Nop;
  bool ri = false;
  uint32_t a = 0;
  uint64_t b = 0;  ///< slot, or the immediate when ri
  bool wide = false;  ///< i64 immediate (two words)
};

class Translator {
 public:
  Translator(const wasm::Module& m, uint32_t def, bool metering, const wasm::GasSchedule& gas,
             std::vector<uint32_t>& code)
      : m_mod(m), m_def(def), m_metering(metering), m_gas(gas), m_code(code), m_handlers(handler_table()) {}

  Result<void> run(FuncCode& out);

 private:
  // --- emission
  uint32_t begin(IOp op) {
    const uint32_t at = static_cast<uint32_t>(m_code.size());
    const auto a = reinterpret_cast<uintptr_t>(m_handlers[static_cast<uint32_t>(op)]);
    m_code.push_back(static_cast<uint32_t>(a));
    m_code.push_back(static_cast<uint32_t>(static_cast<uint64_t>(a) >> 32));
    return at;
  }
  void put(uint32_t w) { m_code.push_back(w); }
  uint32_t here() const { return static_cast<uint32_t>(m_code.size()); }
  void patch(const Fixup& f, uint32_t target) { m_code[f.word] = target - f.instr; }
  void forget() {
    m_last_end = UINT32_MAX;
    m_cmp_valid = false;
    m_add_valid = false;
  }
  /// Records that the instruction just emitted wrote its result, at code
  /// word `dst_word`, to the top of the stack.
  void produced(uint32_t dst_word) {
    m_last_end = here();
    m_last_dst_word = dst_word;
    m_last_pos = height() - 1;
  }

  // --- abstract operand stack
  uint32_t height() const { return static_cast<uint32_t>(m_stack.size()); }
  uint32_t slot_of(uint32_t pos) const { return m_nlocals + pos; }
  uint32_t push_stack() {
    const uint32_t pos = height();
    m_stack.push_back(Opd{Opd::Stack, slot_of(pos), 0});
    if (height() > m_max_height) m_max_height = height();
    return slot_of(pos);
  }
  void push_local(uint32_t slot) {
    m_stack.push_back(Opd{Opd::Local, slot, 0});
    if (height() > m_max_height) m_max_height = height();
  }
  void push_const(uint64_t v) {
    m_stack.push_back(Opd{Opd::Const, 0, v});
    if (height() > m_max_height) m_max_height = height();
  }
  void pop() {
    m_stack.pop_back();
    if (m_lazy_floor > height()) m_lazy_floor = height();
  }
  void emit_const(uint32_t dst, uint64_t v) {
    begin(IOp::Const);
    put(dst);
    put(static_cast<uint32_t>(v));
    put(static_cast<uint32_t>(v >> 32));
  }
  void emit_copy(uint32_t dst, uint32_t src) {
    begin(IOp::Copy);
    put(dst);
    put(src);
  }
  /// Makes stack position pos hold its value in its own slot.
  void materialize(uint32_t pos) {
    Opd& o = m_stack[pos];
    if (o.kind == Opd::Stack) return;
    const uint32_t dst = slot_of(pos);
    if (o.kind == Opd::Const) {
      emit_const(dst, o.value);
    } else {
      emit_copy(dst, o.slot);
    }
    o = Opd{Opd::Stack, dst, 0};
  }
  void materialize_all() {
    for (uint32_t p = m_lazy_floor; p < height(); ++p) materialize(p);
    m_lazy_floor = height();
  }
  void materialize_top(uint32_t n) {
    for (uint32_t p = height() - n; p < height(); ++p) materialize(p);
  }
  /// The slot to read the operand at pos from (constants are stored first).
  uint32_t read(uint32_t pos) {
    Opd& o = m_stack[pos];
    if (o.kind == Opd::Const) materialize(pos);
    return o.slot;
  }
  uint32_t pop_read() {
    const uint32_t s = read(height() - 1);
    pop();
    return s;
  }
  bool local_referenced(uint32_t slot, uint32_t below) const {
    for (uint32_t p = m_lazy_floor; p < below; ++p) {
      if (m_stack[p].kind == Opd::Local && m_stack[p].slot == slot) return true;
    }
    return false;
  }
  void local_written(uint32_t slot) {
    for (uint32_t p = m_lazy_floor; p < height(); ++p) {
      if (m_stack[p].kind == Opd::Local && m_stack[p].slot == slot) materialize(p);
    }
  }

  // --- instruction groups
  void emit_unary(Op op);
  void emit_binary(Op op);
  void emit_set_local(uint32_t x);
  Cond take_cond();
  /// `gas`: the jump also does the loop head's GasCheck of that cost (a ...G op).
  Fixup emit_cond_jump(const Cond& c, bool when_true, std::optional<uint32_t> gas = std::nullopt);
  /// The GasCheck op at loop c's target (docs/gas.md: every loop head
  /// charges its block and checks), which a branch back to the loop does
  /// itself (a ...G branch) before it jumps past the op. nullopt: no such op
  /// there (metering off, or the loop head is unreachable).
  std::optional<uint32_t> loop_gas(const Ctl& c) const {
    if (!m_metering || c.kind != Ctl::Loop || c.loop_target + 3 > here()) return std::nullopt;
    const auto g = reinterpret_cast<uintptr_t>(m_handlers[static_cast<uint32_t>(IOp::GasCheck)]);
    const uint64_t h = uint64_t{m_code[c.loop_target]} | (uint64_t{m_code[c.loop_target + 1]} << 32);
    if (h != static_cast<uint64_t>(g)) return std::nullopt;
    return m_code[c.loop_target + 2];
  }
  void emit_moves(uint32_t n, uint32_t dst_slot);
  void emit_return();
  void emit_br(uint32_t depth);
  void link(Ctl& c, const Fixup& f) {
    if (c.kind == Ctl::Loop) {
      patch(f, c.loop_target);
    } else {
      c.fixups.push_back(f);
    }
  }
  uint32_t arity(const Ctl& c) const { return c.kind == Ctl::Loop ? c.nparams : c.nresults; }
  /// True when a branch to c needs no value moves (values already in place).
  bool in_place(const Ctl& c) const {
    const uint32_t n = arity(c);
    return c.kind != Ctl::Func && (n == 0 || height() - n == c.base);
  }
  void block_arity(const wasm::BlockType& bt, uint32_t& np, uint32_t& nr) const {
    switch (bt.kind) {
      case wasm::BlockType::Kind::Empty: np = 0; nr = 0; break;
      case wasm::BlockType::Kind::Value: np = 0; nr = 1; break;
      case wasm::BlockType::Kind::TypeIndex:
        np = static_cast<uint32_t>(m_mod.types[bt.type_index].params.size());
        nr = static_cast<uint32_t>(m_mod.types[bt.type_index].results.size());
        break;
    }
  }
  void do_else();
  void do_end();
  bool translate(const wasm::Instr& in);

  const wasm::Module& m_mod;
  uint32_t m_def;
  bool m_metering;
  const wasm::GasSchedule& m_gas;  ///< the static costs of the Gas ops
  std::vector<uint32_t>& m_code;
  const void* const* m_handlers;

  uint32_t m_nlocals = 0;  ///< params + declared locals
  uint32_t m_nresults = 0;
  std::vector<Opd> m_stack;
  uint32_t m_max_height = 0;
  uint32_t m_lazy_floor = 0;  ///< positions below hold their own slot
  std::vector<Ctl> m_ctl;
  bool m_reachable = true;
  bool m_done = false;
  bool m_loop_head = false;  ///< the next instruction begins a loop body (its block checks gas)

  uint32_t m_last_end = UINT32_MAX;
  uint32_t m_last_dst_word = 0;
  uint32_t m_last_pos = 0;

  /// The last instruction was i32.add with an immediate (foldable into a load).
  bool m_add_valid = false;
  uint32_t m_add_start = 0;
  uint32_t m_add_end = 0;
  uint32_t m_add_pos = 0;
  uint32_t m_add_a = 0;
  uint32_t m_add_imm = 0;

  bool m_cmp_valid = false;
  uint32_t m_cmp_start = 0;
  uint32_t m_cmp_end = 0;
  uint32_t m_cmp_pos = 0;
  Cond m_cmp;
};

void Translator::emit_unary(Op op) {
  const uint32_t a = pop_read();
  const uint32_t dst = push_stack();
  const uint32_t start = begin(map_plain(op));
  put(dst);
  put(a);
  produced(start + 2);
  if (op == Op::I32Eqz || op == Op::I64Eqz) {
    m_cmp_valid = true;
    m_cmp_start = start;
    m_cmp_end = here();
    m_cmp_pos = height() - 1;
    m_cmp = Cond{op == Op::I32Eqz ? Cond::Eqz32 : Cond::Eqz64, op, false, a, 0, false};
  }
}

void Translator::emit_binary(Op op) {
  const uint32_t h = height();
  Opd& ob = m_stack[h - 1];
  Opd& oa = m_stack[h - 2];
  Op eff = op;
  bool ri = false;
  uint32_t sa = 0;
  uint64_t sb = 0;
  if (map_ri(op) != IOp::Count_ && ob.kind == Opd::Const) {
    ri = true;
    sb = ob.value;
    sa = read(h - 2);
  } else if (oa.kind == Opd::Const && ob.kind != Opd::Const && swap_operands(op) != Op::Count_ &&
             map_ri(swap_operands(op)) != IOp::Count_) {
    ri = true;
    eff = swap_operands(op);
    sb = oa.value;
    sa = read(h - 1);
  } else {
    sb = read(h - 1);
    sa = read(h - 2);
  }
  pop();
  pop();
  const uint32_t dst = push_stack();
  const bool wide = ri && is_i64_op(eff);
  const uint32_t start = begin(ri ? map_ri(eff) : map_plain(eff));
  put(dst);
  put(sa);
  put(static_cast<uint32_t>(sb));
  if (wide) put(static_cast<uint32_t>(sb >> 32));
  produced(start + 2);
  m_add_valid = ri && eff == Op::I32Add;
  if (m_add_valid) {
    m_add_start = start;
    m_add_end = here();
    m_add_pos = height() - 1;
    m_add_a = sa;
    m_add_imm = static_cast<uint32_t>(sb);
  }
  if (is_int_cmp(eff)) {
    m_cmp_valid = true;
    m_cmp_start = start;
    m_cmp_end = here();
    m_cmp_pos = height() - 1;
    m_cmp = Cond{Cond::Cmp, eff, ri, sa, sb, wide};
  }
}

void Translator::emit_set_local(uint32_t x) {
  const uint32_t top = height() - 1;
  if (m_stack[top].kind == Opd::Stack && m_last_end == here() && m_last_pos == top &&
      !local_referenced(x, top)) {
    m_code[m_last_dst_word] = x;
    pop();
    forget();
    return;
  }
  local_written(x);
  const Opd o = m_stack[top];
  pop();
  if (o.kind == Opd::Const) {
    emit_const(x, o.value);
  } else if (o.slot != x) {
    emit_copy(x, o.slot);
  }
  forget();
}

Cond Translator::take_cond() {
  const uint32_t top = height() - 1;
  if (m_cmp_valid && m_cmp_end == here() && m_cmp_pos == top && m_stack[top].kind == Opd::Stack) {
    m_code.resize(m_cmp_start);
    pop();
    forget();
    return m_cmp;
  }
  Cond c;
  c.a = pop_read();
  forget();
  return c;
}

Fixup Translator::emit_cond_jump(const Cond& c, bool when_true, std::optional<uint32_t> gas) {
  uint32_t start = 0;
  const bool g = gas.has_value();
  switch (c.kind) {
    case Cond::Plain:
      start = begin(when_true ? (g ? IOp::BrNzG : IOp::BrNz) : (g ? IOp::BrZG : IOp::BrZ));
      put(c.a);
      break;
    case Cond::Eqz32:
      start = begin(when_true ? (g ? IOp::BrZG : IOp::BrZ) : (g ? IOp::BrNzG : IOp::BrNz));
      put(c.a);
      break;
    case Cond::Eqz64:
      start = begin(when_true ? (g ? IOp::BrZ64G : IOp::BrZ64) : (g ? IOp::BrNz64G : IOp::BrNz64));
      put(c.a);
      break;
    case Cond::Cmp:
      start = begin(map_br(when_true ? c.op : invert_cmp(c.op), c.ri, g));
      put(c.a);
      put(static_cast<uint32_t>(c.b));
      if (c.wide) put(static_cast<uint32_t>(c.b >> 32));
      break;
  }
  put(0);
  const Fixup f{start, here() - 1};
  if (g) put(*gas);
  forget();
  return f;
}

void Translator::emit_moves(uint32_t n, uint32_t dst_slot) {
  if (n == 0) return;
  const uint32_t src_pos = height() - n;
  if (slot_of(src_pos) == dst_slot) {
    materialize_top(n);
    return;
  }
  if (n == 1) {
    const Opd& o = m_stack[src_pos];
    if (o.kind == Opd::Const) {
      emit_const(dst_slot, o.value);
    } else {
      emit_copy(dst_slot, o.slot);
    }
    return;
  }
  materialize_top(n);
  for (uint32_t i = 0; i < n; ++i) emit_copy(dst_slot + i, slot_of(src_pos + i));
}

void Translator::emit_return() {
  emit_moves(m_nresults, 0);
  begin(IOp::Ret);
  forget();
}

void Translator::emit_br(uint32_t depth) {
  Ctl& c = m_ctl[m_ctl.size() - 1 - depth];
  if (c.kind == Ctl::Func) {
    emit_return();
    return;
  }
  emit_moves(arity(c), slot_of(c.base));
  if (const auto gas = loop_gas(c)) {
    const uint32_t start = begin(IOp::BrG);
    put(c.loop_target + 3 - start);
    put(*gas);
  } else {
    const uint32_t start = begin(IOp::Br);
    put(0);
    link(c, Fixup{start, start + 2});
  }
  forget();
}

void Translator::do_else() {
  Ctl& c = m_ctl.back();
  if (m_reachable) {
    materialize_top(c.nresults);
    const uint32_t start = begin(IOp::Br);
    put(0);
    c.fixups.push_back(Fixup{start, start + 2});
  }
  if (c.has_else_fixup) {
    patch(c.else_fixup, here());
    c.has_else_fixup = false;
  }
  m_stack.resize(c.base);
  m_lazy_floor = height();
  for (uint32_t i = 0; i < c.nparams; ++i) push_stack();
  m_lazy_floor = height();
  m_reachable = c.reachable;
  forget();
}

void Translator::do_end() {
  Ctl c = std::move(m_ctl.back());
  m_ctl.pop_back();
  if (c.kind == Ctl::Func) {
    if (m_reachable) emit_return();
    m_done = true;
    return;
  }
  if (m_reachable) materialize_top(c.nresults);
  const uint32_t target = here();
  if (c.has_else_fixup) patch(c.else_fixup, target);
  for (const Fixup& f : c.fixups) patch(f, target);
  m_stack.resize(c.base);
  m_lazy_floor = height();
  for (uint32_t i = 0; i < c.nresults; ++i) push_stack();
  m_lazy_floor = height();
  m_reachable = c.reachable;
  forget();
}

bool Translator::translate(const wasm::Instr& in) {
  if (!m_reachable) {
    switch (in.op) {
      case Op::Block: case Op::Loop: case Op::If: {
        Ctl c;
        c.kind = in.op == Op::Block ? Ctl::Block : in.op == Op::Loop ? Ctl::Loop : Ctl::If;
        c.base = height();
        c.reachable = false;
        m_ctl.push_back(std::move(c));
        break;
      }
      case Op::Else: do_else(); break;
      case Op::End: do_end(); break;
      default: break;
    }
    return true;
  }
  const Op op = in.op;
  switch (op) {
    case Op::Unreachable:
      begin(IOp::Unreachable);
      m_reachable = false;
      forget();
      break;
    case Op::Nop: break;
    case Op::Block:
    case Op::Loop: {
      Ctl c;
      c.kind = op == Op::Block ? Ctl::Block : Ctl::Loop;
      block_arity(in.block, c.nparams, c.nresults);
      materialize_all();
      c.base = height() - c.nparams;
      c.loop_target = here();
      m_ctl.push_back(std::move(c));
      m_loop_head = op == Op::Loop;
      forget();
      break;
    }
    case Op::If: {
      Ctl c;
      c.kind = Ctl::If;
      block_arity(in.block, c.nparams, c.nresults);
      const Cond cond = take_cond();
      materialize_all();
      c.base = height() - c.nparams;
      c.else_fixup = emit_cond_jump(cond, false);
      c.has_else_fixup = true;
      m_ctl.push_back(std::move(c));
      break;
    }
    case Op::Else: do_else(); break;
    case Op::End: do_end(); break;
    case Op::Br:
      emit_br(in.a);
      m_reachable = false;
      break;
    case Op::BrIf: {
      const Cond cond = take_cond();
      materialize_all();
      Ctl& c = m_ctl[m_ctl.size() - 1 - in.a];
      if (in_place(c)) {
        if (const auto gas = loop_gas(c)) {
          patch(emit_cond_jump(cond, true, gas), c.loop_target + 3);
        } else {
          link(c, emit_cond_jump(cond, true));
        }
      } else {
        const Fixup skip = emit_cond_jump(cond, false);
        emit_br(in.a);
        patch(skip, here());
      }
      forget();
      break;
    }
    case Op::BrTable: {
      const uint32_t idx = pop_read();
      materialize_all();
      const uint32_t n = static_cast<uint32_t>(in.targets.size());
      const uint32_t start = begin(IOp::BrTable);
      put(idx);
      put(n - 1);
      for (uint32_t i = 0; i < n; ++i) put(0);
      std::vector<std::pair<uint32_t, uint32_t>> stubs;  // depth -> stub position
      for (uint32_t i = 0; i < n; ++i) {
        const uint32_t depth = in.targets[i];
        Ctl& c = m_ctl[m_ctl.size() - 1 - depth];
        const Fixup f{start, start + 4 + i};
        if (in_place(c)) {
          link(c, f);
          continue;
        }
        uint32_t pos = UINT32_MAX;
        for (const auto& s : stubs) {
          if (s.first == depth) pos = s.second;
        }
        if (pos == UINT32_MAX) {
          pos = here();
          stubs.emplace_back(depth, pos);
          emit_br(depth);
        }
        patch(f, pos);
      }
      m_reachable = false;
      forget();
      break;
    }
    case Op::Return:
      emit_return();
      m_reachable = false;
      break;
    case Op::Call: {
      const wasm::FuncType& ft = m_mod.func_type(in.a);
      const uint32_t np = static_cast<uint32_t>(ft.params.size());
      const uint32_t nr = static_cast<uint32_t>(ft.results.size());
      materialize_top(np);
      const uint32_t arg = slot_of(height() - np);
      if (in.a < m_mod.num_imported_funcs) {
        begin(IOp::CallImport);
        put(in.a);
      } else {
        begin(IOp::Call);
        put(in.a - m_mod.num_imported_funcs);
      }
      put(arg);
      for (uint32_t i = 0; i < np; ++i) pop();
      for (uint32_t i = 0; i < nr; ++i) push_stack();
      forget();
      break;
    }
    case Op::CallIndirect: {
      const wasm::FuncType& ft = m_mod.types[in.a];
      const uint32_t np = static_cast<uint32_t>(ft.params.size());
      const uint32_t nr = static_cast<uint32_t>(ft.results.size());
      const uint32_t idx = pop_read();
      materialize_top(np);
      const uint32_t arg = slot_of(height() - np);
      begin(IOp::CallIndirect);
      put(in.a);
      put(in.b);
      put(arg);
      put(idx);
      for (uint32_t i = 0; i < np; ++i) pop();
      for (uint32_t i = 0; i < nr; ++i) push_stack();
      forget();
      break;
    }
    case Op::RefNull: push_const(0); break;
    case Op::RefIsNull: {
      const uint32_t a = pop_read();
      const uint32_t dst = push_stack();
      const uint32_t s = begin(IOp::RefIsNull);
      put(dst);
      put(a);
      produced(s + 2);
      break;
    }
    case Op::RefFunc: {
      const uint32_t dst = push_stack();
      const uint32_t s = begin(IOp::RefFunc);
      put(dst);
      put(in.a);
      produced(s + 2);
      break;
    }
    case Op::Drop: pop(); forget(); break;
    case Op::Select:
    case Op::SelectT: {
      const uint32_t c = pop_read();
      const uint32_t b = pop_read();
      const uint32_t a = pop_read();
      const uint32_t dst = push_stack();
      const uint32_t s = begin(IOp::Select);
      put(dst);
      put(a);
      put(b);
      put(c);
      produced(s + 2);
      break;
    }
    case Op::LocalGet: push_local(in.a); break;
    case Op::LocalSet: emit_set_local(in.a); break;
    case Op::LocalTee:
      emit_set_local(in.a);
      push_local(in.a);
      break;
    case Op::GlobalGet: {
      const uint32_t dst = push_stack();
      const uint32_t s = begin(IOp::GlobalGet);
      put(dst);
      put(in.a);
      produced(s + 2);
      break;
    }
    case Op::GlobalSet: {
      const uint32_t a = pop_read();
      begin(IOp::GlobalSet);
      put(in.a);
      put(a);
      forget();
      break;
    }
    case Op::TableGet: {
      const uint32_t i = pop_read();
      const uint32_t dst = push_stack();
      const uint32_t s = begin(IOp::TableGet);
      put(dst);
      put(in.a);
      put(i);
      produced(s + 2);
      break;
    }
    case Op::TableSet: {
      const uint32_t v = pop_read();
      const uint32_t i = pop_read();
      begin(IOp::TableSet);
      put(in.a);
      put(i);
      put(v);
      forget();
      break;
    }
    case Op::TableSize: {
      const uint32_t dst = push_stack();
      const uint32_t s = begin(IOp::TableSize);
      put(dst);
      put(in.a);
      produced(s + 2);
      break;
    }
    case Op::TableGrow: {
      const uint32_t n = pop_read();
      const uint32_t init = pop_read();
      const uint32_t dst = push_stack();
      const uint32_t s = begin(IOp::TableGrow);
      put(dst);
      put(in.a);
      put(init);
      put(n);
      produced(s + 2);
      break;
    }
    case Op::TableFill: {
      const uint32_t n = pop_read();
      const uint32_t v = pop_read();
      const uint32_t i = pop_read();
      begin(IOp::TableFill);
      put(in.a);
      put(i);
      put(v);
      put(n);
      forget();
      break;
    }
    case Op::TableCopy:
    case Op::TableInit: {
      const uint32_t n = pop_read();
      const uint32_t s = pop_read();
      const uint32_t d = pop_read();
      begin(op == Op::TableCopy ? IOp::TableCopy : IOp::TableInit);
      put(in.a);
      put(in.b);
      put(d);
      put(s);
      put(n);
      forget();
      break;
    }
    case Op::ElemDrop:
      begin(IOp::ElemDrop);
      put(in.a);
      forget();
      break;
    case Op::MemorySize: {
      const uint32_t dst = push_stack();
      const uint32_t s = begin(IOp::MemorySize);
      put(dst);
      produced(s + 2);
      break;
    }
    case Op::MemoryGrow: {
      const uint32_t d = pop_read();
      const uint32_t dst = push_stack();
      const uint32_t s = begin(IOp::MemoryGrow);
      put(dst);
      put(d);
      produced(s + 2);
      break;
    }
    case Op::MemoryInit: {
      const uint32_t n = pop_read();
      const uint32_t s = pop_read();
      const uint32_t d = pop_read();
      begin(IOp::MemoryInit);
      put(in.a);
      put(d);
      put(s);
      put(n);
      forget();
      break;
    }
    case Op::DataDrop:
      begin(IOp::DataDrop);
      put(in.a);
      forget();
      break;
    case Op::MemoryCopy:
    case Op::MemoryFill: {
      const uint32_t n = pop_read();
      const uint32_t b = pop_read();
      const uint32_t d = pop_read();
      begin(op == Op::MemoryCopy ? IOp::MemoryCopy : IOp::MemoryFill);
      put(d);
      put(b);
      put(n);
      forget();
      break;
    }
    case Op::I32Const: push_const(in.bits & 0xFFFFFFFFull); break;
    case Op::I64Const: push_const(in.bits); break;
    case Op::F32Const: push_const(in.bits & 0xFFFFFFFFull); break;
    case Op::F64Const: push_const(in.bits); break;
    default: {
      const wasm::OpInfo& info = wasm::op_info(op);
      if (info.imm == wasm::ImmKind::MemArg) {
        const IOp iop = map_plain(op);
        const std::string_view t = info.text;
        if (t.find("store") != std::string_view::npos && m_stack.back().kind == Opd::Const) {
          const uint64_t v = m_stack.back().value;
          pop();
          const uint32_t a = pop_read();
          begin(map_store_imm(op));
          put(a);
          put(in.b);
          put(static_cast<uint32_t>(v));
          put(static_cast<uint32_t>(v >> 32));
          forget();
        } else if (t.find("store") != std::string_view::npos && m_stack[height() - 2].kind == Opd::Const &&
                   (m_stack[height() - 2].value & 0xFFFFFFFFull) + in.b <= UINT32_MAX) {
          // Constant address: the effective address is known now.
          const uint32_t ea = static_cast<uint32_t>((m_stack[height() - 2].value & 0xFFFFFFFFull) + in.b);
          const uint32_t v = pop_read();
          pop();
          begin(map_store_const(op));
          put(ea);
          put(v);
          forget();
        } else if (t.find("store") != std::string_view::npos) {
          const uint32_t v = pop_read();
          const uint32_t a = pop_read();
          begin(iop);
          put(a);
          put(v);
          put(in.b);
          forget();
        } else if (m_add_valid && m_add_end == here() && m_add_pos == height() - 1 &&
                   m_stack.back().kind == Opd::Stack) {
          // i32.add base, imm feeding the address: one load computing both.
          const uint32_t a = m_add_a, imm = m_add_imm;
          m_code.resize(m_add_start);
          pop();
          const uint32_t dst = push_stack();
          const uint32_t s = begin(map_load_add(op));
          put(dst);
          put(a);
          put(imm);
          put(in.b);
          forget();
          produced(s + 2);
        } else if (m_stack.back().kind == Opd::Const && (m_stack.back().value & 0xFFFFFFFFull) + in.b <= UINT32_MAX) {
          const uint32_t ea = static_cast<uint32_t>((m_stack.back().value & 0xFFFFFFFFull) + in.b);
          pop();
          const uint32_t dst = push_stack();
          const uint32_t s = begin(map_load_const(op));
          put(dst);
          put(ea);
          produced(s + 2);
        } else {
          const uint32_t a = pop_read();
          const uint32_t dst = push_stack();
          const uint32_t s = begin(iop);
          put(dst);
          put(a);
          put(in.b);
          produced(s + 2);
        }
        break;
      }
      const IOp iop = map_plain(op);
      if (iop == IOp::Count_) return false;
      if (static_cast<uint32_t>(iop) >= static_cast<uint32_t>(IOp::I32Eq)) {
        emit_binary(op);
      } else {
        emit_unary(op);
      }
      break;
    }
  }
  return true;
}

Result<void> Translator::run(FuncCode& out) {
  const wasm::Function& fn = m_mod.functions[m_def];
  const wasm::FuncType& ft = m_mod.types[fn.type_index];
  const uint32_t func_index = m_def + m_mod.num_imported_funcs;
  m_nlocals = static_cast<uint32_t>(ft.params.size() + fn.locals.size());
  m_nresults = static_cast<uint32_t>(ft.results.size());
  std::vector<wasm::GasBlock> blocks;
  if (m_metering) {
    auto r = wasm::analyze_gas(m_mod, m_def, m_gas);
    if (!r) return r.error();
    blocks = std::move(r.value());
  }
  out.entry = here();
  out.num_params = static_cast<uint32_t>(ft.params.size());
  out.num_locals = static_cast<uint32_t>(fn.locals.size());
  out.num_results = m_nresults;
  out.type_index = fn.type_index;
  Ctl f;
  f.kind = Ctl::Func;
  f.nresults = m_nresults;
  m_ctl.push_back(std::move(f));

  wasm::InstrReader reader(m_mod.body(m_def), fn.body_offset);
  wasm::Instr in;
  size_t gi = 0;
  while (!m_done && !reader.done()) {
    if (!reader.next(in)) {
      return make_error(fmt::format("cannot compile function {}: {}", func_index, reader.error()));
    }
    while (gi < blocks.size() && blocks[gi].offset < in.offset) ++gi;
    if (gi < blocks.size() && blocks[gi].offset == in.offset) {
      // A block charges its cost (Gas); the block at a loop head also
      // checks, whatever its cost (GasCheck), every time control gets there.
      const bool check = m_loop_head;
      if ((blocks[gi].cost > 0 || check) && m_reachable) {
        if (blocks[gi].cost > UINT32_MAX) {
          return make_error(fmt::format("cannot compile function {}: basic block too costly", func_index));
        }
        begin(check ? IOp::GasCheck : IOp::Gas);
        put(static_cast<uint32_t>(blocks[gi].cost));
        forget();
      }
      ++gi;
    }
    m_loop_head = false;
    if (!translate(in)) {
      return make_error(fmt::format("cannot compile function {}: unsupported instruction {} at offset {:#x}",
                                    func_index, wasm::op_info(in.op).text, in.offset));
    }
  }
  if (!m_done) return make_error(fmt::format("cannot compile function {}: body does not end", func_index));
  // The frame budget is the one rule of wasm::frame_slots (the AOT backend
  // charges the same); the code above never uses more slots than that.
  auto slots = wasm::frame_slots(m_mod, m_def);
  if (!slots) return make_error(fmt::format("cannot compile function {}: {}", func_index, slots.error().message));
  if (*slots > UINT32_MAX || m_nlocals + m_max_height > *slots) {
    return make_error(fmt::format("cannot compile function {}: {} stack slots used, {} budgeted", func_index,
                                  m_nlocals + m_max_height, *slots));
  }
  out.frame_slots = static_cast<uint32_t>(*slots);
  return {};
}

}  // namespace

Result<void> translate_function(const wasm::Module& module, uint32_t defined_index, bool metering,
                                const wasm::GasSchedule& gas, std::vector<uint32_t>& code, FuncCode& out) {
  Translator t(module, defined_index, metering, gas, code);
  return t.run(out);
}

}  // namespace ward::interp::detail
