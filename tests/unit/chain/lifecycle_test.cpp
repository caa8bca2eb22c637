// Contract lifecycle through the executor: refcounted code, destroy and
// tombstones, gzip deploy, upgrade with migrate, admin rules, immutable
// contracts, plain value transfers and the genesis balance.
#include <gtest/gtest.h>

#include "chain/executor.h"
#include "state/objects.h"
#include "chain_fixture.h"

namespace ward::chain {
namespace {

using testing::gzip;
using testing::wat;

// v1: set stores the input under "counter"; get returns it (or null).
const char* kV1 = R"((module
  (import "ward_v1" "input_size" (func $input_size (result i32)))
  (import "ward_v1" "input_read" (func $input_read (param i32)))
  (import "ward_v1" "result_write" (func $result_write (param i32 i32)))
  (import "ward_v1" "revert" (func $revert (param i32 i32)))
  (import "ward_v1" "storage_get" (func $storage_get (param i32 i32 i32 i32) (result i32)))
  (import "ward_v1" "storage_put" (func $storage_put (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "counter")
  (data (i32.const 48) "no migration")
  (data (i32.const 96) "null")
  (data (i32.const 112) "2")
  (data (i32.const 128) "migrated")
  (func (export "set") (local $n i32)
    (local.set $n (call $input_size))
    (call $input_read (i32.const 1024))
    (call $storage_put (i32.const 0) (i32.const 7) (i32.const 1024) (local.get $n)))
  (func (export "get") (local $n i32)
    (local.set $n (call $storage_get (i32.const 0) (i32.const 7) (i32.const 2048) (i32.const 1024)))
    (if (i32.lt_s (local.get $n) (i32.const 0))
      (then (call $result_write (i32.const 96) (i32.const 4)))
      (else (call $result_write (i32.const 2048) (local.get $n)))))
  (func (export "fail_migrate") (call $revert (i32.const 48) (i32.const 12)))
  ;;EXTRA
))";

// v2: v1 plus version (returns 2) and migrate (stores "migrated" under "m").
std::string v2() {
  std::string text = kV1;
  text.replace(text.find(";;EXTRA"), 7, R"(
  (func (export "version") (call $result_write (i32.const 112) (i32.const 1)))
  (func (export "migrate") (call $storage_put (i32.const 128) (i32.const 1) (i32.const 128) (i32.const 8))))");
  return text;
}

const Address kOther = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0b, 0x0b};
const Address kSystem = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

class LifecycleTest : public ward::test::BackendTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(ex.ensure_genesis().value());
    code = wat(kV1);
  }
  Address deploy(const std::vector<uint8_t>& module, bool immutable = false) {
    DeployOptions o;
    o.gas_limit = 10'000'000;
    o.immutable = immutable;
    auto d = ex.deploy(module, kDevAddress, o);
    EXPECT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(d.value().status, Status::Ok) << d.value().error;
    return d.value().address;
  }
  size_t keys_with_prefix(std::string_view prefix) {
    size_t n = 0;
    for (const auto& [k, v] : store.contents()) n += k.rfind(prefix, 0) == 0;
    return n;
  }
  CallReceipt call(const Address& a, const std::string& method, const std::string& args = "",
                   const Address& from = kDevAddress) {
    return ex.call(a, method, args, from, 1'000'000);
  }

  std::vector<uint8_t> code;
  state::MemoryStore store;
  Executor ex{store, *backend};
};

TEST_P(LifecycleTest, GenesisGivesTheDevAddressItsBalanceOnce) {
  EXPECT_EQ(ex.balance(kDevAddress).value(), kDevStartingBalance);
  EXPECT_FALSE(ex.ensure_genesis().value());
  state::MemoryStore used;
  ASSERT_TRUE(used.put("x", "y").ok());
  Executor other(used, *backend);
  EXPECT_FALSE(other.ensure_genesis().value());
  EXPECT_EQ(other.balance(kDevAddress).value(), 0u);
}

TEST_P(LifecycleTest, PlainTransfersReachAnyAddress) {
  Address a = deploy(code);
  CallReceipt r = ex.transfer(kDevAddress, a, 500);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(r.gas_used, kTransferGas);
  ASSERT_TRUE(ex.transfer(kDevAddress, kSystem, 7).ok());
  ASSERT_TRUE(ex.transfer(kDevAddress, kOther, 9).ok());
  EXPECT_EQ(ex.balance(a).value(), 500u);
  EXPECT_EQ(ex.balance(kSystem).value(), 7u);
  EXPECT_EQ(ex.balance(kOther).value(), 9u);
  EXPECT_EQ(ex.balance(kDevAddress).value(), kDevStartingBalance - 516);
  auto before = store.contents();
  r = ex.transfer(kOther, kSystem, 10);
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.error, "insufficient balance: " + format_address(kOther) + " has 9, needs 10");
  EXPECT_EQ(store.contents(), before);
}

TEST_P(LifecycleTest, DeployCreatesTheDefaultObjectAndRecordsTheAdmin) {
  Address a = deploy(code);
  EXPECT_TRUE(store.contents().count(state::object_key(state::default_object_id(a))));
  auto rec = ex.contract(a).value();
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->admin, kDevAddress);
  EXPECT_FALSE(rec->destroyed);
  Address b = deploy(code, /*immutable=*/true);
  EXPECT_FALSE(ex.contract(b).value()->admin.has_value());
}

TEST_P(LifecycleTest, CodeIsRefcountedAcrossDestroys) {
  Address a = deploy(code);
  Address b = deploy(code);
  const Hash h = state::sha256(code);
  EXPECT_EQ(keys_with_prefix("k/"), 1u);
  EXPECT_EQ(store.contents().at(state::code_refs_key(h)), state::encode_u64(2));
  ASSERT_TRUE(call(b, "set", "5").ok());

  CallReceipt r = ex.destroy(a, kOther, kDevAddress);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(store.contents().at(state::code_refs_key(h)), state::encode_u64(1));
  EXPECT_EQ(call(b, "get").result, "5");

  r = ex.destroy(b, kOther, kDevAddress);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(keys_with_prefix("k/"), 0u);
  EXPECT_EQ(keys_with_prefix("r/"), 0u);
}

TEST_P(LifecycleTest, DestroyRemovesStateMovesBalanceAndLeavesATombstone) {
  Address a = deploy(code);
  ASSERT_TRUE(call(a, "set", "7").ok());
  ASSERT_TRUE(ex.transfer(kDevAddress, a, 300).ok());
  CallReceipt r = ex.destroy(a, kOther, kDevAddress);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(r.gas_used, kDestroyBaseGas + 2 * kDestroyGasPerKey);  // "counter" + the default object
  EXPECT_EQ(ex.balance(kOther).value(), 300u);
  EXPECT_EQ(ex.balance(a).value(), 0u);
  EXPECT_EQ(keys_with_prefix(state::storage_prefix(a)), 0u);
  EXPECT_FALSE(store.contents().count(state::object_key(state::default_object_id(a))));
  auto rec = ex.contract(a).value();
  ASSERT_TRUE(rec);
  EXPECT_TRUE(rec->destroyed);

  r = call(a, "get");
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.error, "contract destroyed: " + format_address(a));
  EXPECT_EQ(ex.destroy(a, kOther, kDevAddress).error, "contract destroyed: " + format_address(a));
  auto up = ex.upgrade(a, code, kDevAddress, std::nullopt, "", 0);
  EXPECT_EQ(up.value().error, "contract destroyed: " + format_address(a));
  // Value sent to a destroyed contract by a call does not arrive.
  r = ex.call(a, "get", "", kDevAddress, 0, 5);
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(ex.balance(a).value(), 0u);
}

TEST_P(LifecycleTest, ATombstoneAddressIsNeverDeployedAgain) {
  // Addresses come from deployer + nonce, so a reuse needs a forged state:
  // a tombstone at the next address of kOther.
  const Address target = contract_address(kOther, 0);
  {
    state::Overlay o(store);
    state::ContractRecord rec;
    rec.deployer = kOther;
    rec.destroyed = true;
    state::put_contract(o, target, rec);
    ASSERT_TRUE(o.commit().ok());
  }
  auto d = ex.deploy(code, kOther, std::nullopt, "", 0);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().status, Status::Failed);
  EXPECT_EQ(d.value().error,
            "address " + format_address(target) + " belonged to a destroyed contract and cannot be reused");
}

TEST_P(LifecycleTest, OnlyTheAdminUpgradesOrDestroys) {
  Address a = deploy(code);
  auto before = store.contents();
  auto up = ex.upgrade(a, wat(v2()), kOther, std::nullopt, "", 0);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up.value().status, Status::Failed);
  EXPECT_EQ(up.value().error,
            "only the admin " + format_address(kDevAddress) + " may upgrade contract " + format_address(a));
  CallReceipt r = ex.destroy(a, kOther, kOther);
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.error, "only the admin " + format_address(kDevAddress) + " may destroy contract " + format_address(a));
  EXPECT_EQ(store.contents(), before);
}

TEST_P(LifecycleTest, ImmutableContractsCannotBeUpgradedOrDestroyed) {
  Address a = deploy(code, /*immutable=*/true);
  auto before = store.contents();
  EXPECT_EQ(ex.upgrade(a, wat(v2()), kDevAddress, std::nullopt, "", 0).value().error,
            "contract " + format_address(a) + " is immutable");
  EXPECT_EQ(ex.destroy(a, kOther, kDevAddress).error, "contract " + format_address(a) + " is immutable");
  EXPECT_EQ(store.contents(), before);
}

TEST_P(LifecycleTest, UpgradeKeepsAddressStateAndBalanceAndRunsMigrate) {
  Address a = deploy(code);
  ASSERT_TRUE(call(a, "set", "41").ok());
  ASSERT_TRUE(ex.transfer(kDevAddress, a, 99).ok());
  EXPECT_EQ(call(a, "version").status, Status::Failed);
  const std::vector<uint8_t> new_code = wat(v2());
  auto up = ex.upgrade(a, new_code, kDevAddress, "migrate", "", 0);
  ASSERT_TRUE(up.ok());
  ASSERT_EQ(up.value().status, Status::Ok) << up.value().error;
  EXPECT_EQ(up.value().address, a);
  EXPECT_EQ(up.value().code_hash, state::sha256(new_code));
  EXPECT_EQ(ex.contract(a).value()->code_hash, state::sha256(new_code));
  EXPECT_EQ(call(a, "version").result, "2");
  EXPECT_EQ(call(a, "get").result, "41");
  EXPECT_EQ(ex.balance(a).value(), 99u);
  EXPECT_EQ(store.contents().at(state::storage_key(a, "m")), "migrated");
  // The old code had one user: it is gone.
  EXPECT_FALSE(store.contents().count(state::code_key(state::sha256(code))));
  EXPECT_EQ(keys_with_prefix("k/"), 1u);
}

TEST_P(LifecycleTest, FailedMigrateLeavesTheOldCode) {
  Address a = deploy(code);
  ASSERT_TRUE(call(a, "set", "3").ok());
  auto before = store.contents();
  std::string with_failing_migrate = v2();
  auto up = ex.upgrade(a, wat(with_failing_migrate), kDevAddress, "fail_migrate", "", 0);
  ASSERT_TRUE(up.ok());
  EXPECT_EQ(up.value().status, Status::Reverted);
  EXPECT_EQ(up.value().error, "migrate method 'fail_migrate': reverted: no migration");
  EXPECT_EQ(store.contents(), before);
  EXPECT_EQ(ex.contract(a).value()->code_hash, state::sha256(code));
  EXPECT_EQ(call(a, "version").status, Status::Failed);
  EXPECT_EQ(call(a, "get").result, "3");
}

TEST_P(LifecycleTest, GzipDeploy) {
  const std::vector<uint8_t> packed = gzip(code);
  ASSERT_TRUE(is_gzip(packed));
  auto d = ex.deploy(packed, kDevAddress, std::nullopt, "", 0);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d.value().status, Status::Ok) << d.value().error;
  EXPECT_TRUE(d.value().compressed);
  EXPECT_EQ(d.value().code_hash, state::sha256(code));
  EXPECT_EQ(d.value().gas_used, kDeployBaseGas + kDeployGasPerByte * code.size());
  EXPECT_EQ(store.contents().at(state::code_key(state::sha256(code))), state::as_string(code));
  ASSERT_TRUE(call(d.value().address, "set", "1").ok());
  EXPECT_EQ(call(d.value().address, "get").result, "1");
}

TEST_P(LifecycleTest, GzipBombAndCorruptGzipAreRejected) {
  // 64 MiB of zeros compress to about 64 KiB.
  std::vector<uint8_t> zeros(64u << 20, 0);
  const std::vector<uint8_t> bomb = gzip(zeros);
  ASSERT_LT(bomb.size(), 1u << 20);
  auto before = store.contents();
  auto d = ex.deploy(bomb, kDevAddress, std::nullopt, "", 0);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().status, Status::Failed);
  EXPECT_EQ(d.value().error, "gzip: decompressed module exceeds max_module_bytes (4194304)");
  std::vector<uint8_t> corrupt = gzip(code);
  corrupt.resize(corrupt.size() / 2);
  d = ex.deploy(corrupt, kDevAddress, std::nullopt, "", 0);
  EXPECT_EQ(d.value().status, Status::Failed);
  EXPECT_EQ(d.value().error, "gzip: truncated data");
  std::vector<uint8_t> junk = {0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  d = ex.deploy(junk, kDevAddress, std::nullopt, "", 0);
  EXPECT_EQ(d.value().status, Status::Failed);
  EXPECT_EQ(d.value().error.rfind("gzip: ", 0), 0u) << d.value().error;
  EXPECT_EQ(store.contents(), before);
  // The bound is Limits::max_module_bytes.
  runtime::Limits small;
  small.max_module_bytes = code.size() - 1;
  Executor tight(store, *backend, small);
  d = tight.deploy(gzip(code), kDevAddress, std::nullopt, "", 0);
  EXPECT_EQ(d.value().error, "gzip: decompressed module exceeds max_module_bytes (" +
                                 std::to_string(code.size() - 1) + ")");
}

WARD_INSTANTIATE_BACKENDS(LifecycleTest);

}  // namespace
}  // namespace ward::chain
