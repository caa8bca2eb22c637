/* Naive doubly recursive Fibonacci: call overhead dominates. */
#include "kernel.h"

static __attribute__((noinline)) uint32_t fib(uint32_t k) { return k < 2 ? k : fib(k - 1) + fib(k - 2); }

KERNEL_ENTRY(fib) { return fib(n); }
