// ward/rpc/node_methods.h — the node's JSON-RPC methods (docs/rpc.md
// "Methods"): registered on a Dispatcher, with the subscription kinds
// "newHeads" and "events" on the Server, and publish_block() to notify
// subscribers of a committed block.
// Thread-safety: handlers run on the server's threads; reads go to a store
// snapshot taken per request, so a block being committed is seen whole or
// not at all.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "chain/module_cache.h"
#include "node/service.h"
#include "node/snapshot.h"
#include "rpc/dispatcher.h"
#include "rpc/server.h"
#include "runtime/backend.h"
#include "runtime/limits.h"

namespace ward::rpc {

/// Server-defined error codes (docs/rpc.md "Errors"); data.kind refines them.
inline constexpr int kTxRejected = -32001;  ///< admission refused the transaction; data {kind, reason, txHash?}
inline constexpr int kTimeout = -32002;     ///< waitUntil "included" timed out; data {kind:"timeout", txHash}
inline constexpr int kNotFound = -32003;    ///< a block, contract or object does not exist (when null is not meaningful)
inline constexpr int kExecution = -32004;   ///< ward_call / ward_simulate could not run (data {kind, error})
inline constexpr int kNodeHalted = -32005;  ///< storage fault: the node refuses new blocks (data {kind:"halted"})

/// What the methods work on.
struct NodeRpc {
  node::NodeService* service = nullptr;                      ///< chain + mempool + producer
  runtime::Backend* backend = nullptr;                       ///< for read-only executions
  std::shared_ptr<chain::ModuleCache> cache;                 ///< shared with the producer
  runtime::Limits limits;
  std::function<std::unique_ptr<state::KvStore>()> snapshot; ///< a point-in-time read view
  uint32_t max_wait_ms = 60'000;                             ///< longest waitUntil "included"
  uint32_t default_wait_ms = 30'000;
  uint64_t max_event_range = 10'000;                         ///< blocks per ward_getEvents
  /// Cluster mode (src/cluster): where ward_sendTransaction forwards to (the
  /// leader's RPC URL), nullopt to admit locally, an error when no leader is known.
  std::function<Result<std::optional<std::string>>()> forward_url;
  /// Cluster mode: ward_chainInfo's "cluster" object.
  std::function<nlohmann::json()> cluster_info;
  /// Cluster mode: the state snapshots served by ward_getSnapshotInfo and
  /// ward_getStateChunk (state sync); null: those methods are not registered.
  node::StateSnapshots* snapshots = nullptr;
};

/// Registers every ward_* method on `dispatcher` and the subscription kinds on `server`.
/// `server` null: no subscriptions (the CLI's in-process reads).
void register_node_methods(Dispatcher& dispatcher, Server* server, NodeRpc& node);
/// Sends "newHeads" and matching "events" notifications for a committed block.
void publish_block(Server& server, const node::BlockResult& block);

}  // namespace ward::rpc
