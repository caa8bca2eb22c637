// Unit tests of analyze_gas (docs/gas.md, "Basic blocks").
#include <gtest/gtest.h>

#include "wasm/metering.h"
#include "wasm_builder.h"

namespace ward::wasm {
namespace {

using namespace ward::wasm::test;

std::shared_ptr<const Module> load_one(const Bytes& params, const Bytes& results, const Bytes& code) {
  ModuleBuilder m;
  m.types.push_back({params, results});
  m.funcs.push_back({0, {}, code});
  auto r = load_module(m.build(), runtime::Limits{});
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : nullptr;
}

TEST(AnalyzeGas, LoopIfBrIf) {
  const Bytes code = {
      0x03, 0x40,        // 0  loop                      | block 0: cost 0
      0x20, 0x00,        // 2  local.get 0               | block 1
      0x41, 0x01,        // 4  i32.const 1
      0x6B,              // 6  i32.sub
      0x22, 0x00,        // 7  local.tee 0
      0x0D, 0x00,        // 9  br_if 0                   | 1+1+1+1+2 = 6
      0x0B,              // 11 end                       | block 2: cost 0
      0x20, 0x00,        // 12 local.get 0               | block 3
      0x04, 0x7F,        // 14 if (result i32)           | 1+2 = 3
      0x41, 0x01,        // 16 i32.const 1               | block 4
      0x05,              // 18 else                      | 1
      0x41, 0x02,        // 19 i32.const 2               | block 5
      0x0B,              // 21 end                       | 1
      0x0B,              // 22 end (final)               | block 6: cost 0
  };
  auto m = load_one({I32}, {I32}, code);
  ASSERT_TRUE(m);
  auto r = analyze_gas(*m, 0);
  ASSERT_TRUE(r) << r.error().message;
  const uint32_t base = m->functions[0].body_offset;
  const std::vector<std::pair<uint32_t, uint64_t>> expected = {{0, 0}, {2, 6}, {11, 0}, {12, 3},
                                                                {16, 1}, {19, 1}, {22, 0}};
  ASSERT_EQ(r->size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ((*r)[i].offset, base + expected[i].first) << "block " << i;
    EXPECT_EQ((*r)[i].cost, expected[i].second) << "block " << i;
  }
}

TEST(AnalyzeGas, StraightLineIsOneBlockAndBlockIsNotABoundary) {
  // block; i32.const 7; i32.const 3; i32.div_u; drop; end; end
  const Bytes code = {0x02, 0x40, 0x41, 0x07, 0x41, 0x03, 0x6E, 0x1A, 0x0B, 0x0B};
  auto m = load_one({}, {}, code);
  ASSERT_TRUE(m);
  auto r = analyze_gas(*m, 0);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].cost, 0u + 1 + 1 + 8 + 1 + 0);
  EXPECT_EQ((*r)[1].offset, m->functions[0].body_offset + 9);
  EXPECT_EQ((*r)[1].cost, 0u);
}

TEST(AnalyzeGas, ReturnAndUnreachableEndBlocks) {
  // call-free: i32.const 1; return; unreachable; end
  const Bytes code = {0x41, 0x01, 0x0F, 0x00, 0x0B};
  auto m = load_one({}, {I32}, code);
  ASSERT_TRUE(m);
  auto r = analyze_gas(*m, 0);
  ASSERT_TRUE(r) << r.error().message;
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].cost, 3u);  // i32.const + return
  EXPECT_EQ((*r)[1].cost, 0u);  // unreachable
  EXPECT_EQ((*r)[2].cost, 0u);  // end
}

TEST(AnalyzeGas, RejectsBadIndex) {
  auto m = load_one({}, {}, {0x0B});
  ASSERT_TRUE(m);
  EXPECT_FALSE(analyze_gas(*m, 1));
}

}  // namespace
}  // namespace ward::wasm
