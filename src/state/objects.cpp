// ward/state/objects.cpp — object and balance helpers.
#include "state/objects.h"

#include <algorithm>
#include <vector>

namespace ward::state {
namespace {

std::string tagged(char tag) { return std::string(1, tag) + '/'; }

template <size_t N>
void append(std::string& s, const std::array<uint8_t, N>& bytes) {
  s.append(reinterpret_cast<const char*>(bytes.data()), N);
}

std::string hex0x(std::span<const uint8_t> bytes) { return "0x" + hex_encode(bytes); }

}  // namespace

std::string object_key(const ObjectId& id) {
  std::string k = tagged('o');
  append(k, id);
  return k;
}

std::string object_field_prefix(const ObjectId& id) {
  std::string k = tagged('f');
  append(k, id);
  k.push_back('/');
  return k;
}

std::string object_field_key(const ObjectId& id, std::string_view name) {
  std::string k = object_field_prefix(id);
  k.append(name);
  return k;
}

std::string owner_index_prefix(const Address& contract, const Address& owner) {
  std::string k = tagged('i');
  append(k, contract);
  k.push_back('/');
  append(k, owner);
  k.push_back('/');
  return k;
}

std::string owner_index_key(const Address& contract, const Address& owner, const ObjectId& id) {
  std::string k = owner_index_prefix(contract, owner);
  append(k, id);
  return k;
}

std::string object_counter_key(const Address& contract) {
  std::string k = tagged('g');
  append(k, contract);
  return k;
}

std::string balance_key(const Address& addr) {
  std::string k = tagged('b');
  append(k, addr);
  return k;
}

ObjectId default_object_id(const Address& contract) {
  return sha256("ward-default-object" + as_string(contract));
}

bool may_change_object(const ObjectRecord& record, const Address& self, const Address& origin) {
  return record.contract == self && (record.owner == self || record.owner == origin);
}

Result<std::optional<ObjectRecord>> get_object(Overlay& state, const ObjectId& id) {
  auto v = state.get(object_key(id));
  if (!v) return v.error();
  if (!v.value()) return std::optional<ObjectRecord>{};
  const std::string& bytes = *v.value();
  if (bytes.size() != 40) return make_error("corrupt object record of " + hex0x(id));
  ObjectRecord r;
  std::copy_n(bytes.begin(), 20, r.contract.begin());
  std::copy_n(bytes.begin() + 20, 20, r.owner.begin());
  return std::optional<ObjectRecord>{r};
}

namespace {

void put_object(Overlay& state, const ObjectId& id, const ObjectRecord& r) {
  std::string v;
  append(v, r.contract);
  append(v, r.owner);
  state.put(object_key(id), v);
}

Result<ObjectId> create_with_id(Overlay& state, const ObjectId& id, const Address& contract, const Address& owner) {
  auto existing = get_object(state, id);
  if (!existing) return existing.error();
  if (existing.value()) return make_error("object " + hex0x(id) + " already exists");
  put_object(state, id, ObjectRecord{contract, owner});
  state.put(owner_index_key(contract, owner, id), "");
  return id;
}

}  // namespace

Result<ObjectId> create_object(Overlay& state, const Address& contract, const Address& owner) {
  std::string counter_key = object_counter_key(contract);
  auto v = state.get(counter_key);
  if (!v) return v.error();
  uint64_t counter = 0;
  if (v.value()) {
    auto n = decode_u64(*v.value());
    if (!n) return make_error("corrupt object counter of " + hex0x(contract));
    counter = *n;
  }
  ObjectId id = sha256(as_string(contract) + encode_u64(counter));
  auto created = create_with_id(state, id, contract, owner);
  if (!created) return created;
  state.put(counter_key, encode_u64(counter + 1));
  return id;
}

Result<ObjectId> create_default_object(Overlay& state, const Address& contract) {
  ObjectId id = default_object_id(contract);
  auto existing = get_object(state, id);
  if (!existing) return existing.error();
  if (existing.value()) return id;
  return create_with_id(state, id, contract, contract);
}

void set_object_owner(Overlay& state, const ObjectId& id, const ObjectRecord& record, const Address& new_owner) {
  if (record.owner == new_owner) return;
  state.del(owner_index_key(record.contract, record.owner, id));
  put_object(state, id, ObjectRecord{record.contract, new_owner});
  state.put(owner_index_key(record.contract, new_owner, id), "");
}

Result<uint64_t> object_fields_bytes(Overlay& state, const ObjectId& id) {
  std::string prefix = object_field_prefix(id);
  uint64_t bytes = 0;
  auto r = state.scan_prefix(prefix, [&](std::string_view k, std::string_view v) {
    bytes += k.size() - prefix.size() + v.size();
    return true;
  });
  if (!r) return r.error();
  return bytes;
}

Result<void> delete_object(Overlay& state, const ObjectId& id, const ObjectRecord& record) {
  std::vector<std::string> keys;
  auto r = state.scan_prefix(object_field_prefix(id), [&](std::string_view k, std::string_view) {
    keys.emplace_back(k);
    return true;
  });
  if (!r) return r;
  for (const std::string& k : keys) state.del(k);
  state.del(owner_index_key(record.contract, record.owner, id));
  state.del(object_key(id));
  return {};
}

Result<std::optional<std::string>> get_object_field(Overlay& state, const ObjectId& id, std::string_view name) {
  return state.get(object_field_key(id, name));
}

void set_object_field(Overlay& state, const ObjectId& id, std::string_view name, std::string_view value) {
  state.put(object_field_key(id, name), value);
}

Result<std::optional<ObjectId>> first_object_of_owner(Overlay& state, const Address& contract, const Address& owner) {
  std::string prefix = owner_index_prefix(contract, owner);
  std::optional<ObjectId> found;
  auto r = state.scan_prefix(prefix, [&](std::string_view k, std::string_view) {
    if (k.size() == prefix.size() + 32) {
      ObjectId id;
      std::copy_n(k.begin() + prefix.size(), 32, id.begin());
      found = id;
    }
    return !found;
  });
  if (!r) return r.error();
  return found;
}

Result<uint64_t> balance(Overlay& state, const Address& addr) {
  auto v = state.get(balance_key(addr));
  if (!v) return v.error();
  if (!v.value()) return uint64_t{0};
  auto n = decode_u64(*v.value());
  if (!n) return make_error("corrupt balance of " + hex0x(addr));
  return *n;
}

void set_balance(Overlay& state, const Address& addr, uint64_t amount) {
  if (amount == 0) {
    state.del(balance_key(addr));
  } else {
    state.put(balance_key(addr), encode_u64(amount));
  }
}

Result<bool> credit(Overlay& state, const Address& addr, uint64_t amount) {
  auto b = balance(state, addr);
  if (!b) return b.error();
  if (amount > UINT64_MAX - b.value()) return false;
  if (amount != 0) set_balance(state, addr, b.value() + amount);
  return true;
}

Result<bool> transfer(Overlay& state, const Address& from, const Address& to, uint64_t amount) {
  auto from_balance = balance(state, from);
  if (!from_balance) return from_balance.error();
  if (from_balance.value() < amount) return false;
  if (from == to || amount == 0) return true;
  auto to_balance = balance(state, to);
  if (!to_balance) return to_balance.error();
  if (amount > UINT64_MAX - to_balance.value()) return false;
  set_balance(state, from, from_balance.value() - amount);
  set_balance(state, to, to_balance.value() + amount);
  return true;
}

}  // namespace ward::state
