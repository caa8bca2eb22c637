// tests/unit/rpc/http_test.cpp — the server over real HTTP connections.
#include <string>

#include "test_client.h"

namespace ward::rpc::test {
namespace {

TEST(RpcHttp, SingleCall) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  ASSERT_FALSE(client.connect_error());
  const auto reply = client.post(request("echo", json::array({1, "x"}), 1));
  ASSERT_FALSE(reply.ec) << reply.ec.message();
  EXPECT_EQ(reply.res.result(), http::status::ok);
  EXPECT_EQ(reply.res[http::field::content_type], "application/json");
  EXPECT_EQ(reply.res[http::field::access_control_allow_origin], "*");
  EXPECT_EQ(reply.body(), json::parse(R"({"jsonrpc":"2.0","id":1,"result":[1,"x"]})"));
  const json ctx = client.call(request("context", json::array(), "c"));
  EXPECT_EQ(ctx["result"]["websocket"], false);
  EXPECT_NE(ctx["result"]["connection_id"], 0);
}

TEST(RpcHttp, NamedAndPositionalParams) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  EXPECT_EQ(client.call(request("add", json::array({2, 3}), 1))["result"], 5.0);
  EXPECT_EQ(client.call(request("add", json{{"a", 2}, {"b", 3}}, 2))["result"], 5.0);
  EXPECT_EQ(client.call(request("add", json::array({2}), 3))["error"]["code"], kInvalidParams);
}

TEST(RpcHttp, NotificationHasNoBody) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  const auto reply = client.post(R"({"jsonrpc":"2.0","method":"count"})");
  ASSERT_FALSE(reply.ec);
  EXPECT_EQ(reply.res.result(), http::status::no_content);
  EXPECT_TRUE(reply.res.body().empty());
  EXPECT_EQ(ts.notifications(), 1);
  // A batch of only notifications: no body either.
  const auto batch = client.post(R"([{"jsonrpc":"2.0","method":"count"},{"jsonrpc":"2.0","method":"nope"}])");
  EXPECT_EQ(batch.res.result(), http::status::no_content);
  EXPECT_EQ(ts.notifications(), 2);
}

TEST(RpcHttp, MixedBatch) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  const json replies = client.call(R"([
    {"jsonrpc":"2.0","method":"add","params":[1,2],"id":"a"},
    {"jsonrpc":"2.0","method":"count","params":[]},
    {"jsonrpc":"2.0","method":"missing","id":"b"},
    1,
    {"jsonrpc":"2.0","method":"echo","params":{"k":true},"id":"c"}])");
  ASSERT_TRUE(replies.is_array());
  ASSERT_EQ(replies.size(), 4u);
  EXPECT_EQ(replies[0]["id"], "a");
  EXPECT_EQ(replies[0]["result"], 3.0);
  EXPECT_EQ(replies[1]["id"], "b");
  EXPECT_EQ(replies[1]["error"]["code"], kMethodNotFound);
  EXPECT_EQ(replies[2]["id"], nullptr);
  EXPECT_EQ(replies[2]["error"]["code"], kInvalidRequest);
  EXPECT_EQ(replies[3]["result"], json::parse(R"({"k":true})"));
  EXPECT_EQ(ts.notifications(), 1);
}

TEST(RpcHttp, BatchLimits) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  json batch = json::array();
  for (int i = 0; i < 101; ++i) batch.push_back(json{{"jsonrpc", "2.0"}, {"method", "echo"}, {"id", i}});
  const json too_many = client.call(batch.dump());
  EXPECT_EQ(too_many["error"]["code"], kInvalidRequest);
  EXPECT_EQ(too_many["error"]["message"], "batch of 101 requests exceeds max_batch (100)");
  batch.erase(100);
  EXPECT_EQ(client.call(batch.dump()).size(), 100u);
  const json empty = client.call("[]");
  EXPECT_EQ(empty["error"]["code"], kInvalidRequest);
  EXPECT_EQ(empty["error"]["message"], "empty batch");
}

TEST(RpcHttp, EnvelopeErrors) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  const json bad = client.call(R"({"jsonrpc":"2.0",)");
  EXPECT_EQ(bad["error"]["code"], kParseError);
  EXPECT_EQ(bad["id"], nullptr);
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("parse error"), std::string::npos);
  const json version = client.call(R"({"jsonrpc":"1.0","method":"echo","id":4})");
  EXPECT_EQ(version["error"]["code"], kInvalidRequest);
  EXPECT_EQ(version["error"]["message"], "jsonrpc must be \"2.0\"");
  EXPECT_EQ(version["id"], 4);
  const json method = client.call(R"({"jsonrpc":"2.0","method":["echo"],"id":5})");
  EXPECT_EQ(method["error"]["message"], "method must be a string");
  const json unknown = client.call(request("no_such_method", json::array(), 6));
  EXPECT_EQ(unknown["error"]["code"], kMethodNotFound);
  EXPECT_NE(unknown["error"]["message"].get<std::string>().find("no_such_method"), std::string::npos);
}

TEST(RpcHttp, HandlerErrors) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  const json custom = client.call(request("fail_rpc", json::array(), 1));
  EXPECT_EQ(custom["error"], json::parse(R"({"code":-32001,"message":"custom failure","data":{"detail":42}})"));
  const json internal = client.call(request("fail_std", json::array(), 2));
  EXPECT_EQ(internal["error"], json::parse(R"({"code":-32603,"message":"internal error"})"));
  EXPECT_EQ(internal["id"], 2);
  EXPECT_TRUE(ts.logged("boom"));
  // The connection and the server survive.
  EXPECT_EQ(client.call(request("echo", json::array({1}), 3))["result"], json::array({1}));
}

TEST(RpcHttp, BodyOverLimitGets413) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  std::string body = R"({"jsonrpc":"2.0","method":"echo","params":[")";
  body.append(9u << 20, 'a');
  body += R"("],"id":1})";
  const auto reply = client.post(std::move(body));
  ASSERT_FALSE(reply.ec) << reply.ec.message();
  EXPECT_EQ(reply.res.result(), http::status::payload_too_large);
  const json error = reply.body();
  EXPECT_EQ(error["error"]["code"], kInvalidRequest);
  EXPECT_EQ(error["error"]["message"], "request body exceeds max_body_bytes (8388608)");
  HttpClient again(ts.port());
  EXPECT_EQ(again.call(request("echo", json::array(), 1))["result"], json::array());
}

TEST(RpcHttp, DeepNestingIsRejected) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  const json open_only = client.call(std::string(100000, '['));
  EXPECT_EQ(open_only["error"]["code"], kParseError);
  EXPECT_EQ(open_only["error"]["message"], "request nesting exceeds max_json_depth (64)");
  const json balanced = client.call(std::string(100000, '[') + std::string(100000, ']'));
  EXPECT_EQ(balanced["error"]["message"], "request nesting exceeds max_json_depth (64)");
  EXPECT_EQ(client.call(request("echo", json::array(), 1))["result"], json::array());
}

TEST(RpcHttp, RoutesAndCors) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  ts.server().add_static("/explorer", "text/html; charset=utf-8", "<p>hi</p>");
  HttpClient client(ts.port());
  const auto preflight = client.request(http::verb::options, "/", "", "");
  EXPECT_EQ(preflight.res.result(), http::status::no_content);
  EXPECT_EQ(preflight.res[http::field::access_control_allow_origin], "*");
  EXPECT_NE(preflight.res[http::field::access_control_allow_methods].find("POST"), std::string::npos);
  EXPECT_EQ(preflight.res[http::field::access_control_allow_headers], "Content-Type");
  const auto page = client.request(http::verb::get, "/explorer?x=1", "", "");
  EXPECT_EQ(page.res.result(), http::status::ok);
  EXPECT_EQ(page.res[http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(page.res.body(), "<p>hi</p>");
  EXPECT_EQ(client.request(http::verb::get, "/", "", "").res.result(), http::status::method_not_allowed);
  EXPECT_EQ(client.request(http::verb::get, "/nothing", "", "").res.result(), http::status::not_found);
  EXPECT_EQ(client.request(http::verb::put, "/", "{}").res.result(), http::status::method_not_allowed);
  const auto text = client.request(http::verb::post, "/", request("echo", json::array(), 1), "text/plain");
  EXPECT_EQ(text.res.result(), http::status::unsupported_media_type);
  const auto charset =
      client.request(http::verb::post, "/", request("echo", json::array(), 1), "Application/JSON; charset=utf-8");
  EXPECT_EQ(charset.res.result(), http::status::ok);
}

TEST(RpcHttp, SubscribeOverHttpIsRefused) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  const json reply = client.call(request("ward_subscribe", json::array({"tick", {{"min", 1}}}), 1));
  EXPECT_EQ(reply["error"]["code"], kServerError);
  EXPECT_EQ(reply["error"]["data"]["kind"], "websocket_only");
  EXPECT_EQ(client.call(request("ward_unsubscribe", json::array({"0x00"}), 2))["error"]["data"]["kind"],
            "websocket_only");
}

TEST(RpcHttp, SlowRequestIsAnsweredAndLogged) {
  ServerOptions options;
  options.request_timeout_ms = 20;
  TestServer ts(options);
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  const json reply = client.call(request("slow", json::array({100}), 1));
  EXPECT_EQ(reply["result"]["past_deadline"], true);
  EXPECT_TRUE(ts.logged("after its deadline"));
}

TEST(RpcHttp, MaxConnections) {
  ServerOptions options;
  options.max_connections = 2;
  TestServer ts(options);
  ASSERT_TRUE(ts.start());
  auto first = std::make_unique<HttpClient>(ts.port());
  HttpClient second(ts.port());
  ASSERT_EQ(first->call(request("echo", json::array(), 1))["id"], 1);
  ASSERT_EQ(second.call(request("echo", json::array(), 2))["id"], 2);
  EXPECT_EQ(ts.server().connection_count(), 2u);
  HttpClient third(ts.port());
  const auto refused = third.post(request("echo", json::array(), 3));
  if (!refused.ec) {
    EXPECT_EQ(refused.res.result(), http::status::service_unavailable);
    EXPECT_EQ(refused.body()["error"]["data"]["kind"], "connection_limit");
  }
  first.reset();
  ASSERT_TRUE(eventually([&] { return ts.server().connection_count() < 2; }));
  HttpClient fourth(ts.port());
  EXPECT_EQ(fourth.call(request("echo", json::array(), 4))["id"], 4);
}

TEST(RpcHttp, ManyRequestsOnOneConnectionDoNotGrow) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  HttpClient client(ts.port());
  const std::string body = request("add", json::array({1, 2}), 1);
  for (int i = 0; i < 500; ++i) ASSERT_EQ(client.call(body)["result"], 3.0);  // warm up
  const size_t fds = open_fds();
  const size_t rss = rss_bytes();
  for (int i = 0; i < 10000; ++i) {
    const json reply = client.call(body);
    ASSERT_EQ(reply["result"], 3.0) << "request " << i;
  }
  EXPECT_EQ(open_fds(), fds);
#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
  // (Sanitizers keep freed memory in quarantine; they check leaks themselves.)
  EXPECT_LT(rss_bytes(), rss + (8u << 20)) << "RSS grew by more than 8 MiB over 10,000 requests";
#else
  (void)rss;
#endif
  // Connections opened and closed do not leak descriptors either.
  for (int i = 0; i < 200; ++i) {
    HttpClient short_lived(ts.port());
    ASSERT_EQ(short_lived.call(body)["result"], 3.0);
  }
  EXPECT_TRUE(eventually([&] { return ts.server().connection_count() == 1; }));
  EXPECT_TRUE(eventually([&] { return open_fds() == fds; }));
}

TEST(RpcHttp, StopClosesOpenConnections) {
  auto ts = std::make_unique<TestServer>();
  ASSERT_TRUE(ts->start());
  const uint16_t port = ts->port();
  HttpClient http_client(port);
  ASSERT_EQ(http_client.call(request("echo", json::array(), 1))["id"], 1);
  WsClient ws_client(port);
  ASSERT_FALSE(ws_client.error());
  HttpClient idle(port);  // connected, never sends
  ASSERT_TRUE(eventually([&] { return ts->server().connection_count() == 3; }));
  const auto begin = std::chrono::steady_clock::now();
  ts->server().stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 3s);
  EXPECT_TRUE(http_client.wait_closed());
  EXPECT_TRUE(idle.wait_closed());
  EXPECT_FALSE(ws_client.receive(3s));
  ts->server().stop();  // idempotent
  // Restartable.
  ASSERT_TRUE(ts->server().start().ok());
  HttpClient after(ts->port());
  EXPECT_EQ(after.call(request("echo", json::array(), 2))["id"], 2);
}

}  // namespace
}  // namespace ward::rpc::test
