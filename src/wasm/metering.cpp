// ward/wasm/metering.cpp — basic blocks and their static gas (docs/gas.md).
#include "wasm/metering.h"

#include <fmt/format.h>

#include <algorithm>

#include "wasm/instr_reader.h"

namespace ward::wasm {
namespace {

/// Instructions after which a new basic block begins.
constexpr bool ends_block(Op op) {
  switch (op) {
    case Op::Loop:
    case Op::If:
    case Op::Else:
    case Op::End:
    case Op::Br:
    case Op::BrIf:
    case Op::BrTable:
    case Op::Return:
    case Op::Unreachable:
      return true;
    default:
      return false;
  }
}

/// An open block, loop or if, for frame_slots.
struct OpenBlock {
  int64_t base = 0;      ///< operand height below the block's params
  int64_t nparams = 0;
  int64_t nresults = 0;
  bool dead = false;     ///< opened in unreachable code
};

void block_arity(const Module& m, const BlockType& bt, int64_t& np, int64_t& nr) {
  switch (bt.kind) {
    case BlockType::Kind::Empty: np = 0; nr = 0; return;
    case BlockType::Kind::Value: np = 0; nr = 1; return;
    case BlockType::Kind::TypeIndex:
      np = static_cast<int64_t>(m.types[bt.type_index].params.size());
      nr = static_cast<int64_t>(m.types[bt.type_index].results.size());
      return;
  }
}

}  // namespace

Result<uint64_t> frame_slots(const Module& m, uint32_t defined_index) {
  if (defined_index >= m.functions.size()) {
    return make_error(fmt::format("frame_slots: defined function {} does not exist (module defines {})",
                                  defined_index, m.functions.size()));
  }
  const Function& fn = m.functions[defined_index];
  const FuncType& ft = m.types[fn.type_index];
  const int64_t nlocals = static_cast<int64_t>(ft.params.size() + fn.locals.size());
  std::vector<OpenBlock> open;
  open.push_back(OpenBlock{0, 0, static_cast<int64_t>(ft.results.size()), false});
  int64_t h = 0, max_h = 0;
  bool live = true;
  auto grow = [&](int64_t d) {
    h = std::max<int64_t>(h + d, 0);
    max_h = std::max(max_h, h);
  };
  InstrReader reader(m.body(defined_index), fn.body_offset);
  Instr in;
  while (!reader.done()) {
    if (!reader.next(in)) {
      return make_error(fmt::format("function {}: {}", m.num_imported_funcs + defined_index, reader.error()));
    }
    if ((in.op == Op::Else || in.op == Op::End) && open.empty()) {
      return make_error(fmt::format("function {}: {} at offset {:#x} closes no block",
                                    m.num_imported_funcs + defined_index, op_info(in.op).text, in.offset));
    }
    switch (in.op) {
      case Op::Block: case Op::Loop: case Op::If: {
        int64_t np = 0, nr = 0;
        block_arity(m, in.block, np, nr);
        if (live) grow(op_stack_delta(in.op));  // if: the condition
        open.push_back(OpenBlock{h - np, np, nr, !live});
        break;
      }
      case Op::Else: {
        const OpenBlock& c = open.back();
        live = !c.dead;
        h = c.base + c.nparams;
        break;
      }
      case Op::End: {
        const OpenBlock c = open.back();
        open.pop_back();
        live = !c.dead;
        if (open.empty()) break;  // the function's own end
        if (live) {
          h = c.base;
          grow(c.nresults);
        }
        break;
      }
      case Op::Br: case Op::BrTable: case Op::Return: case Op::Unreachable:
        live = false;
        break;
      case Op::Call: case Op::CallIndirect: {
        if (!live) break;
        const FuncType& t = in.op == Op::Call ? m.func_type(in.a) : m.types[in.a];
        grow(op_stack_delta(in.op));  // call_indirect: the table index
        grow(static_cast<int64_t>(t.results.size()) - static_cast<int64_t>(t.params.size()));
        break;
      }
      default:  // br_if (the condition) and every instruction of fixed arity
        if (live) grow(op_stack_delta(in.op));
        break;
    }
  }
  return static_cast<uint64_t>(nlocals + max_h);
}

Result<std::vector<GasBlock>> analyze_gas(const Module& module, uint32_t defined_index,
                                          const GasSchedule& schedule) {
  if (defined_index >= module.functions.size()) {
    return make_error(fmt::format("analyze_gas: defined function {} does not exist (module defines {})",
                                  defined_index, module.functions.size()));
  }
  const Function& fn = module.functions[defined_index];
  InstrReader reader(module.body(defined_index), fn.body_offset);
  std::vector<GasBlock> blocks;
  GasBlock current{fn.body_offset, 0};
  bool open = true;  // whether `current` has at least its first instruction ahead or in it
  Instr in;
  while (!reader.done()) {
    if (!open) {
      current = GasBlock{reader.offset(), 0};
      open = true;
    }
    if (!reader.next(in)) {
      return make_error(fmt::format("function {}: {}", module.num_imported_funcs + defined_index, reader.error()));
    }
    current.cost += schedule.op_cost(in.op);
    if (ends_block(in.op)) {
      blocks.push_back(current);
      open = false;
    }
  }
  if (open) blocks.push_back(current);  // only for a body without its final `end`
  return blocks;
}

}  // namespace ward::wasm
