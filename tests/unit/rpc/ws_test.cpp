// tests/unit/rpc/ws_test.cpp — the server over real WebSocket connections:
// calls, subscriptions, limits and slow consumers.
#include <string>

#include "test_client.h"

namespace ward::rpc::test {
namespace {

// Matches "tick" events {"n": number} against filters {"min": number}.
FilterMatcher at_least(int n) {
  return [n](const json& filter) { return n >= filter["min"].get<int>(); };
}

TEST(RpcWs, CallsAreAnsweredInOrder) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  WsClient client(ts.port());
  ASSERT_FALSE(client.error()) << client.error().message();
  const auto reply = client.call(request("echo", json::array({"hi"}), 1));
  ASSERT_TRUE(reply);
  EXPECT_EQ(*reply, json::parse(R"({"jsonrpc":"2.0","id":1,"result":["hi"]})"));
  const auto ctx = client.call(request("context", json::array(), 2));
  ASSERT_TRUE(ctx);
  EXPECT_EQ((*ctx)["result"]["websocket"], true);
  // Pipelined: slow first, then fast; answers keep the order.
  ASSERT_FALSE(client.send(request("slow", json::array({50}), "s")));
  ASSERT_FALSE(client.send(request("echo", json::array(), "e")));
  ASSERT_FALSE(client.send(R"({"jsonrpc":"2.0","method":"count"})"));
  ASSERT_FALSE(client.send(R"([{"jsonrpc":"2.0","method":"add","params":[1,1],"id":"b"}, 5])"));
  EXPECT_EQ((*client.receive())["id"], "s");
  EXPECT_EQ((*client.receive())["id"], "e");
  const auto batch = client.receive();
  ASSERT_TRUE(batch);
  ASSERT_EQ(batch->size(), 2u);
  EXPECT_EQ((*batch)[0]["result"], 2.0);
  EXPECT_EQ((*batch)[1]["error"]["code"], kInvalidRequest);
  EXPECT_EQ(ts.notifications(), 1);
  const auto bad = client.call("{oops");
  ASSERT_TRUE(bad);
  EXPECT_EQ((*bad)["error"]["code"], kParseError);
}

TEST(RpcWs, SubscribePublishUnsubscribe) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  WsClient client(ts.port());
  ASSERT_FALSE(client.error());
  const auto sub = client.call(request("ward_subscribe", json::array({"tick", {{"min", 5}}}), 1));
  ASSERT_TRUE(sub);
  ASSERT_TRUE((*sub)["result"].is_string()) << sub->dump();
  const std::string id = (*sub)["result"];
  EXPECT_EQ(id.size(), 18u);
  EXPECT_EQ(id.rfind("0x", 0), 0u);
  EXPECT_EQ(ts.server().subscription_count(), 1u);
  // Named params, other filter.
  const auto sub2 = client.call(request("ward_subscribe", json{{"kind", "tick"}, {"filter", {{"min", 100}}}}, 2));
  ASSERT_TRUE(sub2);
  ASSERT_TRUE((*sub2)["result"].is_string());
  EXPECT_NE((*sub2)["result"], id);

  EXPECT_EQ(ts.server().publish("tick", json{{"n", 3}}, at_least(3)), 0u);
  EXPECT_EQ(ts.server().publish("other", json{{"n", 3}}, nullptr), 0u);
  EXPECT_EQ(ts.server().publish("tick", json{{"n", 7}}, at_least(7)), 1u);
  const auto note = client.receive();
  ASSERT_TRUE(note);
  EXPECT_EQ(*note, json::parse(R"({"jsonrpc":"2.0","method":"ward_subscription",
                                   "params":{"subscription":")" + id + R"(","result":{"n":7}}})"));

  const auto gone = client.call(request("ward_unsubscribe", json::array({id}), 3));
  ASSERT_TRUE(gone);
  EXPECT_EQ((*gone)["result"], true);
  EXPECT_EQ(ts.server().subscription_count(), 1u);
  EXPECT_EQ(ts.server().publish("tick", json{{"n", 7}}, at_least(7)), 0u);
  const auto again = client.call(request("ward_unsubscribe", json{{"subscription", id}}, 4));
  ASSERT_TRUE(again);
  EXPECT_EQ((*again)["result"], false);
  // The next message is the answer to the next call: no stray notification.
  EXPECT_EQ((*client.call(request("echo", json::array(), 5)))["id"], 5);

  // Another connection cannot cancel this one's subscription.
  WsClient other(ts.port());
  const auto foreign = other.call(request("ward_unsubscribe", json::array({(*sub2)["result"]}), 1));
  ASSERT_TRUE(foreign);
  EXPECT_EQ((*foreign)["result"], false);
}

TEST(RpcWs, SubscribeRejectsBadKindsAndFilters) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  WsClient client(ts.port());
  const auto unknown = client.call(request("ward_subscribe", json::array({"nope"}), 1));
  ASSERT_TRUE(unknown);
  EXPECT_EQ((*unknown)["error"]["code"], kInvalidParams);
  EXPECT_EQ((*unknown)["error"]["message"], "unknown subscription kind \"nope\"");
  EXPECT_EQ((*unknown)["error"]["data"]["kinds"], json::array({"tick"}));
  const auto filter = client.call(request("ward_subscribe", json::array({"tick", "x"}), 2));
  EXPECT_EQ((*filter)["error"]["code"], kInvalidParams);
  EXPECT_EQ((*filter)["error"]["message"], "filter must be {\"min\": number}");
  const auto shape = client.call(request("ward_subscribe", json::array(), 3));
  EXPECT_EQ((*shape)["error"]["code"], kInvalidParams);
  EXPECT_EQ(ts.server().subscription_count(), 0u);
}

TEST(RpcWs, SubscriptionLimit) {
  ServerOptions options;
  options.max_subscriptions_per_connection = 2;
  TestServer ts(options);
  ASSERT_TRUE(ts.start());
  WsClient client(ts.port());
  for (int i = 0; i < 2; ++i) {
    const auto ok = client.call(request("ward_subscribe", json::array({"tick", {{"min", 0}}}), i));
    ASSERT_TRUE(ok);
    ASSERT_TRUE((*ok)["result"].is_string());
  }
  const auto over = client.call(request("ward_subscribe", json::array({"tick", {{"min", 0}}}), 9));
  ASSERT_TRUE(over);
  EXPECT_EQ((*over)["error"]["code"], kServerError);
  EXPECT_NE((*over)["error"]["message"].get<std::string>().find("max_subscriptions_per_connection (2)"),
            std::string::npos);
  EXPECT_EQ((*over)["error"]["data"]["kind"], "subscription_limit");
  EXPECT_EQ(ts.server().subscription_count(), 2u);
  // Subscriptions die with their connection.
  client.close();
  EXPECT_TRUE(eventually([&] { return ts.server().subscription_count() == 0; }));
  EXPECT_TRUE(eventually([&] { return ts.server().connection_count() == 0; }));
  EXPECT_EQ(ts.server().publish("tick", json{{"n", 1}}, nullptr), 0u);
}

TEST(RpcWs, SlowConsumerIsDisconnected) {
  ServerOptions options;
  options.max_queue_messages = 100;
  options.max_queue_bytes = 1u << 20;
  TestServer ts(options);
  ASSERT_TRUE(ts.start());
  WsClient slow(ts.port());
  ASSERT_TRUE(slow.call(request("ward_subscribe", json::array({"tick", {{"min", 0}}}), 1)));
  WsClient fast(ts.port());
  ASSERT_TRUE(fast.call(request("echo", json::array(), 1)));
  const json payload = {{"blob", std::string(64 * 1024, 'x')}};
  const auto begin = std::chrono::steady_clock::now();
  size_t queued = 0;
  const size_t connections_before = ts.server().connection_count();
  const size_t subscriptions_before = ts.server().subscription_count();
  for (int i = 0; i < 2000 && ts.server().connection_count() == 2; ++i) {
    queued += ts.server().publish("tick", payload, nullptr);
  }
  SCOPED_TRACE("queued " + std::to_string(queued) + ", connections before " + std::to_string(connections_before) +
               ", subscriptions before " + std::to_string(subscriptions_before));
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s) << "publish must not wait for the client";
  EXPECT_TRUE(eventually([&] { return ts.server().connection_count() == 1; }));
  EXPECT_TRUE(ts.logged("outgoing queue exceeds"));
  EXPECT_EQ(ts.server().subscription_count(), 0u);
  // The other client is unaffected.
  EXPECT_EQ((*fast.call(request("echo", json::array(), 2)))["id"], 2);
}

TEST(RpcWs, MessageOverLimitClosesTheConnection) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  TestServer ts(options);
  ASSERT_TRUE(ts.start());
  WsClient client(ts.port());
  ASSERT_FALSE(client.send(request("echo", json::array({std::string(2048, 'a')}), 1)));
  EXPECT_FALSE(client.receive());
  EXPECT_TRUE(eventually([&] { return ts.server().connection_count() == 0; }));
}

TEST(RpcWs, DeepNestingOverWebSocket) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  WsClient client(ts.port());
  const auto reply = client.call(std::string(100000, '['));
  ASSERT_TRUE(reply);
  EXPECT_EQ((*reply)["error"]["message"], "request nesting exceeds max_json_depth (64)");
}

// Publishes "tick" events from its own thread until destroyed.
class Publisher {
 public:
  explicit Publisher(Server& server)
      : m_thread([this, &server] {
          while (!m_done.load()) {
            server.publish("tick", json{{"n", 1}}, at_least(1));
            std::this_thread::sleep_for(1ms);
          }
        }) {}
  ~Publisher() {
    m_done = true;
    m_thread.join();
  }
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

 private:
  std::atomic<bool> m_done{false};
  std::thread m_thread;
};

TEST(RpcWs, ConcurrentPublishSubscribeAndStop) {
  TestServer ts;
  ASSERT_TRUE(ts.start());
  Publisher publisher(ts.server());
  for (int round = 0; round < 20; ++round) {
    WsClient client(ts.port());
    ASSERT_FALSE(client.error());
    // The ward_subscribe answer always comes before the first notification.
    const auto sub = client.call(request("ward_subscribe", json::array({"tick", {{"min", 0}}}), round));
    ASSERT_TRUE(sub);
    ASSERT_EQ((*sub)["id"], round) << sub->dump();
    const auto note = client.receive();
    ASSERT_TRUE(note);
    EXPECT_EQ((*note)["method"], "ward_subscription");
    EXPECT_EQ((*note)["params"]["subscription"], (*sub)["result"]);
    if (round % 2 == 0) client.close();  // odd rounds just drop the socket
  }
  WsClient last(ts.port());
  ASSERT_TRUE(last.call(request("ward_subscribe", json::array({"tick", {{"min", 0}}}), 1)));
  ts.server().stop();  // while publishing to a live subscription
  EXPECT_EQ(ts.server().subscription_count(), 0u);
  EXPECT_EQ(ts.server().connection_count(), 0u);
}

}  // namespace
}  // namespace ward::rpc::test
