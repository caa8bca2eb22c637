/* Dense f64 matrix multiply C = A * B of DIM x DIM matrices, n times (A
 * perturbed by C between rounds so no round can be skipped). Float work:
 * f64 loads, multiplies and adds in a tight inner loop. */
#include "kernel.h"

#define DIM 64
static double g_a[DIM * DIM], g_b[DIM * DIM], g_c[DIM * DIM];

static void multiply(void) {
  for (int i = 0; i < DIM; ++i) {
    for (int j = 0; j < DIM; ++j) {
      double s = 0.0;
      for (int k = 0; k < DIM; ++k) s += g_a[i * DIM + k] * g_b[k * DIM + j];
      g_c[i * DIM + j] = s;
    }
  }
}

KERNEL_ENTRY(matmul) {
  uint32_t seed = 0xC0FFEEu;
  for (int i = 0; i < DIM * DIM; ++i) {
    g_a[i] = (double)(kernel_rand(&seed) % 2001) / 1000.0 - 1.0;
    g_b[i] = (double)(kernel_rand(&seed) % 2001) / 1000.0 - 1.0;
  }
  for (uint32_t r = 0; r < n; ++r) {
    multiply();
    for (int i = 0; i < DIM * DIM; i += 7) g_a[i] = g_a[i] * 0.5 + g_c[i] * 1e-3;
  }
  double s = 0.0;
  for (int i = 0; i < DIM * DIM; ++i) s += g_c[i] * (double)(i % 13 + 1);
  union {
    double d;
    uint64_t u;
  } bits;
  bits.d = s;
  return bits.u;
}
