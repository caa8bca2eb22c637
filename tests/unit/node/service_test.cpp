// The running node (src/node/service.h) in dev mode over a real Chain on
// RocksDB and a real Mempool: submission, waiting for receipts, ordering,
// and halting on a storage fault.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>

#include "node/service.h"
#include "node_test_util.h"
#include "runtime/backend.h"
#include "state/objects.h"
#include "state/rocksdb_store.h"

namespace ward::node {
namespace {

using testing::key_of;
using testing::make_tx;
using testing::TempDir;

const std::string kChainId = "ward-svc";
constexpr uint64_t kT0 = 1'700'000'000'000ull;

/// Wraps a store; once `fail` is set, every write waits `delay` and fails
/// (so a waiter is surely waiting when the node halts).
class SlowFailingStore final : public state::KvStore {
 public:
  explicit SlowFailingStore(state::KvStore& inner) : m_inner(inner) {}
  std::atomic<bool> fail{false};
  std::chrono::milliseconds delay{300};
  Result<std::optional<std::string>> get(std::string_view key) override { return m_inner.get(key); }
  Result<void> write(const state::WriteBatch& b) override {
    if (!fail.load()) return m_inner.write(b);
    std::this_thread::sleep_for(delay);
    return make_error("storage write failed: injected failure");
  }
  Result<void> scan_prefix(std::string_view p, const state::ScanFn& fn) override { return m_inner.scan_prefix(p, fn); }
  Result<void> scan_range(std::string_view s, std::string_view e, const state::ScanFn& fn) override {
    return m_inner.scan_range(s, e, fn);
  }

 private:
  state::KvStore& m_inner;
};

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    keys = {key_of(0x11), key_of(0x22)};
    for (const auto& k : keys) genesis.balances[chain::address_of(k.public_key)] = 1'000'000'000'000ull;
    producer_key = key_of(0x33);
    genesis.chain_id = kChainId;
    genesis.genesis_time_ms = kT0;
    genesis.producer = chain::address_of(producer_key.public_key);
    genesis.min_gas_price = 1;
    state::RocksDbOptions o;
    o.sync_writes = false;
    auto s = state::RocksDbStore::open(dir.path.string(), o);
    ASSERT_TRUE(s.ok()) << s.error().message;
    rocks = std::move(s.value());
    ASSERT_TRUE(Chain::init(*rocks, genesis).ok());
  }

  /// Opens the chain on `store` (the RocksDB store or a wrapper of it) and
  /// builds the mempool reading accounts from it.
  void open(state::KvStore& store) {
    Chain::Options o;
    o.producer_key = producer_key;
    auto c = Chain::open(store, *backend, o);
    ASSERT_TRUE(c.ok()) << c.error().message;
    chain = std::move(c.value());
    state::KvStore* s = &store;
    mempool = std::make_unique<Mempool>(MempoolOptions{}, kChainId,
                                        [s](const chain::Address& a) -> Result<AccountView> {
                                          state::Overlay ov(*s);
                                          auto n = state::get_nonce(ov, a);
                                          if (!n) return n.error();
                                          auto b = state::balance(ov, a);
                                          if (!b) return b.error();
                                          return AccountView{n.value(), b.value()};
                                        });
  }

  std::string signed_transfer(size_t who, uint64_t nonce, uint64_t amount = 1) {
    chain::Transaction t = make_tx(kChainId, keys[who], nonce, chain::TransferAction{carol, amount}, 10'000, 1, 3000);
    return chain::encode_signed(chain::sign_transaction(t, keys[who]));
  }

  TempDir dir;
  std::unique_ptr<state::RocksDbStore> rocks;
  std::unique_ptr<runtime::Backend> backend = runtime::make_interp_backend();
  std::unique_ptr<Chain> chain;
  std::unique_ptr<Mempool> mempool;
  Genesis genesis;
  std::vector<chain::KeyPair> keys;
  chain::KeyPair producer_key;
  chain::Address carol{{0xca}};
};

TEST_F(ServiceTest, FiftyTransfersFromTwoSendersAreAllIncludedInNonceOrder) {
  open(*rocks);
  std::atomic<int> blocks{0}, block_txs{0};
  std::vector<std::string> logs;
  std::mutex log_mu;
  NodeService service(
      *chain, *mempool, ServiceOptions{.block_time_ms = 1000, .dev = true, .max_block_txs = 10'000},
      [&](const BlockResult& b) {
        ++blocks;
        block_txs += static_cast<int>(b.receipts.size());
      },
      [&](const std::string& line) {
        std::lock_guard lock(log_mu);
        logs.push_back(line);
      });
  service.start();

  constexpr uint64_t kEach = 25;
  std::map<Hash, std::pair<size_t, uint64_t>> sent;  // hash -> (sender, nonce)
  std::vector<Hash> order;
  for (uint64_t n = 0; n < kEach; ++n) {
    for (size_t who = 0; who < 2; ++who) {
      const std::string bytes = signed_transfer(who, n);
      std::variant<Hash, Rejection> r;
      // More than 16 nonces ahead of the account is refused until blocks catch up.
      for (int attempt = 0; attempt < 500; ++attempt) {
        r = service.submit(bytes);
        if (!std::holds_alternative<Rejection>(r) || std::get<Rejection>(r).kind != "nonce_too_high") break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
      ASSERT_TRUE(std::holds_alternative<Hash>(r))
          << std::get<Rejection>(r).kind << ": " << std::get<Rejection>(r).message;
      sent[std::get<Hash>(r)] = {who, n};
      order.push_back(std::get<Hash>(r));
    }
  }
  ASSERT_EQ(sent.size(), 2 * kEach);

  std::map<size_t, std::vector<std::tuple<uint64_t, uint32_t, uint64_t>>> by_sender;  // (height, pos, nonce)
  for (const Hash& h : order) {
    auto r = service.wait_receipt(h, std::chrono::seconds(20));
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_TRUE(r.value().has_value()) << "no receipt for " << chain::format_hash(h);
    EXPECT_TRUE(r.value()->ok()) << r.value()->error;
    EXPECT_EQ(r.value()->tx_hash, h);
    EXPECT_GE(r.value()->height, 1u);
    by_sender[sent[h].first].emplace_back(r.value()->height, r.value()->position, sent[h].second);
  }
  for (auto& [who, list] : by_sender) {
    std::sort(list.begin(), list.end());
    ASSERT_EQ(list.size(), kEach);
    for (uint64_t i = 0; i < kEach; ++i) EXPECT_EQ(std::get<2>(list[i]), i) << "sender " << who;
    state::Overlay ov(*rocks);
    EXPECT_EQ(state::get_nonce(ov, chain::address_of(keys[who].public_key)).value(), kEach);
  }
  {
    state::Overlay ov(*rocks);
    EXPECT_EQ(state::balance(ov, carol).value(), 2 * kEach);
  }
  service.stop();
  EXPECT_FALSE(service.halted());
  EXPECT_EQ(block_txs.load(), static_cast<int>(2 * kEach));
  EXPECT_EQ(static_cast<uint64_t>(blocks.load()), chain->head().height);
  EXPECT_EQ(mempool->size(), 0u);
  // Resubmitting an included transaction is refused (its nonce is used).
  auto dup = service.submit(signed_transfer(0, kEach - 1));
  ASSERT_TRUE(std::holds_alternative<Rejection>(dup));
  EXPECT_EQ(std::get<Rejection>(dup).kind, "nonce_too_low");
}

TEST_F(ServiceTest, WaitReceiptTimesOutForAnUnknownHash) {
  open(*rocks);
  NodeService service(*chain, *mempool, ServiceOptions{.block_time_ms = 50, .dev = true}, nullptr, nullptr);
  service.start();
  Hash unknown{};
  unknown[3] = 9;
  const auto t0 = std::chrono::steady_clock::now();
  auto r = service.wait_receipt(unknown, std::chrono::milliseconds(200));
  const auto waited = std::chrono::steady_clock::now() - t0;
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().has_value());
  EXPECT_GE(waited, std::chrono::milliseconds(190));
  EXPECT_LT(waited, std::chrono::seconds(5));
}

TEST_F(ServiceTest, WaitReceiptReturnsAtOnceForAnIncludedTransaction) {
  open(*rocks);
  NodeService service(*chain, *mempool, ServiceOptions{.dev = true}, nullptr, nullptr);
  service.start();
  auto h = service.submit(signed_transfer(0, 0));
  ASSERT_TRUE(std::holds_alternative<Hash>(h));
  auto r = service.wait_receipt(std::get<Hash>(h), std::chrono::seconds(10));
  ASSERT_TRUE(r.ok() && r.value());
  // Again: already there.
  auto again = service.wait_receipt(std::get<Hash>(h), std::chrono::milliseconds(1));
  ASSERT_TRUE(again.ok() && again.value());
  EXPECT_EQ(again.value()->height, r.value()->height);
  // The same bytes again: a duplicate of an included transaction (or nonce too low).
  auto dup = service.submit(signed_transfer(0, 0));
  ASSERT_TRUE(std::holds_alternative<Rejection>(dup));
  EXPECT_TRUE(std::get<Rejection>(dup).kind == "duplicate" || std::get<Rejection>(dup).kind == "nonce_too_low")
      << std::get<Rejection>(dup).kind;
}

TEST_F(ServiceTest, SubmitRejectionsPassThrough) {
  open(*rocks);
  NodeService service(*chain, *mempool, ServiceOptions{.dev = true}, nullptr, nullptr);
  auto r = service.submit("nonsense");
  ASSERT_TRUE(std::holds_alternative<Rejection>(r));
  EXPECT_EQ(std::get<Rejection>(r).kind, "undecodable");
  auto far = service.submit(signed_transfer(0, 17));
  ASSERT_TRUE(std::holds_alternative<Rejection>(far));
  EXPECT_EQ(std::get<Rejection>(far).kind, "nonce_too_high");
}

TEST_F(ServiceTest, StorageFaultHaltsTheNode) {
  SlowFailingStore failing(*rocks);
  open(failing);
  std::atomic<int> blocks{0};
  std::vector<std::string> logs;
  std::mutex log_mu;
  NodeService service(
      *chain, *mempool, ServiceOptions{.dev = true}, [&](const BlockResult&) { ++blocks; },
      [&](const std::string& line) {
        std::lock_guard lock(log_mu);
        logs.push_back(line);
      });
  service.start();
  // One block goes through.
  auto first = service.submit(signed_transfer(0, 0));
  ASSERT_TRUE(std::holds_alternative<Hash>(first));
  auto r1 = service.wait_receipt(std::get<Hash>(first), std::chrono::seconds(10));
  ASSERT_TRUE(r1.ok() && r1.value());
  const Head before = chain->head();

  failing.fail = true;
  auto second = service.submit(signed_transfer(0, 1));
  ASSERT_TRUE(std::holds_alternative<Hash>(second));
  // The waiter is woken by the halt (long before its timeout) and gets no receipt.
  const auto t0 = std::chrono::steady_clock::now();
  auto r2 = service.wait_receipt(std::get<Hash>(second), std::chrono::seconds(30));
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2.value().has_value());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(10));
  for (int i = 0; i < 1000 && !service.halted(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ASSERT_TRUE(service.halted());
  EXPECT_NE(service.halt_reason().find("storage error: "), std::string::npos) << service.halt_reason();
  EXPECT_NE(service.halt_reason().find("injected failure"), std::string::npos) << service.halt_reason();
  auto third = service.submit(signed_transfer(1, 0));
  ASSERT_TRUE(std::holds_alternative<Rejection>(third));
  EXPECT_EQ(std::get<Rejection>(third).kind, "halted");
  EXPECT_EQ(std::get<Rejection>(third).message, "node halted: " + service.halt_reason());
  // Nothing was written; the head did not move.
  EXPECT_EQ(chain->head().hash, before.hash);
  auto stored = read_head(*rocks);
  ASSERT_TRUE(stored.ok() && stored.value());
  EXPECT_EQ(stored.value()->second, before.hash);
  EXPECT_FALSE(chain->receipt(std::get<Hash>(second)).value().has_value());
  EXPECT_EQ(blocks.load(), 1);
  service.stop();
  {
    std::lock_guard lock(log_mu);
    EXPECT_TRUE(std::any_of(logs.begin(), logs.end(),
                            [](const std::string& l) { return l.rfind("halting: storage error: ", 0) == 0; }));
  }
}

}  // namespace
}  // namespace ward::node
