// ward/object.h — objects: records with named fields and one owner, kept by
// the host for the contract that created them. Only the contract's own code
// may change an object, and only while its owner is the contract itself or
// the call's origin (docs/host-abi.md, "Objects and ownership"); any other
// change traps with a permission error.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ward/address.h"
#include "ward/contract.h"
#include "ward/host.h"
#include "ward/types.h"

namespace ward {

/// A handle to one object (cheap to copy). Fields are byte strings; the
/// typed helpers store u64 as 8 bytes little-endian and addresses as their
/// 20 raw bytes.
class Object {
 public:
  /// The running contract's default object (the empty id on the host side).
  static Object default_object() { return Object(); }

  /// Creates an object of the running contract owned by `owner`.
  static Object create(const Address& owner) {
    detail::check_writable("create objects");
    ObjectId id;
    ward_v1_object_create(owner.bytes.data(), id.bytes.data());
    return Object(id);
  }

  /// The object with this id, or empty when there is none.
  static std::optional<Object> get(const ObjectId& id) {
    Object o(id);
    if (!o.exists()) return std::nullopt;
    return o;
  }

  /// The running contract's first object (by id) owned by `owner`, or empty.
  static std::optional<Object> by_owner(const Address& owner) {
    ObjectId id;
    if (ward_v1_object_by_owner(owner.bytes.data(), id.bytes.data()) != 1) return std::nullopt;
    return Object(id);
  }

  /// A handle to `id` without checking that it exists.
  explicit Object(const ObjectId& id) : m_id(id), m_default(false) {}

  /// True for the default object handle.
  bool is_default() const noexcept { return m_default; }

  /// The id; for the default object, the id the host derived for it,
  /// sha256("ward-default-object" ‖ self address).
  ObjectId id() const {
    if (!m_default) return m_id;
    std::string seed = "ward-default-object";
    Address self;
    ward_v1_self_address(self.bytes.data());
    seed += self.raw();
    ObjectId id;
    ward_v1_sha256(seed.data(), detail::len32(seed.size()), id.bytes.data());
    return id;
  }

  /// True while the object exists.
  bool exists() const { return ward_v1_object_exists(id_ptr(), id_len()) == 1; }

  /// The owner; reverts when the object does not exist.
  Address owner() const {
    Address a;
    if (ward_v1_object_owner(id_ptr(), id_len(), a.bytes.data()) != 0) revert("object does not exist");
    return a;
  }

  /// The field `name`, or empty when the field or the object is absent.
  std::optional<std::string> get(std::string_view name) const {
    std::string value(64, '\0');
    int32_t n = ward_v1_object_get_field(id_ptr(), id_len(), name.data(), detail::len32(name.size()),
                                         value.data(), detail::len32(value.size()));
    if (n < 0) return std::nullopt;
    if (static_cast<size_t>(n) > value.size()) {
      value.resize(static_cast<size_t>(n));
      n = ward_v1_object_get_field(id_ptr(), id_len(), name.data(), detail::len32(name.size()), value.data(), n);
    }
    value.resize(static_cast<size_t>(n));
    return value;
  }

  /// Writes the field `name` (needs permission).
  void set(std::string_view name, std::string_view value) const {
    detail::check_writable("change objects");
    ward_v1_object_set_field(id_ptr(), id_len(), name.data(), detail::len32(name.size()), value.data(),
                             detail::len32(value.size()));
  }

  /// The u64 field `name`, `fallback` when absent; reverts when it is not 8 bytes.
  uint64_t get_u64(std::string_view name, uint64_t fallback = 0) const {
    auto v = get(name);
    if (!v) return fallback;
    if (v->size() != 8) revert("object field is not a u64 (8 bytes)");
    uint64_t n = 0;
    for (int i = 7; i >= 0; --i) n = n << 8 | static_cast<uint8_t>((*v)[static_cast<size_t>(i)]);
    return n;
  }

  /// Writes the u64 field `name` as 8 bytes little-endian.
  void set_u64(std::string_view name, uint64_t value) const {
    char buf[8];
    for (int i = 0; i < 8; ++i) buf[i] = static_cast<char>(value >> (8 * i));
    set(name, std::string_view(buf, 8));
  }

  /// The address field `name`, or empty when absent or not 20 bytes.
  std::optional<Address> get_address(std::string_view name) const {
    auto v = get(name);
    if (!v) return std::nullopt;
    return Address::from_raw(*v);
  }

  /// Writes the address field `name` (20 raw bytes).
  void set_address(std::string_view name, const Address& value) const { set(name, value.raw()); }

  /// Gives the object to `owner` (needs permission).
  void set_owner(const Address& owner) const {
    detail::check_writable("change objects");
    ward_v1_object_set_owner(id_ptr(), id_len(), owner.bytes.data());
  }

  /// Deletes the object and its fields (needs permission).
  void destroy() const {
    detail::check_writable("change objects");
    ward_v1_object_delete(id_ptr(), id_len());
  }

 private:
  Object() = default;
  const void* id_ptr() const noexcept { return m_id.bytes.data(); }
  int32_t id_len() const noexcept { return m_default ? 0 : 32; }

  ObjectId m_id;
  bool m_default = true;
};

}  // namespace ward
