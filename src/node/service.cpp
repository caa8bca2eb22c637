// ward/node/service.cpp — the producer loop and transaction submission (service.h).
#include "node/service.h"

namespace ward::node {

uint64_t now_ms() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

NodeService::NodeService(Chain& chain, Mempool& mempool, ServiceOptions options, BlockFn on_block, LogFn log)
    : m_chain(chain), m_mempool(mempool), m_options(options), m_on_block(std::move(on_block)), m_log(std::move(log)) {}

NodeService::~NodeService() { stop(); }

void NodeService::start() {
  std::lock_guard lock(m_mutex);
  if (m_thread.joinable()) return;
  m_stop = false;
  m_thread = std::thread([this] { run(); });
}

void NodeService::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  m_wake.notify_all();
  m_produced.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

std::string NodeService::halt_reason() const {
  std::lock_guard lock(m_mutex);
  return m_halt_reason;
}

std::variant<Hash, Rejection> NodeService::submit(std::string_view bytes) {
  if (m_halted.load()) return Rejection{"halted", "node halted: " + halt_reason()};
  const Head head = m_chain.head();
  auto r = m_mempool.add(bytes, head.height, m_chain.genesis().min_gas_price, m_chain.genesis().block_gas_limit);
  if (std::holds_alternative<Hash>(r)) {
    // Already in a block? Then it is a duplicate of an included transaction.
    auto loc = m_chain.tx_location(std::get<Hash>(r));
    if (loc && loc.value()) {
      m_mempool.remove({std::get<Hash>(r)});
      return Rejection{"duplicate", "duplicate transaction " + chain::format_hash(std::get<Hash>(r)) +
                                        " (already included in block " + std::to_string(loc.value()->first) + ")"};
    }
    {
      std::lock_guard lock(m_mutex);
      m_pending = true;
    }
    if (m_options.dev) m_wake.notify_one();
  }
  return r;
}

Result<std::optional<chain::Receipt>> NodeService::wait_receipt(const Hash& hash, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(m_mutex);
  while (true) {
    const uint64_t seen = m_blocks;
    lock.unlock();
    auto r = m_chain.receipt(hash);
    if (!r) return r.error();
    if (r.value()) return r;
    lock.lock();
    if (m_stop || m_halted.load()) return std::optional<chain::Receipt>{};
    if (m_blocks == seen &&
        m_produced.wait_until(lock, deadline, [&] { return m_blocks != seen || m_stop || m_halted.load(); }) == false) {
      return std::optional<chain::Receipt>{};
    }
    if (std::chrono::steady_clock::now() >= deadline && m_blocks == seen) return std::optional<chain::Receipt>{};
  }
}

NodeService::Step NodeService::produce_once() {
  auto halt = [&](const std::string& why) {
    this->halt(why);
    return Step::Halted;
  };
  auto txs = m_mempool.select(m_options.max_block_txs);
  if (!txs) return halt(txs.error().message);
  if (txs.value().empty()) return Step::Idle;
  auto produced = m_chain.produce(txs.value(), now_ms(), m_options.before_commit);
  if (!produced) return halt(produced.error().message);
  const BlockResult& b = produced.value();
  std::vector<Hash> gone;
  if (!b.discarded) {
    for (const auto& r : b.receipts) gone.push_back(r.tx_hash);
  }
  for (const auto& d : b.dropped) {
    gone.push_back(d.first);
    if (m_log) m_log("dropped " + chain::format_hash(d.first) + ": " + d.second);
  }
  m_mempool.remove(gone);
  m_mempool.prune_stale();
  if (!b.committed) {
    if (b.discarded && m_log) m_log("block " + std::to_string(b.header.header.height) + " discarded: not ordered");
    return Step::Idle;
  }
  if (m_log) {
    m_log("block " + std::to_string(b.header.header.height) + " txs " + std::to_string(b.receipts.size()) + " gas " +
          std::to_string(b.header.header.gas_used) + " state root " + chain::format_hash(b.header.header.state_root));
  }
  {
    std::lock_guard lock(m_mutex);
    ++m_blocks;
  }
  m_produced.notify_all();
  if (m_on_block) m_on_block(b);
  return Step::Committed;
}

void NodeService::halt(const std::string& why) {
  {
    std::lock_guard lock(m_mutex);
    if (m_halted.load()) return;
    m_halt_reason = why;
    m_halted = true;
  }
  if (m_log) m_log("halting: " + why + " (no block is produced until restart)");
  m_produced.notify_all();
  m_wake.notify_all();
}

void NodeService::block_applied(const BlockResult& b) {
  std::vector<Hash> gone;
  for (const auto& r : b.receipts) gone.push_back(r.tx_hash);
  m_mempool.remove(gone);
  m_mempool.prune_stale();
  {
    std::lock_guard lock(m_mutex);
    ++m_blocks;
  }
  m_produced.notify_all();
  if (m_on_block) m_on_block(b);
}

void NodeService::run() {
  std::unique_lock lock(m_mutex);
  while (!m_stop) {
    if (m_options.dev) {
      m_wake.wait(lock, [&] { return m_stop || m_pending; });
    } else {
      m_wake.wait_for(lock, std::chrono::milliseconds(m_options.block_time_ms), [&] { return m_stop; });
    }
    if (m_stop || m_halted.load()) break;
    m_pending = false;
    lock.unlock();
    const bool may = !m_options.may_produce || m_options.may_produce();
    const Step step = m_mempool.size() == 0 || !may ? Step::Idle : produce_once();
    lock.lock();
    if (step == Step::Halted) break;
    // Dev mode: keep going while blocks make progress and transactions wait.
    if (m_options.dev && step == Step::Committed && m_mempool.size() > 0) m_pending = true;
  }
}

}  // namespace ward::node
