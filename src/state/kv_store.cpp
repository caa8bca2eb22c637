// ward/state/kv_store.cpp — MemoryStore and FailingStore.
#include "state/kv_store.h"

namespace ward::state {

Result<std::optional<std::string>> MemoryStore::get(std::string_view key) {
  auto it = m_map.find(key);
  if (it == m_map.end()) return std::optional<std::string>{};
  return std::optional<std::string>{it->second};
}

Result<void> MemoryStore::write(const WriteBatch& batch) {
  for (const auto& op : batch.ops()) {
    if (op.value) {
      m_map.insert_or_assign(op.key, *op.value);
    } else {
      auto it = m_map.find(op.key);
      if (it != m_map.end()) m_map.erase(it);
    }
  }
  return {};
}

Result<void> MemoryStore::scan_prefix(std::string_view prefix, const ScanFn& fn) {
  for (auto it = m_map.lower_bound(prefix); it != m_map.end(); ++it) {
    if (std::string_view(it->first).substr(0, prefix.size()) != prefix) break;
    if (!fn(it->first, it->second)) break;
  }
  return {};
}

Result<void> MemoryStore::scan_range(std::string_view start, std::string_view end, const ScanFn& fn) {
  for (auto it = m_map.lower_bound(start); it != m_map.end(); ++it) {
    if (!end.empty() && std::string_view(it->first) >= end) break;
    if (!fn(it->first, it->second)) break;
  }
  return {};
}

std::string prefix_end(std::string_view prefix) {
  std::string end(prefix);
  while (!end.empty() && static_cast<uint8_t>(end.back()) == 0xff) end.pop_back();
  if (!end.empty()) end.back() = static_cast<char>(static_cast<uint8_t>(end.back()) + 1);
  return end;
}

Result<std::optional<std::string>> FailingStore::get(std::string_view key) {
  ++reads;
  if (fail_reads) return make_error("storage read failed: injected failure");
  return m_inner.get(key);
}

Result<void> FailingStore::write(const WriteBatch& batch) {
  ++writes;
  if (fail_writes) return make_error("storage write failed: injected failure");
  if (writes_before_failure == 0) return make_error("storage write failed: injected failure");
  if (writes_before_failure > 0) --writes_before_failure;
  return m_inner.write(batch);
}

Result<void> FailingStore::scan_prefix(std::string_view prefix, const ScanFn& fn) {
  ++reads;
  if (fail_reads) return make_error("storage scan failed: injected failure");
  return m_inner.scan_prefix(prefix, fn);
}

Result<void> FailingStore::scan_range(std::string_view start, std::string_view end, const ScanFn& fn) {
  ++reads;
  if (fail_reads) return make_error("storage scan failed: injected failure");
  return m_inner.scan_range(start, end, fn);
}

}  // namespace ward::state
