// ward/node/service.h — the running node: accepts transactions into the
// mempool, produces blocks (every block_time_ms while transactions wait;
// in dev mode as soon as one arrives), tells waiters and subscribers about
// each block, and halts cleanly on a storage fault (docs/node.md).
// Thread-safety: every method may be called from any thread; one producer
// thread runs between start() and stop().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>

#include "node/chain.h"
#include "node/mempool.h"

namespace ward::node {

struct ServiceOptions {
  uint32_t block_time_ms = 1000;  ///< block interval while transactions wait
  bool dev = false;               ///< produce as soon as a transaction arrives
  size_t max_block_txs = 10'000;  ///< transactions per block
  /// Cluster mode (src/cluster): whether this node may produce now (it leads
  /// and has applied every ordered block); unset: always.
  std::function<bool()> may_produce;
  /// Cluster mode: orders each built block before it is committed (Chain::BeforeCommit).
  Chain::BeforeCommit before_commit;
};

class NodeService {
 public:
  using BlockFn = std::function<void(const BlockResult&)>;
  using LogFn = std::function<void(const std::string&)>;

  NodeService(Chain& chain, Mempool& mempool, ServiceOptions options, BlockFn on_block, LogFn log);
  ~NodeService();
  NodeService(const NodeService&) = delete;
  NodeService& operator=(const NodeService&) = delete;

  /// Starts the producer thread.
  void start();
  /// Stops it (the block being produced is finished first).
  void stop();

  /// Admits signed transaction bytes; the hash, or why not. Refused with
  /// kind "halted" after a storage fault.
  std::variant<Hash, Rejection> submit(std::string_view signed_bytes);
  /// The receipt of `hash` once it is in a block, waiting at most `timeout`;
  /// nullopt on timeout. Errors: storage faults.
  Result<std::optional<chain::Receipt>> wait_receipt(const Hash& hash, std::chrono::milliseconds timeout);

  /// Tells waiters, subscribers and the mempool about a block committed
  /// outside the producer loop (a cluster follower's Chain::apply_block).
  void block_applied(const BlockResult& block);
  /// Halts block production and admission (as a storage fault does), with `why`.
  void halt(const std::string& why);

  bool halted() const { return m_halted.load(); }
  std::string halt_reason() const;
  Chain& chain() noexcept { return m_chain; }
  Mempool& mempool() noexcept { return m_mempool; }

 private:
  void run();
  enum class Step { Halted, Committed, Idle };
  /// Produces one block from the mempool.
  Step produce_once();

  Chain& m_chain;
  Mempool& m_mempool;
  ServiceOptions m_options;
  BlockFn m_on_block;
  LogFn m_log;
  std::thread m_thread;
  mutable std::mutex m_mutex;
  std::condition_variable m_wake;      ///< a transaction arrived, or stop
  std::condition_variable m_produced;  ///< a block was committed
  bool m_stop = false;
  bool m_pending = false;              ///< transactions arrived since the last block
  uint64_t m_blocks = 0;
  std::atomic<bool> m_halted{false};
  std::string m_halt_reason;
};

/// Current time, ms since the Unix epoch.
uint64_t now_ms();

}  // namespace ward::node
