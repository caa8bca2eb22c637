// ward/runtime/memory.cpp — linear memory: one address-space reservation for
// the maximum size, committed page by page as the memory grows, so data()
// never moves.
#include <sys/mman.h>

#include <cstring>

#include "runtime/objects.h"

namespace ward::runtime {

std::shared_ptr<Memory> Memory::create(uint32_t initial_pages, uint32_t max_pages) {
  if (initial_pages > max_pages) return nullptr;
  // Reserve at least one page so data() is never null, even for max 0.
  uint64_t reserve_pages = max_pages == 0 ? 1 : max_pages;
  uint64_t reserve = reserve_pages * wasm::kPageSize;
  void* p = ::mmap(nullptr, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  uint64_t commit = uint64_t{initial_pages} * wasm::kPageSize;
  if (commit > 0 && ::mprotect(p, commit, PROT_READ | PROT_WRITE) != 0) {
    ::munmap(p, reserve);
    return nullptr;
  }
  std::shared_ptr<Memory> m(new Memory());
  m->m_data = static_cast<uint8_t*>(p);
  m->m_reserved = reserve;
  m->m_pages = initial_pages;
  m->m_max_pages = max_pages;
  return m;
}

Memory::~Memory() {
  if (m_data != nullptr) ::munmap(m_data, m_reserved);
}

int64_t Memory::grow(uint32_t delta_pages) noexcept {
  uint32_t old = m_pages;
  if (delta_pages == 0) return old;
  if (uint64_t{old} + delta_pages > m_max_pages) return -1;
  uint64_t old_bytes = uint64_t{old} * wasm::kPageSize;
  uint64_t add = uint64_t{delta_pages} * wasm::kPageSize;
  // Fresh anonymous pages read as zero: they were never writable before.
  if (::mprotect(m_data + old_bytes, add, PROT_READ | PROT_WRITE) != 0) return -1;
  m_pages = old + delta_pages;
  return old;
}

}  // namespace ward::runtime
