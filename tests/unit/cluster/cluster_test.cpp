// Cluster mode's pieces that need no etcd: the ordered-block codec, base64,
// endpoint lists, and the node side (src/node/chain.h): a follower applies
// the leader's blocks through the same executor path and refuses a block
// that does not re-execute to its header; the before-commit hook can discard
// a block; produced blocks respect a byte bound.
#include <gtest/gtest.h>

#include "cluster/cluster.h"
#include "cluster/etcd.h"
#include "node/chain.h"
#include "node_test_util.h"
#include "runtime/backend.h"
#include "state/kv_store.h"

namespace ward::cluster {
namespace {

using node::testing::input_of;
using node::testing::key_of;
using node::testing::make_tx;

const std::string kChainId = "ward-cluster-unit";
constexpr uint64_t kT0 = 1'700'000'000'000ull;

TEST(Base64, RoundTripsAndRejectsGarbage) {
  for (std::string s : {std::string(), std::string("a"), std::string("ab"), std::string("abc"),
                        std::string("ward/c/blocks/\x00\xff", 16)}) {
    auto d = base64_decode(base64_encode(s));
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.value(), s);
  }
  EXPECT_EQ(base64_encode("ward"), "d2FyZA==");
  EXPECT_FALSE(base64_decode("d2F*ZA==").ok());
}

TEST(Endpoints, ParseAndReject) {
  auto e = parse_endpoints("http://127.0.0.1:2379,http://h:1/");
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(e.value(), (std::vector<std::string>{"http://127.0.0.1:2379", "http://h:1"}));
  EXPECT_NE(parse_endpoints("").error().message.find("empty endpoint"), std::string::npos);
  EXPECT_NE(parse_endpoints("http://a:1,,http://b:2").error().message.find("empty endpoint"), std::string::npos);
  EXPECT_NE(parse_endpoints("https://a:1").error().message.find("must start with http://"), std::string::npos);
  EXPECT_NE(parse_endpoints("http://a").error().message.find("HOST:PORT"), std::string::npos);
  EXPECT_NE(parse_endpoints("http://a:99999").error().message.find("port"), std::string::npos);
}

TEST(PrefixEnd, IsTheNextKey) {
  EXPECT_EQ(prefix_end("ward/c/blocks/"), "ward/c/blocks0");
  EXPECT_EQ(prefix_end(std::string("a\xff", 2)), "b");
}

// --- the node side ------------------------------------------------------------

class ApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    producer_key = key_of(0x50);
    alice_key = key_of(0xa1);
    alice = chain::address_of(alice_key.public_key);
    genesis.chain_id = kChainId;
    genesis.genesis_time_ms = kT0;
    genesis.producer = chain::address_of(producer_key.public_key);
    genesis.min_gas_price = 1;
    genesis.balances[alice] = 1'000'000'000;
  }
  std::unique_ptr<node::Chain> open(state::MemoryStore& s, bool with_key) {
    EXPECT_TRUE(node::Chain::init(s, genesis).ok());
    node::Chain::Options o;
    if (with_key) o.producer_key = producer_key;
    auto c = node::Chain::open(s, *backend, o);
    EXPECT_TRUE(c.ok()) << c.error().message;
    return std::move(c.value());
  }
  node::TxInput transfer(uint64_t nonce, uint64_t amount) {
    return input_of(make_tx(kChainId, alice_key, nonce, chain::TransferAction{carol, amount}), alice_key);
  }

  std::unique_ptr<runtime::Backend> backend = runtime::make_interp_backend();
  node::Genesis genesis;
  chain::KeyPair producer_key, alice_key;
  chain::Address alice{};
  chain::Address carol{{0xca, 0x40}};
};

TEST_F(ApplyTest, AFollowerReachesTheLeadersStateAndBlocks) {
  state::MemoryStore leader_store, follower_store;
  auto leader = open(leader_store, true);
  auto follower = open(follower_store, false);
  uint64_t nonce = 0;
  for (int b = 0; b < 4; ++b) {
    std::vector<node::TxInput> txs;
    for (int i = 0; i <= b; ++i) txs.push_back(transfer(nonce++, 10 + i));
    auto made = leader->produce(txs, kT0 + 1000 * (b + 1));
    ASSERT_TRUE(made.ok() && made.value().committed);
    ASSERT_EQ(made.value().txs.size(), txs.size());
    // The block travels encoded, as etcd holds it.
    auto decoded = decode_block(encode_block(made.value().header, made.value().txs));
    ASSERT_TRUE(decoded.ok()) << decoded.error().message;
    auto applied = follower->apply_block(decoded.value().first, decoded.value().second);
    ASSERT_TRUE(applied.ok()) << applied.error().message;
    EXPECT_TRUE(applied.value().committed);
    EXPECT_EQ(applied.value().hash, made.value().hash);
    EXPECT_EQ(applied.value().receipts.size(), txs.size());
  }
  EXPECT_EQ(follower->head().hash, leader->head().hash);
  EXPECT_EQ(follower_store.contents(), leader_store.contents());
}

TEST_F(ApplyTest, ABlockThatDoesNotReexecuteIsRefusedAndNothingIsWritten) {
  state::MemoryStore leader_store, follower_store;
  auto leader = open(leader_store, true);
  auto follower = open(follower_store, false);
  auto made = leader->produce({transfer(0, 5), transfer(1, 6)}, kT0 + 1000);
  ASSERT_TRUE(made.ok() && made.value().committed);
  const node::BlockResult& b = made.value();
  const auto before = follower_store.contents();

  // A state root the transactions do not produce, correctly signed: diverges.
  node::BlockHeader bad = b.header.header;
  bad.state_root[0] ^= 1;
  auto r = follower->apply_block(node::sign_header(bad, kChainId, producer_key), b.txs);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("block 1 diverges: state root"), std::string::npos) << r.error().message;

  // A receipts root that differs.
  bad = b.header.header;
  bad.receipts_root[3] ^= 1;
  r = follower->apply_block(node::sign_header(bad, kChainId, producer_key), b.txs);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("diverges: receipts root"), std::string::npos) << r.error().message;

  // A transaction missing from the block.
  r = follower->apply_block(b.header, {b.txs[0]});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("diverges"), std::string::npos) << r.error().message;

  // A transaction that cannot apply here (its nonce is taken): diverges.
  r = follower->apply_block(b.header, {b.txs[1], b.txs[0]});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("not applicable"), std::string::npos) << r.error().message;

  // A forged signature.
  node::SignedHeader forged = b.header;
  forged.signature[0] ^= 1;
  r = follower->apply_block(forged, b.txs);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("signature"), std::string::npos) << r.error().message;

  EXPECT_EQ(follower_store.contents(), before);
  EXPECT_EQ(follower->head().height, 0u);
  // The true block still applies.
  auto ok = follower->apply_block(b.header, b.txs);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(follower->head().hash, leader->head().hash);
}

TEST_F(ApplyTest, ABlockThatDoesNotExtendTheHeadIsRefused) {
  state::MemoryStore leader_store, follower_store;
  auto leader = open(leader_store, true);
  auto follower = open(follower_store, false);
  auto b1 = leader->produce({transfer(0, 5)}, kT0 + 1000);
  auto b2 = leader->produce({transfer(1, 5)}, kT0 + 2000);
  ASSERT_TRUE(b1.ok() && b2.ok());
  auto r = follower->apply_block(b2.value().header, b2.value().txs);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("block 2 does not extend the head"), std::string::npos) << r.error().message;
  EXPECT_EQ(follower->head().height, 0u);
}

TEST_F(ApplyTest, BeforeCommitCanDiscardABlock) {
  state::MemoryStore s;
  auto c = open(s, true);
  const auto before = s.contents();
  int calls = 0;
  auto r = c->produce({transfer(0, 5)}, kT0 + 1000, [&](const node::BlockResult& b) -> Result<bool> {
    ++calls;
    EXPECT_EQ(b.header.header.height, 1u);
    EXPECT_EQ(b.txs.size(), 1u);
    return false;
  });
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(r.value().discarded);
  EXPECT_FALSE(r.value().committed);
  EXPECT_EQ(s.contents(), before);
  EXPECT_EQ(c->head().height, 0u);
  // An error is returned as is, nothing written either.
  auto e = c->produce({transfer(0, 5)}, kT0 + 1000,
                      [](const node::BlockResult&) -> Result<bool> { return make_error("etcd down"); });
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().message, "etcd down");
  EXPECT_EQ(s.contents(), before);
  // Accepted: committed.
  auto ok = c->produce({transfer(0, 5)}, kT0 + 1000, [](const node::BlockResult&) -> Result<bool> { return true; });
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok.value().committed);
  EXPECT_EQ(c->head().height, 1u);
}

TEST_F(ApplyTest, ProducedBlocksKeepToTheByteBound) {
  state::MemoryStore s;
  ASSERT_TRUE(node::Chain::init(s, genesis).ok());
  node::Chain::Options o;
  o.producer_key = producer_key;
  const node::TxInput t0 = transfer(0, 5);
  o.max_block_bytes = t0.stored.size() * 2 + 1;  // two transfers fit, not three
  auto c = node::Chain::open(s, *backend, o);
  ASSERT_TRUE(c.ok());
  auto r = c.value()->produce({t0, transfer(1, 5), transfer(2, 5)}, kT0 + 1000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().receipts.size(), 2u);
  ASSERT_EQ(r.value().deferred.size(), 1u);
  // A transaction larger than the bound on its own can never be ordered: dropped.
  node::TxInput big = transfer(2, 5);
  big.stored.append(o.max_block_bytes, '\0');
  auto r2 = c.value()->produce({big}, kT0 + 2000);
  ASSERT_TRUE(r2.ok());
  ASSERT_EQ(r2.value().dropped.size(), 1u);
  EXPECT_NE(r2.value().dropped[0].second.find("exceed the block limit"), std::string::npos);
}

TEST(BlockCodec, RejectsTruncatedAndTrailingBytes) {
  node::SignedHeader h;
  h.header.height = 7;
  const std::string enc = encode_block(h, {"abc", std::string(300, 'x')});
  auto d = decode_block(enc);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d.value().first.header.height, 7u);
  EXPECT_EQ(d.value().second, (std::vector<std::string>{"abc", std::string(300, 'x')}));
  EXPECT_EQ(enc.size(), block_overhead(2) + 303);
  EXPECT_NE(decode_block(enc.substr(0, enc.size() - 1)).error().message.find("truncated"), std::string::npos);
  EXPECT_NE(decode_block(enc + "z").error().message.find("trailing"), std::string::npos);
  EXPECT_NE(decode_block("short").error().message.find("fewer than a header"), std::string::npos);
}

}  // namespace
}  // namespace ward::cluster
