// ward/types.h — the byte types every layer of Ward shares: addresses and
// SHA-256 hashes, as raw bytes (hex only at the edges: CLI, JSON, RPC).
// A bottom-layer header: it includes only the standard library.
// Thread-safety: plain value types.
#pragma once

#include <array>
#include <cstdint>

namespace ward {

/// A 20-byte account or contract address (raw bytes; docs/tx-format.md).
using Address = std::array<uint8_t, 20>;
/// A 32-byte SHA-256 digest (raw bytes).
using Hash = std::array<uint8_t, 32>;

}  // namespace ward
