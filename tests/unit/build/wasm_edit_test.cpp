// Tests of build/wasm_edit.h: method exports as aliases of `_start`, and the
// data-segment merge of the finish step.
#include "build/wasm_edit.h"

#include <gtest/gtest.h>

#include "build/wasm_interface.h"

namespace ward::build {
namespace {

std::string section(uint8_t id, const std::string& payload) {
  return std::string(1, static_cast<char>(id)) + static_cast<char>(payload.size()) + payload;
}

/// An active segment of memory 0 at a small offset (< 64: one-byte sleb).
std::string segment(uint8_t offset, const std::string& data) {
  return std::string("\x00\x41", 2) + static_cast<char>(offset) + "\x0b" + static_cast<char>(data.size()) + data;
}

/// A module with one function exported as `_start`, memory exported as
/// "memory", and the given data segments.
std::string module(const std::vector<std::string>& segments) {
  std::string m("\0asm\1\0\0\0", 8);
  m += section(1, std::string("\x01\x60\x00\x00", 4));
  m += section(3, std::string("\x01\x00", 2));
  m += section(5, std::string("\x01\x00\x01", 3));
  m += section(7, std::string("\x02\x06_start\x00\x00\x06memory\x02\x00", 19));
  m += section(10, std::string("\x01\x02\x00\x0b", 4));
  std::string data(1, static_cast<char>(segments.size()));
  for (const std::string& s : segments) data += s;
  m += section(11, data);
  return m;
}

std::span<const uint8_t> span(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(WasmEdit, AliasExportReplacesStartByOneExportPerMethod) {
  const std::string m = module({});
  auto out = alias_export(span(m), "_start", {"Transfer", "GetBalance"});
  ASSERT_TRUE(out) << out.error().message;
  auto iface = read_module_interface(span(*out));
  ASSERT_TRUE(iface) << iface.error().message;
  ASSERT_EQ(iface->exports.size(), 3u);
  EXPECT_EQ(iface->exports[0].name, "memory");
  EXPECT_EQ(iface->exports[1].name, "Transfer");
  EXPECT_EQ(iface->exports[1].index, 0u);
  EXPECT_EQ(iface->exports[2].name, "GetBalance");
  EXPECT_EQ(iface->exports[2].kind, 0);
}

TEST(WasmEdit, AliasExportErrors) {
  const std::string m = module({});
  auto missing = alias_export(span(m), "main", {"A"});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message, "the module has no function export \"main\"");
  auto clash = alias_export(span(m), "_start", {"memory"});
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().message, "export \"memory\" already exists");
  auto bad = alias_export(span(std::string("\0asm\2\0\0\0", 8)), "_start", {"A"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "not a wasm module (bad magic or version)");
}

TEST(WasmEdit, MergeJoinsNeighboursAcrossTheSmallestGaps) {
  const std::string m = module({segment(0, "ab"), segment(4, "c"), segment(40, "d"), segment(43, "e")});
  auto n = count_data_segments(span(m));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 4u);
  auto out = merge_data_segments(span(m), 2);
  ASSERT_TRUE(out) << out.error().message;
  // The gaps of 2 bytes are filled with zeros; the one of 35 bytes stays.
  EXPECT_EQ(*out, module({segment(0, std::string("ab\0\0c", 5)), segment(40, std::string("d\0\0e", 4))}));
  auto one = merge_data_segments(span(m), 1);
  ASSERT_TRUE(one);
  EXPECT_EQ(count_data_segments(span(*one)).value(), 1u);
  auto again = merge_data_segments(span(m), 2);
  EXPECT_EQ(*again, *out) << "deterministic";
}

TEST(WasmEdit, MergeLeavesModulesUnderTheLimitOrWithOverlapsAlone) {
  const std::string m = module({segment(0, "ab"), segment(4, "c")});
  EXPECT_EQ(merge_data_segments(span(m), 2).value(), m);
  const std::string overlap = module({segment(0, "abcd"), segment(2, "x"), segment(9, "y")});
  EXPECT_EQ(merge_data_segments(span(overlap), 1).value(), overlap);
  const std::string passive = module({std::string("\x01\x01z", 3), segment(4, "c")});
  EXPECT_EQ(merge_data_segments(span(passive), 1).value(), passive);
}

TEST(WasmEdit, MergeRejectsATruncatedModule) {
  std::string m = module({segment(0, "ab"), segment(4, "c")});
  m.resize(m.size() - 1);
  auto out = merge_data_segments(span(m), 1);
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("malformed section at byte offset"), std::string::npos) << out.error().message;
}

}  // namespace
}  // namespace ward::build
