// fuzz/node_fixture.h — what the transaction, mempool and RPC fuzz targets
// (and the seed maker, make_seeds.cpp) share: fixed keys, template
// transactions, and a small in-memory chain with a few blocks (a transfer, a
// contract deploy, calls with events and a revert) built deterministically,
// so the seeds the seed maker derives from it (hashes, addresses) match what
// fuzz_rpc sees.
// Thread-safety: fuzz_chain() builds the chain once (function-local static);
// the fixture is read-only afterwards.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "chain/crypto.h"
#include "chain/module_cache.h"
#include "chain/tx.h"
#include "node/chain.h"
#include "node/mempool.h"
#include "runtime/backend.h"
#include "state/kv_store.h"

namespace ward::fuzz {

/// The chain id of the fuzz chain and of the fuzz mempool.
inline constexpr const char* kFuzzChainId = "ward-fuzz";

/// Deterministic key n (seed = n repeated 32 times, n >= 1).
chain::KeyPair fuzz_key(uint8_t n);

/// The test contract (wasm): exports set (stores its input under "counter",
/// logs event "bump"), get, refuse (reverts), init.
const std::string& fuzz_contract_wasm();
/// Its ABI text, as deployed.
inline constexpr const char* kFuzzContractAbi = R"({"methods":["set","get","refuse","init"]})";

/// One transaction of each action type, fields valid for the fuzz chain at
/// height `head` (nonce 0, expiry head+10, gas 1,000,000 at price 1).
std::vector<chain::Transaction> template_transactions(uint64_t head);

/// A non-owning KvStore view of another store (the "snapshot" of fuzz_rpc:
/// the chain does not change while the fuzzer runs, so a plain view is a
/// point-in-time view).
class StoreView final : public state::KvStore {
 public:
  explicit StoreView(state::KvStore& inner) : m_inner(inner) {}
  Result<std::optional<std::string>> get(std::string_view key) override { return m_inner.get(key); }
  Result<void> write(const state::WriteBatch&) override { return make_error("snapshot is read-only"); }
  Result<void> scan_prefix(std::string_view prefix, const state::ScanFn& fn) override {
    return m_inner.scan_prefix(prefix, fn);
  }
  Result<void> scan_range(std::string_view start, std::string_view end, const state::ScanFn& fn) override {
    return m_inner.scan_range(start, end, fn);
  }

 private:
  state::KvStore& m_inner;
};

/// The fuzz chain: genesis (chain id kFuzzChainId, block gas limit 5,000,000,
/// min gas price 1) and blocks 1..4 holding signed transactions by
/// fuzz_key(1) and fuzz_key(2), signed by the producer fuzz_key(9).
struct FuzzChain {
  state::MemoryStore store;
  std::unique_ptr<runtime::Backend> backend;
  std::shared_ptr<chain::ModuleCache> cache;
  std::unique_ptr<node::Chain> chain;
  chain::KeyPair user;       ///< fuzz_key(1): funded, deployed the contract
  chain::KeyPair other;      ///< fuzz_key(2): funded
  chain::KeyPair producer;   ///< fuzz_key(9)
  chain::Address contract{}; ///< contract_address(user, 1)
  std::vector<chain::Hash> tx_hashes;     ///< of every included transaction, in chain order
  std::vector<chain::Hash> block_hashes;  ///< of blocks 0..head
  /// Signed bytes of a transaction valid for the next block (user's next nonce).
  std::string pending_signed;
};

/// Builds the chain on first use; aborts when building it fails.
FuzzChain& fuzz_chain();

/// The account view of `a` at the head of `store` (the real node's mempool
/// account function).
Result<node::AccountView> account_at(state::KvStore& store, const chain::Address& a);

}  // namespace ward::fuzz
