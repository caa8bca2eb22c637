// ward/alloc.h — the contract's global operator new and delete, over
// wasi-libc's malloc. Included once per contract by the dispatch code that
// `ward build` generates (a replacement operator new must be defined in
// exactly one translation unit; do not include it yourself).
//
// Why: contracts are built with -fno-exceptions, and the wasm32 libc++
// then returns a null pointer when malloc fails, so an allocation past
// linear memory (Limits::max_memory_pages) surfaced later as an
// `out of bounds memory access` far from its cause. Here a failed
// allocation stops the call at once: it reverts with the reason
// `out of memory` (docs/host-abi.md, "Memory"), and nothing it wrote is kept.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>

#include "ward/host.h"

namespace ward::detail {
/// Reverts the call with "out of memory" without allocating.
[[noreturn]] inline void out_of_memory() noexcept {
  static constexpr char k_message[] = "out of memory";
  ward_v1_revert(k_message, static_cast<int32_t>(sizeof(k_message) - 1));
  __builtin_unreachable();
}

/// malloc of at least one byte, aligned to `align` (a power of two).
inline void* allocate(std::size_t n, std::size_t align) noexcept {
  if (n == 0) n = 1;
  if (align <= alignof(std::max_align_t)) return std::malloc(n);
  return std::aligned_alloc(align, (n + align - 1) / align * align);
}
}  // namespace ward::detail

void* operator new(std::size_t n) {
  void* p = ::ward::detail::allocate(n, 0);
  if (p == nullptr) ::ward::detail::out_of_memory();
  return p;
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void* operator new(std::size_t n, std::align_val_t a) {
  void* p = ::ward::detail::allocate(n, static_cast<std::size_t>(a));
  if (p == nullptr) ::ward::detail::out_of_memory();
  return p;
}
void* operator new[](std::size_t n, std::align_val_t a) { return ::operator new(n, a); }
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return ::ward::detail::allocate(n, 0); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return ::ward::detail::allocate(n, 0); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
