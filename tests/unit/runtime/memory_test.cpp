#include <cstring>
// Tests of runtime::Memory and canonical_type_id.
#include <gtest/gtest.h>

#include "runtime/objects.h"

namespace ward::runtime {
namespace {

TEST(Memory, GrowKeepsDataAndZeroesNewPages) {
  auto m = Memory::create(1, 3);
  ASSERT_TRUE(m);
  uint8_t* base = m->data();
  base[100] = 7;
  EXPECT_EQ(m->grow(1), 1);
  EXPECT_EQ(m->data(), base);
  EXPECT_EQ(base[100], 7);
  EXPECT_EQ(base[wasm::kPageSize + 5], 0);
  EXPECT_EQ(m->pages(), 2u);
  EXPECT_EQ(m->grow(2), -1);
  EXPECT_EQ(m->grow(0), 2);
  EXPECT_EQ(m->grow(1), 2);
  EXPECT_EQ(m->size_bytes(), 3 * wasm::kPageSize);
  EXPECT_TRUE(m->in_bounds(3 * wasm::kPageSize - 4, 4));
  EXPECT_FALSE(m->in_bounds(3 * wasm::kPageSize - 3, 4));
}

TEST(Memory, ZeroMaximum) {
  auto m = Memory::create(0, 0);
  ASSERT_TRUE(m);
  EXPECT_NE(m->data(), nullptr);
  EXPECT_EQ(m->size_bytes(), 0u);
  EXPECT_EQ(m->grow(1), -1);
  EXPECT_EQ(m->grow(0), 0);
}

// Released memories are pooled per thread and handed out again: a reused
// reservation must read as zero everywhere, and must not expose pages beyond
// its new initial size until it grows.
TEST(Memory, ReusedReservationIsZeroAndSized) {
  for (int round = 0; round < 3; ++round) {
    {
      auto m = Memory::create(3, 8);
      ASSERT_TRUE(m);
      std::memset(m->data(), 0xAB, m->size_bytes());
    }
    auto m = Memory::create(1, 8);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->pages(), 1u);
    EXPECT_EQ(m->size_bytes(), wasm::kPageSize);
    for (uint64_t i = 0; i < m->size_bytes(); ++i) ASSERT_EQ(m->data()[i], 0) << "byte " << i;
    ASSERT_EQ(m->grow(2), 1);
    for (uint64_t i = 0; i < m->size_bytes(); ++i) ASSERT_EQ(m->data()[i], 0) << "grown byte " << i;
    std::memset(m->data(), 0xCD, m->size_bytes());
  }
  auto big = Memory::create(5, 8);  // larger than any pooled commit: fresh or re-committed pages
  ASSERT_TRUE(big);
  for (uint64_t i = 0; i < big->size_bytes(); ++i) ASSERT_EQ(big->data()[i], 0) << "byte " << i;
}

TEST(TypeIds, EqualTypesShareAnId) {
  wasm::FuncType a{{wasm::ValType::I32}, {wasm::ValType::I64}};
  wasm::FuncType b{{wasm::ValType::I32}, {wasm::ValType::I64}};
  wasm::FuncType c{{wasm::ValType::I64}, {wasm::ValType::I32}};
  wasm::FuncType d{{}, {wasm::ValType::I32, wasm::ValType::I64}};
  EXPECT_EQ(canonical_type_id(a), canonical_type_id(b));
  EXPECT_NE(canonical_type_id(a), canonical_type_id(c));
  EXPECT_NE(canonical_type_id(a), canonical_type_id(d));
  EXPECT_NE(canonical_type_id(a), 0u);
}

}  // namespace
}  // namespace ward::runtime
