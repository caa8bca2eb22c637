// ward/state/overlay.h — a journaling write overlay on a KvStore. A call or
// a deploy runs against an Overlay: its reads see its own writes, nested
// snapshots can be reverted (a failed sub-call), and commit() applies every
// pending change to the store in one atomic batch. Nothing reaches the store
// before commit().
// Thread-safety: none; one overlay belongs to one executing call.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "state/kv_store.h"

namespace ward::state {

/// Identifies a point in an overlay's journal (see Overlay::snapshot).
using SnapshotId = uint64_t;

/// The keys an Overlay was asked to read and write while this log was
/// attached (Overlay::set_access_log): the read set and write set of a call,
/// as full state keys.
struct AccessLog {
  /// A scanned key range [start, end); an empty end means no upper bound.
  struct Range {
    std::string start;
    std::string end;
    bool operator==(const Range&) const = default;
  };
  std::set<std::string, std::less<>> reads;   ///< keys read by get, and every key a scan visited
  std::set<std::string, std::less<>> writes;  ///< keys put or deleted
  std::vector<Range> ranges;                  ///< scanned ranges, in first-scan order
  uint64_t bytes = 0;  ///< bytes of the keys and range bounds held above (Limits::max_call_access_bytes)

  /// Adds a key to the read set.
  void add_read(std::string_view key) {
    if (reads.emplace(key).second) bytes += key.size();
  }
  /// Adds a key to the write set.
  void add_write(std::string_view key) {
    if (writes.emplace(key).second) bytes += key.size();
  }
  /// Adds a scanned range unless an earlier range already contains it.
  void add_range(std::string_view start, std::string_view end);
  /// Adds every key and range of `other` (a nested call's log).
  void merge(const AccessLog& other);
  bool empty() const noexcept { return reads.empty() && writes.empty() && ranges.empty(); }
};

class Overlay {
 public:
  /// An overlay on `base`; `base` must outlive it.
  explicit Overlay(KvStore& base) : m_base(base) {}
  Overlay(const Overlay&) = delete;
  Overlay& operator=(const Overlay&) = delete;

  /// The value of `key` as this overlay sees it: a pending write or delete,
  /// else the store's value. Errors are the store's read errors.
  Result<std::optional<std::string>> get(std::string_view key);
  /// Records a write (visible to later reads, applied on commit).
  void put(std::string_view key, std::string_view value);
  /// Records a delete (no effect on commit when the key is absent).
  void del(std::string_view key);
  /// Calls `fn` for each key starting with `prefix` as this overlay sees it
  /// (store contents merged with pending writes and deletes), ascending.
  /// Streams: reads the store only as far as `fn` goes.
  Result<void> scan_prefix(std::string_view prefix, const ScanFn& fn);
  /// As scan_prefix, for the keys in [start, end); an empty `end` means no
  /// upper bound. `fn` must not change the overlay.
  Result<void> scan_range(std::string_view start, std::string_view end, const ScanFn& fn);

  /// Attaches a log that records every key read (get, scans) and written
  /// (put, del) from now on, and the scanned ranges; null detaches. Returns
  /// the previously attached log. The log must outlive its attachment.
  AccessLog* set_access_log(AccessLog* log) noexcept {
    AccessLog* old = m_log;
    m_log = log;
    return old;
  }
  AccessLog* access_log() const noexcept { return m_log; }

  /// Marks the current state; revert_to(id) comes back to it. Snapshots nest:
  /// reverting to an older id also drops every newer snapshot.
  SnapshotId snapshot() const noexcept { return m_journal.size(); }
  /// Undoes every put/del recorded since `id` was taken. An id newer than
  /// the journal (already reverted past) is ignored.
  void revert_to(SnapshotId id);

  /// Applies every pending change to the store in one atomic batch and
  /// empties the overlay. On a store error nothing is applied, the pending
  /// changes are discarded all the same, and the error is returned.
  Result<void> commit();
  /// Drops every pending change.
  void discard();

  /// Number of keys with a pending write or delete.
  size_t pending() const noexcept { return m_writes.size(); }
  /// Bytes this overlay holds for its pending changes: key + value of every
  /// pending write or delete, plus key + previous pending value of every
  /// journal entry (what revert_to needs). Updated by put, del and
  /// revert_to; 0 after commit or discard. The host bounds the growth of
  /// this count within one transaction (Limits::max_tx_write_bytes).
  uint64_t held_bytes() const noexcept { return m_held_bytes; }
  /// The pending changes as one batch (sorted by key), without applying them.
  WriteBatch to_batch() const;
  KvStore& base() noexcept { return m_base; }

 private:
  /// One journal entry: the key's pending state before the change.
  struct Undo {
    std::string key;
    bool had_entry = false;             ///< key had a pending write/delete
    std::optional<std::string> before;  ///< that pending value (nullopt: delete)
  };
  void record(std::string_view key);
  /// Sets the pending entry of `key` (nullopt: a delete), keeping m_held_bytes.
  void set_entry(std::string_view key, std::optional<std::string> value);

  KvStore& m_base;
  std::map<std::string, std::optional<std::string>, std::less<>> m_writes;  ///< nullopt: deleted
  std::vector<Undo> m_journal;
  AccessLog* m_log = nullptr;
  uint64_t m_held_bytes = 0;  ///< see held_bytes()
};

}  // namespace ward::state
