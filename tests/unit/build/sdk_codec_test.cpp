// The SDK's typed JSON codec (ward/codec.h), compiled natively: what the
// generated dispatch accepts for each parameter type and the exact messages
// of decoding errors.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "ward/codec.h"

namespace ward::abi {
namespace {

/// Decodes `text` as T under the name "amount"; the error or "".
template <class T>
std::string decode_error(const std::string& text, T* out = nullptr) {
  auto v = json::parse(text);
  EXPECT_TRUE(v.has_value()) << text;
  T value{};
  std::string error;
  Path path{nullptr, "amount", 0, false};
  bool ok = decode(*v, value, path, error);
  if (ok && out) *out = value;
  EXPECT_EQ(ok, error.empty());
  return error;
}

TEST(SdkCodec, SixtyFourBitIntegersAsNumbersOrStrings) {
  uint64_t u = 0;
  EXPECT_EQ(decode_error<uint64_t>("18446744073709551615", &u), "");
  EXPECT_EQ(u, UINT64_MAX);
  EXPECT_EQ(decode_error<uint64_t>("\"18446744073709551615\"", &u), "");
  EXPECT_EQ(u, UINT64_MAX);
  int64_t i = 0;
  EXPECT_EQ(decode_error<int64_t>("\"-9223372036854775808\"", &i), "");
  EXPECT_EQ(i, INT64_MIN);
  EXPECT_EQ(decode_error<uint64_t>("\"abc\""), "argument 'amount': expected u64, got string \"abc\"");
  EXPECT_EQ(decode_error<uint64_t>("-1"), "argument 'amount': expected u64, got number -1 (negative)");
  EXPECT_EQ(decode_error<uint64_t>("1.5"), "argument 'amount': expected u64, got number 1.5 (not an integer)");
  EXPECT_EQ(decode_error<uint64_t>("18446744073709551616"),
            "argument 'amount': expected u64, got number 18446744073709551616 (out of range)");
  EXPECT_EQ(decode_error<uint8_t>("256"), "argument 'amount': expected u8, got number 256 (out of range)");
  EXPECT_EQ(decode_error<int32_t>("true"), "argument 'amount': expected i32, got bool true");
  EXPECT_EQ(decode_error<uint32_t>("null"), "argument 'amount': expected u32, got null");
}

TEST(SdkCodec, StringsBytesAddressesIds) {
  std::string s;
  EXPECT_EQ(decode_error<std::string>("\"a\\nb\"", &s), "");
  EXPECT_EQ(s, "a\nb");
  EXPECT_EQ(decode_error<std::string>("5"), "argument 'amount': expected string, got number 5");
  Bytes b;
  EXPECT_EQ(decode_error<Bytes>("\"0x00fF\"", &b), "");
  EXPECT_EQ(b, (Bytes{0, 255}));
  EXPECT_EQ(decode_error<Bytes>("\"0x0\""),
            "argument 'amount': expected bytes, got string \"0x0\" (not 0x + an even number of hex digits)");
  EXPECT_EQ(to_json(Bytes{1, 0xab}), "\"0x01ab\"");
  EXPECT_EQ(decode_error<Address>("\"0x12\""),
            "argument 'amount': expected address, got string \"0x12\" (not 0x + 40 hex digits)");
  ObjectId id;
  std::string hex = "\"0x" + std::string(62, '0') + "2a\"";
  EXPECT_EQ(decode_error<ObjectId>(hex, &id), "");
  EXPECT_EQ(id.bytes[31], 0x2a);
  EXPECT_EQ(to_json(id), hex);
  EXPECT_EQ(decode_error<Hash>("[]"), "argument 'amount': expected hash, got array");
  std::string long_text = "\"" + std::string(60, 'x') + "\"";
  EXPECT_EQ(decode_error<bool>(long_text),
            "argument 'amount': expected bool, got string \"" + std::string(40, 'x') + "...\"");
}

TEST(SdkCodec, VectorsAndOptionalsNameTheElement) {
  std::vector<uint32_t> v;
  EXPECT_EQ(decode_error<std::vector<uint32_t>>("[1, \"2\", 3]", &v), "");
  EXPECT_EQ(v, (std::vector<uint32_t>{1, 2, 3}));
  EXPECT_EQ(decode_error<std::vector<uint32_t>>("[1, \"x\"]"), "argument 'amount[1]': expected u32, got string \"x\"");
  EXPECT_EQ(decode_error<std::vector<std::string>>("{}"), "argument 'amount': expected string[], got object");
  std::optional<uint64_t> o = 5;
  EXPECT_EQ(decode_error<std::optional<uint64_t>>("null", &o), "");
  EXPECT_FALSE(o.has_value());
  EXPECT_EQ(Codec<std::optional<std::vector<Address>>>::type_name(), "address[]?");
  EXPECT_EQ(to_json(std::vector<std::optional<int8_t>>{-1, std::nullopt}), "[-1,null]");
}

TEST(SdkCodec, StructFieldsByName) {
  auto v = json::parse("{\"qty\": 1, \"items\": [{\"n\": \"x\"}]}");
  ASSERT_TRUE(v);
  Path root{nullptr, "order", 0, false};
  std::string error;
  uint32_t qty = 0;
  EXPECT_TRUE(decode_field(*v, "qty", qty, root, error));
  EXPECT_EQ(qty, 1u);
  std::string missing;
  EXPECT_FALSE(decode_field(*v, "sku", missing, root, error));
  EXPECT_EQ(error, "argument 'order.sku': missing (expected string)");
  std::optional<std::string> absent;
  EXPECT_TRUE(decode_field(*v, "note", absent, root, error));
  Path items = root.field("items");
  Path first = items.element(0);
  EXPECT_EQ(first.field("n").str(), "order.items[0].n");
  EXPECT_FALSE(expect_object(json::Value("3"), "Item", root, error));
  EXPECT_EQ(error, "argument 'order': expected Item, got number 3");
}

}  // namespace
}  // namespace ward::abi
