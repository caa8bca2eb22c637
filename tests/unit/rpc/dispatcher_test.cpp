// tests/unit/rpc/dispatcher_test.cpp — Dispatcher envelope rules and
// util/json_depth.h, without sockets.
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "rpc/dispatcher.h"
#include "util/json_depth.h"

namespace ward::rpc {
namespace {

using nlohmann::json;

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() {
    m_dispatcher.add("echo", [](const json& params, const CallContext&) { return params; });
    m_dispatcher.add("fail", [](const json&, const CallContext&) -> json { throw std::logic_error("bug"); });
    m_dispatcher.add("odd", [](const json&, const CallContext&) -> json { throw 7; });
    m_options.log = [this](std::string_view line) { m_log += std::string(line) + "\n"; };
  }
  json run(const std::string& body) {
    const auto reply = m_dispatcher.handle(body, CallContext{}, m_options);
    return reply ? json::parse(*reply) : json();
  }

  Dispatcher m_dispatcher;
  DispatchOptions m_options;
  std::string m_log;
};

TEST(JsonDepth, CountsNestingOutsideStrings) {
  EXPECT_EQ(json_depth(""), 0u);
  EXPECT_EQ(json_depth("42"), 0u);
  EXPECT_EQ(json_depth("[]"), 1u);
  EXPECT_EQ(json_depth("[[1],{\"a\":[2]}]"), 3u);
  EXPECT_EQ(json_depth(R"(["[[[[", "\"[[[", "\\"])"), 1u);
  EXPECT_EQ(json_depth(R"({"a\\":[1]})"), 2u);
  EXPECT_EQ(json_depth("]]]]["), 1u);  // unbalanced closers never go below zero
  EXPECT_EQ(json_depth(std::string(100000, '[')), 100000u);
}

TEST_F(DispatcherTest, ResultAndIdKinds) {
  EXPECT_EQ(run(R"({"jsonrpc":"2.0","method":"echo","params":[1],"id":"a"})"),
            json::parse(R"({"jsonrpc":"2.0","id":"a","result":[1]})"));
  EXPECT_EQ(run(R"({"jsonrpc":"2.0","method":"echo","id":null})")["result"], nullptr);
  EXPECT_EQ(run(R"({"jsonrpc":"2.0","method":"echo","params":{"x":1},"id":1.5})")["id"], 1.5);
}

TEST_F(DispatcherTest, EnvelopeErrors) {
  const auto error = [this](const std::string& body) { return run(body)["error"]; };
  EXPECT_EQ(error(R"({"jsonrpc":"1.0","method":"echo","id":1})")["message"], "jsonrpc must be \"2.0\"");
  EXPECT_EQ(error(R"({"method":"echo","id":1})")["code"], kInvalidRequest);
  EXPECT_EQ(error(R"({"jsonrpc":"2.0","method":5,"id":1})")["message"], "method must be a string");
  EXPECT_EQ(error(R"({"jsonrpc":"2.0","method":"echo","params":3,"id":1})")["message"],
            "params must be an array or an object");
  EXPECT_EQ(error(R"({"jsonrpc":"2.0","method":"echo","id":{}})")["message"], "id must be a string, a number or null");
  EXPECT_EQ(error(R"({"jsonrpc":"2.0","method":"echo","id":1,"extra":0})")["message"],
            "unknown member \"extra\" in request");
  EXPECT_EQ(error("7")["message"], "request must be an object");
  // The id of an invalid request is kept when it is itself valid.
  EXPECT_EQ(run(R"({"jsonrpc":"1.0","method":"echo","id":9})")["id"], 9);
  EXPECT_EQ(run(R"({"jsonrpc":"2.0","method":"echo","id":[]})")["id"], nullptr);
  // An invalid request without id is still answered (spec section 5).
  EXPECT_EQ(run(R"({"jsonrpc":"2.0","method":1})")["error"]["code"], kInvalidRequest);
}

TEST_F(DispatcherTest, ParseAndDepthErrors) {
  const json parse = run("{\"jsonrpc\":");
  EXPECT_EQ(parse["error"]["code"], kParseError);
  EXPECT_NE(parse["error"]["message"].get<std::string>().find("parse error at line 1"), std::string::npos);
  EXPECT_EQ(parse["id"], nullptr);
  const json deep = run(std::string(65, '[') + std::string(65, ']'));
  EXPECT_EQ(deep["error"]["message"], "request nesting exceeds max_json_depth (64)");
  // 64 levels pass the depth check: a batch whose one element is not an object.
  EXPECT_EQ(run(std::string(64, '[') + std::string(64, ']'))[0]["error"]["code"], kInvalidRequest);
  EXPECT_EQ(run("\"\xff\"")["error"]["code"], kParseError);  // invalid UTF-8
}

TEST_F(DispatcherTest, Batches) {
  EXPECT_EQ(run("[]")["error"]["message"], "empty batch");
  m_options.max_batch = 2;
  EXPECT_EQ(run("[1,2,3]")["error"]["message"], "batch of 3 requests exceeds max_batch (2)");
  const json replies = run(R"([1, {"jsonrpc":"2.0","method":"echo","params":[2],"id":2}])");
  ASSERT_TRUE(replies.is_array());
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0]["error"]["code"], kInvalidRequest);
  EXPECT_EQ(replies[1]["result"], json::array({2}));
  EXPECT_FALSE(m_dispatcher.handle(R"([{"jsonrpc":"2.0","method":"echo"},{"jsonrpc":"2.0","method":"nope"}])",
                                   CallContext{}, m_options));
}

TEST_F(DispatcherTest, HandlerFailures) {
  const json unknown = run(R"({"jsonrpc":"2.0","method":"nope","id":1})");
  EXPECT_EQ(unknown["error"]["code"], kMethodNotFound);
  EXPECT_EQ(unknown["error"]["message"], "method \"nope\" not found");
  const json failed = run(R"({"jsonrpc":"2.0","method":"fail","id":1})");
  EXPECT_EQ(failed["error"], json::parse(R"({"code":-32603,"message":"internal error"})"));
  EXPECT_NE(m_log.find("bug"), std::string::npos);
  EXPECT_EQ(run(R"({"jsonrpc":"2.0","method":"odd","id":1})")["error"]["code"], kInternalError);
}

TEST_F(DispatcherTest, BuiltinsTakePrecedence) {
  Dispatcher builtins;
  builtins.add("echo", [](const json&, const CallContext&) { return json("builtin"); });
  m_options.builtins = &builtins;
  EXPECT_EQ(run(R"({"jsonrpc":"2.0","method":"echo","id":1})")["result"], "builtin");
  EXPECT_TRUE(m_dispatcher.has("echo"));
  EXPECT_FALSE(m_dispatcher.has("nope"));
}

}  // namespace
}  // namespace ward::rpc
