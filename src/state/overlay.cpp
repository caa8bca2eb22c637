// ward/state/overlay.cpp — Overlay.
#include "state/overlay.h"

namespace ward::state {

void AccessLog::add_range(std::string_view start, std::string_view end) {
  for (const Range& r : ranges) {
    bool starts_inside = r.start <= start;
    bool ends_inside = r.end.empty() || (!end.empty() && end <= r.end);
    if (starts_inside && ends_inside) return;
  }
  ranges.push_back(Range{std::string(start), std::string(end)});
  bytes += start.size() + end.size();
}

void AccessLog::merge(const AccessLog& other) {
  for (const std::string& k : other.reads) add_read(k);
  for (const std::string& k : other.writes) add_write(k);
  for (const Range& r : other.ranges) add_range(r.start, r.end);
}

Result<std::optional<std::string>> Overlay::get(std::string_view key) {
  if (m_log) m_log->add_read(key);
  auto it = m_writes.find(key);
  if (it != m_writes.end()) return it->second;
  return m_base.get(key);
}

namespace {

uint64_t entry_bytes(std::string_view key, const std::optional<std::string>& value) {
  return key.size() + (value ? value->size() : 0);
}

}  // namespace

void Overlay::record(std::string_view key) {
  Undo u;
  u.key = std::string(key);
  auto it = m_writes.find(key);
  if (it != m_writes.end()) {
    u.had_entry = true;
    u.before = it->second;
  }
  const uint64_t bytes = entry_bytes(u.key, u.before);
  m_journal.push_back(std::move(u));
  m_held_bytes += bytes;
}

void Overlay::set_entry(std::string_view key, std::optional<std::string> value) {
  auto it = m_writes.find(key);
  const uint64_t added = entry_bytes(key, value);
  if (it != m_writes.end()) {
    const uint64_t removed = entry_bytes(key, it->second);
    it->second = std::move(value);
    m_held_bytes = m_held_bytes - removed + added;
  } else {
    m_writes.emplace(std::string(key), std::move(value));
    m_held_bytes += added;
  }
}

void Overlay::put(std::string_view key, std::string_view value) {
  if (m_log) m_log->add_write(key);
  std::optional<std::string> v(std::in_place, value);  // allocated before anything changes
  record(key);
  set_entry(key, std::move(v));
}

void Overlay::del(std::string_view key) {
  if (m_log) m_log->add_write(key);
  record(key);
  set_entry(key, std::nullopt);
}

Result<void> Overlay::scan_prefix(std::string_view prefix, const ScanFn& fn) {
  return scan_range(prefix, prefix_end(prefix), fn);
}

Result<void> Overlay::scan_range(std::string_view start, std::string_view end, const ScanFn& fn) {
  if (m_log) m_log->add_range(start, end);
  auto in_range = [&](std::string_view k) { return end.empty() || k < end; };
  // Merge the store's range with the pending writes, both ascending: before
  // each store key, visit the pending puts that sort before it; a pending
  // write or delete of the same key replaces the store's entry.
  auto w = m_writes.lower_bound(start);
  bool stopped = false;
  auto visit = [&](std::string_view k, std::string_view v) {
    if (m_log) m_log->add_read(k);
    if (!fn(k, v)) stopped = true;
    return !stopped;
  };
  auto r = m_base.scan_range(start, end, [&](std::string_view k, std::string_view v) {
    for (; w != m_writes.end() && std::string_view(w->first) < k; ++w) {
      if (w->second && !visit(w->first, *w->second)) return false;
    }
    if (w != m_writes.end() && std::string_view(w->first) == k) {
      const auto& pending = w->second;
      ++w;
      if (pending) return visit(k, *pending);
      return true;  // deleted in this overlay
    }
    return visit(k, v);
  });
  if (!r) return r;
  for (; !stopped && w != m_writes.end() && in_range(w->first); ++w) {
    if (w->second) visit(w->first, *w->second);
  }
  return {};
}

void Overlay::revert_to(SnapshotId id) {
  while (m_journal.size() > id) {
    Undo& u = m_journal.back();
    m_held_bytes -= entry_bytes(u.key, u.before);
    auto it = m_writes.find(u.key);
    if (it != m_writes.end()) {
      m_held_bytes -= entry_bytes(it->first, it->second);
      if (u.had_entry) {
        m_held_bytes += entry_bytes(it->first, u.before);
        it->second = std::move(u.before);
      } else {
        m_writes.erase(it);
      }
    } else if (u.had_entry) {  // not expected: every journal entry's key has a pending entry
      m_held_bytes += entry_bytes(u.key, u.before);
      m_writes.emplace(std::move(u.key), std::move(u.before));
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
  m_held_bytes = 0;
}

}  // namespace ward::state
