// ward/chain.h — the executor for embedders: deploy, call, query, transfer
// and balances over a whole-state KvStore the embedder provides, exactly as
// Ward's own CLI local mode runs them (one request = one committed write to
// the store; failed requests write nothing). Keys follow Ward's state layout
// (docs/host-abi.md "State layout"). docs/embedding.md is the guide.
// Thread-safety: none; one thread drives a Chain. Several Chains may share
// one Engine.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "ward/engine.h"
#include "ward/storage.h"

namespace ward {

namespace detail {
struct ChainImpl;
}

/// Outcome of a deploy.
struct DeployOutcome {
  CallStatus status = CallStatus::Failed;
  Address address{};       ///< the new contract's address (also on failure)
  uint64_t gas_used = 0;   ///< deploy cost (20,000 + 1 per module byte) plus the init method's gas
  std::string result;      ///< init method's JSON result
  std::string error;       ///< empty when ok; "invalid module: ...", "storage error: ...", ...
  std::vector<Event> events;
  bool ok() const noexcept { return status == CallStatus::Ok; }
};

/// Ward's executor over an embedder's store.
class Chain {
 public:
  /// An executor over `store` running code on `engine`'s backend; `store`
  /// must outlive it.
  Chain(KvStore& store, std::shared_ptr<Engine> engine, const Limits& limits = {});
  ~Chain();
  Chain(const Chain&) = delete;
  Chain& operator=(const Chain&) = delete;

  /// Deploys a module (raw or gzip-compressed wasm) as `deployer`, running
  /// `init_method` (when given) with `init_args_json`; gas_limit 0:
  /// default_gas. Error Storage only when the store fails outside the call.
  Expected<DeployOutcome> deploy(std::span<const uint8_t> wasm, const Address& deployer,
                                 std::optional<std::string_view> init_method = std::nullopt,
                                 std::string_view init_args_json = {}, uint64_t gas_limit = 0);
  /// Calls `method` of `contract` as `sender`, moving `value` native units
  /// to it first; commits on ok. gas_limit 0: default_gas.
  Outcome call(const Address& contract, std::string_view method, std::string_view args_json,
               const Address& sender, uint64_t gas_limit = 0, uint64_t value = 0);
  /// As call() but never commits (a read-only query).
  Outcome query(const Address& contract, std::string_view method, std::string_view args_json,
                const Address& sender, uint64_t gas_limit = 0);
  /// Moves `amount` native units from `from` to `to` (costs 2,000 gas).
  Outcome transfer(const Address& from, const Address& to, uint64_t amount);
  /// Native balance of an address (0 when never credited); Error Storage.
  Expected<uint64_t> balance(const Address& address);
  /// Number of committed requests; Error Storage.
  Expected<uint64_t> height();

 private:
  std::unique_ptr<detail::ChainImpl> m_impl;
};

}  // namespace ward
