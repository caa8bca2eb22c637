// The source checks of `ward build`: directive scanning and the header list.
#include <gtest/gtest.h>

#include <string>

#include "build/source_check.h"

namespace ward::build {
namespace {

TEST(SourceCheck, AcceptsSdkAndAllowedHeaders) {
  auto r = check_source("#include <ward/ward.h>\n#include <string>\n  #  include <vector>\n#include <map>\n", "a.cpp");
  EXPECT_TRUE(r.ok()) << r.error().message;
}

TEST(SourceCheck, RejectsDeniedHeaderWithLineAndReason) {
  auto r = check_source("#include <ward/ward.h>\n\n#include <fstream>\n", "c.cpp");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "c.cpp:3: header <fstream> is not allowed in a contract: contracts have no files; use ward::storage");
  for (const char* h : {"thread", "iostream", "random", "chrono", "filesystem"}) {
    auto d = check_source(std::string("#include <") + h + ">\n", "x.cpp");
    ASSERT_FALSE(d.ok()) << h;
    EXPECT_NE(d.error().message.find(std::string("<") + h + ">"), std::string::npos);
  }
}

TEST(SourceCheck, RejectsUnknownQuotedAndComputedIncludes) {
  auto unknown = check_source("#include <regex>\n", "x.cpp");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("x.cpp:1: header <regex> is not allowed"), std::string::npos);
  EXPECT_FALSE(check_source("#include \"helper.h\"\n", "x.cpp").ok());
  EXPECT_FALSE(check_source("#define H <thread>\n#include H\n", "x.cpp").ok());
  EXPECT_FALSE(check_source("#include_next <string>\n", "x.cpp").ok());
  EXPECT_FALSE(check_source("#include <ward/../../etc/passwd>\n", "x.cpp").ok());
}

TEST(SourceCheck, IgnoresCommentsAndLiterals) {
  std::string src =
      "// #include <thread>\n"
      "/* #include <thread>\n#include <thread> */\n"
      "const char* s = \"#include <thread>\";\n"
      "const char* r = R\"x(\n#include <thread>\n)x\";\n"
      "int n = 1'000'000; char c = '#';\n"
      "#include <string> // <thread>\n";
  auto r = check_source(src, "x.cpp");
  EXPECT_TRUE(r.ok()) << r.error().message;
  auto d = scan_directives(src);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 9u);
  EXPECT_EQ(d[0].text, "include <string>");
}

TEST(SourceCheck, FollowsLineContinuationsAndCommentsInDirectives) {
  auto d = scan_directives("#include \\\n <thread>\n/* a */ # /* b */ include <cstdint>\n");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].line, 1u);
  EXPECT_EQ(d[0].text, "include  <thread>");
  EXPECT_EQ(d[1].line, 3u);
  auto r = check_source("#include \\\n <thread>\n", "x.cpp");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("x.cpp:1:"), std::string::npos);
}

TEST(SourceCheck, RejectsOversizedSource) {
  std::string big(k_max_source_bytes + 1, ' ');
  auto r = check_source(big, "big.cpp");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("over the limit"), std::string::npos);
}

TEST(SourceCheck, AllowListIsSortedAndQueried) {
  const auto& list = allowed_headers();
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
  EXPECT_TRUE(is_allowed_header("cstdint"));
  EXPECT_TRUE(is_allowed_header("ward/json.h"));
  EXPECT_FALSE(is_allowed_header("thread"));
}

}  // namespace
}  // namespace ward::build
