// ward/wasm/gas_schedule.h — every gas cost of Ward in one versioned table:
// the static cost of each instruction, the dynamic costs of memory and table
// operations, and the chain's deploy, transfer and destroy costs. A revision
// never changes once released; a chain changes its costs by switching to a
// new revision at a height (docs/gas.md, "Gas schedule"), so old blocks
// replay with the costs they were made with. Host function costs are in the
// host table (src/host/abi_v1.def), not here.
// Thread-safety: immutable data, pure functions.
#pragma once

#include <array>
#include <cstdint>

#include "util/result.h"
#include "wasm/opcodes.h"

namespace ward::wasm {

/// One revision of the gas costs. All costs are in gas.
struct GasSchedule {
  uint32_t revision = 0;
  /// Static cost of each instruction, indexed by wasm::Op (as op_gas),
  /// charged with its basic block (wasm::analyze_gas).
  std::array<uint32_t, kOpCount> op{};
  uint64_t grow_page = 0;           ///< memory.grow, per page actually added
  uint64_t bulk_bytes_per_gas = 1;  ///< memory.copy/fill/init: ceil(n / this) gas; a power of two
  uint64_t table_element = 0;       ///< table.grow (per element added), table.fill/copy/init (per element)
  uint64_t deploy_base = 0;         ///< a deploy or an upgrade, before its init (migrate) method runs
  uint64_t deploy_per_byte = 0;     ///< ... plus this per byte of the (decompressed) module
  uint64_t transfer = 0;            ///< a plain value transfer
  uint64_t destroy_base = 0;        ///< a destroy
  uint64_t destroy_per_key = 0;     ///< ... plus this per state key removed (storage and objects)

  /// Static cost of `o` in this revision.
  constexpr uint32_t op_cost(Op o) const { return op[static_cast<uint32_t>(o)]; }
  /// Gas of a bulk-memory operation over n bytes: ceil(n / bulk_bytes_per_gas).
  constexpr uint64_t bulk_memory_gas(uint64_t n) const {
    return (n + bulk_bytes_per_gas - 1) / bulk_bytes_per_gas;
  }
};

namespace detail {

/// Revision 1: the gas column of opcodes.def and the costs below.
constexpr GasSchedule make_gas_schedule_v1() {
  GasSchedule s;
  s.revision = 1;
  for (uint32_t i = 0; i < kOpCount; ++i) s.op[i] = kOpInfo[i].gas;
  s.grow_page = 512;
  s.bulk_bytes_per_gas = 8;
  s.table_element = 1;
  s.deploy_base = 20'000;
  s.deploy_per_byte = 1;
  s.transfer = 2'000;
  s.destroy_base = 10'000;
  s.destroy_per_key = 100;
  return s;
}

}  // namespace detail

/// Revision 1, the costs of docs/gas.md. The single source of its values
/// (the kGas* and chain::k*Gas constants are aliases of its fields).
inline constexpr GasSchedule kGasScheduleV1 = detail::make_gas_schedule_v1();

/// The newest revision this build knows.
inline constexpr uint32_t kLatestGasRevision = 1;

/// Revision 1 (kGasScheduleV1).
const GasSchedule& gas_schedule_v1();

/// The schedule of `revision`; the pointer stays valid for the process.
/// Errors: "unknown gas schedule revision N (known: 1)".
Result<const GasSchedule*> gas_schedule(uint32_t revision);

}  // namespace ward::wasm
