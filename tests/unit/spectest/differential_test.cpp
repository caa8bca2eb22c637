// The differential mode of the spec runner: two backends that agree give
// no difference; a backend wrapper that skews gas, a result or a start
// function's gas is caught. Also the parallel precompilation of a script's
// modules. Needs wast2json in PATH (and cc for the aot cases).
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "aot/aot.h"
#include "spectest/differential.h"
#include "spectest/precompile.h"
#include "spectest/spectest.h"
#include "spectest/wast2json.h"

namespace ward::spectest {
namespace {

bool have_tool(const char* name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && ::access((dir + "/" + name).c_str(), X_OK) == 0) return true;
  }
  return false;
}

/// What the skewing wrapper changes.
enum class Skew { Gas, Result, StartGas };

/// An instance that forwards to another and then skews what a call did.
class SkewInstance final : public runtime::Instance {
 public:
  SkewInstance(std::unique_ptr<runtime::Instance> inner, Skew skew) : m_inner(std::move(inner)), m_skew(skew) {}
  Result<runtime::Extern> get_export(std::string_view name) override { return m_inner->get_export(name); }
  runtime::FuncInst* function(uint32_t i) override { return m_inner->function(i); }
  runtime::Memory* memory() override { return m_inner->memory(); }
  runtime::TrapKind do_invoke(const runtime::FuncInst& func, std::span<const runtime::Value> args,
                              std::span<runtime::Value> results, runtime::ExecContext& ctx) override {
    const runtime::TrapKind t = m_inner->invoke(func, args, results, ctx);
    if (t == runtime::TrapKind::None && m_skew == Skew::Gas) ctx.charge(1);
    if (t == runtime::TrapKind::None && m_skew == Skew::Result && !results.empty()) results[0].bits ^= 1;
    return t;
  }

 private:
  std::unique_ptr<runtime::Instance> m_inner;
  Skew m_skew;
};

class SkewModule final : public runtime::CompiledModule {
 public:
  SkewModule(std::shared_ptr<runtime::CompiledModule> inner, Skew skew) : m_inner(std::move(inner)), m_skew(skew) {}
  const wasm::Module& module() const override { return m_inner->module(); }
  runtime::InstantiateResult do_instantiate(std::span<const runtime::Extern> imports,
                                            runtime::ExecContext& ctx) override {
    runtime::InstantiateResult r = m_inner->instantiate(imports, ctx);
    if (m_skew == Skew::StartGas && module().start) ctx.charge(3);
    if (r.instance) r.instance = std::make_unique<SkewInstance>(std::move(r.instance), m_skew);
    return r;
  }

 private:
  std::shared_ptr<runtime::CompiledModule> m_inner;
  Skew m_skew;
};

/// The interpreter, skewed.
class SkewBackend final : public runtime::Backend {
 public:
  explicit SkewBackend(Skew skew) : m_skew(skew) {}
  std::string_view name() const override { return "skewed"; }
  Result<std::shared_ptr<runtime::CompiledModule>> compile(std::shared_ptr<const wasm::Module> module,
                                                           const runtime::Limits& limits,
                                                           const runtime::CompileOptions& options) override {
    auto c = m_interp->compile(std::move(module), limits, options);
    if (!c) return c.error();
    return std::shared_ptr<runtime::CompiledModule>(std::make_shared<SkewModule>(std::move(*c), m_skew));
  }

 private:
  std::unique_ptr<runtime::Backend> m_interp = runtime::make_interp_backend();
  Skew m_skew;
};

constexpr const char* kScript = R"wast((module
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "sum") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.eqz (local.get 0)))
      (local.set 1 (i32.add (local.get 1) (local.get 0)))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br 0)))
    (local.get 1))
  (func (export "trap") (unreachable)))
(assert_return (invoke "add" (i32.const 1) (i32.const 2)) (i32.const 3))
(assert_return (invoke "nan") (f32.const nan:canonical))
(assert_return (invoke "sum" (i32.const 10)) (i32.const 55))
(assert_trap (invoke "trap") "unreachable")
(module
  (global $g (mut i32) (i32.const 0))
  (func $s (global.set $g (i32.const 7)))
  (start $s)
  (func (export "g") (result i32) (global.get $g)))
(assert_return (invoke "g") (i32.const 7))
(invoke "g")
)wast";

/// Invoke actions of kScript plus its one start function.
constexpr uint64_t kCalls = 7;

class Differential : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_tool("wast2json")) GTEST_SKIP() << "wast2json (wabt) is not in PATH";
    Result<TempDir> dir = TempDir::create();
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    m_dir = std::make_unique<TempDir>(std::move(*dir));
    std::ofstream(m_dir->path() + "/calls.wast") << kScript;
  }

  SpecSummary run(runtime::Backend& a, runtime::Backend& b) {
    SpecOptions o;
    o.dir = m_dir->path();
    m_out.str("");
    return run_spec_tests_on(o, a, &b, m_out);
  }

  std::unique_ptr<TempDir> m_dir;
  std::ostringstream m_out;
};

TEST_F(Differential, AgreeingBackendsHaveNoDifference) {
  auto a = runtime::make_interp_backend();
  auto b = runtime::make_interp_backend();
  const SpecSummary s = run(*a, *b);
  EXPECT_EQ(s.failed, 0u) << m_out.str();
  EXPECT_EQ(s.passed, 6u) << m_out.str();
  EXPECT_EQ(s.compared, kCalls) << m_out.str();
  EXPECT_EQ(s.differences, 0u) << m_out.str();
  EXPECT_NE(m_out.str().find("differential: 7 invokes compared, 0 differences\n"), std::string::npos) << m_out.str();
}

TEST_F(Differential, InterpAndAotAgree) {
  if (!have_tool("cc")) GTEST_SKIP() << "no C compiler";
  auto a = runtime::make_interp_backend();
  aot::AotOptions ao;
  ao.cache_dir = m_dir->path() + "/aot-cache";  // removed with the folder
  auto b = aot::make_aot_backend(ao);
  const SpecSummary s = run(*a, *b);
  EXPECT_EQ(s.failed, 0u) << m_out.str();
  EXPECT_EQ(s.compared, kCalls) << m_out.str();
  EXPECT_EQ(s.differences, 0u) << m_out.str();
}

TEST_F(Differential, GasDifferenceIsReported) {
  auto a = runtime::make_interp_backend();
  SkewBackend b(Skew::Gas);
  const SpecSummary s = run(*a, b);
  // Every invoke that returned (add, nan, sum, g twice): the trap keeps its gas.
  EXPECT_EQ(s.differences, 5u) << m_out.str();
  EXPECT_EQ(s.failed, 5u) << m_out.str();
  EXPECT_NE(m_out.str().find("differential: invoke \"add\" (i32:1, i32:2): interp returned (i32:3), gas"),
            std::string::npos)
      << m_out.str();
  EXPECT_NE(m_out.str().find("differential: 7 invokes compared, 5 differences"), std::string::npos) << m_out.str();
}

TEST_F(Differential, ResultDifferenceIsReported) {
  auto a = runtime::make_interp_backend();
  SkewBackend b(Skew::Result);
  const SpecSummary s = run(*a, b);
  // add, nan, sum and g twice; the skewed results also fail their expectations.
  EXPECT_EQ(s.differences, 5u) << m_out.str();
  EXPECT_EQ(s.failed, 5u) << m_out.str();
  EXPECT_NE(m_out.str().find("[skewed] line"), std::string::npos) << m_out.str();
}

TEST_F(Differential, StartFunctionGasDifferenceIsReported) {
  auto a = runtime::make_interp_backend();
  SkewBackend b(Skew::StartGas);
  const SpecSummary s = run(*a, b);
  EXPECT_EQ(s.differences, 1u) << m_out.str();
  EXPECT_EQ(s.failed, 1u) << m_out.str();
  EXPECT_NE(m_out.str().find("module differential:"), std::string::npos) << m_out.str();
}

TEST(CompareInvocations, NanBitsCompareExactlyAndFuncrefsByNullness) {
  Invocation x;
  x.what = "invoke \"f\" ()";
  x.types = {wasm::ValType::F32, wasm::ValType::FuncRef};
  x.values = {runtime::Value{0x7fc00000}, runtime::Value{0x1000}};
  Invocation y = x;
  y.values[1].bits = 0x2000;        // another function: same nullness
  y.values[0].bits |= 0xdead0000'00000000ull;  // outside the f32
  std::vector<std::string> diffs;
  uint64_t compared = 0;
  compare_invocations({x}, "a", {y}, "b", diffs, compared);
  EXPECT_TRUE(diffs.empty());
  EXPECT_EQ(compared, 1u);
  y.values[0].bits = 0xffc00000;  // the other sign of NaN
  compare_invocations({x}, "a", {y}, "b", diffs, compared);
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_NE(diffs[0].find("a returned (f32:"), std::string::npos) << diffs[0];
}

TEST_F(Differential, PrecompileCompilesEachDistinctModuleOnce) {
  const std::string json_path = m_dir->path() + "/calls.json";
  ASSERT_TRUE(run_wast2json("wast2json", m_dir->path() + "/calls.wast", json_path).ok());
  std::ifstream in(json_path);
  const nlohmann::json script = nlohmann::json::parse(in);
  auto interp = runtime::make_interp_backend();
  const PrecompiledModules pre = precompile_modules(script, m_dir->path(), *interp, spec_limits(), 2);
  EXPECT_EQ(pre.size(), 2u);
  for (const auto& [bytes, compiled] : pre) EXPECT_TRUE(compiled.ok());
}

}  // namespace
}  // namespace ward::spectest
