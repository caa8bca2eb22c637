// ward/host/keccak.cpp — Keccak-f[1600] and the 256-bit sponge
// (FIPS 202 section 3; the Keccak reference, "The Keccak SHA-3 submission").
// The rotation offsets and round constants are derived from their defining
// rules (a walk over the lanes, an LFSR) at compile time.
#include "host/keccak.h"

#include <array>
#include <cstring>

namespace ward::host {
namespace {

constexpr int kRounds = 24;
constexpr size_t kRate = 136;  // bytes: 1600 - 2 * 256 bits

constexpr uint64_t rotl(uint64_t v, unsigned n) { return n == 0 ? v : (v << n) | (v >> (64 - n)); }

/// rc(t) of FIPS 202 algorithm 5: output bit of an LFSR.
constexpr bool round_bit(unsigned t) {
  if (t % 255 == 0) return true;
  unsigned r = 1;  // bit i is R[i]
  for (unsigned i = 1; i <= t % 255; ++i) {
    r <<= 1;
    unsigned r8 = (r >> 8) & 1;
    r ^= r8 | r8 << 4 | r8 << 5 | r8 << 6;
    r &= 0xff;
  }
  return r & 1;
}

/// Round constants: bit 2^j - 1 of RC[i] is rc(j + 7i).
constexpr std::array<uint64_t, kRounds> make_round_constants() {
  std::array<uint64_t, kRounds> rc{};
  for (int i = 0; i < kRounds; ++i) {
    for (unsigned j = 0; j <= 6; ++j) {
      if (round_bit(j + 7 * i)) rc[i] |= uint64_t{1} << ((1u << j) - 1);
    }
  }
  return rc;
}

/// Rotation offsets r[x + 5y]: starting at (1, 0), lane t gets
/// (t+1)(t+2)/2 mod 64, then (x, y) <- (y, 2x + 3y mod 5).
constexpr std::array<unsigned, 25> make_rotations() {
  std::array<unsigned, 25> r{};
  unsigned x = 1, y = 0;
  for (unsigned t = 0; t < 24; ++t) {
    r[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
    unsigned nx = y, ny = (2 * x + 3 * y) % 5;
    x = nx;
    y = ny;
  }
  return r;
}

constexpr auto kRoundConstants = make_round_constants();
constexpr auto kRotations = make_rotations();
static_assert(kRoundConstants[0] == 0x0000000000000001ull && kRoundConstants[1] == 0x0000000000008082ull &&
              kRoundConstants[23] == 0x8000000080008008ull);
static_assert(kRotations[1] == 1 && kRotations[2] == 62 && kRotations[24] == 14);

void keccak_f(std::array<uint64_t, 25>& a) {
  for (int round = 0; round < kRounds; ++round) {
    // theta
    uint64_t c[5], d[5];
    for (int x = 0; x < 5; ++x) c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
    for (int x = 0; x < 5; ++x) d[x] = c[(x + 4) % 5] ^ rotl(c[(x + 1) % 5], 1);
    for (int i = 0; i < 25; ++i) a[i] ^= d[i % 5];
    // rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y])
    std::array<uint64_t, 25> b;
    for (int x = 0; x < 5; ++x) {
      for (int y = 0; y < 5; ++y) b[y + 5 * ((2 * x + 3 * y) % 5)] = rotl(a[x + 5 * y], kRotations[x + 5 * y]);
    }
    // chi
    for (int y = 0; y < 5; ++y) {
      for (int x = 0; x < 5; ++x) a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] & b[(x + 2) % 5 + 5 * y]);
    }
    // iota
    a[0] ^= kRoundConstants[round];
  }
}

void absorb_block(std::array<uint64_t, 25>& a, const uint8_t* block) {
  for (size_t i = 0; i < kRate / 8; ++i) {
    uint64_t lane = 0;
    for (int k = 7; k >= 0; --k) lane = lane << 8 | block[i * 8 + k];
    a[i] ^= lane;
  }
  keccak_f(a);
}

state::Hash sponge256(std::span<const uint8_t> data, uint8_t domain) {
  std::array<uint64_t, 25> a{};
  size_t full = data.size() / kRate * kRate;
  for (size_t off = 0; off < full; off += kRate) absorb_block(a, data.data() + off);
  uint8_t last[kRate] = {};
  size_t rest = data.size() - full;
  if (rest != 0) std::memcpy(last, data.data() + full, rest);
  last[rest] ^= domain;
  last[kRate - 1] ^= 0x80;
  absorb_block(a, last);
  state::Hash out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<uint8_t>(a[i / 8] >> (8 * (i % 8)));
  return out;
}

}  // namespace

state::Hash keccak256(std::span<const uint8_t> data) { return sponge256(data, 0x01); }
state::Hash sha3_256(std::span<const uint8_t> data) { return sponge256(data, 0x06); }

}  // namespace ward::host
