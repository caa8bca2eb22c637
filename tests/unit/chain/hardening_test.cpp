// Findings of the hardening issue that live in the executor (each test failed
// before its fix; tests/regression/README.md lists them): call inputs (args
// nesting, duplicate keys, method names), deploy checks (no method, the start
// function), storage faults of nested calls, and memory (the per-transaction
// bound on pending writes, std::bad_alloc turned into a trapped receipt).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <limits>

#include "chain/crypto.h"
#include "chain/executor.h"
#include "chain/receipt.h"
#include "chain/tx.h"
#include "state/layout.h"
#include "state/objects.h"
#include "chain_fixture.h"
#include "util/utf8.h"

namespace ward::chain {
namespace {

using testing::deploy_ok;
using testing::PrefixFailingStore;
using testing::wat;
using testing::wat_bytes;

// write: 6,000 bytes under "k"; read: reads "k"; noop: nothing; echo: the
// input as result.
const char* kWriter = R"((module
  (import "ward_v1" "storage_put" (func $put (param i32 i32 i32 i32)))
  (import "ward_v1" "storage_get" (func $get (param i32 i32 i32 i32) (result i32)))
  (import "ward_v1" "input_size" (func $input_size (result i32)))
  (import "ward_v1" "input_read" (func $input_read (param i32)))
  (import "ward_v1" "result_write" (func $result_write (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "k")
  (func (export "write") (call $put (i32.const 0) (i32.const 1) (i32.const 100) (i32.const 6000)))
  (func (export "read") (drop (call $get (i32.const 0) (i32.const 1) (i32.const 1024) (i32.const 64))))
  (func (export "noop"))
  (func (export "echo") (local $n i32)
    (local.set $n (call $input_size))
    (call $input_read (i32.const 8192))
    (call $result_write (i32.const 8192) (local.get $n)))
))";

/// A contract whose `go` calls target.method with args and stores the
/// status digit under "st" and the call's output under "out"; `go_then_write`
/// does the same, then writes 6,000 bytes under "wr".
std::string proxy(const Address& target, const std::string& method, const std::string& args = "{}") {
  return R"((module
  (import "ward_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64 i64) (result i32)))
  (import "ward_v1" "call_result_size" (func $crs (result i32)))
  (import "ward_v1" "call_result_read" (func $crr (param i32)))
  (import "ward_v1" "storage_put" (func $put (param i32 i32 i32 i32)))
  (memory (export "memory") 2)
  (data (i32.const 0) ")" + wat_bytes(state::as_string(target)) + R"(")
  (data (i32.const 32) ")" + wat_bytes(method) + R"(")
  (data (i32.const 1000) "st")
  (data (i32.const 1010) "out")
  (data (i32.const 1020) "wr")
  (data (i32.const 4096) ")" + wat_bytes(args) + R"(")
  (func $go
    (i32.store8 (i32.const 1100)
      (i32.add (i32.const 48)
        (call $call (i32.const 0) (i32.const 32) (i32.const )" +
         std::to_string(method.size()) + R"() (i32.const 4096) (i32.const )" + std::to_string(args.size()) +
         R"() (i64.const 0) (i64.const 0))))
    (call $put (i32.const 1000) (i32.const 2) (i32.const 1100) (i32.const 1))
    (call $crr (i32.const 65536))
    (call $put (i32.const 1010) (i32.const 3) (i32.const 65536) (call $crs)))
  (func (export "go") (call $go))
  (func (export "go_then_write")
    (call $go)
    (call $put (i32.const 1020) (i32.const 2) (i32.const 8192) (i32.const 6000)))
))";
}

std::string nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

class Hardening : public ward::test::BackendTest {
 protected:
  Address deploy(Executor& ex, const std::string& text) { return deploy_ok(ex, wat(text), 10'000'000); }
  Address deploy(const std::string& text) { return deploy(ex, text); }
  /// The stored value of a contract's key, or "<absent>".
  std::string stored(const Address& contract, const std::string& key) {
    auto it = store.contents().find(state::storage_key(contract, key));
    return it == store.contents().end() ? "<absent>" : it->second;
  }

  state::MemoryStore store;
  Executor ex{store, *backend};
};

// --- finding 2: nesting of call inputs --------------------------------------

TEST_P(Hardening, ArgsNestingBeyondMaxJsonDepthIsRejected) {
  const Address w = deploy(kWriter);
  const auto before = store.contents();
  for (size_t depth : {65u, 1000u, 100'000u}) {
    CallReceipt r = ex.call(w, "echo", nested(depth), kDevAddress, 10'000'000);
    EXPECT_EQ(r.status, Status::Failed) << depth;
    EXPECT_EQ(r.error, "args nesting exceeds max_json_depth (64)") << depth;
  }
  EXPECT_EQ(store.contents(), before);
  CallReceipt ok = ex.call(w, "echo", nested(64), kDevAddress, 10'000'000);
  EXPECT_TRUE(ok.ok()) << ok.error;
  EXPECT_EQ(ok.result, nested(64));
  // Brackets inside strings do not count.
  ok = ex.call(w, "echo", "[\"" + std::string(1000, '[') + "\"]", kDevAddress, 10'000'000);
  EXPECT_TRUE(ok.ok()) << ok.error;

  // Deploy init args and upgrade migrate args go through the same check.
  auto d = ex.deploy(wat(kWriter), kDevAddress, "noop", nested(100'000), 10'000'000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().status, Status::Failed);
  EXPECT_EQ(d.value().error, "args nesting exceeds max_json_depth (64)");
  auto u = ex.upgrade(w, wat(kWriter), kDevAddress, "noop", nested(65), 10'000'000);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.value().status, Status::Failed);
  EXPECT_EQ(u.value().error, "args nesting exceeds max_json_depth (64)");
}

TEST_P(Hardening, NestedCallArgsNestingIsRefused) {
  const Address w = deploy(kWriter);
  const Address p = deploy(proxy(w, "echo", nested(65)));
  CallReceipt r = ex.call(p, "go", "", kDevAddress, 10'000'000);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(stored(p, "st"), "2");
  EXPECT_EQ(stored(p, "out"), "args nesting exceeds max_json_depth (64)");
  const Address q = deploy(proxy(w, "echo", nested(64)));
  r = ex.call(q, "go", "", kDevAddress, 10'000'000);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(stored(q, "st"), "0");
  EXPECT_EQ(stored(q, "out"), nested(64));
}

// --- finding 12: duplicate keys in call inputs ------------------------------

TEST_P(Hardening, DuplicateArgKeysAreRejectedNamingTheKey) {
  const Address w = deploy(kWriter);
  const std::string a = "\"0x" + std::string(40, 'a') + "\"", b = "\"0x" + std::string(40, 'b') + "\"";
  CallReceipt r = ex.call(w, "echo", "{\"to\":" + a + ",\"to\":" + b + "}", kDevAddress, 10'000'000);
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.error, "invalid args: duplicate key \"to\"");
  r = ex.call(w, "echo", R"({"a":{"x":1,"y":[{"z":0}],"x":2}})", kDevAddress, 10'000'000);
  EXPECT_EQ(r.error, "invalid args: duplicate key \"x\"");
  r = ex.call(w, "echo", R"([{"k":1},{"k":2,"k":3}])", kDevAddress, 10'000'000);
  EXPECT_EQ(r.error, "invalid args: duplicate key \"k\"");
  // The same key in different objects is fine.
  for (const char* fine : {R"([{"x":1},{"x":2}])", R"({"a":{"x":1},"x":2})", R"({"x":{"x":{"x":1}}})"}) {
    r = ex.call(w, "echo", fine, kDevAddress, 10'000'000);
    EXPECT_TRUE(r.ok()) << fine << ": " << r.error;
    EXPECT_EQ(r.result, fine);
  }
  // A long key is cut in the message; an escaped key is named as JSON.
  r = ex.call(w, "echo", "{\"" + std::string(100, 'k') + "\":1,\"" + std::string(100, 'k') + "\":2}", kDevAddress,
              10'000'000);
  EXPECT_EQ(r.error, "invalid args: duplicate key \"" + std::string(64, 'k') + "\"...");
  r = ex.call(w, "echo", R"({"a\"b":1,"a\u0022b":2})", kDevAddress, 10'000'000);
  EXPECT_EQ(r.error, R"(invalid args: duplicate key "a\"b")");

  auto d = ex.deploy(wat(kWriter), kDevAddress, "noop", R"({"n":1,"n":2})", 10'000'000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().status, Status::Failed);
  EXPECT_EQ(d.value().error, "invalid args: duplicate key \"n\"");
  auto u = ex.upgrade(w, wat(kWriter), kDevAddress, "noop", R"({"n":1,"n":2})", 10'000'000);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.value().error, "invalid args: duplicate key \"n\"");

  // Nested call args: refused with status 2.
  const Address p = deploy(proxy(w, "echo", R"({"to":1,"to":2})"));
  r = ex.call(p, "go", "", kDevAddress, 10'000'000);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(stored(p, "st"), "2");
  EXPECT_EQ(stored(p, "out"), "invalid args: duplicate key \"to\"");
}

TEST_P(Hardening, DuplicateArgKeysInATransactionFailItsCall) {
  const Address w = deploy(kWriter);
  const KeyPair key = KeyPair::from_seed(Seed{});
  const Address alice = address_of(key.public_key);
  {
    state::Overlay init(store);
    state::set_balance(init, alice, 1'000'000'000);
    ASSERT_TRUE(init.commit().ok());
  }
  Transaction tx;
  tx.signer = key.public_key;
  tx.expiry_height = 100;
  tx.gas_limit = 1'000'000;
  tx.gas_price = 1;
  tx.action = CallAction{w, "echo", R"({"to":"a","to":"b"})", 0};
  BlockContext block;
  block.height = 1;
  state::Overlay ov(store);
  Applied a = ex.apply(tx, alice, tx_hash(encode(tx)), block, ov, ChainRules{});
  ASSERT_EQ(a.fault, ApplyFault::None) << a.error;
  EXPECT_EQ(a.receipt.status, Status::Failed);
  EXPECT_EQ(a.receipt.error, "invalid args: duplicate key \"to\"");
}

// --- finding 8: method names enter the receipt ------------------------------

TEST_P(Hardening, MethodNamesMustBeUtf8) {
  const Address w = deploy(kWriter);
  for (const std::string bad : {"\xff", "no\xc3", "\xed\xa0\x80", "\xc0\xaf"}) {
    CallReceipt r = ex.call(w, bad, "", kDevAddress, 1'000'000);
    EXPECT_EQ(r.status, Status::Failed);
    EXPECT_EQ(r.error, "method name is not valid UTF-8");
    EXPECT_TRUE(valid_utf8(r.trace.method)) << "the trace holds the name";
  }
  auto d = ex.deploy(wat(kWriter), kDevAddress, "no\xff", "", 10'000'000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().status, Status::Failed);
  EXPECT_EQ(d.value().error, "init method name is not valid UTF-8");
  auto u = ex.upgrade(w, wat(kWriter), kDevAddress, "no\xff", "", 10'000'000);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.value().error, "migrate method name is not valid UTF-8");
  // A UTF-8 name that is no method is an ordinary unknown method.
  CallReceipt r = ex.call(w, "caf\xc3\xa9", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.error.rfind("unknown method 'caf\xc3\xa9'", 0), 0u) << r.error;
}

// --- finding 18: modules without a method, start functions ------------------

const char* kNoMethod = R"((module (memory (export "memory") 1) (func (export "f") (param i32))))";

TEST_P(Hardening, DeployRejectsModulesWithoutAMethod) {
  const char* kError = "module exports no method (a method is an exported function () -> ())";
  for (const char* text : {"(module)", kNoMethod, R"((module (func (export "_start")) (func (export "_initialize"))))",
                           R"((module (func (export "g") (result i32) (i32.const 1))))"}) {
    auto d = ex.deploy(wat(text), kDevAddress, std::nullopt, "", 1'000'000);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.value().status, Status::Failed) << text;
    EXPECT_EQ(d.value().error, kError) << text;
  }
  EXPECT_EQ(store.size(), 0u);
  // An upgrade to such a module fails too; the old code stays.
  const Address w = deploy(kWriter);
  const Hash old_code = ex.contract(w).value()->code_hash;
  auto u = ex.upgrade(w, wat(kNoMethod), kDevAddress, std::nullopt, "", 1'000'000);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.value().error, kError);
  EXPECT_EQ(ex.contract(w).value()->code_hash, old_code);
}

const char* kStartTraps = R"((module
  (memory (export "memory") 1)
  (func $start (unreachable))
  (start $start)
  (func (export "run"))))";

TEST_P(Hardening, DeployRunsTheStartFunction) {
  // A trapping start function fails the deploy, with or without an init method.
  for (std::optional<std::string_view> init : {std::optional<std::string_view>{}, std::optional<std::string_view>{"run"}}) {
    auto d = ex.deploy(wat(kStartTraps), kDevAddress, init, "", 1'000'000);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d.value().status, Status::Trapped);
    EXPECT_EQ(d.value().error, "start function trapped: unreachable");
    EXPECT_EQ(store.size(), 0u);
  }
  // One that never ends uses the deploy's gas.
  auto d = ex.deploy(wat(R"((module (func $s (loop $l (br $l))) (start $s) (func (export "run"))))"), kDevAddress,
                     std::nullopt, "", 1'000'000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().status, Status::Trapped);
  EXPECT_EQ(d.value().error, "start function trapped: out of gas");
  EXPECT_EQ(d.value().gas_used, 1'000'000u);
  EXPECT_EQ(store.size(), 0u);
  // A data segment that does not fit fails it too.
  d = ex.deploy(wat(R"((module (memory 1) (data (i32.const 65530) "0123456789") (func (export "run"))))"), kDevAddress,
                std::nullopt, "", 1'000'000);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d.value().error, "instantiation trapped: data segment 0: out of bounds memory access");

  // A start function that succeeds: its gas is part of the deploy's, its
  // writes are undone (it runs again at every call).
  const std::string writes = R"((module
    (import "ward_v1" "storage_put" (func $put (param i32 i32 i32 i32)))
    (memory (export "memory") 1)
    (data (i32.const 0) "s")
    (func $s (call $put (i32.const 0) (i32.const 1) (i32.const 0) (i32.const 1)))
    (start $s)
    (func (export "run"))))";
  const std::vector<uint8_t> code = wat(writes);
  d = ex.deploy(code, kDevAddress, std::nullopt, "", 1'000'000);
  ASSERT_TRUE(d.ok());
  ASSERT_EQ(d.value().status, Status::Ok) << d.value().error;
  EXPECT_GT(d.value().gas_used, kDeployBaseGas + kDeployGasPerByte * code.size());
  EXPECT_EQ(stored(d.value().address, "s"), "<absent>");
  CallReceipt r = ex.call(d.value().address, "run", "", kDevAddress, 1'000'000);
  ASSERT_TRUE(r.ok()) << r.error;
  EXPECT_EQ(stored(d.value().address, "s"), "s");
}

TEST_P(Hardening, UpgradeRunsTheStartFunction) {
  const Address w = deploy(kWriter);
  const Hash old_code = ex.contract(w).value()->code_hash;
  auto u = ex.upgrade(w, wat(kStartTraps), kDevAddress, std::nullopt, "", 1'000'000);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.value().status, Status::Trapped);
  EXPECT_EQ(u.value().error, "start function trapped: unreachable");
  EXPECT_EQ(ex.contract(w).value()->code_hash, old_code);
}

// --- storage faults of nested calls -----------------------------------------

TEST_P(Hardening, NestedStorageErrorFailsTheWholeCall) {
  const Address w = deploy(kWriter);
  const Address p = deploy(proxy(w, "read"));
  CallReceipt r = ex.call(p, "go", "", kDevAddress, 1'000'000);
  ASSERT_TRUE(r.ok()) << r.error;
  PrefixFailingStore failing(store);
  Executor fex(failing, *backend);
  failing.prefix = state::storage_prefix(w);
  failing.armed = true;
  const auto before = store.contents();
  r = fex.call(p, "go", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error, "host error: call: storage error: disk on fire");
  EXPECT_EQ(store.contents(), before) << "the caller could not go on and commit";
  ASSERT_EQ(r.trace.calls.size(), 1u);
  EXPECT_EQ(r.trace.calls[0].error, "host error: storage_get: storage error: disk on fire");

  // Two levels down: every caller traps.
  const Address q = deploy(proxy(p, "go"));
  r = fex.call(q, "go", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.error, "host error: call: storage error: disk on fire");
  // The contract record of the callee cannot be read: the same.
  failing.prefix = state::contract_key(w);
  r = fex.call(p, "go", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error.rfind("host error: call: storage error: ", 0), 0u) << r.error;
}

// --- finding 3: memory --------------------------------------------------------

TEST_P(Hardening, TransactionWritesAreBoundedAcrossNestedCalls) {
  runtime::Limits limits;
  limits.max_tx_write_bytes = 10'000;
  Executor lex(store, *backend, limits);
  const Address w = deploy(lex, kWriter);
  const Address p = deploy(lex, proxy(w, "write"));
  // Each write alone fits; the callee's and the caller's together do not.
  CallReceipt r = lex.call(w, "write", "", kDevAddress, 1'000'000);
  ASSERT_TRUE(r.ok()) << r.error;
  const auto before = store.contents();
  r = lex.call(p, "go_then_write", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error, "host error: storage_put: transaction writes exceed max_tx_write_bytes (10000)");
  EXPECT_EQ(store.contents(), before);
  // The bound is per transaction: two in one block overlay each write theirs.
  const KeyPair key = KeyPair::from_seed(Seed{});
  const Address alice = address_of(key.public_key);
  {
    state::Overlay init(store);
    state::set_balance(init, alice, 1'000'000'000);
    ASSERT_TRUE(init.commit().ok());
  }
  state::Overlay block_overlay(store);
  BlockContext block;
  block.height = 7;
  for (uint64_t nonce = 0; nonce < 3; ++nonce) {
    Transaction tx;
    tx.signer = key.public_key;
    tx.nonce = nonce;
    tx.expiry_height = 100;
    tx.gas_limit = 1'000'000;
    tx.gas_price = 1;
    tx.action = CallAction{w, "write", "{}", 0};
    Applied a = lex.apply(tx, alice, tx_hash(encode(tx)), block, block_overlay, ChainRules{});
    ASSERT_EQ(a.fault, ApplyFault::None) << a.error;
    EXPECT_TRUE(a.receipt.ok()) << nonce << ": " << a.receipt.error;
  }
  EXPECT_GT(block_overlay.held_bytes(), 10'000u);
}

/// A contract whose `scan` reads 1,000-byte keys "<i as 4 bytes>..." for
/// i = 0, 1, ... until gas runs out: every key is new to the read set.
const char* kReader = R"((module
  (import "ward_v1" "storage_get" (func $get (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "scan") (local $i i32)
    (loop $next
      (i32.store (i32.const 0) (local.get $i))
      (drop (call $get (i32.const 0) (i32.const 1000) (i32.const 2048) (i32.const 0)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next)))
))";

TEST_P(Hardening, ReadAndWriteSetsOfACallAreBounded) {
  runtime::Limits limits;
  limits.max_call_access_bytes = 100'000;
  Executor lex(store, *backend, limits);
  const Address r = deploy(lex, kReader);
  const auto before = store.contents();
  // ~100 distinct 1,000-byte keys fit; the next host call traps.
  CallReceipt c = lex.call(r, "scan", "", kDevAddress, 100'000'000);
  EXPECT_EQ(c.status, Status::Trapped);
  EXPECT_EQ(c.error, "host error: storage_get: read and write sets exceed max_call_access_bytes (100000)");
  EXPECT_EQ(c.gas_used, 100'000'000u);  // a trap uses up all the gas (docs/gas.md); the error names the bound
  EXPECT_EQ(store.contents(), before);
  // With the default bound, the same call ends by running out of gas.
  c = ex.call(deploy(kReader), "scan", "", kDevAddress, 2'000'000);
  EXPECT_EQ(c.error, "out of gas");
}

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define WARD_NO_RLIMIT_AS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define WARD_NO_RLIMIT_AS 1
#endif
#endif

/// Deploys a contract that stores 1 MiB values under new keys forever, caps
/// the process's address space a few hundred MiB above its current size, and
/// calls it with a huge gas limit and no max_tx_write_bytes: the allocation
/// fails. Exits 0 when the call came back trapped with "out of memory".
[[noreturn]] void exhaust_memory_in_a_call(const std::string& backend_name) {
  const char* kHog = R"((module
    (import "ward_v1" "storage_put" (func $put (param i32 i32 i32 i32)))
    (memory (export "memory") 17)
    (func (export "hog") (local $i i32)
      (loop $l
        (i32.store (i32.const 0) (local.get $i))
        (call $put (i32.const 0) (i32.const 4) (i32.const 0) (i32.const 1048576))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))))";
  auto backend = ward::test::make_test_backend(backend_name);
  state::MemoryStore store;
  runtime::Limits limits;
  limits.max_tx_write_bytes = std::numeric_limits<uint64_t>::max();
  Executor ex(store, *backend, limits);
  auto d = ex.deploy(wat(kHog), kDevAddress, std::nullopt, "", 10'000'000);
  if (!d.ok() || !d.value().ok()) {
    std::fprintf(stderr, "deploy failed\n");
    std::_Exit(2);
  }
  unsigned long pages = 0;
  std::ifstream("/proc/self/statm") >> pages;
  const rlim_t now = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE));
  const rlimit cap{now + (384u << 20), now + (384u << 20)};
  if (pages == 0 || setrlimit(RLIMIT_AS, &cap) != 0) {
    std::fprintf(stderr, "cannot cap the address space\n");
    std::_Exit(3);
  }
  const CallReceipt r = ex.call(d.value().address, "hog", "", kDevAddress, 100'000'000'000ull);
  std::fprintf(stderr, "status %s: %s\n", to_string(r.status), r.error.c_str());
  std::_Exit(r.status == Status::Trapped && r.error == "out of memory" ? 0 : 1);
}

WARD_INSTANTIATE_BACKENDS(Hardening);

class HardeningMemory : public ::testing::TestWithParam<std::string> {};  // the parameter names the backend

TEST_P(HardeningMemory, BadAllocInACallBecomesATrappedReceipt) {
#ifdef WARD_NO_RLIMIT_AS
  GTEST_SKIP() << "sanitizers reserve more address space than any cap";
#else
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(exhaust_memory_in_a_call(GetParam()), ::testing::ExitedWithCode(0), "status trapped: out of memory");
#endif
}

WARD_INSTANTIATE_BACKENDS(HardeningMemory);

}  // namespace
}  // namespace ward::chain
