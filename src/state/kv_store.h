// ward/state/kv_store.h — the key/value store interface under all of Ward's
// state, LevelDB-style: byte-string keys and values, atomic write batches,
// ordered prefix scans. Implementations: MemoryStore (std::map, for `ward
// run` and tests), RocksDbStore (a node's persistent state, rocksdb_store.h)
// and FailingStore (wraps another store and fails on demand, for tests).
// Keys and values are arbitrary bytes held in std::string.
// Thread-safety: none unless an implementation says otherwise.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace ward::state {

/// A list of puts and deletes applied by KvStore::write all together or not
/// at all, in order (a later operation on the same key wins).
class WriteBatch {
 public:
  struct Op {
    std::string key;
    std::optional<std::string> value;  ///< nullopt: delete the key
  };
  void put(std::string_view key, std::string_view value) {
    m_ops.push_back({std::string(key), std::string(value)});
  }
  void del(std::string_view key) { m_ops.push_back({std::string(key), std::nullopt}); }
  const std::vector<Op>& ops() const noexcept { return m_ops; }
  size_t size() const noexcept { return m_ops.size(); }
  bool empty() const noexcept { return m_ops.empty(); }

 private:
  std::vector<Op> m_ops;
};

/// Visitor of a prefix or range scan: gets each key and value in ascending
/// key order; returns false to stop the scan early.
using ScanFn = std::function<bool(std::string_view key, std::string_view value)>;

/// A key/value store. Every operation reports a storage failure (I/O error,
/// corruption) as an Error whose message names the operation and the cause.
class KvStore {
 public:
  virtual ~KvStore() = default;
  /// The value of `key`, nullopt when absent, or an Error.
  virtual Result<std::optional<std::string>> get(std::string_view key) = 0;
  /// Applies every operation of `batch` atomically.
  virtual Result<void> write(const WriteBatch& batch) = 0;
  /// Calls `fn` for each key starting with `prefix`, in ascending byte order.
  virtual Result<void> scan_prefix(std::string_view prefix, const ScanFn& fn) = 0;
  /// Calls `fn` for each key in [start, end), in ascending byte order; an
  /// empty `end` means no upper bound. Reads only as far as `fn` goes.
  virtual Result<void> scan_range(std::string_view start, std::string_view end, const ScanFn& fn) = 0;

  /// Writes one key (a batch of one).
  Result<void> put(std::string_view key, std::string_view value) {
    WriteBatch b;
    b.put(key, value);
    return write(b);
  }
  /// Deletes one key; no effect when absent.
  Result<void> del(std::string_view key) {
    WriteBatch b;
    b.del(key);
    return write(b);
  }
};

/// The smallest key greater than every key starting with `prefix` (the
/// prefix with trailing 0xff bytes dropped and its last byte incremented);
/// empty when there is none (empty prefix, or only 0xff bytes).
std::string prefix_end(std::string_view prefix);

/// An in-memory store (std::map). Never fails.
class MemoryStore final : public KvStore {
 public:
  Result<std::optional<std::string>> get(std::string_view key) override;
  Result<void> write(const WriteBatch& batch) override;
  Result<void> scan_prefix(std::string_view prefix, const ScanFn& fn) override;
  Result<void> scan_range(std::string_view start, std::string_view end, const ScanFn& fn) override;
  /// Number of keys held.
  size_t size() const noexcept { return m_map.size(); }
  /// All keys and values, for tests and debugging.
  const std::map<std::string, std::string, std::less<>>& contents() const noexcept { return m_map; }

 private:
  std::map<std::string, std::string, std::less<>> m_map;
};

/// Wraps another store and makes chosen operations fail, so tests can check
/// what callers do on a storage failure. Not for production use.
class FailingStore final : public KvStore {
 public:
  explicit FailingStore(KvStore& inner) : m_inner(inner) {}

  bool fail_reads = false;   ///< every get, scan_prefix and scan_range fails
  bool fail_writes = false;  ///< every write fails (nothing is applied)
  /// When >= 0: this many more writes succeed, then every write fails.
  int64_t writes_before_failure = -1;
  uint64_t reads = 0;   ///< get/scan_prefix/scan_range calls seen
  uint64_t writes = 0;  ///< write calls seen (including failed ones)

  Result<std::optional<std::string>> get(std::string_view key) override;
  Result<void> write(const WriteBatch& batch) override;
  Result<void> scan_prefix(std::string_view prefix, const ScanFn& fn) override;
  Result<void> scan_range(std::string_view start, std::string_view end, const ScanFn& fn) override;

 private:
  KvStore& m_inner;
};

}  // namespace ward::state
