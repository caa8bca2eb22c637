// The upgradeable counter, version 1: the count is a u64 under the storage
// key "count". Version 2 (counter_v2.cpp) replaces this code at the same
// address and moves the count into the default object with its Migrate
// method:
//   ward upgrade ADDR counter_v2.wasm --migrate Migrate
#include <ward/ward.h>

#include <cstdint>
#include <optional>

/// Adds `by` (default 1); returns the new count.
WARD_EXPORT ward::Result<uint64_t> Increment(std::optional<uint64_t> by) {
  uint64_t count = ward::storage::get_u64("count");
  uint64_t step = by.value_or(1);
  if (count + step < count) return ward::Error("counter overflow");
  ward::storage::put_u64("count", count + step);
  return count + step;
}

/// The count.
WARD_VIEW uint64_t Get() { return ward::storage::get_u64("count"); }

/// The code version.
WARD_VIEW uint32_t Version() { return 1; }
