// Keeps docs/gas.md in step with opcodes.def: every instruction has a row
// "| `name` | gas |" with its op_gas, and every row names a real instruction.
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>

#include "wasm/metering.h"
#include "wasm/opcodes.h"

namespace ward::wasm {
namespace {

std::string read_doc() {
  std::ifstream in(std::string(WARD_DOCS_DIR) + "/gas.md");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Rows "| `name` | number |" of the doc, by name.
std::map<std::string, std::string> instruction_rows(const std::string& doc) {
  std::map<std::string, std::string> rows;
  std::istringstream lines(doc);
  std::string line;
  bool in_table = false;
  while (std::getline(lines, line)) {
    if (line.rfind("## ", 0) == 0) in_table = line == "## Instruction costs";
    if (!in_table || line.rfind("| `", 0) != 0) continue;
    const size_t name_end = line.find('`', 3);
    if (name_end == std::string::npos) continue;
    const std::string name = line.substr(3, name_end - 3);
    std::string rest = line.substr(name_end + 1);
    // rest: " | 12 |"
    const size_t a = rest.find('|');
    const size_t b = rest.find('|', a + 1);
    std::string cost = rest.substr(a + 1, b - a - 1);
    cost.erase(0, cost.find_first_not_of(' '));
    cost.erase(cost.find_last_not_of(' ') + 1);
    rows[name] = cost;
  }
  return rows;
}

TEST(GasDoc, EveryInstructionRowMatchesOpGas) {
  const std::string doc = read_doc();
  ASSERT_FALSE(doc.empty()) << "docs/gas.md not found";
  const auto rows = instruction_rows(doc);
  std::map<std::string, uint32_t> table;
  for (uint32_t i = 0; i < kOpCount; ++i) {
    const std::string name(kOpInfo[i].text);
    table[name] = kOpInfo[i].gas;
    auto it = rows.find(name);
    ASSERT_NE(it, rows.end()) << "docs/gas.md has no row for " << name;
    EXPECT_EQ(it->second, std::to_string(kOpInfo[i].gas)) << "docs/gas.md: wrong cost for " << name;
  }
  for (const auto& [name, cost] : rows) {
    EXPECT_TRUE(table.count(name)) << "docs/gas.md lists " << name << ", which is not in opcodes.def";
  }
}

TEST(GasDoc, DynamicCostsAreDocumented) {
  const std::string doc = read_doc();
  EXPECT_NE(doc.find(std::to_string(kGasPerGrowPage) + " gas per page"), std::string::npos);
  EXPECT_NE(doc.find("ceil(n / " + std::to_string(kBulkBytesPerGas) + ")"), std::string::npos);
  EXPECT_NE(doc.find(std::to_string(kGasPerTableElement) + " gas per element"), std::string::npos);
  EXPECT_NE(doc.find("## Host function costs\n\nSee the table in docs/host-abi.md (revision 1"), std::string::npos);
}

}  // namespace
}  // namespace ward::wasm
