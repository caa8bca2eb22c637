// ward/util/decimal.h — strict decimal parsing of unsigned 64-bit integers,
// shared by every place that reads a u64 from text (genesis files, JSON-RPC
// params given as decimal strings): digits only, no sign, no leading zero,
// no overflow.
// Thread-safety: pure function.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ward {

/// The value of `text` when it is a canonical decimal u64 ("0", "42",
/// "18446744073709551615"); nullopt for anything else ("", "-1", "01",
/// "1e3", "0x10", 2^64).
inline std::optional<uint64_t> parse_u64_decimal(std::string_view text) {
  if (text.empty() || text.size() > 20 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return v;
}

}  // namespace ward
