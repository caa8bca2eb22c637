// ward/host/keccak.h — Keccak-256 (the original Keccak padding, as Ethereum
// uses it) for the `keccak256` host function, on Ward's own Keccak-f[1600].
// SHA3-256 (FIPS 202 padding) shares the permutation and is exposed so tests
// can check it against other implementations.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

#include "state/layout.h"

namespace ward::host {

/// Keccak-256 of `data`: rate 136 bytes, domain byte 0x01.
state::Hash keccak256(std::span<const uint8_t> data);
/// SHA3-256 of `data` (FIPS 202): rate 136 bytes, domain byte 0x06.
state::Hash sha3_256(std::span<const uint8_t> data);

}  // namespace ward::host
