// Large modules compiled as several translation units (aot/c_split.h): a
// generated module with 2,000 functions gives the same results, traps and
// gas as the interpreter on the split path and on the single-file path, and
// the split produces several balanced parts.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "aot/aot.h"
#include "aot/c_split.h"
#include "aot/instrument.h"
#include "runtime/backend.h"
#include "wasm/module.h"
#include "wat.h"

namespace ward {
namespace {

using runtime::ExecContext;
using runtime::TrapKind;
using runtime::Value;

constexpr int kFuncs = 2000;

/// kFuncs functions of three shapes (a loop, memory traffic, a call of the
/// previous function), all in one table; "run" calls the first n of them
/// indirectly and sums their results.
std::string large_wat() {
  std::string w = "(module\n  (memory 1)\n  (type $t (func (param i32) (result i32)))\n";
  w += fmt::format("  (table {} funcref)\n  (elem (i32.const 0)", kFuncs);
  for (int i = 0; i < kFuncs; ++i) w += fmt::format(" $f{}", i);
  w += ")\n";
  for (int i = 0; i < kFuncs; ++i) {
    w += fmt::format("  (func $f{} (type $t) (local i32 i32)\n", i);
    switch (i % 3) {
      case 0:
        w += fmt::format(
            "    block loop\n      local.get 1 i32.const {} i32.ge_u br_if 1\n"
            "      local.get 2 local.get 1 i32.const {} i32.mul i32.add local.get 0 i32.xor local.set 2\n"
            "      local.get 1 i32.const 1 i32.add local.set 1 br 0\n    end end\n    local.get 2)\n",
            i % 7 + 1, i + 1);
        break;
      case 1:
        w += fmt::format(
            "    i32.const {0} local.get 0 i32.const {1} i32.add i32.store\n"
            "    i32.const {0} i32.load i32.const {2} i32.rotl)\n",
            (i * 4) % 60000, i, i % 31);
        break;
      default:
        w += fmt::format("    local.get 0 i32.const {} i32.add call $f{} i32.const {} i32.mul)\n", i, i - 1, i | 1);
        break;
    }
  }
  w += R"(  (func (export "run") (param i32) (result i32) (local i32 i32)
    block loop
      local.get 1 local.get 0 i32.ge_u br_if 1
      local.get 2 local.get 1 local.get 1 call_indirect (type $t) i32.add local.set 2
      local.get 1 i32.const 1 i32.add local.set 1 br 0
    end end
    local.get 2))
)";
  return w;
}

struct Env {
  runtime::Limits limits;
  std::shared_ptr<runtime::CompiledModule> compiled;
  std::unique_ptr<runtime::Instance> instance;
  ExecContext ctx;
};

std::unique_ptr<Env> make_env(runtime::Backend& backend, const std::shared_ptr<const wasm::Module>& mod) {
  auto env = std::make_unique<Env>();
  env->ctx.limits = &env->limits;
  auto cm = backend.compile(mod, env->limits, {});
  EXPECT_TRUE(cm.ok()) << (cm.ok() ? "" : cm.error().message);
  if (!cm.ok()) return env;
  env->compiled = cm.value();
  auto r = env->compiled->instantiate({}, env->ctx);
  EXPECT_EQ(r.status, runtime::InstantiateResult::Status::Ok) << r.message;
  env->instance = std::move(r.instance);
  return env;
}

TrapKind call_run(Env& e, int32_t n, uint64_t gas, uint64_t* result) {
  e.ctx.gas_left = gas;
  auto ex = e.instance->get_export("run");
  EXPECT_TRUE(ex.ok());
  if (!ex.ok()) return TrapKind::Host;
  std::vector<Value> args{Value::i32(static_cast<uint32_t>(n))};
  std::vector<Value> res(1);
  const TrapKind t = e.instance->invoke(*ex->func, args, res, e.ctx);
  *result = res[0].bits;
  return t;
}

std::shared_ptr<const wasm::Module> large_module() {
  static const std::shared_ptr<const wasm::Module> mod = [] {
    runtime::Limits limits;
    auto m = wasm::load_module(test::wat_to_wasm(large_wat()), limits);
    EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
    return m.ok() ? m.value() : nullptr;
  }();
  return mod;
}

/// Compiles the large module without the cache; returns the seconds taken.
double timed_compile(uint64_t split_bytes, std::unique_ptr<Env>* out) {
  aot::AotOptions o;
  o.cache_dir = (std::filesystem::temp_directory_path() / "ward-aot-split-test").string();
  o.use_cache = false;
  o.split_bytes = split_bytes;
  auto backend = aot::make_aot_backend(o);
  const auto t0 = std::chrono::steady_clock::now();
  *out = make_env(*backend, large_module());
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void expect_same_as_interpreter(Env& aot_env) {
  auto interp = runtime::make_interp_backend();
  auto ref = make_env(*interp, large_module());
  ASSERT_TRUE(ref->instance && aot_env.instance);
  for (int32_t n : {1, 50, kFuncs}) {
    uint64_t ra = 0, rb = 0;
    ASSERT_EQ(call_run(*ref, n, UINT64_MAX, &ra), TrapKind::None);
    const uint64_t need = UINT64_MAX - ref->ctx.gas_left;
    for (uint64_t g : {uint64_t{0}, need / 3, need / 2, need - 1, need, need + 1, uint64_t{UINT64_MAX}}) {
      const TrapKind ta = call_run(*ref, n, g, &ra);
      const TrapKind tb = call_run(aot_env, n, g, &rb);
      ASSERT_EQ(ta, tb) << "n=" << n << " gas=" << g;
      ASSERT_EQ(ref->ctx.gas_left, aot_env.ctx.gas_left) << "n=" << n << " gas=" << g;
      if (ta == TrapKind::None) {
        ASSERT_EQ(static_cast<uint32_t>(ra), static_cast<uint32_t>(rb)) << "n=" << n;
      }
    }
  }
}

TEST(AotSplit, LargeModulePartsAreBalanced) {
  auto mod = large_module();
  ASSERT_TRUE(mod);
  runtime::Limits limits;
  auto gen = aot::generate_c(*mod, limits, true);
  ASSERT_TRUE(gen.ok());
  const uint64_t bytes = aot::function_bytes(gen->source);
  EXPECT_GT(bytes, aot::kDefaultSplitBytes);  // split at the default threshold too
  EXPECT_FALSE(aot::split_c(gen->source, bytes).has_value());
  auto split = aot::split_c(gen->source, aot::kDefaultSplitBytes);
  ASSERT_TRUE(split.has_value());
  ASSERT_GE(split->parts.size(), 2u);
  size_t total = 0, largest = 0;
  for (const auto& p : split->parts) {
    total += p.size();
    largest = std::max(largest, p.size());
  }
  EXPECT_LT(largest, total / split->parts.size() * 5 / 4);
  EXPECT_NE(split->shared_header.find("WARD_HIDDEN"), std::string::npos);
  EXPECT_EQ(split->main.find("\nstatic u32 w2c_"), std::string::npos);
  // Forced low, a small module splits as well (at least two parts).
  auto small = wasm::load_module(
      test::wat_to_wasm(R"((module (func (export "a") (result i32) call $b) (func $b (result i32) i32.const 1)))"),
      limits);
  ASSERT_TRUE(small.ok());
  auto sgen = aot::generate_c(*small.value(), limits, true);
  ASSERT_TRUE(sgen.ok());
  EXPECT_FALSE(aot::split_c(sgen->source, aot::kDefaultSplitBytes).has_value());
  auto ssplit = aot::split_c(sgen->source, 1);
  ASSERT_TRUE(ssplit.has_value());
  EXPECT_GE(ssplit->parts.size(), 2u);
}

TEST(AotSplit, SplitAndSingleFileMatchInterpreter) {
  ASSERT_TRUE(large_module());
  std::unique_ptr<Env> split, single;
  const double t_split = timed_compile(1, &split);
  const double t_single = timed_compile(std::numeric_limits<uint64_t>::max(), &single);
  std::cout << fmt::format("[ info ] {} functions: compile {:.2f} s split, {:.2f} s single file\n", kFuncs, t_split,
                           t_single);
  expect_same_as_interpreter(*split);
  expect_same_as_interpreter(*single);
}

}  // namespace
}  // namespace ward
