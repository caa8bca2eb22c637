// ward/runtime/objects.h — run-time objects shared between instances: linear
// memories, tables, globals and function instances (spec 4.2). An object
// exported by one instance and imported by another is the same object.
// Thread-safety: none; an object belongs to one executing thread at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "runtime/trap.h"
#include "runtime/value.h"
#include "wasm/types.h"

namespace ward::runtime {

class Instance;
struct ExecContext;
struct HostCall;

/// Interns function types: equal types get equal ids, process-wide, so
/// call_indirect compares one integer. Thread-safe (takes a lock).
uint32_t canonical_type_id(const wasm::FuncType& type);

/// A host function: reads args (as many as the type's params), writes
/// results, returns TrapKind::None on success or a trap that stops the call.
using HostFn = TrapKind (*)(HostCall& call, const Value* args, Value* results);

/// A function instance (spec 4.2.6): either a wasm function of some instance
/// or a host function. Referenced by FuncInst* from tables and funcref values.
struct FuncInst {
  wasm::FuncType type;
  uint32_t type_id = 0;          ///< canonical_type_id(type)
  Instance* instance = nullptr;  ///< wasm function: owning instance
  uint32_t index = 0;            ///< wasm function: index in its module's function space
  HostFn host = nullptr;         ///< host function: the callback
  void* host_data = nullptr;     ///< host function: callback's own data
  std::string name;              ///< "module.field" for host functions (messages)
};

/// Bytes of address space a guarded memory reserves: every address a 32-bit
/// index plus a 32-bit static offset can form (8 GiB), plus one page for the
/// width of the access. Everything past the current size is inaccessible,
/// so compiled code needs no bounds checks (docs/adr/0010-aot-guard-pages.md).
inline constexpr uint64_t kGuardReservationBytes = (8ull << 30) + wasm::kPageSize;

/// True when `addr` lies inside a guarded memory's reservation (a live or
/// pooled one). Async-signal-safe (atomic reads only, no locks).
bool in_guard_reservation(const void* addr) noexcept;

/// A linear memory (spec 4.2.8). Reserves address space for its maximum
/// once, so `data` never moves while the memory grows.
class Memory {
 public:
  /// Creates a memory of `initial` pages that may grow to `max` pages
  /// (already capped by Limits::max_memory_pages). `guarded`: reserve
  /// kGuardReservationBytes instead of the maximum (used by compiled code
  /// that relies on faults); on failure (address space) a guarded request
  /// returns null like any allocation failure. Null on allocation failure.
  static std::shared_ptr<Memory> create(uint32_t initial_pages, uint32_t max_pages, bool guarded = false);
  /// True when the memory lives in a guarded reservation.
  bool guarded() const noexcept { return m_reserved == kGuardReservationBytes; }
  ~Memory();
  Memory(const Memory&) = delete;
  Memory& operator=(const Memory&) = delete;

  uint8_t* data() const noexcept { return m_data; }
  uint64_t size_bytes() const noexcept { return uint64_t{m_pages} * wasm::kPageSize; }
  uint32_t pages() const noexcept { return m_pages; }
  uint32_t max_pages() const noexcept { return m_max_pages; }
  /// Grows by delta pages; returns the old size in pages, or -1 when the
  /// result would pass max_pages (spec 4.4.7 memory.grow). New pages are zero.
  int64_t grow(uint32_t delta_pages) noexcept;
  /// True when [offset, offset+len) lies inside the memory.
  bool in_bounds(uint64_t offset, uint64_t len) const noexcept {
    return offset <= size_bytes() && len <= size_bytes() - offset;
  }

 private:
  Memory() = default;
  uint8_t* m_data = nullptr;
  uint64_t m_reserved = 0;  ///< bytes reserved (max_pages * page size, at least one page)
  uint32_t m_pages = 0;
  uint32_t m_max_pages = 0;
};

/// A table (spec 4.2.7): references (FuncInst* bits or externref tokens; 0 = null).
struct Table {
  wasm::ValType elem = wasm::ValType::FuncRef;
  std::vector<uint64_t> elems;
  uint64_t max = 0;  ///< maximum elements (already capped by Limits::max_table_elements)
};

/// A global (spec 4.2.9).
struct Global {
  wasm::GlobalType type;
  Value value;
};

}  // namespace ward::runtime
