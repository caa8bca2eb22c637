// Keeps docs/host-abi.md equal to the host table: every function row of its
// two tables (name, gas) against host_functions(), and back.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <cstdio>
#include <sstream>

#include "host/host.h"

namespace ward::host {
namespace {

struct DocRow {
  std::string module;
  std::string signature;
  uint64_t base = 0;
  uint64_t per_byte = 0;
};

/// The wasm type a documented signature stands for: "(ptr, len: i64) -> i32";
/// parameters are i32 unless annotated ": i64"; "()" is empty.
wasm::FuncType doc_type(const std::string& sig) {
  wasm::FuncType t;
  auto arrow = sig.find(" -> ");
  auto list = [](std::string part, std::vector<wasm::ValType>& out) {
    if (part.size() >= 2 && part.front() == '(') part = part.substr(1, part.size() - 2);
    std::stringstream ss(part);
    std::string item;
    while (std::getline(ss, item, ',')) {
      if (item.find_first_not_of(' ') == std::string::npos) continue;
      out.push_back(item.find("i64") != std::string::npos ? wasm::ValType::I64 : wasm::ValType::I32);
    }
  };
  list(sig.substr(0, arrow), t.params);
  list(sig.substr(arrow + 4), t.results);
  return t;
}

std::map<std::string, DocRow> parse_doc() {
  std::ifstream in(std::string(WARD_SOURCE_DIR) + "/docs/host-abi.md");
  EXPECT_TRUE(in.good()) << "docs/host-abi.md not found";
  std::map<std::string, DocRow> rows;
  std::string module;
  std::string line;
  // | `name` | `signature` | gas | text |   with gas "B" or "B + P/byte"
  auto cell = [](const std::string& row, int n) {
    size_t pos = 0;
    for (int i = 0; i <= n; ++i) pos = row.find('|', pos) + 1;
    size_t end = row.find('|', pos);
    std::string c = row.substr(pos, end - pos);
    c.erase(0, c.find_first_not_of(' '));
    c.erase(c.find_last_not_of(' ') + 1);
    return c;
  };
  auto unquote = [](const std::string& c) {
    return c.size() >= 2 && c.front() == '`' && c.back() == '`' ? c.substr(1, c.size() - 2) : std::string();
  };
  while (std::getline(in, line)) {
    if (line.rfind("## Functions of `ward_v1`", 0) == 0) module = "ward_v1";
    if (line.rfind("## Deterministic WASI subset", 0) == 0) module = "wasi_snapshot_preview1";
    if (line.rfind("## Call outcome", 0) == 0) module.clear();
    if (module.empty() || line.rfind("| `", 0) != 0) continue;
    std::string name = unquote(cell(line, 0)), sig = unquote(cell(line, 1)), gas = cell(line, 2);
    EXPECT_FALSE(name.empty() || sig.empty()) << line;
    DocRow r{module, sig, 0, 0};
    unsigned long long base = 0, per = 0;
    char tail[8] = {};
    if (std::sscanf(gas.c_str(), "%llu + %llu/%7s", &base, &per, tail) == 3) {
      EXPECT_STREQ(tail, "byte") << line;
    } else {
      EXPECT_EQ(std::sscanf(gas.c_str(), "%llu", &base), 1) << line;
      EXPECT_EQ(gas, std::to_string(base)) << line;
    }
    r.base = base;
    r.per_byte = per;
    EXPECT_TRUE(rows.emplace(name, r).second) << "duplicate row " << name;
  }
  return rows;
}

TEST(HostDoc, TablesMatchHostFunctions) {
  auto rows = parse_doc();
  auto fns = host_functions();
  EXPECT_EQ(rows.size(), fns.size());
  for (const HostFunction& f : fns) {
    auto it = rows.find(std::string(f.name));
    ASSERT_NE(it, rows.end()) << f.name << " is missing from docs/host-abi.md";
    EXPECT_EQ(it->second.module, f.module) << f.name;
    // The docs give gas schedule revision 1.
    EXPECT_EQ(it->second.base, wasm::kGasScheduleV1.host_cost(f.id).base) << f.name;
    EXPECT_EQ(it->second.per_byte, wasm::kGasScheduleV1.host_cost(f.id).per_byte) << f.name;
    EXPECT_EQ(wasm::to_string(doc_type(it->second.signature)), wasm::to_string(f.type)) << f.name;
  }
}

}  // namespace
}  // namespace ward::host
