// ward/chain/module_cache.cpp — LRU compiled-module cache (module_cache.h).
#include "chain/module_cache.h"

namespace ward::chain {

std::shared_ptr<runtime::CompiledModule> ModuleCache::find(const Hash& code_hash, uint32_t gas_revision) {
  std::lock_guard lock(m_mutex);
  auto it = m_entries.find(Key{code_hash, gas_revision});
  if (it == m_entries.end()) return nullptr;
  m_lru.splice(m_lru.begin(), m_lru, it->second.lru);
  return it->second.module;
}

void ModuleCache::put(const Hash& code_hash, uint32_t gas_revision, std::shared_ptr<runtime::CompiledModule> module,
                      uint64_t wasm_bytes) {
  const uint64_t bytes = wasm_bytes * 8 + 1024;
  const Key key{code_hash, gas_revision};
  std::lock_guard lock(m_mutex);
  if (auto it = m_entries.find(key); it != m_entries.end()) {
    m_bytes -= it->second.bytes;
    m_lru.erase(it->second.lru);
    m_entries.erase(it);
  }
  if (bytes > m_max_bytes) return;
  while (m_bytes + bytes > m_max_bytes && !m_lru.empty()) {
    auto victim = m_entries.find(m_lru.back());
    m_bytes -= victim->second.bytes;
    m_entries.erase(victim);
    m_lru.pop_back();
  }
  m_lru.push_front(key);
  m_entries.emplace(key, Entry{std::move(module), bytes, m_lru.begin()});
  m_bytes += bytes;
}

size_t ModuleCache::size() const {
  std::lock_guard lock(m_mutex);
  return m_entries.size();
}

uint64_t ModuleCache::bytes() const {
  std::lock_guard lock(m_mutex);
  return m_bytes;
}

}  // namespace ward::chain
