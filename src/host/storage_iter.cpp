// ward/host/storage_iter.cpp — `ward_v1` storage iterators
// (storage_iter_prefix, storage_iter_range, storage_iter_next,
// storage_iter_key, storage_iter_value, storage_iter_close). An iterator is a position in the
// contract's own key range, over state::Overlay::scan_range: each step finds
// the first key after the previous one as the overlay sees it then, so the
// iteration is in key order and sees the call's own writes and deletes.
#include "host/detail.h"

namespace ward::host::detail {
namespace {

/// Traps when the call already has max_iterators_per_call open iterators.
TrapKind check_iterator_count(Call& c) {
  size_t n = 0;
  for (const StorageIterator& it : c.env().iterators) n += it.open ? 1 : 0;
  uint32_t max = c.limits().max_iterators_per_call;
  if (n < max) return TrapKind::None;
  return c.fail("iterator " + std::to_string(n + 1) + " exceeds max_iterators_per_call (" + std::to_string(max) +
                " open at once; close iterators with storage_iter_close)");
}

/// Opens an iterator over the full keys [lo, hi) and returns its handle: the
/// lowest closed slot, else a new one (deterministic, so handles stay small).
TrapKind open_iterator(Call& c, std::string lo, std::string hi, size_t strip, Value* results) {
  CallEnv& env = c.env();
  env.access.add_range(lo, hi);
  StorageIterator it;
  it.next_from = std::move(lo);
  it.end = std::move(hi);
  it.strip = strip;
  size_t slot = 0;
  while (slot < env.iterators.size() && env.iterators[slot].open) ++slot;
  if (slot == env.iterators.size()) {
    env.iterators.push_back(std::move(it));
  } else {
    env.iterators[slot] = std::move(it);
  }
  results[0] = Value::i32(static_cast<uint32_t>(slot));
  return TrapKind::None;
}

/// The open iterator of `handle`, or null after setting a trap in *trap.
StorageIterator* find_iterator(Call& c, uint32_t handle, TrapKind* trap) {
  if (handle < c.env().iterators.size()) {
    StorageIterator& it = c.env().iterators[handle];
    if (it.open) return &it;
    *trap = c.fail("iterator " + std::to_string(handle) + " is closed");
    return nullptr;
  }
  *trap = c.fail("unknown iterator handle " + std::to_string(static_cast<int32_t>(handle)));
  return nullptr;
}

/// Copies the current key or value of an iterator (storage_iter_key/_value).
TrapKind copy_current(HostCall& hc, const Value* args, bool key) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t handle = arg_u32(args, 0), ptr = arg_u32(args, 1);
  TrapKind trap = TrapKind::None;
  StorageIterator* it = find_iterator(c, handle, &trap);
  if (it == nullptr) return trap;
  if (!it->has_current) return c.fail("iterator " + std::to_string(handle) + " has no current entry");
  const std::string& bytes = key ? it->key : it->value;
  WARD_HOST_CHARGE(c, bytes.size());
  WARD_HOST_TRY(c.check_range(ptr, bytes.size()));
  if (!bytes.empty()) std::memcpy(c.at(ptr), bytes.data(), bytes.size());
  return TrapKind::None;
}

}  // namespace

TrapKind storage_iter_prefix(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg_u32(args, 0), len = arg_u32(args, 1);
  if (len > c.limits().max_storage_key_bytes) {
    return c.too_big("prefix", len, "max_storage_key_bytes", c.limits().max_storage_key_bytes);
  }
  WARD_HOST_TRY(check_iterator_count(c));
  WARD_HOST_CHARGE(c, len);
  WARD_HOST_TRY(c.check_range(ptr, len));
  if (c.env().state == nullptr) return c.fail("no contract state in this context");
  std::string base = state::storage_prefix(c.env().self);
  std::string lo = base + std::string(c.view(ptr, len));
  std::string hi = state::prefix_end(lo);  // never empty: lo starts with "s/"
  return open_iterator(c, std::move(lo), std::move(hi), base.size(), results);
}

TrapKind storage_iter_range(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t sptr = arg_u32(args, 0), slen = arg_u32(args, 1), eptr = arg_u32(args, 2), elen = arg_u32(args, 3);
  uint32_t max = c.limits().max_storage_key_bytes;
  if (slen > max) return c.too_big("start", slen, "max_storage_key_bytes", max);
  if (elen > max) return c.too_big("end", elen, "max_storage_key_bytes", max);
  WARD_HOST_TRY(check_iterator_count(c));
  WARD_HOST_CHARGE(c, uint64_t{slen} + elen);
  WARD_HOST_TRY(c.check_range(sptr, slen));
  WARD_HOST_TRY(c.check_range(eptr, elen));
  if (c.env().state == nullptr) return c.fail("no contract state in this context");
  std::string base = state::storage_prefix(c.env().self);
  std::string lo = base + std::string(c.view(sptr, slen));
  std::string hi = elen == 0 ? state::prefix_end(base) : base + std::string(c.view(eptr, elen));
  return open_iterator(c, std::move(lo), std::move(hi), base.size(), results);
}

TrapKind storage_iter_next(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t handle = arg_u32(args, 0), lens = arg_u32(args, 1);
  TrapKind trap = TrapKind::None;
  StorageIterator* it = find_iterator(c, handle, &trap);
  if (it == nullptr) return trap;
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(lens, 8));
  if (c.env().state == nullptr) return c.fail("no contract state in this context");
  bool found = false;
  std::string key, value;
  if (!it->done) {
    AccessScope scope(c.env());
    auto r = c.env().state->scan_range(it->next_from, it->end, [&](std::string_view k, std::string_view v) {
      key.assign(k);
      value.assign(v);
      found = true;
      return false;
    });
    if (!r) return c.fail("storage error: " + r.error().message);
  }
  if (!found) {
    it->done = true;
    it->has_current = false;
    results[0] = Value::i32(0);
    return TrapKind::None;
  }
  if (!c.charge_more(key.size() - it->strip + value.size())) return TrapKind::OutOfGas;
  it->next_from = key;
  it->next_from.push_back('\0');  // the smallest key after `key`
  it->key = key.substr(it->strip);
  it->value = std::move(value);
  it->has_current = true;
  c.store_u32(lens, static_cast<uint32_t>(it->key.size()));
  c.store_u32(lens + 4, static_cast<uint32_t>(it->value.size()));
  results[0] = Value::i32(1);
  return TrapKind::None;
}

TrapKind storage_iter_close(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t handle = arg_u32(args, 0);
  TrapKind trap = TrapKind::None;
  StorageIterator* it = find_iterator(c, handle, &trap);
  if (it == nullptr) return trap;
  WARD_HOST_CHARGE(c, 0);
  *it = StorageIterator{};
  it->open = false;
  return TrapKind::None;
}

TrapKind storage_iter_key(HostCall& hc, const Value* args, Value*) { return copy_current(hc, args, true); }
TrapKind storage_iter_value(HostCall& hc, const Value* args, Value*) { return copy_current(hc, args, false); }

}  // namespace ward::host::detail
