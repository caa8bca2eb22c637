// The libclang pass of `ward build`: which functions become methods, their
// ABI types, and the source rules (no throw/try/thread_local, supported
// types only), each with a precise message. Sources are built with
// build_contract(), which stops at the parse step on a rule.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "build/build.h"
#include "build/dispatch_gen.h"

namespace ward::build {
namespace {
namespace fs = std::filesystem;

const std::string k_root = WARD_TEST_SOURCE_DIR;

class ParseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "ward-parse-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    m_dir = templ;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }

  /// Builds `body` (after #include <ward/ward.h>) as c.cpp.
  Result<BuildOutput> build(const std::string& body) {
    fs::path p = m_dir / "c.cpp";
    std::ofstream(p) << "#include <ward/ward.h>\n" << body;
    BuildOptions o;
    o.source = p.string();
    o.output = (m_dir / "c.wasm").string();
    o.sdk_include_dir = k_root + "/sdk/cpp";
    o.optimize = false;
    return build_contract(o);
  }

  /// Expects the build to fail with a message holding every piece.
  void expect_error(const std::string& body, std::initializer_list<std::string> pieces) {
    auto r = build(body);
    ASSERT_FALSE(r.ok()) << body;
    for (const std::string& p : pieces) EXPECT_NE(r.error().message.find(p), std::string::npos) << r.error().message;
  }

  fs::path m_dir;
};

TEST_F(ParseTest, FindsTypedMethodsAndStructs) {
  auto r = build(
      "#include <optional>\n#include <vector>\n"
      "namespace shop { struct Item { uint32_t qty; std::string sku; }; }\n"
      "struct Order { ward::Address buyer; std::vector<shop::Item> items; std::optional<ward::Bytes> memo; };\n"
      "WARD_EXPORT ward::Result<uint64_t> Place(const Order& order, int64_t delta, bool urgent) {\n"
      "  return order.items.size() + delta + urgent; }\n"
      "WARD_VIEW ward::Hash Digest(ward::ObjectId id, uint8_t a, int16_t b) { return {}; }\n"
      "WARD_EXPORT void Nothing() {}\n"
      "WARD_METHOD(Raw) { ward::ret(1); }\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  const ContractModel& m = r->model;
  ASSERT_EQ(m.methods.size(), 4u);
  EXPECT_EQ(m.methods[0].name, "Place");
  EXPECT_EQ(m.methods[0].params.size(), 3u);
  EXPECT_EQ(m.methods[0].params[0].type, "Order");
  EXPECT_EQ(m.methods[0].params[1].type, "i64");
  EXPECT_EQ(m.methods[0].params[2].type, "bool");
  EXPECT_EQ(m.methods[0].returns, "u64");
  EXPECT_FALSE(m.methods[0].read_only);
  EXPECT_EQ(m.methods[1].params[0].type, "object_id");
  EXPECT_EQ(m.methods[1].params[1].type, "u8");
  EXPECT_EQ(m.methods[1].params[2].type, "i16");
  EXPECT_EQ(m.methods[1].returns, "hash");
  EXPECT_TRUE(m.methods[1].read_only);
  EXPECT_EQ(m.methods[2].returns, "void");
  EXPECT_TRUE(m.methods[3].raw);
  ASSERT_EQ(m.structs.size(), 2u);
  EXPECT_EQ(m.structs[0].name, "Order");
  EXPECT_EQ(m.structs[0].fields[1].type, "shop::Item[]");
  EXPECT_EQ(m.structs[0].fields[2].type, "bytes?");
  EXPECT_EQ(m.structs[1].cpp_name, "::shop::Item");
}

TEST_F(ParseTest, RejectsThrow) {
  expect_error("WARD_EXPORT int A(int x) {\n  if (x) throw 1;\n  return 0; }\n",
               {"c.cpp:3:", "`throw` is not allowed", "ward::Error"});
}

TEST_F(ParseTest, RejectsTry) {
  expect_error("WARD_EXPORT int A() {\n  try { return 1; } catch (...) { return 0; }\n}\n",
               {"c.cpp:3:", "`try` is not allowed"});
}

TEST_F(ParseTest, RejectsThreadLocal) {
  expect_error("thread_local int counter;\nWARD_EXPORT int A() { return counter; }\n",
               {"c.cpp:2:", "`thread_local` is not allowed", "single-threaded"});
}

TEST_F(ParseTest, RejectsNoExportedFunction) {
  expect_error("int helper() { return 1; }\n", {"exports no methods", "WARD_EXPORT"});
}

TEST_F(ParseTest, RejectsUnsupportedTypes) {
  expect_error("WARD_EXPORT int A(double x) { return 0; }\n",
               {"c.cpp:2:", "method A, parameter 'x': type double is not supported", "floating point"});
  expect_error("WARD_EXPORT int A(const char* s) { return 0; }\n", {"parameter 's'", "not supported"});
  expect_error("WARD_EXPORT int A(std::string_view s) { return 0; }\n", {"use std::string"});
  expect_error("struct P { int x; private: int y; };\nWARD_EXPORT P A() { return {}; }\n",
               {"method A, result", "must be public"});
  expect_error("struct P { float f; };\nWARD_EXPORT int A(P p) { return 0; }\n", {"struct P, field 'f'"});
}

TEST_F(ParseTest, RejectsUnnamedParameterAndDuplicates) {
  expect_error("WARD_EXPORT int A(int) { return 0; }\n", {"parameter 1 has no name"});
  expect_error("WARD_EXPORT int A() { return 0; }\nWARD_METHOD(A) {}\n", {"method A is defined twice"});
  expect_error("WARD_EXPORT int _start() { return 0; }\n", {"reserved"});
  expect_error("struct S { WARD_EXPORT int M() { return 0; } };\n", {"only free, non-template functions"});
}

TEST_F(ParseTest, CompileErrorsAreTheCompilers) {
  expect_error("WARD_EXPORT int A() { return nope; }\n",
               {"compilation failed", "c.cpp:2:", "use of undeclared identifier 'nope'"});
}

TEST(DispatchGen, WrapsTypedMethods) {
  ContractModel m;
  MethodInfo t;
  t.name = "Transfer";
  t.cpp_name = "::Transfer";
  t.params = {{"to", "address"}, {"amount", "u64"}};
  t.returns = "bool";
  MethodInfo v;
  v.name = "Get";
  v.cpp_name = "::ns::Get";
  v.read_only = true;
  MethodInfo raw;
  raw.name = "Raw";
  raw.raw = true;
  m.methods = {t, v, raw};
  std::string code = generate_dispatch(m);
  EXPECT_NE(code.find("extern \"C\" WARD_EXPORT_NAME(\"Transfer\") void ward_dispatch_Transfer()"), std::string::npos)
      << code;
  EXPECT_NE(code.find("const ::ward::abi::Input in(\"Transfer\", {\"to\", \"amount\"});"), std::string::npos) << code;
  EXPECT_NE(code.find("::ward::abi::arg<::ward::abi::param_t<F, 1>>(in, \"amount\", 1)"), std::string::npos) << code;
  EXPECT_NE(code.find("::ward::abi::begin_view(\"Get\");"), std::string::npos) << code;
  EXPECT_EQ(code.find("ward_dispatch_Raw"), std::string::npos) << code;
  std::string unit = generate_unit("int x;", "dir/my \"c\".cpp", m, "c.dispatch.cpp");
  EXPECT_TRUE(unit.starts_with("#line 1 \"dir/my \\\"c\\\".cpp\"\nint x;\n#line 1 \"c.dispatch.cpp\"\n")) << unit;
  EXPECT_NE(code.find("::ward::abi::invoke([&] { return ::Transfer(std::move(a0), std::move(a1)); });"),
            std::string::npos)
      << code;
}

}  // namespace
}  // namespace ward::build
