// ward/wasm/gas_schedule.cpp — the known gas schedule revisions.
#include "wasm/gas_schedule.h"

#include <bit>
#include <iterator>
#include <string>

#include <fmt/format.h>

namespace ward::wasm {
namespace {

/// A schedule every backend can charge: the AOT backend computes the bulk
/// charge as a shift.
constexpr bool well_formed(const GasSchedule& s) { return std::has_single_bit(s.bulk_bytes_per_gas); }

/// Every known revision, by revision number (index 0 unused).
constexpr const GasSchedule* kSchedules[] = {nullptr, &kGasScheduleV1};
static_assert(std::size(kSchedules) == kLatestGasRevision + 1);

constexpr bool all_well_formed() {
  for (uint32_t r = 1; r < std::size(kSchedules); ++r) {
    if (kSchedules[r]->revision != r || !well_formed(*kSchedules[r])) return false;
  }
  return true;
}
static_assert(all_well_formed(), "every revision: its own number, bulk_bytes_per_gas a power of two");

}  // namespace

const GasSchedule& gas_schedule_v1() { return kGasScheduleV1; }

Result<const GasSchedule*> gas_schedule(uint32_t revision) {
  if (revision == 0 || revision > kLatestGasRevision) {
    std::string known;
    for (uint32_t r = 1; r <= kLatestGasRevision; ++r) known += (r == 1 ? "" : ", ") + std::to_string(r);
    return make_error(fmt::format("unknown gas schedule revision {} (known: {})", revision, known));
  }
  return kSchedules[revision];
}

}  // namespace ward::wasm
