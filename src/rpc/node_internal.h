// ward/rpc/node_internal.h — what the node method files share: the read
// view of a request, JSON of headers, and error helpers.
// Thread-safety: per-request values.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "node/chain.h"
#include "rpc/node_methods.h"
#include "rpc/params.h"

namespace ward::rpc::detail {

/// A point-in-time view of the chain for one request.
struct ReadView {
  std::unique_ptr<state::KvStore> store;  ///< snapshot
  node::Head head;
};

/// Takes a snapshot and reads the head from it.
ReadView read_view(NodeRpc& node);
/// Throws a -32000 error with data {kind: "storage_fault"}.
[[noreturn]] void storage_fault(const Error& e);
/// Header JSON: {"height","hash","parent_hash","time_ms","producer","tx_count",
/// "tx_root","receipts_root","state_root","gas_used","producer_key","signature"}.
nlohmann::ordered_json header_json(const node::SignedHeader& h);
/// The block context of a dry run on top of `head`.
chain::BlockContext next_block(const node::Chain& chain, const node::Head& head);
/// "0x" + hex of bytes.
std::string hex0x(std::string_view bytes);

/// Registers the state-reading methods (state_methods.cpp).
void register_state_methods(Dispatcher& d, NodeRpc& node);
/// Registers ward_getSnapshotInfo and ward_getStateChunk when `node.snapshots`
/// is set (sync_methods.cpp).
void register_sync_methods(Dispatcher& d, NodeRpc& node);

}  // namespace ward::rpc::detail
