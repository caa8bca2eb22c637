// Cross-contract calls through the executor: nested snapshots, sender and
// origin, reentrancy, depth, gas, value, events and the call trace
// (docs/host-abi.md "Cross-contract calls").
#include <gtest/gtest.h>

#include "chain/executor.h"
#include "state/objects.h"
#include "chain_fixture.h"

namespace ward::chain {
namespace {

using testing::deploy_ok;
using testing::wat;
using testing::wat_bytes;

/// A contract whose `go` writes "wr", logs "pre", calls target.method with
/// args, value and gas, stores the status digit under "st" and the call's
/// output under "out", logs "post" and returns the status; `go_revert` does
/// the same, then reverts.
std::string proxy(const Address& target, const std::string& method, const std::string& args = "{}",
                  uint64_t value = 0, uint64_t gas = 0) {
  return R"((module
  (import "ward_v1" "call" (func $call (param i32 i32 i32 i32 i32 i64 i64) (result i32)))
  (import "ward_v1" "call_result_size" (func $crs (result i32)))
  (import "ward_v1" "call_result_read" (func $crr (param i32)))
  (import "ward_v1" "storage_put" (func $put (param i32 i32 i32 i32)))
  (import "ward_v1" "result_write" (func $rw (param i32 i32)))
  (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
  (import "ward_v1" "revert" (func $revert (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) ")" + wat_bytes(std::string(target.begin(), target.end())) + R"(")
  (data (i32.const 32) ")" + wat_bytes(method) + R"(")
  (data (i32.const 300) ")" + wat_bytes(args) + R"(")
  (data (i32.const 600) "st")
  (data (i32.const 610) "out")
  (data (i32.const 620) "pre")
  (data (i32.const 630) "{}")
  (data (i32.const 640) "post")
  (data (i32.const 650) "0123")
  (data (i32.const 660) "wr")
  (func $go (result i32) (local $st i32) (local $n i32)
    (call $put (i32.const 660) (i32.const 2) (i32.const 630) (i32.const 2))
    (call $log (i32.const 620) (i32.const 3) (i32.const 630) (i32.const 2))
    (local.set $st (call $call (i32.const 0) (i32.const 32) (i32.const )" +
         std::to_string(method.size()) + R"() (i32.const 300) (i32.const )" + std::to_string(args.size()) +
         R"() (i64.const )" + std::to_string(value) + R"() (i64.const )" + std::to_string(gas) + R"()))
    (call $put (i32.const 600) (i32.const 2) (i32.add (i32.const 650) (local.get $st)) (i32.const 1))
    (local.set $n (call $crs))
    (call $crr (i32.const 4096))
    (call $put (i32.const 610) (i32.const 3) (i32.const 4096) (local.get $n))
    (call $log (i32.const 640) (i32.const 4) (i32.const 630) (i32.const 2))
    (call $rw (i32.add (i32.const 650) (local.get $st)) (i32.const 1))
    (local.get $st))
  (func (export "go") (drop (call $go)))
  (func (export "go_revert") (drop (call $go)) (call $revert (i32.const 640) (i32.const 4)))
))";
}

/// A callee: `record` stores its sender, origin and call value and logs
/// "rec"; `fail` writes "x", logs and reverts "nope"; `spin` never ends.
const char* kCallee = R"((module
  (import "ward_v1" "sender" (func $sender (param i32)))
  (import "ward_v1" "origin" (func $origin (param i32)))
  (import "ward_v1" "call_value" (func $call_value (result i64)))
  (import "ward_v1" "storage_put" (func $put (param i32 i32 i32 i32)))
  (import "ward_v1" "result_write" (func $rw (param i32 i32)))
  (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
  (import "ward_v1" "revert" (func $revert (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "snd")
  (data (i32.const 110) "org")
  (data (i32.const 120) "val")
  (data (i32.const 130) "rec")
  (data (i32.const 140) "{}")
  (data (i32.const 150) "\"hi\"")
  (data (i32.const 160) "nope")
  (data (i32.const 170) "x")
  (func (export "record")
    (call $sender (i32.const 0))
    (call $put (i32.const 100) (i32.const 3) (i32.const 0) (i32.const 20))
    (call $origin (i32.const 32))
    (call $put (i32.const 110) (i32.const 3) (i32.const 32) (i32.const 20))
    (i64.store (i32.const 64) (call $call_value))
    (call $put (i32.const 120) (i32.const 3) (i32.const 64) (i32.const 8))
    (call $log (i32.const 130) (i32.const 3) (i32.const 140) (i32.const 2))
    (call $rw (i32.const 150) (i32.const 4)))
  (func (export "fail")
    (call $put (i32.const 170) (i32.const 1) (i32.const 140) (i32.const 2))
    (call $log (i32.const 130) (i32.const 3) (i32.const 140) (i32.const 2))
    (call $revert (i32.const 160) (i32.const 4)))
  (func (export "spin") (loop $l (br $l)))
))";

const Address kUser = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a, 0x11};

class CallsTest : public ward::test::BackendTest {
 protected:
  void SetUp() override { ASSERT_TRUE(ex.ensure_genesis().value()); }

  /// The address the next deploy by kDevAddress gets.
  Address next_address() { return contract_address(kDevAddress, m_nonce); }
  Address deploy(const std::string& text) {
    const Address a = deploy_ok(ex, wat(text), 10'000'000);
    EXPECT_EQ(a, next_address());
    ++m_nonce;
    return a;
  }
  /// The stored value of a contract's key, or "<absent>".
  std::string stored(const Address& contract, const std::string& key) {
    auto it = store.contents().find(state::storage_key(contract, key));
    return it == store.contents().end() ? "<absent>" : it->second;
  }
  uint64_t balance(const Address& a) { return ex.balance(a).value(); }

  state::MemoryStore store;
  Executor ex{store, *backend};
  uint64_t m_nonce = 0;
};

TEST_P(CallsTest, CalleeSeesCallerAsSenderAndSameOriginAndEventsKeepOrder) {
  Address b = deploy(kCallee);
  Address a = deploy(proxy(b, "record"));
  CallReceipt r = ex.call(a, "go", "", kUser, 1'000'000);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(r.result, "0");
  EXPECT_EQ(stored(a, "out"), "\"hi\"");
  EXPECT_EQ(stored(b, "snd"), std::string(a.begin(), a.end()));
  EXPECT_EQ(stored(b, "org"), std::string(kUser.begin(), kUser.end()));
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0].name, "pre");
  EXPECT_EQ(r.events[0].contract, a);
  EXPECT_EQ(r.events[1].name, "rec");
  EXPECT_EQ(r.events[1].contract, b);
  EXPECT_EQ(r.events[2].name, "post");
  // The trace: one nested call, its gas part of the caller's.
  EXPECT_EQ(r.trace.contract, a);
  EXPECT_EQ(r.trace.method, "go");
  EXPECT_EQ(r.trace.status, Status::Ok);
  EXPECT_EQ(r.trace.gas_used, r.gas_used);
  ASSERT_EQ(r.trace.calls.size(), 1u);
  const CallTrace& t = r.trace.calls[0];
  EXPECT_EQ(t.contract, b);
  EXPECT_EQ(t.method, "record");
  EXPECT_EQ(t.status, Status::Ok);
  EXPECT_GT(t.gas_used, 0u);
  EXPECT_LT(t.gas_used, r.gas_used);
  // Read/write sets include the callee's keys.
  EXPECT_TRUE(r.access.writes.count(state::storage_key(b, "snd")));
  EXPECT_TRUE(r.access.writes.count(state::storage_key(a, "st")));
}

TEST_P(CallsTest, FailedCalleeRevertsItsWritesAndEventsWhileCallerGoesOn) {
  Address b = deploy(kCallee);
  Address a = deploy(proxy(b, "fail"));
  CallReceipt r = ex.call(a, "go", "", kDevAddress, 1'000'000);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(r.result, "1");
  EXPECT_EQ(stored(a, "st"), "1");
  EXPECT_EQ(stored(a, "out"), "reverted: nope");
  EXPECT_EQ(stored(a, "wr"), "{}");
  EXPECT_EQ(stored(b, "x"), "<absent>");
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(r.events[0].name, "pre");
  EXPECT_EQ(r.events[1].name, "post");
  ASSERT_EQ(r.trace.calls.size(), 1u);
  EXPECT_EQ(r.trace.calls[0].status, Status::Reverted);
  EXPECT_EQ(r.trace.calls[0].error, "reverted: nope");
}

TEST_P(CallsTest, FailedOuterCallDropsTheCalleesWritesAndEvents) {
  Address b = deploy(kCallee);
  Address a = deploy(proxy(b, "record"));
  auto before = store.contents();
  CallReceipt r = ex.call(a, "go_revert", "", kDevAddress, 1'000'000);
  EXPECT_EQ(r.status, Status::Reverted);
  EXPECT_TRUE(r.events.empty());
  EXPECT_EQ(store.contents(), before);
  ASSERT_EQ(r.trace.calls.size(), 1u);
  EXPECT_EQ(r.trace.calls[0].status, Status::Ok);
  EXPECT_EQ(r.trace.status, Status::Reverted);
}

TEST_P(CallsTest, CalleeGasIsCappedAndChargedToTheCaller) {
  Address b = deploy(kCallee);
  Address a = deploy(proxy(b, "spin", "{}", 0, 50'000));
  CallReceipt r = ex.call(a, "go", "", kDevAddress, 1'000'000);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(stored(a, "st"), "2");
  EXPECT_EQ(stored(a, "out"), "out of gas");
  ASSERT_EQ(r.trace.calls.size(), 1u);
  EXPECT_EQ(r.trace.calls[0].gas_limit, 50'000u);
  EXPECT_EQ(r.trace.calls[0].gas_used, 50'000u);
  EXPECT_GT(r.gas_used, 50'000u);
  // Gas 0 means all that is left: the callee eats it and the caller runs out.
  Address c = deploy(proxy(b, "spin"));
  r = ex.call(c, "go", "", kDevAddress, 300'000);
  EXPECT_EQ(r.status, Status::Trapped);
  EXPECT_EQ(r.error, "out of gas");
  EXPECT_EQ(r.gas_used, 300'000u);
}

TEST_P(CallsTest, ReentrancyIsRefused) {
  // a calls b, b calls back into a: refused with status 2, b and a go on.
  const Address a_addr = next_address();
  const Address b_addr = contract_address(kDevAddress, m_nonce + 1);
  Address a = deploy(proxy(b_addr, "go"));
  Address b = deploy(proxy(a_addr, "go"));
  ASSERT_EQ(a, a_addr);
  ASSERT_EQ(b, b_addr);
  CallReceipt r = ex.call(a, "go", "", kDevAddress, 1'000'000);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(stored(a, "st"), "0");
  EXPECT_EQ(stored(b, "st"), "2");
  EXPECT_EQ(stored(b, "out"), "reentrant call to " + format_address(a));
  ASSERT_EQ(r.trace.calls.size(), 1u);
  ASSERT_EQ(r.trace.calls[0].calls.size(), 1u);
  EXPECT_EQ(r.trace.calls[0].calls[0].status, Status::Failed);
  EXPECT_EQ(r.trace.calls[0].calls[0].gas_used, 0u);
  // A contract calling itself is reentrant too.
  const Address self = next_address();
  Address s = deploy(proxy(self, "go"));
  r = ex.call(s, "go", "", kDevAddress, 1'000'000);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(stored(s, "out"), "reentrant call to " + format_address(s));
}

TEST_P(CallsTest, DepthIsLimited) {
  // A chain of 10 proxies, each calling the next.
  const uint32_t n = 10;
  std::vector<Address> chain;
  for (uint32_t i = 0; i < n; ++i) chain.push_back(deploy(proxy(contract_address(kDevAddress, m_nonce + 1), "go")));
  CallReceipt r = ex.call(chain[0], "go", "", kDevAddress, 5'000'000);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  const uint32_t depth = ex.limits().max_contract_call_depth;
  ASSERT_EQ(depth, 8u);
  // Contracts 1..7 call the next one; contract 8 (index 7) is refused.
  for (uint32_t i = 0; i + 1 < depth; ++i) EXPECT_EQ(stored(chain[i], "st"), "0") << i;
  EXPECT_EQ(stored(chain[depth - 1], "st"), "2");
  EXPECT_EQ(stored(chain[depth - 1], "out"), "call depth exceeds max_contract_call_depth (8)");
  EXPECT_EQ(stored(chain[depth], "st"), "<absent>");
  const CallTrace* t = &r.trace;
  for (uint32_t i = 0; i < depth; ++i) {
    ASSERT_EQ(t->calls.size(), 1u) << i;
    t = &t->calls[0];
  }
  EXPECT_EQ(t->status, Status::Failed);
  EXPECT_TRUE(t->calls.empty());
}

TEST_P(CallsTest, UnknownCalleeIsStatusTwo) {
  Address nowhere{};
  nowhere[19] = 0x77;
  Address a = deploy(proxy(nowhere, "go"));
  CallReceipt r = ex.call(a, "go", "", kDevAddress, 1'000'000);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(stored(a, "out"), "unknown contract " + format_address(nowhere));
  Address b = deploy(kCallee);
  Address c = deploy(proxy(b, "nothing"));
  r = ex.call(c, "go", "", kDevAddress, 1'000'000);
  EXPECT_EQ(stored(c, "out"), "unknown method 'nothing' of contract " + format_address(b) + ", available: record, fail, spin");
}

TEST_P(CallsTest, ValueMovesWithTheCallAndComesBackWhenTheCalleeFails) {
  Address b = deploy(kCallee);
  Address a = deploy(proxy(b, "record", "{}", 30));
  const uint64_t dev = balance(kDevAddress);
  CallReceipt r = ex.call(a, "go", "", kDevAddress, 1'000'000, 100);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(stored(a, "st"), "0");
  EXPECT_EQ(balance(kDevAddress), dev - 100);
  EXPECT_EQ(balance(a), 70u);
  EXPECT_EQ(balance(b), 30u);
  EXPECT_EQ(stored(b, "val"), std::string("\x1e\0\0\0\0\0\0\0", 8));
  EXPECT_EQ(r.trace.value, 100u);
  EXPECT_EQ(r.trace.calls[0].value, 30u);

  Address c = deploy(proxy(b, "fail", "{}", 30));
  r = ex.call(c, "go", "", kDevAddress, 1'000'000, 100);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(stored(c, "st"), "1");
  EXPECT_EQ(balance(c), 100u);
  EXPECT_EQ(balance(b), 30u);

  Address d = deploy(proxy(b, "record", "{}", 1000));
  r = ex.call(d, "go", "", kDevAddress, 1'000'000, 100);
  ASSERT_EQ(r.status, Status::Ok) << r.error;
  EXPECT_EQ(stored(d, "st"), "2");
  EXPECT_EQ(stored(d, "out"), "insufficient balance: " + format_address(d) + " has 100, needs 1000");
  EXPECT_EQ(balance(d), 100u);

  // A failed outer call moves no value at all.
  const uint64_t before = balance(kDevAddress);
  r = ex.call(a, "go_revert", "", kDevAddress, 1'000'000, 100);
  EXPECT_EQ(r.status, Status::Reverted);
  EXPECT_EQ(balance(kDevAddress), before);
  EXPECT_EQ(balance(a), 70u);
  // More than the sender has: the call does not run.
  r = ex.call(a, "go", "", kUser, 1'000'000, 1);
  EXPECT_EQ(r.status, Status::Failed);
  EXPECT_EQ(r.error, "insufficient balance: " + format_address(kUser) + " has 0, needs 1");
}

WARD_INSTANTIATE_BACKENDS(CallsTest);

}  // namespace
}  // namespace ward::chain
