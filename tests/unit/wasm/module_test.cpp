// Unit tests of load_module: pre-scan limits, libwabt validation, translation.
#include <chrono>

#include <gtest/gtest.h>

#include "runtime/limits.h"
#include "wasm/module.h"
#include "wasm_builder.h"

namespace ward::wasm {
namespace {

using namespace ward::wasm::test;

runtime::Limits defaults() { return runtime::Limits{}; }

Result<std::shared_ptr<const Module>> load(const Bytes& b, const runtime::Limits& l = defaults()) {
  return load_module(b, l);
}

std::string error_of(const Bytes& b, const runtime::Limits& l = defaults()) {
  auto r = load(b, l);
  return r ? std::string("<loaded>") : r.error().message;
}

/// (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add)
ModuleBuilder add_module() {
  ModuleBuilder m;
  m.types.push_back({{I32, I32}, {I32}});
  m.funcs.push_back({0, {}, {0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B}});
  m.exports.push_back({"add", 0x00, 0});
  return m;
}

/// A function whose body is `depth` nested empty blocks.
Bytes nested_module(uint32_t depth) {
  ModuleBuilder m;
  m.types.push_back({{}, {}});
  FuncDef f;
  f.code.reserve(depth * 3 + 1);
  for (uint32_t i = 0; i < depth; ++i) f.code.insert(f.code.end(), {0x02, 0x40});
  f.code.insert(f.code.end(), depth, 0x0B);
  f.code.push_back(0x0B);
  m.funcs.push_back(std::move(f));
  return m.build();
}

TEST(LoadModule, LoadsASimpleModule) {
  const Bytes b = add_module().build();
  auto r = load(b);
  ASSERT_TRUE(r) << r.error().message;
  const Module& m = **r;
  ASSERT_EQ(m.types.size(), 1u);
  EXPECT_EQ(to_string(m.types[0]), "(i32, i32) -> (i32)");
  ASSERT_EQ(m.functions.size(), 1u);
  EXPECT_EQ(m.num_funcs(), 1u);
  EXPECT_EQ(m.func_type_indices, (std::vector<uint32_t>{0}));
  const Bytes code = {0x20, 0x00, 0x20, 0x01, 0x6A, 0x0B};
  EXPECT_EQ(m.functions[0].body_offset, find(b, code));
  EXPECT_EQ(m.functions[0].body_size, code.size());
  auto body = m.body(0);
  EXPECT_TRUE(std::equal(body.begin(), body.end(), code.begin(), code.end()));
  ASSERT_NE(m.find_export("add", ExternKind::Func), nullptr);
  EXPECT_EQ(m.find_export("add", ExternKind::Memory), nullptr);
  EXPECT_FALSE(m.uses_floats);
}

TEST(LoadModule, RecordsImportsLocalsAndData) {
  ModuleBuilder m;
  m.types.push_back({{I32}, {}});
  m.types.push_back({{}, {}});
  m.imports.push_back({"ward_v1", "sender", 0});
  m.funcs.push_back({1, {{2, I64}, {1, I32}}, {0x0B}});
  m.memory_pages = 1;
  m.exports.push_back({"memory", 0x02, 0});
  m.datas.push_back({16, {'h', 'i', '!'}});
  const Bytes b = m.build();
  auto r = load(b);
  ASSERT_TRUE(r) << r.error().message;
  const Module& mod = **r;
  EXPECT_EQ(mod.num_imported_funcs, 1u);
  ASSERT_EQ(mod.imports.size(), 1u);
  EXPECT_EQ(mod.imports[0].module, "ward_v1");
  EXPECT_EQ(mod.imports[0].field, "sender");
  EXPECT_EQ(mod.func_type_indices, (std::vector<uint32_t>{0, 1}));
  EXPECT_EQ(mod.functions[0].locals, (std::vector<ValType>{ValType::I64, ValType::I64, ValType::I32}));
  ASSERT_EQ(mod.memories.size(), 1u);
  EXPECT_EQ(mod.memories[0].limits.min, 1u);
  ASSERT_EQ(mod.datas.size(), 1u);
  EXPECT_EQ(mod.datas[0].mode, SegmentMode::Active);
  EXPECT_EQ(mod.datas[0].offset.kind, ConstExpr::Kind::I32Const);
  EXPECT_EQ(mod.datas[0].offset.bits, 16u);
  EXPECT_EQ(mod.datas[0].data_size, 3u);
  EXPECT_EQ(mod.datas[0].data_offset, find(b, {'h', 'i', '!'}));
}

TEST(LoadModule, DetectsFloats) {
  ModuleBuilder m;
  m.types.push_back({{}, {}});
  m.funcs.push_back({0, {}, {0x43, 0, 0, 0, 0, 0x1A, 0x0B}});  // f32.const 0; drop
  auto r = load(m.build());
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE((*r)->uses_floats);
}

TEST(LoadModule, RejectsBadHeader) {
  EXPECT_NE(error_of({0x00, 0x61, 0x73}).find("magic"), std::string::npos);
  EXPECT_NE(error_of({0x00, 0x61, 0x73, 0x6D, 0x02, 0, 0, 0}).find("version"), std::string::npos);
}

TEST(LoadModule, RejectsTruncatedModuleWithOffset) {
  Bytes b = add_module().build();
  b.resize(b.size() - 3);
  const std::string e = error_of(b);
  EXPECT_NE(e.find("malformed module"), std::string::npos) << e;
  EXPECT_NE(e.find("offset 0x"), std::string::npos) << e;
}

TEST(LoadModule, RejectsInvalidModuleWithFunctionAndOffset) {
  ModuleBuilder m;
  m.types.push_back({{I32}, {I32}});
  m.funcs.push_back({0, {}, {0x20, 0x00, 0x6A, 0x0B}});  // i32.add with one operand
  const Bytes b = m.build();
  const std::string e = error_of(b);
  EXPECT_EQ(e.rfind("invalid module: function 0 at offset 0x", 0), 0u) << e;
  EXPECT_NE(e.find("i32.add"), std::string::npos) << e;
}

TEST(LoadModule, RejectsSimdByName) {
  ModuleBuilder m;
  m.types.push_back({{}, {}});
  m.funcs.push_back({0, {}, {0xFD, 0x0C, 0x0B}});
  const std::string e = error_of(m.build());
  EXPECT_NE(e.find("function 0: unsupported opcode 0xfd (SIMD) at offset 0x"), std::string::npos) << e;
}

TEST(LoadModule, ModuleSizeLimit) {
  runtime::Limits l;
  l.max_module_bytes = 20;
  const Bytes b = add_module().build();
  EXPECT_EQ(error_of(b, l), "module size " + std::to_string(b.size()) + " bytes exceeds max_module_bytes (20)");
}

TEST(LoadModule, BlockDepthLimit) {
  ASSERT_TRUE(load(nested_module(1024))) << error_of(nested_module(1024));
  EXPECT_EQ(error_of(nested_module(1025)), "function 0: block nesting depth 1025 exceeds max_block_depth (1024)");
}

TEST(LoadModule, MillionDeepNestingIsRejectedQuickly) {
  const Bytes b = nested_module(1'000'000);
  runtime::Limits generous;  // let the depth guard, not the size limits, reject it
  generous.max_module_bytes = 8u << 20;
  generous.max_function_body_bytes = 8u << 20;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(error_of(b, generous), "function 0: block nesting depth 1025 exceeds max_block_depth (1024)");
  // With default limits the body size alone rejects it.
  EXPECT_NE(error_of(b).find("exceeds max_function_body_bytes"), std::string::npos);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(2));
}

TEST(LoadModule, LocalsLimit) {
  ModuleBuilder m;
  m.types.push_back({{I32, I32}, {}});
  m.funcs.push_back({0, {{49998, I64}}, {0x0B}});
  ASSERT_TRUE(load(m.build())) << error_of(m.build());
  m.funcs[0].locals = {{49999, I64}};
  EXPECT_EQ(error_of(m.build()), "function 0: 50001 locals (params + declared) exceeds max_locals_per_function (50000)");
  // Counts whose u32 sum overflows must not wrap around.
  m.funcs[0].locals = {{0xFFFFFFFFu, I32}, {0xFFFFFFFFu, I32}, {2, I32}};
  const std::string e = error_of(m.build());
  EXPECT_NE(e.find("exceeds max_locals_per_function"), std::string::npos) << e;
}

TEST(LoadModule, BodySizeAndCountLimits) {
  runtime::Limits l;
  l.max_function_body_bytes = 4;
  EXPECT_EQ(error_of(add_module().build(), l), "function 0: body size 7 bytes exceeds max_function_body_bytes (4)");
  l = {};
  l.max_types = 0;
  EXPECT_EQ(error_of(add_module().build(), l), "type count 1 exceeds max_types (0)");
  l = {};
  l.max_exports = 0;
  EXPECT_EQ(error_of(add_module().build(), l), "export count 1 exceeds max_exports (0)");
  l = {};
  l.max_functions = 0;
  EXPECT_EQ(error_of(add_module().build(), l),
            "function count (imported + defined) 1 exceeds max_functions (0)");
}

TEST(LoadModule, BrTableTargetLimit) {
  ModuleBuilder m;
  m.types.push_back({{}, {}});
  // block; i32.const 0; br_table 0 0 0 (default 0); end; end
  m.funcs.push_back({0, {}, {0x02, 0x40, 0x41, 0x00, 0x0E, 0x03, 0x00, 0x00, 0x00, 0x00, 0x0B, 0x0B}});
  ASSERT_TRUE(load(m.build())) << error_of(m.build());
  runtime::Limits l;
  l.max_br_table_targets = 2;
  const std::string e = error_of(m.build(), l);
  EXPECT_NE(e.find("has 3 targets, exceeds max_br_table_targets (2)"), std::string::npos) << e;
}

TEST(LoadModule, DataBytesLimit) {
  ModuleBuilder m;
  m.memory_pages = 1;
  m.datas.push_back({0, Bytes(100, 7)});
  m.datas.push_back({200, Bytes(100, 7)});
  runtime::Limits l;
  l.max_data_bytes = 150;
  EXPECT_EQ(error_of(m.build(), l), "total data segment size (bytes) 200 exceeds max_data_bytes (150)");
}

TEST(LoadModule, ChecksCustomSectionNames) {
  Bytes b = add_module().build();
  Bytes good = b;
  ModuleBuilder::section(good, 0, {0x04, 'n', 'o', 't', 'e', 0x01, 0x02});
  EXPECT_TRUE(load(good)) << error_of(good);
  Bytes bad_utf8 = b;
  ModuleBuilder::section(bad_utf8, 0, {0x02, 0xC0, 0x80});  // overlong encoding of U+0000
  EXPECT_NE(error_of(bad_utf8).find("not valid UTF-8"), std::string::npos) << error_of(bad_utf8);
  Bytes empty = b;
  ModuleBuilder::section(empty, 0, {});
  EXPECT_NE(error_of(empty).find("malformed module"), std::string::npos) << error_of(empty);
}

TEST(LoadModule, LargeMemoryDeclarationsLoad) {
  ModuleBuilder m;
  m.memory_pages = 65536;  // above max_memory_pages: clamped at instantiation, not rejected here
  EXPECT_TRUE(load(m.build())) << error_of(m.build());
}

}  // namespace
}  // namespace ward::wasm
