// The contract SDK's JSON reader/writer and Address, compiled natively.
#include <gtest/gtest.h>

#include <string>

#include "ward/address.h"
#include "ward/json.h"

namespace ward::json {
namespace {

TEST(SdkJson, ValidatesText) {
  for (const char* ok : {"{}", "[]", " {\"a\": [1, -2.5e3, true, false, null, \"x\\u00e9\\n\"]} ", "0", "\"s\"",
                         "[[[[]]]]", "{\"a\":{\"b\":{}}}"}) {
    EXPECT_TRUE(parse(ok).has_value()) << ok;
  }
  for (const char* bad : {"", "{", "[1,]", "{\"a\" 1}", "{\"a\":1,}", "01", "1.", "tru", "\"\\x\"", "[1] 2",
                          "{a:1}", "\"a\nb\"", "[1}", "{\"a\":1]", "-", "1e"}) {
    EXPECT_FALSE(parse(bad).has_value()) << bad;
  }
}

TEST(SdkJson, LimitsNesting) {
  std::string deep(k_max_depth, '[');
  deep += std::string(k_max_depth, ']');
  EXPECT_TRUE(parse(deep).has_value());
  std::string too_deep(k_max_depth + 1, '[');
  too_deep += std::string(k_max_depth + 1, ']');
  EXPECT_FALSE(parse(too_deep).has_value());
  EXPECT_FALSE(parse(std::string(100000, '[')).has_value());
}

TEST(SdkJson, ObjectAndArrayAccess) {
  auto v = parse(R"({"to": "0x00000000000000000000000000000000000000aB", "amount": 42, "n": {"x": [1, 2]}, "amount": 7})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->get("amount").as_u64(), 7u);  // the last of a repeated key
  EXPECT_EQ(v->get("n").get("x").at(1).as_u64(), 2u);
  EXPECT_TRUE(v->get("missing").is_missing());
  EXPECT_TRUE(v->at(0).is_missing());
  EXPECT_EQ(v->size(), 4u);
  auto to = v->get("to").as_address();
  ASSERT_TRUE(to);
  EXPECT_EQ(to->bytes[19], 0xab);
  EXPECT_EQ(to->to_hex(), "0x00000000000000000000000000000000000000ab");

  auto a = parse(R"([ "x", 5 , [ ] ])");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->size(), 3u);
  EXPECT_EQ(a->at(0).as_string(), "x");
  EXPECT_EQ(a->at(1).as_u64(), 5u);
  EXPECT_TRUE(a->at(2).is_array());
  EXPECT_TRUE(a->at(3).is_missing());
}

TEST(SdkJson, Integers) {
  auto v = parse(R"([18446744073709551615, "18446744073709551615", 18446744073709551616, -1, 1.5, 1e3,
                     "-9223372036854775808", -9223372036854775809, "12a", "", true])");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->at(0).as_u64(), UINT64_MAX);
  EXPECT_EQ(v->at(1).as_u64(), UINT64_MAX);
  EXPECT_FALSE(v->at(2).as_u64());
  EXPECT_FALSE(v->at(3).as_u64());
  EXPECT_EQ(v->at(3).as_i64(), -1);
  EXPECT_FALSE(v->at(4).as_u64());
  EXPECT_FALSE(v->at(5).as_u64());
  EXPECT_EQ(v->at(6).as_i64(), INT64_MIN);
  EXPECT_FALSE(v->at(7).as_i64());
  EXPECT_FALSE(v->at(8).as_u64());
  EXPECT_FALSE(v->at(9).as_u64());
  EXPECT_FALSE(v->at(10).as_u64());
  EXPECT_EQ(v->at(10).as_bool(), true);
}

TEST(SdkJson, StringsAndEscapes) {
  auto v = parse(R"({"k\u0065y": "a\"b\\c\/\n\u00e9\ud83d\ude00"})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->get("key").as_string(), "a\"b\\c/\n\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_FALSE(v->get("key").as_u64());
}

TEST(SdkJson, Writer) {
  Address a;
  a.bytes[0] = 0x12;
  Writer w;
  w.begin_object()
      .field("s", "q\"\n\x01")
      .field("n", uint64_t{18446744073709551615u})
      .field("i", int64_t{-9223372036854775807 - 1})
      .field("b", false)
      .field("a", a)
      .key("arr")
      .begin_array()
      .value(1)
      .value(nullptr)
      .begin_object()
      .end_object()
      .end_array()
      .field("raw", Raw{"[1,2]"})
      .end_object();
  EXPECT_EQ(w.str(),
            "{\"s\":\"q\\\"\\n\\u0001\",\"n\":18446744073709551615,\"i\":-9223372036854775808,\"b\":false,"
            "\"a\":\"0x1200000000000000000000000000000000000000\",\"arr\":[1,null,{}],\"raw\":[1,2]}");
  EXPECT_TRUE(parse(w.str()).has_value());
  EXPECT_EQ(object("from", a, "amount", 5u), "{\"from\":\"0x1200000000000000000000000000000000000000\",\"amount\":5}");
  EXPECT_EQ(array(1, "two", true), "[1,\"two\",true]");
  EXPECT_EQ(object(), "{}");
}

TEST(SdkAddress, HexRoundTrip) {
  EXPECT_FALSE(Address::from_hex("0x123"));
  EXPECT_FALSE(Address::from_hex("1x0000000000000000000000000000000000000000"));
  EXPECT_FALSE(Address::from_hex("0x000000000000000000000000000000000000000g"));
  auto a = Address::from_hex("0xFFEEDDCCBBAA99887766554433221100ffeeddcc");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->to_hex(), "0xffeeddccbbaa99887766554433221100ffeeddcc");
  EXPECT_FALSE(a->is_zero());
  EXPECT_TRUE(Address().is_zero());
  EXPECT_EQ(Address::from_raw(a->raw()), a);
}

}  // namespace
}  // namespace ward::json
