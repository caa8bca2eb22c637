// ward/interp/machine.cpp — value and frame stacks of running calls. One
// mapping holds both; released mappings are kept in a small per-thread pool
// so that instantiating, calling and dropping an instance does not map,
// fault in and unmap a fresh stack every time.
#include <sys/mman.h>

#include <vector>

#include "interp/interp.h"

namespace ward::interp::detail {
namespace {

/// Mappings kept per thread. Pages a deep call touched stay resident while
/// pooled, so the pool is small and trims what lies past kKeepBytes.
constexpr size_t kPoolSize = 2;
constexpr size_t kKeepBytes = size_t{1} << 20;

struct Block {
  void* base = nullptr;
  size_t bytes = 0;
};

struct Pool {
  std::vector<Block> free;
  ~Pool() {
    for (const Block& b : free) ::munmap(b.base, b.bytes);
  }
};

Pool& pool() noexcept {
  thread_local Pool p;
  return p;
}

size_t page_round(size_t n) noexcept { return (n + 4095) & ~size_t{4095}; }

}  // namespace

Machine::~Machine() {
  if (stack == nullptr) return;
  Pool& p = pool();
  if (p.free.size() < kPoolSize) {
    // Drop what a deep call touched beyond the first kKeepBytes of the value
    // stack; the frames (at the end of the mapping) are small and stay.
    if (m_stack_bytes > kKeepBytes) ::madvise(reinterpret_cast<uint8_t*>(stack) + kKeepBytes,
                                              m_stack_bytes - kKeepBytes, MADV_DONTNEED);
    p.free.push_back(Block{stack, m_bytes});
    return;
  }
  ::munmap(stack, m_bytes);
}

bool Machine::ensure(const runtime::Limits& limits) noexcept {
  if (stack != nullptr) return true;
  const size_t stack_bytes = page_round(limits.max_stack_slots * sizeof(uint64_t));
  const size_t frames_bytes = page_round((uint64_t{limits.max_call_depth} + 2) * sizeof(Frame));
  const size_t bytes = stack_bytes + frames_bytes;
  void* base = nullptr;
  Pool& p = pool();
  for (size_t i = 0; i < p.free.size(); ++i) {
    if (p.free[i].bytes == bytes) {
      base = p.free[i].base;
      p.free.erase(p.free.begin() + static_cast<std::ptrdiff_t>(i));
      break;
    }
  }
  if (base == nullptr) {
    base = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) return false;
  }
  m_stack_bytes = stack_bytes;
  m_bytes = bytes;
  stack = static_cast<uint64_t*>(base);
  stack_end = stack + limits.max_stack_slots;
  frames = reinterpret_cast<Frame*>(static_cast<uint8_t*>(base) + stack_bytes);
  return true;
}

}  // namespace ward::interp::detail
