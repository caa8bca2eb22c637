// A counter: Increment({"by": N}?) adds N (default 1), Get reads it, Reset
// sets it back to 0.
#include <ward/ward.h>

#include <cstdint>

namespace {
constexpr std::string_view k_key = "count";
}  // namespace

/// Increment({"by": N}?): adds N (default 1); returns the new value.
WARD_METHOD(Increment) {
  uint64_t by = ward::args().u64_or("by", 0, 1);
  uint64_t count = ward::storage::get_u64(k_key);
  if (count + by < count) ward::revert("counter overflow");
  ward::storage::put_u64(k_key, count + by);
  ward::ret(count + by);
}

/// Get(): the current value.
WARD_METHOD(Get) { ward::ret(ward::storage::get_u64(k_key)); }

/// Reset(): back to 0.
WARD_METHOD(Reset) {
  ward::storage::del(k_key);
  ward::ret(nullptr);
}
