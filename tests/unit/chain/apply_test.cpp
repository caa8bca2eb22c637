// Executor::apply (src/chain/apply.cpp): one transaction of a block on the
// block's overlay. Validity rules (each Invalid case changes nothing), fees
// for included transactions whatever their outcome, nonce bumping, value
// moves, deploy address and ABI, the block context a contract sees, and
// storage faults.
#include <gtest/gtest.h>

#include <limits>

#include "chain/receipt.h"
#include "chain/tx.h"
#include "state/objects.h"
#include "chain_fixture.h"

namespace ward::chain {
namespace {

using testing::PrefixFailingStore;
using testing::wat;

// set: stores "v" under "k" and logs "set"; fail: writes, logs, reverts "nope";
// trap: writes then hits unreachable; info: stores block_height under "h",
// block_time under "t" (i64 LE) and 32 bytes of random_get under "r".
const char* kContract = R"((module
  (import "ward_v1" "storage_put" (func $put (param i32 i32 i32 i32)))
  (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
  (import "ward_v1" "revert" (func $revert (param i32 i32)))
  (import "ward_v1" "block_height" (func $height (result i64)))
  (import "ward_v1" "block_time" (func $time (result i64)))
  (import "ward_v1" "storage_get" (func $get (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "k")
  (data (i32.const 8) "\"v\"")
  (data (i32.const 16) "set")
  (data (i32.const 24) "nope")
  (data (i32.const 32) "h")
  (data (i32.const 40) "t")
  (data (i32.const 48) "r")
  (data (i32.const 64) "storage error: fake")
  (func (export "set")
    (call $put (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 3))
    (call $log (i32.const 16) (i32.const 3) (i32.const 8) (i32.const 3)))
  (func (export "fail")
    (call $put (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 3))
    (call $log (i32.const 16) (i32.const 3) (i32.const 8) (i32.const 3))
    (call $revert (i32.const 24) (i32.const 4)))
  (func (export "trap")
    (call $put (i32.const 0) (i32.const 1) (i32.const 8) (i32.const 3))
    (unreachable))
  (func (export "fake")
    (call $revert (i32.const 64) (i32.const 19)))
  (func (export "read")
    (drop (call $get (i32.const 0) (i32.const 1) (i32.const 1024) (i32.const 64))))
  (func (export "info")
    (i64.store (i32.const 1000) (call $height))
    (i64.store (i32.const 1008) (call $time))
    (drop (call $random_get (i32.const 1016) (i32.const 32)))
    (call $put (i32.const 32) (i32.const 1) (i32.const 1000) (i32.const 8))
    (call $put (i32.const 40) (i32.const 1) (i32.const 1008) (i32.const 8))
    (call $put (i32.const 48) (i32.const 1) (i32.const 1016) (i32.const 32)))
))";

constexpr uint64_t kStart = 1'000'000'000;
constexpr uint64_t kPrice = 3;
const std::string kChain = "test-chain";

std::span<const uint8_t> bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

Seed seed_of(uint8_t b) {
  Seed s{};
  s.fill(b);
  return s;
}

uint64_t le64(const std::string& s) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8 && i < s.size(); ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(s[i])) << (8 * i);
  return v;
}

class ApplyTest : public ward::test::BackendTest {
 protected:
  void SetUp() override {
    alice_key = KeyPair::from_seed(seed_of(1));
    alice = address_of(alice_key.public_key);
    producer = address_of(KeyPair::from_seed(seed_of(9)).public_key);
    rules.chain_id = kChain;
    rules.min_gas_price = 2;
    rules.block_gas_limit = 10'000'000;
    block.height = 5;
    block.time_ms = 1'700'000'123'456;
    block.producer = producer;
    state::Overlay init(store);
    state::set_balance(init, alice, kStart);
    ASSERT_TRUE(init.commit().ok());
  }

  Transaction base(Action action, uint64_t nonce = 0) {
    Transaction tx;
    tx.chain_id = kChain;
    tx.signer = alice_key.public_key;
    tx.nonce = nonce;
    tx.expiry_height = 100;
    tx.gas_limit = 1'000'000;
    tx.gas_price = kPrice;
    tx.action = std::move(action);
    return tx;
  }

  Applied run(const Transaction& tx, state::Overlay& ov) {
    const Hash h = tx_hash(encode(tx));
    return ex.apply(tx, alice, h, block, ov, rules);
  }

  /// Applies and commits; returns the receipt (asserting inclusion).
  Receipt include(const Transaction& tx) {
    state::Overlay ov(store);
    Applied a = run(tx, ov);
    EXPECT_EQ(a.fault, ApplyFault::None) << a.error;
    EXPECT_TRUE(ov.commit().ok());
    return a.receipt;
  }

  uint64_t bal(const Address& a) {
    state::Overlay ov(store);
    return state::balance(ov, a).value();
  }
  uint64_t nonce(const Address& a) {
    state::Overlay ov(store);
    return state::get_nonce(ov, a).value();
  }
  std::optional<std::string> storage(const Address& c, const std::string& k) {
    return store.get(state::storage_key(c, k)).value();
  }

  /// Deploys kContract from alice (nonce = alice's next nonce); its address.
  Address deploy_contract() {
    DeployAction d;
    d.code = std::string(code.begin(), code.end());
    Receipt r = include(base(d, nonce(alice)));
    EXPECT_TRUE(r.ok()) << r.error;
    return *r.contract;
  }

  /// Expects apply to say Invalid with `message` and leave the overlay untouched.
  void expect_invalid(const Transaction& tx, const std::string& message) {
    state::Overlay ov(store);
    Applied a = run(tx, ov);
    EXPECT_EQ(a.fault, ApplyFault::Invalid);
    EXPECT_EQ(a.error, message);
    EXPECT_EQ(ov.pending(), 0u);
    EXPECT_TRUE(ov.to_batch().empty());
  }

  std::vector<uint8_t> code = wat(kContract);
  state::MemoryStore store;
  Executor ex{store, *backend};
  KeyPair alice_key;
  Address alice{};
  Address producer{};
  Address bob{{0xb0, 0xb0}};
  ChainRules rules;
  BlockContext block;
};

TEST_P(ApplyTest, WrongChainIdIsInvalid) {
  Transaction tx = base(TransferAction{bob, 1});
  tx.chain_id = "other";
  expect_invalid(tx, "wrong chain id 'other' (this chain is 'test-chain')");
}

TEST_P(ApplyTest, EmptyRuleChainIdAcceptsAnyChain) {
  rules.chain_id.clear();
  Transaction tx = base(TransferAction{bob, 1});
  tx.chain_id = "whatever";
  state::Overlay ov(store);
  EXPECT_EQ(run(tx, ov).fault, ApplyFault::None);
}

TEST_P(ApplyTest, ExpiredIsInvalidButExpiryAtTheBlockHeightIsFine) {
  Transaction tx = base(TransferAction{bob, 1});
  tx.expiry_height = 4;
  expect_invalid(tx, "expired: expiry height 4 is below block height 5");
  tx.expiry_height = 5;
  state::Overlay ov(store);
  EXPECT_EQ(run(tx, ov).fault, ApplyFault::None);
}

TEST_P(ApplyTest, GasLimitZeroIsInvalid) {
  Transaction tx = base(TransferAction{bob, 1});
  tx.gas_limit = 0;
  expect_invalid(tx, "gas limit must be greater than 0");
}

TEST_P(ApplyTest, GasLimitAboveBlockGasLimitIsInvalid) {
  Transaction tx = base(TransferAction{bob, 1});
  tx.gas_limit = 10'000'001;
  expect_invalid(tx, "gas limit 10000001 exceeds the block gas limit (10000000)");
  tx.gas_limit = 10'000'000;  // exactly the limit is fine
  state::Overlay ov(store);
  EXPECT_EQ(run(tx, ov).fault, ApplyFault::None);
}

TEST_P(ApplyTest, GasLimitAboveMaxGasIsInvalid) {
  rules.block_gas_limit = UINT64_MAX;
  Transaction tx = base(TransferAction{bob, 1});
  tx.gas_limit = ex.limits().max_gas + 1;
  tx.gas_price = 2;
  expect_invalid(tx, "gas limit " + std::to_string(ex.limits().max_gas + 1) + " exceeds max_gas (" +
                         std::to_string(ex.limits().max_gas) + ")");
}

TEST_P(ApplyTest, PriceBelowMinimumIsInvalid) {
  Transaction tx = base(TransferAction{bob, 1});
  tx.gas_price = 1;
  expect_invalid(tx, "gas price 1 is below the minimum gas price (2)");
}

TEST_P(ApplyTest, NonceTooLowAndTooHighAreInvalid) {
  include(base(TransferAction{bob, 1}, 0));
  include(base(TransferAction{bob, 1}, 1));
  ASSERT_EQ(nonce(alice), 2u);
  expect_invalid(base(TransferAction{bob, 1}, 1), "nonce too low: 1 (the account's next nonce is 2)");
  expect_invalid(base(TransferAction{bob, 1}, 3), "nonce too high: 3 (the account's next nonce is 2)");
}

TEST_P(ApplyTest, BalanceShortOfMaxFeePlusValueIsInvalid) {
  // need = gas_limit * price + value = 1'000'000 * 3 + (kStart - 3'000'000 + 1) = kStart + 1
  const uint64_t value = kStart - 3'000'000 + 1;
  Transaction tx = base(TransferAction{bob, value});
  expect_invalid(tx, "insufficient balance: " + format_address(alice) + " has 1000000000, needs 1000000001 " +
                         "(gas limit x gas price 3000000 + value " + std::to_string(value) + ")");
  // One less is exactly affordable.
  tx.action = TransferAction{bob, value - 1};
  Receipt r = include(tx);
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(bal(bob), value - 1);
  EXPECT_EQ(bal(alice), kStart - (value - 1) - kTransferGas * kPrice);
}

TEST_P(ApplyTest, FeeOverflowIsInvalid) {
  rules.block_gas_limit = UINT64_MAX;
  Transaction tx = base(TransferAction{bob, 1});
  tx.gas_limit = 1'000'000;
  tx.gas_price = UINT64_MAX / 1'000'000 + 1;  // gas_limit * price overflows
  expect_invalid(tx, "gas limit x gas price + value overflows a u64");
  tx.gas_price = UINT64_MAX / 1'000'000;      // product fits, + value overflows
  tx.action = TransferAction{bob, UINT64_MAX};
  expect_invalid(tx, "gas limit x gas price + value overflows a u64");
}

TEST_P(ApplyTest, TransferChargesFeeToProducerAndBumpsNonce) {
  Receipt r = include(base(TransferAction{bob, 500}));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.kind, "transfer");
  EXPECT_EQ(r.from, alice);
  EXPECT_EQ(r.height, 5u);
  EXPECT_EQ(r.position, 0u);
  EXPECT_EQ(r.gas_used, kTransferGas);
  EXPECT_EQ(r.gas_price, kPrice);
  EXPECT_EQ(r.fee, kTransferGas * kPrice);
  EXPECT_EQ(r.contract, bob);
  EXPECT_EQ(bal(bob), 500u);
  EXPECT_EQ(bal(producer), kTransferGas * kPrice);
  EXPECT_EQ(bal(alice), kStart - 500 - kTransferGas * kPrice);
  EXPECT_EQ(nonce(alice), 1u);
}

TEST_P(ApplyTest, TransferToContractAndSystemAddresses) {
  const Address contract = deploy_contract();
  const uint64_t after_deploy = bal(alice);
  const uint64_t producer_before = bal(producer);
  const Address zero{};
  const Address dev = kDevAddress;
  uint64_t n = nonce(alice);
  for (const Address& to : {contract, zero, dev}) {
    Receipt r = include(base(TransferAction{to, 77}, n++));
    EXPECT_TRUE(r.ok()) << r.error;
    EXPECT_EQ(bal(to), 77u);
  }
  EXPECT_EQ(bal(alice), after_deploy - 3 * (77 + kTransferGas * kPrice));
  EXPECT_EQ(bal(producer), producer_before + 3 * kTransferGas * kPrice);
  // The contract's code and storage are untouched by a transfer (no code runs).
  EXPECT_FALSE(storage(contract, "k").has_value());
}

TEST_P(ApplyTest, TransferOutOfGasStillPaysAndBumpsNonce) {
  Transaction tx = base(TransferAction{bob, 500});
  tx.gas_limit = kTransferGas - 1;
  Receipt r = include(tx);
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error, "out of gas");
  EXPECT_EQ(r.gas_used, kTransferGas - 1);
  EXPECT_EQ(r.fee, (kTransferGas - 1) * kPrice);
  EXPECT_EQ(bal(bob), 0u);
  EXPECT_EQ(bal(producer), r.fee);
  EXPECT_EQ(bal(alice), kStart - r.fee);
  EXPECT_EQ(nonce(alice), 1u);
}

TEST_P(ApplyTest, TransferToSelfOnlyPaysTheFee) {
  Receipt r = include(base(TransferAction{alice, 1234}));
  EXPECT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(bal(alice), kStart - r.fee);
}

TEST_P(ApplyTest, DeployDerivesAddressFromSenderAndNonceAndStoresAbi) {
  include(base(TransferAction{bob, 1}, 0));
  include(base(TransferAction{bob, 1}, 1));
  DeployAction d;
  d.code = std::string(code.begin(), code.end());
  d.abi = R"({"methods":["set"]})";
  d.value = 1000;
  const uint64_t before = bal(alice);
  Receipt r = include(base(d, 2));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.kind, "deploy");
  const Address addr = contract_address(alice, 2);
  EXPECT_EQ(r.contract, addr);
  EXPECT_EQ(r.code_hash, state::sha256(bytes(d.code)));
  EXPECT_EQ(r.gas_used, kDeployBaseGas + kDeployGasPerByte * d.code.size());
  EXPECT_EQ(r.fee, r.gas_used * kPrice);
  EXPECT_EQ(store.get(abi_key(addr)).value(), *d.abi);
  EXPECT_EQ(abi_key(addr), "a/" + state::as_string(addr));
  EXPECT_EQ(bal(addr), 1000u);
  EXPECT_EQ(bal(alice), before - 1000 - r.fee);
  EXPECT_EQ(nonce(alice), 3u);
  state::Overlay ov(store);
  auto rec = state::get_contract(ov, addr);
  ASSERT_TRUE(rec.ok() && rec.value());
  EXPECT_EQ(rec.value()->deployer, alice);
  EXPECT_EQ(rec.value()->created_at, 5u);
  EXPECT_EQ(rec.value()->created_time, 1'700'000'123);
}

TEST_P(ApplyTest, FailedDeployStoresNoAbiButPaysAndBumpsNonce) {
  DeployAction d;
  d.code = "not wasm";
  d.abi = "{}";
  d.value = 10;
  Receipt r = include(base(d));
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_FALSE(r.error.empty());
  const Address addr = contract_address(alice, 0);
  EXPECT_EQ(r.contract, addr);
  EXPECT_FALSE(store.get(abi_key(addr)).value().has_value());
  EXPECT_FALSE(store.get(state::contract_key(addr)).value().has_value());
  EXPECT_EQ(bal(addr), 0u);
  EXPECT_EQ(nonce(alice), 1u);
  EXPECT_EQ(bal(alice), kStart - r.fee);
  EXPECT_EQ(bal(producer), r.fee);
}

TEST_P(ApplyTest, OkCallKeepsWritesAndEventsAndPays) {
  const Address c = deploy_contract();
  const uint64_t before = bal(alice), pbefore = bal(producer);
  Receipt r = include(base(CallAction{c, "set", "{}", 40}, 1));
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(r.kind, "call");
  EXPECT_EQ(r.contract, c);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].name, "set");
  EXPECT_EQ(storage(c, "k"), "\"v\"");
  EXPECT_GT(r.gas_used, 0u);
  EXPECT_EQ(r.fee, r.gas_used * kPrice);
  EXPECT_EQ(bal(c), 40u);
  EXPECT_EQ(bal(alice), before - 40 - r.fee);
  EXPECT_EQ(bal(producer), pbefore + r.fee);
  EXPECT_EQ(nonce(alice), 2u);
}

TEST_P(ApplyTest, RevertedCallPaysFeeBumpsNonceAndMovesNothing) {
  const Address c = deploy_contract();
  const uint64_t before = bal(alice), pbefore = bal(producer);
  Receipt r = include(base(CallAction{c, "fail", "{}", 40}, 1));
  EXPECT_EQ(r.status, Status::Reverted);
  EXPECT_EQ(r.error, "reverted: nope");
  EXPECT_TRUE(r.events.empty());
  EXPECT_TRUE(r.result.empty());
  EXPECT_GT(r.gas_used, 0u);
  EXPECT_EQ(r.fee, r.gas_used * kPrice);
  EXPECT_FALSE(storage(c, "k").has_value());
  EXPECT_EQ(bal(c), 0u);
  EXPECT_EQ(bal(alice), before - r.fee);
  EXPECT_EQ(bal(producer), pbefore + r.fee);
  EXPECT_EQ(nonce(alice), 2u);
}

TEST_P(ApplyTest, TrappedCallPaysFeeBumpsNonceAndMovesNothing) {
  const Address c = deploy_contract();
  const uint64_t before = bal(alice), pbefore = bal(producer);
  Receipt r = include(base(CallAction{c, "trap", "{}", 40}, 1));
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error.rfind("trapped: ", 0), 0u) << r.error;
  EXPECT_GT(r.gas_used, 0u);
  EXPECT_EQ(r.fee, r.gas_used * kPrice);
  EXPECT_FALSE(storage(c, "k").has_value());
  EXPECT_EQ(bal(c), 0u);
  EXPECT_EQ(bal(alice), before - r.fee);
  EXPECT_EQ(bal(producer), pbefore + r.fee);
  EXPECT_EQ(nonce(alice), 2u);
}

TEST_P(ApplyTest, OutOfGasCallChargesTheWholeLimit) {
  const Address c = deploy_contract();
  const uint64_t before = bal(alice);
  Transaction tx = base(CallAction{c, "set", "{}", 0}, 1);
  tx.gas_limit = 300;  // below storage_put's 1000
  Receipt r = include(tx);
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error, "out of gas");
  EXPECT_EQ(r.gas_used, 300u);
  EXPECT_EQ(r.fee, 300 * kPrice);
  EXPECT_EQ(bal(alice), before - 300 * kPrice);
  EXPECT_FALSE(storage(c, "k").has_value());
}

TEST_P(ApplyTest, CallToUnknownContractFailsButIsIncluded) {
  Receipt r = include(base(CallAction{bob, "set", "{}", 5}));
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.error, "unknown contract " + format_address(bob));
  EXPECT_EQ(r.fee, r.gas_used * kPrice);
  EXPECT_EQ(nonce(alice), 1u);
  EXPECT_EQ(bal(bob), 0u);
  EXPECT_EQ(bal(alice), kStart - r.fee);
}

TEST_P(ApplyTest, ContractSeesBlockContextAndRealTxHash) {
  const Address c = deploy_contract();
  block.height = 7;
  block.time_ms = 1'700'000'999'999;  // block_time = floor(ms / 1000)
  Transaction tx = base(CallAction{c, "info", "{}", 0}, 1);
  const Hash h = tx_hash(encode(tx));
  state::Overlay ov(store);
  Applied a = ex.apply(tx, alice, h, block, ov, rules);
  ASSERT_EQ(a.fault, ApplyFault::None) << a.error;
  ASSERT_TRUE(a.receipt.ok()) << a.receipt.error;
  EXPECT_EQ(a.receipt.tx_hash, h);
  EXPECT_EQ(a.receipt.height, 7u);
  ASSERT_TRUE(ov.commit().ok());
  EXPECT_EQ(le64(*storage(c, "h")), 7u);
  EXPECT_EQ(le64(*storage(c, "t")), 1'700'000'999u);
  // random_get: byte p is byte p mod 32 of sha256(tx_hash || u64be(p / 32)).
  const Hash expect = state::sha256(state::as_string(h) + state::encode_u64(0));
  EXPECT_EQ(*storage(c, "r"), state::as_string(expect));
}

TEST_P(ApplyTest, DifferentTxHashGivesDifferentRandomness) {
  const Address c = deploy_contract();
  Transaction tx = base(CallAction{c, "info", "{}", 0}, 1);
  Hash other{};
  other[0] = 0x42;
  state::Overlay ov(store);
  Applied a = ex.apply(tx, alice, other, block, ov, rules);
  ASSERT_EQ(a.fault, ApplyFault::None) << a.error;
  ASSERT_TRUE(ov.commit().ok());
  EXPECT_EQ(*storage(c, "r"), state::as_string(state::sha256(state::as_string(other) + state::encode_u64(0))));
}

TEST_P(ApplyTest, SeveralTransactionsOnOneOverlay) {
  state::Overlay ov(store);
  for (uint64_t n = 0; n < 3; ++n) {
    Applied a = run(base(TransferAction{bob, 10}, n), ov);
    ASSERT_EQ(a.fault, ApplyFault::None) << a.error;
  }
  Applied bad = run(base(TransferAction{bob, 10}, 5), ov);
  EXPECT_EQ(bad.fault, ApplyFault::Invalid);
  EXPECT_EQ(bad.error, "nonce too high: 5 (the account's next nonce is 3)");
  ASSERT_TRUE(ov.commit().ok());
  EXPECT_EQ(bal(bob), 30u);
  EXPECT_EQ(nonce(alice), 3u);
  EXPECT_EQ(bal(producer), 3 * kTransferGas * kPrice);
}

TEST_P(ApplyTest, ZeroPriceNeedsNoFee) {
  rules.min_gas_price = 0;
  Transaction tx = base(TransferAction{bob, 10});
  tx.gas_price = 0;
  Receipt r = include(tx);
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.fee, 0u);
  EXPECT_EQ(bal(producer), 0u);
  EXPECT_EQ(bal(alice), kStart - 10);
}

TEST_P(ApplyTest, StoreReadFailureIsAStorageFault) {
  state::FailingStore failing(store);
  Executor fex(failing, *backend);
  failing.fail_reads = true;
  Transaction tx = base(TransferAction{bob, 10});
  state::Overlay ov(failing);
  Applied a = fex.apply(tx, alice, tx_hash(encode(tx)), block, ov, rules);
  EXPECT_EQ(a.fault, ApplyFault::StorageFault);
  EXPECT_EQ(a.error.rfind("storage error: ", 0), 0u) << a.error;
  EXPECT_EQ(ov.pending(), 0u);
}

TEST_P(ApplyTest, StoreReadFailureInsideAContractIsAStorageFault) {
  const Address c = deploy_contract();
  PrefixFailingStore failing(store);
  Executor fex(failing, *backend);
  failing.prefix = state::storage_prefix(c);
  failing.armed = true;
  Transaction tx = base(CallAction{c, "read", "{}", 0}, 1);
  state::Overlay ov(failing);
  Applied a = fex.apply(tx, alice, tx_hash(encode(tx)), block, ov, rules);
  EXPECT_EQ(a.fault, ApplyFault::StorageFault) << a.receipt.error;
  EXPECT_NE(a.error.find("disk on fire"), std::string::npos) << a.error;
  EXPECT_EQ(ov.pending(), 0u);
}

/// A contract whose `go` calls target.read and ignores the outcome.
std::string proxy(const Address& target) {
  return R"((module
  (import "ward_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64 i64) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) ")" + testing::wat_bytes(state::as_string(target)) + R"(")
  (data (i32.const 32) "read")
  (data (i32.const 48) "{}")
  (func (export "go")
    (drop (call $call (i32.const 0) (i32.const 32) (i32.const 4) (i32.const 48) (i32.const 2) (i64.const 0) (i64.const 0))))
))";
}

TEST_P(ApplyTest, StoreReadFailureInANestedCallIsAStorageFault) {
  const Address target = deploy_contract();
  DeployAction d;
  const std::vector<uint8_t> pcode = wat(proxy(target));
  d.code = std::string(pcode.begin(), pcode.end());
  Receipt dr = include(base(d, 1));
  ASSERT_TRUE(dr.ok()) << dr.error;
  const Address p = *dr.contract;
  // Without a failure the outer call ends ok.
  {
    state::Overlay ov(store);
    Applied a = run(base(CallAction{p, "go", "{}", 0}, 2), ov);
    ASSERT_EQ(a.fault, ApplyFault::None) << a.error;
    EXPECT_TRUE(a.receipt.ok()) << a.receipt.error;
  }
  PrefixFailingStore failing(store);
  Executor fex(failing, *backend);
  failing.prefix = state::storage_prefix(target);
  failing.armed = true;
  Transaction tx = base(CallAction{p, "go", "{}", 0}, 2);
  state::Overlay ov(failing);
  Applied a = fex.apply(tx, alice, tx_hash(encode(tx)), block, ov, rules);
  EXPECT_EQ(a.fault, ApplyFault::StorageFault) << "status " << to_string(a.receipt.status) << " " << a.receipt.error;
  EXPECT_EQ(a.error.rfind("storage error: ", 0), 0u) << a.error;
  EXPECT_NE(a.error.find("disk on fire"), std::string::npos) << a.error;
  EXPECT_EQ(ov.pending(), 0u);
}

TEST_P(ApplyTest, ARevertReasonCannotForgeAStorageFault) {
  const Address c = deploy_contract();
  Receipt r = include(base(CallAction{c, "fake", "{}", 0}, 1));
  EXPECT_EQ(r.status, Status::Reverted);
  EXPECT_EQ(r.error, "reverted: storage error: fake");
  EXPECT_EQ(nonce(alice), 2u);
}

TEST_P(ApplyTest, BalanceReadFailureOfProducerIsAStorageFault) {
  PrefixFailingStore failing(store);
  Executor fex(failing, *backend);
  failing.prefix = state::balance_key(producer);
  failing.armed = true;
  Transaction tx = base(TransferAction{bob, 10});
  state::Overlay ov(failing);
  Applied a = fex.apply(tx, alice, tx_hash(encode(tx)), block, ov, rules);
  EXPECT_EQ(a.fault, ApplyFault::StorageFault);
  EXPECT_EQ(a.error.rfind("storage error: ", 0), 0u) << a.error;
  EXPECT_EQ(ov.pending(), 0u);
}

TEST_P(ApplyTest, ApplyFaultNames) {
  EXPECT_STREQ(to_string(ApplyFault::None), "none");
  EXPECT_STREQ(to_string(ApplyFault::Invalid), "invalid");
  EXPECT_STREQ(to_string(ApplyFault::StorageFault), "storage_fault");
  EXPECT_TRUE(is_storage_error("storage error: x"));
  EXPECT_FALSE(is_storage_error("reverted: storage error: x"));
}

WARD_INSTANTIATE_BACKENDS(ApplyTest);

}  // namespace
}  // namespace ward::chain
