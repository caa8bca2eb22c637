// ward/state/rocksdb_store.h — the persistent KvStore of a node: one RocksDB
// database in a folder. Batches are applied with RocksDB's atomic WriteBatch,
// so a process killed at any instant leaves either all or none of a batch.
// How a folder is opened (created, must exist, read-only), what is checked
// and what each failure says: docs/storage.md.
// Thread-safety: get/write/scan may run concurrently from several threads
// (writes are serialised inside the store); snapshots may be read from
// several threads while writes go on.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "state/kv_store.h"

namespace rocksdb {
class DB;
class Env;
class FileSystem;
}  // namespace rocksdb

namespace ward::state {

/// How RocksDbStore::open treats the folder.
enum class OpenMode {
  /// Creates the folder and an empty database when the folder is missing or
  /// empty; opens an existing state for reading and writing. Refuses a
  /// folder that holds other files (not a Ward state) and a damaged state
  /// (database files without CURRENT).
  Create,
  /// Opens an existing state for reading and writing. Never creates or
  /// writes anything when the open fails: a missing folder, a folder
  /// without a state or a damaged state is an error naming the problem.
  MustExist,
  /// Opens an existing state for reading only: takes no lock (works beside
  /// a writer in another process) and writes no file, so it works on a full
  /// disk. write() returns an error.
  ReadOnly,
};

/// Options for opening a RocksDbStore.
struct RocksDbOptions {
  /// Create, must exist or read-only. The CLI passes a mode explicitly
  /// (`ward deploy`: Create; other writing commands: MustExist; queries:
  /// ReadOnly). The default keeps older callers that create their state.
  OpenMode mode = OpenMode::Create;
  bool sync_writes = true;  ///< fsync the write-ahead log on every batch (durable across power loss)
  /// Appended in parentheses to the "state folder '…' does not exist" and
  /// "holds no state" errors, e.g. how to create one. Empty: nothing.
  std::string missing_hint;
  /// The file system RocksDB uses; null: the machine's. For tests (fault
  /// injection: a full disk, failing writes).
  std::shared_ptr<rocksdb::FileSystem> file_system;
};

/// A KvStore backed by RocksDB.
///
/// Integrity: the write-ahead log is replayed in RocksDB's absolute
/// consistency mode with paranoid checks, so a damaged log (a flipped byte,
/// a torn record) makes open fail with an error naming the file instead of
/// silently dropping committed batches; table files are read with checksum
/// verification, so a damaged block is an Error on the read, never wrong
/// data. Faults: the first failed write (for example "no space left on
/// device") puts the store in a fault state where every later write fails
/// with "storage fault: …" (reads go on); the batch that failed is applied
/// not at all, and closing the store cuts its partial record from the log so
/// the folder reopens with every committed batch.
class RocksDbStore final : public KvStore {
 public:
  /// Opens the database in folder `path` as `options.mode` says. Errors
  /// (nothing is created or written unless the mode is Create and the
  /// folder is missing or empty):
  /// - "state folder '<path>' does not exist (<hint>)";
  /// - "state folder '<path>' holds no Ward state (<hint>)" (no CURRENT and
  ///   no database file) — with Create: "… holds other files; …";
  /// - "state folder '<path>' is damaged: CURRENT missing …";
  /// - "state folder '<path>' is in use by another ward process (pid N) …";
  /// - "state folder '<path>' is corrupted: <RocksDB status> (<file>) …";
  /// - "cannot open state database at <path>: <RocksDB status>" otherwise.
  static Result<std::unique_ptr<RocksDbStore>> open(const std::string& path,
                                                    const RocksDbOptions& options = {});
  /// Closes the database. A store in the fault state also cuts the partial
  /// record of the failed batch from the write-ahead log.
  ~RocksDbStore() override;
  RocksDbStore(const RocksDbStore&) = delete;
  RocksDbStore& operator=(const RocksDbStore&) = delete;

  /// Errors: "state database read failed: <status>" ("… data corruption …"
  /// naming the table file when a checksum does not match).
  Result<std::optional<std::string>> get(std::string_view key) override;
  /// Errors: "state database is read-only" (ReadOnly mode);
  /// "state database write failed: no space left on device (…)";
  /// "storage fault: …" once an earlier write failed.
  Result<void> write(const WriteBatch& batch) override;
  Result<void> scan_prefix(std::string_view prefix, const ScanFn& fn) override;
  Result<void> scan_range(std::string_view start, std::string_view end, const ScanFn& fn) override;

  /// A read-only point-in-time view of the store as it is now: later writes
  /// are not seen. Its get/scan may run from several threads at once while
  /// writes go on here; its write returns "snapshot is read-only". Must be
  /// destroyed before this store.
  std::unique_ptr<KvStore> snapshot() const;

  /// The folder this store lives in.
  const std::string& path() const noexcept { return m_path; }
  /// The mode the store was opened in.
  OpenMode mode() const noexcept { return m_mode; }
  /// The fault that stopped writes ("" while writes are accepted).
  std::string fault() const;

 private:
  RocksDbStore(std::unique_ptr<rocksdb::Env> env, std::unique_ptr<rocksdb::DB> db, std::string path,
               OpenMode mode, bool sync);

  std::unique_ptr<rocksdb::Env> m_env;  ///< null: the default Env; else outlives m_db
  std::unique_ptr<rocksdb::DB> m_db;
  std::string m_path;
  OpenMode m_mode = OpenMode::Create;
  bool m_sync = true;

  mutable std::mutex m_write_mutex;  ///< serialises writes; guards the fields below
  std::string m_fault;               ///< first write failure; non-empty: writes refused
  uint64_t m_fault_wal_number = 0;   ///< write-ahead log the failed batch went to
  uint64_t m_fault_wal_size = 0;     ///< its size (bytes) before the failed batch
};

}  // namespace ward::state
