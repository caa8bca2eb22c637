// The text-module rejection check used for assert_malformed (text).
#include <gtest/gtest.h>

#include <string_view>

#include "spectest/text_check.h"

namespace ward::spectest {
namespace {

TextCheck check(std::string_view text) {
  return check_text_module({reinterpret_cast<const uint8_t*>(text.data()), text.size()});
}

TEST(TextCheck, AcceptsWellFormedModules) {
  EXPECT_FALSE(check("(module (func (export \"f\") (result i32) (i32.const 1)))").rejected);
  EXPECT_FALSE(check("(func) (memory 1)").rejected) << "fields without the module wrapper";
}

TEST(TextCheck, RejectsMalformedText) {
  EXPECT_TRUE(check("(func (i32.const))").rejected);
  EXPECT_TRUE(check("(module (func $f) (func $f))").rejected) << "duplicate name";
  EXPECT_TRUE(check("(func (call $missing))").rejected) << "unbound name";
  TextCheck r = check("(module (memory 1)(func (drop (i32.load offset=4294967296 (i32.const 0)))))");
  EXPECT_TRUE(r.rejected);
  EXPECT_FALSE(r.first_error.empty());
}

}  // namespace
}  // namespace ward::spectest
