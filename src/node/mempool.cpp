// ward/node/mempool.cpp — admission, ordering, replacement and eviction (mempool.h).
#include "node/mempool.h"

#include <algorithm>
#include <limits>
#include <queue>

namespace ward::node {
namespace {

std::string u(uint64_t v) { return std::to_string(v); }

}  // namespace

Mempool::Mempool(MempoolOptions options, std::string chain_id,
                 std::function<Result<AccountView>(const chain::Address&)> account)
    : m_options(options), m_chain_id(std::move(chain_id)), m_account(std::move(account)) {}

std::variant<Hash, Rejection> Mempool::add(std::string_view bytes, uint64_t head, uint64_t min_gas_price,
                                           uint64_t block_gas_limit) {
  auto reject = [](std::string kind, std::string message) -> std::variant<Hash, Rejection> {
    return Rejection{std::move(kind), std::move(message)};
  };
  if (bytes.size() > m_options.max_tx_bytes) {
    return reject("too_large", "transaction of " + u(bytes.size()) + " bytes exceeds max_tx_bytes (" +
                                   u(m_options.max_tx_bytes) + ")");
  }
  auto decoded = chain::decode_signed(bytes);
  if (!decoded) return reject("undecodable", "undecodable transaction: " + decoded.error().message);
  chain::SignedTransaction& stx = decoded.value();
  const chain::Transaction& tx = stx.tx;
  if (tx.chain_id != m_chain_id) {
    return reject("wrong_chain", "wrong chain id '" + tx.chain_id + "' (this chain is '" + m_chain_id + "')");
  }
  if (auto v = chain::verify_signature(stx); !v) return reject("bad_signature", "bad signature");
  if (tx.expiry_height <= head) {
    return reject("expired", "expired: expiry height " + u(tx.expiry_height) + " is not above the head height " + u(head));
  }
  if (tx.expiry_height > head + m_options.max_expiry_ahead) {
    return reject("expiry_too_far", "expiry height " + u(tx.expiry_height) + " is too far ahead (at most head " + u(head) +
                                        " + " + u(m_options.max_expiry_ahead) + ")");
  }
  if (tx.gas_price < min_gas_price) {
    return reject("gas_price_too_low",
                  "gas price " + u(tx.gas_price) + " is below the minimum gas price (" + u(min_gas_price) + ")");
  }
  if (tx.gas_limit == 0) return reject("gas_limit_too_high", "gas limit must be greater than 0");
  if (tx.gas_limit > block_gas_limit) {
    return reject("gas_limit_too_high",
                  "gas limit " + u(tx.gas_limit) + " exceeds the block gas limit (" + u(block_gas_limit) + ")");
  }
  const chain::Address from = chain::sender(tx);
  auto account = m_account(from);
  if (!account) return reject("storage_fault", account.error().message);
  if (tx.nonce < account.value().nonce) {
    return reject("nonce_too_low", "nonce too low: " + u(tx.nonce) + " (the account's next nonce is " +
                                       u(account.value().nonce) + ")");
  }
  if (tx.nonce > account.value().nonce + m_options.max_nonce_ahead) {
    return reject("nonce_too_high", "nonce too far ahead: " + u(tx.nonce) + " (the account's next nonce is " +
                                        u(account.value().nonce) + "; at most " + u(m_options.max_nonce_ahead) +
                                        " ahead)");
  }
  const uint64_t value = chain::value_of(tx.action);
  const bool fee_overflows = tx.gas_price != 0 && tx.gas_limit > std::numeric_limits<uint64_t>::max() / tx.gas_price;
  const uint64_t max_fee = fee_overflows ? 0 : tx.gas_limit * tx.gas_price;
  if (fee_overflows || max_fee > std::numeric_limits<uint64_t>::max() - value ||
      account.value().balance < max_fee + value) {
    return reject("insufficient_balance",
                  "insufficient balance: " + chain::format_address(from) + " has " + u(account.value().balance) +
                      ", needs gas limit x gas price + value = " +
                      (fee_overflows ? std::string("more than 2^64") : u(max_fee) + " + " + u(value)));
  }

  std::lock_guard lock(m_mutex);
  if (m_by_hash.count(stx.hash)) {
    return reject("duplicate", "duplicate transaction " + chain::format_hash(stx.hash) + " (already in the mempool)");
  }
  const SenderKey key{from, tx.nonce};
  // Decide everything before changing the pool: a refused transaction
  // neither replaces nor evicts anything.
  const Entry* replaced = nullptr;
  if (auto it = m_by_sender.find(key); it != m_by_sender.end()) {
    const Entry& old = m_by_hash.at(it->second);
    const uint64_t old_price = old.input.tx.gas_price;
    const unsigned __int128 needed =
        (static_cast<unsigned __int128>(old_price) * (100 + m_options.replace_percent) + 99) / 100;
    if (static_cast<unsigned __int128>(tx.gas_price) < needed || tx.gas_price == old_price) {
      return reject("underpriced_replacement",
                    "replacement transaction underpriced: nonce " + u(tx.nonce) + " is taken by " +
                        chain::format_hash(old.input.hash) + " at gas price " + u(old_price) + "; a replacement needs " +
                        u(static_cast<uint64_t>(needed > old_price ? needed : old_price + 1)) + " or more");
    }
    replaced = &old;
  }
  size_t count = m_by_hash.size() - (replaced ? 1 : 0);
  size_t held = m_bytes - (replaced ? replaced->bytes : 0);
  std::vector<const Entry*> evict;
  if (count >= m_options.max_count || held + bytes.size() > m_options.max_bytes) {
    // Candidates cheapest first: lowest gas price, then latest arrival.
    std::vector<const Entry*> cheapest;
    cheapest.reserve(m_by_hash.size());
    for (const auto& [h, e] : m_by_hash) {
      if (&e != replaced) cheapest.push_back(&e);
    }
    std::sort(cheapest.begin(), cheapest.end(), [](const Entry* a, const Entry* b) {
      if (a->input.tx.gas_price != b->input.tx.gas_price) return a->input.tx.gas_price < b->input.tx.gas_price;
      return a->arrival > b->arrival;
    });
    size_t next = 0;
    while (count >= m_options.max_count || held + bytes.size() > m_options.max_bytes) {
      const Entry* cheap = next < cheapest.size() ? cheapest[next] : nullptr;
      if (cheap == nullptr || cheap->input.tx.gas_price >= tx.gas_price) {
        return reject("mempool_full", "mempool full (" + u(m_by_hash.size()) + " transactions, " + u(m_bytes) +
                                          " bytes); a transaction must pay more than gas price " +
                                          u(cheap ? cheap->input.tx.gas_price : 0) + " to enter");
      }
      evict.push_back(cheap);
      --count;
      held -= cheap->bytes;
      ++next;
    }
  }
  std::vector<Hash> gone;
  if (replaced) gone.push_back(replaced->input.hash);
  for (const Entry* e : evict) gone.push_back(e->input.hash);
  for (const Hash& h : gone) erase_locked(h);
  Entry e;
  e.input.tx = std::move(stx.tx);
  e.input.sender = from;
  e.input.hash = stx.hash;
  e.input.stored = std::string(bytes);
  e.arrival = m_arrivals++;
  e.bytes = bytes.size();
  const Hash hash = e.input.hash;
  m_bytes += e.bytes;
  m_by_sender[key] = hash;
  m_by_hash.emplace(hash, std::move(e));
  return hash;
}

void Mempool::erase_locked(const Hash& hash) {
  auto it = m_by_hash.find(hash);
  if (it == m_by_hash.end()) return;
  const SenderKey key{it->second.input.sender, it->second.input.tx.nonce};
  if (auto s = m_by_sender.find(key); s != m_by_sender.end() && s->second == hash) m_by_sender.erase(s);
  m_bytes -= it->second.bytes;
  m_by_hash.erase(it);
}

Result<std::vector<TxInput>> Mempool::select(size_t max) {
  std::lock_guard lock(m_mutex);
  std::vector<TxInput> out;
  // Heads of each sender's run of consecutive nonces, best first.
  struct Cand {
    const Entry* e;
    bool operator<(const Cand& o) const {  // priority_queue: "less" = lower priority
      if (e->input.tx.gas_price != o.e->input.tx.gas_price) return e->input.tx.gas_price < o.e->input.tx.gas_price;
      return e->arrival > o.e->arrival;
    }
  };
  std::priority_queue<Cand> queue;
  for (auto it = m_by_sender.begin(); it != m_by_sender.end();) {
    const chain::Address sender = it->first.first;
    auto account = m_account(sender);
    if (!account) return account.error();
    auto first = m_by_sender.find(SenderKey{sender, account.value().nonce});
    if (first != m_by_sender.end()) queue.push(Cand{&m_by_hash.at(first->second)});
    it = m_by_sender.upper_bound(SenderKey{sender, std::numeric_limits<uint64_t>::max()});
  }
  while (!queue.empty() && out.size() < max) {
    const Entry* e = queue.top().e;
    queue.pop();
    out.push_back(e->input);
    const uint64_t next = e->input.tx.nonce + 1;
    if (next == 0) continue;
    auto n = m_by_sender.find(SenderKey{e->input.sender, next});
    if (n != m_by_sender.end()) queue.push(Cand{&m_by_hash.at(n->second)});
  }
  return out;
}

void Mempool::remove(const std::vector<Hash>& hashes) {
  std::lock_guard lock(m_mutex);
  for (const auto& h : hashes) erase_locked(h);
}

void Mempool::prune_stale() {
  std::lock_guard lock(m_mutex);
  std::vector<Hash> stale;
  for (auto it = m_by_sender.begin(); it != m_by_sender.end();) {
    const chain::Address sender = it->first.first;
    auto account = m_account(sender);
    auto end = m_by_sender.upper_bound(SenderKey{sender, std::numeric_limits<uint64_t>::max()});
    if (account) {
      for (; it != end && it->first.second < account.value().nonce; ++it) stale.push_back(it->second);
    }
    it = end;
  }
  for (const auto& h : stale) erase_locked(h);
}

size_t Mempool::size() const {
  std::lock_guard lock(m_mutex);
  return m_by_hash.size();
}

size_t Mempool::bytes() const {
  std::lock_guard lock(m_mutex);
  return m_bytes;
}

bool Mempool::contains(const Hash& hash) const {
  std::lock_guard lock(m_mutex);
  return m_by_hash.count(hash) != 0;
}

}  // namespace ward::node
