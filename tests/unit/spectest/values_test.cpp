// Parsing and matching of spec-script values.
#include <gtest/gtest.h>

#include "spectest/values.h"

namespace ward::spectest {
namespace {

using wasm::ValType;

SpecValue value(std::string_view type, std::string_view text, bool expected = false) {
  Result<SpecValue> v = parse_value(type, text, expected);
  EXPECT_TRUE(v.ok()) << type << " " << text << ": " << (v.ok() ? "" : v.error().message);
  return v.ok() ? *v : SpecValue{};
}

TEST(SpecValues, Integers) {
  EXPECT_EQ(value("i32", "4294967295").bits, 0xffffffffu);
  EXPECT_EQ(value("i32", "0").bits, 0u);
  EXPECT_EQ(value("i64", "18446744073709551615").bits, UINT64_MAX);
  EXPECT_EQ(value("i64", "9223372036854775808").type, ValType::I64);
  EXPECT_FALSE(parse_value("i32", "4294967296", false).ok());
  EXPECT_FALSE(parse_value("i32", "-1", false).ok());
  EXPECT_FALSE(parse_value("i32", "12x", false).ok());
  EXPECT_FALSE(parse_value("i32", "", false).ok());
  EXPECT_FALSE(parse_value("i128", "1", false).ok());
}

TEST(SpecValues, FloatsAreBitPatterns) {
  SpecValue one = value("f32", "1065353216");
  EXPECT_EQ(one.type, ValType::F32);
  EXPECT_EQ(one.bits, 0x3f800000u);
  EXPECT_TRUE(matches(one, runtime::Value::f32(1.0f)));
  EXPECT_FALSE(matches(one, runtime::Value::f32(-1.0f)));
  SpecValue neg_zero = value("f64", "9223372036854775808");
  EXPECT_TRUE(matches(neg_zero, runtime::Value::f64(-0.0)));
  EXPECT_FALSE(matches(neg_zero, runtime::Value::f64(0.0)));
  // A NaN with a payload compares by bits.
  SpecValue payload = value("f32", "2139095041");  // 0x7f800001
  EXPECT_TRUE(matches(payload, runtime::Value::f32_bits(0x7f800001)));
  EXPECT_FALSE(matches(payload, runtime::Value::f32_bits(0x7fc00000)));
}

TEST(SpecValues, CanonicalNan) {
  SpecValue f32 = value("f32", "nan:canonical", true);
  EXPECT_EQ(f32.match, Match::NanCanonical);
  EXPECT_TRUE(matches(f32, runtime::Value::f32_bits(0x7fc00000)));
  EXPECT_TRUE(matches(f32, runtime::Value::f32_bits(0xffc00000)));
  EXPECT_FALSE(matches(f32, runtime::Value::f32_bits(0x7fc00001)));
  EXPECT_FALSE(matches(f32, runtime::Value::f32_bits(0x7f800000)));
  SpecValue f64 = value("f64", "nan:canonical", true);
  EXPECT_TRUE(matches(f64, runtime::Value::f64_bits(0x7ff8000000000000ull)));
  EXPECT_TRUE(matches(f64, runtime::Value::f64_bits(0xfff8000000000000ull)));
  EXPECT_FALSE(matches(f64, runtime::Value::f64_bits(0x7ff8000000000001ull)));
  EXPECT_FALSE(parse_value("f32", "nan:canonical", false).ok()) << "not an argument";
}

TEST(SpecValues, ArithmeticNan) {
  SpecValue f32 = value("f32", "nan:arithmetic", true);
  EXPECT_TRUE(matches(f32, runtime::Value::f32_bits(0x7fc00000)));
  EXPECT_TRUE(matches(f32, runtime::Value::f32_bits(0xffc00001)));
  EXPECT_TRUE(matches(f32, runtime::Value::f32_bits(0x7fffffff)));
  EXPECT_FALSE(matches(f32, runtime::Value::f32_bits(0x7f800001))) << "signalling NaN";
  EXPECT_FALSE(matches(f32, runtime::Value::f32_bits(0x3fc00000)));
  SpecValue f64 = value("f64", "nan:arithmetic", true);
  EXPECT_TRUE(matches(f64, runtime::Value::f64_bits(0x7ff8000000000001ull)));
  EXPECT_FALSE(matches(f64, runtime::Value::f64_bits(0x7ff0000000000001ull)));
  EXPECT_FALSE(matches(f64, runtime::Value::f64_bits(0x7ff0000000000000ull))) << "infinity";
}

TEST(SpecValues, References) {
  EXPECT_TRUE(matches(value("externref", "null", true), runtime::Value{0}));
  SpecValue ext0 = value("externref", "0");
  EXPECT_EQ(ext0.bits, extern_token(0));
  EXPECT_NE(ext0.bits, 0u) << "ref.extern 0 is not null";
  EXPECT_TRUE(matches(value("externref", "5", true), runtime::Value{extern_token(5)}));
  EXPECT_FALSE(matches(value("externref", "5", true), runtime::Value{extern_token(4)}));
  EXPECT_TRUE(matches(value("funcref", "null", true), runtime::Value{0}));
  SpecValue any = value("funcref", "3", true);
  EXPECT_EQ(any.match, Match::AnyNonNull);
  EXPECT_TRUE(matches(any, runtime::Value{0x1234}));
  EXPECT_FALSE(matches(any, runtime::Value{0}));
  EXPECT_FALSE(parse_value("funcref", "3", false).ok());
}

TEST(SpecValues, V128IsRefused) { EXPECT_FALSE(parse_value("v128", "0", false).ok()); }

TEST(SpecValues, Describe) {
  EXPECT_EQ(describe(value("i32", "42")), "i32:42");
  EXPECT_EQ(describe(value("f32", "nan:canonical", true)), "f32:nan:canonical");
  EXPECT_EQ(describe(value("externref", "null")), "externref:null");
  EXPECT_EQ(describe(ValType::F32, runtime::Value::f32(1.5f)), "f32:0x3fc00000 (1.5)");
}

}  // namespace
}  // namespace ward::spectest
