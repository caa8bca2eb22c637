// ward/wasm/metering.h — the one metering analysis: splits each function body
// into basic blocks and gives each its static gas cost from opcodes.def; and
// the one stack-slot accounting of a function (frame_slots), from the stack
// columns of opcodes.def. Every backend charges exactly these costs and
// counts exactly these slots (docs/gas.md, docs/limits.md are the reference).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "util/result.h"
#include "wasm/module.h"

namespace ward::wasm {

/// A basic block of a function body: the module offset of its first
/// instruction and its static cost (sum of op_gas over its instructions).
struct GasBlock {
  uint32_t offset = 0;
  uint64_t cost = 0;
};

/// Dynamic costs, charged by the instruction itself at run time, on top of
/// the static cost of its basic block (docs/gas.md).
inline constexpr uint64_t kGasPerGrowPage = 512;    ///< memory.grow, per page actually added
inline constexpr uint64_t kBulkBytesPerGas = 8;     ///< memory.copy/fill/init: ceil(n / 8) gas
inline constexpr uint64_t kGasPerTableElement = 1;  ///< table.grow/fill/copy/init, per element

/// Gas for a bulk-memory operation over n bytes.
constexpr uint64_t bulk_memory_gas(uint64_t n) { return (n + kBulkBytesPerGas - 1) / kBulkBytesPerGas; }

/// The basic blocks of defined function `defined_index` (0 = first non-
/// imported function), in body order. A block begins at the first
/// instruction of the body, and at the instruction following each of: loop,
/// if, else, end, br, br_if, br_table, return, unreachable. Blocks of cost 0
/// are included (backends may skip charging them).
Result<std::vector<GasBlock>> analyze_gas(const Module& module, uint32_t defined_index);

/// The stack slots one activation of defined function `defined_index` (0 =
/// first non-imported function) takes from the Limits::max_stack_slots
/// budget: params + declared locals + the maximum operand-stack height of
/// its body, one slot per value of any type. The height follows the stack
/// columns of opcodes.def (op_stack_delta) for plain instructions, and the
/// block type or callee type for blocks, branches and calls (spec 3.3);
/// instructions in unreachable code (after br, br_table, return or
/// unreachable, until the enclosing end or else) do not count. Both
/// backends budget their frames with this number; the interpreter's
/// translator never uses more. Linear in the body, no recursion on nesting.
/// Errors: the function does not exist, or its body does not decode (the
/// message names the function index and offset).
Result<uint64_t> frame_slots(const Module& module, uint32_t defined_index);

}  // namespace ward::wasm
