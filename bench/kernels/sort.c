/* Quicksort (median of three, insertion sort below 16 elements) of COUNT
 * pseudo-random 32-bit keys, n times. Branchy integer code, memory traffic,
 * recursion. */
#include "kernel.h"

#define COUNT 20000
static uint32_t g_keys[COUNT];

static void insertion_sort(uint32_t* a, int32_t lo, int32_t hi) {
  for (int32_t i = lo + 1; i <= hi; ++i) {
    const uint32_t v = a[i];
    int32_t j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      --j;
    }
    a[j + 1] = v;
  }
}

static inline void swap_keys(uint32_t* a, int32_t i, int32_t j) {
  const uint32_t t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static void quicksort(uint32_t* a, int32_t lo, int32_t hi) {
  while (hi - lo >= 16) {
    const int32_t mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap_keys(a, mid, lo);
    if (a[hi] < a[lo]) swap_keys(a, hi, lo);
    if (a[hi] < a[mid]) swap_keys(a, hi, mid);
    const uint32_t pivot = a[mid];
    int32_t i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) ++i;
      while (a[j] > pivot) --j;
      if (i <= j) {
        swap_keys(a, i, j);
        ++i;
        --j;
      }
    }
    /* Recurse into the smaller side, loop on the larger. */
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
  insertion_sort(a, lo, hi);
}

KERNEL_ENTRY(sort) {
  uint32_t seed = 0xBEEF1234u;
  uint64_t sum = 0;
  for (uint32_t r = 0; r < n; ++r) {
    for (int32_t i = 0; i < COUNT; ++i) g_keys[i] = kernel_rand(&seed);
    quicksort(g_keys, 0, COUNT - 1);
    for (int32_t i = 1; i < COUNT; ++i) {
      if (g_keys[i - 1] > g_keys[i]) return 0; /* not sorted */
    }
    sum = sum * 31 + g_keys[COUNT / 3] + g_keys[COUNT - 1];
  }
  return sum;
}
