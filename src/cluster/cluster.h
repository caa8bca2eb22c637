// ward/cluster/cluster.h — several nodes, one chain: blocks are ordered on
// etcd and executed on every node (docs/cluster.md, docs/adr/0009).
//
// Keys, all under "ward/<chain>/":
//   genesis            -> hex of the genesis block hash (first node writes it; others must match)
//   leader             -> the leader's RPC URL, put with the leader's lease (TTL ~5 s, kept alive)
//   tip                -> "<height>:<block hash hex>" of the last ordered block
//   blocks/<h>         -> the ordered block h (h zero-padded to 20 digits, so keys sort by height):
//                         signed header bytes || u32be n || n × (u32be length || signed tx bytes)
//   members/<url>      -> a live node's RPC URL, put with that node's member lease (TTL 10 s):
//                         the peers that blocks past the etcd window and state snapshots come from
//
// The leader is the node whose compare-and-swap created the leader key (its
// create revision is the leadership's identity). It produces block h with
// NodeService on its head h-1 and orders it with one transaction: compares
// "leader's create_revision is mine", "blocks/h does not exist" and "tip is
// h-1:<parent hash>"; puts blocks/h and tip, deletes blocks/(h - window).
// Only when that succeeds is the block committed locally. Followers read
// and watch blocks/ and apply each block with Chain::apply_block; a block
// that does not re-execute to its header halts the node.
// Thread-safety: start()/stop() from one thread; the callbacks (may_produce,
// before_commit, forward_url, info) from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/etcd.h"
#include "node/service.h"

namespace ward::cluster {

struct ClusterOptions {
  std::vector<std::string> endpoints;  ///< etcd client URLs (parse_endpoints)
  std::string chain;                   ///< --chain: must be the genesis chain id
  std::string self_url;                ///< this node's RPC URL, the leader key's value
  int64_t lease_ttl_s = 5;             ///< leadership lease
  uint64_t block_window = 1000;        ///< blocks kept in etcd behind the tip
  int64_t start_timeout_s = 30;        ///< start(): how long an unreachable or busy etcd is retried
  size_t max_block_bytes = 1u << 20;   ///< encoded block in etcd, bytes (etcd's request limit is 1.5 MiB)
  std::function<void(const std::string&)> log;
};

/// Encodes an ordered block: signed header || u32be n || n × (u32be len || bytes).
std::string encode_block(const node::SignedHeader& header, const std::vector<std::string>& txs);
/// Decodes encode_block's bytes. Errors: "ordered block: ..." naming what is wrong.
Result<std::pair<node::SignedHeader, std::vector<std::string>>> decode_block(std::string_view bytes);
/// The RPC URLs of the cluster's members (ward/<chain>/members/), the
/// leader's first when it is one of them, without `self`. Errors: etcd unreachable.
Result<std::vector<std::string>> cluster_peers(Etcd& etcd, const std::string& chain, const std::string& self,
                                               const std::string& leader = "");
/// The zero-padded etcd key of ordered block `height` of `chain`.
std::string ordered_block_key(const std::string& chain, uint64_t height);

/// Bytes of an encoded block besides its transactions' own bytes: header, count, one length per transaction.
size_t block_overhead(size_t tx_count);

class ClusterNode {
 public:
  ClusterNode(node::NodeService& service, ClusterOptions options);
  ~ClusterNode();
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;

  /// Checks the cluster (reachable, --chain is the genesis chain id, the
  /// genesis hash matches the one the cluster recorded, which the first node
  /// writes; an unreachable or busy etcd is retried for start_timeout_s) and starts the election and follower threads. Errors name the
  /// mismatch or the unreachable endpoints.
  Result<void> start();
  /// Stops both threads; a leader revokes its lease so another node takes over at once.
  void stop();

  /// ServiceOptions::may_produce: leads, the lease is fresh, and every ordered block is applied.
  bool may_produce();
  /// ServiceOptions::before_commit: orders the block in etcd (see the file comment).
  Result<bool> before_commit(const node::BlockResult& block);
  /// Where to forward a transaction: the leader's URL, or nullopt when this node leads.
  /// Error: "no leader elected yet" (the client retries).
  Result<std::optional<std::string>> forward_url();
  /// ward_chainInfo's "cluster" object: {chain, role, leader, leader_height, behind, state_sync_base}.
  nlohmann::json info();

 private:
  /// Records or checks the genesis hash `mine` and reads the ordered tip.
  /// Errors starting "cannot reach etcd: " are transient (start() retries).
  Result<void> check_genesis(const std::string& mine);
  void election_loop();
  void follower_loop();
  /// Applies ordered blocks from etcd after the head (range reads); false when none was there.
  Result<bool> catch_up(Etcd& etcd, int64_t& revision);
  /// Applies one ordered block at the head + 1 or checks one at or below it.
  Result<void> take_block(const KeyValue& kv);
  /// Fetches blocks [from, to] from the peers' ward_getBlock (past the etcd
  /// window): the leader first, then every other member, moving on when one fails.
  Result<void> fetch_from_peer(Etcd& etcd, uint64_t from, uint64_t to);
  /// Fetches blocks [from, to] from one peer.
  Result<void> fetch_blocks(const std::string& url, uint64_t from, uint64_t to);
  /// Keeps this node's members/<url> key alive (election thread).
  void keep_membership(std::chrono::steady_clock::time_point& next);
  void forward_mempool();
  void log(const std::string& line);
  std::string key(const std::string& suffix) const;
  std::string block_key(uint64_t height) const;
  bool sleep_for(std::chrono::milliseconds d);

  node::NodeService& m_service;
  node::Chain& m_chain;
  ClusterOptions m_options;
  Etcd m_etcd;            ///< election thread (and start())
  Etcd m_order;           ///< before_commit (the producer thread)
  std::mutex m_order_mutex;
  std::thread m_election, m_follower;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::atomic<bool> m_stop{false};

  mutable std::mutex m_state_mutex;
  bool m_leader = false;
  int64_t m_leader_rev = 0;     ///< create revision of our leader key
  int64_t m_lease = 0;
  int64_t m_member_lease = 0;   ///< lease of members/<self_url> (election thread)
  std::chrono::steady_clock::time_point m_lease_fresh_until{};
  std::string m_leader_url;     ///< last seen leader key value ("" unknown)
  std::atomic<uint64_t> m_tip{0};  ///< last ordered height seen in etcd
  std::atomic<bool> m_halted{false};
};

}  // namespace ward::cluster
