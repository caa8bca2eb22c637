// ward/state/rocksdb_store.h — the persistent KvStore of a node: one RocksDB
// database in a folder. Batches are applied with RocksDB's atomic WriteBatch,
// so a process killed at any instant leaves either all or none of a batch.
// Thread-safety: RocksDB's own (get/write/scan may run concurrently).
#pragma once

#include <memory>
#include <string>

#include "state/kv_store.h"

namespace rocksdb {
class DB;
}

namespace ward::state {

/// Options for opening a RocksDbStore.
struct RocksDbOptions {
  bool create_if_missing = true;  ///< create the folder and database when absent
  bool sync_writes = true;        ///< fsync the write-ahead log on every batch (durable across power loss)
};

/// A KvStore backed by RocksDB.
class RocksDbStore final : public KvStore {
 public:
  /// Opens (or creates) the database in folder `path`. Errors read
  /// "cannot open state database at <path>: <RocksDB status>".
  static Result<std::unique_ptr<RocksDbStore>> open(const std::string& path,
                                                    const RocksDbOptions& options = {});
  ~RocksDbStore() override;
  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  Result<std::optional<std::string>> get(std::string_view key) override;
  Result<void> write(const WriteBatch& batch) override;
  Result<void> scan_prefix(std::string_view prefix, const ScanFn& fn) override;
  Result<void> scan_range(std::string_view start, std::string_view end, const ScanFn& fn) override;
  /// The folder this store lives in.
  const std::string& path() const noexcept { return m_path; }

 private:
  RocksDbStore(std::unique_ptr<rocksdb::DB> db, std::string path, bool sync);
  std::unique_ptr<rocksdb::DB> m_db;
  std::string m_path;
  bool m_sync = true;
};

}  // namespace ward::state
