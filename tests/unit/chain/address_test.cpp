#include <gtest/gtest.h>

#include "chain/address.h"
#include "chain/executor.h"

namespace ward::chain {
namespace {

TEST(Address, FormatAndParse) {
  EXPECT_EQ(format_address(kDevAddress), "0x00000000000000000000000000000000000000de");
  EXPECT_EQ(parse_address("0x00000000000000000000000000000000000000DE"), kDevAddress);
  EXPECT_EQ(parse_address("00000000000000000000000000000000000000de"), std::nullopt);
  EXPECT_EQ(parse_address("0x00de"), std::nullopt);
  EXPECT_EQ(parse_address("0x00000000000000000000000000000000000000zz"), std::nullopt);
  Hash h = state::sha256(std::string_view("abc"));
  EXPECT_EQ(parse_hash(format_hash(h)), h);
}

TEST(Address, ContractAddressIsLast20BytesOfSha256) {
  Hash h = state::sha256(state::as_string(kDevAddress) + std::string("\0\0\0\0\0\0\0\x05", 8));
  Address a = contract_address(kDevAddress, 5);
  EXPECT_TRUE(std::equal(a.begin(), a.end(), h.begin() + 12));
  EXPECT_NE(contract_address(kDevAddress, 0), contract_address(kDevAddress, 1));
}

TEST(Status, Names) {
  EXPECT_STREQ(to_string(Status::Ok), "ok");
  EXPECT_STREQ(to_string(Status::Reverted), "reverted");
  EXPECT_STREQ(to_string(Status::Trapped), "trapped");
  EXPECT_STREQ(to_string(Status::Failed), "failed");
}

}  // namespace
}  // namespace ward::chain
