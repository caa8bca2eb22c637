// ward/rpc/sync_methods.cpp — ward_getSnapshotInfo and ward_getStateChunk:
// the serving side of cluster state sync (docs/rpc.md, docs/cluster.md
// "State sync", ADR 0013). Registered when the node keeps state snapshots.
#include "node/snapshot.h"
#include "rpc/node_internal.h"
#include "state/layout.h"

namespace ward::rpc::detail {
namespace {

std::string hash0x(const node::Hash& h) { return "0x" + state::hex_encode(h); }

/// The pinned snapshot at `height` (nullopt: the latest), or a -32003 error {kind: "no_snapshot"}.
std::shared_ptr<const node::PinnedSnapshot> pinned(node::StateSnapshots& s, std::optional<uint64_t> height) {
  auto p = s.get(height);
  if (!p) {
    if (p.error().message.rfind("no state snapshot", 0) == 0) {
      throw RpcError{kNotFound, p.error().message, nlohmann::json{{"kind", "no_snapshot"}}};
    }
    storage_fault(p.error());
  }
  return p.value();
}

nlohmann::ordered_json snapshot_info_json(const node::PinnedSnapshot& p) {
  nlohmann::ordered_json chunks = nlohmann::ordered_json::array();
  for (const auto& c : p.plan) {
    chunks.push_back(nlohmann::ordered_json{{"prefix", hash0x(c.prefix)},
                                            {"depth", c.depth},
                                            {"hash", hash0x(c.hash)},
                                            {"entries", c.entries},
                                            {"bytes", c.bytes}});
  }
  nlohmann::ordered_json j = {{"height", p.height},
                              {"block_hash", hash0x(p.block_hash)},
                              {"state_root", hash0x(p.state_root)},
                              {"entries", p.entries},
                              {"bytes", p.bytes},
                              {"chunk_count", p.plan.size()},
                              {"chunks", std::move(chunks)}};
  return j;
}

}  // namespace

void register_sync_methods(Dispatcher& d, NodeRpc& node) {
  if (node.snapshots == nullptr) return;
  node::StateSnapshots& snaps = *node.snapshots;
  d.add("ward_getSnapshotInfo", [&snaps](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"height"});
    return snapshot_info_json(*pinned(snaps, p.opt_u64("height")));
  });
  d.add("ward_getStateChunk", [&snaps](const nlohmann::json& params, const CallContext&) -> nlohmann::json {
    Params p(params, {"height", "chunk"});
    const uint64_t height = p.u64("height");
    const uint64_t index = p.u64("chunk");
    auto snap = pinned(snaps, height);
    if (index >= snap->plan.size()) {
      invalid_params("'chunk' must be below " + std::to_string(snap->plan.size()) + " (the snapshot at height " +
                     std::to_string(height) + " has " + std::to_string(snap->plan.size()) + " chunks)");
    }
    auto entries = node::read_chunk(*snap->store, snap->state_root, snap->plan[index]);
    if (!entries) storage_fault(entries.error());
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [k, v] : entries.value()) list.push_back(nlohmann::json::array({hex0x(k), hex0x(v)}));
    nlohmann::ordered_json j = {{"height", height}, {"chunk", index}, {"entries", std::move(list)}};
    return j;
  });
}

}  // namespace ward::rpc::detail
