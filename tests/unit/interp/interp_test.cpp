// Tests of the interpreter backend: semantics, traps, gas and calls.
#include <gtest/gtest.h>

#include <cmath>

#include "runtime/backend.h"
#include "wasm/metering.h"
#include "wasm/module.h"
#include "wat.h"

namespace ward {
namespace {

using runtime::ExecContext;
using runtime::Extern;
using runtime::TrapKind;
using runtime::Value;

struct Env {
  runtime::Limits limits;
  std::shared_ptr<const wasm::Module> module;
  std::shared_ptr<runtime::CompiledModule> compiled;
  std::unique_ptr<runtime::Instance> instance;
  runtime::InstantiateResult::Status status = runtime::InstantiateResult::Status::Ok;
  TrapKind inst_trap = TrapKind::None;
  std::string message;
  ExecContext ctx;
  bool trapped = false;  ///< the last call trapped (and so used up the gas)

  /// Calls an export; results sized from the function's type.
  TrapKind call(const std::string& name, std::vector<Value> args, std::vector<Value>* results = nullptr) {
    auto ex = instance->get_export(name);
    EXPECT_TRUE(ex.ok()) << name;
    if (!ex.ok()) return TrapKind::Host;
    std::vector<Value> res(ex->func->type.results.size());
    // A trap uses up all the gas (docs/gas.md): the call after one starts
    // from the default budget again, as a new transaction would.
    if (trapped && ctx.gas_left == 0) ctx.gas_left = UINT64_MAX;
    TrapKind t = instance->invoke(*ex->func, args, res, ctx);
    trapped = t != TrapKind::None;
    if (results != nullptr) *results = res;
    return t;
  }
  uint64_t call1(const std::string& name, std::vector<Value> args) {
    std::vector<Value> r;
    EXPECT_EQ(call(name, std::move(args), &r), TrapKind::None) << name;
    return r.empty() ? 0 : r[0].bits;
  }
};

std::unique_ptr<Env> make_env(const std::string& wat, bool metering = true, std::vector<Extern> imports = {}) {
  auto env = std::make_unique<Env>();
  env->ctx.limits = &env->limits;
  std::vector<uint8_t> bytes = test::wat_to_wasm(wat);
  EXPECT_FALSE(bytes.empty()) << "wat2wasm failed";
  auto mod = wasm::load_module(bytes, env->limits);
  EXPECT_TRUE(mod.ok()) << (mod.ok() ? "" : mod.error().message);
  if (!mod.ok()) return env;
  env->module = mod.value();
  auto backend = runtime::make_interp_backend();
  runtime::CompileOptions opts;
  opts.metering = metering;
  auto cm = backend->compile(env->module, env->limits, opts);
  EXPECT_TRUE(cm.ok()) << (cm.ok() ? "" : cm.error().message);
  if (!cm.ok()) return env;
  env->compiled = cm.value();
  auto r = env->compiled->instantiate(imports, env->ctx);
  env->status = r.status;
  env->inst_trap = r.trap;
  env->message = r.message;
  env->instance = std::move(r.instance);
  return env;
}

Value i32(int32_t v) { return Value::i32(static_cast<uint32_t>(v)); }
Value i64(int64_t v) { return Value::i64(static_cast<uint64_t>(v)); }

TEST(Interp, Arithmetic) {
  auto e = make_env(R"((module
    (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
    (func (export "sub_const") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 7)))
    (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
    (func (export "rem_s") (param i32 i32) (result i32) (i32.rem_s (local.get 0) (local.get 1)))
    (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
    (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
    (func (export "sat") (param f64) (result i32) (i32.trunc_sat_f64_u (local.get 0)))
    (func (export "fmin") (param f64 f64) (result f64) (f64.min (local.get 0) (local.get 1)))
    (func (export "nearest") (param f32) (result f32) (f32.nearest (local.get 0)))
  ))");
  ASSERT_TRUE(e->instance);
  EXPECT_EQ(e->call1("add", {i32(2), i32(3)}), 5u);
  EXPECT_EQ(e->call1("add", {i32(-1), i32(1)}), 0u);
  EXPECT_EQ(e->call1("sub_const", {i32(5)}), static_cast<uint32_t>(-2));
  EXPECT_EQ(e->call1("div_s", {i32(-7), i32(2)}), static_cast<uint32_t>(-3));
  EXPECT_EQ(e->call("div_s", {i32(1), i32(0)}), TrapKind::IntDivByZero);
  EXPECT_EQ(e->call("div_s", {i32(INT32_MIN), i32(-1)}), TrapKind::IntOverflow);
  EXPECT_EQ(e->call1("rem_s", {i32(INT32_MIN), i32(-1)}), 0u);
  EXPECT_EQ(e->call1("mul64", {i64(int64_t{1} << 40), i64(3)}), uint64_t{3} << 40);
  EXPECT_EQ(e->call("trunc", {Value::f64(NAN)}), TrapKind::InvalidConversion);
  EXPECT_EQ(e->call("trunc", {Value::f64(3e9)}), TrapKind::IntOverflow);
  EXPECT_EQ(e->call1("trunc", {Value::f64(-2147483648.9)}), 0x80000000u);
  EXPECT_EQ(e->call1("sat", {Value::f64(-5.0)}), 0u);
  EXPECT_EQ(e->call1("sat", {Value::f64(1e20)}), 0xFFFFFFFFu);
  EXPECT_TRUE(std::signbit(Value{e->call1("fmin", {Value::f64(0.0), Value::f64(-0.0)})}.as_f64()));
  EXPECT_EQ(Value{e->call1("nearest", {Value::f32(2.5f)})}.as_f32(), 2.0f);
  EXPECT_EQ(Value{e->call1("nearest", {Value::f32(3.5f)})}.as_f32(), 4.0f);
}

TEST(Interp, ControlFlow) {
  auto e = make_env(R"((module
    (func $fac (export "fac") (param i64) (result i64)
      (if (result i64) (i64.eqz (local.get 0))
        (then (i64.const 1))
        (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
    (func (export "switch") (param i32) (result i32)
      (block $d (block $c (block $b (block $a
        (br_table $a $b $c $d (local.get 0)))
        (return (i32.const 10)))
        (return (i32.const 11)))
        (return (i32.const 12)))
      (i32.const 13))
    (func (export "table_value") (param i32) (result i32)
      (block $out (result i32)
        (block $x (result i32)
          (br_table $x $out (i32.const 100) (local.get 0)))
        (i32.const 1) (i32.add)))
    (func $pair (param i32) (result i32 i32) (local.get 0) (i32.mul (local.get 0) (i32.const 2)))
    (func (export "multi") (param i32) (result i32)
      (call $pair (local.get 0))
      (block (param i32 i32) (result i32) (i32.sub)))
    (func (export "sum") (param $n i32) (result i32) (local $s i32)
      (block $done
        (loop $l
          (br_if $done (i32.eqz (local.get $n)))
          (local.set $s (i32.add (local.get $s) (local.get $n)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br $l)))
      (local.get $s))
    (func (export "swap") (param i32 i32) (result i32 i32) (local.get 1) (local.get 0))
    (func (export "lazy") (param i32) (result i32)
      (local.get 0)
      (local.set 0 (i32.const 99))
      (local.get 0)
      (i32.sub))
  ))");
  ASSERT_TRUE(e->instance);
  EXPECT_EQ(e->call1("fac", {i64(20)}), 2432902008176640000ull);
  EXPECT_EQ(e->call1("switch", {i32(0)}), 10u);
  EXPECT_EQ(e->call1("switch", {i32(2)}), 12u);
  EXPECT_EQ(e->call1("switch", {i32(3)}), 13u);
  EXPECT_EQ(e->call1("switch", {i32(77)}), 13u);
  EXPECT_EQ(e->call1("table_value", {i32(0)}), 101u);
  EXPECT_EQ(e->call1("table_value", {i32(1)}), 100u);
  EXPECT_EQ(e->call1("multi", {i32(5)}), static_cast<uint32_t>(5 - 10));
  EXPECT_EQ(e->call1("sum", {i32(100)}), 5050u);
  std::vector<Value> r;
  ASSERT_EQ(e->call("swap", {i32(1), i32(2)}, &r), TrapKind::None);
  EXPECT_EQ(r[0].as_i32(), 2u);
  EXPECT_EQ(r[1].as_i32(), 1u);
  EXPECT_EQ(e->call1("lazy", {i32(100)}), 1u);
}

TEST(Interp, MemoryAndBounds) {
  auto e = make_env(R"((module
    (memory (export "mem") 1 2)
    (data (i32.const 16) "\2a\00\00\00")
    (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
    (func (export "load_off") (param i32) (result i32) (i32.load offset=0xFFFFFFFF (local.get 0)))
    (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
  ))");
  ASSERT_TRUE(e->instance);
  EXPECT_EQ(e->call1("load", {i32(16)}), 42u);
  EXPECT_EQ(e->call("store", {i32(65532), i32(7)}), TrapKind::None);
  EXPECT_EQ(e->call1("load", {i32(65532)}), 7u);
  EXPECT_EQ(e->call("load", {i32(65533)}), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(e->call("load_off", {i32(1)}), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(e->call("fill", {i32(65000), i32(1), i32(1000)}), TrapKind::MemoryOutOfBounds);
  EXPECT_EQ(e->call1("grow", {i32(1)}), 1u);
  EXPECT_EQ(e->call1("load", {i32(65533)}), 0u);
  EXPECT_EQ(e->call1("grow", {i32(1)}), 0xFFFFFFFFu);
  EXPECT_EQ(e->instance->memory()->pages(), 2u);
}

TEST(Interp, CallIndirectTraps) {
  auto e = make_env(R"((module
    (type $ii (func (param i32) (result i32)))
    (type $v (func))
    (table 4 funcref)
    (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
    (func $nothing (type $v))
    (elem (i32.const 0) $inc $nothing)
    (func (export "call") (param i32 i32) (result i32)
      (call_indirect (type $ii) (local.get 1) (local.get 0)))
  ))");
  ASSERT_TRUE(e->instance);
  EXPECT_EQ(e->call1("call", {i32(0), i32(41)}), 42u);
  EXPECT_EQ(e->call("call", {i32(1), i32(0)}), TrapKind::IndirectCallTypeMismatch);
  EXPECT_EQ(e->call("call", {i32(2), i32(0)}), TrapKind::UninitializedElement);
  EXPECT_EQ(e->call("call", {i32(4), i32(0)}), TrapKind::UndefinedElement);
}

TEST(Interp, InfiniteLoopRunsOutOfGas) {
  auto e = make_env(R"((module (func (export "spin") (loop $l (br $l)))))");
  ASSERT_TRUE(e->instance);
  e->ctx.gas_left = 1'000'000;
  EXPECT_EQ(e->call("spin", {}), TrapKind::OutOfGas);
  EXPECT_EQ(e->ctx.gas_left, 0u);
  EXPECT_EQ(e->ctx.depth, 0u);
}

TEST(Interp, DeepRecursionIsDeterministic) {
  auto e = make_env(R"((module
    (global $d (mut i32) (i32.const 0))
    (func $r (export "recurse") (global.set $d (i32.add (global.get $d) (i32.const 1))) (call $r))
    (func (export "depth") (result i32) (global.get $d))
    (func (export "reset") (global.set $d (i32.const 0)))
  ))");
  ASSERT_TRUE(e->instance);
  EXPECT_EQ(e->call("recurse", {}), TrapKind::CallStackExhausted);
  const uint64_t first = e->call1("depth", {});
  EXPECT_EQ(first, e->limits.max_call_depth);
  EXPECT_EQ(e->ctx.depth, 0u);
  e->call1("reset", {});
  EXPECT_EQ(e->call("recurse", {}), TrapKind::CallStackExhausted);
  EXPECT_EQ(e->call1("depth", {}), first);
}

constexpr const char* kCountWat = R"((module
  (func (export "count") (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
))";

TEST(Interp, ExactGas) {
  // Blocks: [loop] = 0; the loop body: local.get, i32.const, i32.add,
  // local.set, local.get, local.get, i32.lt_u (1 each) + br_if (2) = 9;
  // the loop's end (0); after it: local.get (1) + end (0) = 1. For n = 5: 5 * 9 + 1 = 46.
  auto e = make_env(kCountWat);
  ASSERT_TRUE(e->instance);
  e->ctx.gas_left = 1000;
  EXPECT_EQ(e->call1("count", {i32(5)}), 5u);
  EXPECT_EQ(1000 - e->ctx.gas_left, 46u);

  auto blocks = wasm::analyze_gas(*e->module, 0);
  ASSERT_TRUE(blocks.ok());
  ASSERT_EQ(blocks->size(), 4u);  // [loop] [body .. br_if] [end] [local.get end]
  EXPECT_EQ((*blocks)[0].cost, 0u);
  EXPECT_EQ((*blocks)[1].cost, 9u);
  EXPECT_EQ((*blocks)[2].cost, 0u);
  EXPECT_EQ((*blocks)[3].cost, 1u);

  // Exactly enough gas succeeds; one less runs out with gas_left == 0.
  e->ctx.gas_left = 46;
  EXPECT_EQ(e->call1("count", {i32(5)}), 5u);
  EXPECT_EQ(e->ctx.gas_left, 0u);
  e->ctx.gas_left = 45;
  EXPECT_EQ(e->call("count", {i32(5)}), TrapKind::OutOfGas);
  EXPECT_EQ(e->ctx.gas_left, 0u);
}

TEST(Interp, MeteringOffChargesNothing) {
  auto e = make_env(kCountWat, /*metering=*/false);
  ASSERT_TRUE(e->instance);
  e->ctx.gas_left = 10;
  EXPECT_EQ(e->call1("count", {i32(1000)}), 1000u);
  EXPECT_EQ(e->ctx.gas_left, 10u);
}

TEST(Interp, DynamicGas) {
  auto e = make_env(R"((module
    (memory 1 4)
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
    (func (export "fill") (param i32) (memory.fill (i32.const 0) (i32.const 1) (local.get 0)))
  ))");
  ASSERT_TRUE(e->instance);
  // grow: local.get (1) + memory.grow (10) + end (0) = 11 static.
  e->ctx.gas_left = 10'000;
  EXPECT_EQ(e->call1("grow", {i32(2)}), 1u);
  EXPECT_EQ(10'000 - e->ctx.gas_left, 11 + 2 * wasm::kGasPerGrowPage);
  e->ctx.gas_left = 10'000;
  EXPECT_EQ(e->call1("grow", {i32(5)}), 0xFFFFFFFFu);  // fails: static cost only
  EXPECT_EQ(10'000 - e->ctx.gas_left, 11u);
  // fill: 3 pushes (3) + memory.fill (10) = 13 static, plus ceil(n / 8).
  e->ctx.gas_left = 10'000;
  EXPECT_EQ(e->call("fill", {i32(17)}), TrapKind::None);
  EXPECT_EQ(10'000 - e->ctx.gas_left, 13 + wasm::bulk_memory_gas(17));
}

TrapKind host_add(runtime::HostCall& call, const Value* args, Value* results) {
  results[0] = Value::i64(args[0].as_i32() + args[1].as_i64());
  ++*static_cast<int*>(call.func.host_data);
  return TrapKind::None;
}

TrapKind host_fail(runtime::HostCall& call, const Value*, Value*) { return call.fail("nope"); }

TEST(Interp, HostFunctionImport) {
  int calls = 0;
  runtime::FuncInst add;
  add.type.params = {wasm::ValType::I32, wasm::ValType::I64};
  add.type.results = {wasm::ValType::I64};
  add.type_id = runtime::canonical_type_id(add.type);
  add.host = host_add;
  add.host_data = &calls;
  runtime::FuncInst fail;
  fail.host = host_fail;
  fail.type_id = runtime::canonical_type_id(fail.type);
  std::vector<Extern> imports(2);
  imports[0].func = &add;
  imports[1].func = &fail;
  auto e = make_env(R"((module
    (import "env" "add" (func $add (param i32 i64) (result i64)))
    (import "env" "fail" (func $fail))
    (func (export "f") (param i32) (result i64)
      (i64.add (call $add (local.get 0) (i64.const 1000)) (i64.const 1)))
    (func (export "g") (call $fail))
  ))", true, imports);
  ASSERT_TRUE(e->instance) << e->message;
  EXPECT_EQ(e->call1("f", {i32(5)}), 1006u);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(e->call("g", {}), TrapKind::Host);
  EXPECT_EQ(e->ctx.message, "nope");
}

TEST(Interp, Instantiation) {
  // Function type mismatch -> Unlinkable, naming the import.
  runtime::FuncInst f;
  f.type.params = {wasm::ValType::I64};
  f.host = host_fail;
  std::vector<Extern> imports(1);
  imports[0].func = &f;
  auto e = make_env(R"((module (import "env" "f" (func (param i32)))))", true, imports);
  EXPECT_EQ(e->status, runtime::InstantiateResult::Status::Unlinkable);
  EXPECT_NE(e->message.find("\"env\".\"f\""), std::string::npos) << e->message;

  // Out-of-bounds data segment -> Trapped.
  auto d = make_env(R"((module (memory 1) (data (i32.const 65535) "ab")))");
  EXPECT_EQ(d->status, runtime::InstantiateResult::Status::Trapped);
  EXPECT_EQ(d->inst_trap, TrapKind::MemoryOutOfBounds);

  // Start function trap -> Trapped.
  auto s = make_env(R"((module (func $s unreachable) (start $s)))");
  EXPECT_EQ(s->status, runtime::InstantiateResult::Status::Trapped);
  EXPECT_EQ(s->inst_trap, TrapKind::Unreachable);
}

TEST(Interp, CrossInstanceCalls) {
  auto a = make_env(R"((module
    (memory (export "mem") 1)
    (global (export "g") (mut i32) (i32.const 5))
    (func (export "peek") (param i32) (result i32) (i32.add (i32.load (local.get 0)) (global.get 0)))
  ))");
  ASSERT_TRUE(a->instance);
  std::vector<Extern> imports;
  imports.push_back(a->instance->get_export("peek").value());
  imports.push_back(a->instance->get_export("g").value());
  auto b = make_env(R"((module
    (import "a" "peek" (func $peek (param i32) (result i32)))
    (import "a" "g" (global $g (mut i32)))
    (memory 1)
    (func (export "run") (result i32)
      (i32.store (i32.const 0) (i32.const 1000))
      (global.set $g (i32.const 7))
      (call $peek (i32.const 0)))
  ))", true, imports);
  ASSERT_TRUE(b->instance) << b->message;
  // peek reads a's memory (0) and the shared global (7).
  EXPECT_EQ(b->call1("run", {}), 7u);
}

struct Reenter {
  runtime::Instance* instance = nullptr;
};

TrapKind host_reenter(runtime::HostCall& call, const Value* args, Value* results) {
  auto* r = static_cast<Reenter*>(call.func.host_data);
  auto ex = r->instance->get_export("down");
  if (!ex.ok()) return call.fail("no export");
  Value a[1] = {Value::i32(args[0].as_i32() - 1)};
  return r->instance->invoke(*ex->func, a, std::span<Value>(results, 1), call.ctx);
}

TEST(Interp, HostReentersTheSameInstance) {
  Reenter re;
  runtime::FuncInst h;
  h.type.params = {wasm::ValType::I32};
  h.type.results = {wasm::ValType::I32};
  h.type_id = runtime::canonical_type_id(h.type);
  h.host = host_reenter;
  h.host_data = &re;
  std::vector<Extern> imports(1);
  imports[0].func = &h;
  auto e = make_env(R"((module
    (import "env" "again" (func $again (param i32) (result i32)))
    (func (export "down") (param i32) (result i32) (local i32)
      (local.set 1 (i32.mul (local.get 0) (i32.const 10)))
      (if (result i32) (i32.eqz (local.get 0))
        (then (i32.const 0))
        (else (i32.add (local.get 1) (call $again (local.get 0))))))
  ))", true, imports);
  ASSERT_TRUE(e->instance) << e->message;
  re.instance = e->instance.get();
  // 50 + 40 + 30 + 20 + 10 + 0, each level's local survives the nested calls.
  EXPECT_EQ(e->call1("down", {i32(5)}), 150u);
  EXPECT_EQ(e->ctx.depth, 0u);
}

}  // namespace
}  // namespace ward
