// Unit tests of analyze_gas (docs/gas.md, "Basic blocks") and frame_slots
// (docs/limits.md, "The stack"), and of the stack and NaN columns of
// opcodes.def they and the backends read.
#include <gtest/gtest.h>

#include "runtime/limits.h"
#include "wasm/metering.h"
#include "wasm/opcodes.h"
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

TEST(FrameSlots, ParamsLocalsAndMaximumHeight) {
  // (param i32 i32) (local i64 x3): i32.const 1; i32.const 2; i32.const 3;
  // i32.add; i32.add; drop; end  -> height 3 at most
  ModuleBuilder b;
  b.types.push_back({{I32, I32}, {}});
  b.funcs.push_back({0, {{3, I64}}, {0x41, 0x01, 0x41, 0x02, 0x41, 0x03, 0x6A, 0x6A, 0x1A, 0x0B}});
  auto m = load_module(b.build(), runtime::Limits{});
  ASSERT_TRUE(m) << m.error().message;
  auto r = frame_slots(**m, 0);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 2u + 3u + 3u);
}

TEST(FrameSlots, UnreachableCodeDoesNotCount) {
  // block; br 0; i32.const x4 (dead); drop x4; end; i32.const 9; drop; end
  const Bytes code = {0x02, 0x40, 0x0C, 0x00, 0x41, 0x01, 0x41, 0x01, 0x41, 0x01, 0x41, 0x01,
                      0x1A, 0x1A, 0x1A, 0x1A, 0x0B, 0x41, 0x09, 0x1A, 0x0B};
  auto m = load_one({}, {}, code);
  ASSERT_TRUE(m);
  auto r = frame_slots(*m, 0);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(*r, 1u);
}

TEST(FrameSlots, IfElseCallsAndBlockResults) {
  // Function 0 (i32 i32 i32) -> (i32 i32): the callee.
  // Function 1 (): i32.const 0 (cond); if (result i32) [i32.const 1 x2;
  // i32.add] else [i32.const 7] end; i32.const 2; i32.const 3; call 0 (3
  // args -> 2 results); drop; drop; end. Heights: cond 1; in the arms at most
  // 2; after the if 1; before the call 3; after it 2.
  ModuleBuilder b;
  b.types.push_back({{I32, I32, I32}, {I32, I32}});
  b.types.push_back({{}, {}});
  b.funcs.push_back({0, {}, {0x20, 0x00, 0x20, 0x01, 0x0B}});
  b.funcs.push_back({1, {}, {0x41, 0x00, 0x04, 0x7F, 0x41, 0x01, 0x41, 0x01, 0x6A, 0x05, 0x41, 0x07, 0x0B,
                             0x41, 0x02, 0x41, 0x03, 0x10, 0x00, 0x1A, 0x1A, 0x0B}});
  auto m = load_module(b.build(), runtime::Limits{});
  ASSERT_TRUE(m) << m.error().message;
  auto callee = frame_slots(**m, 0);
  ASSERT_TRUE(callee) << callee.error().message;
  EXPECT_EQ(*callee, 3u + 2u);
  auto caller = frame_slots(**m, 1);
  ASSERT_TRUE(caller) << caller.error().message;
  EXPECT_EQ(*caller, 3u);
  EXPECT_FALSE(frame_slots(**m, 2));  // no third defined function
}

TEST(OpcodeColumns, StackEffectsAndNanWidths) {
  EXPECT_EQ(op_stack_delta(Op::I64Add), -1);
  EXPECT_EQ(op_stack_delta(Op::F64Sqrt), 0);
  EXPECT_EQ(op_stack_delta(Op::I32Load8U), 0);
  EXPECT_EQ(op_stack_delta(Op::F32Store), -2);
  EXPECT_EQ(op_stack_delta(Op::Select), -2);
  EXPECT_EQ(op_stack_delta(Op::TableGrow), -1);
  EXPECT_EQ(op_stack_delta(Op::TableCopy), -3);
  EXPECT_EQ(op_stack_delta(Op::MemorySize), 1);
  EXPECT_EQ(op_stack_delta(Op::If), -1);  // the condition
  uint32_t n32 = 0, n64 = 0;
  for (uint32_t i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    if (info.nan == 32) ++n32;
    if (info.nan == 64) ++n64;
    // Only float-producing instructions may canonicalise, each to its width.
    if (info.nan != 0) EXPECT_EQ(info.text.substr(0, 3), info.nan == 32 ? "f32" : "f64") << info.text;
  }
  // add sub mul div min max ceil floor trunc nearest sqrt + demote/promote
  EXPECT_EQ(n32, 12u);
  EXPECT_EQ(n64, 12u);
  EXPECT_EQ(op_nan_width(Op::F64Copysign), 0u);
  EXPECT_EQ(op_nan_width(Op::F32ConvertI64U), 0u);
  EXPECT_EQ(op_nan_width(Op::F32ReinterpretI32), 0u);
}

}  // namespace
}  // namespace ward::wasm
