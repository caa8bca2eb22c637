// ward/wasm/metering.h — the one metering analysis: splits each function body
// into basic blocks and gives each its static gas cost from opcodes.def.
// Every backend charges exactly these costs (docs/gas.md is the reference).
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

}  // namespace ward::wasm
