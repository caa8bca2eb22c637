// ward/runtime/memory.cpp — linear memory: one address-space reservation for
// the maximum size (or, guarded, for every address compiled code can form),
// committed page by page as the memory grows, so data() never moves.
#include <sys/mman.h>

#include <atomic>
#include <cstring>
#include <mutex>
#include <vector>

#include "runtime/objects.h"

namespace ward::runtime {
namespace {

/// The bases of guarded reservations, read by fault handlers: a fixed array
/// of atomic slots (0 = free) so that a lookup takes no lock. 16384 slots of
/// 8 GiB each span 128 TiB, the whole user address space of x86-64.
constexpr size_t kMaxGuarded = 16384;
std::atomic<uintptr_t> g_guard_base[kMaxGuarded];
std::atomic<size_t> g_guard_high{0};  ///< slots in use lie below this
std::mutex g_guard_mu;                ///< serialises writers

bool register_guard(const uint8_t* p) {
  std::lock_guard<std::mutex> lock(g_guard_mu);
  const size_t high = g_guard_high.load(std::memory_order_relaxed);
  for (size_t i = 0; i < kMaxGuarded; ++i) {
    if (g_guard_base[i].load(std::memory_order_relaxed) != 0) continue;
    g_guard_base[i].store(reinterpret_cast<uintptr_t>(p), std::memory_order_release);
    if (i >= high) g_guard_high.store(i + 1, std::memory_order_release);
    return true;
  }
  return false;
}

void unregister_guard(const uint8_t* p) {
  std::lock_guard<std::mutex> lock(g_guard_mu);
  const size_t high = g_guard_high.load(std::memory_order_relaxed);
  for (size_t i = 0; i < high; ++i) {
    if (g_guard_base[i].load(std::memory_order_relaxed) == reinterpret_cast<uintptr_t>(p)) {
      g_guard_base[i].store(0, std::memory_order_release);
      return;
    }
  }
}

/// Unmaps a reservation (and forgets it as a guarded one).
void release(uint8_t* data, uint64_t reserved) {
  if (reserved == kGuardReservationBytes) unregister_guard(data);
  ::munmap(data, reserved);
}

/// A released reservation kept for reuse: creating and tearing down an
/// instance is dominated by mmap/munmap and first-touch page faults, so a
/// small per-thread pool keeps recently used reservations with their pages
/// committed, and zeroes them when they are handed out again.
struct Reservation {
  uint8_t* data = nullptr;
  uint64_t reserved = 0;   ///< bytes reserved
  uint64_t committed = 0;  ///< bytes readable and writable (possibly dirty)
};

/// Reservations with more committed bytes than this are unmapped instead.
constexpr uint64_t kPoolMaxCommittedBytes = 1u << 20;
constexpr size_t kPoolMaxEntries = 4;

/// False once this thread's pool is destroyed (memories released later, e.g.
/// by static destructors, are unmapped directly). Trivially destructible.
thread_local bool t_pool_alive = false;

struct ReservationPool {
  std::vector<Reservation> items;
  ReservationPool() { t_pool_alive = true; }
  ~ReservationPool() {
    t_pool_alive = false;
    for (const Reservation& r : items) release(r.data, r.reserved);
  }
};

thread_local ReservationPool t_pool;

/// Takes a pooled reservation of exactly `reserve` bytes and makes its first
/// `commit` bytes zero and writable, the rest inaccessible. False when none fits.
bool take_pooled(uint64_t reserve, uint64_t commit, uint8_t*& data) {
  auto& items = t_pool.items;
  for (size_t i = items.size(); i-- > 0;) {
    Reservation r = items[i];
    if (r.reserved != reserve) continue;
    items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
    if (r.committed > commit) {
      // Give back what the new memory must not see; it reads as zero if grown into.
      ::madvise(r.data + commit, r.committed - commit, MADV_DONTNEED);
      if (::mprotect(r.data + commit, r.committed - commit, PROT_NONE) != 0) {
        release(r.data, r.reserved);
        return false;
      }
      r.committed = commit;
    }
    std::memset(r.data, 0, r.committed);
    if (commit > r.committed && ::mprotect(r.data + r.committed, commit - r.committed, PROT_READ | PROT_WRITE) != 0) {
      release(r.data, r.reserved);
      return false;
    }
    data = r.data;
    return true;
  }
  return false;
}

}  // namespace

bool in_guard_reservation(const void* addr) noexcept {
  const uintptr_t a = reinterpret_cast<uintptr_t>(addr);
  const size_t high = g_guard_high.load(std::memory_order_acquire);
  for (size_t i = 0; i < high && i < kMaxGuarded; ++i) {
    const uintptr_t b = g_guard_base[i].load(std::memory_order_acquire);
    if (b != 0 && a >= b && a - b < kGuardReservationBytes) return true;
  }
  return false;
}

std::shared_ptr<Memory> Memory::create(uint32_t initial_pages, uint32_t max_pages, bool guarded) {
  if (initial_pages > max_pages) return nullptr;
  // Reserve at least one page so data() is never null, even for max 0.
  uint64_t reserve_pages = max_pages == 0 ? 1 : max_pages;
  uint64_t reserve = guarded ? kGuardReservationBytes : reserve_pages * wasm::kPageSize;
  uint64_t commit = uint64_t{initial_pages} * wasm::kPageSize;
  uint8_t* pooled = nullptr;
  if (take_pooled(reserve, commit, pooled)) {
    std::shared_ptr<Memory> m(new Memory());
    m->m_data = pooled;
    m->m_reserved = reserve;
    m->m_pages = initial_pages;
    m->m_max_pages = max_pages;
    return m;
  }
  void* p = ::mmap(nullptr, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED && t_pool_alive && !t_pool.items.empty()) {
    // Out of address space (RLIMIT_AS): give back the pooled reservations
    // (guarded ones hold 8 GiB each) and try once more.
    for (const Reservation& r : t_pool.items) release(r.data, r.reserved);
    t_pool.items.clear();
    p = ::mmap(nullptr, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  }
  if (p == MAP_FAILED) return nullptr;
  if (guarded && !register_guard(static_cast<uint8_t*>(p))) {
    ::munmap(p, reserve);
    return nullptr;
  }
  if (commit > 0 && ::mprotect(p, commit, PROT_READ | PROT_WRITE) != 0) {
    release(static_cast<uint8_t*>(p), reserve);
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
  if (m_data == nullptr) return;
  const uint64_t committed = size_bytes();
  if (t_pool_alive && committed <= kPoolMaxCommittedBytes && t_pool.items.size() < kPoolMaxEntries) {
    t_pool.items.push_back({m_data, m_reserved, committed});
    return;
  }
  release(m_data, m_reserved);
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
