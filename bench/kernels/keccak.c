/* Keccak-f[1600] permutation, n times over one state. 64-bit integer work:
 * xors, rotates, and-nots over 25 lanes. */
#include "kernel.h"

static const uint64_t k_rc[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808Aull, 0x8000000080008000ull,
    0x000000000000808Bull, 0x0000000080000001ull, 0x8000000080008081ull, 0x8000000000008009ull,
    0x000000000000008Aull, 0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000Aull,
    0x000000008000808Bull, 0x800000000000008Bull, 0x8000000000008089ull, 0x8000000000008003ull,
    0x8000000000008002ull, 0x8000000000000080ull, 0x000000000000800Aull, 0x800000008000000Aull,
    0x8000000080008081ull, 0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull};
static const uint8_t k_rot[24] = {1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44};
static const uint8_t k_pi[24] = {10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1};

static uint64_t g_state[25];

static inline uint64_t rotl64(uint64_t x, unsigned r) { return (x << r) | (x >> ((64 - r) & 63)); }

static void keccak_f(uint64_t st[25]) {
  uint64_t bc[5];
  for (int round = 0; round < 24; ++round) {
    for (int i = 0; i < 5; ++i) bc[i] = st[i] ^ st[i + 5] ^ st[i + 10] ^ st[i + 15] ^ st[i + 20];
    for (int i = 0; i < 5; ++i) {
      const uint64_t t = bc[(i + 4) % 5] ^ rotl64(bc[(i + 1) % 5], 1);
      for (int j = 0; j < 25; j += 5) st[j + i] ^= t;
    }
    uint64_t t = st[1];
    for (int i = 0; i < 24; ++i) {
      const int j = k_pi[i];
      const uint64_t tmp = st[j];
      st[j] = rotl64(t, k_rot[i]);
      t = tmp;
    }
    for (int j = 0; j < 25; j += 5) {
      for (int i = 0; i < 5; ++i) bc[i] = st[j + i];
      for (int i = 0; i < 5; ++i) st[j + i] ^= (~bc[(i + 1) % 5]) & bc[(i + 2) % 5];
    }
    st[0] ^= k_rc[round];
  }
}

/* First lane after one permutation of the zero state: 0xF1258F7940E1DDE7. */
KERNEL_EXPORT("check") uint64_t keccak_check(void) {
  for (int i = 0; i < 25; ++i) g_state[i] = 0;
  keccak_f(g_state);
  return g_state[0];
}

KERNEL_ENTRY(keccak) {
  for (int i = 0; i < 25; ++i) g_state[i] = (uint64_t)i * 0x9E3779B97F4A7C15ull;
  for (uint32_t r = 0; r < n; ++r) keccak_f(g_state);
  uint64_t x = 0;
  for (int i = 0; i < 25; ++i) x ^= g_state[i];
  return x;
}
