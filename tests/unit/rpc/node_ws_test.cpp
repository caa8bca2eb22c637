// The node's subscriptions over a real WebSocket: an in-process node (dev
// mode: a block per transaction batch) on RocksDB, ward_subscribe to
// "newHeads" and to "events" with a filter, signed transactions submitted
// over HTTP, and the notifications that arrive; subscribing over HTTP is
// refused; bad filters are -32602.
#include <gtest/gtest.h>

#include "../node/node_test_util.h"
#include "chain/receipt_json.h"
#include "interp/interp.h"
#include "node/service.h"
#include "rpc/client.h"
#include "rpc/node_methods.h"
#include "state/objects.h"
#include "state/rocksdb_store.h"
#include "test_client.h"

namespace ward::rpc::test {
namespace {

using node::testing::key_of;
using node::testing::make_tx;
using node::testing::TempDir;

const char* kEmitter = R"((module
  (import "ward_v1" "log" (func $log (param i32 i32 i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "a")
  (data (i32.const 4) "b")
  (data (i32.const 16) "{\"i\":0}")
  (data (i32.const 32) "{\"i\":1}")
  (func (export "emit")
    (call $log (i32.const 0) (i32.const 1) (i32.const 16) (i32.const 7))
    (call $log (i32.const 4) (i32.const 1) (i32.const 32) (i32.const 7)))
))";

std::string hex_of(const std::string& bytes) {
  return "0x" + state::hex_encode({reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

/// A dev node in this process, stopped at scope exit.
struct InProcessNode {
  TempDir dir;
  chain::KeyPair dev = key_of(7);
  std::unique_ptr<state::RocksDbStore> store;
  std::unique_ptr<runtime::Backend> backend = runtime::make_interp_backend();
  std::shared_ptr<chain::ModuleCache> cache = std::make_shared<chain::ModuleCache>();
  std::unique_ptr<node::Chain> chain;
  std::unique_ptr<node::Mempool> mempool;
  Dispatcher dispatcher;
  std::unique_ptr<Server> server;
  std::unique_ptr<node::NodeService> service;
  NodeRpc nrpc;

  InProcessNode() {
    state::RocksDbOptions o;
    o.mode = state::OpenMode::Create;
    store = std::move(state::RocksDbStore::open(dir.path.string(), o).value());
    const chain::Address a = chain::address_of(dev.public_key);
    EXPECT_TRUE(node::Chain::init(*store, node::dev_genesis(a, a, 1'700'000'000'000ull)).ok());
    node::Chain::Options copts;
    copts.cache = cache;
    copts.producer_key = dev;
    chain = std::move(node::Chain::open(*store, *backend, copts).value());
    state::RocksDbStore* s = store.get();
    mempool = std::make_unique<node::Mempool>(node::MempoolOptions{}, "ward-dev",
                                              [s](const chain::Address& addr) -> Result<node::AccountView> {
                                                state::Overlay ov(*s);
                                                return node::AccountView{state::get_nonce(ov, addr).value(),
                                                                         state::balance(ov, addr).value()};
                                              });
    ServerOptions so;
    so.port = 0;
    server = std::make_unique<Server>(so, dispatcher);
    node::ServiceOptions vo;
    vo.dev = true;
    Server* srv = server.get();
    service = std::make_unique<node::NodeService>(*chain, *mempool, vo,
                                                  [srv](const node::BlockResult& b) { publish_block(*srv, b); },
                                                  nullptr);
    nrpc.service = service.get();
    nrpc.backend = backend.get();
    nrpc.cache = cache;
    nrpc.snapshot = [s] { return s->snapshot(); };
    register_node_methods(dispatcher, server.get(), nrpc);
    EXPECT_TRUE(server->start().ok());
    service->start();
  }
  ~InProcessNode() {
    service->stop();
    server->stop();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(server->port()); }
  /// Signs and sends; returns the receipt (waits for inclusion).
  json send(uint64_t nonce, chain::Action action, uint64_t gas = 1'000'000) {
    chain::SignedTransaction s = chain::sign_transaction(make_tx("ward-dev", dev, nonce, std::move(action), gas, 1, 100), dev);
    Client c(url());
    return c.call("ward_sendTransaction", json::array({hex_of(chain::encode_signed(s)), "included"}))["receipt"];
  }
};

TEST(NodeSubscriptions, NewHeadsAndFilteredEventsArriveOverWebSocket) {
  InProcessNode n;
  WsClient ws(n.server->port());
  auto heads = ws.call(request("ward_subscribe", json::array({"newHeads"}), 1));
  ASSERT_TRUE(heads && heads->contains("result")) << (heads ? heads->dump() : "no answer");
  const std::string heads_id = (*heads)["result"];

  // Deploy the emitter, then subscribe to its "b" events only.
  chain::DeployAction d;
  d.code = node::testing::wat(kEmitter);
  json deployed = n.send(0, d);
  ASSERT_EQ(deployed["status"], "ok") << deployed.dump();
  const std::string contract = deployed["contract"];
  auto head1 = ws.receive();
  ASSERT_TRUE(head1);
  EXPECT_EQ((*head1)["method"], "ward_subscription");
  EXPECT_EQ((*head1)["params"]["subscription"], heads_id);
  EXPECT_EQ((*head1)["params"]["result"]["height"], 1);
  EXPECT_EQ((*head1)["params"]["result"]["tx_count"], 1);

  auto events = ws.call(request("ward_subscribe", json::array({"events", {{"contract", contract}, {"name", "b"}}}), 2));
  ASSERT_TRUE(events && events->contains("result")) << (events ? events->dump() : "no answer");
  const std::string events_id = (*events)["result"];

  json called = n.send(1, chain::CallAction{*chain::parse_address(contract), "emit", "{}", 0});
  ASSERT_EQ(called["status"], "ok") << called.dump();
  // Two notifications follow, in publish order: the head, then the one "b" event.
  auto first = ws.receive();
  auto second = ws.receive();
  ASSERT_TRUE(first && second);
  EXPECT_EQ((*first)["params"]["subscription"], heads_id);
  EXPECT_EQ((*first)["params"]["result"]["height"], 2);
  EXPECT_EQ((*second)["params"]["subscription"], events_id);
  const json& ev = (*second)["params"]["result"];
  EXPECT_EQ(ev["name"], "b");
  EXPECT_EQ(ev["contract"], contract);
  EXPECT_EQ(ev["data"], json({{"i", 1}}));
  EXPECT_EQ(ev["height"], 2);
  EXPECT_EQ(ev["tx_hash"], called["tx_hash"]);
  // The next message is the answer to ward_unsubscribe: the "a" events were
  // not delivered (they would have been queued before it). A read timeout
  // closes the WebSocket, so no waiting for absent messages until the end.
  ASSERT_FALSE(ws.send(request("ward_unsubscribe", json::array({heads_id}), 3)));
  auto un = ws.receive();
  ASSERT_TRUE(un && un->contains("result")) << (un ? un->dump() : "no answer");
  EXPECT_EQ((*un)["id"], 3);

  // After unsubscribing newHeads, a block brings only what the events filter matches (nothing here).
  json moved = n.send(2, chain::TransferAction{chain::Address{}, 5});
  ASSERT_EQ(moved["status"], "ok");
  EXPECT_FALSE(ws.receive(std::chrono::seconds(1)));
}

TEST(NodeSubscriptions, BadFiltersAndHttpAreRefused) {
  InProcessNode n;
  WsClient ws(n.server->port());
  auto bad = ws.call(request("ward_subscribe", json::array({"events", {{"contract", "0x12"}}}), 1));
  ASSERT_TRUE(bad && bad->contains("error"));
  EXPECT_EQ((*bad)["error"]["code"], kInvalidParams);
  EXPECT_NE((*bad)["error"]["message"].get<std::string>().find("contract"), std::string::npos);
  auto unknown = ws.call(request("ward_subscribe", json::array({"events", {{"color", "red"}}}), 2));
  ASSERT_TRUE(unknown && unknown->contains("error"));
  EXPECT_NE((*unknown)["error"]["message"].get<std::string>().find("color"), std::string::npos);
  auto heads = ws.call(request("ward_subscribe", json::array({"newHeads", {{"x", 1}}}), 3));
  ASSERT_TRUE(heads && heads->contains("error"));

  Client http(n.url());
  try {
    http.call("ward_subscribe", json::array({"newHeads"}));
    FAIL() << "subscribing over HTTP must fail";
  } catch (const ClientError& e) {
    EXPECT_EQ(e.error.data.value("kind", ""), "websocket_only");
  }
}

}  // namespace
}  // namespace ward::rpc::test
