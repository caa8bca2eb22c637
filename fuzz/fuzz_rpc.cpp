// libFuzzer target: the JSON-RPC request handler (rpc/dispatcher.h) with the
// node's ward_* methods (rpc/node_methods.h) registered on a real in-process
// node, the input being one HTTP body / WebSocket message.
//
// The node: the fuzz chain of node_fixture.h (an in-memory store with a
// genesis and four blocks: transfers, a contract deploy, calls with events, a
// reverted call), built once per process; per input a fresh mempool, node
// service (its producer thread never started, so the chain never changes)
// and dispatcher, assembled as src/cli/chain_access.cpp read_rpc() does.
// waitUntil "included" waits 0 ms.
//
// WARD_FUZZ_VERBOSE=1 prints each answer (its first 400 bytes).
//
// Checked for every input (abort on violation; an escaping exception is a
// crash too; deep nesting must be answered, not overflow the stack):
//   - handle() never throws;
//   - no answer only for a notification or a batch of notifications: the
//     body then is valid JSON within max_json_depth;
//   - an answer is valid JSON-RPC 2.0: JSON text that parses; one response
//     object, or a non-empty array of them (never more than the batch had);
//     each has exactly "jsonrpc": "2.0", "id" (string, number or null) and
//     one of "result" / "error", the error an object with an integer
//     "code", a string "message" and optionally "data", nothing else;
//   - a single request object with a string or integer id is answered with
//     that id.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "node/mempool.h"
#include "node/service.h"
#include "node_fixture.h"
#include "rpc/dispatcher.h"
#include "rpc/node_methods.h"
#include "util/json_depth.h"

namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& what, std::string_view body, const std::string& answer) {
  std::fprintf(stderr, "fuzz_rpc: invariant violated: %s\nrequest: %.*s\nanswer: %s\n", what.c_str(),
               static_cast<int>(std::min<size_t>(body.size(), 2000)), body.data(), answer.substr(0, 2000).c_str());
  std::abort();
}

/// Empty when `r` is a valid response object, else what is wrong.
std::string check_response(const json& r) {
  if (!r.is_object()) return "a response is not an object";
  for (const auto& [key, value] : r.items()) {
    if (key != "jsonrpc" && key != "id" && key != "result" && key != "error") return "unknown member " + key;
  }
  if (!r.contains("jsonrpc") || r["jsonrpc"] != "2.0") return "jsonrpc is not \"2.0\"";
  if (!r.contains("id")) return "no id";
  const json& id = r["id"];
  if (!id.is_string() && !id.is_number() && !id.is_null()) return "id is not a string, number or null";
  if (r.contains("result") == r.contains("error")) return "not exactly one of result and error";
  if (r.contains("error")) {
    const json& e = r["error"];
    if (!e.is_object()) return "error is not an object";
    for (const auto& [key, value] : e.items()) {
      if (key != "code" && key != "message" && key != "data") return "unknown error member " + key;
    }
    if (!e.contains("code") || !e["code"].is_number_integer()) return "error code is not an integer";
    if (!e.contains("message") || !e["message"].is_string()) return "error message is not a string";
  }
  return "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ward;
  fuzz::FuzzChain& f = fuzz::fuzz_chain();
  node::Chain& chain = *f.chain;
  state::KvStore* store = &f.store;
  node::Mempool mempool(node::MempoolOptions{}, chain.genesis().chain_id,
                        [store](const chain::Address& a) { return fuzz::account_at(*store, a); });
  node::NodeService service(chain, mempool, node::ServiceOptions{}, nullptr, nullptr);
  rpc::Dispatcher dispatcher;
  rpc::NodeRpc nrpc;
  nrpc.service = &service;
  nrpc.backend = f.backend.get();
  nrpc.cache = f.cache;
  nrpc.limits.default_gas = 2'000'000;
  nrpc.snapshot = [store] { return std::make_unique<fuzz::StoreView>(*store); };
  nrpc.max_wait_ms = 0;
  nrpc.default_wait_ms = 0;
  nrpc.max_event_range = 100;
  rpc::register_node_methods(dispatcher, nullptr, nrpc);

  const std::string_view body(reinterpret_cast<const char*>(data), size);
  const rpc::DispatchOptions options;  // the server's defaults: max_batch 100, max_json_depth 64
  const std::optional<std::string> answer = dispatcher.handle(body, rpc::CallContext{}, options);
  static const bool verbose = std::getenv("WARD_FUZZ_VERBOSE") != nullptr;
  if (verbose) std::fprintf(stderr, "answer: %s\n", answer ? answer->substr(0, 400).c_str() : "(none)");

  const bool shallow = json_depth(body) <= options.max_json_depth;
  const json request = shallow ? json::parse(body.begin(), body.end(), nullptr, false) : json(json::value_t::discarded);
  if (!answer) {
    if (!shallow || request.is_discarded()) fail("no answer to a body that is not valid JSON", body, "");
    if (!request.is_object() && !request.is_array()) fail("no answer to a scalar", body, "");
    return 0;
  }
  const json reply = json::parse(*answer, nullptr, false);
  if (reply.is_discarded()) fail("the answer is not JSON", body, *answer);
  if (reply.is_array()) {
    if (reply.empty()) fail("an empty batch answer", body, *answer);
    if (!request.is_array() || request.empty() || reply.size() > request.size()) {
      fail("a batch answer to something other than a batch, or with more answers than calls", body, *answer);
    }
    for (const auto& r : reply) {
      if (auto why = check_response(r); !why.empty()) fail(why, body, *answer);
    }
    return 0;
  }
  if (auto why = check_response(reply); !why.empty()) fail(why, body, *answer);
  if (request.is_object()) {
    const auto id = request.find("id");
    if (id != request.end() && (id->is_string() || id->is_number_integer()) && reply["id"] != *id) {
      fail("the answer's id differs from the request's", body, *answer);
    }
  }
  return 0;
}
