// ward/collections.h — typed collections over the contract's key space:
// ward::Map<K, V>, a map kept under one storage prefix.
//
// Layout (docs/host-abi.md, "Typed collections in the C++ SDK"): the entry
// for key k lives at storage key "<name>/" + KeyCodec<K>::encode(k), and its
// value is the JSON text of abi::to_json(v) — the same codec as arguments
// and results, so a value reads back exactly as a view method would return
// it. Keys encode so that byte order is key order for unsigned integers
// (8 bytes big-endian) and stays readable for addresses and ids (0x hex).
// Iteration opens one host iterator and closes it when the loop ends.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include "ward/address.h"
#include "ward/codec.h"
#include "ward/contract.h"
#include "ward/storage.h"
#include "ward/types.h"

namespace ward {

/// How a map key becomes storage-key bytes and back. Specialised for
/// std::string (the bytes themselves), unsigned integers (8 bytes
/// big-endian: ascending iteration is numeric order), Address, ObjectId and
/// Hash (0x hex, as storage::key writes addresses).
template <class K, class Enable = void>
struct KeyCodec;

template <>
struct KeyCodec<std::string> {
  static std::string encode(const std::string& k) { return k; }
  static bool decode(std::string_view bytes, std::string& out) {
    out.assign(bytes);
    return true;
  }
};

template <class K>
struct KeyCodec<K, std::enable_if_t<std::is_integral_v<K> && std::is_unsigned_v<K> && !std::is_same_v<K, bool>>> {
  static std::string encode(K k) {
    std::string out(8, '\0');
    uint64_t v = k;
    for (int i = 7; i >= 0; --i, v >>= 8) out[static_cast<size_t>(i)] = static_cast<char>(v & 0xff);
    return out;
  }
  static bool decode(std::string_view bytes, K& out) {
    if (bytes.size() != 8) return false;
    uint64_t v = 0;
    for (char c : bytes) v = v << 8 | static_cast<unsigned char>(c);
    if (v > static_cast<uint64_t>(std::numeric_limits<K>::max())) return false;
    out = static_cast<K>(v);
    return true;
  }
};

template <>
struct KeyCodec<Address> {
  static std::string encode(const Address& a) { return a.to_hex(); }
  static bool decode(std::string_view bytes, Address& out) {
    auto a = Address::from_hex(bytes);
    if (!a) return false;
    out = *a;
    return true;
  }
};

template <class K>
struct KeyCodec<K, std::enable_if_t<std::is_same_v<K, ObjectId> || std::is_same_v<K, Hash>>> {
  static std::string encode(const K& id) { return id.to_hex(); }
  static bool decode(std::string_view bytes, K& out) {
    auto b = bytes_from_hex(bytes);
    if (!b || b->size() != out.bytes.size()) return false;
    for (size_t i = 0; i < out.bytes.size(); ++i) out.bytes[i] = (*b)[i];
    return true;
  }
};

/// A typed map from K to V under the storage prefix "<name>/". Cheap to
/// construct (it holds only the prefix); every operation reads or writes
/// storage directly, so two Map objects with one name see the same entries.
/// Writes revert in a view method like storage::put does.
///
///   ward::Map<ward::Address, uint64_t> balances("balances");
///   balances.set(to, balances.get_or(to, 0) + amount);
///   for (const auto& [owner, amount] : balances.entries()) { ... }
template <class K, class V>
class Map {
 public:
  /// A map under "<name>/"; `name` must not be empty and should not be a
  /// prefix of another collection's name followed by '/'.
  explicit Map(std::string_view name) : m_prefix(std::string(name) + "/") {
    if (name.empty()) revert("ward::Map: empty name");
  }

  /// The storage key of `k`.
  std::string storage_key(const K& k) const { return m_prefix + KeyCodec<K>::encode(k); }

  /// The value at `k`, or empty; reverts when the stored bytes do not decode
  /// as V.
  std::optional<V> get(const K& k) const {
    std::string key = storage_key(k);
    auto raw = storage::get(key);
    if (!raw) return std::nullopt;
    return storage::Entry{std::move(key), std::move(*raw)}.template value_as<V>();
  }
  /// The value at `k`, or `fallback` when absent.
  V get_or(const K& k, V fallback) const {
    auto v = get(k);
    return v ? std::move(*v) : std::move(fallback);
  }
  /// True when `k` has a value.
  bool contains(const K& k) const { return storage::has(storage_key(k)); }
  /// Stores `v` at `k`.
  void set(const K& k, const V& v) { storage::put(storage_key(k), abi::to_json(v)); }
  /// Removes `k` (no effect when absent).
  void remove(const K& k) { storage::del(storage_key(k)); }

  /// One decoded entry of an iteration.
  struct Item {
    K key;    ///< the decoded key
    V value;  ///< the decoded value
  };

  /// An iteration over the entries in ascending storage-key order, holding
  /// one host iterator until it is destroyed or closed. Move-only.
  class Cursor {
   public:
    explicit Cursor(storage::Iterator it, size_t strip) : m_it(std::move(it)), m_strip(strip) {}
    /// Moves to the next entry; false at the end. Reverts on an entry whose
    /// key or value does not decode.
    bool next() {
      if (!m_it.next()) return false;
      const storage::Entry& e = m_it.entry();
      std::string_view kbytes = std::string_view(e.key).substr(m_strip);
      if (!KeyCodec<K>::decode(kbytes, m_item.key)) revert("ward::Map: key '" + e.key + "' does not decode");
      m_item.value = e.template value_as<V>();
      return true;
    }
    /// The current entry (after next() returned true).
    const Item& item() const noexcept { return m_item; }
    /// Closes the host iterator now.
    void close() { m_it.close(); }

    /// Range-for support.
    class Step {
     public:
      explicit Step(Cursor* c) : m_c(c) {}
      const Item& operator*() const { return m_c->item(); }
      Step& operator++() {
        if (!m_c->next()) m_c = nullptr;
        return *this;
      }
      bool operator!=(const Step& other) const { return m_c != other.m_c; }

     private:
      Cursor* m_c;
    };
    Step begin() { return next() ? Step(this) : Step(nullptr); }  ///< the first entry
    Step end() { return Step(nullptr); }                            ///< past the last entry

   private:
    storage::Iterator m_it;
    size_t m_strip;
    Item m_item{};
  };

  /// Every entry, in ascending storage-key order.
  Cursor entries() const { return Cursor(storage::prefix(m_prefix), m_prefix.size()); }
  /// The entries with keys from `from` (inclusive) on.
  Cursor entries_from(const K& from) const {
    // "<name>/" ends with '/', so "<name>0" is the first key past the map.
    std::string end = m_prefix.substr(0, m_prefix.size() - 1) + "0";
    return Cursor(storage::range(storage_key(from), end), m_prefix.size());
  }

 private:
  std::string m_prefix;
};

}  // namespace ward
