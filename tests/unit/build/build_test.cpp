// Builds the example contracts and small sources with build_contract().
#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include "build/build.h"
#include "build/wasm_interface.h"

namespace ward::build {
namespace {
namespace fs = std::filesystem;

const std::string k_root = WARD_TEST_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class BuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "ward-build-test-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    m_dir = templ;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }

  BuildOptions options(const std::string& source, const std::string& out_name) const {
    BuildOptions o;
    o.source = source;
    o.output = (m_dir / out_name).string();
    o.sdk_include_dir = k_root + "/sdk/cpp";
    return o;
  }

  std::string write_source(const std::string& name, const std::string& text) const {
    fs::path p = m_dir / name;
    std::ofstream(p) << text;
    return p.string();
  }

  /// Builds an example and checks everything a deployable contract needs.
  void check_example(const std::string& name, const std::vector<std::string>& methods) {
    std::vector<std::string> steps;
    BuildOptions o = options(k_root + "/examples/" + name + "/" + name + ".cpp", name + ".wasm");
    o.progress = [&](std::string_view s) { steps.emplace_back(s); };
    auto r = build_contract(o);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->methods, methods);
    EXPECT_FALSE(steps.empty());
    EXPECT_EQ(r->abi_path, (m_dir / (name + ".abi.json")).string());

    std::string bytes = slurp(r->output_path);
    ASSERT_GE(bytes.size(), 8u);
    EXPECT_EQ(bytes.substr(0, 4), std::string("\0asm", 4));
    EXPECT_EQ(bytes.size(), r->module_size);

    auto iface = read_module_interface({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
    ASSERT_TRUE(iface.ok()) << iface.error().message;
    for (const auto& imp : iface->imports) {
      EXPECT_TRUE(imp.module == "ward_v1" || imp.module == "wasi_snapshot_preview1")
          << imp.module << "." << imp.name;
    }
    std::vector<std::string> exported;
    for (const auto& ex : iface->exports) exported.push_back(ex.name);
    std::vector<std::string> expected = {"memory", "_initialize"};
    expected.insert(expected.end(), methods.begin(), methods.end());
    std::sort(exported.begin(), exported.end());
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(exported, expected);

    std::string abi = slurp(r->abi_path);
    EXPECT_NE(abi.find("\"abi_version\": 1"), std::string::npos) << abi;
    for (const auto& m : methods) EXPECT_NE(abi.find("{\"name\": \"" + m + "\", "), std::string::npos) << abi;
    m_abi = abi;
    m_model = r->model;
  }

  /// The method `name` of the last check_example().
  const MethodInfo* method(const std::string& name) const {
    for (const MethodInfo& m : m_model.methods) {
      if (m.name == name) return &m;
    }
    return nullptr;
  }

  std::string m_abi;
  ContractModel m_model;

  fs::path m_dir;
};

TEST_F(BuildTest, BuildsTokenExample) {
  check_example("token", {"Initialize", "CreateAccount", "Transfer", "GetBalance", "AccountOf", "TotalSupply"});
  EXPECT_NE(m_abi.find("{\"name\": \"Transfer\", \"params\": [{\"name\": \"to\", \"type\": \"address\"}, "
                       "{\"name\": \"amount\", \"type\": \"u64\"}], \"returns\": \"bool\", \"readonly\": false, "
                       "\"payable\": false}"),
            std::string::npos)
      << m_abi;
  EXPECT_NE(m_abi.find("{\"name\": \"GetBalance\", \"params\": [{\"name\": \"owner\", \"type\": \"address\"}], "
                       "\"returns\": \"u64\", \"readonly\": true, \"payable\": false}"),
            std::string::npos)
      << m_abi;
  ASSERT_NE(method("CreateAccount"), nullptr);
  EXPECT_EQ(method("CreateAccount")->returns, "object_id");
  EXPECT_EQ(method("AccountOf")->returns, "object_id?");
}

TEST_F(BuildTest, BuildsRawCounterExample) {
  check_example("counter", {"Increment", "Get", "Reset"});
  EXPECT_NE(m_abi.find("{\"name\": \"Increment\", \"raw\": true, \"readonly\": false, \"payable\": true}"), std::string::npos) << m_abi;
}

TEST_F(BuildTest, BuildsRegistryExample) {
  check_example("registry", {"Register", "Release", "Resolve", "Lookup", "Names", "Home"});
  EXPECT_EQ(method("Register")->returns, "void");
  EXPECT_EQ(method("Resolve")->returns, "address?");
  EXPECT_EQ(method("Lookup")->params.at(0).type, "string[]");
  EXPECT_EQ(method("Lookup")->returns, "Entry[]");
  EXPECT_EQ(method("Names")->params.at(1).type, "u32?");
  EXPECT_NE(m_abi.find("{\"name\": \"Entry\", \"fields\": [{\"name\": \"name\", \"type\": \"string\"}, "
                       "{\"name\": \"address\", \"type\": \"address?\"}]}"),
            std::string::npos)
      << m_abi;
}

TEST_F(BuildTest, BuildsEscrowExample) {
  check_example("escrow", {"Open", "Settle", "Refund", "GetDeal", "TokensHeld"});
  EXPECT_EQ(method("GetDeal")->returns, "Deal");
  EXPECT_TRUE(method("GetDeal")->read_only);
  EXPECT_FALSE(method("Settle")->read_only);
  ASSERT_EQ(m_model.structs.size(), 1u);
  EXPECT_EQ(m_model.structs[0].fields.size(), 6u);
}

TEST_F(BuildTest, BuildsUpgradeableCounterVersions) {
  BuildOptions o1 = options(k_root + "/examples/upgradeable_counter/counter_v1.cpp", "v1.wasm");
  BuildOptions o2 = options(k_root + "/examples/upgradeable_counter/counter_v2.cpp", "v2.wasm");
  auto v1 = build_contract(o1);
  auto v2 = build_contract(o2);
  ASSERT_TRUE(v1.ok()) << v1.error().message;
  ASSERT_TRUE(v2.ok()) << v2.error().message;
  EXPECT_EQ(v1->methods, (std::vector<std::string>{"Increment", "Get", "Version"}));
  EXPECT_EQ(v2->methods, (std::vector<std::string>{"Migrate", "Increment", "Decrement", "Get", "Version"}));
  EXPECT_EQ(v1->model.methods[0].params.at(0).type, "u64?");
}

TEST_F(BuildTest, BuildIsDeterministic) {
  std::string src = k_root + "/examples/escrow/escrow.cpp";
  auto a = build_contract(options(src, "a/token.wasm"));
  auto b = build_contract(options(src, "b/token.wasm"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(slurp(a->output_path), slurp(b->output_path));
  EXPECT_EQ(slurp(a->abi_path), slurp(b->abi_path));
}

TEST_F(BuildTest, BuildsWithoutOptimisation) {
  BuildOptions o = options(k_root + "/examples/counter/counter.cpp", "counter.wasm");
  o.optimize = false;
  auto r = build_contract(o);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->methods, (std::vector<std::string>{"Increment", "Get", "Reset"}));
}

TEST_F(BuildTest, RejectsThreadHeaderNamingIt) {
  std::string src = write_source("bad.cpp", "#include <ward/ward.h>\n#include <thread>\nWARD_METHOD(A) {}\n");
  auto r = build_contract(options(src, "bad.wasm"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("<thread>"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find(":2:"), std::string::npos) << r.error().message;
  EXPECT_FALSE(fs::exists(m_dir / "bad.wasm"));
}

TEST_F(BuildTest, ReportsCompilerErrorVerbatim) {
  std::string src = write_source("syntax.cpp", "#include <ward/ward.h>\nWARD_METHOD(A) { int x = ; }\n");
  auto r = build_contract(options(src, "syntax.wasm"));
  ASSERT_FALSE(r.ok());
  const std::string& msg = r.error().message;
  EXPECT_NE(msg.find("compilation failed"), std::string::npos) << msg;
  EXPECT_NE(msg.find("syntax.cpp:2:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("expected expression"), std::string::npos) << msg;
}

TEST_F(BuildTest, RejectsMissingSource) {
  auto r = build_contract(options((m_dir / "nope.cpp").string(), "x.wasm"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no such file"), std::string::npos) << r.error().message;
}

TEST_F(BuildTest, RejectsMissingSdk) {
  BuildOptions o = options(k_root + "/examples/counter/counter.cpp", "c.wasm");
  o.sdk_include_dir = m_dir.string();
  auto r = build_contract(o);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("ward/ward.h"), std::string::npos) << r.error().message;
}

TEST_F(BuildTest, RejectsMethodWithParameters) {
  std::string src = write_source("sig.cpp",
                                 "#include <ward/ward.h>\n"
                                 "WARD_EXPORT int One() { return 1; }\n"
                                 "extern \"C\" __attribute__((export_name(\"Add\"))) int add(int a, int b) "
                                 "{ return a + b; }\n");
  auto r = build_contract(options(src, "sig.wasm"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("\"Add\" has type (i32, i32) -> (i32)"), std::string::npos)
      << r.error().message;
}

TEST_F(BuildTest, RejectsImportOutsideTheAbi) {
  std::string src = write_source("imp.cpp",
                                 "#include <ward/ward.h>\n"
                                 "extern \"C\" __attribute__((import_module(\"env\"), import_name(\"evil\"))) "
                                 "void evil();\n"
                                 "WARD_METHOD(A) { evil(); }\n");
  auto r = build_contract(options(src, "imp.wasm"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("env.evil"), std::string::npos) << r.error().message;
}

TEST_F(BuildTest, RejectsContractWithoutMethods) {
  std::string src = write_source("empty.cpp", "#include <ward/ward.h>\nint helper() { return 1; }\n");
  auto r = build_contract(options(src, "empty.wasm"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("exports no methods"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("WARD_EXPORT"), std::string::npos) << r.error().message;
}

TEST(BuildPaths, AbiPathAndJson) {
  EXPECT_EQ(abi_path_for("out/token.wasm"), "out/token.abi.json");
  EXPECT_EQ(abi_path_for("token.bin"), "token.bin.abi.json");
  ContractModel m;
  MethodInfo a;
  a.name = "A";
  a.params = {{"to", "address"}, {"p", "P"}};
  a.returns = "u64";
  a.read_only = true;
  MethodInfo b;
  b.name = "B";
  b.raw = true;
  m.methods = {a, b};
  m.structs = {{"P", "::P", {{"x", "i32"}}}};
  EXPECT_EQ(abi_json(m),
            "{\n  \"abi_version\": 1,\n  \"methods\": [\n"
            "    {\"name\": \"A\", \"params\": [{\"name\": \"to\", \"type\": \"address\"}, {\"name\": \"p\", \"type\": "
            "\"P\"}], \"returns\": \"u64\", \"readonly\": true, \"payable\": false},\n"
            "    {\"name\": \"B\", \"raw\": true, \"readonly\": false, \"payable\": true}\n  ],\n"
            "  \"types\": [\n    {\"name\": \"P\", \"fields\": [{\"name\": \"x\", \"type\": \"i32\"}]}\n  ]\n}\n");
  EXPECT_EQ(abi_json({}), "{\n  \"abi_version\": 1,\n  \"methods\": [],\n  \"types\": []\n}\n");
  EXPECT_EQ(method_signature(a), "A(to: address, p: P) -> u64  [view]");
}

TEST(BuildPaths, DefaultSdkIncludeDir) {
  std::string dir = default_sdk_include_dir("");
  ASSERT_FALSE(dir.empty());
  EXPECT_TRUE(fs::exists(fs::path(dir) / "ward" / "ward.h"));
  // A build tree layout: <root>/build/bin/ward -> <root>/sdk/cpp.
  EXPECT_EQ(default_sdk_include_dir(k_root + "/build-x/bin/ward"), fs::weakly_canonical(k_root + "/sdk/cpp").string());
}

TEST(BuildPaths, MissingToolIsNamed) {
  const char* old = std::getenv("PATH");
  std::string saved = old ? old : "";
  ::setenv("PATH", "/nonexistent-dir", 1);
  BuildOptions o;
  auto t = find_toolchain(o);
  ::setenv("PATH", saved.c_str(), 1);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("clang-14"), std::string::npos) << t.error().message;
  EXPECT_NE(t.error().message.find("Debian package"), std::string::npos) << t.error().message;
}

}  // namespace
}  // namespace ward::build
