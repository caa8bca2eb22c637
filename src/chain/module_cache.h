// ward/chain/module_cache.h — the compiled-module cache shared by executors:
// (code hash, gas schedule revision) -> compiled module (the code charges the
// costs of one revision, docs/gas.md "Gas schedule"), bounded by an estimate of bytes held and
// evicted least-recently-used first. A node's block producer and its
// read-only RPC calls (each with an Executor of its own, on other threads)
// share one cache, so a module is compiled once per node.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

#include "chain/address.h"
#include "runtime/backend.h"

namespace ward::chain {

class ModuleCache {
 public:
  /// A cache holding at most `max_bytes` (estimated: 8 x the module's wasm
  /// bytes per entry; 256 MiB by default). An entry larger than the bound
  /// is not kept.
  explicit ModuleCache(uint64_t max_bytes = 256ull << 20) : m_max_bytes(max_bytes) {}
  ModuleCache(const ModuleCache&) = delete;
  ModuleCache& operator=(const ModuleCache&) = delete;

  /// The module compiled from the code `code_hash` for gas schedule
  /// `gas_revision`, or null; marks it used.
  std::shared_ptr<runtime::CompiledModule> find(const Hash& code_hash, uint32_t gas_revision);
  /// Adds (or replaces) an entry; `wasm_bytes` is the module's size in bytes.
  /// Evicts least-recently-used entries until the bound holds.
  void put(const Hash& code_hash, uint32_t gas_revision, std::shared_ptr<runtime::CompiledModule> module,
           uint64_t wasm_bytes);
  /// Number of entries and estimated bytes held.
  size_t size() const;
  uint64_t bytes() const;

 private:
  using Key = std::pair<Hash, uint32_t>;  ///< code hash, gas schedule revision
  struct Entry {
    std::shared_ptr<runtime::CompiledModule> module;
    uint64_t bytes = 0;
    std::list<Key>::iterator lru;  ///< position in m_lru (front = most recent)
  };
  mutable std::mutex m_mutex;
  std::map<Key, Entry> m_entries;
  std::list<Key> m_lru;
  uint64_t m_bytes = 0;
  uint64_t m_max_bytes;
};

}  // namespace ward::chain
