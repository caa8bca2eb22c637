/* 1024-bit modular exponentiation (Montgomery multiplication, CIOS, 32-bit
 * limbs, square and multiply over every exponent bit), n times with the
 * result fed back as the next base. 32x32->64-bit multiplies and carries. */
#include "kernel.h"

#define LIMBS 32
typedef uint32_t bignum[LIMBS];

static bignum g_mod, g_exp, g_base, g_r2;
static uint32_t g_minv; /* -mod^-1 mod 2^32 */

/* a >= b */
static int geq(const uint32_t* a, const uint32_t* b) {
  for (int i = LIMBS - 1; i >= 0; --i) {
    if (a[i] != b[i]) return a[i] > b[i];
  }
  return 1;
}

/* a -= b, returns the borrow. */
static uint32_t sub_in_place(uint32_t* a, const uint32_t* b) {
  uint64_t borrow = 0;
  for (int i = 0; i < LIMBS; ++i) {
    const uint64_t d = (uint64_t)a[i] - b[i] - borrow;
    a[i] = (uint32_t)d;
    borrow = (d >> 32) & 1;
  }
  return (uint32_t)borrow;
}

/* r = a * b * R^-1 mod m (r may alias a or b). */
static void mont_mul(uint32_t* r, const uint32_t* a, const uint32_t* b) {
  uint32_t t[LIMBS + 2];
  for (int i = 0; i < LIMBS + 2; ++i) t[i] = 0;
  for (int i = 0; i < LIMBS; ++i) {
    uint64_t carry = 0;
    const uint64_t bi = b[i];
    for (int j = 0; j < LIMBS; ++j) {
      const uint64_t s = (uint64_t)t[j] + (uint64_t)a[j] * bi + carry;
      t[j] = (uint32_t)s;
      carry = s >> 32;
    }
    uint64_t s = (uint64_t)t[LIMBS] + carry;
    t[LIMBS] = (uint32_t)s;
    t[LIMBS + 1] = (uint32_t)(s >> 32);
    const uint64_t q = (uint32_t)(t[0] * g_minv);
    s = (uint64_t)t[0] + q * g_mod[0];
    carry = s >> 32;
    for (int j = 1; j < LIMBS; ++j) {
      s = (uint64_t)t[j] + q * g_mod[j] + carry;
      t[j - 1] = (uint32_t)s;
      carry = s >> 32;
    }
    s = (uint64_t)t[LIMBS] + carry;
    t[LIMBS - 1] = (uint32_t)s;
    t[LIMBS] = t[LIMBS + 1] + (uint32_t)(s >> 32);
  }
  if (t[LIMBS] != 0 || geq(t, g_mod)) sub_in_place(t, g_mod);
  for (int i = 0; i < LIMBS; ++i) r[i] = t[i];
}

static void setup(void) {
  uint32_t seed = 0x5EED0001u;
  for (int i = 0; i < LIMBS; ++i) {
    g_mod[i] = kernel_rand(&seed);
    g_exp[i] = kernel_rand(&seed);
    g_base[i] = kernel_rand(&seed);
  }
  g_mod[0] |= 1u;
  g_mod[LIMBS - 1] |= 0x80000000u;
  g_base[LIMBS - 1] &= 0x7FFFFFFFu; /* base < mod */
  /* Newton iteration for mod^-1 mod 2^32. */
  uint32_t inv = g_mod[0];
  for (int i = 0; i < 5; ++i) inv *= 2u - g_mod[0] * inv;
  g_minv = 0u - inv;
  /* R^2 mod m by doubling 1 2*32*LIMBS times. */
  for (int i = 0; i < LIMBS; ++i) g_r2[i] = 0;
  g_r2[0] = 1;
  for (int k = 0; k < 2 * 32 * LIMBS; ++k) {
    uint32_t top = g_r2[LIMBS - 1] >> 31;
    for (int i = LIMBS - 1; i > 0; --i) g_r2[i] = (g_r2[i] << 1) | (g_r2[i - 1] >> 31);
    g_r2[0] <<= 1;
    if (top || geq(g_r2, g_mod)) sub_in_place(g_r2, g_mod);
  }
}

/* r = base^exp mod m */
static void mod_exp(uint32_t* r, const uint32_t* base) {
  bignum x, acc, one;
  for (int i = 0; i < LIMBS; ++i) one[i] = 0;
  one[0] = 1;
  mont_mul(x, base, g_r2);   /* x = base * R */
  mont_mul(acc, one, g_r2);  /* acc = R (one in Montgomery form) */
  for (int i = LIMBS * 32 - 1; i >= 0; --i) {
    mont_mul(acc, acc, acc);
    if ((g_exp[i / 32] >> (i % 32)) & 1u) mont_mul(acc, acc, x);
  }
  mont_mul(r, acc, one);
}

/* Low limb of 3^65537 mod the kernel's modulus, for cross-checking. */
KERNEL_EXPORT("check") uint32_t modexp_check(void) {
  setup();
  bignum b, r;
  for (int i = 0; i < LIMBS; ++i) b[i] = g_exp[i] = 0;
  b[0] = 3;
  g_exp[0] = 65537;
  mod_exp(r, b);
  return r[0];
}

KERNEL_ENTRY(modexp) {
  setup();
  bignum b;
  for (int i = 0; i < LIMBS; ++i) b[i] = g_base[i];
  for (uint32_t k = 0; k < n; ++k) mod_exp(b, b);
  uint64_t x = 0;
  for (int i = 0; i < LIMBS; ++i) x = x * 1000003u ^ b[i];
  return x;
}
