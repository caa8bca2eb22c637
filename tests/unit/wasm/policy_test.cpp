// Unit tests of check_policy.
#include <gtest/gtest.h>

#include "runtime/limits.h"
#include "wasm/policy.h"
#include "wasm_builder.h"

namespace ward::wasm {
namespace {

using namespace ward::wasm::test;

const ImportSpec kAllowed[] = {
    {"ward_v1", "log", FuncType{{ValType::I32, ValType::I32, ValType::I32, ValType::I32}, {}}},
    {"ward_v1", "input_size", FuncType{{}, {ValType::I32}}},
};

std::shared_ptr<const Module> load(const ModuleBuilder& m) {
  auto r = load_module(m.build(), runtime::Limits{});
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : nullptr;
}

ModuleBuilder importing(const std::string& module, const std::string& field, TypeDef type, bool memory) {
  ModuleBuilder m;
  m.types.push_back(std::move(type));
  m.imports.push_back({module, field, 0});
  if (memory) {
    m.memory_pages = 1;
    m.exports.push_back({"memory", 0x02, 0});
  }
  return m;
}

TEST(Policy, AcceptsAllowedImport) {
  auto m = load(importing("ward_v1", "log", {{I32, I32, I32, I32}, {}}, true));
  ASSERT_TRUE(m);
  auto r = check_policy(*m, kAllowed, FloatPolicy::Deny);
  EXPECT_TRUE(r) << r.error().message;
}

TEST(Policy, AcceptsModuleWithoutImports) {
  ModuleBuilder b;
  b.types.push_back({{}, {}});
  b.funcs.push_back({0, {}, {0x0B}});
  auto m = load(b);
  ASSERT_TRUE(m);
  EXPECT_TRUE(check_policy(*m, kAllowed, FloatPolicy::Deny));
}

TEST(Policy, RejectsUnknownImport) {
  auto m = load(importing("env", "foo", {{}, {}}, true));
  ASSERT_TRUE(m);
  auto r = check_policy(*m, kAllowed, FloatPolicy::Allow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "import \"env\".\"foo\" is not a host function of Ward");
}

TEST(Policy, RejectsWrongImportType) {
  auto m = load(importing("ward_v1", "log", {{I32}, {}}, true));
  ASSERT_TRUE(m);
  auto r = check_policy(*m, kAllowed, FloatPolicy::Allow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "import \"ward_v1\".\"log\" has type (i32) -> () but the host ABI defines (i32, i32, i32, i32) -> ()");
}

TEST(Policy, RequiresMemoryExportForHostAbi) {
  auto m = load(importing("ward_v1", "input_size", {{}, {I32}}, false));
  ASSERT_TRUE(m);
  auto r = check_policy(*m, kAllowed, FloatPolicy::Allow);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message, "contract imports the host ABI but exports no memory named \"memory\"");
}

TEST(Policy, FloatPolicy) {
  ModuleBuilder b;
  b.types.push_back({{}, {}});
  b.funcs.push_back({0, {}, {0x0B}});
  b.funcs.push_back({0, {}, {0x44, 0, 0, 0, 0, 0, 0, 0, 0, 0x1A, 0x0B}});  // f64.const 0; drop
  auto m = load(b);
  ASSERT_TRUE(m);
  EXPECT_TRUE(check_policy(*m, kAllowed, FloatPolicy::Allow));
  auto r = check_policy(*m, kAllowed, FloatPolicy::Deny);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("function 1 uses floating point"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("f64.const"), std::string::npos) << r.error().message;

  ModuleBuilder locals;
  locals.types.push_back({{}, {}});
  locals.funcs.push_back({0, {{1, F32}}, {0x0B}});
  auto lm = load(locals);
  ASSERT_TRUE(lm);
  auto lr = check_policy(*lm, kAllowed, FloatPolicy::Deny);
  ASSERT_FALSE(lr);
  EXPECT_NE(lr.error().message.find("function 0 declares a local of type f32"), std::string::npos);
}

}  // namespace
}  // namespace ward::wasm
