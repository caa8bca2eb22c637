// ward/wasm/metering.h — the one metering analysis: splits each function body
// into basic blocks and gives each its static gas cost from a GasSchedule
// (gas_schedule.h; revision 1 is the gas column of opcodes.def); and
// the one stack-slot accounting of a function (frame_slots), from the stack
// columns of opcodes.def. Every backend charges exactly these costs and
// counts exactly these slots (docs/gas.md, docs/limits.md are the reference).
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include "util/result.h"
#include "wasm/gas_schedule.h"
#include "wasm/module.h"

namespace ward::wasm {

/// A basic block of a function body: the module offset of its first
/// instruction and its static cost (sum of the schedule's op costs over its
/// instructions).
struct GasBlock {
  uint32_t offset = 0;
  uint64_t cost = 0;
};

/// Dynamic costs of revision 1 (aliases of kGasScheduleV1, for tests and
/// docs), charged by the instruction itself at run time, on top of the
/// static cost of its basic block (docs/gas.md). Backends charge the fields
/// of the module's GasSchedule instead.
inline constexpr uint64_t kGasPerGrowPage = kGasScheduleV1.grow_page;             ///< memory.grow, per page added
inline constexpr uint64_t kBulkBytesPerGas = kGasScheduleV1.bulk_bytes_per_gas;    ///< memory.copy/fill/init: ceil(n / 8)
inline constexpr uint64_t kGasPerTableElement = kGasScheduleV1.table_element;      ///< table.grow/fill/copy/init, per element

/// Gas for a bulk-memory operation over n bytes, in revision 1.
constexpr uint64_t bulk_memory_gas(uint64_t n) { return kGasScheduleV1.bulk_memory_gas(n); }

/// The basic blocks of defined function `defined_index` (0 = first non-
/// imported function), in body order. A block begins at the first
/// instruction of the body, and at the instruction following each of: loop,
/// if, else, end, br, br_if, br_table, return, unreachable. Blocks of cost 0
/// are included (backends may skip charging them). Each instruction costs
/// schedule.op_cost(op) (revision 1: op_gas, the gas column of opcodes.def).
Result<std::vector<GasBlock>> analyze_gas(const Module& module, uint32_t defined_index,
                                          const GasSchedule& schedule = kGasScheduleV1);

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
