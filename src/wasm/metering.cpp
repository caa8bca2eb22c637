// ward/wasm/metering.cpp — basic blocks and their static gas (docs/gas.md).
#include "wasm/metering.h"

#include <fmt/format.h>

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

}  // namespace

Result<std::vector<GasBlock>> analyze_gas(const Module& module, uint32_t defined_index) {
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
    current.cost += op_gas(in.op);
    if (ends_block(in.op)) {
      blocks.push_back(current);
      open = false;
    }
  }
  if (open) blocks.push_back(current);  // only for a body without its final `end`
  return blocks;
}

}  // namespace ward::wasm
