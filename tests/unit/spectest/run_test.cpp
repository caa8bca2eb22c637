// End to end: small scripts written here, converted by wast2json and run on
// the interpreter through run_spec_tests.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "spectest/spectest.h"
#include "spectest/wast2json.h"

namespace ward::spectest {
namespace {

/// True when wast2json can be found in PATH.
bool have_wast2json() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (!dir.empty() && ::access((dir + "/wast2json").c_str(), X_OK) == 0) return true;
  }
  return false;
}

class SpecRun : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_wast2json()) GTEST_SKIP() << "wast2json (wabt) is not in PATH";
    Result<TempDir> dir = TempDir::create();
    ASSERT_TRUE(dir.ok()) << dir.error().message;
    m_dir = std::make_unique<TempDir>(std::move(*dir));
  }

  void write(const std::string& name, const std::string& text) {
    std::ofstream(m_dir->path() + "/" + name) << text;
  }

  SpecSummary run(std::vector<std::string> only = {}, std::string backend = "interp") {
    SpecOptions o;
    o.dir = m_dir->path();
    o.backend = std::move(backend);
    o.only = std::move(only);
    m_out.str("");
    return run_spec_tests(o, m_out);
  }

  std::unique_ptr<TempDir> m_dir;
  std::ostringstream m_out;
};

constexpr const char* kGoodScript = R"wast((module $M
  (func $print (import "spectest" "print"))
  (global (import "spectest" "global_i32") i32)
  (memory (import "spectest" "memory") 1 2)
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
  (func (export "nan") (result f32) (f32.div (f32.const 0) (f32.const 0)))
  (func (export "id64") (param f64) (result f64) (local.get 0))
  (func $rec (export "rec") (call $rec))
  (func (export "ext") (param externref) (result externref) (local.get 0))
  (func (export "print") (call $print))
  (global (export "g") i32 (i32.const 7))
)
(register "m" $M)
(module
  (func $add (import "m" "add") (param i32 i32) (result i32))
  (func (export "twice") (param i32) (result i32) (call $add (local.get 0) (local.get 0)))
)
(assert_return (invoke "twice" (i32.const 21)) (i32.const 42))
(assert_return (invoke $M "add" (i32.const -1) (i32.const 2)) (i32.const 1))
(assert_return (invoke $M "nan") (f32.const nan:canonical))
(assert_return (invoke $M "id64" (f64.const -0x1p-1074)) (f64.const -0x1p-1074))
(assert_return (invoke $M "ext" (ref.extern 0)) (ref.extern 0))
(assert_return (invoke $M "ext" (ref.null extern)) (ref.null extern))
(assert_trap (invoke $M "div" (i32.const 1) (i32.const 0)) "integer divide by zero")
(assert_exhaustion (invoke $M "rec") "call stack exhausted")
(assert_return (get $M "g") (i32.const 7))
(invoke $M "print")
(assert_invalid (module (func (result i32) (i64.const 0))) "type mismatch")
(assert_malformed (module binary "\00asm\02\00\00\00") "unknown binary version")
(assert_malformed (module quote "(func (i32.const))") "unexpected token")
(assert_unlinkable (module (import "spectest" "nope" (func))) "unknown import")
(assert_unlinkable (module (import "m" "add" (func (param i64)))) "incompatible import type")
(assert_trap (module (func $f unreachable) (start $f)) "unreachable")
)wast";
constexpr uint64_t kGoodAssertions = 16;

TEST_F(SpecRun, PassingScript) {
  write("good.wast", kGoodScript);
  SpecSummary s = run();
  EXPECT_EQ(s.failed, 0u) << m_out.str();
  EXPECT_EQ(s.passed, kGoodAssertions) << m_out.str();
  EXPECT_EQ(s.skipped, 0u);
  EXPECT_NE(m_out.str().find("good.wast: 16 passed, 0 failed\n"), std::string::npos) << m_out.str();
  EXPECT_NE(m_out.str().find("spec: 16 passed, 0 failed, 0 skipped\n"), std::string::npos) << m_out.str();
}

TEST_F(SpecRun, FailuresAreCountedAndExplained) {
  write("bad.wast", R"wast((module (func (export "one") (result i32) (i32.const 1)) (func (export "boom") unreachable))
(assert_return (invoke "one") (i32.const 2))
(assert_trap (invoke "one") "unreachable")
(assert_return (invoke "one") (i32.const 1))
(assert_return (invoke "boom"))
)wast");
  SpecSummary s = run();
  EXPECT_EQ(s.passed, 1u) << m_out.str();
  EXPECT_EQ(s.failed, 3u) << m_out.str();
  const std::string out = m_out.str();
  EXPECT_NE(out.find("line 2: assert_return invoke \"one\" (): expected (i32:2), got (i32:1)"), std::string::npos)
      << out;
  EXPECT_NE(out.find("line 3: assert_trap"), std::string::npos) << out;
  EXPECT_NE(out.find("line 5: assert_return invoke \"boom\" (): trap \"unreachable\""), std::string::npos) << out;
}

TEST_F(SpecRun, FailedModuleFailsItsCommands) {
  write("nomod.wast", R"wast((module (import "nowhere" "g" (func)) (func (export "f")))
(assert_return (invoke "f"))
)wast");
  SpecSummary s = run();
  EXPECT_EQ(s.failed, 2u) << m_out.str();
}

TEST_F(SpecRun, SimdScriptsAndV128CommandsAreSkipped) {
  write("simd_x.wast", R"wast((module (func (export "f") (result v128) (v128.const i32x4 1 2 3 4)))
(assert_return (invoke "f") (v128.const i32x4 1 2 3 4))
(assert_return (invoke "f") (v128.const i32x4 1 2 3 4))
)wast");
  // Ward rejects SIMD modules (one failure); the v128 command is skipped, not failed.
  write("mixed.wast", R"wast((module $A (func (export "f") (param i32) (result i32) (local.get 0)))
(assert_return (invoke $A "f" (i32.const 1)) (i32.const 1))
(module $S (func (export "g") (result v128) (v128.const i64x2 0 0)))
(assert_return (invoke $S "g") (v128.const i32x4 0 0 0 0))
)wast");
  SpecSummary s = run();
  EXPECT_EQ(s.passed, 1u) << m_out.str();
  EXPECT_EQ(s.failed, 1u) << m_out.str();
  EXPECT_EQ(s.skipped, 3u) << m_out.str();
  EXPECT_NE(m_out.str().find("mixed.wast: 1 passed, 1 failed, 1 skipped"), std::string::npos) << m_out.str();
  EXPECT_NE(m_out.str().find("simd_x.wast: skipped (SIMD)"), std::string::npos) << m_out.str();
  // Files run in name order.
  EXPECT_LT(m_out.str().find("mixed.wast"), m_out.str().find("simd_x.wast"));
}

TEST_F(SpecRun, OnlyAndErrors) {
  write("a.wast", "(module (func (export \"f\") unreachable))\n(assert_return (invoke \"f\"))\n");
  write("b.wast", "(module (func (export \"f\")))\n(assert_return (invoke \"f\"))\n");
  write("broken.wast", "(module (func (i32.const)))\n");
  SpecSummary s = run({"b", "zzz"});
  EXPECT_EQ(s.passed, 1u) << m_out.str();
  EXPECT_EQ(s.failed, 1u) << "zzz does not exist\n" << m_out.str();
  s = run({"broken"});
  EXPECT_EQ(s.failed, 1u) << m_out.str();
  EXPECT_NE(m_out.str().find("broken.wast: failed (wast2json"), std::string::npos) << m_out.str();
  s = run({}, "nope");
  EXPECT_EQ(s.failed, 1u);
  EXPECT_EQ(s.passed, 0u);
}

TEST(SpecBackend, Names) {
  EXPECT_NE(make_backend("interp"), nullptr);
  EXPECT_EQ(make_backend("jit"), nullptr);
}

TEST(SpecLimits, RaisedDeployLimitsDefaultRunLimits) {
  runtime::Limits defaults;
  runtime::Limits l = spec_limits();
  EXPECT_EQ(l.max_memory_pages, 65536u);
  EXPECT_GE(l.max_table_elements, 10'000'000u);
  EXPECT_EQ(l.max_call_depth, defaults.max_call_depth);
  EXPECT_EQ(l.max_stack_slots, defaults.max_stack_slots);
}

}  // namespace
}  // namespace ward::spectest
