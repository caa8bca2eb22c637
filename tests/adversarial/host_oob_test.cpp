// Keeps the out-of-bounds cases complete: every host function of the table
// is classified in host_pointer_params(), its pointer parameters match the
// names of docs/host-abi.md, and every pointer parameter has a case in
// host_oob_cases() (run by adversarial_test.cpp). A host function added to
// the table or the doc without a case makes these tests fail.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "host/host.h"
#include "host_oob_cases.h"

namespace ward::adversarial {
namespace {

std::string key(std::string_view module, std::string_view function) {
  return std::string(module) + "." + std::string(function);
}

const PointerParams* find_params(std::string_view module, std::string_view function) {
  for (const PointerParams& p : host_pointer_params()) {
    if (p.module == module && p.function == function) return &p;
  }
  return nullptr;
}

/// Parameter names of each function of docs/host-abi.md: rows of the form
/// "| `name` | `(a, b: i64, c) -> r` | ...".
std::map<std::string, std::vector<std::string>> doc_signatures() {
  std::map<std::string, std::vector<std::string>> out;
  std::ifstream in(std::string(WARD_SOURCE_ROOT) + "/docs/host-abi.md");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| `", 0) != 0) continue;
    std::vector<std::string> parts;
    std::stringstream ss(line);
    std::string part;
    while (std::getline(ss, part, '`')) parts.push_back(part);
    if (parts.size() < 4 || parts[3].empty() || parts[3][0] != '(') continue;
    const std::string& sig = parts[3];
    std::string inside = sig.substr(1, sig.find(')') - 1);
    std::vector<std::string> names;
    std::stringstream ps(inside);
    while (std::getline(ps, part, ',')) {
      size_t b = part.find_first_not_of(' ');
      if (b == std::string::npos) continue;
      part = part.substr(b);
      names.push_back(part.substr(0, part.find(':')));
    }
    out[parts[1]] = names;
  }
  return out;
}

bool is_ptr_name(const std::string& name) {
  return name == "ptr" || (name.size() > 4 && name.compare(name.size() - 4, 4, "_ptr") == 0);
}

TEST(HostOobCoverage, EveryHostFunctionIsClassified) {
  std::set<std::string> table;
  for (const host::HostFunction& f : host::host_functions()) {
    table.insert(key(f.module, f.name));
    const PointerParams* p = find_params(f.module, f.name);
    ASSERT_NE(p, nullptr) << key(f.module, f.name)
                          << " is not in host_pointer_params() (tests/adversarial/host_oob_cases.cpp): "
                             "list its pointer parameters and add an out-of-bounds case for each";
    size_t i32_params = 0;
    for (wasm::ValType t : f.type.params) i32_params += t == wasm::ValType::I32 ? 1 : 0;
    EXPECT_LE(p->pointers.size(), i32_params) << key(f.module, f.name);
  }
  for (const PointerParams& p : host_pointer_params()) {
    EXPECT_TRUE(table.count(key(p.module, p.function))) << key(p.module, p.function) << " is not a host function";
  }
}

TEST(HostOobCoverage, PointerNamesMatchTheDoc) {
  const auto doc = doc_signatures();
  ASSERT_FALSE(doc.empty()) << "no signatures found in docs/host-abi.md";
  for (const PointerParams& p : host_pointer_params()) {
    auto it = doc.find(p.function);
    ASSERT_NE(it, doc.end()) << p.function << " has no row in docs/host-abi.md";
    std::set<std::string> names(it->second.begin(), it->second.end());
    for (const std::string& ptr : p.pointers) {
      EXPECT_TRUE(names.count(ptr)) << p.function << ": no parameter '" << ptr << "' in docs/host-abi.md";
    }
    // Every parameter the doc names ptr or *_ptr must be listed as a pointer.
    for (const std::string& name : it->second) {
      if (!is_ptr_name(name)) continue;
      bool listed = false;
      for (const std::string& ptr : p.pointers) listed = listed || ptr == name;
      EXPECT_TRUE(listed) << p.function << ": parameter '" << name << "' is a pointer without a case";
    }
  }
}

TEST(HostOobCoverage, EveryPointerParameterHasACase) {
  for (const PointerParams& p : host_pointer_params()) {
    for (const std::string& ptr : p.pointers) {
      bool covered = false;
      for (const OobCase& c : host_oob_cases()) {
        if (c.function != p.function) continue;
        for (const std::string& q : c.params) covered = covered || q == ptr;
      }
      EXPECT_TRUE(covered) << p.module << "." << p.function << ": no out-of-bounds case for '" << ptr << "'";
    }
  }
}

TEST(HostOobCoverage, CasesNamePointerParameters) {
  std::set<std::string> names;
  for (const OobCase& c : host_oob_cases()) {
    EXPECT_TRUE(names.insert(c.name).second) << "duplicate case " << c.name;
    const host::HostFunction* f = nullptr;
    for (const host::HostFunction& h : host::host_functions()) {
      if (h.name == c.function) f = &h;
    }
    ASSERT_NE(f, nullptr) << c.name << ": unknown host function " << c.function;
    const PointerParams* p = find_params(f->module, f->name);
    ASSERT_NE(p, nullptr) << c.name;
    for (const std::string& q : c.params) {
      bool known = false;
      for (const std::string& ptr : p->pointers) known = known || ptr == q;
      EXPECT_TRUE(known) << c.name << ": '" << q << "' is not a pointer parameter of " << c.function;
    }
    if (c.traps) {
      EXPECT_NE(c.error.find("host error: " + c.function + ": out of bounds memory range"), std::string::npos)
          << c.name;
    }
  }
}

}  // namespace
}  // namespace ward::adversarial
