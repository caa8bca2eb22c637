// repair_wast2json_output: the missing commas wast2json 1.0.32 leaves
// between the expected result types of a bare multi-value invoke.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "spectest/wast2json.h"

namespace ward::spectest {
namespace {

TEST(Wast2JsonRepair, InsertsTheMissingCommasBetweenObjects) {
  std::string text =
      R"({"commands": [{"type": "action", "expected": [{"type": "i32"}{"type": "i64"}  {"type": "f32"}]}]})";
  EXPECT_FALSE(nlohmann::json::accept(text));
  EXPECT_EQ(repair_wast2json_output(text), 2u);
  const auto j = nlohmann::json::parse(text);
  ASSERT_EQ(j["commands"][0]["expected"].size(), 3u);
  EXPECT_EQ(j["commands"][0]["expected"][2]["type"], "f32");
}

TEST(Wast2JsonRepair, LeavesValidJsonAndStringsAlone) {
  const std::string valid = R"({"a": [{"b": "}{"}, {"c": "x\"}{\"y"}], "d": {}})";
  std::string text = valid;
  EXPECT_EQ(repair_wast2json_output(text), 0u);
  EXPECT_EQ(text, valid);
}

}  // namespace
}  // namespace ward::spectest
