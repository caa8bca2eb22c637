/* SHA-256 (FIPS 180-4) over a 16 KiB buffer, n times, each digest fed back
 * into the buffer. 32-bit integer work: rotates, adds, loads. */
#include "kernel.h"

static const uint32_t k_round[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define BUF_BYTES 16384
static uint8_t g_buf[BUF_BYTES];

static inline uint32_t rotr32(uint32_t x, int r) { return (x >> r) | (x << (32 - r)); }

static void compress(uint32_t h[8], const uint8_t* p) {
  uint32_t w[64];
  for (int i = 0; i < 16; ++i) {
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 | (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
  }
  for (int i = 16; i < 64; ++i) {
    const uint32_t s0 = rotr32(w[i - 15], 7) ^ rotr32(w[i - 15], 18) ^ (w[i - 15] >> 3);
    const uint32_t s1 = rotr32(w[i - 2], 17) ^ rotr32(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
  for (int i = 0; i < 64; ++i) {
    const uint32_t t1 = hh + (rotr32(e, 6) ^ rotr32(e, 11) ^ rotr32(e, 25)) + ((e & f) ^ (~e & g)) + k_round[i] + w[i];
    const uint32_t t2 = (rotr32(a, 2) ^ rotr32(a, 13) ^ rotr32(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
    hh = g;
    g = f;
    f = e;
    e = d + t1;
    d = c;
    c = b;
    b = a;
    a = t1 + t2;
  }
  h[0] += a; h[1] += b; h[2] += c; h[3] += d;
  h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

/* Digest of msg[0..len) into out (big-endian words in h). */
static void sha256(const uint8_t* msg, uint32_t len, uint32_t h[8]) {
  h[0] = 0x6a09e667; h[1] = 0xbb67ae85; h[2] = 0x3c6ef372; h[3] = 0xa54ff53a;
  h[4] = 0x510e527f; h[5] = 0x9b05688c; h[6] = 0x1f83d9ab; h[7] = 0x5be0cd19;
  uint32_t off = 0;
  for (; off + 64 <= len; off += 64) compress(h, msg + off);
  uint8_t last[128];
  uint32_t rest = len - off, total = rest + 9 <= 64 ? 64 : 128;
  for (uint32_t i = 0; i < total; ++i) last[i] = 0;
  for (uint32_t i = 0; i < rest; ++i) last[i] = msg[off + i];
  last[rest] = 0x80;
  const uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; ++i) last[total - 1 - i] = (uint8_t)(bits >> (8 * i));
  for (uint32_t o = 0; o < total; o += 64) compress(h, last + o);
}

/* Digest of "abc"; its first word is 0xba7816bf. */
KERNEL_EXPORT("check") uint32_t sha256_check(void) {
  static const uint8_t abc[3] = {'a', 'b', 'c'};
  uint32_t h[8];
  sha256(abc, 3, h);
  return h[0];
}

KERNEL_ENTRY(sha256) {
  uint32_t seed = 0x12345678u;
  for (uint32_t i = 0; i < BUF_BYTES; ++i) g_buf[i] = (uint8_t)kernel_rand(&seed);
  uint32_t h[8] = {0};
  for (uint32_t r = 0; r < n; ++r) {
    sha256(g_buf, BUF_BYTES, h);
    for (int i = 0; i < 8; ++i) {
      g_buf[4 * i] ^= (uint8_t)(h[i] >> 24);
      g_buf[4 * i + 1] ^= (uint8_t)(h[i] >> 16);
    }
  }
  return (uint64_t)h[0] << 32 | h[7];
}
