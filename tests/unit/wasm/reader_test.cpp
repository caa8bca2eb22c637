// Unit tests of InstrReader and read_leb_u32.
#include <gtest/gtest.h>

#include "wasm/instr_reader.h"

namespace ward::wasm {
namespace {

using Bytes = std::vector<uint8_t>;

TEST(InstrReader, DecodesImmediates) {
  const Bytes code = {
      0x41, 0x7F,                                                        // i32.const -1
      0x42, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F,  // i64.const INT64_MIN
      0x43, 0x00, 0x00, 0x80, 0x3F,                                      // f32.const 1.0
      0x0E, 0x02, 0x00, 0x01, 0x02,                                      // br_table 0 1 (default 2)
      0xFC, 0x0A, 0x00, 0x00,                                            // memory.copy 0 0
      0x28, 0x02, 0x10,                                                  // i32.load align=2 offset=16
      0x11, 0x03, 0x00,                                                  // call_indirect type 3 table 0
      0x02, 0x40,                                                        // block (empty)
      0x03, 0x7E,                                                        // loop (result i64)
      0x04, 0x05,                                                        // if (type 5)
      0xD0, 0x6F,                                                        // ref.null extern
      0xFC, 0x07,                                                        // i64.trunc_sat_f64_u
      0x0B,                                                              // end
  };
  InstrReader r(code, 0x100);
  Instr in;
  ASSERT_TRUE(r.next(in)) << r.error();
  EXPECT_EQ(in.op, Op::I32Const);
  EXPECT_EQ(in.offset, 0x100u);
  EXPECT_EQ(in.bits, ~uint64_t{0});
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::I64Const);
  EXPECT_EQ(in.bits, uint64_t{1} << 63);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::F32Const);
  EXPECT_EQ(in.bits, 0x3F800000u);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::BrTable);
  EXPECT_EQ(in.targets, (std::vector<uint32_t>{0, 1, 2}));
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::MemoryCopy);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::I32Load);
  EXPECT_EQ(in.a, 2u);
  EXPECT_EQ(in.b, 16u);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::CallIndirect);
  EXPECT_EQ(in.a, 3u);
  EXPECT_EQ(in.b, 0u);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::Block);
  EXPECT_EQ(in.block.kind, BlockType::Kind::Empty);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::Loop);
  EXPECT_EQ(in.block.kind, BlockType::Kind::Value);
  EXPECT_EQ(in.block.value, ValType::I64);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::If);
  EXPECT_EQ(in.block.kind, BlockType::Kind::TypeIndex);
  EXPECT_EQ(in.block.type_index, 5u);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::RefNull);
  EXPECT_EQ(in.ref_type, ValType::ExternRef);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::I64TruncSatF64U);
  ASSERT_TRUE(r.next(in));
  EXPECT_EQ(in.op, Op::End);
  EXPECT_TRUE(r.done());
}

TEST(InstrReader, RejectsSimdAndThreadsByName) {
  const Bytes simd = {0x01, 0xFD, 0x0C};
  InstrReader r(simd, 0x1232);
  Instr in;
  ASSERT_TRUE(r.next(in));
  EXPECT_FALSE(r.next(in));
  EXPECT_EQ(r.error(), "unsupported opcode 0xfd (SIMD) at offset 0x1233");

  const Bytes threads = {0xFE, 0x00};
  InstrReader t(threads, 0);
  EXPECT_FALSE(t.next(in));
  EXPECT_EQ(t.error(), "unsupported opcode 0xfe (threads) at offset 0x0");

  const Bytes unknown = {0xFC, 0x1F};
  InstrReader u(unknown, 0);
  EXPECT_FALSE(u.next(in));
  EXPECT_NE(u.error().find("unknown opcode 0xfc 31"), std::string::npos);
}

TEST(InstrReader, RejectsTruncatedImmediates) {
  for (const Bytes& code : {Bytes{0x41}, Bytes{0x41, 0x80}, Bytes{0x44, 0x00, 0x00}, Bytes{0x0E, 0x05, 0x00},
                            Bytes{0x28, 0x02}}) {
    InstrReader r(code, 0x40);
    Instr in;
    EXPECT_FALSE(r.next(in));
    EXPECT_NE(r.error().find("offset 0x4"), std::string::npos) << r.error();
  }
}

TEST(InstrReader, SignedLebEdgeCases) {
  // i32.const INT32_MIN = 0x80 0x80 0x80 0x80 0x78
  const Bytes min = {0x41, 0x80, 0x80, 0x80, 0x80, 0x78};
  InstrReader r(min, 0);
  Instr in;
  ASSERT_TRUE(r.next(in)) << r.error();
  EXPECT_EQ(static_cast<int64_t>(in.bits), INT32_MIN);
  // Unused bits of the last byte that are not sign copies are malformed.
  const Bytes bad = {0x41, 0x80, 0x80, 0x80, 0x80, 0x70};
  InstrReader b(bad, 0);
  EXPECT_FALSE(b.next(in));
}

TEST(ReadLebU32, ValidTooLongAndTruncated) {
  const Bytes ok = {0xE5, 0x8E, 0x26};
  size_t pos = 0;
  uint32_t v = 0;
  ASSERT_TRUE(read_leb_u32(ok, pos, v));
  EXPECT_EQ(v, 624485u);
  EXPECT_EQ(pos, 3u);

  const Bytes max = {0xFF, 0xFF, 0xFF, 0xFF, 0x0F};
  pos = 0;
  ASSERT_TRUE(read_leb_u32(max, pos, v));
  EXPECT_EQ(v, UINT32_MAX);

  const Bytes too_big = {0xFF, 0xFF, 0xFF, 0xFF, 0x1F};
  pos = 0;
  EXPECT_FALSE(read_leb_u32(too_big, pos, v));
  const Bytes too_long = {0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  pos = 0;
  EXPECT_FALSE(read_leb_u32(too_long, pos, v));
  const Bytes truncated = {0x80, 0x80};
  pos = 0;
  EXPECT_FALSE(read_leb_u32(truncated, pos, v));
}

TEST(OpTable, EveryOpcodeRoundTrips) {
  // Each table entry, encoded with zero immediates where possible, decodes to itself.
  for (uint32_t i = 0; i < kOpCount; ++i) {
    const OpInfo& info = kOpInfo[i];
    Bytes code;
    if (info.prefix == 0xFC) {
      code = {0xFC, static_cast<uint8_t>(info.code)};
    } else {
      code = {static_cast<uint8_t>(info.code)};
    }
    switch (info.imm) {
      case ImmKind::None: break;
      case ImmKind::BlockType: code.push_back(0x40); break;
      case ImmKind::RefType: code.push_back(0x70); break;
      case ImmKind::SelectT: code.insert(code.end(), {0x01, 0x7F}); break;
      case ImmKind::F32: code.insert(code.end(), 4, 0); break;
      case ImmKind::F64: code.insert(code.end(), 8, 0); break;
      case ImmKind::BrTable: code.insert(code.end(), {0x00, 0x00}); break;
      case ImmKind::CallIndirect: case ImmKind::MemArg: case ImmKind::MemoryInit: case ImmKind::MemoryCopy:
      case ImmKind::TableInit: case ImmKind::TableCopy:
        code.insert(code.end(), {0x00, 0x00});
        break;
      default: code.push_back(0x00); break;
    }
    InstrReader r(code, 0);
    Instr in;
    ASSERT_TRUE(r.next(in)) << info.text << ": " << r.error();
    EXPECT_EQ(static_cast<uint32_t>(in.op), i) << info.text;
    EXPECT_TRUE(r.done()) << info.text;
  }
}

}  // namespace
}  // namespace ward::wasm
