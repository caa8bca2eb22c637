// Unit tests of the AOT backend's packed stack counter (aot/stack_counter.h):
// an entry traps exactly where the interpreter's two checks do
// (depth + 1 > max_call_depth, slots + frame > max_stack_slots), packing
// round-trips, and limits the counter cannot hold are refused when
// compiling. The behaviour on running code is in tests/adversarial
// (CallDepth, StackBudget) on both backends.
#include <gtest/gtest.h>

#include <cstdint>

#include "aot/instrument.h"
#include "aot/stack_counter.h"
#include "runtime/limits.h"
#include "wasm/module.h"
#include "wat.h"

namespace ward::aot {
namespace {

/// Whether an entry of a function with `frame` slots at (depth, slots) traps
/// with the packed counter.
bool packed_traps(uint64_t depth, uint64_t slots, uint64_t frame, const runtime::Limits& l) {
  const uint64_t q = StackCounter::pack(depth, slots, l.max_call_depth, l.max_stack_slots);
  return ((q - StackCounter::entry(frame, l)) & StackCounter::kExhaustedBits) != 0;
}
/// The interpreter's rule (docs/limits.md "The stack").
bool rule_traps(uint64_t depth, uint64_t slots, uint64_t frame, const runtime::Limits& l) {
  return depth + 1 > l.max_call_depth || slots + frame > l.max_stack_slots;
}

TEST(StackCounter, EntryTrapsExactlyWhereTheRuleDoes) {
  for (const auto& [max_depth, max_slots] : {std::pair<uint32_t, uint64_t>{1024, 1u << 20}, {1, 1}, {10, 1000},
                                             {0x7FFFFFFF, 0x7FFFFFFF}, {3, 0}}) {
    runtime::Limits l;
    l.max_call_depth = max_depth;
    l.max_stack_slots = max_slots;
    ASSERT_TRUE(StackCounter::fits(l));
    for (uint64_t depth : {uint64_t{0}, uint64_t{1}, uint64_t{max_depth} - 1, uint64_t{max_depth},
                           uint64_t{max_depth} + 1}) {
      for (uint64_t slots : {uint64_t{0}, uint64_t{1}, max_slots / 2, max_slots - 1, max_slots, max_slots + 1}) {
        for (uint64_t frame : {uint64_t{0}, uint64_t{1}, uint64_t{7}, max_slots - slots, max_slots - slots + 1,
                               max_slots, uint64_t{1} << 40}) {
          if (frame > uint64_t{1} << 40 || slots > max_slots + 1) continue;  // an edge value wrapped below zero
          EXPECT_EQ(packed_traps(depth, slots, frame, l), rule_traps(depth, slots, frame, l))
              << "max " << max_depth << "/" << max_slots << " at depth " << depth << ", slots " << slots
              << ", frame " << frame;
        }
      }
    }
  }
}

TEST(StackCounter, PackAndUnpackRoundTrip) {
  for (uint64_t depth : {0u, 1u, 500u, 1024u}) {
    for (uint64_t slots : {uint64_t{0}, uint64_t{3}, uint64_t{1} << 19, uint64_t{1} << 20}) {
      uint32_t d = 99;
      uint64_t s = 99;
      ASSERT_TRUE(StackCounter::unpack(StackCounter::pack(depth, slots, 1024, 1u << 20), 1024, 1u << 20, d, s));
      EXPECT_EQ(d, depth);
      EXPECT_EQ(s, slots);
    }
  }
  // Past a limit: the next entry traps, and unpacking leaves the values alone.
  uint32_t d = 5;
  uint64_t s = 6;
  EXPECT_EQ(StackCounter::pack(1025, 0, 1024, 100), StackCounter::kExhausted);
  EXPECT_EQ(StackCounter::pack(0, 101, 1024, 100), StackCounter::kExhausted);
  EXPECT_FALSE(StackCounter::unpack(StackCounter::kExhausted, 1024, 100, d, s));
  EXPECT_EQ(d, 5u);
  EXPECT_EQ(s, 6u);
}

TEST(StackCounter, LimitsAboveTheFieldsAreRefused) {
  auto bytes = test::wat_to_wasm("(module (func (export \"f\")))");
  runtime::Limits limits;
  auto m = wasm::load_module(bytes, limits);
  ASSERT_TRUE(m) << m.error().message;
  limits.max_stack_slots = uint64_t{1} << 31;
  auto gen = generate_c(**m, limits, true);
  ASSERT_FALSE(gen.ok());
  EXPECT_EQ(gen.error().message,
            "aot: max_call_depth (1024) and max_stack_slots (2147483648) must be at most 2147483647");
  limits.max_stack_slots = StackCounter::kMaxField;
  EXPECT_TRUE(generate_c(**m, limits, true).ok());
}

}  // namespace
}  // namespace ward::aot
