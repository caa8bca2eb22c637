// ward/wasm/gas_schedule.h — every gas cost of Ward in one versioned table:
// the static cost of each instruction, the dynamic costs of memory and table
// operations, the cost of each host function, and the chain's deploy,
// transfer and destroy costs. A revision never changes once released; a
// chain changes its costs by switching to a new revision at a height
// (docs/gas.md, "Gas schedule"), so old blocks replay with the costs they
// were made with. Revision 1's host function costs are the `gas` lines of
// src/host/abi_v1.def (generated into wasm/host_gas_v1.inc).
// Thread-safety: immutable data, pure functions.
#pragma once

#include <array>
#include <cstdint>

#include "util/result.h"
#include "wasm/opcodes.h"

namespace ward::wasm {

/// Every host function of ABI v1, in the host table's order
/// (src/host/abi_v1.def): `<module>_<name>`, e.g. HostFn::ward_v1_storage_put.
enum class HostFn : uint32_t {
#define WARD_HOST_GAS(id, base, per_byte) id,
#include "wasm/host_gas_v1.inc"
#undef WARD_HOST_GAS
};

/// Number of host functions (HostFn values).
inline constexpr uint32_t kHostFnCount = 0
#define WARD_HOST_GAS(id, base, per_byte) +1
#include "wasm/host_gas_v1.inc"
#undef WARD_HOST_GAS
    ;

/// The cost of one host function: `base` on every call, before it acts,
/// plus `per_byte` times the bytes it reads or writes (docs/host-abi.md says
/// which bytes). Both in gas.
struct HostGas {
  uint64_t base = 0;
  uint64_t per_byte = 0;
};

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
  /// Cost of each host function, indexed by HostFn.
  std::array<HostGas, kHostFnCount> host{};

  /// Static cost of `o` in this revision.
  constexpr uint32_t op_cost(Op o) const { return op[static_cast<uint32_t>(o)]; }
  /// Gas of a bulk-memory operation over n bytes: ceil(n / bulk_bytes_per_gas).
  constexpr uint64_t bulk_memory_gas(uint64_t n) const {
    return (n + bulk_bytes_per_gas - 1) / bulk_bytes_per_gas;
  }
  /// Cost of host function `f` in this revision.
  constexpr const HostGas& host_cost(HostFn f) const { return host[static_cast<uint32_t>(f)]; }
  /// Gas of one call of host function `f` touching `bytes` bytes:
  /// base + per_byte * bytes, saturating at UINT64_MAX (which no gas limit
  /// covers, so the call runs out of gas).
  constexpr uint64_t host_gas(HostFn f, uint64_t bytes) const {
    const HostGas& c = host_cost(f);
    return saturating_add(c.base, host_gas_bytes(f, bytes));
  }
  /// The per-byte part alone, per_byte * bytes (saturating): the second step
  /// of a two-step charge (the length of a value is known only after a lookup).
  constexpr uint64_t host_gas_bytes(HostFn f, uint64_t bytes) const {
    const uint64_t per = host_cost(f).per_byte;
    return per != 0 && bytes > UINT64_MAX / per ? UINT64_MAX : per * bytes;
  }

 private:
  static constexpr uint64_t saturating_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }
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
  uint32_t i = 0;
#define WARD_HOST_GAS(id, base, per_byte) s.host[i++] = HostGas{base, per_byte};
#include "wasm/host_gas_v1.inc"
#undef WARD_HOST_GAS
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
