// Deterministic execution limits on every backend (interp, aot): the exact depth
// at which call depth and the stack-slot budget stop a recursion, host ->
// wasm re-entry bounded by the same limits, the wall-clock safety net
// (TrapKind::Timeout, not a timing assertion), and NaN canonicalisation.
#include <gtest/gtest.h>

#include <bit>
#include <memory>
#include <string>
#include <tuple>
#include <vector>

#include "backend_fixture.h"
#include "harness.h"
#include "runtime/backend.h"
#include "runtime/watchdog.h"
#include "wasm/module.h"

namespace ward::adversarial {
namespace {

using runtime::ExecContext;
using runtime::Extern;
using runtime::TrapKind;
using runtime::Value;

/// A module compiled and instantiated on a named backend with given limits.
struct Env {
  std::shared_ptr<runtime::CompiledModule> compiled;
  std::unique_ptr<runtime::Instance> instance;
  runtime::Limits limits;
  ExecContext ctx;
  std::string error;

  TrapKind call(const std::string& name, std::vector<Value> args = {}, std::vector<Value>* results = nullptr) {
    auto ex = instance->get_export(name);
    if (!ex) {
      error = ex.error().message;
      return TrapKind::Host;
    }
    std::vector<Value> local(ex->func->type.results.size());
    std::vector<Value>& out = results != nullptr ? *results : local;
    out.resize(ex->func->type.results.size());
    return instance->invoke(*ex->func, args, out, ctx);
  }
  uint32_t global_i32(const std::string& name) {
    auto ex = instance->get_export(name);
    return ex ? ex->global->value.as_i32() : 0xFFFFFFFFu;
  }
};

std::unique_ptr<Env> make_env(const std::string& backend_name, const std::string& wat, runtime::Limits limits = {},
                              bool metering = true, std::vector<Extern> imports = {}) {
  auto env = std::make_unique<Env>();
  env->limits = limits;
  const Bytes bytes = wat_to_wasm(wat);
  if (bytes.empty()) {
    env->error = "wat2wasm failed";
    return env;
  }
  auto module = wasm::load_module(bytes, limits);
  if (!module) {
    env->error = module.error().message;
    return env;
  }
  auto backend = test::make_test_backend(backend_name);
  runtime::CompileOptions options;
  options.metering = metering;
  auto compiled = backend->compile(module.value(), limits, options);
  if (!compiled) {
    env->error = compiled.error().message;
    return env;
  }
  env->compiled = compiled.value();
  env->ctx.limits = &env->limits;
  env->ctx.gas_left = 1'000'000'000;
  auto inst = env->compiled->instantiate(imports, env->ctx);
  if (!inst.instance) {
    env->error = inst.message;
    return env;
  }
  env->instance = std::move(inst.instance);
  return env;
}

// Each suite takes the backend name as its parameter (all run on interp and aot).
class CallDepth : public ::testing::TestWithParam<std::string> {};
class StackBudget : public ::testing::TestWithParam<std::string> {};
class HostReentry : public ::testing::TestWithParam<std::string> {};
class TimeoutWatchdog : public ::testing::TestWithParam<std::string> {};
class NanCanonicalisation : public ::testing::TestWithParam<std::string> {};

// A recursion that counts its frames in an exported global. Its frame is
// params (0) + locals (N) + maximum operand height (2: global.get, i32.const).
std::string counting_recursion(uint32_t i64_locals) {
  std::string locals;
  for (uint32_t i = 0; i < i64_locals; ++i) locals += " i64";
  return "(module (global $n (export \"n\") (mut i32) (i32.const 0))\n"
         "  (func $f (export \"f\")" + (i64_locals ? " (local" + locals + ")" : std::string()) +
         "\n    (global.set $n (i32.add (global.get $n) (i32.const 1))) (call $f)))";
}

TEST_P(CallDepth, TrapsAtExactlyMaxCallDepth) {
  for (int run = 0; run < 2; ++run) {
    auto e = make_env(GetParam(), counting_recursion(0));
    ASSERT_TRUE(e->instance) << e->error;
    EXPECT_EQ(e->call("f"), TrapKind::CallStackExhausted);
    EXPECT_EQ(e->global_i32("n"), e->limits.max_call_depth);
    EXPECT_EQ(e->ctx.depth, 0u);
    EXPECT_EQ(e->ctx.stack_slots, 0u);
  }
}

TEST_P(CallDepth, ConfigurableLimit) {
  runtime::Limits limits;
  limits.max_call_depth = 10;
  auto e = make_env(GetParam(), counting_recursion(0), limits);
  ASSERT_TRUE(e->instance) << e->error;
  EXPECT_EQ(e->call("f"), TrapKind::CallStackExhausted);
  EXPECT_EQ(e->global_i32("n"), 10u);
}

TEST_P(StackBudget, TrapsWhenFrameSlotsSumExceedsMaxStackSlots) {
  // 4094 locals + height 2 = 4096 slots a frame: 2^20 / 4096 = 256 frames fit.
  for (int run = 0; run < 2; ++run) {
    auto e = make_env(GetParam(), counting_recursion(4094));
    ASSERT_TRUE(e->instance) << e->error;
    EXPECT_EQ(e->call("f"), TrapKind::CallStackExhausted);
    EXPECT_EQ(e->global_i32("n"), 256u);
    EXPECT_EQ(e->ctx.stack_slots, 0u);
  }
}

TEST_P(StackBudget, SmallerBudget) {
  runtime::Limits limits;
  limits.max_stack_slots = 1000;
  auto e = make_env(GetParam(), counting_recursion(8), limits);  // 10 slots a frame
  ASSERT_TRUE(e->instance) << e->error;
  EXPECT_EQ(e->call("f"), TrapKind::CallStackExhausted);
  EXPECT_EQ(e->global_i32("n"), 100u);
}

struct Reenter {
  runtime::Instance* instance = nullptr;
  uint32_t calls = 0;
};

TrapKind host_reenter(runtime::HostCall& call, const Value* args, Value* results) {
  auto* r = static_cast<Reenter*>(call.func.host_data);
  ++r->calls;
  auto ex = r->instance->get_export("f");
  if (!ex.ok()) return call.fail("no export");
  return r->instance->invoke(*ex->func, {}, {}, call.ctx);
}

TEST_P(HostReentry, BoundedByTheSameLimits) {
  Reenter re;
  runtime::FuncInst h;
  h.type_id = runtime::canonical_type_id(h.type);
  h.host = host_reenter;
  h.host_data = &re;
  std::vector<Extern> imports(1);
  imports[0].func = &h;
  // Every wasm frame calls the host, which calls wasm again: native recursion
  // through the host is bounded by max_call_depth too.
  auto e = make_env(GetParam(), R"((module (import "env" "again" (func $again))
    (global $n (export "n") (mut i32) (i32.const 0))
    (func (export "f") (local i64 i64 i64)
      (global.set $n (i32.add (global.get $n) (i32.const 1))) (call $again))))",
                    {}, true, imports);
  ASSERT_TRUE(e->instance) << e->error;
  re.instance = e->instance.get();
  EXPECT_EQ(e->call("f"), TrapKind::CallStackExhausted);
  EXPECT_EQ(e->global_i32("n"), e->limits.max_call_depth);
  EXPECT_EQ(e->ctx.depth, 0u);
  EXPECT_EQ(e->ctx.stack_slots, 0u);
}

TEST_P(HostReentry, StackBudgetSpansReentries) {
  Reenter re;
  runtime::FuncInst h;
  h.type_id = runtime::canonical_type_id(h.type);
  h.host = host_reenter;
  h.host_data = &re;
  std::vector<Extern> imports(1);
  imports[0].func = &h;
  runtime::Limits limits;
  limits.max_stack_slots = 100;  // frames of 8 locals + height 2 = 10 slots: 10 frames
  auto e = make_env(GetParam(), R"((module (import "env" "again" (func $again))
    (global $n (export "n") (mut i32) (i32.const 0))
    (func (export "f") (local i64 i64 i64 i64 i64 i64 i64 i64)
      (global.set $n (i32.add (global.get $n) (i32.const 1))) (call $again))))",
                    limits, true, imports);
  ASSERT_TRUE(e->instance) << e->error;
  re.instance = e->instance.get();
  EXPECT_EQ(e->call("f"), TrapKind::CallStackExhausted);
  EXPECT_EQ(e->global_i32("n"), 10u);
}

// The wall-clock safety net: with metering off nothing else stops these.
/// (backend name, loop shape).
class Timeout : public ::testing::TestWithParam<std::tuple<std::string, const char*>> {};

TEST_P(Timeout, StopsAnUnmeteredLoop) {
  auto e = make_env(std::get<0>(GetParam()), R"((module
    (type $v (func))
    (table 1 funcref) (elem (i32.const 0) $nop)
    (func $nop)
    (func $rec (call $rec2)) (func $rec2 (call $rec))
    (func (export "br") (loop $l (br $l)))
    (func (export "br_if") (loop $l (br_if $l (i32.const 1))))
    (func (export "br_table") (loop $l (br_table $l $l (i32.const 0))))
    (func (export "cmp") (local i32) (loop $l (br_if $l (i32.lt_u (local.get 0) (i32.const 5)))))
    (func (export "calls") (loop $l (call $nop) (call_indirect (type $v) (i32.const 0)) (br $l)))
  ))",
                    {}, /*metering=*/false);
  ASSERT_TRUE(e->instance) << e->error;
  runtime::Watchdog watchdog;
  {
    runtime::Watchdog::Scope scope(watchdog, e->ctx, 20);
    EXPECT_EQ(e->call(std::get<1>(GetParam())), TrapKind::Timeout);
  }
  EXPECT_TRUE(watchdog.fired());
  EXPECT_EQ(e->ctx.depth, 0u);
}

// Interpreter only: code compiled by the aot backend does not read the
// watchdog's flag yet (docs/limits.md, "The wall-clock timeout is not
// consensus"), so these loops would never stop there.
INSTANTIATE_TEST_SUITE_P(Shapes, Timeout,
                         ::testing::Combine(::testing::Values(std::string("interp")),
                                            ::testing::Values("br", "br_if", "br_table", "cmp", "calls")),
                         [](const auto& info) {
                           return std::string(std::get<1>(info.param)) + "_" + std::get<0>(info.param);
                         });

TEST_P(TimeoutWatchdog, MeteredLoopWithHugeGas) {
  auto e = make_env(GetParam(), "(module (func (export \"f\") (loop $l (br $l))))");
  ASSERT_TRUE(e->instance) << e->error;
  e->ctx.gas_left = UINT64_MAX / 2;
  runtime::Watchdog watchdog;
  runtime::Watchdog::Scope scope(watchdog, e->ctx, 20);
  EXPECT_EQ(e->call("f"), TrapKind::Timeout);
}

TEST_P(TimeoutWatchdog, ReusableAndQuietWhenDisarmed) {
  auto e = make_env(GetParam(), "(module (func (export \"f\") (result i32) (i32.const 7)))");
  ASSERT_TRUE(e->instance) << e->error;
  runtime::Watchdog watchdog;
  for (int i = 0; i < 100; ++i) {
    runtime::Watchdog::Scope scope(watchdog, e->ctx, 10'000);
    EXPECT_EQ(e->call("f"), TrapKind::None);
  }
  EXPECT_FALSE(watchdog.fired());
}

// NaN results of arithmetic are canonical; abs/neg/copysign/reinterpret keep bits.
TEST_P(NanCanonicalisation, ArithmeticResults) {
  auto e = make_env(GetParam(), R"((module
    (func (export "add32") (param i32 i32) (result i32)
      (i32.reinterpret_f32 (f32.add (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
    (func (export "div32") (param i32 i32) (result i32)
      (i32.reinterpret_f32 (f32.div (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
    (func (export "min32") (param i32 i32) (result i32)
      (i32.reinterpret_f32 (f32.min (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
    (func (export "max64") (param i64 i64) (result i64)
      (i64.reinterpret_f64 (f64.max (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))
    (func (export "mul64") (param i64 i64) (result i64)
      (i64.reinterpret_f64 (f64.mul (f64.reinterpret_i64 (local.get 0)) (f64.reinterpret_i64 (local.get 1)))))
    (func (export "sqrt64") (param i64) (result i64) (i64.reinterpret_f64 (f64.sqrt (f64.reinterpret_i64 (local.get 0)))))
    (func (export "ceil32") (param i32) (result i32) (i32.reinterpret_f32 (f32.ceil (f32.reinterpret_i32 (local.get 0)))))
    (func (export "nearest64") (param i64) (result i64) (i64.reinterpret_f64 (f64.nearest (f64.reinterpret_i64 (local.get 0)))))
    (func (export "demote") (param i64) (result i32) (i32.reinterpret_f32 (f32.demote_f64 (f64.reinterpret_i64 (local.get 0)))))
    (func (export "promote") (param i32) (result i64) (i64.reinterpret_f64 (f64.promote_f32 (f32.reinterpret_i32 (local.get 0)))))
    (func (export "neg32") (param i32) (result i32) (i32.reinterpret_f32 (f32.neg (f32.reinterpret_i32 (local.get 0)))))
    (func (export "abs64") (param i64) (result i64) (i64.reinterpret_f64 (f64.abs (f64.reinterpret_i64 (local.get 0)))))
    (func (export "copysign32") (param i32 i32) (result i32)
      (i32.reinterpret_f32 (f32.copysign (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))))
  ))");
  ASSERT_TRUE(e->instance) << e->error;
  auto call32 = [&](const char* name, std::vector<Value> args) {
    std::vector<Value> r;
    EXPECT_EQ(e->call(name, std::move(args), &r), TrapKind::None) << name;
    return r.empty() ? 0u : r[0].as_i32();
  };
  auto call64 = [&](const char* name, std::vector<Value> args) {
    std::vector<Value> r;
    EXPECT_EQ(e->call(name, std::move(args), &r), TrapKind::None) << name;
    return r.empty() ? uint64_t{0} : r[0].as_i64();
  };
  const uint32_t c32 = 0x7FC00000u;
  const uint64_t c64 = 0x7FF8000000000000ull;
  const uint32_t payload32 = 0xFFA00001u;            // negative signalling NaN with a payload
  const uint64_t payload64 = 0xFFF4000000000001ull;  // same, f64
  EXPECT_EQ(call32("add32", {Value::i32(payload32), Value::i32(0x3F800000u)}), c32);
  EXPECT_EQ(call32("div32", {Value::i32(0), Value::i32(0)}), c32);  // x86 gives 0xffc00000
  EXPECT_EQ(call32("min32", {Value::i32(0x3F800000u), Value::i32(payload32)}), c32);
  EXPECT_EQ(call64("max64", {Value::i64(payload64), Value::i64(0)}), c64);
  EXPECT_EQ(call64("mul64", {Value::i64(0x7FF0000000000000ull), Value::i64(0)}), c64);  // inf * 0
  EXPECT_EQ(call64("sqrt64", {Value::i64(0xBFF0000000000000ull)}), c64);                // sqrt(-1)
  EXPECT_EQ(call32("ceil32", {Value::i32(payload32)}), c32);
  EXPECT_EQ(call64("nearest64", {Value::i64(payload64)}), c64);
  EXPECT_EQ(call32("demote", {Value::i64(payload64)}), c32);
  EXPECT_EQ(call64("promote", {Value::i32(payload32)}), c64);
  // Not arithmetic: bits pass through untouched.
  EXPECT_EQ(call32("neg32", {Value::i32(payload32)}), 0x7FA00001u);
  EXPECT_EQ(call64("abs64", {Value::i64(payload64)}), 0x7FF4000000000001ull);
  EXPECT_EQ(call32("copysign32", {Value::i32(0x7FA00001u), Value::i32(0x80000000u)}), payload32);
  // Ordinary results are unchanged.
  EXPECT_EQ(call32("add32", {Value::i32(0x3F800000u), Value::i32(0x3F800000u)}), 0x40000000u);
}

// The AOT code leaves out the check of a NaN whose only use cannot see its
// bits (an arithmetic operand, a comparison, a truncation, a drop). Every
// use that can see them must still get the canonical NaN: a local, a store,
// a reinterpretation, neg/abs, copysign's sign, select, a global, a call's
// argument and the function's result. inf - inf gives x86's default NaN
// (0xfff8...), not the canonical one, so a missing check shows.
TEST_P(NanCanonicalisation, EveryUseThatSeesTheBitsGetsTheCanonicalNaN) {
  auto e = make_env(GetParam(), R"((module
    (memory 1)
    (global $g (export "g") (mut f64) (f64.const 0))
    (func $inf (result f64) (f64.const inf))
    (func $id (param f64) (result f64) (local.get 0))
    (func (export "chain") (result i64)   ;; (inf - inf) * 2 + 1: only the sum is checked
      (i64.reinterpret_f64 (f64.add (f64.mul (f64.sub (call $inf) (call $inf)) (f64.const 2)) (f64.const 1))))
    (func (export "local") (result i64) (local f64)
      (local.set 0 (f64.sub (call $inf) (call $inf)))
      (i64.reinterpret_f64 (local.get 0)))
    (func (export "tee") (result i64) (local f64)
      (i64.reinterpret_f64 (local.tee 0 (f64.sub (call $inf) (call $inf)))))
    (func (export "store") (result i64)
      (f64.store (i32.const 8) (f64.sub (call $inf) (call $inf)))
      (i64.load (i32.const 8)))
    (func (export "neg") (result i64) (i64.reinterpret_f64 (f64.neg (f64.sub (call $inf) (call $inf)))))
    (func (export "abs32") (result i32)
      (i32.reinterpret_f32 (f32.abs (f32.sub (f32.const inf) (f32.demote_f64 (call $inf))))))
    (func (export "copysign") (result i64)   ;; the sign of the canonical NaN is +
      (i64.reinterpret_f64 (f64.copysign (f64.const 1) (f64.sub (call $inf) (call $inf)))))
    (func (export "select") (param i32) (result i64)
      (i64.reinterpret_f64 (select (f64.sub (call $inf) (call $inf)) (f64.const 3) (local.get 0))))
    (func (export "global") (result i64)
      (global.set $g (f64.sub (call $inf) (call $inf)))
      (i64.reinterpret_f64 (global.get $g)))
    (func (export "arg") (result i64) (i64.reinterpret_f64 (call $id (f64.sub (call $inf) (call $inf)))))
    (func (export "result") (result f64) (f64.sub (call $inf) (call $inf)))
    (func (export "block") (result i64)
      (i64.reinterpret_f64 (block (result f64) (f64.sub (call $inf) (call $inf)))))
    (func (export "compare") (result i32)   ;; NaN is unordered whatever its bits: 1
      (f64.ne (f64.sub (call $inf) (call $inf)) (f64.const 0)))
    (func (export "trunc_sat") (result i32) (i32.trunc_sat_f64_s (f64.sub (call $inf) (call $inf))))
    (func (export "dropped") (result i64)
      (drop (f64.sub (call $inf) (call $inf)))
      (i64.reinterpret_f64 (f64.mul (call $inf) (f64.const 0))))
    (func (export "sum") (param i32) (result i64) (local f64 i32)   ;; a loop of checked-once sums
      (loop $l
        (local.set 1 (f64.add (local.get 1) (f64.mul (f64.convert_i32_s (local.get 2)) (call $inf))))
        (local.set 1 (f64.add (local.get 1) (f64.mul (f64.const -1) (call $inf))))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br_if $l (i32.lt_s (local.get 2) (local.get 0))))
      (i64.reinterpret_f64 (local.get 1)))
  ))");
  ASSERT_TRUE(e->instance) << e->error;
  auto call = [&](const char* name, std::vector<Value> args = {}) {
    std::vector<Value> r;
    EXPECT_EQ(e->call(name, std::move(args), &r), TrapKind::None) << name;
    return r.empty() ? uint64_t{0} : r[0].bits;
  };
  const uint64_t c64 = 0x7FF8000000000000ull;
  for (const char* name : {"chain", "local", "tee", "store", "global", "arg", "block", "dropped"}) {
    EXPECT_EQ(call(name), c64) << name;
  }
  EXPECT_EQ(call("result"), c64);
  EXPECT_EQ(call("neg"), 0xFFF8000000000000ull);  // neg of the canonical NaN
  EXPECT_EQ(call("abs32"), 0x7FC00000u);
  EXPECT_EQ(call("copysign"), 0x3FF0000000000000ull);  // +1.0
  EXPECT_EQ(call("select", {Value::i32(1)}), c64);
  EXPECT_EQ(call("select", {Value::i32(0)}), 0x4008000000000000ull);  // 3.0
  EXPECT_EQ(call("compare") & 0xFFFFFFFFu, 1u);
  EXPECT_EQ(call("trunc_sat") & 0xFFFFFFFFu, 0u);
  EXPECT_EQ(call("sum", {Value::i32(1)}), c64);  // 0 * inf, then -inf: NaN + ...
  EXPECT_EQ(call("sum", {Value::i32(5)}), c64);
}

WARD_INSTANTIATE_BACKENDS(CallDepth);
WARD_INSTANTIATE_BACKENDS(StackBudget);
WARD_INSTANTIATE_BACKENDS(HostReentry);
INSTANTIATE_TEST_SUITE_P(Backends, TimeoutWatchdog, ::testing::Values(std::string("interp")),  // as Timeout
                         ::ward::test::backend_param_name);
WARD_INSTANTIATE_BACKENDS(NanCanonicalisation);

}  // namespace
}  // namespace ward::adversarial
