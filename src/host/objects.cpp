// ward/host/objects.cpp — `ward_v1` object functions (docs/host-abi.md,
// "Objects and ownership"): create, exists, owner, by owner, fields, set
// owner, delete. Ids are 32 bytes; an id of length 0 is the running
// contract's default object. Every change checks state::may_change_object
// first and traps with "permission denied: ..." before touching anything.
#include "host/detail.h"
#include "state/objects.h"

namespace ward::host::detail {
namespace {

constexpr uint32_t kIdBytes = 32;

std::string hex0x(std::span<const uint8_t> bytes) { return "0x" + state::hex_encode(bytes); }

/// Traps unless an id length is 0 (default object) or 32.
TrapKind check_id_len(Call& c, uint32_t len) {
  if (len == 0 || len == kIdBytes) return TrapKind::None;
  return c.fail("id of " + std::to_string(len) + " bytes: an object id is 32 bytes (0 for the default object)");
}

/// Traps unless a field name is 1 to max_object_field_name_bytes bytes.
TrapKind check_field_name_len(Call& c, uint32_t len) {
  uint32_t max = c.limits().max_object_field_name_bytes;
  if (len > max) return c.too_big("field name", len, "max_object_field_name_bytes", max);
  if (len == 0) return c.fail("field name is empty");
  return TrapKind::None;
}

/// The id at [ptr, ptr+len) (range checked), or self's default object when len is 0.
state::ObjectId read_id(Call& c, uint32_t ptr, uint32_t len) {
  if (len == 0) return state::default_object_id(c.env().self);
  state::ObjectId id;
  std::memcpy(id.data(), c.at(ptr), id.size());
  return id;
}

/// Loads the object `id` for a change by this call: traps when it does not
/// exist or the call may not change it; else fills *record.
TrapKind load_for_change(Call& c, const state::ObjectId& id, state::ObjectRecord* record) {
  auto r = state::get_object(*c.env().state, id);
  if (!r) return c.fail("storage error: " + r.error().message);
  if (!r.value()) return c.fail("object " + hex0x(id) + " does not exist");
  *record = *r.value();
  if (!state::may_change_object(*record, c.env().self, c.env().origin_address())) {
    return c.fail("permission denied: object " + hex0x(id) + " is owned by " + hex0x(record->owner));
  }
  return TrapKind::None;
}

TrapKind no_state(Call& c) { return c.fail("no contract state in this context"); }

}  // namespace

TrapKind object_create(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t owner = arg_u32(args, 0), out = arg_u32(args, 1);
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(owner, 20));
  WARD_HOST_TRY(c.check_range(out, kIdBytes));
  if (c.env().state == nullptr) return no_state(c);
  WARD_HOST_TRY(check_tx_writes(c, 4 * kSmallWriteBytes));  // record, owner index, counter
  AccessScope scope(c.env());
  auto id = state::create_object(*c.env().state, c.env().self, load_address(c, owner));
  if (!id) return c.fail("storage error: " + id.error().message);
  std::memcpy(c.at(out), id.value().data(), kIdBytes);
  return TrapKind::None;
}

TrapKind object_exists(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg_u32(args, 0), len = arg_u32(args, 1);
  WARD_HOST_TRY(check_id_len(c, len));
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(ptr, len));
  if (c.env().state == nullptr) return no_state(c);
  AccessScope scope(c.env());
  auto r = state::get_object(*c.env().state, read_id(c, ptr, len));
  if (!r) return c.fail("storage error: " + r.error().message);
  results[0] = Value::i32(r.value() ? 1 : 0);
  return TrapKind::None;
}

TrapKind object_owner(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t ptr = arg_u32(args, 0), len = arg_u32(args, 1), out = arg_u32(args, 2);
  WARD_HOST_TRY(check_id_len(c, len));
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(ptr, len));
  WARD_HOST_TRY(c.check_range(out, 20));
  if (c.env().state == nullptr) return no_state(c);
  AccessScope scope(c.env());
  auto r = state::get_object(*c.env().state, read_id(c, ptr, len));
  if (!r) return c.fail("storage error: " + r.error().message);
  if (!r.value()) {
    results[0] = Value::i32(static_cast<uint32_t>(-1));
    return TrapKind::None;
  }
  std::memcpy(c.at(out), r.value()->owner.data(), 20);
  results[0] = Value::i32(0);
  return TrapKind::None;
}

TrapKind object_by_owner(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t owner = arg_u32(args, 0), out = arg_u32(args, 1);
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(owner, 20));
  WARD_HOST_TRY(c.check_range(out, kIdBytes));
  if (c.env().state == nullptr) return no_state(c);
  AccessScope scope(c.env());
  auto r = state::first_object_of_owner(*c.env().state, c.env().self, load_address(c, owner));
  if (!r) return c.fail("storage error: " + r.error().message);
  if (!r.value()) {
    results[0] = Value::i32(0);
    return TrapKind::None;
  }
  std::memcpy(c.at(out), r.value()->data(), kIdBytes);
  results[0] = Value::i32(1);
  return TrapKind::None;
}

TrapKind object_get_field(HostCall& hc, const Value* args, Value* results) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t iptr = arg_u32(args, 0), ilen = arg_u32(args, 1), nptr = arg_u32(args, 2), nlen = arg_u32(args, 3);
  uint32_t vptr = arg_u32(args, 4), vcap = arg_u32(args, 5);
  WARD_HOST_TRY(check_id_len(c, ilen));
  WARD_HOST_TRY(check_field_name_len(c, nlen));
  WARD_HOST_CHARGE(c, nlen);
  WARD_HOST_TRY(c.check_range(iptr, ilen));
  WARD_HOST_TRY(c.check_range(nptr, nlen));
  WARD_HOST_TRY(c.check_range(vptr, vcap));
  if (c.env().state == nullptr) return no_state(c);
  AccessScope scope(c.env());
  // Fields never outlive their object (object_delete removes them).
  auto value = state::get_object_field(*c.env().state, read_id(c, iptr, ilen), c.view(nptr, nlen));
  return finish_capped_read(c, value, vptr, vcap, results);
}

TrapKind object_set_field(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t iptr = arg_u32(args, 0), ilen = arg_u32(args, 1), nptr = arg_u32(args, 2), nlen = arg_u32(args, 3);
  uint32_t vptr = arg_u32(args, 4), vlen = arg_u32(args, 5);
  WARD_HOST_TRY(check_id_len(c, ilen));
  WARD_HOST_TRY(check_field_name_len(c, nlen));
  if (vlen > c.limits().max_storage_value_bytes) {
    return c.too_big("value", vlen, "max_storage_value_bytes", c.limits().max_storage_value_bytes);
  }
  WARD_HOST_CHARGE(c, uint64_t{nlen} + vlen);
  WARD_HOST_TRY(c.check_range(iptr, ilen));
  WARD_HOST_TRY(c.check_range(nptr, nlen));
  WARD_HOST_TRY(c.check_range(vptr, vlen));
  if (c.env().state == nullptr) return no_state(c);
  AccessScope scope(c.env());
  state::ObjectId id = read_id(c, iptr, ilen);
  state::ObjectRecord record;
  WARD_HOST_TRY(load_for_change(c, id, &record));
  WARD_HOST_TRY(check_tx_writes(c, 2 * (kSmallWriteBytes + uint64_t{nlen}) + vlen));
  state::set_object_field(*c.env().state, id, c.view(nptr, nlen), c.view(vptr, vlen));
  return TrapKind::None;
}

TrapKind object_set_owner(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t iptr = arg_u32(args, 0), ilen = arg_u32(args, 1), owner = arg_u32(args, 2);
  WARD_HOST_TRY(check_id_len(c, ilen));
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(iptr, ilen));
  WARD_HOST_TRY(c.check_range(owner, 20));
  if (c.env().state == nullptr) return no_state(c);
  AccessScope scope(c.env());
  state::ObjectId id = read_id(c, iptr, ilen);
  state::ObjectRecord record;
  WARD_HOST_TRY(load_for_change(c, id, &record));
  WARD_HOST_TRY(check_tx_writes(c, 4 * kSmallWriteBytes));  // record and owner index
  state::set_object_owner(*c.env().state, id, record, load_address(c, owner));
  return TrapKind::None;
}

TrapKind object_delete(HostCall& hc, const Value* args, Value*) {
  Call c(hc);
  if (!c.valid()) return c.fail_unwired();
  uint32_t iptr = arg_u32(args, 0), ilen = arg_u32(args, 1);
  WARD_HOST_TRY(check_id_len(c, ilen));
  WARD_HOST_CHARGE(c, 0);
  WARD_HOST_TRY(c.check_range(iptr, ilen));
  if (c.env().state == nullptr) return no_state(c);
  AccessScope scope(c.env());
  state::ObjectId id = read_id(c, iptr, ilen);
  state::ObjectRecord record;
  WARD_HOST_TRY(load_for_change(c, id, &record));
  auto bytes = state::object_fields_bytes(*c.env().state, id);
  if (!bytes) return c.fail("storage error: " + bytes.error().message);
  if (!c.charge_more(bytes.value())) return TrapKind::OutOfGas;
  // Every deleted field keeps an undo copy of its value.
  WARD_HOST_TRY(check_tx_writes(c, 4 * kSmallWriteBytes + bytes.value()));
  if (auto r = state::delete_object(*c.env().state, id, record); !r) {
    return c.fail("storage error: " + r.error().message);
  }
  return TrapKind::None;
}

}  // namespace ward::host::detail
