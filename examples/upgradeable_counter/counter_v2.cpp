// The upgradeable counter, version 2: the count lives in the default object
// (field "count"), next to the field "version". Migrate moves the count of
// version 1 (storage key "count") there; `ward upgrade ... --migrate
// Migrate` runs it in the same step as the code change, and the upgrade does
// not happen if it fails.
#include <ward/ward.h>

#include <cstdint>
#include <optional>

namespace {
ward::Object state() { return ward::Object::default_object(); }
}  // namespace

/// Moves the version 1 count into the default object. Once only.
WARD_EXPORT ward::Result<uint64_t> Migrate() {
  if (state().get_u64("version") >= 2) return ward::Error("already migrated");
  uint64_t count = ward::storage::get_u64("count");
  state().set_u64("count", count);
  state().set_u64("version", 2);
  ward::storage::del("count");
  ward::ctx().emit("Migrated", ward::json::object("count", count, "version", 2));
  return count;
}

/// Adds `by` (default 1); returns the new count.
WARD_EXPORT ward::Result<uint64_t> Increment(std::optional<uint64_t> by) {
  uint64_t count = state().get_u64("count");
  uint64_t step = by.value_or(1);
  if (count + step < count) return ward::Error("counter overflow");
  state().set_u64("count", count + step);
  return count + step;
}

/// Subtracts `by` (default 1); the count never goes below 0.
WARD_EXPORT ward::Result<uint64_t> Decrement(std::optional<uint64_t> by) {
  uint64_t count = state().get_u64("count");
  uint64_t step = by.value_or(1);
  if (step > count) return ward::Error("counter underflow");
  state().set_u64("count", count - step);
  return count - step;
}

/// The count.
WARD_VIEW uint64_t Get() { return state().get_u64("count"); }

/// The code version.
WARD_VIEW uint32_t Version() { return 2; }
