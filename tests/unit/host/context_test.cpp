// Host context functions of the contract model: origin, call_value,
// balances and transfer, cross-contract `call` through
// CallEnv::call_contract, and the read/write sets of storage functions.
#include "host_fixture.h"

#include "state/layout.h"
#include "state/objects.h"

namespace ward::host::testing {
namespace {

constexpr uint32_t kAddr = 100, kMethod = 200, kArgs = 300, kOut = 1000;

class ContextTest : public HostTest {
 protected:
  ContextTest() { bob[19] = 0xb0; }
  void poke_addr(uint32_t at, const state::Address& a) { poke(at, state::as_string(a)); }
  uint64_t balance_of(const state::Address& a) {
    poke_addr(kAddr, a);
    Value r[1];
    EXPECT_EQ(ward("balance", {kAddr}, r), TrapKind::None) << ctx.message;
    return r[0].as_i64();
  }
  int32_t transfer_to(const state::Address& a, uint64_t amount) {
    poke_addr(kAddr, a);
    Value r[1];
    EXPECT_EQ(ward("transfer", {kAddr, amount}, r), TrapKind::None) << ctx.message;
    return static_cast<int32_t>(r[0].as_i32());
  }
  std::string last_call_result() {
    Value r[1];
    EXPECT_EQ(ward("call_result_size", {}, r), TrapKind::None);
    uint32_t n = r[0].as_i32();
    EXPECT_EQ(ward("call_result_read", {kOut}), TrapKind::None) << ctx.message;
    return peek(kOut, n);
  }
  state::Address bob{};
};

TEST_P(ContextTest, OriginDefaultsToTheSender) {
  ASSERT_EQ(ward("origin", {kOut}), TrapKind::None);
  EXPECT_EQ(peek(kOut, 20), state::as_string(env.sender));
  env.origin = bob;
  ASSERT_EQ(ward("origin", {kOut}), TrapKind::None);
  EXPECT_EQ(peek(kOut, 20), state::as_string(bob));
  ASSERT_EQ(ward("sender", {kOut}), TrapKind::None);
  EXPECT_EQ(peek(kOut, 20), state::as_string(env.sender)) << "sender is unchanged";
  EXPECT_EQ(ward("origin", {65530}), TrapKind::Host);
}

TEST_P(ContextTest, CallValue) {
  env.value = 0x1234567890abcdefull;
  Value r[1];
  ASSERT_EQ(ward("call_value", {}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i64(), 0x1234567890abcdefull);
  EXPECT_EQ(used(), cost("ward_v1", "call_value", 0));
}

TEST_P(ContextTest, BalancesAndTransfer) {
  ASSERT_TRUE(state::credit(overlay, env.self, 100).value());
  EXPECT_EQ(balance_of(env.self), 100u);
  EXPECT_EQ(balance_of(bob), 0u);
  EXPECT_EQ(transfer_to(bob, 30), 0);
  EXPECT_EQ(balance_of(env.self), 70u);
  EXPECT_EQ(balance_of(bob), 30u);
  EXPECT_EQ(transfer_to(bob, 71), 1) << "short";
  EXPECT_EQ(balance_of(env.self), 70u);
  EXPECT_EQ(balance_of(bob), 30u);
  state::set_balance(overlay, bob, UINT64_MAX);
  EXPECT_EQ(transfer_to(bob, 1), 1) << "recipient would overflow";
  EXPECT_EQ(balance_of(env.self), 70u);
  EXPECT_TRUE(env.access.writes.count(state::balance_key(env.self)));
  EXPECT_TRUE(env.access.reads.count(state::balance_key(bob)));
}

TEST_P(ContextTest, BalanceAndTransferBounds) {
  Value r[1];
  EXPECT_EQ(ward("balance", {65530}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "balance: out of bounds memory range [65530, 65550) (memory is 65536 bytes)");
  ASSERT_TRUE(state::credit(overlay, env.self, 100).value());
  EXPECT_EQ(ward("transfer", {65530, 1}, r), TrapKind::Host);
  EXPECT_EQ(state::balance(overlay, env.self).value(), 100u) << "a trapping transfer moves nothing";
}

TEST_P(ContextTest, CallWithoutCallbackReturnsTwo) {
  poke(kMethod, "Get");
  poke(kArgs, "{}");
  Value r[1];
  ASSERT_EQ(ward("call", {kAddr, kMethod, 3, kArgs, 2, 0, 0}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 2u);
  EXPECT_EQ(last_call_result(), "cross-contract calls are not available here");
}

TEST_P(ContextTest, CallHandsTheRequestToTheCallbackAndChargesItsGas) {
  ContractCall seen;
  env.call_contract = [&](const ContractCall& c) {
    seen = c;
    return ContractCallResult{1, "out of luck", 1234, {}};
  };
  poke_addr(kAddr, bob);
  poke(kMethod, "Transfer");
  poke(kArgs, "{\"a\":1}");
  Value r[1];
  uint64_t before = used();
  ASSERT_EQ(ward("call", {kAddr, kMethod, 8, kArgs, 7, 55, 5000}, r), TrapKind::None) << ctx.message;
  EXPECT_EQ(r[0].as_i32(), 1u);
  EXPECT_EQ(seen.target, bob);
  EXPECT_EQ(seen.method, "Transfer");
  EXPECT_EQ(seen.args, "{\"a\":1}");
  EXPECT_EQ(seen.value, 55u);
  EXPECT_EQ(seen.gas, 5000u);
  EXPECT_EQ(used() - before, cost("ward_v1", "call", 8 + 7) + 1234);
  EXPECT_EQ(last_call_result(), "out of luck");

  // gas 0 = all that is left after the call's own charge; more is capped.
  uint64_t left = ctx.gas_left - cost("ward_v1", "call", 8 + 7);
  ASSERT_EQ(ward("call", {kAddr, kMethod, 8, kArgs, 7, 0, 0}, r), TrapKind::None);
  EXPECT_EQ(seen.gas, left);
  left = ctx.gas_left - cost("ward_v1", "call", 8 + 7);
  ASSERT_EQ(ward("call", {kAddr, kMethod, 8, kArgs, 7, 0, UINT64_MAX}, r), TrapKind::None);
  EXPECT_EQ(seen.gas, left);

  env.call_contract = [&](const ContractCall&) { return ContractCallResult{0, "{\"ok\":true}", 0, {}}; };
  ASSERT_EQ(ward("call", {kAddr, kMethod, 8, kArgs, 7, 0, 0}, r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 0u);
  EXPECT_EQ(last_call_result(), "{\"ok\":true}");

  env.call_contract = [&](const ContractCall& c) { return ContractCallResult{2, "out of gas", c.gas + 1, {}}; };
  EXPECT_EQ(ward("call", {kAddr, kMethod, 8, kArgs, 7, 0, 0}, r), TrapKind::OutOfGas);
}

TEST_P(ContextTest, CallSizeChecksAndBounds) {
  int calls = 0;
  env.call_contract = [&](const ContractCall&) {
    ++calls;
    return ContractCallResult{};
  };
  Value r[1];
  EXPECT_EQ(ward("call", {kAddr, kMethod, 257, kArgs, 0, 0, 0}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "call: method of 257 bytes exceeds max_method_name_bytes (256)");
  EXPECT_EQ(ward("call", {kAddr, kMethod, 1, kArgs, limits.max_host_arg_bytes + 1, 0, 0}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "call: args of 1048577 bytes exceeds max_host_arg_bytes (1048576)");
  EXPECT_EQ(ward("call", {65530, kMethod, 1, kArgs, 0, 0, 0}, r), TrapKind::Host);
  EXPECT_EQ(ward("call", {kAddr, 65535, 2, kArgs, 0, 0, 0}, r), TrapKind::Host);
  EXPECT_EQ(ward("call", {kAddr, kMethod, 1, 65535, 2, 0, 0}, r), TrapKind::Host);
  EXPECT_EQ(ctx.message, "call: out of bounds memory range [65535, 65537) (memory is 65536 bytes)");
  EXPECT_EQ(calls, 0);
  env.call_result = "abc";
  EXPECT_EQ(ward("call_result_read", {65534}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "call_result_read: out of bounds memory range [65534, 65537) (memory is 65536 bytes)");
}

TEST_P(ContextTest, StorageFunctionsRecordReadAndWriteSets) {
  poke(kArgs, "k1k2v");
  Value r[1];
  ASSERT_EQ(ward("storage_put", {kArgs, 2, kArgs + 4, 1}), TrapKind::None);
  ASSERT_EQ(ward("storage_get", {kArgs + 2, 2, kOut, 10}, r), TrapKind::None);
  ASSERT_EQ(ward("storage_delete", {kArgs + 2, 2}), TrapKind::None);
  std::string k1 = state::storage_key(env.self, "k1"), k2 = state::storage_key(env.self, "k2");
  EXPECT_EQ(env.access.writes, (std::set<std::string, std::less<>>{k1, k2}));
  EXPECT_EQ(env.access.reads, (std::set<std::string, std::less<>>{k2}));
  EXPECT_EQ(overlay.access_log(), nullptr) << "the log is attached only while a host function runs";
  (void)overlay.get("unrelated");
  EXPECT_FALSE(env.access.reads.count("unrelated"));
}

WARD_INSTANTIATE_BACKENDS(ContextTest);

}  // namespace
}  // namespace ward::host::testing
