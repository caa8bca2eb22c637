// The mempool (src/node/mempool.h): every admission rule with its rejection
// kind and message, ordering, replacement, eviction, gaps, remove and prune.
// Accounts come from a fake function, so no store is needed.
#include <gtest/gtest.h>

#include <map>

#include "node/mempool.h"

namespace ward::node {
namespace {

const std::string kChain = "mp-chain";
constexpr uint64_t kHead = 10;
constexpr uint64_t kMinPrice = 2;
constexpr uint64_t kBlockGas = 1'000'000;

chain::KeyPair key_of(uint8_t b) {
  chain::Seed s;
  s.fill(b);
  return chain::KeyPair::from_seed(s);
}

class MempoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (uint8_t i = 1; i <= 4; ++i) {
      keys.push_back(key_of(i));
      addrs.push_back(chain::address_of(keys.back().public_key));
      accounts[addrs.back()] = AccountView{0, 1'000'000'000};
    }
  }

  Mempool make(MempoolOptions o = {}) {
    return Mempool(o, kChain, [this](const chain::Address& a) -> Result<AccountView> {
      ++account_reads;
      if (fail_accounts) return make_error("storage error: boom");
      auto it = accounts.find(a);
      return it == accounts.end() ? AccountView{} : it->second;
    });
  }

  chain::Transaction tx(size_t who, uint64_t nonce, uint64_t price = 5, uint64_t amount = 1) {
    chain::Transaction t;
    t.chain_id = kChain;
    t.signer = keys[who].public_key;
    t.nonce = nonce;
    t.expiry_height = kHead + 100;
    t.gas_limit = 10'000;
    t.gas_price = price;
    t.action = chain::TransferAction{chain::Address{{0xee}}, amount};
    return t;
  }
  std::string sign(const chain::Transaction& t, size_t who) {
    return chain::encode_signed(chain::sign_transaction(t, keys[who]));
  }
  std::string signed_tx(size_t who, uint64_t nonce, uint64_t price = 5, uint64_t amount = 1) {
    return sign(tx(who, nonce, price, amount), who);
  }

  static std::variant<Hash, Rejection> add(Mempool& m, std::string_view bytes) {
    return m.add(bytes, kHead, kMinPrice, kBlockGas);
  }
  /// Expects a rejection of `kind` whose message contains `part`; returns the message.
  static std::string rejected(const std::variant<Hash, Rejection>& r, const std::string& kind,
                              const std::string& part = "") {
    if (!std::holds_alternative<Rejection>(r)) {
      ADD_FAILURE() << "accepted; expected " << kind;
      return {};
    }
    const Rejection& rj = std::get<Rejection>(r);
    EXPECT_EQ(rj.kind, kind) << rj.message;
    EXPECT_NE(rj.message.find(part), std::string::npos) << rj.message << " lacks " << part;
    return rj.message;
  }
  static Hash accepted(const std::variant<Hash, Rejection>& r) {
    if (const auto* rj = std::get_if<Rejection>(&r)) {
      ADD_FAILURE() << "rejected: " << rj->kind << ": " << rj->message;
      return {};
    }
    return std::get<Hash>(r);
  }
  /// The selected transactions as (sender index, nonce).
  std::vector<std::pair<size_t, uint64_t>> order(Mempool& m, size_t max = 100) {
    auto s = m.select(max);
    EXPECT_TRUE(s.ok());
    std::vector<std::pair<size_t, uint64_t>> out;
    for (const auto& t : s.value()) {
      size_t who = std::find(addrs.begin(), addrs.end(), t.sender) - addrs.begin();
      out.emplace_back(who, t.tx.nonce);
    }
    return out;
  }

  std::vector<chain::KeyPair> keys;
  std::vector<chain::Address> addrs;
  std::map<chain::Address, AccountView> accounts;
  bool fail_accounts = false;
  int account_reads = 0;
};

TEST_F(MempoolTest, AcceptsAValidTransaction) {
  Mempool m = make();
  const std::string b = signed_tx(0, 0);
  Hash h = accepted(add(m, b));
  EXPECT_EQ(h, chain::sign_transaction(tx(0, 0), keys[0]).hash);
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.bytes(), b.size());
  EXPECT_TRUE(m.contains(h));
  auto s = m.select(10);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s.value().size(), 1u);
  EXPECT_EQ(s.value()[0].hash, h);
  EXPECT_EQ(s.value()[0].sender, addrs[0]);
  EXPECT_EQ(s.value()[0].stored, b);
  EXPECT_EQ(s.value()[0].tx, tx(0, 0));
}

TEST_F(MempoolTest, Undecodable) {
  Mempool m = make();
  rejected(add(m, "garbage"), "undecodable", "undecodable transaction: ");
  std::string b = signed_tx(0, 0);
  rejected(add(m, b.substr(0, b.size() - 1)), "undecodable", "64-byte signature");
  EXPECT_EQ(m.size(), 0u);
}

TEST_F(MempoolTest, TooLarge) {
  const std::string b = signed_tx(0, 0);
  MempoolOptions o;
  o.max_tx_bytes = b.size() - 1;
  Mempool m = make(o);
  rejected(add(m, b), "too_large",
           "transaction of " + std::to_string(b.size()) + " bytes exceeds max_tx_bytes (" +
               std::to_string(b.size() - 1) + ")");
  o.max_tx_bytes = b.size();
  Mempool m2 = make(o);
  accepted(add(m2, b));
}

TEST_F(MempoolTest, WrongChain) {
  Mempool m = make();
  chain::Transaction t = tx(0, 0);
  t.chain_id = "other";
  EXPECT_EQ(rejected(add(m, sign(t, 0)), "wrong_chain"), "wrong chain id 'other' (this chain is 'mp-chain')");
}

TEST_F(MempoolTest, BadSignature) {
  Mempool m = make();
  std::string b = signed_tx(0, 0);
  b.back() ^= 0x01;
  EXPECT_EQ(rejected(add(m, b), "bad_signature"), "bad signature");
  // Signed by another key than the signer field names.
  chain::SignedTransaction s = chain::sign_transaction(tx(0, 0), keys[0]);
  s.tx.signer = keys[1].public_key;
  s.tx_bytes = chain::encode(s.tx);
  rejected(add(m, chain::encode_signed(s)), "bad_signature");
  EXPECT_EQ(m.size(), 0u);
}

TEST_F(MempoolTest, Expired) {
  Mempool m = make();
  chain::Transaction t = tx(0, 0);
  t.expiry_height = kHead;  // must be above the head
  EXPECT_EQ(rejected(add(m, sign(t, 0)), "expired"), "expired: expiry height 10 is not above the head height 10");
  t.expiry_height = kHead + 1;
  accepted(add(m, sign(t, 0)));
}

TEST_F(MempoolTest, ExpiryTooFar) {
  Mempool m = make();
  chain::Transaction t = tx(0, 0);
  t.expiry_height = kHead + 3601;
  rejected(add(m, sign(t, 0)), "expiry_too_far", "expiry height 3611 is too far ahead (at most head 10 + 3600)");
  t.expiry_height = kHead + 3600;
  accepted(add(m, sign(t, 0)));
}

TEST_F(MempoolTest, NonceTooLowGivesTheNextNonce) {
  accounts[addrs[0]].nonce = 5;
  Mempool m = make();
  EXPECT_EQ(rejected(add(m, signed_tx(0, 4)), "nonce_too_low"), "nonce too low: 4 (the account's next nonce is 5)");
  accepted(add(m, signed_tx(0, 5)));
}

TEST_F(MempoolTest, NonceTooHigh) {
  accounts[addrs[0]].nonce = 5;
  Mempool m = make();
  rejected(add(m, signed_tx(0, 22)), "nonce_too_high", "nonce too far ahead: 22 (the account's next nonce is 5; at most 16 ahead)");
  accepted(add(m, signed_tx(0, 21)));  // exactly 16 ahead
}

TEST_F(MempoolTest, GasPriceTooLow) {
  Mempool m = make();
  EXPECT_EQ(rejected(add(m, signed_tx(0, 0, 1)), "gas_price_too_low"),
            "gas price 1 is below the minimum gas price (2)");
  accepted(add(m, signed_tx(0, 0, 2)));
}

TEST_F(MempoolTest, GasLimitTooHighOrZero) {
  Mempool m = make();
  chain::Transaction t = tx(0, 0);
  t.gas_limit = kBlockGas + 1;
  EXPECT_EQ(rejected(add(m, sign(t, 0)), "gas_limit_too_high"),
            "gas limit 1000001 exceeds the block gas limit (1000000)");
  t.gas_limit = 0;
  EXPECT_EQ(rejected(add(m, sign(t, 0)), "gas_limit_too_high"), "gas limit must be greater than 0");
  t.gas_limit = kBlockGas;
  accepted(add(m, sign(t, 0)));
}

TEST_F(MempoolTest, InsufficientBalance) {
  accounts[addrs[0]].balance = 10'000 * 5 + 99;  // gas_limit x price + 99
  Mempool m = make();
  rejected(add(m, signed_tx(0, 0, 5, 100)), "insufficient_balance",
           "insufficient balance: " + chain::format_address(addrs[0]) +
               " has 50099, needs gas limit x gas price + value = 50000 + 100");
  accepted(add(m, signed_tx(0, 0, 5, 99)));
}

TEST_F(MempoolTest, InsufficientBalanceOnOverflow) {
  Mempool m = make();
  chain::Transaction t = tx(0, 0);
  t.gas_price = UINT64_MAX / 1000;
  t.gas_limit = 10'000;
  rejected(add(m, sign(t, 0)), "insufficient_balance", "more than 2^64");
  t.gas_price = 2;
  t.action = chain::TransferAction{chain::Address{}, UINT64_MAX};
  rejected(add(m, sign(t, 0)), "insufficient_balance");
}

TEST_F(MempoolTest, StorageFaultOfTheAccountRead) {
  fail_accounts = true;
  Mempool m = make();
  rejected(add(m, signed_tx(0, 0)), "storage_fault", "boom");
}

TEST_F(MempoolTest, Duplicate) {
  Mempool m = make();
  const std::string b = signed_tx(0, 0);
  Hash h = accepted(add(m, b));
  EXPECT_EQ(rejected(add(m, b), "duplicate"),
            "duplicate transaction " + chain::format_hash(h) + " (already in the mempool)");
  EXPECT_EQ(m.size(), 1u);
}

TEST_F(MempoolTest, UnderpricedReplacement) {
  Mempool m = make();
  Hash old = accepted(add(m, signed_tx(0, 0, 10)));
  // 10% more is 11: 10 (same price, other tx) and 10.x are refused.
  rejected(add(m, signed_tx(0, 0, 10, 2)), "underpriced_replacement",
           "replacement transaction underpriced: nonce 0 is taken by " + chain::format_hash(old) +
               " at gas price 10; a replacement needs 11 or more");
  EXPECT_TRUE(m.contains(old));
  EXPECT_EQ(m.size(), 1u);
}

TEST_F(MempoolTest, UnderpricedReplacementAtTheMinimumPrice) {
  Mempool m = make();
  accepted(add(m, signed_tx(0, 0, 2)));
  // ceil(2 * 1.1) = 3.
  rejected(add(m, signed_tx(0, 0, 2, 7)), "underpriced_replacement", "needs 3 or more");
}

TEST_F(MempoolTest, ReplacementWithTenPercentMoreReplaces) {
  Mempool m = make();
  const std::string old_bytes = signed_tx(0, 0, 100);
  Hash old = accepted(add(m, old_bytes));
  rejected(add(m, signed_tx(0, 0, 109, 2)), "underpriced_replacement", "needs 110 or more");
  const std::string nb = signed_tx(0, 0, 110, 3);
  Hash repl = accepted(add(m, nb));
  EXPECT_FALSE(m.contains(old));
  EXPECT_TRUE(m.contains(repl));
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.bytes(), nb.size());
  auto s = m.select(10);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s.value().size(), 1u);
  EXPECT_EQ(s.value()[0].hash, repl);
  // The old one may come back only as a replacement again (underpriced now).
  rejected(add(m, old_bytes), "underpriced_replacement");
}

TEST_F(MempoolTest, FullEvictsTheCheapest) {
  MempoolOptions o;
  o.max_count = 3;
  Mempool m = make(o);
  Hash a = accepted(add(m, signed_tx(0, 0, 5)));
  Hash b = accepted(add(m, signed_tx(1, 0, 3)));
  Hash c = accepted(add(m, signed_tx(2, 0, 3)));
  // Full: a richer transaction evicts the cheapest (lowest price, latest arrival: c).
  Hash d = accepted(add(m, signed_tx(3, 0, 4)));
  EXPECT_EQ(m.size(), 3u);
  EXPECT_TRUE(m.contains(a));
  EXPECT_TRUE(m.contains(b));
  EXPECT_FALSE(m.contains(c));
  EXPECT_TRUE(m.contains(d));
  // A transaction not paying more than the cheapest (3) is refused.
  rejected(add(m, signed_tx(2, 0, 3)), "mempool_full", "must pay more than gas price 3 to enter");
  EXPECT_EQ(m.size(), 3u);
  EXPECT_TRUE(m.contains(b));
}

TEST_F(MempoolTest, FullByBytes) {
  const std::string b0 = signed_tx(0, 0, 5);
  MempoolOptions o;
  o.max_bytes = b0.size() * 2;
  Mempool m = make(o);
  accepted(add(m, b0));
  Hash cheap = accepted(add(m, signed_tx(1, 0, 3)));
  rejected(add(m, signed_tx(2, 0, 3)), "mempool_full");
  Hash rich = accepted(add(m, signed_tx(2, 0, 9)));
  EXPECT_FALSE(m.contains(cheap));
  EXPECT_TRUE(m.contains(rich));
  EXPECT_LE(m.bytes(), o.max_bytes);
}

TEST_F(MempoolTest, RejectedTransactionEvictsNothing) {
  // Room for two transactions by bytes; a price-3 one and a price-10 one
  // are held. A price-5 transaction that would need both gone cannot enter,
  // and the price-3 one must stay.
  const std::string small = signed_tx(0, 0, 3);
  MempoolOptions o;
  o.max_bytes = small.size() * 2;
  Mempool m = make(o);
  Hash cheap = accepted(add(m, small));
  Hash rich = accepted(add(m, signed_tx(1, 0, 10)));
  // Twice as big: a deploy-sized payload via a longer chain of bytes (a call with long args).
  chain::Transaction big = tx(2, 0, 5);
  big.action = chain::CallAction{chain::Address{}, "m", std::string(small.size(), 'x'), 0};
  rejected(add(m, sign(big, 2)), "mempool_full");
  EXPECT_TRUE(m.contains(cheap));
  EXPECT_TRUE(m.contains(rich));
  EXPECT_EQ(m.size(), 2u);
}

TEST_F(MempoolTest, RejectedReplacementKeepsTheOriginal) {
  // A replacement that pays enough but does not fit by bytes must leave the
  // original in place.
  const std::string small = signed_tx(0, 0, 10);
  MempoolOptions o;
  o.max_bytes = small.size() + 10;
  Mempool m = make(o);
  Hash original = accepted(add(m, small));
  chain::Transaction big = tx(0, 0, 20);
  big.action = chain::CallAction{chain::Address{}, "m", std::string(small.size(), 'x'), 0};
  rejected(add(m, sign(big, 0)), "mempool_full");
  EXPECT_TRUE(m.contains(original));
  EXPECT_EQ(m.size(), 1u);
  EXPECT_EQ(m.bytes(), small.size());
}

TEST_F(MempoolTest, OrderPerSenderByNonceAcrossSendersByPriceThenArrival) {
  Mempool m = make();
  // Arrival: A2, A0, A1 (A at price 5), C0 (price 5), B1, B0 (price 7).
  accepted(add(m, signed_tx(0, 2, 5)));
  accepted(add(m, signed_tx(0, 0, 5)));
  accepted(add(m, signed_tx(0, 1, 9)));  // a higher price later in the run does not jump ahead of nonce 0
  accepted(add(m, signed_tx(2, 0, 5)));
  accepted(add(m, signed_tx(1, 1, 7)));
  accepted(add(m, signed_tx(1, 0, 7)));
  using P = std::vector<std::pair<size_t, uint64_t>>;
  // B0 (7) first, then B1 (7); A0 (5, arrived before C0), then A1 (9), A2 (5,
  // arrived first of all), C0.
  EXPECT_EQ(order(m), (P{{1, 0}, {1, 1}, {0, 0}, {0, 1}, {0, 2}, {2, 0}}));
  EXPECT_EQ(order(m, 3), (P{{1, 0}, {1, 1}, {0, 0}}));
  EXPECT_TRUE(order(m, 0).empty());
}

TEST_F(MempoolTest, EqualPriceGoesByArrival) {
  Mempool m = make();
  accepted(add(m, signed_tx(2, 0, 5)));
  accepted(add(m, signed_tx(0, 0, 5)));
  accepted(add(m, signed_tx(1, 0, 5)));
  using P = std::vector<std::pair<size_t, uint64_t>>;
  EXPECT_EQ(order(m), (P{{2, 0}, {0, 0}, {1, 0}}));
}

TEST_F(MempoolTest, SelectSkipsASenderWithAGap) {
  Mempool m = make();
  accepted(add(m, signed_tx(0, 0)));
  accepted(add(m, signed_tx(0, 2)));  // nonce 1 missing
  accepted(add(m, signed_tx(1, 1)));  // sender 1's next nonce is 0: nothing selectable
  accepted(add(m, signed_tx(1, 2)));
  using P = std::vector<std::pair<size_t, uint64_t>>;
  EXPECT_EQ(order(m), (P{{0, 0}}));
  // Filling the gap makes the run selectable.
  accepted(add(m, signed_tx(1, 0)));
  accepted(add(m, signed_tx(0, 1)));
  EXPECT_EQ(order(m).size(), 6u);
}

TEST_F(MempoolTest, SelectStartsAtTheAccountsNextNonce) {
  Mempool m = make();
  accepted(add(m, signed_tx(0, 0)));
  accepted(add(m, signed_tx(0, 1)));
  accepted(add(m, signed_tx(0, 2)));
  accounts[addrs[0]].nonce = 1;  // nonce 0 was included elsewhere
  using P = std::vector<std::pair<size_t, uint64_t>>;
  EXPECT_EQ(order(m), (P{{0, 1}, {0, 2}}));
}

TEST_F(MempoolTest, SelectReportsAccountReadFailures) {
  Mempool m = make();
  accepted(add(m, signed_tx(0, 0)));
  fail_accounts = true;
  auto s = m.select(10);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("boom"), std::string::npos);
}

TEST_F(MempoolTest, RemoveAndPruneStale) {
  Mempool m = make();
  Hash a0 = accepted(add(m, signed_tx(0, 0)));
  Hash a1 = accepted(add(m, signed_tx(0, 1)));
  Hash a2 = accepted(add(m, signed_tx(0, 2)));
  Hash b0 = accepted(add(m, signed_tx(1, 0)));
  const size_t bytes = m.bytes();
  m.remove({b0, Hash{}});  // an unknown hash is ignored
  EXPECT_FALSE(m.contains(b0));
  EXPECT_EQ(m.size(), 3u);
  EXPECT_LT(m.bytes(), bytes);
  accounts[addrs[0]].nonce = 2;  // 0 and 1 were included
  m.prune_stale();
  EXPECT_FALSE(m.contains(a0));
  EXPECT_FALSE(m.contains(a1));
  EXPECT_TRUE(m.contains(a2));
  EXPECT_EQ(m.size(), 1u);
  // After removal the same sender/nonce slot is free again.
  Hash again = accepted(add(m, signed_tx(1, 0)));
  EXPECT_EQ(again, b0);
  m.remove({a2, again});
  EXPECT_EQ(m.size(), 0u);
  EXPECT_EQ(m.bytes(), 0u);
}

TEST_F(MempoolTest, PruneKeepsEverythingWhenAccountsFail) {
  Mempool m = make();
  accepted(add(m, signed_tx(0, 0)));
  fail_accounts = true;
  m.prune_stale();
  EXPECT_EQ(m.size(), 1u);
}

}  // namespace
}  // namespace ward::node
