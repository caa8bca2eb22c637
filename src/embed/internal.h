// ward/embed/internal.h — the private side of the embedding API
// (include/ward/): the pimpl structs behind ward::Engine, Module, Instance,
// Contract and Chain, and the adapters that turn an embedder's storage into
// a state::KvStore so contracts run through the executor and host exactly
// as on a node.
// Thread-safety: as the public classes they back.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "chain/executor.h"
#include "chain/module_cache.h"
#include "runtime/backend.h"
#include "runtime/limits.h"
#include "state/kv_store.h"
#include "state/overlay.h"
#include "ward/chain.h"
#include "ward/engine.h"

namespace ward::detail {

struct EngineImpl {
  std::string name;
  std::unique_ptr<runtime::Backend> backend;
  std::shared_ptr<chain::ModuleCache> cache = std::make_shared<chain::ModuleCache>();  ///< for Chains
};

struct ModuleImpl {
  std::shared_ptr<EngineImpl> engine;
  runtime::Limits limits;
  std::string bytes;  ///< the wasm as given
  state::Hash code_hash{};
  std::shared_ptr<const wasm::Module> module;
  std::shared_ptr<runtime::CompiledModule> compiled;
  /// Holds `compiled` under code_hash, so contracts of this module never compile it again.
  std::shared_ptr<chain::ModuleCache> cache;
};

/// The state of a Contract: keys under the contract's storage prefix
/// ("s/<address>/") go to the embedder's ContractStorage with the prefix
/// removed; every other key (contract record, code, nonce, objects,
/// balances) stays in a private in-memory store.
class ContractStore final : public state::KvStore {
 public:
  ContractStore(ContractStorage& storage, std::string prefix);
  Result<std::optional<std::string>> get(std::string_view key) override;
  Result<void> write(const state::WriteBatch& batch) override;
  Result<void> scan_prefix(std::string_view prefix, const state::ScanFn& fn) override;
  Result<void> scan_range(std::string_view start, std::string_view end, const state::ScanFn& fn) override;
  /// The embedder's storage failed since the last reset.
  bool failed = false;

 private:
  bool routed(std::string_view key) const noexcept;
  Error storage_error(std::string message);
  ContractStorage& m_storage;
  std::string m_prefix;
  std::string m_prefix_end;
  state::MemoryStore m_private;
};

/// A state::KvStore over an embedder's ward::KvStore (for Chain).
class KvAdapter final : public state::KvStore {
 public:
  explicit KvAdapter(ward::KvStore& store) : m_store(store) {}
  Result<std::optional<std::string>> get(std::string_view key) override;
  Result<void> write(const state::WriteBatch& batch) override;
  Result<void> scan_prefix(std::string_view prefix, const state::ScanFn& fn) override;
  Result<void> scan_range(std::string_view start, std::string_view end, const state::ScanFn& fn) override;

 private:
  ward::KvStore& m_store;
};

struct ContractImpl {
  std::shared_ptr<ModuleImpl> mod;
  Address address{};
  std::unique_ptr<ContractStore> store;
  std::unique_ptr<chain::Executor> executor;
};

struct ChainImpl {
  std::shared_ptr<EngineImpl> engine;
  std::unique_ptr<KvAdapter> store;
  std::unique_ptr<chain::Executor> executor;
};

/// The public Outcome of a receipt.
Outcome to_outcome(chain::CallReceipt&& r);

}  // namespace ward::detail
