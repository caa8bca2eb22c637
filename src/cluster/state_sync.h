// ward/cluster/state_sync.h — state sync ("fast sync") of a new or far-behind
// cluster node at start-up (docs/cluster.md "State sync", ADR 0013).
//
// The node picks the newest state snapshot its peers (ward/<chain>/members/)
// offer at a height h above its head, takes block h's header (from etcd
// when h is still there, else from the peer; its hash, producer signature
// and state root are checked against the snapshot and etcd), checks the
// chunk plan against that state root (node/snapshot.h), downloads every
// chunk with ward_getStateChunk, verifying each as it arrives (a bad chunk is
// rejected and fetched from the next peer), and writes it into a staging
// store "<data>.sync" beside the data folder, with the state tree built as
// it goes. When every chunk is in and the staged tree's root equals the
// header's, the staging store becomes a chain whose head and base is h
// (Chain::adopt_state), a marker file "<data>.sync-done" is written and
// synced, and the staging folder replaces the data folder by a rename.
// finish_state_switch() completes a switch that a crash interrupted. An
// interrupted download resumes (the chunks already verified are kept) when
// a peer still offers height h, else starts again at a newer height.
// Thread-safety: run before the node starts, on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "node/genesis.h"
#include "node/snapshot.h"
#include "state/kv_store.h"
#include "util/result.h"

namespace ward::cluster {

struct StateSyncOptions {
  std::vector<std::string> endpoints;  ///< etcd client URLs
  std::string chain;                   ///< the cluster's chain id
  std::string data_dir;                ///< the node's --data folder
  node::Genesis genesis;               ///< the node's genesis (its block is rebuilt, not downloaded)
  uint32_t chunk_delay_ms = 0;         ///< pause after each chunk, ms (tests make a sync last)
  uint32_t give_up_s = 120;            ///< error when no peer serves a needed chunk for this long, s
  std::function<void(const std::string&)> log;
};

/// What download_chunks() fetches.
struct ChunkDownload {
  std::vector<std::string> peers;     ///< RPC URLs, tried in turn
  uint64_t height = 0;                ///< the snapshot's height
  std::vector<node::ChunkInfo> plan;  ///< verified against the state root (node::verify_plan)
  uint32_t chunk_delay_ms = 0;        ///< pause after each chunk, ms
  uint32_t give_up_s = 120;           ///< error when no peer serves a chunk for this long, s
  std::function<void(const std::string&)> log;
};

/// Downloads into `staging` every chunk of `d.plan` not yet marked done
/// there, each with ward_getStateChunk from the peers in turn and checked
/// with node::verify_chunk as it arrives (a chunk that fails, or a peer that
/// fails, is logged with the reason and the next peer is asked; after a
/// round of failures it waits 1 s). Each chunk is one write: its entries,
/// the state-tree nodes (from the partial root of the chunks so far), the
/// new partial root and its done mark, so an interrupted download resumes.
/// Returns the final root (the caller compares it with the block's state
/// root) and the bytes downloaded. Errors: no peer served a chunk for
/// give_up_s, storage errors.
Result<std::pair<node::Hash, uint64_t>> download_chunks(state::KvStore& staging, const ChunkDownload& d);

/// Completes a switch to a synced state that was interrupted after the
/// staging store was complete ("<data>.sync-done" present): replaces the
/// data folder with "<data>.sync". No effect otherwise. Errors: file system errors.
Result<void> finish_state_switch(const std::string& data_dir);

/// Runs state sync when the node needs it: the data folder holds no chain
/// or only the genesis block, or the blocks after its head are gone from
/// etcd; and a peer offers a snapshot above the head. True when the data
/// folder now holds the synced state, false when no sync was needed or
/// possible (the reason is logged). Errors: a failed sync (no peer serves
/// a chunk for give_up_s, the header or the plan do not check out, storage
/// errors); the staging store is kept for the next attempt.
Result<bool> state_sync(const StateSyncOptions& options);

}  // namespace ward::cluster
