// Executor end to end: contracts written in the text format, built with
// wat2wasm at test time, deployed and called on every backend.
#include <gtest/gtest.h>

#include <filesystem>

#include "chain/executor.h"
#include "chain_fixture.h"
#include "state/rocksdb_store.h"

namespace ward::chain {
namespace {

namespace fs = std::filesystem;

using testing::deploy_ok;
using testing::temp_path;
using testing::wat;

// A counter-like contract using input, result, storage, log, revert and debug.
const char* kContract = R"((module
  (import "ward_v1" "input_size" (func $input_size (result i32)))
  (import "ward_v1" "input_read" (func $input_read (param i32)))
  (import "ward_v1" "result_write" (func $result_write (param i32 i32)))
  (import "ward_v1" "revert" (func $revert (param i32 i32)))
  (import "ward_v1" "storage_get" (func $storage_get (param i32 i32 i32 i32) (result i32)))
  (import "ward_v1" "storage_put" (func $storage_put (param i32 i32 i32 i32)))
  (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
  (import "ward_v1" "debug_print" (func $debug_print (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "counter")
  (data (i32.const 16) "bump")
  (data (i32.const 32) "{}")
  (data (i32.const 48) "insufficient balance")
  (data (i32.const 80) "init ran")
  (data (i32.const 96) "null")
  ;; set: stores the input under "counter" and logs it as event "bump"
  (func (export "set") (local $n i32)
    (local.set $n (call $input_size))
    (call $input_read (i32.const 1024))
    (call $storage_put (i32.const 0) (i32.const 7) (i32.const 1024) (local.get $n))
    (call $log (i32.const 16) (i32.const 4) (i32.const 1024) (local.get $n)))
  ;; get: the stored value, or null
  (func (export "get") (local $n i32)
    (local.set $n (call $storage_get (i32.const 0) (i32.const 7) (i32.const 2048) (i32.const 1024)))
    (if (i32.lt_s (local.get $n) (i32.const 0))
      (then (call $result_write (i32.const 96) (i32.const 4)))
      (else (call $result_write (i32.const 2048) (local.get $n)))))
  (func (export "set_then_revert")
    (call $storage_put (i32.const 0) (i32.const 7) (i32.const 32) (i32.const 2))
    (call $log (i32.const 16) (i32.const 4) (i32.const 32) (i32.const 2))
    (call $revert (i32.const 48) (i32.const 20)))
  (func (export "set_then_loop")
    (call $storage_put (i32.const 0) (i32.const 7) (i32.const 32) (i32.const 2))
    (loop $l (br $l)))
  (func (export "set_then_trap")
    (call $storage_put (i32.const 0) (i32.const 7) (i32.const 32) (i32.const 2))
    (drop (i32.load (i32.const 70000))))
  (func (export "bad_result")
    (call $result_write (i32.const 0) (i32.const 7)))
  (func (export "bad_range")
    (call $storage_put (i32.const 0) (i32.const 7) (i32.const 65530) (i32.const 100)))
  (func (export "init")
    (call $debug_print (i32.const 80) (i32.const 8))
    (call $storage_put (i32.const 0) (i32.const 7) (i32.const 32) (i32.const 2)))
  (func (export "takes_param") (param i32))
))";

// A WASI reactor: _initialize runs first; main output goes through fd_write.
const char* kReactor = R"((module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "ward_v1" "result_write" (func $result_write (param i32 i32)))
  (import "ward_v1" "storage_put" (func $storage_put (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hi from stdout\n")
  (data (i32.const 200) "r")
  (func (export "_initialize")
    (i32.store (i32.const 3000) (i32.const 0x65757274)))  ;; "true"
  (func (export "check")
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 15))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (call $result_write (i32.const 3000) (i32.const 4)))
  ;; rand: stores 16 bytes of random_get under "r"
  (func (export "rand")
    (drop (call $random_get (i32.const 4000) (i32.const 16)))
    (call $storage_put (i32.const 200) (i32.const 1) (i32.const 4000) (i32.const 16)))
))";

class ExecutorTest : public ward::test::BackendTest {
 protected:
  void SetUp() override { code = wat(kContract); }

  Address deploy(Executor& ex) { return deploy_ok(ex, code, 1'000'000); }
  std::string get(Executor& ex, const Address& a) {
    CallReceipt r = ex.call(a, "get", "", kDevAddress, 1'000'000);
    EXPECT_EQ(r.status, Status::Ok) << r.error;
    return r.result;
  }

  std::vector<uint8_t> code;
  state::MemoryStore store;
};

TEST_P(ExecutorTest, DeployStoresCodeOnceAndDerivesAddresses) {
  Executor ex(store, *backend);
  auto d1 = ex.deploy(code, kDevAddress, std::nullopt, "", 1'000'000);
  ASSERT_TRUE(d1.ok());
  ASSERT_EQ(d1.value().status, Status::Ok) << d1.value().error;
  EXPECT_EQ(d1.value().address, contract_address(kDevAddress, 0));
  EXPECT_EQ(d1.value().code_hash, state::sha256(code));
  EXPECT_TRUE(d1.value().code_was_new);
  EXPECT_EQ(d1.value().gas_used, kDeployBaseGas + kDeployGasPerByte * code.size());
  auto d2 = ex.deploy(code, kDevAddress, std::nullopt, "", 1'000'000);
  ASSERT_TRUE(d2.ok());
  EXPECT_EQ(d2.value().address, contract_address(kDevAddress, 1));
  EXPECT_FALSE(d2.value().code_was_new);
  EXPECT_EQ(ex.height().value(), 2u);
  auto rec = ex.contract(d1.value().address);
  ASSERT_TRUE(rec.ok() && rec.value().has_value());
  EXPECT_EQ(rec.value()->deployer, kDevAddress);
  EXPECT_EQ(rec.value()->created_at, 0u);
  EXPECT_EQ(rec.value()->created_time, kGenesisTime);
  size_t code_keys = 0;
  for (const auto& [k, v] : store.contents()) code_keys += k.rfind("k/", 0) == 0;
  EXPECT_EQ(code_keys, 1u);
}

TEST_P(ExecutorTest, OkCallCommits) {
  Executor ex(store, *backend);
  Address a = deploy(ex);
  EXPECT_EQ(get(ex, a), "null");
  CallReceipt r = ex.call(a, "set", R"({"n":42})", kDevAddress, 1'000'000);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_GT(r.gas_used, 0u);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].contract, a);
  EXPECT_EQ(r.events[0].name, "bump");
  EXPECT_EQ(r.events[0].data, R"({"n":42})");
  EXPECT_EQ(get(ex, a), R"({"n":42})");
}

TEST_P(ExecutorTest, RevertCommitsNothing) {
  Executor ex(store, *backend);
  Address a = deploy(ex);
  ASSERT_TRUE(ex.call(a, "set", "7", kDevAddress, 1'000'000).ok());
  uint64_t height = ex.height().value();
  auto before = store.contents();
  CallReceipt r = ex.call(a, "set_then_revert", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.status, Status::Reverted);
  EXPECT_EQ(r.error, "reverted: insufficient balance");
  EXPECT_TRUE(r.events.empty());
  EXPECT_GT(r.gas_used, 0u);
  EXPECT_EQ(store.contents(), before);
  EXPECT_EQ(ex.height().value(), height);
  EXPECT_EQ(get(ex, a), "7");
}

TEST_P(ExecutorTest, OutOfGasCommitsNothingAndUsesTheWholeLimit) {
  Executor ex(store, *backend);
  Address a = deploy(ex);
  auto before = store.contents();
  CallReceipt r = ex.call(a, "set_then_loop", "", kDevAddress, 100'000);
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error, "out of gas");
  EXPECT_EQ(r.gas_used, 100'000u);
  EXPECT_EQ(store.contents(), before);
}

TEST_P(ExecutorTest, TrapsAndHostErrors) {
  Executor ex(store, *backend);
  Address a = deploy(ex);
  auto before = store.contents();
  CallReceipt r = ex.call(a, "set_then_trap", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error, "trapped: out of bounds memory access");
  r = ex.call(a, "bad_result", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error.rfind("host error: result_write: result is not valid JSON", 0), 0u) << r.error;
  r = ex.call(a, "bad_range", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.error, "host error: storage_put: out of bounds memory range [65530, 65630) (memory is 65536 bytes)");
  EXPECT_EQ(store.contents(), before);
}

TEST_P(ExecutorTest, BadRequestsFail) {
  Executor ex(store, *backend);
  Address a = deploy(ex);
  Address nobody{};
  CallReceipt r = ex.call(nobody, "get", "", kDevAddress, 1000);
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.error, "unknown contract 0x0000000000000000000000000000000000000000");
  r = ex.call(a, "nope", "", kDevAddress, 1000);
  // The error lists the methods a caller may name (takes_param is no method).
  EXPECT_EQ(r.error, "unknown method 'nope' of contract " + format_address(a) +
                         ", available: set, get, set_then_revert, set_then_loop, set_then_trap, bad_result, "
                         "bad_range, init");
  r = ex.call(a, "takes_param", "", kDevAddress, 1000);
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_NE(r.error.find("a method takes no parameters"), std::string::npos) << r.error;
  r = ex.call(a, "get", "{bad", kDevAddress, 1000);
  EXPECT_EQ(r.error, "invalid args: not valid JSON");
  r = ex.call(a, "get", "", kDevAddress, ex.limits().max_gas + 1);
  EXPECT_NE(r.error.find("exceeds max_gas"), std::string::npos);
}

TEST_P(ExecutorTest, DeployWithInit) {
  Executor ex(store, *backend);
  auto d = ex.deploy(code, kDevAddress, "init", "", 1'000'000);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d.value().status, Status::Ok) << d.value().error;
  EXPECT_EQ(d.value().debug, std::vector<std::string>{"init ran"});
  EXPECT_GT(d.value().gas_used, kDeployBaseGas + code.size());
  EXPECT_EQ(get(ex, d.value().address), "{}");
}

TEST_P(ExecutorTest, FailedInitCommitsNothing) {
  Executor ex(store, *backend);
  auto d = ex.deploy(code, kDevAddress, "set_then_revert", "", 1'000'000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().status, Status::Reverted);
  EXPECT_EQ(d.value().error, "init method 'set_then_revert': reverted: insufficient balance");
  EXPECT_EQ(store.size(), 0u);
  d = ex.deploy(code, kDevAddress, std::nullopt, "", kDeployBaseGas);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().error, "out of gas");
  EXPECT_EQ(d.value().gas_used, kDeployBaseGas);
  EXPECT_EQ(store.size(), 0u);
}

TEST_P(ExecutorTest, DeployRejectsBadModules) {
  Executor ex(store, *backend);
  std::vector<uint8_t> junk = {0, 'a', 's', 'm', 9, 9};
  auto d = ex.deploy(junk, kDevAddress, std::nullopt, "", 1'000'000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().status, Status::Failed);
  EXPECT_FALSE(d.value().error.empty());
  auto bad_import = wat(R"((module (import "env" "foo" (func)) (memory (export "memory") 1)))");
  d = ex.deploy(bad_import, kDevAddress, std::nullopt, "", 1'000'000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().status, Status::Failed);
  EXPECT_EQ(d.value().error.rfind("rejected by deploy policy: ", 0), 0u) << d.value().error;
  EXPECT_EQ(store.size(), 0u);
}

TEST_P(ExecutorTest, ReactorInitializeAndStdout) {
  Executor ex(store, *backend);
  std::vector<std::string> sunk;
  ex.set_debug_sink([&](std::string_view l) { sunk.emplace_back(l); });
  auto d = ex.deploy(wat(kReactor), kDevAddress, std::nullopt, "", 1'000'000);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d.value().status, Status::Ok) << d.value().error;
  CallReceipt r = ex.call(d.value().address, "check", "", kDevAddress, 1'000'000);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(r.result, "true");
  EXPECT_EQ(r.debug, std::vector<std::string>{"hi from stdout"});
  EXPECT_EQ(sunk, r.debug);
  EXPECT_EQ(ex.call(d.value().address, "_initialize", "", kDevAddress, 1000).error, "method '_initialize' is reserved");
}

TEST_P(ExecutorTest, SameRequestsGiveSameStateAndGas) {
  auto module = wat(kReactor);
  auto run = [&](state::MemoryStore& s) {
    Executor ex(s, *backend);
    auto d = ex.deploy(module, kDevAddress, std::nullopt, "", 1'000'000);
    EXPECT_TRUE(d.ok() && d.value().ok());
    std::vector<uint64_t> gas;
    for (int i = 0; i < 2; ++i) {
      CallReceipt r = ex.call(d.value().address, "rand", "", kDevAddress, 1'000'000);
      EXPECT_EQ(r.status, Status::Ok) << r.error;
      gas.push_back(r.gas_used);
    }
    return gas;
  };
  state::MemoryStore s1, s2;
  auto g1 = run(s1), g2 = run(s2);
  EXPECT_EQ(g1, g2);
  EXPECT_EQ(g1[0], g1[1]);
  EXPECT_EQ(s1.contents(), s2.contents());
  std::string random_value;
  for (const auto& [k, v] : s1.contents()) {
    if (k.rfind("s/", 0) == 0) random_value = v;
  }
  EXPECT_EQ(random_value.size(), 16u);
  EXPECT_NE(random_value, std::string(16, '\0'));
}

TEST_P(ExecutorTest, QueryNeverCommits) {
  Executor ex(store, *backend);
  Address a = deploy(ex);
  auto before = store.contents();
  CallReceipt r = ex.query(a, "set", "5", kDevAddress, 1'000'000);
  EXPECT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(store.contents(), before);
}

TEST_P(ExecutorTest, StorageFailureOnCommitLeavesStoreUntouched) {
  state::FailingStore failing(store);
  Executor ex(failing, *backend);
  Address a = deploy(ex);
  auto before = store.contents();
  failing.fail_writes = true;
  CallReceipt r = ex.call(a, "set", "1", kDevAddress, 1'000'000);
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.error.rfind("storage error: ", 0), 0u) << r.error;
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(store.contents(), before);
  auto d = ex.deploy(code, kDevAddress, std::nullopt, "", 1'000'000);
  EXPECT_FALSE(d.ok()) << "a store failure is an Error";
}

TEST_P(ExecutorTest, StateSurvivesReopeningRocksDb) {
  fs::path dir = temp_path("db");
  Address a;
  {
    auto db = state::RocksDbStore::open(dir.string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    Executor ex(*db.value(), *backend);
    a = deploy(ex);
    ASSERT_TRUE(ex.call(a, "set", "[1,2,3]", kDevAddress, 1'000'000).ok());
  }
  {
    auto db = state::RocksDbStore::open(dir.string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    Executor ex(*db.value(), *backend);
    EXPECT_EQ(get(ex, a), "[1,2,3]");
    EXPECT_EQ(ex.height().value(), 3u);
  }
  fs::remove_all(dir);
}

TEST_P(ExecutorTest, GasScheduleByHeight) {
  Executor ex(store, *backend);
  ASSERT_TRUE(ex.ensure_genesis().ok());  // the dev address pays the transfer below
  ASSERT_EQ(ex.gas_schedule(), std::vector<GasScheduleStep>{GasScheduleStep{}});
  EXPECT_EQ(&ex.gas_schedule_at(0), &wasm::gas_schedule_v1());
  EXPECT_EQ(&ex.gas_schedule_at(UINT64_MAX), &wasm::gas_schedule_v1());
  // Steps: increasing heights from 0, known revisions; a refused list changes nothing.
  auto bad = ex.set_gas_schedule({});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("no step"), std::string::npos);
  bad = ex.set_gas_schedule({{5, 1}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("must start at height 0"), std::string::npos);
  bad = ex.set_gas_schedule({{0, 1}, {10, 1}, {10, 1}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("does not come after height 10"), std::string::npos);
  bad = ex.set_gas_schedule({{0, 1}, {100, 2}});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "gas schedule: step 1: unknown gas schedule revision 2 (known: 1)");
  EXPECT_EQ(ex.gas_schedule(), std::vector<GasScheduleStep>{GasScheduleStep{}});
  // A valid list: the revision of the last step at or below the height.
  ASSERT_TRUE(ex.set_gas_schedule({{0, 1}, {10, 1}}).ok());
  EXPECT_EQ(ex.gas_schedule_at(9).revision, 1u);
  EXPECT_EQ(ex.gas_schedule_at(10).revision, 1u);
  // Requests charge the schedule's costs (revision 1: the constants).
  auto d = ex.deploy(code, kDevAddress, std::nullopt, "", 1'000'000);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d.value().status, Status::Ok) << d.value().error;
  const wasm::GasSchedule& gas = ex.gas_schedule_at(0);
  EXPECT_EQ(d.value().gas_used, gas.deploy_base + gas.deploy_per_byte * code.size());
  const CallReceipt t = ex.transfer(kDevAddress, contract_address(kDevAddress, 7), 1);
  ASSERT_EQ(t.status, Status::Ok) << t.error;
  EXPECT_EQ(t.gas_used, ex.gas_schedule_at(1).transfer);
}

WARD_INSTANTIATE_BACKENDS(ExecutorTest);

}  // namespace
}  // namespace ward::chain
