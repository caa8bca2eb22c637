// ward/node/mempool.h — transactions waiting for a block (docs/node.md
// "Mempool"). Admission checks every rule a client can break and answers
// with a precise message; ordering is by nonce per sender and, across
// senders, by gas price then arrival; a same-sender same-nonce transaction
// paying at least 10% more gas price replaces the old one; the pool is
// bounded in count and bytes and evicts its cheapest transaction when full.
// In memory only: an unincluded transaction is lost on restart (clients
// resubmit the same signed bytes, which is safe: same hash, same nonce).
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <variant>
#include <string>
#include <vector>

#include "chain/tx.h"
#include "node/chain.h"
#include "util/result.h"

namespace ward::node {

struct MempoolOptions {
  size_t max_count = 10'000;          ///< transactions held
  size_t max_bytes = 64ull << 20;     ///< signed bytes held
  size_t max_tx_bytes = 5ull << 20;   ///< one signed transaction (a deploy of a 4 MiB module fits)
  uint64_t max_nonce_ahead = 16;      ///< nonce at most the account's next nonce + this
  uint64_t max_expiry_ahead = 3600;   ///< expiry height at most head + this
  uint64_t replace_percent = 10;      ///< a replacement pays at least this much more gas price
};

/// Why add() refused a transaction: a stable code and the message.
struct Rejection {
  std::string kind;     ///< "undecodable", "bad_signature", "wrong_chain", "expired", "expiry_too_far",
                        ///< "nonce_too_low", "nonce_too_high", "gas_price_too_low", "gas_limit_too_high",
                        ///< "insufficient_balance", "too_large", "duplicate", "underpriced_replacement",
                        ///< "mempool_full", "storage_fault"
  std::string message;
};

/// What a state read gives the mempool about an account, at the head.
struct AccountView {
  uint64_t nonce = 0;
  uint64_t balance = 0;
};

class Mempool {
 public:
  /// `account` reads an account at the head (Error: a storage fault).
  Mempool(MempoolOptions options, std::string chain_id, std::function<Result<AccountView>(const chain::Address&)> account);

  /// Admission (in this order): size, decoding, chain id, signature,
  /// duplicate, expiry (head+1 .. head+max_expiry_ahead), nonce (not below
  /// the account's next nonce, not more than max_nonce_ahead above), gas
  /// price (>= min), gas limit (1 .. block gas limit), balance (gas limit x
  /// gas price + value), replacement, capacity. `head` is the chain's head
  /// height; `min_gas_price`, `block_gas_limit` from the genesis.
  /// Returns the transaction hash, or the rejection.
  std::variant<Hash, Rejection> add(std::string_view signed_bytes, uint64_t head, uint64_t min_gas_price,
                                    uint64_t block_gas_limit);

  /// Up to `max` transactions for the next block, in block order: per
  /// sender consecutive nonces from the account's next nonce; across
  /// senders highest gas price first, then earliest arrival.
  Result<std::vector<TxInput>> select(size_t max);
  /// Removes transactions by hash (included or dropped by a block), and
  /// every transaction whose nonce fell below its account's next nonce.
  void remove(const std::vector<Hash>& hashes);
  void prune_stale();

  size_t size() const;
  size_t bytes() const;
  bool contains(const Hash& hash) const;

 private:
  struct Entry {
    TxInput input;
    uint64_t arrival = 0;
    size_t bytes = 0;
  };
  using SenderKey = std::pair<chain::Address, uint64_t>;  ///< sender, nonce
  void erase_locked(const Hash& hash);

  MempoolOptions m_options;
  std::string m_chain_id;
  std::function<Result<AccountView>(const chain::Address&)> m_account;
  mutable std::mutex m_mutex;
  std::map<Hash, Entry> m_by_hash;
  std::map<SenderKey, Hash> m_by_sender;  ///< ordered: each sender's nonces ascending
  uint64_t m_arrivals = 0;
  size_t m_bytes = 0;
};

}  // namespace ward::node
