#include <gtest/gtest.h>

#include "state/layout.h"

namespace ward::state {
namespace {

TEST(Layout, Sha256KnownVector) {
  EXPECT_EQ(hex_encode(sha256(std::string_view("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Layout, HexRoundTrip) {
  EXPECT_EQ(hex_decode("00fFa1"), std::string("\x00\xff\xa1", 3));
  EXPECT_EQ(hex_decode("0"), std::nullopt);
  EXPECT_EQ(hex_decode("zz"), std::nullopt);
  EXPECT_EQ(decode_u64(encode_u64(0x0102030405060708ull)), 0x0102030405060708ull);
  EXPECT_EQ(encode_u64(1), std::string("\0\0\0\0\0\0\0\x01", 8));
}

TEST(Layout, Keys) {
  Address a{};
  a[19] = 0xde;
  EXPECT_EQ(contract_key(a).size(), 22u);
  EXPECT_EQ(contract_key(a).substr(0, 2), "c/");
  EXPECT_EQ(storage_key(a, "bal"), "s/" + as_string(a) + "/bal");
  EXPECT_EQ(nonce_key(a).substr(0, 2), "n/");
  Hash h{};
  EXPECT_EQ(code_key(h).size(), 34u);
}

TEST(Layout, ContractRecordRoundTrip) {
  MemoryStore store;
  Overlay o(store);
  Address a{};
  a[0] = 1;
  ContractRecord rec;
  rec.code_hash = sha256(std::string_view("code"));
  rec.deployer[5] = 7;
  rec.created_at = 42;
  rec.created_time = 1700000000;
  EXPECT_FALSE(get_contract(o, a).value().has_value());
  put_contract(o, a, rec);
  ASSERT_TRUE(o.commit().ok());
  auto got = get_contract(o, a);
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got.value().has_value());
  EXPECT_EQ(*got.value(), rec);
  EXPECT_FALSE(decode_contract("{\"code_hash\":1}").ok());
  EXPECT_FALSE(decode_contract("not json").ok());
}

TEST(Layout, CodeNonceHeight) {
  MemoryStore store;
  Overlay o(store);
  Hash h = sha256(std::string_view("wasm"));
  EXPECT_TRUE(put_code(o, h, "wasm").value());
  EXPECT_FALSE(put_code(o, h, "wasm").value());
  EXPECT_EQ(*get_code(o, h).value(), "wasm");
  Address a{};
  EXPECT_EQ(get_nonce(o, a).value(), 0u);
  put_nonce(o, a, 3);
  EXPECT_EQ(get_nonce(o, a).value(), 3u);
  EXPECT_EQ(get_height(o).value(), 0u);
  put_height(o, 9);
  EXPECT_EQ(get_height(o).value(), 9u);
}

}  // namespace
}  // namespace ward::state
