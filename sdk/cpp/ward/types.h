// ward/types.h — the value types of contract parameters besides integers,
// bool and std::string: byte strings, 32-byte object ids and hashes, and the
// typed success-or-error result of a method.
// Header-only, no host imports: also usable (and tested) outside wasm.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ward {

/// A byte string; in JSON "0x" followed by an even number of hex digits.
using Bytes = std::vector<uint8_t>;

namespace detail {

inline int hex_nibble(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// "0x" + lowercase hex of `n` bytes.
inline std::string to_hex(const uint8_t* data, size_t n) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string out(2 + 2 * n, '0');
  out[1] = 'x';
  for (size_t i = 0; i < n; ++i) {
    out[2 + 2 * i] = k_digits[data[i] >> 4];
    out[3 + 2 * i] = k_digits[data[i] & 0xf];
  }
  return out;
}

/// Decodes "0x" + hex digits (either case) into `out`; false on other text.
inline bool from_hex(std::string_view text, Bytes& out) {
  if (text.size() < 2 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X') || text.size() % 2 != 0) return false;
  out.resize((text.size() - 2) / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = hex_nibble(text[2 + 2 * i]);
    int lo = hex_nibble(text[3 + 2 * i]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return true;
}

}  // namespace detail

/// "0x" + lowercase hex of a byte string.
inline std::string to_hex(const Bytes& b) { return detail::to_hex(b.data(), b.size()); }

/// Parses "0x" + an even number of hex digits; empty on any other text.
inline std::optional<Bytes> bytes_from_hex(std::string_view text) {
  Bytes out;
  if (!detail::from_hex(text, out)) return std::nullopt;
  return out;
}

/// The bytes of a string view.
inline Bytes to_bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

/// The id of an object: 32 bytes; in JSON "0x" + 64 hex digits.
struct ObjectId {
  std::array<uint8_t, 32> bytes{};  ///< the raw id

  /// "0x" + 64 lowercase hex digits.
  std::string to_hex() const { return detail::to_hex(bytes.data(), bytes.size()); }
  /// The raw bytes as a string view.
  std::string_view raw() const noexcept { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }
  /// Parses "0x" + 64 hex digits; empty on any other text.
  static std::optional<ObjectId> from_hex(std::string_view text) {
    Bytes b;
    if (text.size() != 66 || !detail::from_hex(text, b)) return std::nullopt;
    ObjectId id;
    for (size_t i = 0; i < 32; ++i) id.bytes[i] = b[i];
    return id;
  }
  friend bool operator==(const ObjectId&, const ObjectId&) = default;
};

/// A 32-byte digest (sha256, keccak256); in JSON "0x" + 64 hex digits.
struct Hash {
  std::array<uint8_t, 32> bytes{};  ///< the raw digest

  /// "0x" + 64 lowercase hex digits.
  std::string to_hex() const { return detail::to_hex(bytes.data(), bytes.size()); }
  /// The raw bytes as a string view.
  std::string_view raw() const noexcept { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }
  /// Parses "0x" + 64 hex digits; empty on any other text.
  static std::optional<Hash> from_hex(std::string_view text) {
    Bytes b;
    if (text.size() != 66 || !detail::from_hex(text, b)) return std::nullopt;
    Hash h;
    for (size_t i = 0; i < 32; ++i) h.bytes[i] = b[i];
    return h;
  }
  friend bool operator==(const Hash&, const Hash&) = default;
};

/// The failure of a method: its message becomes the revert reason.
struct Error {
  std::string message;  ///< e.g. "insufficient balance"
  /// An error with the given message.
  explicit Error(std::string m) : message(std::move(m)) {}
};

/// A value or an Error. A method returning Result<T> ends `ok` with the
/// value as its JSON result, or `reverted` with the error's message:
/// `if (low) return ward::Error("insufficient balance"); return amount;`.
template <class T>
class Result {
 public:
  /// A success.
  Result(T value) : m_value(std::move(value)) {}  // NOLINT: implicit on purpose
  /// A failure.
  Result(Error error) : m_error(std::move(error.message)), m_failed(true) {}  // NOLINT
  /// True on success.
  bool ok() const noexcept { return !m_failed; }
  /// True on success.
  explicit operator bool() const noexcept { return ok(); }
  /// The value (default-constructed on failure).
  const T& value() const& noexcept { return m_value; }
  /// The value, moved out.
  T&& value() && noexcept { return std::move(m_value); }
  /// The value.
  const T& operator*() const noexcept { return m_value; }
  /// Member access to the value.
  const T* operator->() const noexcept { return &m_value; }
  /// The error message (empty on success).
  const std::string& error() const noexcept { return m_error; }

 private:
  T m_value{};
  std::string m_error;
  bool m_failed = false;
};

/// Success without a value, or an Error.
template <>
class Result<void> {
 public:
  /// A success.
  Result() = default;
  /// A failure.
  Result(Error error) : m_error(std::move(error.message)), m_failed(true) {}  // NOLINT
  /// True on success.
  bool ok() const noexcept { return !m_failed; }
  /// True on success.
  explicit operator bool() const noexcept { return ok(); }
  /// The error message (empty on success).
  const std::string& error() const noexcept { return m_error; }

 private:
  std::string m_error;
  bool m_failed = false;
};

/// A successful Result<void>.
inline Result<void> ok() { return {}; }

}  // namespace ward
