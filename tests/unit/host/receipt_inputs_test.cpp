// Host checks on what enters a receipt and on what one transaction may hold
// in memory (hardening issue, findings 2, 3 and 8; tests/regression/README.md):
// result and event-data nesting (max_json_depth), UTF-8 of revert reasons,
// event names and data, results and nested-call method names, the
// per-transaction bound on pending write bytes (max_tx_write_bytes), and a
// std::bad_alloc in a host function turned into a trap.
#include "host_fixture.h"

#include "state/layout.h"

namespace ward::host::testing {
namespace {

class ReceiptInputs : public HostTest {};

std::string nested(size_t depth) { return std::string(depth, '[') + std::string(depth, ']'); }

TEST_P(ReceiptInputs, ResultNestingIsBoundedByMaxJsonDepth) {
  poke(0, nested(64));
  ASSERT_EQ(ward("result_write", {0, 128}), TrapKind::None) << ctx.message;
  EXPECT_EQ(env.result, nested(64));
  poke(0, nested(65));
  ASSERT_EQ(ward("result_write", {0, 130}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "result_write: result nesting exceeds max_json_depth (64)");
  EXPECT_EQ(env.result, nested(64)) << "a failed write changes nothing";
  // Objects count as arrays do; brackets inside strings do not count.
  const std::string objects = std::string(65, '[') + "{\"a\":1}" + std::string(65, ']');
  poke(0, objects);
  ASSERT_EQ(ward("result_write", {0, objects.size()}), TrapKind::Host);
  const std::string in_string = "[\"" + std::string(1000, '[') + "\"]";
  poke(0, in_string);
  ASSERT_EQ(ward("result_write", {0, in_string.size()}), TrapKind::None) << ctx.message;
  limits.max_json_depth = 3;
  poke(0, nested(4));
  ASSERT_EQ(ward("result_write", {0, 8}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "result_write: result nesting exceeds max_json_depth (3)");
}

TEST_P(ReceiptInputs, EventDataNestingIsBoundedByMaxJsonDepth) {
  poke(0, "ev");
  const std::string deep = nested(60'000);
  mem->grow(1);
  poke(100, deep);
  ASSERT_EQ(ward("log", {0, 2, 100, deep.size()}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "log: event data nesting exceeds max_json_depth (64)");
  EXPECT_TRUE(env.events.empty());
  poke(100, nested(64));
  ASSERT_EQ(ward("log", {0, 2, 100, 128}), TrapKind::None) << ctx.message;
  EXPECT_EQ(env.events.size(), 1u);
}

TEST_P(ReceiptInputs, StringsOfAReceiptMustBeUtf8) {
  poke(0, "bad\xff");
  ASSERT_EQ(ward("revert", {0, 4}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "revert: reason is not valid UTF-8");
  EXPECT_TRUE(env.revert_reason.empty());
  poke(16, "caf\xc3\xa9");
  ASSERT_EQ(ward("revert", {16, 5}), TrapKind::Revert);
  EXPECT_EQ(env.revert_reason, "caf\xc3\xa9");

  poke(32, "{}");
  ASSERT_EQ(ward("log", {0, 4, 32, 2}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "log: event name is not valid UTF-8");
  poke(48, "ev");
  poke(64, "\"a\xed\xa0\x80z\"");  // an encoded surrogate
  ASSERT_EQ(ward("log", {48, 2, 64, 7}), TrapKind::Host);
  EXPECT_EQ(ctx.message.rfind("log: event data is not valid", 0), 0u) << ctx.message;
  EXPECT_TRUE(env.events.empty());
  ASSERT_EQ(ward("result_write", {64, 7}), TrapKind::Host);
  EXPECT_EQ(ctx.message.rfind("result_write: result is not valid", 0), 0u) << ctx.message;
  EXPECT_FALSE(env.has_result);

  // A nested call's method name enters the call trace: checked before the call.
  bool called = false;
  env.call_contract = [&](const ContractCall&) {
    called = true;
    return ContractCallResult{};
  };
  poke(128, "m\xff");
  Value res[1];
  ASSERT_EQ(ward("call", {200, 128, 2, 32, 2, 0, 0}, res), TrapKind::Host);
  EXPECT_EQ(ctx.message, "call: method name is not valid UTF-8");
  EXPECT_FALSE(called);
}

TEST_P(ReceiptInputs, CallerTrapsOnACalleesFault) {
  env.call_contract = [&](const ContractCall&) {
    ContractCallResult r;
    r.status = 2;
    r.output = "host error: storage_get: storage error: disk on fire";
    r.fault = "storage error: disk on fire";
    r.gas_used = 100;
    return r;
  };
  poke(0, "m");
  poke(8, "{}");
  Value res[1];
  ASSERT_EQ(ward("call", {100, 0, 1, 8, 2, 0, 0}, res), TrapKind::Host);
  EXPECT_EQ(ctx.message, "call: storage error: disk on fire");
  EXPECT_EQ(used(), cost("ward_v1", "call", 3) + 100);
  EXPECT_FALSE(env.out_of_memory);
  env.call_contract = [&](const ContractCall&) {
    ContractCallResult r;
    r.fault = "out of memory";
    return r;
  };
  ASSERT_EQ(ward("call", {100, 0, 1, 8, 2, 0, 0}, res), TrapKind::Host);
  EXPECT_EQ(ctx.message, "call: out of memory");
  EXPECT_TRUE(env.out_of_memory);
}

TEST_P(ReceiptInputs, TransactionWritesAreBounded) {
  limits.max_tx_write_bytes = 100;
  poke(0, "key");
  // storage_put counts the full key twice (entry and undo copy) + the value:
  // 2 * (23 + 3) + 40 = 92.
  ASSERT_EQ(state::storage_key(env.self, "key").size(), 26u);
  ASSERT_EQ(ward("storage_put", {0, 3, 16, 40}), TrapKind::None) << ctx.message;
  EXPECT_EQ(overlay.held_bytes(), 92u);
  ASSERT_EQ(ward("storage_put", {0, 3, 16, 40}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_put: transaction writes exceed max_tx_write_bytes (100)");
  EXPECT_EQ(overlay.held_bytes(), 92u) << "a refused write changes nothing";
  ASSERT_EQ(ward("storage_delete", {0, 3}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_delete: transaction writes exceed max_tx_write_bytes (100)");
  ASSERT_EQ(ward("transfer", {100, 0}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "transfer: transaction writes exceed max_tx_write_bytes (100)");
  ASSERT_EQ(ward("object_create", {100, 200}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "object_create: transaction writes exceed max_tx_write_bytes (100)");
  // Bytes held before the transaction began do not count.
  env.write_base = overlay.held_bytes();
  ASSERT_EQ(ward("storage_put", {0, 3, 16, 40}), TrapKind::None) << ctx.message;
  // A revert of the writes gives their bytes back.
  overlay.revert_to(0);
  env.write_base = 0;
  EXPECT_EQ(overlay.held_bytes(), 0u);
  ASSERT_EQ(ward("storage_put", {0, 3, 16, 40}), TrapKind::None) << ctx.message;
  // Object fields count too.
  limits.max_tx_write_bytes = 64u << 20;
  poke(100, std::string(env.self.begin(), env.self.end()));  // owned by the contract: it may change it
  ASSERT_EQ(ward("object_create", {100, 200}), TrapKind::None) << ctx.message;
  limits.max_tx_write_bytes = overlay.held_bytes() + 100;
  poke(300, "name");
  ASSERT_EQ(ward("object_set_field", {200, 32, 300, 4, 16, 1000}), TrapKind::Host);
  EXPECT_EQ(ctx.message.rfind("object_set_field: transaction writes exceed max_tx_write_bytes (", 0), 0u)
      << ctx.message;
}

TEST_P(ReceiptInputs, BadAllocInAHostFunctionIsATrap) {
  // call_contract is run by the `call` host function: its std::bad_alloc
  // crosses the host function and is caught by the table's wrapper.
  env.call_contract = [&](const ContractCall&) -> ContractCallResult { throw std::bad_alloc(); };
  poke(0, "m");
  poke(8, "{}");
  Value res[1];
  ASSERT_EQ(ward("call", {100, 0, 1, 8, 2, 0, 0}, res), TrapKind::Host);
  EXPECT_EQ(ctx.message, "out of memory");
  EXPECT_TRUE(env.out_of_memory);
}

WARD_INSTANTIATE_BACKENDS(ReceiptInputs);

}  // namespace
}  // namespace ward::host::testing
