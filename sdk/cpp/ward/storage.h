// ward/storage.h — the contract's own key/value space. Keys and values are
// byte strings; u64 values are stored as 8 bytes little-endian.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ward/address.h"
#include "ward/contract.h"
#include "ward/host.h"

namespace ward::storage {

/// The value stored at `key`, or empty when absent.
inline std::optional<std::string> get(std::string_view key) {
  std::string value(64, '\0');
  int32_t n = ward_v1_storage_get(key.data(), detail::len32(key.size()), value.data(),
                                  detail::len32(value.size()));
  if (n < 0) return std::nullopt;
  if (static_cast<size_t>(n) > value.size()) {
    value.resize(static_cast<size_t>(n));
    n = ward_v1_storage_get(key.data(), detail::len32(key.size()), value.data(), n);
  }
  value.resize(static_cast<size_t>(n));
  return value;
}

/// True when `key` holds a value.
inline bool has(std::string_view key) {
  return ward_v1_storage_get(key.data(), detail::len32(key.size()), nullptr, 0) >= 0;
}

/// Writes `value` at `key`.
inline void put(std::string_view key, std::string_view value) {
  ward_v1_storage_put(key.data(), detail::len32(key.size()), value.data(), detail::len32(value.size()));
}

/// Removes `key` (no effect when absent).
inline void del(std::string_view key) { ward_v1_storage_delete(key.data(), detail::len32(key.size())); }

/// The u64 at `key`, `fallback` when absent; reverts when the stored value is
/// not 8 bytes.
inline uint64_t get_u64(std::string_view key, uint64_t fallback = 0) {
  unsigned char buf[8];
  int32_t n = ward_v1_storage_get(key.data(), detail::len32(key.size()), buf, 8);
  if (n < 0) return fallback;
  if (n != 8) revert("storage: value is not a u64 (8 bytes)");
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | buf[i];
  return v;
}

/// Writes `value` at `key` as 8 bytes little-endian.
inline void put_u64(std::string_view key, uint64_t value) {
  unsigned char buf[8];
  for (int i = 0; i < 8; ++i) buf[i] = static_cast<unsigned char>(value >> (8 * i));
  ward_v1_storage_put(key.data(), detail::len32(key.size()), buf, 8);
}

/// A readable key "<prefix>/0x<40 hex>", e.g. key("balance", owner).
inline std::string key(std::string_view prefix, const Address& a) {
  std::string k(prefix);
  k += '/';
  k += a.to_hex();
  return k;
}

}  // namespace ward::storage
