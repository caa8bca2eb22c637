/* bench/kernels/kernel.h — shared by the benchmark kernels. Each kernel is
 * freestanding C (no libc) compiled twice with the same flags: natively into
 * the harness and to a wasm32 module. KERNEL_ENTRY(name) declares the entry
 * point: exported as "run" from the wasm module, `name_run` natively. The
 * entry takes one parameter (the kernel's input size) and returns a checksum
 * that the harness compares between native and wasm runs. */
#ifndef WARD_BENCH_KERNEL_H
#define WARD_BENCH_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#if defined(__wasm__)
#define KERNEL_ENTRY(name) __attribute__((export_name("run"))) uint64_t name##_run(uint32_t n)
#define KERNEL_EXPORT(sym) __attribute__((export_name(sym)))

/* Compilers may lower aggregate initialisation and copies to these calls;
 * there is no libc, so the module brings its own. */
void* memset(void* d, int c, size_t n) {
  unsigned char* p = (unsigned char*)d;
  while (n--) *p++ = (unsigned char)c;
  return d;
}
void* memcpy(void* d, const void* s, size_t n) {
  unsigned char* p = (unsigned char*)d;
  const unsigned char* q = (const unsigned char*)s;
  while (n--) *p++ = *q++;
  return d;
}
#else
#define KERNEL_ENTRY(name) uint64_t name##_run(uint32_t n)
#define KERNEL_EXPORT(sym)
#endif

/* A small deterministic generator (xorshift32) for kernel inputs. */
static inline uint32_t kernel_rand(uint32_t* s) {
  uint32_t x = *s;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *s = x;
  return x;
}

#endif
