#include "host_fixture.h"

#include "runtime/backend.h"
#include "state/layout.h"

namespace ward::host::testing {
namespace {

TEST(HostTable, EntriesAreUniqueAndWired) {
  auto fns = host_functions();
  auto specs = host_import_specs();
  ASSERT_EQ(fns.size(), specs.size());
  for (size_t i = 0; i < fns.size(); ++i) {
    EXPECT_EQ(specs[i].module, fns[i].module);
    EXPECT_EQ(specs[i].field, fns[i].name);
    EXPECT_EQ(specs[i].type, fns[i].type);
    EXPECT_NE(fns[i].fn, nullptr);
    EXPECT_EQ(find_host_function(fns[i].module, fns[i].name), &fns[i]);
    const runtime::FuncInst& fi = host_inst(fns[i].module, fns[i].name);
    EXPECT_EQ(fi.type_id, runtime::canonical_type_id(fns[i].type));
    EXPECT_EQ(fi.name, std::string(fns[i].module) + "." + std::string(fns[i].name));
    EXPECT_EQ(&fi, &host_inst(fns[i].module, fns[i].name)) << "one static FuncInst per entry";
  }
  EXPECT_EQ(find_host_function("ward_v1", "nope"), nullptr);
}

TEST(HostTable, ResolveErrorsNameTheImport) {
  wasm::Module m;
  m.types.push_back(wasm::FuncType{{wasm::ValType::I32}, {}});
  wasm::Import imp;
  imp.module = "env";
  imp.field = "foo";
  m.imports.push_back(imp);
  auto r = resolve_imports(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "import env.foo: unknown host function");

  m.imports[0].module = "ward_v1";
  m.imports[0].field = "log";
  r = resolve_imports(m);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("import ward_v1.log: type"), std::string::npos) << r.error().message;

  m.imports[0].kind = wasm::ExternKind::Memory;
  r = resolve_imports(m);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("only functions may be imported"), std::string::npos);
}

class HostFns : public HostTest {};

TEST_P(HostFns, InputSizeAndRead) {
  env.input = R"({"a":1})";
  Value res[1];
  ASSERT_EQ(ward("input_size", {}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), env.input.size());
  EXPECT_EQ(used(), cost("ward_v1", "input_size", 0));
  uint64_t before = used();
  ASSERT_EQ(ward("input_read", {100}), TrapKind::None);
  EXPECT_EQ(peek(100, env.input.size()), env.input);
  EXPECT_EQ(used() - before, 20u + 1u * env.input.size());
}

TEST_P(HostFns, MethodSizeAndRead) {
  env.method = "Transfer";
  Value res[1];
  ASSERT_EQ(ward("method_size", {}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 8u);
  EXPECT_EQ(used(), cost("ward_v1", "method_size", 0));
  uint64_t before = used();
  ASSERT_EQ(ward("method_read", {200}), TrapKind::None);
  EXPECT_EQ(peek(200, 8), "Transfer");
  EXPECT_EQ(used() - before, 20u + 1u * 8);
  ASSERT_EQ(ward("method_read", {65530}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "method_read: out of bounds memory range [65530, 65538) (memory is 65536 bytes)");
}

TEST_P(HostFns, OutOfBoundsTrapsWithMessage) {
  env.input = "[1,2,3]";
  ASSERT_EQ(ward("input_read", {65536 - 3}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "input_read: out of bounds memory range [65533, 65540) (memory is 65536 bytes)");
  ASSERT_EQ(ward("result_write", {0xFFFFFFF0u, 32}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "result_write: out of bounds memory range [4294967280, 4294967312) (memory is 65536 bytes)");
}

TEST_P(HostFns, NoMemoryTraps) {
  mem.reset();
  ASSERT_EQ(ward("sender", {0}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "sender: out of bounds memory range [0, 20) (memory is 0 bytes)");
}

TEST_P(HostFns, ResultWriteValidatesJson) {
  poke(0, R"({"ok":true})");
  ASSERT_EQ(ward("result_write", {0, 11}), TrapKind::None);
  EXPECT_TRUE(env.has_result);
  EXPECT_EQ(env.result, R"({"ok":true})");
  EXPECT_EQ(used(), 50u + 2u * 11);
  poke(0, "{bad");
  ASSERT_EQ(ward("result_write", {0, 4}), TrapKind::Host);
  EXPECT_EQ(ctx.message.rfind("result_write: result is not valid JSON: ", 0), 0u) << ctx.message;
  EXPECT_EQ(env.result, R"({"ok":true})") << "a failed write changes nothing";
}

TEST_P(HostFns, DeepJsonDoesNotOverflowTheStack) {
  // The validator itself is iterative: with the nesting limit lifted, deep
  // JSON is checked without recursion (the default limit rejects it first,
  // receipt_inputs_test.cpp).
  limits.max_json_depth = 100'000;
  std::string deep(60000, '[');
  poke(0, deep);
  ASSERT_EQ(ward("result_write", {0, static_cast<uint64_t>(deep.size())}), TrapKind::Host);
  deep += std::string(60000, ']');
  mem->grow(1);
  poke(0, deep);
  ASSERT_EQ(ward("result_write", {0, static_cast<uint64_t>(deep.size())}), TrapKind::None) << ctx.message;
}

TEST_P(HostFns, OversizeArgsNameTheLimit) {
  limits.max_result_bytes = 8;
  ASSERT_EQ(ward("result_write", {0, 9}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "result_write: result of 9 bytes exceeds max_result_bytes (8)");
  ASSERT_EQ(ward("storage_put", {0, 1025, 0, 1}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_put: key of 1025 bytes exceeds max_storage_key_bytes (1024)");
  limits.max_storage_value_bytes = 4;
  ASSERT_EQ(ward("storage_put", {0, 1, 0, 5}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_put: value of 5 bytes exceeds max_storage_value_bytes (4)");
  limits.max_host_arg_bytes = 10;
  ASSERT_EQ(ward("debug_print", {0, 11}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "debug_print: text of 11 bytes exceeds max_host_arg_bytes (10)");
  ASSERT_EQ(ward("log", {0, 257, 0, 2}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "log: name of 257 bytes exceeds max_event_name_bytes (256)");
  EXPECT_EQ(used(), 0u) << "size checks come before any charge";
}

TEST_P(HostFns, OutOfGasBeforeActing) {
  poke(0, "key");
  poke(8, "value");
  ctx.gas_left = cost("ward_v1", "storage_put", 8) - 1;
  ASSERT_EQ(ward("storage_put", {0, 3, 8, 5}), TrapKind::OutOfGas);
  EXPECT_EQ(ctx.gas_left, 0u);
  EXPECT_EQ(overlay.pending(), 0u);
}

TEST_P(HostFns, StorageRoundTrip) {
  poke(0, "bal");
  poke(16, "12345");
  ASSERT_EQ(ward("storage_put", {0, 3, 16, 5}), TrapKind::None);
  EXPECT_EQ(used(), 1000u + 5u * 8);
  EXPECT_EQ(*overlay.get(state::storage_key(env.self, "bal")).value(), "12345");

  Value res[1];
  uint64_t before = used();
  ASSERT_EQ(ward("storage_get", {0, 3, 100, 64}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 5u);
  EXPECT_EQ(peek(100, 5), "12345");
  EXPECT_EQ(used() - before, 200u + 1u * (3 + 5));

  // Small buffer: full length returned, prefix copied.
  poke(200, "xxxxx");
  ASSERT_EQ(ward("storage_get", {0, 3, 200, 2}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i32(), 5u);
  EXPECT_EQ(peek(200, 5), "12xxx");

  ASSERT_EQ(ward("storage_delete", {0, 3}), TrapKind::None);
  ASSERT_EQ(ward("storage_get", {0, 3, 100, 64}, res), TrapKind::None);
  EXPECT_EQ(static_cast<int32_t>(res[0].as_i32()), -1);
  // Buffer range is checked even when the key is absent.
  ASSERT_EQ(ward("storage_get", {0, 3, 65530, 64}, res), TrapKind::Host);
  EXPECT_NE(ctx.message.find("out of bounds memory range [65530, 65594)"), std::string::npos);
}

// Host functions charge from the call's gas schedule (CallEnv::gas), not
// from fixed numbers: a schedule with other storage costs changes both the
// one-step charge (storage_put) and the two-step one (storage_get's value
// length, charged after the lookup).
TEST_P(HostFns, ChargesFromTheCallsGasSchedule) {
  wasm::GasSchedule other = wasm::kGasScheduleV1;
  other.host[static_cast<uint32_t>(wasm::HostFn::ward_v1_storage_put)] = wasm::HostGas{7, 3};
  other.host[static_cast<uint32_t>(wasm::HostFn::ward_v1_storage_get)] = wasm::HostGas{11, 100};
  env.gas = &other;
  poke(0, "bal");
  poke(16, "12345");
  ASSERT_EQ(ward("storage_put", {0, 3, 16, 5}), TrapKind::None);
  EXPECT_EQ(used(), 7u + 3u * 8);
  Value res[1];
  uint64_t before = used();
  ASSERT_EQ(ward("storage_get", {0, 3, 100, 64}, res), TrapKind::None);
  EXPECT_EQ(used() - before, 11u + 100u * (3 + 5));
  // A function the schedule left alone keeps revision 1's cost.
  before = used();
  ASSERT_EQ(ward("storage_delete", {0, 3}), TrapKind::None);
  EXPECT_EQ(used() - before, cost("ward_v1", "storage_delete", 3));
  // Saturating: a cost past UINT64_MAX runs out of gas instead of wrapping.
  other.host[static_cast<uint32_t>(wasm::HostFn::ward_v1_storage_put)] = wasm::HostGas{1, UINT64_MAX / 4};
  EXPECT_EQ(ward("storage_put", {0, 3, 16, 5}), TrapKind::OutOfGas);
}

TEST_P(HostFns, StorageErrorsAndMissingState) {
  state::MemoryStore inner;
  state::FailingStore failing(inner);
  failing.fail_reads = true;
  state::Overlay o(failing);
  env.state = &o;
  poke(0, "k");
  ASSERT_EQ(ward("storage_get", {0, 1, 8, 8}), TrapKind::Host);
  EXPECT_EQ(ctx.message.rfind("storage_get: storage error: ", 0), 0u) << ctx.message;
  env.state = nullptr;
  ASSERT_EQ(ward("storage_put", {0, 1, 0, 1}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "storage_put: no contract state in this context");
}

TEST_P(HostFns, Revert) {
  poke(0, "insufficient balance");
  ASSERT_EQ(ward("revert", {0, 20}), TrapKind::Revert);
  EXPECT_EQ(ctx.message, "insufficient balance");
  EXPECT_EQ(env.revert_reason, "insufficient balance");
}

TEST_P(HostFns, ContextFunctions) {
  env.block_height = 7;
  env.block_time = 1'700'000'035;
  Value res[1];
  ASSERT_EQ(ward("sender", {0}), TrapKind::None);
  ASSERT_EQ(ward("self_address", {20}), TrapKind::None);
  EXPECT_EQ(peek(0, 20), state::as_string(env.sender));
  EXPECT_EQ(peek(20, 20), state::as_string(env.self));
  ASSERT_EQ(ward("block_height", {}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i64(), 7u);
  ASSERT_EQ(ward("block_time", {}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i64(), 1'700'000'035u);
  ASSERT_EQ(ward("gas_left", {}, res), TrapKind::None);
  EXPECT_EQ(res[0].as_i64(), ctx.gas_left);
}

TEST_P(HostFns, LogEvents) {
  poke(0, "transfer");
  poke(16, R"({"amount":5})");
  ASSERT_EQ(ward("log", {0, 8, 16, 12}), TrapKind::None);
  ASSERT_EQ(env.events.size(), 1u);
  EXPECT_EQ(env.events[0].name, "transfer");
  EXPECT_EQ(env.events[0].data, R"({"amount":5})");
  EXPECT_EQ(used(), 500u + 2u * 20);
  ASSERT_EQ(ward("log", {0, 8, 16, 5}), TrapKind::Host);
  EXPECT_EQ(ctx.message.rfind("log: event data is not valid JSON", 0), 0u) << ctx.message;
  ASSERT_EQ(ward("log", {0, 0, 16, 12}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "log: event name is empty");
  poke(100, "\xff\xfe");
  ASSERT_EQ(ward("log", {100, 2, 16, 12}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "log: event name is not valid UTF-8");
  limits.max_events = 1;
  ASSERT_EQ(ward("log", {0, 8, 16, 12}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "log: event 2 exceeds max_events (1)");
  EXPECT_EQ(env.events.size(), 1u);
}

TEST_P(HostFns, DebugPrint) {
  std::vector<std::string> sunk;
  env.debug_sink = [&](std::string_view l) { sunk.emplace_back(l); };
  poke(0, "hello\n");
  ASSERT_EQ(ward("debug_print", {0, 6}), TrapKind::None);
  ASSERT_EQ(ward("debug_print", {0, 5}), TrapKind::None);
  EXPECT_EQ(env.debug_lines, (std::vector<std::string>{"hello", "hello"}));
  EXPECT_EQ(sunk, env.debug_lines);
}

TEST_P(HostFns, UnwiredCallTraps) {
  ctx.host_env = nullptr;
  ASSERT_EQ(ward("input_size", {}), TrapKind::Host);
  EXPECT_EQ(ctx.message, "input_size: no call environment");
}

WARD_INSTANTIATE_BACKENDS(HostFns);

}  // namespace
}  // namespace ward::host::testing
