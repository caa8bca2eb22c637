// The adversarial suite: hostile modules and contracts, each with its
// expected outcome (README.md has the table). For every case: the expected
// error, identical gas and error over two runs on fresh states, the state
// unchanged by whatever failed, and the process still alive afterwards. The
// time to reject is bounded by the CTest TIMEOUT of each test.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <tuple>
#include <vector>

#include "generated.h"
#include "harness.h"
#include "host_oob_cases.h"

namespace ward::adversarial {
namespace {

struct Case {
  std::string name;                   ///< test name
  std::function<Bytes()> module;      ///< the module
  std::string method;                 ///< empty: deploy only
  Expect expect;
  std::string error;                  ///< substring of the error (Rejected, Fails)
  uint64_t gas = 0;                   ///< call gas limit; 0: default
  wasm::FloatPolicy floats = wasm::FloatPolicy::Allow;
};

std::function<Bytes()> file(const std::string& name) {
  return [name] { return case_module(name); };
}

Case call(std::string name, const std::string& wat, std::string method, Expect e, std::string error,
          uint64_t gas = 0) {
  return Case{std::move(name), file(wat), std::move(method), e, std::move(error), gas};
}

Case reject(std::string name, std::function<Bytes()> module, std::string error) {
  return Case{std::move(name), std::move(module), "", Expect::Rejected, std::move(error)};
}

constexpr const char* kOutOfGas = "out of gas";
constexpr const char* kStack = "call stack exhausted";

std::vector<Case> all_cases() {
  std::vector<Case> v = {
      // --- infinite loops of several shapes: stopped by gas
      call("loop_br", "loops", "loop_br", Expect::Fails, kOutOfGas),
      call("loop_br_if", "loops", "loop_br_if", Expect::Fails, kOutOfGas),
      call("loop_br_table", "loops", "loop_br_table", Expect::Fails, kOutOfGas),
      call("loop_call", "loops", "loop_call", Expect::Fails, kOutOfGas),
      call("loop_call_indirect", "loops", "loop_call_indirect", Expect::Fails, kOutOfGas),
      call("nested_loops", "loops", "nested_loops", Expect::Fails, kOutOfGas),
      call("loop_with_counter", "loops", "loop_with_counter", Expect::Fails, kOutOfGas),
      call("call_tree_bomb", "loops", "call_tree_bomb", Expect::Fails, kOutOfGas),
      call("loop_small_gas", "loops", "loop_br", Expect::Fails, kOutOfGas, 1000),
      // --- recursion bombs: stopped by the call depth or the stack-slot budget
      call("recursion", "loops", "recursion", Expect::Fails, kStack),
      call("mutual_recursion", "loops", "mutual_recursion", Expect::Fails, kStack),
      call("indirect_recursion", "loops", "indirect_recursion", Expect::Fails, kStack),
      Case{"fat_frame_recursion", [] { return gen::fat_recursion(4000); }, "run", Expect::Fails, kStack},
      // --- memory and tables
      call("memory_grow_until_refused", "memory", "grow_until_refused", Expect::Ok, ""),
      call("memory_grow_huge", "memory", "grow_huge", Expect::Ok, ""),
      call("memory_grow_loop", "memory", "grow_in_loop_forever", Expect::Fails, kOutOfGas),
      call("memory_grow_small_gas", "memory", "grow_in_loop_forever", Expect::Fails, kOutOfGas, 100'000),
      call("memory_fill_loop", "loops", "memory_fill_loop", Expect::Fails, kOutOfGas),
      call("table_grow_loop", "loops", "table_grow_loop", Expect::Fails, kOutOfGas),
      call("memory_copy_out_of_bounds", "memory", "copy_out_of_bounds", Expect::Fails, "out of bounds memory access"),
      call("memory_copy_4gib", "memory", "copy_4gib", Expect::Fails, kOutOfGas),
      call("memory_fill_out_of_bounds", "memory", "fill_out_of_bounds", Expect::Fails, "out of bounds memory access"),
      call("load_out_of_bounds", "memory", "load_out_of_bounds", Expect::Fails, "out of bounds memory access"),
      reject("data_segment_out_of_bounds", file("data_out_of_bounds"),
             "instantiation trapped: data segment 0: out of bounds memory access"),
      reject("initial_memory_4gib", file("huge_memory"), "initial size 65536 pages exceeds max_memory_pages (1024)"),
      reject("table_10m_elements", file("huge_table"), "initial size 10000000 elements exceeds max_table_elements"),
      reject("many_tables", [] { return gen::many_tables(100); }, "table count 100 exceeds max_tables (64)"),
      reject("huge_data_segment", [] { return gen::big_data(5u << 20); }, "exceeds max_module_bytes"),
      // --- call_indirect abuse
      call("call_indirect_null", "indirect", "null_entry", Expect::Fails, "uninitialized element"),
      call("call_indirect_past_table", "indirect", "past_the_table", Expect::Fails, "undefined element"),
      call("call_indirect_wrong_type", "indirect", "wrong_type", Expect::Fails, "indirect call type mismatch"),
      // --- hostile shapes, rejected before any compile work
      reject("nested_blocks_100000", [] { return gen::nested_blocks(100'000); },
             "block nesting depth 1025 exceeds max_block_depth (1024)"),
      Case{"nested_blocks_1024", [] { return gen::nested_blocks(1024); }, "run", Expect::Ok, ""},
      reject("locals_100000", [] { return gen::many_locals(100'000); },
             "100000 locals (params + declared) exceeds max_locals_per_function (50000)"),
      reject("function_1mib", [] { return gen::big_function(1u << 20); }, "exceeds max_function_body_bytes (524288)"),
      reject("br_table_100000", [] { return gen::big_br_table(100'000, false); },
             "has 100000 targets, exceeds max_br_table_targets (65536)"),
      Case{"br_table_65536_loop", [] { return gen::big_br_table(65'536, true); }, "run", Expect::Fails, kOutOfGas},
      reject("functions_20000", [] { return gen::many_functions(20'000); },
             "function count (imported + defined) 20000 exceeds max_functions (16384)"),
      reject("globals_2000", [] { return gen::many_globals(2000); }, "global count 2000 exceeds max_globals (1024)"),
      reject("imports_1025", [] { return gen::many_imports(1025); }, "import count 1025 exceeds max_imports (1024)"),
      reject("exports_1025", [] { return gen::many_exports(1025); }, "export count 1026 exceeds max_exports (1024)"),
      reject("truncated_module", [] { return gen::truncated(30); }, "malformed module"),
      reject("duplicate_exports", gen::duplicate_exports, "duplicate export"),
      reject("bad_magic", gen::bad_magic, "bad magic number"),
      reject("section_size_lie", gen::section_size_lie, "only 4 bytes remain"),
      reject("data_length_lie", gen::data_length_lie, "unexpected end of data segment"),
      reject("leb_overflow", gen::leb_overflow, "bad or truncated function count"),
      reject("simd_type", gen::simd_type, "v128"),
      Case{"custom_sections_10000", [] { return gen::many_custom_sections(10'000); }, "run", Expect::Ok, ""},
      // --- imports
      reject("import_unknown_host_function", file("import_unknown"),
             "import \"ward_v1\".\"mint_tokens\" is not a host function of Ward"),
      reject("import_env", file("import_env"), "import \"env\".\"abort\" is not a host function of Ward"),
      reject("import_wasi_socket", file("import_wasi_socket"), "\"sock_accept\" is not a host function of Ward"),
      reject("import_wrong_signature", file("import_bad_signature"),
             "import \"ward_v1\".\"storage_put\" has type (i32, i32) -> () but the host ABI defines"),
      reject("import_memory", file("import_memory"), "is a memory import"),
      // --- start functions and modules without a method: rejected at deploy
      reject("start_function_loops", file("start_loop"), "start function trapped: out of gas"),
      reject("start_function_traps", file("start_trap"), "start function trapped: unreachable"),
      reject("empty_module", file("empty_module"),
             "module exports no method (a method is an exported function () -> ())"),
      reject("no_callable_method", file("no_method"),
             "module exports no method (a method is an exported function () -> ())"),
      // --- floats
      Case{"floats_denied", file("floats"), "", Expect::Rejected, "uses floating point", 0, wasm::FloatPolicy::Deny},
      Case{"floats_allowed", file("floats"), "run", Expect::Ok, "", 0, wasm::FloatPolicy::Allow},
      call("nan_bits_canonical", "determinism", "nan_bits", Expect::Ok, ""),
      // --- determinism of WASI
      call("wasi_random_get", "determinism", "random", Expect::Ok, ""),
      call("wasi_clocks", "determinism", "clocks", Expect::Ok, ""),
      // --- oversized host arguments, spam, failures after writes
      call("storage_value_10mib", "host_limits", "storage_value_10mib", Expect::Fails,
           "storage_put: value of 10485760 bytes exceeds max_storage_value_bytes (1048576)"),
      call("storage_key_2000", "host_limits", "storage_key_2000", Expect::Fails,
           "key of 2000 bytes exceeds max_storage_key_bytes (1024)"),
      call("result_2mib", "host_limits", "result_2mib", Expect::Fails, "exceeds max_result_bytes (1048576)"),
      call("debug_print_2mib", "host_limits", "debug_2mib", Expect::Fails, "exceeds max_host_arg_bytes (1048576)"),
      call("log_spam", "host_limits", "log_spam", Expect::Fails, "event 1025 exceeds max_events (1024)"),
      call("log_name_too_long", "host_limits", "log_name_too_long", Expect::Fails, "max_event_name_bytes"),
      call("revert_after_write", "host_limits", "revert_after_write", Expect::Fails, "reverted: gotcha"),
      call("trap_after_write", "host_limits", "trap_after_write", Expect::Fails, "trapped: unreachable"),
      call("loop_after_write", "host_limits", "loop_after_write", Expect::Fails, kOutOfGas),
      call("exit_after_write", "host_limits", "exit_after_write", Expect::Fails, "exit code 3"),
      call("storage_write_loop", "host_limits", "storage_write_loop", Expect::Fails, kOutOfGas),
      // --- what enters a receipt: nesting and UTF-8, checked before the commit
      call("result_nesting_100000", "receipt_inputs", "result_nesting_100000", Expect::Fails,
           "host error: result_write: result nesting exceeds max_json_depth (64)"),
      call("result_nesting_65", "receipt_inputs", "result_nesting_65", Expect::Fails,
           "host error: result_write: result nesting exceeds max_json_depth (64)"),
      call("result_nesting_64", "receipt_inputs", "result_nesting_64", Expect::Ok, ""),
      call("event_nesting_100000", "receipt_inputs", "event_nesting_100000", Expect::Fails,
           "host error: log: event data nesting exceeds max_json_depth (64)"),
      call("revert_invalid_utf8", "receipt_inputs", "revert_invalid_utf8", Expect::Fails,
           "host error: revert: reason is not valid UTF-8"),
      call("event_name_invalid_utf8", "receipt_inputs", "event_name_invalid_utf8", Expect::Fails,
           "host error: log: event name is not valid UTF-8"),
      call("event_data_invalid_utf8", "receipt_inputs", "event_data_invalid_utf8", Expect::Fails,
           "host error: log: event data is not valid"),
      call("result_invalid_utf8", "receipt_inputs", "result_invalid_utf8", Expect::Fails,
           "host error: result_write: result is not valid"),
      call("call_method_invalid_utf8", "receipt_inputs", "call_method_invalid_utf8", Expect::Fails,
           "host error: call: method name is not valid UTF-8"),
      // --- memory: the pending writes of one transaction are bounded
      call("tx_writes_distinct_keys", "receipt_inputs", "write_distinct_keys", Expect::Fails,
           "host error: storage_put: transaction writes exceed max_tx_write_bytes (67108864)", 1'000'000'000),
      call("tx_writes_rewrite_one_key", "receipt_inputs", "rewrite_one_key", Expect::Fails,
           "host error: storage_put: transaction writes exceed max_tx_write_bytes (67108864)", 1'000'000'000),
  };
  // Out-of-bounds pointers to every pointer parameter of every host function
  // (host_oob_cases.cpp; host_oob_test.cpp checks that none is missing).
  for (const OobCase& o : host_oob_cases()) {
    v.push_back(call(o.name, o.wat, o.method, o.traps ? Expect::Fails : Expect::Ok, o.error));
  }
  return v;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> v = all_cases();
  return v;
}

/// (backend name, case index): every case runs on every backend.
class Adversarial : public ::testing::TestWithParam<std::tuple<std::string, size_t>> {};

TEST_P(Adversarial, ExpectedOutcomeSameGasStateUnchanged) {
  const std::string& backend = std::get<0>(GetParam());
  const Case& c = cases()[std::get<1>(GetParam())];
  Scenario s;
  s.module = c.module();
  ASSERT_FALSE(s.module.empty()) << "cannot build the module of " << c.name;
  s.method = c.method;
  s.gas = c.gas;
  s.floats = c.floats;

  const Outcome a = run_scenario(s, backend);
  const Outcome b = run_scenario(s, backend);
  ASSERT_TRUE(a.store_error.empty()) << a.store_error;
  ASSERT_TRUE(b.store_error.empty()) << b.store_error;

  switch (c.expect) {
    case Expect::Rejected:
      EXPECT_FALSE(a.deployed) << c.name << " was deployed";
      EXPECT_NE(a.error.find(c.error), std::string::npos) << "error: " << a.error << "\nexpected: " << c.error;
      EXPECT_EQ(a.state_before, a.state_after) << "a rejected deploy changed the state";
      break;
    case Expect::Fails:
      ASSERT_TRUE(a.deployed) << "deploy failed: " << a.error;
      EXPECT_FALSE(a.called_ok) << c.name << " succeeded";
      EXPECT_NE(a.error.find(c.error), std::string::npos) << "error: " << a.error << "\nexpected: " << c.error;
      EXPECT_EQ(a.state_before, a.state_after) << "a failed call changed the state";
      if (c.error == kOutOfGas) {
        EXPECT_EQ(a.call_gas, c.gas != 0 ? c.gas : runtime::Limits{}.default_gas) << "out of gas uses the whole limit";
      }
      break;
    case Expect::Ok:
      ASSERT_TRUE(a.deployed) << "deploy failed: " << a.error;
      EXPECT_TRUE(a.called_ok) << "call failed: " << a.error;
      break;
  }
  // Deterministic: the same gas, error and final state on a second run.
  EXPECT_EQ(a.deployed, b.deployed);
  EXPECT_EQ(a.called_ok, b.called_ok);
  EXPECT_EQ(a.error, b.error);
  EXPECT_EQ(a.deploy_gas, b.deploy_gas);
  EXPECT_EQ(a.call_gas, b.call_gas);
  EXPECT_EQ(a.state_after, b.state_after);
}

std::string case_name(const ::testing::TestParamInfo<std::tuple<std::string, size_t>>& info) {
  return cases()[std::get<1>(info.param)].name + "_" + std::get<0>(info.param);
}

INSTANTIATE_TEST_SUITE_P(Cases, Adversarial,
                         ::testing::Combine(::testing::Values(std::string("interp"), std::string("aot")),
                                            ::testing::Range<size_t>(0, cases().size())),
                         case_name);

TEST(AdversarialSuite, HasAtLeastFortyCases) { EXPECT_GE(cases().size(), 40u); }

}  // namespace
}  // namespace ward::adversarial
