// tests/unit/rpc/test_server.cpp — the dummy methods and subscription kind of
// the rpc tests' TestServer.
#include <stdexcept>
#include <thread>

#include "test_client.h"

namespace ward::rpc::test {

void TestServer::register_methods() {
  m_dispatcher.add("echo", [](const json& params, const CallContext&) { return params; });
  m_dispatcher.add("add", [](const json& params, const CallContext&) -> json {
    if (params.is_array() && params.size() == 2 && params[0].is_number() && params[1].is_number()) {
      return params[0].get<double>() + params[1].get<double>();
    }
    if (params.is_object() && params.contains("a") && params.contains("b") && params["a"].is_number() &&
        params["b"].is_number()) {
      return params["a"].get<double>() + params["b"].get<double>();
    }
    throw RpcError{kInvalidParams, "add takes [a, b] or {\"a\": a, \"b\": b}", nullptr};
  });
  m_dispatcher.add("slow", [](const json& params, const CallContext& ctx) {
    std::this_thread::sleep_for(std::chrono::milliseconds(params.at(0).get<int>()));
    return json{{"past_deadline", std::chrono::steady_clock::now() > ctx.deadline}};
  });
  m_dispatcher.add("fail_rpc", [](const json&, const CallContext&) -> json {
    throw RpcError{-32001, "custom failure", json{{"detail", 42}}};
  });
  m_dispatcher.add("fail_std", [](const json&, const CallContext&) -> json { throw std::runtime_error("boom"); });
  m_dispatcher.add("count", [this](const json&, const CallContext&) -> json {
    ++m_notifications;
    return nullptr;
  });
  m_dispatcher.add("context", [](const json&, const CallContext& ctx) {
    return json{{"websocket", ctx.websocket}, {"connection_id", ctx.connection_id}};
  });
}

}  // namespace ward::rpc::test
