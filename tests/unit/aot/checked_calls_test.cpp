// Unit tests of the AOT instrumentation's calls that skip the callee's gas
// check (aot/instrument.cpp, CheckedCalls; docs/aot.md "Checks a call can
// skip"): a direct call made where the gas was just checked at a loop head
// and has not changed since enters its callee through a second entry
// without the check; every other call keeps it. That the gas, results and
// traps stay those of the interpreter is checked by the differential gas
// sweep (backend_param_test.cpp) and the spec differential run.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "aot/instrument.h"
#include "runtime/limits.h"
#include "wasm/module.h"
#include "wat.h"

namespace ward::aot {
namespace {

/// Function definitions in wasm2c's output for the instrumented module.
size_t defined_functions(const std::string& c) {
  static const std::regex def(R"(\n(static )?(void|u32|u64|f32|f64) w2c_[A-Za-z0-9_]+\(Z_m_instance_t\* instance[^;{]*\) \{)");
  return static_cast<size_t>(std::distance(std::sregex_iterator(c.begin(), c.end(), def), std::sregex_iterator()));
}

/// Definitions in the generated C for a module of $leaf, $other and the
/// exported function "f" whose body is `f_body`.
size_t generated(const std::string& f_body, bool metering) {
  const std::string wat = R"((module
    (func $leaf (param i32) (result i32) local.get 0 i32.const 1 i32.add)
    (func $other (result i32) i32.const 7)
    (func (export "f") (param i32) (result i32) (local i32))" +
                          f_body + ")\n)";
  runtime::Limits limits;
  auto m = wasm::load_module(test::wat_to_wasm(wat), limits);
  EXPECT_TRUE(m) << m.error().message;
  if (!m) return 0;
  auto gen = generate_c(**m, limits, metering);
  EXPECT_TRUE(gen.ok()) << gen.error().message;
  return gen.ok() ? defined_functions(gen->source) : 0;
}

// Three defined functions: $leaf, $other and "f". Each has an entry and a
// body, so 6 definitions, plus one per callee entered unchecked.
TEST(CheckedCalls, OnlyACallRightAfterALoopHeadsCheckSkipsTheCalleesCheck) {
  const std::string loop = R"(
      loop
        local.get 0 call $leaf local.set 1
        call $other drop
        local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0
      end
      local.get 1)";
  // The first call of the loop head's block: $leaf gets an entry without the check.
  EXPECT_EQ(generated(loop, true), 7u);
  // Metering off: no gas check to skip.
  EXPECT_EQ(generated(loop, false), 6u);
  // Calls in blocks that charged since the last check, or after a branch
  // or nested block in the loop head's block, keep the callee's check.
  EXPECT_EQ(generated(R"(
      local.get 0 call $leaf drop
      block
        loop
          local.get 0 i32.eqz br_if 1
          local.get 0 call $leaf local.set 1
          local.get 0 i32.const 1 i32.sub local.set 0
          br 0
        end
      end
      loop
        block end
        call $other drop
        local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0
      end
      local.get 1)",
                      true),
            6u);
}

}  // namespace
}  // namespace ward::aot
