// ward/aot/stack_counter.h — the call depth and stack slots that AOT code may
// still use, packed into the one i64 it counts down (W.stack, ward_aot_env::
// stack): bits 63..32 the calls left (Limits::max_call_depth - depth), bits
// 31..0 the stack slots left (Limits::max_stack_slots - slots in use). A
// function's entry subtracts entry(frame_slots) and traps "call stack
// exhausted" when kExhaustedBits shows a field that went below zero: bit 63
// (no call left) or bit 31 (the slots field borrowed). This is the
// interpreter's rule (depth + 1 > max_call_depth, or slots + frame_slots >
// max_stack_slots; docs/limits.md "The stack") with one load, one
// subtraction, one test and one store per call instead of two counters.
// Both limits must be below 2^31 (fits), so that a field that did not run out
// never has its top bit set.
// Thread-safety: pure functions.
#pragma once

#include <algorithm>
#include <cstdint>

#include "runtime/limits.h"

namespace ward::aot {

struct StackCounter {
  /// The largest max_call_depth and max_stack_slots the packing holds.
  static constexpr uint64_t kMaxField = 0x7FFFFFFFull;
  /// The bits that show a field below zero.
  static constexpr uint64_t kExhaustedBits = 0x8000000080000000ull;
  /// A counter from which the next entry traps (a caller already past a
  /// limit, as when another backend with larger limits calls in); it keeps
  /// bit 63 after any entry(...) is subtracted.
  static constexpr uint64_t kExhausted = 0xC000000000000000ull;

  /// True when `limits` can be packed (both at most kMaxField).
  static constexpr bool fits(const runtime::Limits& limits) {
    return limits.max_call_depth <= kMaxField && limits.max_stack_slots <= kMaxField;
  }
  /// What one function entry takes: one call and its frame slots (a frame
  /// larger than the whole budget counts as budget + 1: it always traps).
  static constexpr uint64_t entry(uint64_t frame_slots, const runtime::Limits& limits) {
    return (uint64_t{1} << 32) + std::min<uint64_t>(frame_slots, limits.max_stack_slots + 1);
  }
  /// The counter for `depth` calls and `slots` slots in use.
  static constexpr uint64_t pack(uint64_t depth, uint64_t slots, uint64_t max_depth, uint64_t max_slots) {
    if (depth > max_depth || slots > max_slots) return kExhausted;
    return ((max_depth - depth) << 32) | (max_slots - slots);
  }
  /// The depth and slots in use of a counter; false (nothing written) for
  /// one past a limit.
  static constexpr bool unpack(uint64_t q, uint64_t max_depth, uint64_t max_slots, uint32_t& depth,
                               uint64_t& slots) {
    if ((q & kExhaustedBits) != 0) return false;
    depth = static_cast<uint32_t>(max_depth - (q >> 32));
    slots = max_slots - (q & 0xFFFFFFFFull);
    return true;
  }
};

}  // namespace ward::aot
