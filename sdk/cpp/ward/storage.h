// ward/storage.h — the contract's own key/value space. Keys and values are
// byte strings; u64 values are stored as 8 bytes little-endian. Iterators
// walk keys by prefix or range in ascending byte order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ward/address.h"
#include "ward/codec.h"
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
  detail::check_writable("write storage");
  ward_v1_storage_put(key.data(), detail::len32(key.size()), value.data(), detail::len32(value.size()));
}

/// Removes `key` (no effect when absent).
inline void del(std::string_view key) {
  detail::check_writable("write storage");
  ward_v1_storage_delete(key.data(), detail::len32(key.size()));
}

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
  detail::check_writable("write storage");
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

/// One key/value pair of an iteration.
struct Entry {
  std::string key;    ///< the key
  std::string value;  ///< its value

  /// The value decoded as JSON into T (as ward::Map stores values); reverts
  /// naming the key when it does not decode.
  template <class T>
  T value_as() const;
};

/// An iteration over keys in ascending byte order, opened by prefix() or
/// range(). It sees the call's own writes. Use it in a range-for:
/// `for (const auto& e : ward::storage::prefix("balance/")) { ... }`, or
/// step by hand with next(). The host iterator is closed when the Iterator
/// is destroyed (or by close()), so a loop may open any number of
/// iterators one after another; at most `max_iterators_per_call` may be
/// open at once (docs/host-abi.md). Move-only.
class Iterator {
 public:
  /// Wraps a host iterator handle (owned: closed on destruction).
  explicit Iterator(int32_t handle) : m_handle(handle) {}
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;
  Iterator(Iterator&& other) noexcept : m_handle(other.m_handle), m_done(other.m_done), m_entry(std::move(other.m_entry)) {
    other.m_handle = -1;
  }
  Iterator& operator=(Iterator&& other) noexcept {
    if (this != &other) {
      close();
      m_handle = other.m_handle;
      m_done = other.m_done;
      m_entry = std::move(other.m_entry);
      other.m_handle = -1;
    }
    return *this;
  }
  ~Iterator() { close(); }

  /// Closes the host iterator now (idempotent); next() then returns false.
  void close() {
    if (m_handle >= 0) ward_v1_storage_iter_close(m_handle);
    m_handle = -1;
    m_done = true;
  }

  /// Moves to the next entry; false at the end.
  bool next() {
    uint32_t lens[2] = {0, 0};
    if (m_done || m_handle < 0 || ward_v1_storage_iter_next(m_handle, lens) == 0) {
      m_done = true;
      return false;
    }
    m_entry.key.assign(lens[0], '\0');
    m_entry.value.assign(lens[1], '\0');
    if (lens[0]) ward_v1_storage_iter_key(m_handle, m_entry.key.data());
    if (lens[1]) ward_v1_storage_iter_value(m_handle, m_entry.value.data());
    return true;
  }
  /// The current entry (after next() returned true).
  const Entry& entry() const noexcept { return m_entry; }

  /// Range-for support.
  class Step {
   public:
    explicit Step(Iterator* it) : m_it(it) {}
    const Entry& operator*() const { return m_it->entry(); }
    Step& operator++() {
      if (!m_it->next()) m_it = nullptr;
      return *this;
    }
    bool operator!=(const Step& other) const { return m_it != other.m_it; }

   private:
    Iterator* m_it;
  };
  /// The first entry.
  Step begin() { return next() ? Step(this) : Step(nullptr); }
  /// Past the last entry.
  Step end() { return Step(nullptr); }

 private:
  int32_t m_handle;
  bool m_done = false;
  Entry m_entry;
};

/// The keys starting with `prefix`, in ascending byte order.
inline Iterator prefix(std::string_view prefix) {
  return Iterator(ward_v1_storage_iter_prefix(prefix.data(), detail::len32(prefix.size())));
}

/// The keys in [start, end), in ascending byte order; an empty `end` means
/// no upper bound.
inline Iterator range(std::string_view start, std::string_view end) {
  return Iterator(ward_v1_storage_iter_range(start.data(), detail::len32(start.size()), end.data(),
                                             detail::len32(end.size())));
}

template <class T>
T Entry::value_as() const {
  T out{};
  auto root = json::parse(value);
  std::string error;
  if (!root) revert("storage: value at key '" + key + "' is not JSON");
  if (!abi::decode(*root, out, abi::Path{nullptr, "value"}, error)) revert("storage: key '" + key + "': " + error);
  return out;
}

}  // namespace ward::storage
