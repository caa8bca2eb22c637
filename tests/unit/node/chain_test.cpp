// The chain of a node (src/node/chain.h): genesis, block production and
// commit on RocksDB, block store reads and indexes, events, proofs,
// determinism, reopening, corruption, the one-block-per-height race and
// storage faults.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "chain/receipt_json.h"
#include "node/chain.h"
#include "node/state_tree.h"
#include "node_test_util.h"
#include "runtime/backend.h"
#include "state/objects.h"
#include "state/rocksdb_store.h"

namespace ward::node {
namespace {

using testing::input_of;
using testing::key_of;
using testing::make_tx;
using testing::TempDir;
using testing::wat;

const std::string kChainId = "ward-test";
constexpr uint64_t kT0 = 1'700'000'000'000ull;
constexpr uint64_t kAliceStart = 1'000'000'000'000ull;
constexpr uint64_t kBobStart = 500'000'000'000ull;

// emit: logs "a" {"i":0}, "b" {"i":1}, "a" {"i":2}.
const char* kEmitter = R"((module
  (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "a")
  (data (i32.const 4) "b")
  (data (i32.const 16) "{\"i\":0}")
  (data (i32.const 32) "{\"i\":1}")
  (data (i32.const 48) "{\"i\":2}")
  (func (export "emit")
    (call $log (i32.const 0) (i32.const 1) (i32.const 16) (i32.const 7))
    (call $log (i32.const 4) (i32.const 1) (i32.const 32) (i32.const 7))
    (call $log (i32.const 0) (i32.const 1) (i32.const 48) (i32.const 7)))
))";

uint64_t balance_in(state::KvStore& s, const chain::Address& a) {
  state::Overlay ov(s);
  auto b = state::balance(ov, a);
  EXPECT_TRUE(b.ok());
  return b.ok() ? b.value() : 0;
}

/// Sum of every native balance ("b/" keys).
uint64_t total_balance(state::KvStore& s) {
  uint64_t sum = 0;
  EXPECT_TRUE(s.scan_prefix("b/", [&](std::string_view, std::string_view v) {
                 sum += *state::decode_u64(v);
                 return true;
               }).ok());
  return sum;
}

/// Every key and value of a store.
std::map<std::string, std::string> dump(state::KvStore& s) {
  std::map<std::string, std::string> out;
  EXPECT_TRUE(s.scan_prefix("", [&](std::string_view k, std::string_view v) {
                 out.emplace(k, v);
                 return true;
               }).ok());
  return out;
}

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    producer_key = key_of(0x50);
    alice_key = key_of(0xa1);
    bob_key = key_of(0xb0);
    alice = chain::address_of(alice_key.public_key);
    bob = chain::address_of(bob_key.public_key);
    producer = chain::address_of(producer_key.public_key);
    genesis.chain_id = kChainId;
    genesis.genesis_time_ms = kT0;
    genesis.producer = producer;
    genesis.min_gas_price = 1;
    genesis.balances[alice] = kAliceStart;
    genesis.balances[bob] = kBobStart;
  }

  void open_store(state::OpenMode mode = state::OpenMode::Create) {
    state::RocksDbOptions o;
    o.mode = mode;
    o.sync_writes = false;
    auto s = state::RocksDbStore::open(dir.path.string(), o);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store = std::move(s.value());
  }

  Chain::Options options() {
    Chain::Options o;
    o.producer_key = producer_key;
    return o;
  }

  /// A fresh chain on RocksDB in the temp folder.
  void init_and_open() {
    open_store();
    ASSERT_TRUE(Chain::init(*store, genesis).ok());
    reopen_chain();
  }
  void reopen_chain() {
    auto c = Chain::open(*store, *backend, options());
    ASSERT_TRUE(c.ok()) << c.error().message;
    chain = std::move(c.value());
  }

  TxInput transfer(const chain::KeyPair& key, uint64_t nonce, const chain::Address& to, uint64_t amount,
                   uint64_t gas_limit = 10'000, uint64_t price = 1) {
    return input_of(make_tx(kChainId, key, nonce, chain::TransferAction{to, amount}, gas_limit, price), key);
  }

  BlockResult produce_ok(const std::vector<TxInput>& txs, uint64_t time_ms) {
    auto r = chain->produce(txs, time_ms);
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (!r.ok()) return {};
    EXPECT_TRUE(r.value().committed);
    return std::move(r.value());
  }

  /// Deploys kEmitter from alice with `nonce`; its address.
  chain::Address deploy_emitter(uint64_t nonce, uint64_t time_ms) {
    chain::DeployAction d;
    d.code = emitter_code;
    BlockResult b =
        produce_ok({input_of(make_tx(kChainId, alice_key, nonce, d, 1'000'000), alice_key)}, time_ms);
    EXPECT_EQ(b.receipts.size(), 1u);
    EXPECT_TRUE(b.receipts.at(0).ok()) << b.receipts.at(0).error;
    return chain::contract_address(alice, nonce);
  }
  TxInput emit_call(const chain::Address& c, uint64_t nonce) {
    return input_of(make_tx(kChainId, alice_key, nonce, chain::CallAction{c, "emit", "{}", 0}, 1'000'000),
                    alice_key);
  }

  TempDir dir;
  std::unique_ptr<state::RocksDbStore> store;
  std::unique_ptr<runtime::Backend> backend = runtime::make_interp_backend();
  std::unique_ptr<Chain> chain;
  Genesis genesis;
  chain::KeyPair producer_key, alice_key, bob_key;
  chain::Address alice{}, bob{}, producer{};
  chain::Address carol{{0xca, 0x40}};
  std::string emitter_code = wat(kEmitter);
};

TEST_F(ChainTest, InitWritesTheGenesisBlock) {
  init_and_open();
  const Head h = chain->head();
  EXPECT_EQ(h.height, 0u);
  EXPECT_EQ(h.header.height, 0u);
  EXPECT_EQ(h.header.parent_hash, Hash{});
  EXPECT_EQ(h.header.time_ms, kT0);
  EXPECT_EQ(h.header.producer, producer);
  EXPECT_EQ(h.header.tx_count, 0u);
  EXPECT_EQ(h.hash, block_hash(h.header));
  EXPECT_EQ(chain->genesis_hash(), h.hash);
  EXPECT_NE(h.header.state_root, kEmptyRoot);
  EXPECT_EQ(chain->genesis().chain_id, kChainId);
  EXPECT_EQ(chain->rules().chain_id, kChainId);
  EXPECT_EQ(chain->rules().min_gas_price, 1u);
  EXPECT_EQ(chain->rules().block_gas_limit, genesis.block_gas_limit);
  // Genesis balances, and nothing else.
  EXPECT_EQ(balance_in(*store, alice), kAliceStart);
  EXPECT_EQ(balance_in(*store, bob), kBobStart);
  EXPECT_EQ(total_balance(*store), kAliceStart + kBobStart);
  auto g0 = chain->header_at(0);
  ASSERT_TRUE(g0.ok() && g0.value());
  EXPECT_EQ(g0.value()->header, h.header);
  EXPECT_EQ(chain->height_of(h.hash).value(), 0u);
  EXPECT_TRUE(Chain::exists(*store).value());
  auto head = read_head(*store);
  ASSERT_TRUE(head.ok() && head.value());
  EXPECT_EQ(head.value()->first, 0u);
  EXPECT_EQ(head.value()->second, h.hash);
}

TEST(GenesisGasSchedule, ParsesChecksAndRoundTrips) {
  const std::string base = R"({"chain_id": "c", "producer": "0x00000000000000000000000000000000000000de")";
  // Absent: revision 1 from height 0, and left out of the JSON (the genesis hash stays).
  auto g = parse_genesis(base + "}");
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ(g.value().gas_schedule, std::vector<chain::GasScheduleStep>{chain::GasScheduleStep{}});
  EXPECT_EQ(genesis_to_json(g.value()).find("gas_schedule"), std::string::npos);
  // Steps by height; strings or numbers.
  g = parse_genesis(base +
                    R"(, "gas_schedule": [{"from_height": "0", "revision": 1}, {"from_height": 50, "revision": 1}]})");
  ASSERT_TRUE(g.ok()) << g.error().message;
  const std::vector<chain::GasScheduleStep> two{{0, 1}, {50, 1}};
  EXPECT_EQ(g.value().gas_schedule, two);
  auto again = parse_genesis(genesis_to_json(g.value()));
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again.value().gas_schedule, two);
  // Refused: unknown revision, first step not at 0, heights not increasing, bad shapes.
  for (const char* bad : {R"([{"from_height": 0, "revision": 2}])", R"([{"from_height": 1, "revision": 1}])",
                          R"([{"from_height": 0, "revision": 1}, {"from_height": 0, "revision": 1}])", R"([])",
                          R"([{"from_height": 0}])", R"({"from_height": 0, "revision": 1})"}) {
    auto r = parse_genesis(base + R"(, "gas_schedule": )" + bad + "}");
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("genesis: field 'gas_schedule'"), std::string::npos) << r.error().message;
  }
  auto unknown = parse_genesis(base + R"(, "gas_schedule": [{"from_height": 0, "revision": 2}]})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("unknown gas schedule revision 2 (known: 1)"), std::string::npos);
}

TEST_F(ChainTest, InitTwiceAndOpenWithoutChainFail) {
  open_store();
  EXPECT_FALSE(Chain::exists(*store).value());
  auto none = Chain::open(*store, *backend, options());
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no chain in this state"), std::string::npos);
  ASSERT_TRUE(Chain::init(*store, genesis).ok());
  auto again = Chain::init(*store, genesis);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().message, "the state already holds a chain (head at height 0)");
}

TEST_F(ChainTest, OpenRefusesAProducerKeyOtherThanTheGenesisProducer) {
  open_store();
  ASSERT_TRUE(Chain::init(*store, genesis).ok());
  Chain::Options o;
  o.producer_key = alice_key;
  auto c = Chain::open(*store, *backend, o);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("is not the genesis producer"), std::string::npos);
}

TEST_F(ChainTest, ProduceAdvancesTheHeadWithCorrectHeader) {
  init_and_open();
  const Head g = chain->head();
  std::vector<TxInput> txs{transfer(alice_key, 0, carol, 100), transfer(alice_key, 1, bob, 200),
                           transfer(bob_key, 0, carol, 300)};
  BlockResult b = produce_ok(txs, kT0 + 5000);
  const BlockHeader& h = b.header.header;
  EXPECT_EQ(h.height, 1u);
  EXPECT_EQ(h.parent_hash, g.hash);
  EXPECT_EQ(h.time_ms, kT0 + 5000);
  EXPECT_EQ(h.producer, producer);
  EXPECT_EQ(h.tx_count, 3u);
  EXPECT_EQ(h.gas_used, 3 * chain::kTransferGas);
  EXPECT_EQ(b.hash, block_hash(h));
  EXPECT_EQ(h.tx_root, merkle_root({txs[0].hash, txs[1].hash, txs[2].hash}));
  std::vector<Hash> rh;
  for (const auto& r : b.receipts) rh.push_back(state::sha256(chain::dump_json(chain::receipt_json(r))));
  EXPECT_EQ(h.receipts_root, merkle_root(rh));
  EXPECT_TRUE(verify_header(b.header, kChainId, false).ok());
  EXPECT_TRUE(b.dropped.empty());
  EXPECT_TRUE(b.deferred.empty());
  ASSERT_EQ(b.receipts.size(), 3u);
  for (uint32_t i = 0; i < 3; ++i) {
    EXPECT_EQ(b.receipts[i].position, i);
    EXPECT_EQ(b.receipts[i].height, 1u);
    EXPECT_EQ(b.receipts[i].tx_hash, txs[i].hash);
    EXPECT_TRUE(b.receipts[i].ok()) << b.receipts[i].error;
  }
  const Head head = chain->head();
  EXPECT_EQ(head.height, 1u);
  EXPECT_EQ(head.hash, b.hash);
  EXPECT_EQ(head.header, h);
  // The state root is the state tree's root over every state key.
  state::MemoryStore scratch;
  StateTree tree(scratch);
  std::vector<TreeChange> all;
  for (auto& [k, v] : dump(*store)) {
    if (k[0] != '_') all.emplace_back(k, v);
  }
  state::WriteBatch batch;
  auto root = tree.update(kEmptyRoot, all, batch);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(root.value(), h.state_root);
}

TEST_F(ChainTest, TimeIsStrictlyIncreasing) {
  init_and_open();
  BlockResult b1 = produce_ok({transfer(alice_key, 0, carol, 1)}, kT0 - 1000);  // earlier than genesis
  EXPECT_EQ(b1.header.header.time_ms, kT0 + 1);
  BlockResult b2 = produce_ok({transfer(alice_key, 1, carol, 1)}, kT0 + 1);  // equal to the parent
  EXPECT_EQ(b2.header.header.time_ms, kT0 + 2);
  BlockResult b3 = produce_ok({transfer(alice_key, 2, carol, 1)}, kT0 + 10'000);
  EXPECT_EQ(b3.header.header.time_ms, kT0 + 10'000);
  BlockResult b4 = produce_ok({transfer(alice_key, 3, carol, 1)}, 0);
  EXPECT_EQ(b4.header.header.time_ms, kT0 + 10'001);
}

TEST_F(ChainTest, ReceiptsTransactionsAndBlocksAreReadable) {
  init_and_open();
  std::vector<TxInput> txs{transfer(alice_key, 0, carol, 100), transfer(bob_key, 0, carol, 300)};
  BlockResult b1 = produce_ok(txs, kT0 + 1000);
  std::vector<TxInput> txs2{transfer(alice_key, 1, carol, 5)};
  BlockResult b2 = produce_ok(txs2, kT0 + 2000);

  for (uint32_t i = 0; i < 2; ++i) {
    auto r = chain->receipt(txs[i].hash);
    ASSERT_TRUE(r.ok() && r.value());
    EXPECT_EQ(r.value()->height, 1u);
    EXPECT_EQ(r.value()->position, i);
    EXPECT_EQ(r.value()->tx_hash, txs[i].hash);
    EXPECT_EQ(r.value()->kind, "transfer");
    EXPECT_EQ(r.value()->status, chain::Status::Ok);
    EXPECT_EQ(r.value()->gas_used, chain::kTransferGas);
    EXPECT_EQ(r.value()->fee, chain::kTransferGas);
    EXPECT_EQ(r.value()->from, txs[i].sender);
    EXPECT_EQ(r.value()->contract, carol);
    // The stored receipt is the committed one: same JSON, same hash.
    EXPECT_EQ(chain::dump_json(chain::receipt_json(*r.value())), chain::dump_json(chain::receipt_json(b1.receipts[i])));
    auto loc = chain->tx_location(txs[i].hash);
    ASSERT_TRUE(loc.ok() && loc.value());
    EXPECT_EQ(loc.value()->first, 1u);
    EXPECT_EQ(loc.value()->second, i);
    auto bytes = chain->tx_bytes(txs[i].hash);
    ASSERT_TRUE(bytes.ok() && bytes.value());
    EXPECT_EQ(*bytes.value(), txs[i].stored);
    auto decoded = chain::decode_signed(*bytes.value());
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(decoded.value().hash, txs[i].hash);
  }
  auto r2 = chain->receipt(txs2[0].hash);
  ASSERT_TRUE(r2.ok() && r2.value());
  EXPECT_EQ(r2.value()->height, 2u);
  EXPECT_EQ(r2.value()->position, 0u);

  auto t1 = chain->block_txs(1);
  ASSERT_TRUE(t1.ok());
  EXPECT_EQ(t1.value(), (std::vector<std::string>{txs[0].stored, txs[1].stored}));
  EXPECT_EQ(chain->block_txs(2).value(), std::vector<std::string>{txs2[0].stored});
  EXPECT_TRUE(chain->block_txs(3).value().empty());

  auto h1 = chain->header_at(1);
  ASSERT_TRUE(h1.ok() && h1.value());
  EXPECT_EQ(h1.value()->header, b1.header.header);
  EXPECT_EQ(h1.value()->signature, b1.header.signature);
  EXPECT_TRUE(verify_header(*h1.value(), kChainId, false).ok());
  auto h2 = chain->header_at(2);
  ASSERT_TRUE(h2.ok() && h2.value());
  EXPECT_EQ(h2.value()->header.parent_hash, b1.hash);
  EXPECT_FALSE(chain->header_at(3).value().has_value());
  EXPECT_EQ(chain->height_of(b1.hash).value(), 1u);
  EXPECT_EQ(chain->height_of(b2.hash).value(), 2u);
  EXPECT_FALSE(chain->height_of(Hash{}).value().has_value());

  // Unknown transaction.
  Hash unknown{};
  unknown[0] = 1;
  EXPECT_FALSE(chain->receipt(unknown).value().has_value());
  EXPECT_FALSE(chain->tx_location(unknown).value().has_value());
  EXPECT_FALSE(chain->tx_bytes(unknown).value().has_value());
}

TEST_F(ChainTest, FeesReachTheProducerAndBalancesAreConserved) {
  init_and_open();
  const uint64_t total = kAliceStart + kBobStart;
  std::vector<TxInput> txs{transfer(alice_key, 0, carol, 100, 10'000, 3), transfer(bob_key, 0, alice, 50, 10'000, 7)};
  BlockResult b = produce_ok(txs, kT0 + 1000);
  const uint64_t fee_a = chain::kTransferGas * 3, fee_b = chain::kTransferGas * 7;
  EXPECT_EQ(b.receipts[0].fee, fee_a);
  EXPECT_EQ(b.receipts[1].fee, fee_b);
  EXPECT_EQ(balance_in(*store, producer), fee_a + fee_b);
  EXPECT_EQ(balance_in(*store, alice), kAliceStart - 100 - fee_a + 50);
  EXPECT_EQ(balance_in(*store, bob), kBobStart - 50 - fee_b);
  EXPECT_EQ(balance_in(*store, carol), 100u);
  EXPECT_EQ(total_balance(*store), total);
}

TEST_F(ChainTest, InvalidTransactionsAreDroppedAndNotWritten) {
  init_and_open();
  TxInput ok = transfer(alice_key, 0, carol, 1);
  TxInput too_high = transfer(alice_key, 5, carol, 1);
  TxInput replay = transfer(alice_key, 0, carol, 2);  // nonce 0 used by `ok` earlier in the block
  TxInput wrong_chain =
      input_of(make_tx("other", bob_key, 0, chain::TransferAction{carol, 1}), bob_key);
  BlockResult b = produce_ok({ok, too_high, replay, wrong_chain}, kT0 + 1000);
  ASSERT_EQ(b.receipts.size(), 1u);
  EXPECT_EQ(b.header.header.tx_count, 1u);
  ASSERT_EQ(b.dropped.size(), 3u);
  EXPECT_EQ(b.dropped[0].first, too_high.hash);
  EXPECT_EQ(b.dropped[0].second, "nonce too high: 5 (the account's next nonce is 1)");
  EXPECT_EQ(b.dropped[1].first, replay.hash);
  EXPECT_EQ(b.dropped[1].second, "nonce too low: 0 (the account's next nonce is 1)");
  EXPECT_EQ(b.dropped[2].first, wrong_chain.hash);
  EXPECT_EQ(b.dropped[2].second, "wrong chain id 'other' (this chain is 'ward-test')");
  for (const TxInput* t : {&too_high, &replay, &wrong_chain}) {
    EXPECT_FALSE(chain->receipt(t->hash).value().has_value());
    EXPECT_FALSE(chain->tx_location(t->hash).value().has_value());
    EXPECT_FALSE(chain->tx_bytes(t->hash).value().has_value());
  }
  EXPECT_EQ(b.header.header.tx_root, merkle_root({ok.hash}));
  EXPECT_EQ(chain->block_txs(1).value().size(), 1u);
}

TEST_F(ChainTest, NoIncludedTransactionWritesNothing) {
  init_and_open();
  const Head before = chain->head();
  const auto contents = dump(*store);
  auto r = chain->produce({transfer(alice_key, 3, carol, 1)}, kT0 + 1000);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r.value().committed);
  EXPECT_EQ(r.value().dropped.size(), 1u);
  EXPECT_EQ(chain->head().hash, before.hash);
  EXPECT_EQ(dump(*store), contents);
  auto empty = chain->produce({}, kT0 + 1000);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty.value().committed);
  EXPECT_EQ(dump(*store), contents);
}

TEST_F(ChainTest, TransactionsPastTheBlockGasLimitAreDeferred) {
  genesis.block_gas_limit = 25'000;
  init_and_open();
  std::vector<TxInput> txs;
  for (uint64_t n = 0; n < 8; ++n) txs.push_back(transfer(alice_key, n, carol, 1, 10'000));
  // 8 x 2000 used: 9000 left. Alice's next (limit 10000) does not fit.
  TxInput a8 = transfer(alice_key, 8, carol, 1, 10'000);
  // Alice's nonce 9 would fit by gas, but follows a deferred transaction:
  // it is deferred too (not dropped as "nonce too high").
  TxInput a9 = transfer(alice_key, 9, carol, 1, 2'000);
  TxInput b0 = transfer(bob_key, 0, carol, 1, 2'000);  // fits: included
  txs.push_back(a8);
  txs.push_back(a9);
  txs.push_back(b0);
  BlockResult b = produce_ok(txs, kT0 + 1000);
  EXPECT_EQ(b.receipts.size(), 9u);
  EXPECT_EQ(b.header.header.tx_count, 9u);
  EXPECT_EQ(b.header.header.gas_used, 9 * chain::kTransferGas);
  EXPECT_LE(b.header.header.gas_used, genesis.block_gas_limit);
  EXPECT_EQ(b.deferred, (std::vector<Hash>{a8.hash, a9.hash}));
  EXPECT_TRUE(b.dropped.empty()) << b.dropped.at(0).second;
  EXPECT_EQ(b.receipts.back().tx_hash, b0.hash);
  EXPECT_FALSE(chain->receipt(a8.hash).value().has_value());
  // The next block takes the deferred ones.
  BlockResult b2 = produce_ok({a8, a9}, kT0 + 2000);
  EXPECT_EQ(b2.receipts.size(), 2u);
  EXPECT_TRUE(b2.deferred.empty());
}

TEST_F(ChainTest, TheFirstTransactionIsNeverDeferred) {
  genesis.block_gas_limit = 25'000;
  init_and_open();
  // A first transaction above the block gas limit is invalid, not deferred forever.
  auto r = chain->produce({transfer(alice_key, 0, carol, 1, 25'001)}, kT0 + 1000);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().committed);
  EXPECT_TRUE(r.value().deferred.empty());
  ASSERT_EQ(r.value().dropped.size(), 1u);
  EXPECT_EQ(r.value().dropped[0].second, "gas limit 25001 exceeds the block gas limit (25000)");
}

TEST_F(ChainTest, EventsByRangeContractNameWithCursorPaging) {
  init_and_open();
  const chain::Address x = deploy_emitter(0, kT0 + 1000);  // block 1
  const chain::Address y = deploy_emitter(1, kT0 + 2000);  // block 2
  std::vector<TxInput> calls{emit_call(x, 2), emit_call(y, 3), emit_call(x, 4)};
  BlockResult b3 = produce_ok(calls, kT0 + 3000);  // block 3: 9 events
  ASSERT_EQ(b3.receipts.size(), 3u);
  for (const auto& r : b3.receipts) {
    ASSERT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(r.events.size(), 3u);
  }
  TxInput last = emit_call(y, 5);
  produce_ok({last}, kT0 + 4000);  // block 4: 3 events

  auto all = chain->events(0, UINT64_MAX, std::nullopt, std::nullopt, 100, "");
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all.value().size(), 12u);
  const auto& e0 = all.value()[0].json;
  EXPECT_EQ(e0["contract"], chain::format_address(x));
  EXPECT_EQ(e0["name"], "a");
  EXPECT_EQ(e0["data"], nlohmann::json::parse(R"({"i":0})"));
  EXPECT_EQ(e0["tx_hash"], chain::format_hash(calls[0].hash));
  EXPECT_EQ(e0["height"], 3);
  EXPECT_EQ(e0["position"], 0);
  EXPECT_EQ(e0["index"], 0);
  // Block order: height, position, index.
  for (size_t i = 0; i < 12; ++i) {
    const auto& j = all.value()[i].json;
    EXPECT_EQ(j["height"], i < 9 ? 3 : 4) << i;
    EXPECT_EQ(j["position"], i < 9 ? i / 3 : 0) << i;
    EXPECT_EQ(j["index"], i % 3) << i;
    EXPECT_EQ(j["data"]["i"], i % 3) << i;
  }
  // Ranges.
  EXPECT_EQ(chain->events(3, 3, std::nullopt, std::nullopt, 100, "").value().size(), 9u);
  EXPECT_EQ(chain->events(4, 4, std::nullopt, std::nullopt, 100, "").value().size(), 3u);
  EXPECT_EQ(chain->events(0, 2, std::nullopt, std::nullopt, 100, "").value().size(), 0u);
  EXPECT_EQ(chain->events(5, UINT64_MAX, std::nullopt, std::nullopt, 100, "").value().size(), 0u);
  // By contract, by name, both.
  EXPECT_EQ(chain->events(0, UINT64_MAX, x, std::nullopt, 100, "").value().size(), 6u);
  auto ys = chain->events(0, UINT64_MAX, y, std::nullopt, 100, "").value();
  ASSERT_EQ(ys.size(), 6u);
  for (const auto& e : ys) EXPECT_EQ(e.json["contract"], chain::format_address(y));
  EXPECT_EQ(chain->events(4, 4, y, std::nullopt, 100, "").value().size(), 3u);
  EXPECT_EQ(chain->events(4, 4, x, std::nullopt, 100, "").value().size(), 0u);
  auto bs = chain->events(0, UINT64_MAX, std::nullopt, std::string("b"), 100, "").value();
  ASSERT_EQ(bs.size(), 4u);
  for (const auto& e : bs) EXPECT_EQ(e.json["name"], "b");
  EXPECT_EQ(chain->events(0, UINT64_MAX, x, std::string("a"), 100, "").value().size(), 4u);
  EXPECT_EQ(chain->events(0, UINT64_MAX, x, std::string("zzz"), 100, "").value().size(), 0u);

  // Paging: limit 5 with cursors gives every event once, in order.
  std::vector<nlohmann::json> paged;
  std::string cursor;
  size_t pages = 0;
  while (true) {
    auto page = chain->events(0, UINT64_MAX, std::nullopt, std::nullopt, 5, cursor);
    ASSERT_TRUE(page.ok()) << page.error().message;
    if (page.value().empty()) break;
    ++pages;
    EXPECT_LE(page.value().size(), 5u);
    for (const auto& e : page.value()) paged.push_back(e.json);
    cursor = page.value().back().cursor;
    ASSERT_LT(pages, 10u);
  }
  EXPECT_EQ(pages, 3u);
  ASSERT_EQ(paged.size(), 12u);
  for (size_t i = 0; i < 12; ++i) EXPECT_EQ(paged[i], all.value()[i].json) << i;
  // Paging a filtered query (contract y, name a: 4 events) two at a time.
  auto p1 = chain->events(0, UINT64_MAX, y, std::string("a"), 2, "").value();
  ASSERT_EQ(p1.size(), 2u);
  auto p2 = chain->events(0, UINT64_MAX, y, std::string("a"), 2, p1.back().cursor).value();
  ASSERT_EQ(p2.size(), 2u);
  EXPECT_EQ(p2[0].json["height"], 4);
  EXPECT_TRUE(chain->events(0, UINT64_MAX, y, std::string("a"), 2, p2.back().cursor).value().empty());
  // A limit of 0 gives nothing.
  EXPECT_TRUE(chain->events(0, UINT64_MAX, std::nullopt, std::nullopt, 0, "").value().empty());
  // Bad cursors.
  auto bad = chain->events(0, UINT64_MAX, std::nullopt, std::nullopt, 5, "zz");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "invalid cursor");
  // A cursor of the by-contract index does not fit the all-events index.
  auto mixed = chain->events(0, UINT64_MAX, std::nullopt, std::nullopt, 5, p1.back().cursor);
  ASSERT_FALSE(mixed.ok());
  EXPECT_EQ(mixed.error().message, "invalid cursor");
  // Receipt events round-trip through the store.
  auto r = chain->receipt(calls[1].hash);
  ASSERT_TRUE(r.ok() && r.value());
  ASSERT_EQ(r.value()->events.size(), 3u);
  EXPECT_EQ(r.value()->events[1].contract, y);
  EXPECT_EQ(r.value()->events[1].name, "b");
  EXPECT_EQ(nlohmann::json::parse(r.value()->events[1].data), nlohmann::json::parse(R"({"i":1})"));
}

TEST_F(ChainTest, ProofsVerifyAgainstTheHeadStateRoot) {
  init_and_open();
  produce_ok({transfer(alice_key, 0, carol, 777)}, kT0 + 1000);
  const Hash root = chain->head().header.state_root;
  for (const chain::Address& a : {alice, bob, carol, producer}) {
    const std::string key = "b/" + state::as_string(a);
    EXPECT_EQ(key, state::balance_key(a));
    auto v = store->get(key);
    ASSERT_TRUE(v.ok() && v.value());
    auto p = chain->prove(key);
    ASSERT_TRUE(p.ok()) << p.error().message;
    EXPECT_EQ(p.value().first, root);
    EXPECT_TRUE(verify_proof(root, key, *v.value(), p.value().second));
    EXPECT_FALSE(verify_proof(root, key, std::string("x"), p.value().second));
    EXPECT_FALSE(verify_proof(root, key, std::nullopt, p.value().second));
  }
  EXPECT_EQ(*store->get(state::balance_key(carol)).value(), state::encode_u64(777));
  // Exclusion: a never-funded address, and a chain key (not part of the state).
  for (const std::string& key : {state::balance_key(chain::Address{{0x77}}), std::string("_H")}) {
    auto p = chain->prove(key);
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(verify_proof(root, key, std::nullopt, p.value().second)) << key;
    EXPECT_FALSE(verify_proof(root, key, std::string("0"), p.value().second));
  }
  // A proof for an older root does not verify against the new one.
  auto old = chain->prove(state::balance_key(alice));
  produce_ok({transfer(alice_key, 1, carol, 1)}, kT0 + 2000);
  const Hash root2 = chain->head().header.state_root;
  EXPECT_NE(root2, root);
  auto v2 = store->get(state::balance_key(alice)).value();
  EXPECT_FALSE(verify_proof(root2, state::balance_key(alice), *v2, old.value().second));
}

TEST_F(ChainTest, TwoChainsFedTheSameTransactionsAgree) {
  state::MemoryStore s1, s2;
  ASSERT_TRUE(Chain::init(s1, genesis).ok());
  ASSERT_TRUE(Chain::init(s2, genesis).ok());
  auto c1 = Chain::open(s1, *backend, options());
  auto b2 = runtime::make_interp_backend();
  auto c2 = Chain::open(s2, *b2, options());
  ASSERT_TRUE(c1.ok() && c2.ok());
  EXPECT_EQ(c1.value()->head().hash, c2.value()->head().hash);
  chain::DeployAction d;
  d.code = emitter_code;
  const chain::Address x = chain::contract_address(alice, 0);
  std::vector<std::vector<TxInput>> blocks{
      {input_of(make_tx(kChainId, alice_key, 0, d, 1'000'000), alice_key), transfer(bob_key, 0, carol, 5)},
      {emit_call(x, 1), transfer(bob_key, 1, x, 9), transfer(alice_key, 2, bob, 1)},
      {transfer(bob_key, 2, carol, 5), emit_call(x, 3)},
  };
  uint64_t t = kT0;
  for (const auto& txs : blocks) {
    t += 1234;
    auto r1 = c1.value()->produce(txs, t);
    auto r2 = c2.value()->produce(txs, t);
    ASSERT_TRUE(r1.ok() && r2.ok());
    EXPECT_EQ(r1.value().hash, r2.value().hash);
    EXPECT_EQ(r1.value().header.header, r2.value().header.header);
    EXPECT_EQ(r1.value().header.signature, r2.value().header.signature);
    EXPECT_EQ(r1.value().receipts.size(), txs.size());
  }
  EXPECT_EQ(c1.value()->head().header.state_root, c2.value()->head().header.state_root);
  EXPECT_EQ(c1.value()->head().hash, c2.value()->head().hash);
  EXPECT_EQ(s1.contents(), s2.contents());
  // A different time (in the same second: the deploy records the block time
  // in seconds) gives a different block hash but the same state.
  state::MemoryStore s3;
  ASSERT_TRUE(Chain::init(s3, genesis).ok());
  auto c3 = Chain::open(s3, *backend, options());
  ASSERT_TRUE(c3.ok());
  auto r3 = c3.value()->produce(blocks[0], kT0 + 1999);
  ASSERT_TRUE(r3.ok());
  auto h1 = c1.value()->header_at(1).value();
  EXPECT_NE(r3.value().hash, block_hash(h1->header));
  EXPECT_EQ(r3.value().header.header.state_root, h1->header.state_root);
}

TEST_F(ChainTest, ReopenKeepsTheHeadAndEverything) {
  init_and_open();
  const chain::Address x = deploy_emitter(0, kT0 + 1000);
  TxInput call = emit_call(x, 1);
  TxInput tr = transfer(bob_key, 0, carol, 42);
  BlockResult b2 = produce_ok({call, tr}, kT0 + 2000);
  const Head before = chain->head();
  const auto contents = dump(*store);
  chain.reset();
  store.reset();
  open_store(state::OpenMode::MustExist);
  reopen_chain();
  const Head after = chain->head();
  EXPECT_EQ(after.height, 2u);
  EXPECT_EQ(after.hash, before.hash);
  EXPECT_EQ(after.header, before.header);
  EXPECT_EQ(dump(*store), contents);
  auto r = chain->receipt(call.hash);
  ASSERT_TRUE(r.ok() && r.value());
  EXPECT_EQ(r.value()->height, 2u);
  EXPECT_EQ(r.value()->events.size(), 3u);
  EXPECT_EQ(*chain->tx_bytes(tr.hash).value(), tr.stored);
  EXPECT_EQ(chain->events(0, UINT64_MAX, x, std::nullopt, 100, "").value().size(), 3u);
  EXPECT_EQ(chain->height_of(b2.hash).value(), 2u);
  EXPECT_EQ(balance_in(*store, carol), 42u);
  // Production goes on from the stored head; the contract still runs.
  BlockResult b3 = produce_ok({emit_call(x, 2)}, kT0 + 3000);
  EXPECT_EQ(b3.header.header.height, 3u);
  EXPECT_EQ(b3.header.header.parent_hash, before.hash);
  EXPECT_TRUE(b3.receipts.at(0).ok()) << b3.receipts.at(0).error;
}

TEST_F(ChainTest, CorruptHeadMakesOpenFail) {
  init_and_open();
  produce_ok({transfer(alice_key, 0, carol, 1)}, kT0 + 1000);
  const Head head = chain->head();
  chain.reset();
  auto expect_open_error = [&](const std::string& part) {
    auto c = Chain::open(*store, *backend, options());
    ASSERT_FALSE(c.ok()) << "opened despite: " << part;
    EXPECT_NE(c.error().message.find(part), std::string::npos) << c.error().message;
  };
  const std::string good_head = *store->get("_H").value();

  ASSERT_TRUE(store->put("_H", "garbage").ok());
  expect_open_error("corrupt head: expected 40 bytes, found 7");

  ASSERT_TRUE(store->put("_H", state::encode_u64(1) + std::string(32, '\x07')).ok());
  expect_open_error("corrupt head: block 1 does not hash to the head hash");

  ASSERT_TRUE(store->put("_H", state::encode_u64(9) + state::as_string(head.hash)).ok());
  expect_open_error("corrupt head: block 9 is missing");

  ASSERT_TRUE(store->put("_H", good_head).ok());
  const std::string hdr = *store->get("_b/" + state::encode_u64(1)).value();
  ASSERT_TRUE(store->put("_b/" + state::encode_u64(1), hdr.substr(0, 10)).ok());
  expect_open_error("corrupt head: signed block header: expected 273 bytes");
  ASSERT_TRUE(store->put("_b/" + state::encode_u64(1), hdr).ok());

  const std::string root_key = tree_node_key(head.header.state_root);
  ASSERT_TRUE(store->get(root_key).value().has_value());
  ASSERT_TRUE(store->del(root_key).ok());
  expect_open_error("corrupt head: state root " + chain::format_hash(head.header.state_root) +
                    " of block 1 is missing from the state tree");

  ASSERT_TRUE(store->del("_H").ok());
  expect_open_error("corrupt chain: genesis present but no head");
}

TEST_F(ChainTest, TwoProducersOnOneStoreWriteOneBlockPerHeight) {
  init_and_open();
  auto other = Chain::open(*store, *backend, options());
  ASSERT_TRUE(other.ok());
  Chain* chains[2] = {chain.get(), other.value().get()};
  const chain::KeyPair* keys[2] = {&alice_key, &bob_key};
  Result<BlockResult> results[2] = {make_error("unset"), make_error("unset")};
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      TxInput t = transfer(*keys[i], 0, carol, 1);
      ready.fetch_add(1);
      while (ready.load() < 2) {
      }
      results[i] = chains[i]->produce({t}, kT0 + 1000);
    });
  }
  for (auto& t : threads) t.join();
  const int wins = int(results[0].ok()) + int(results[1].ok());
  ASSERT_EQ(wins, 1) << (results[0].ok() ? results[1].error().message : results[0].error().message);
  const int loser = results[0].ok() ? 1 : 0;
  EXPECT_EQ(results[loser].error().message.rfind("head moved: block 1 was built on block 0 but the stored head is 1", 0),
            0u)
      << results[loser].error().message;
  const BlockResult& won = results[1 - loser].value();
  auto stored = read_head(*store);
  ASSERT_TRUE(stored.ok() && stored.value());
  EXPECT_EQ(stored.value()->first, 1u);
  EXPECT_EQ(stored.value()->second, won.hash);
  EXPECT_EQ(chain->header_at(1).value()->header, won.header.header);
  EXPECT_FALSE(chain->header_at(2).value().has_value());
  // The loser's transaction was not written.
  const Hash lost = transfer(*keys[loser], 0, carol, 1).hash;
  EXPECT_FALSE(chain->receipt(lost).value().has_value());
  EXPECT_EQ(balance_in(*store, carol), 1u);
}

TEST_F(ChainTest, RacingProducersNeverRepeatAHeight) {
  init_and_open();
  constexpr int kBlocksEach = 12;
  std::mutex mu;
  std::vector<uint64_t> heights;
  std::atomic<int> head_moved{0};
  std::atomic<bool> failed{false};
  const chain::KeyPair* keys[2] = {&alice_key, &bob_key};
  std::vector<std::thread> threads;
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      auto c = Chain::open(*store, *backend, options());
      if (!c.ok()) {
        failed = true;
        return;
      }
      std::unique_ptr<Chain> mine = std::move(c.value());
      uint64_t nonce = 0;
      int attempts = 0;
      while (nonce < kBlocksEach && ++attempts < 1000) {
        auto r = mine->produce({transfer(*keys[i], nonce, carol, 1)}, kT0 + 1000);
        if (r.ok()) {
          if (!r.value().committed) {
            failed = true;
            return;
          }
          std::lock_guard lock(mu);
          heights.push_back(r.value().header.header.height);
          ++nonce;
        } else if (r.error().message.rfind("head moved", 0) == 0) {
          ++head_moved;
          auto again = Chain::open(*store, *backend, options());
          if (!again.ok()) {
            failed = true;
            return;
          }
          mine = std::move(again.value());
        } else {
          ADD_FAILURE() << r.error().message;
          failed = true;
          return;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_FALSE(failed.load());
  ASSERT_EQ(heights.size(), 2u * kBlocksEach);
  std::set<uint64_t> unique(heights.begin(), heights.end());
  EXPECT_EQ(unique.size(), heights.size()) << "a height was committed twice";
  EXPECT_EQ(*unique.begin(), 1u);
  EXPECT_EQ(*unique.rbegin(), 2u * kBlocksEach);
  // The stored chain links up, block by block, and holds every transfer.
  reopen_chain();
  EXPECT_EQ(chain->head().height, 2u * kBlocksEach);
  Hash parent = chain->genesis_hash();
  uint64_t last_time = kT0;
  for (uint64_t h = 1; h <= 2u * kBlocksEach; ++h) {
    auto sh = chain->header_at(h);
    ASSERT_TRUE(sh.ok() && sh.value());
    EXPECT_EQ(sh.value()->header.parent_hash, parent) << h;
    EXPECT_GT(sh.value()->header.time_ms, last_time);
    last_time = sh.value()->header.time_ms;
    parent = block_hash(sh.value()->header);
  }
  EXPECT_EQ(parent, chain->head().hash);
  EXPECT_EQ(balance_in(*store, carol), 2u * kBlocksEach);
  EXPECT_EQ(total_balance(*store), kAliceStart + kBobStart);
}

TEST_F(ChainTest, StorageFailureDuringProduceWritesNothing) {
  state::MemoryStore mem;
  state::FailingStore failing(mem);
  ASSERT_TRUE(Chain::init(failing, genesis).ok());
  auto c = Chain::open(failing, *backend, options());
  ASSERT_TRUE(c.ok());
  const Head before = c.value()->head();
  const auto contents = mem.contents();

  failing.writes_before_failure = 0;
  auto r = c.value()->produce({transfer(alice_key, 0, carol, 5)}, kT0 + 1000);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.rfind("storage error: ", 0), 0u) << r.error().message;
  EXPECT_NE(r.error().message.find("injected failure"), std::string::npos);
  EXPECT_EQ(c.value()->head().hash, before.hash);
  EXPECT_EQ(c.value()->head().height, 0u);
  EXPECT_EQ(mem.contents(), contents);

  // A failed read (the nonce) is a storage fault too, and writes nothing.
  failing.writes_before_failure = -1;
  failing.fail_reads = true;
  auto rr = c.value()->produce({transfer(alice_key, 0, carol, 5)}, kT0 + 1000);
  ASSERT_FALSE(rr.ok());
  EXPECT_EQ(rr.error().message.rfind("storage error: ", 0), 0u) << rr.error().message;
  EXPECT_EQ(mem.contents(), contents);
  failing.fail_reads = false;

  // Reopening works, at the old head, and so does producing afterwards.
  auto reopened = Chain::open(mem, *backend, options());
  ASSERT_TRUE(reopened.ok()) << reopened.error().message;
  EXPECT_EQ(reopened.value()->head().hash, before.hash);
  auto ok = c.value()->produce({transfer(alice_key, 0, carol, 5)}, kT0 + 1000);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_TRUE(ok.value().committed);
  EXPECT_EQ(ok.value().header.header.height, 1u);
  EXPECT_EQ(balance_in(mem, carol), 5u);
}

}  // namespace
}  // namespace ward::node
