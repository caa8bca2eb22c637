// Block headers (src/node/block.h): canonical encoding, hash, producer
// signatures and the Merkle root of transactions and receipts.
#include <gtest/gtest.h>

#include "node/block.h"
#include "state/layout.h"

namespace ward::node {
namespace {

Hash filled(uint8_t b) {
  Hash h;
  h.fill(b);
  return h;
}

chain::KeyPair key_of(uint8_t b) {
  chain::Seed s;
  s.fill(b);
  return chain::KeyPair::from_seed(s);
}

std::string hex(const Hash& h) { return state::hex_encode(h); }

BlockHeader sample() {
  BlockHeader h;
  h.height = 0x0102030405060708ull;
  h.parent_hash = filled(0xaa);
  h.time_ms = 1'700'000'000'123ull;
  h.producer = chain::address_of(key_of(7).public_key);
  h.tx_count = 0x11223344;
  h.tx_root = filled(0xbb);
  h.receipts_root = filled(0xcc);
  h.state_root = filled(0xdd);
  h.gas_used = 987'654'321;
  return h;
}

std::string le(uint64_t v, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) s.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return s;
}

TEST(BlockHeader, EncodingIsExactAndCanonical) {
  const BlockHeader h = sample();
  const std::string bytes = encode_header(h);
  EXPECT_EQ(kHeaderBytes, 177u);
  ASSERT_EQ(bytes.size(), kHeaderBytes);
  std::string expect;
  expect += '\x01';
  expect += le(h.height, 8);
  expect += state::as_string(h.parent_hash);
  expect += le(h.time_ms, 8);
  expect += state::as_string(h.producer);
  expect += le(h.tx_count, 4);
  expect += state::as_string(h.tx_root);
  expect += state::as_string(h.receipts_root);
  expect += state::as_string(h.state_root);
  expect += le(h.gas_used, 8);
  EXPECT_EQ(bytes, expect);
}

TEST(BlockHeader, RoundTrip) {
  const BlockHeader h = sample();
  auto d = decode_header(encode_header(h));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d.value(), h);
  EXPECT_EQ(encode_header(d.value()), encode_header(h));
  // The zero header too.
  auto z = decode_header(encode_header(BlockHeader{}));
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z.value(), BlockHeader{});
}

TEST(BlockHeader, DecodeRejectsWrongSizeAndVersion) {
  const std::string bytes = encode_header(sample());
  auto short_ = decode_header(bytes.substr(0, kHeaderBytes - 1));
  ASSERT_FALSE(short_.ok());
  EXPECT_EQ(short_.error().message, "block header: expected 177 bytes, found 176");
  auto long_ = decode_header(bytes + "x");
  ASSERT_FALSE(long_.ok());
  EXPECT_EQ(long_.error().message, "block header: expected 177 bytes, found 178");
  std::string v2 = bytes;
  v2[0] = 2;
  auto bad = decode_header(v2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "block header: unsupported version 2");
}

TEST(BlockHeader, HashIsSha256OfTheEncodingAndCoversEveryField) {
  const BlockHeader h = sample();
  EXPECT_EQ(block_hash(h), state::sha256(encode_header(h)));
  std::vector<BlockHeader> variants(10, h);
  variants[0].height++;
  variants[1].parent_hash[0] ^= 1;
  variants[2].time_ms++;
  variants[3].producer[19] ^= 1;
  variants[4].tx_count++;
  variants[5].tx_root[31] ^= 1;
  variants[6].receipts_root[0] ^= 1;
  variants[7].state_root[5] ^= 1;
  variants[8].gas_used++;
  variants[9].version = 2;
  for (const auto& v : variants) EXPECT_NE(block_hash(v), block_hash(h));
}

TEST(BlockHeader, SigningDigestIsDomainSeparated) {
  const BlockHeader h = sample();
  EXPECT_EQ(block_signing_digest("c", h), state::sha256("WARD/block/v1c" + encode_header(h)));
  EXPECT_NE(block_signing_digest("c1", h), block_signing_digest("c2", h));
}

TEST(BlockHeader, SignAndVerify) {
  const chain::KeyPair key = key_of(7);
  const BlockHeader h = sample();
  SignedHeader s = sign_header(h, "ward-test", key);
  EXPECT_EQ(s.header, h);
  EXPECT_EQ(s.producer_key, key.public_key);
  EXPECT_TRUE(verify_header(s, "ward-test", false).ok());
  EXPECT_TRUE(verify_header(s, "ward-test", true).ok());
  // Another chain id: the signature does not verify.
  auto other = verify_header(s, "ward-other", false);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().message, "block 72623859790382856: bad producer signature");
}

TEST(BlockHeader, BadSignatureIsRejected) {
  SignedHeader s = sign_header(sample(), "ward-test", key_of(7));
  SignedHeader flipped = s;
  flipped.signature[10] ^= 0x01;
  auto r = verify_header(flipped, "ward-test", false);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bad producer signature"), std::string::npos);
  // A changed header field invalidates the signature.
  SignedHeader changed = s;
  changed.header.gas_used++;
  auto r2 = verify_header(changed, "ward-test", false);
  ASSERT_FALSE(r2.ok());
  EXPECT_NE(r2.error().message.find("bad producer signature"), std::string::npos);
}

TEST(BlockHeader, ProducerMismatchIsRejected) {
  // Signed by key 8 for a header naming key 7's address.
  SignedHeader s = sign_header(sample(), "ward-test", key_of(8));
  auto r = verify_header(s, "ward-test", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "block 72623859790382856: producer key does not match the producer address");
}

TEST(BlockHeader, UnsignedAllowedOnlyWhenAsked) {
  SignedHeader s{sample(), {}, {}};
  EXPECT_TRUE(verify_header(s, "ward-test", true).ok());
  auto r = verify_header(s, "ward-test", false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "block 72623859790382856: unsigned");
  // A zero key with a non-zero signature is not "unsigned": it is checked.
  SignedHeader half = s;
  half.signature[0] = 1;
  EXPECT_FALSE(verify_header(half, "ward-test", true).ok());
}

TEST(BlockHeader, SignedEncodingRoundTrip) {
  SignedHeader s = sign_header(sample(), "ward-test", key_of(7));
  const std::string bytes = encode_signed_header(s);
  ASSERT_EQ(bytes.size(), kHeaderBytes + 32 + 64);
  EXPECT_EQ(bytes.substr(0, kHeaderBytes), encode_header(s.header));
  EXPECT_EQ(bytes.substr(kHeaderBytes, 32), std::string(s.producer_key.begin(), s.producer_key.end()));
  EXPECT_EQ(bytes.substr(kHeaderBytes + 32), std::string(s.signature.begin(), s.signature.end()));
  auto d = decode_signed_header(bytes);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d.value().header, s.header);
  EXPECT_EQ(d.value().producer_key, s.producer_key);
  EXPECT_EQ(d.value().signature, s.signature);
  EXPECT_TRUE(verify_header(d.value(), "ward-test", false).ok());
  auto bad = decode_signed_header(bytes.substr(1));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "signed block header: expected 273 bytes, found 272");
}

// --- Merkle roots: leaf sha256(0x00 || leaf), node sha256(0x01 || l || r),
// an odd last node carried up unchanged ---

Hash L(const Hash& x) { return state::sha256(std::string(1, '\0') + state::as_string(x)); }
Hash N(const Hash& a, const Hash& b) { return state::sha256(std::string(1, '\1') + state::as_string(a) + state::as_string(b)); }

TEST(MerkleRoot, Empty) { EXPECT_EQ(merkle_root({}), Hash{}); }

TEST(MerkleRoot, OneLeaf) {
  const std::vector<Hash> v{filled(1)};
  EXPECT_EQ(merkle_root(v), L(filled(1)));
  EXPECT_EQ(hex(merkle_root(v)), "dcffe786ded16d283c663846ad0c4ff26558fccde36ca9d30b2ea19eade9fc0e");
  EXPECT_NE(merkle_root(v), filled(1));  // a leaf is hashed, never used raw
}

TEST(MerkleRoot, TwoLeaves) {
  const std::vector<Hash> v{filled(1), filled(2)};
  EXPECT_EQ(merkle_root(v), N(L(filled(1)), L(filled(2))));
  EXPECT_EQ(hex(merkle_root(v)), "3a066e0f40c6a1981ebfa60d2411625d0517ae22c2fc8c7c1784ff8a75c78565");
  // Order matters.
  EXPECT_NE(merkle_root({filled(2), filled(1)}), merkle_root(v));
}

TEST(MerkleRoot, ThreeLeaves) {
  const std::vector<Hash> v{filled(1), filled(2), filled(3)};
  EXPECT_EQ(merkle_root(v), N(N(L(filled(1)), L(filled(2))), L(filled(3))));
  EXPECT_EQ(hex(merkle_root(v)), "df896896c799531f1fd1e556cea26a6989ab06853bcbfdd3e4f5097a611f658f");
}

TEST(MerkleRoot, FiveLeaves) {
  const std::vector<Hash> v{filled(1), filled(2), filled(3), filled(4), filled(5)};
  EXPECT_EQ(merkle_root(v),
            N(N(N(L(filled(1)), L(filled(2))), N(L(filled(3)), L(filled(4)))), L(filled(5))));
  EXPECT_EQ(hex(merkle_root(v)), "c51042bb8b9d81dfc115ef99d0e2cecf1954cfc078d70032d187b46615f01b90");
}

TEST(MerkleRoot, NoSecondPreimageBetweenLevels) {
  // The root of [a, b] is not the root of the single leaf N(L(a), L(b))'s preimage.
  const Hash a = filled(1), b = filled(2);
  EXPECT_NE(merkle_root({a, b}), merkle_root({N(L(a), L(b))}));
  // Duplicating the last leaf changes the root (no Bitcoin-style duplication).
  EXPECT_NE(merkle_root({a, b, b}), merkle_root({a, b}));
  EXPECT_NE(merkle_root({a, b, a}), merkle_root({a, b}));
}

}  // namespace
}  // namespace ward::node
