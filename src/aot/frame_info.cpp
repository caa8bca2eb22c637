// ward/aot/frame_info.cpp — the interpreter's stack-slot accounting of a
// function, computed from the instruction stream: the maximum operand height (src/interp/translate.cpp keeps one
// slot per wasm operand-stack position). Linear, no recursion on nesting.
#include <fmt/format.h>

#include <algorithm>

#include "aot/instrument.h"
#include "wasm/instr_reader.h"

namespace ward::aot {
namespace {

using wasm::Op;

/// Stack effect (pushes minus pops) of an instruction that is not control
/// flow or a call.
int64_t plain_effect(Op op) {
  switch (op) {
    case Op::Nop: case Op::RefIsNull: case Op::LocalTee: case Op::TableGet: case Op::MemoryGrow:
    case Op::DataDrop: case Op::ElemDrop:
      return 0;
    case Op::RefNull: case Op::RefFunc: case Op::LocalGet: case Op::GlobalGet: case Op::MemorySize:
    case Op::TableSize: case Op::I32Const: case Op::I64Const: case Op::F32Const: case Op::F64Const:
      return 1;
    case Op::Drop: case Op::LocalSet: case Op::GlobalSet: case Op::TableGrow:
      return -1;
    case Op::Select: case Op::SelectT: case Op::TableSet:
      return -2;
    case Op::MemoryInit: case Op::MemoryCopy: case Op::MemoryFill: case Op::TableInit: case Op::TableCopy:
    case Op::TableFill:
      return -3;
    case Op::I32Store: case Op::I64Store: case Op::F32Store: case Op::F64Store: case Op::I32Store8:
    case Op::I32Store16: case Op::I64Store8: case Op::I64Store16: case Op::I64Store32:
      return -2;
    case Op::I32Load: case Op::I64Load: case Op::F32Load: case Op::F64Load: case Op::I32Load8S:
    case Op::I32Load8U: case Op::I32Load16S: case Op::I32Load16U: case Op::I64Load8S: case Op::I64Load8U:
    case Op::I64Load16S: case Op::I64Load16U: case Op::I64Load32S: case Op::I64Load32U:
      return 0;
    // unary numeric operators and conversions
    case Op::I32Eqz: case Op::I64Eqz: case Op::I32Clz: case Op::I32Ctz: case Op::I32Popcnt: case Op::I64Clz:
    case Op::I64Ctz: case Op::I64Popcnt: case Op::F32Abs: case Op::F32Neg: case Op::F32Ceil: case Op::F32Floor:
    case Op::F32Trunc: case Op::F32Nearest: case Op::F32Sqrt: case Op::F64Abs: case Op::F64Neg: case Op::F64Ceil:
    case Op::F64Floor: case Op::F64Trunc: case Op::F64Nearest: case Op::F64Sqrt: case Op::I32WrapI64:
    case Op::I32TruncF32S: case Op::I32TruncF32U: case Op::I32TruncF64S: case Op::I32TruncF64U:
    case Op::I64ExtendI32S: case Op::I64ExtendI32U: case Op::I64TruncF32S: case Op::I64TruncF32U:
    case Op::I64TruncF64S: case Op::I64TruncF64U: case Op::F32ConvertI32S: case Op::F32ConvertI32U:
    case Op::F32ConvertI64S: case Op::F32ConvertI64U: case Op::F32DemoteF64: case Op::F64ConvertI32S:
    case Op::F64ConvertI32U: case Op::F64ConvertI64S: case Op::F64ConvertI64U: case Op::F64PromoteF32:
    case Op::I32ReinterpretF32: case Op::I64ReinterpretF64: case Op::F32ReinterpretI32:
    case Op::F64ReinterpretI64: case Op::I32Extend8S: case Op::I32Extend16S: case Op::I64Extend8S:
    case Op::I64Extend16S: case Op::I64Extend32S: case Op::I32TruncSatF32S: case Op::I32TruncSatF32U:
    case Op::I32TruncSatF64S: case Op::I32TruncSatF64U: case Op::I64TruncSatF32S: case Op::I64TruncSatF32U:
    case Op::I64TruncSatF64S: case Op::I64TruncSatF64U:
      return 0;
    default:
      return -1;  // binary numeric operators and comparisons
  }
}

struct Ctl {
  int64_t base = 0;      ///< height below the block's params
  int64_t nparams = 0;
  int64_t nresults = 0;
  bool dead = false;     ///< opened in unreachable code
};

void block_arity(const wasm::Module& m, const wasm::BlockType& bt, int64_t& np, int64_t& nr) {
  switch (bt.kind) {
    case wasm::BlockType::Kind::Empty: np = 0; nr = 0; return;
    case wasm::BlockType::Kind::Value: np = 0; nr = 1; return;
    case wasm::BlockType::Kind::TypeIndex:
      np = static_cast<int64_t>(m.types[bt.type_index].params.size());
      nr = static_cast<int64_t>(m.types[bt.type_index].results.size());
      return;
  }
}

}  // namespace

Result<FrameInfo> frame_info(const wasm::Module& m, uint32_t defined_index) {
  const wasm::Function& fn = m.functions[defined_index];
  const wasm::FuncType& ft = m.types[fn.type_index];
  const int64_t nlocals = static_cast<int64_t>(ft.params.size() + fn.locals.size());
  FrameInfo out;
  std::vector<Ctl> ctl;
  ctl.push_back(Ctl{0, 0, static_cast<int64_t>(ft.results.size()), false});
  int64_t h = 0, max_h = 0;
  bool live = true;
  wasm::InstrReader reader(m.body(defined_index), fn.body_offset);
  wasm::Instr in;
  auto grow = [&](int64_t d) {
    h += d;
    if (h < 0) h = 0;
    max_h = std::max(max_h, h);
  };
  while (!reader.done()) {
    if (!reader.next(in)) return make_error(fmt::format("function {}: {}", m.num_imported_funcs + defined_index,
                                                        reader.error()));
    switch (in.op) {
      case Op::Block: case Op::Loop: case Op::If: {
        int64_t np = 0, nr = 0;
        block_arity(m, in.block, np, nr);
        if (in.op == Op::If && live) grow(-1);
        ctl.push_back(Ctl{h - np, np, nr, !live});
        break;
      }
      case Op::Else: {
        Ctl& c = ctl.back();
        live = !c.dead;
        h = c.base + c.nparams;
        break;
      }
      case Op::End: {
        const Ctl c = ctl.back();
        ctl.pop_back();
        live = !c.dead;
        if (ctl.empty()) break;
        if (live) {
          h = c.base;
          grow(c.nresults);
        }
        break;
      }
      case Op::Br: case Op::BrTable: case Op::Return: case Op::Unreachable:
        live = false;
        break;
      case Op::BrIf:
        if (live) grow(-1);
        break;
      case Op::Call: case Op::CallIndirect: {
        const wasm::FuncType& t = in.op == Op::Call ? m.func_type(in.a) : m.types[in.a];
        if (!live) break;
        if (in.op == Op::CallIndirect) grow(-1);
        const int64_t np = static_cast<int64_t>(t.params.size());
        grow(-np + static_cast<int64_t>(t.results.size()));
        break;
      }
      default:
        if (live) grow(plain_effect(in.op));
        break;
    }
  }
  out.frame_slots = static_cast<uint64_t>(nlocals + max_h);
  return out;
}

}  // namespace ward::aot
