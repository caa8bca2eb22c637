// Keeps docs/host-abi.md equal to the host table: every function row of its
// two tables (name, gas) against host_functions(), and back.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
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
  // | `name` | `signature` | gas | text |
  std::regex row(R"(^\| `([a-z_0-9]+)` \| `([^`]*)` \| ([0-9]+)(?: \+ ([0-9]+)/byte)? \|)");
  while (std::getline(in, line)) {
    if (line.rfind("## Functions of `ward_v1`", 0) == 0) module = "ward_v1";
    if (line.rfind("## Deterministic WASI subset", 0) == 0) module = "wasi_snapshot_preview1";
    if (line.rfind("## Call outcome", 0) == 0) module.clear();
    std::smatch m;
    if (!module.empty() && std::regex_search(line, m, row)) {
      DocRow r{module, m[2], std::stoull(m[3]), m[4].matched ? std::stoull(m[4]) : 0};
      EXPECT_TRUE(rows.emplace(m[1], r).second) << "duplicate row " << m[1];
    }
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
    EXPECT_EQ(it->second.base, f.base_gas) << f.name;
    EXPECT_EQ(it->second.per_byte, f.per_byte_gas) << f.name;
    EXPECT_EQ(wasm::to_string(doc_type(it->second.signature)), wasm::to_string(f.type)) << f.name;
  }
}

}  // namespace
}  // namespace ward::host
