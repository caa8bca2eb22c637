// The tiny wasm interface reader and the import/export checks.
#include <gtest/gtest.h>

#include <vector>

#include "build/build.h"
#include "build/wasm_interface.h"

namespace ward::build {
namespace {

std::vector<uint8_t> name(const std::string& s) {
  std::vector<uint8_t> v;
  v.reserve(s.size() + 1);
  v.push_back(static_cast<uint8_t>(s.size()));
  for (char c : s) v.push_back(static_cast<uint8_t>(c));
  return v;
}

void append(std::vector<uint8_t>& out, const std::vector<uint8_t>& more) { out.insert(out.end(), more.begin(), more.end()); }

void section(std::vector<uint8_t>& m, uint8_t id, const std::vector<uint8_t>& body) {
  m.push_back(id);
  m.push_back(static_cast<uint8_t>(body.size()));
  append(m, body);
}

/// A module importing `imp_module.imp_name` () -> (), defining `Run` () -> ()
/// and `Add` (i32, i32) -> i32, exporting memory, Run and optionally Add.
std::vector<uint8_t> module(const std::string& imp_module, const std::string& imp_name, bool export_add) {
  std::vector<uint8_t> m = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  section(m, 1, {0x02, 0x60, 0x00, 0x00, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f});
  std::vector<uint8_t> imports = {0x01};
  append(imports, name(imp_module));
  append(imports, name(imp_name));
  append(imports, {0x00, 0x00});
  section(m, 2, imports);
  section(m, 3, {0x02, 0x00, 0x01});
  section(m, 5, {0x01, 0x00, 0x01});
  std::vector<uint8_t> exports = {static_cast<uint8_t>(export_add ? 3 : 2)};
  append(exports, name("memory"));
  append(exports, {0x02, 0x00});
  append(exports, name("Run"));
  append(exports, {0x00, 0x01});
  if (export_add) {
    append(exports, name("Add"));
    append(exports, {0x00, 0x02});
  }
  section(m, 7, exports);
  section(m, 10, {0x02, 0x02, 0x00, 0x0b, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b});
  return m;
}

TEST(WasmInterface, ReadsTypesImportsAndExports) {
  auto m = module("ward_v1", "sender", true);
  auto r = read_module_interface(m);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->imports.size(), 1u);
  EXPECT_EQ(r->imports[0].module, "ward_v1");
  EXPECT_EQ(r->imports[0].name, "sender");
  ASSERT_EQ(r->exports.size(), 3u);
  EXPECT_EQ(r->exports[1].name, "Run");
  EXPECT_EQ(r->exports[1].index, 1u);
  ASSERT_NE(r->func_sig(2), nullptr);
  EXPECT_EQ(sig_to_string(*r->func_sig(2)), "(i32, i32) -> (i32)");
  EXPECT_EQ(r->func_sig(3), nullptr);
}

TEST(WasmInterface, CheckInterfaceListsMethodsAndRejectsBadOnes) {
  auto ok = read_module_interface(module("wasi_snapshot_preview1", "fd_write", false));
  ASSERT_TRUE(ok.ok());
  auto methods = check_interface(*ok);
  ASSERT_TRUE(methods.ok()) << methods.error().message;
  EXPECT_EQ(*methods, std::vector<std::string>{"Run"});

  auto with_add = read_module_interface(module("wasi_snapshot_preview1", "sched_yield", true));
  ASSERT_TRUE(with_add.ok());
  auto bad_sig = check_interface(*with_add);
  ASSERT_FALSE(bad_sig.ok());
  EXPECT_NE(bad_sig.error().message.find("\"Add\" has type (i32, i32) -> (i32)"), std::string::npos);

  for (auto [mod, fn] : {std::pair{"env", "abort"}, std::pair{"ward_v1", "nope"},
                         std::pair{"wasi_snapshot_preview1", "sock_accept"},
                         std::pair{"wasi_snapshot_preview1", "fd_readdir"}}) {
    auto iface = read_module_interface(module(mod, fn, false));
    ASSERT_TRUE(iface.ok());
    auto c = check_interface(*iface);
    ASSERT_FALSE(c.ok()) << mod << "." << fn;
    EXPECT_NE(c.error().message.find(std::string(mod) + "." + fn), std::string::npos);
  }
}

TEST(WasmInterface, CheckInterfaceComparesHostSignatures) {
  auto iface = read_module_interface(module("ward_v1", "sender", false));
  ASSERT_TRUE(iface.ok());
  auto c = check_interface(*iface);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message, "the module imports ward_v1.sender with type () -> (); host ABI v1 has (i32) -> ()");
}

TEST(WasmInterface, RejectsMalformedInput) {
  EXPECT_FALSE(read_module_interface(std::vector<uint8_t>{0x00, 0x61}).ok());
  EXPECT_FALSE(read_module_interface(std::vector<uint8_t>{0, 'a', 's', 'x', 1, 0, 0, 0}).ok());
  auto m = module("ward_v1", "sender", false);
  for (size_t cut = 9; cut < m.size(); ++cut) {
    std::vector<uint8_t> truncated(m.begin(), m.begin() + static_cast<std::ptrdiff_t>(cut));
    (void)read_module_interface(truncated);  // must not crash; errors are fine
  }
  std::vector<uint8_t> huge = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x07, 0x05, 0xff, 0xff, 0xff, 0xff, 0x0f};
  EXPECT_FALSE(read_module_interface(huge).ok());
}

}  // namespace
}  // namespace ward::build
