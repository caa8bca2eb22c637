// ward/address.h — a 20-byte account or contract address, and its JSON text
// form "0x" + 40 lowercase hex digits.
// Header-only, no host imports: also usable (and tested) outside wasm.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ward {

/// A 20-byte address, as written by the host's `sender`/`self_address`.
struct Address {
  /// The raw bytes.
  std::array<uint8_t, 20> bytes{};

  /// True when every byte is zero (the "no address" value).
  bool is_zero() const noexcept {
    for (uint8_t b : bytes) {
      if (b != 0) return false;
    }
    return true;
  }

  /// The raw bytes as a string view (for storage keys or values).
  std::string_view raw() const noexcept {
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
  }

  /// "0x" followed by 40 lowercase hex digits.
  std::string to_hex() const {
    static constexpr char k_digits[] = "0123456789abcdef";
    std::string out(42, '0');
    out[1] = 'x';
    for (size_t i = 0; i < bytes.size(); ++i) {
      out[2 + 2 * i] = k_digits[bytes[i] >> 4];
      out[3 + 2 * i] = k_digits[bytes[i] & 0xf];
    }
    return out;
  }

  /// Parses "0x" + 40 hex digits (either case). Empty on any other text.
  static std::optional<Address> from_hex(std::string_view text) noexcept {
    if (text.size() != 42 || text[0] != '0' || (text[1] != 'x' && text[1] != 'X')) return std::nullopt;
    Address a;
    for (size_t i = 0; i < a.bytes.size(); ++i) {
      int hi = hex_value(text[2 + 2 * i]);
      int lo = hex_value(text[3 + 2 * i]);
      if (hi < 0 || lo < 0) return std::nullopt;
      a.bytes[i] = static_cast<uint8_t>(hi << 4 | lo);
    }
    return a;
  }

  /// Builds an address from exactly 20 raw bytes; empty on another length.
  static std::optional<Address> from_raw(std::string_view raw_bytes) noexcept {
    if (raw_bytes.size() != 20) return std::nullopt;
    Address a;
    for (size_t i = 0; i < 20; ++i) a.bytes[i] = static_cast<uint8_t>(raw_bytes[i]);
    return a;
  }

  friend bool operator==(const Address&, const Address&) = default;

 private:
  static int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
};

}  // namespace ward
