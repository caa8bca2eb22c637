// ward/state/overlay.cpp — Overlay.
#include "state/overlay.h"

namespace ward::state {

Result<std::optional<std::string>> Overlay::get(std::string_view key) {
  auto it = m_writes.find(key);
  if (it != m_writes.end()) return it->second;
  return m_base.get(key);
}

void Overlay::record(std::string_view key) {
  Undo u;
  u.key = std::string(key);
  auto it = m_writes.find(key);
  if (it != m_writes.end()) {
    u.had_entry = true;
    u.before = it->second;
  }
  m_journal.push_back(std::move(u));
}

void Overlay::put(std::string_view key, std::string_view value) {
  record(key);
  m_writes.insert_or_assign(std::string(key), std::optional<std::string>(std::string(value)));
}

void Overlay::del(std::string_view key) {
  record(key);
  m_writes.insert_or_assign(std::string(key), std::optional<std::string>{});
}

Result<void> Overlay::scan_prefix(std::string_view prefix, const ScanFn& fn) {
  std::map<std::string, std::string, std::less<>> merged;
  auto r = m_base.scan_prefix(prefix, [&](std::string_view k, std::string_view v) {
    merged.emplace(std::string(k), std::string(v));
    return true;
  });
  if (!r) return r;
  for (auto it = m_writes.lower_bound(prefix); it != m_writes.end(); ++it) {
    if (std::string_view(it->first).substr(0, prefix.size()) != prefix) break;
    if (it->second) {
      merged.insert_or_assign(it->first, *it->second);
    } else {
      merged.erase(it->first);
    }
  }
  for (const auto& [k, v] : merged) {
    if (!fn(k, v)) break;
  }
  return {};
}

void Overlay::revert_to(SnapshotId id) {
  while (m_journal.size() > id) {
    Undo& u = m_journal.back();
    if (u.had_entry) {
      m_writes.insert_or_assign(std::move(u.key), std::move(u.before));
    } else {
      m_writes.erase(u.key);
    }
    m_journal.pop_back();
  }
}

WriteBatch Overlay::to_batch() const {
  WriteBatch batch;
  for (const auto& [k, v] : m_writes) {
    if (v) {
      batch.put(k, *v);
    } else {
      batch.del(k);
    }
  }
  return batch;
}

Result<void> Overlay::commit() {
  WriteBatch batch = to_batch();
  discard();
  if (batch.empty()) return {};
  return m_base.write(batch);
}

void Overlay::discard() {
  m_writes.clear();
  m_journal.clear();
}

}  // namespace ward::state
