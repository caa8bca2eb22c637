// ward/state/rocksdb_store.cpp — RocksDbStore: folder checks before RocksDB
// touches anything, open modes, integrity options, write faults, snapshots.
#include "state/rocksdb_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/file_system.h>
#include <rocksdb/options.h>
#include <rocksdb/snapshot.h>
#include <rocksdb/transaction_log.h>
#include <rocksdb/write_batch.h>

#include <chrono>
#include <cstdarg>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <thread>
#include <vector>

namespace ward::state {
namespace {

namespace fs = std::filesystem;

rocksdb::Slice slice(std::string_view s) { return {s.data(), s.size()}; }

/// Keeps RocksDB's own warnings and errors in memory (the last few), so an
/// open error can quote them (they name the damaged file), and so no LOG
/// file is ever created, rotated or left behind in the state folder.
class CaptureLogger final : public rocksdb::Logger {
 public:
  CaptureLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}

  void Logv(const char* format, va_list ap) override { Logv(rocksdb::InfoLogLevel::WARN_LEVEL, format, ap); }
  void Logv(const rocksdb::InfoLogLevel level, const char* format, va_list ap) override {
    if (level < GetInfoLogLevel()) return;
    char buf[512];
    int n = std::vsnprintf(buf, sizeof buf, format, ap);
    if (n < 0) return;
    std::lock_guard<std::mutex> lock(m_mutex);
    m_lines.emplace_back(buf);
    if (m_lines.size() > kKeep) m_lines.pop_front();
  }
  /// The captured lines that mention a corruption or a file, joined by "; ".
  std::string relevant() const {
    std::lock_guard<std::mutex> lock(m_mutex);
    std::string out;
    for (const auto& line : m_lines) {
      if (line.find("orrupt") == std::string::npos && line.find("dropping") == std::string::npos) continue;
      if (out.find(line) != std::string::npos) continue;
      if (!out.empty()) out += "; ";
      out += line;
    }
    return out;
  }

 private:
  static constexpr size_t kKeep = 16;
  mutable std::mutex m_mutex;
  std::deque<std::string> m_lines;
};

/// What a folder holds, checked before RocksDB is asked to open it (a
/// failed RocksDB open may itself write: a LOG, a LOCK, a fresh CURRENT).
enum class FolderState { Missing, NotFolder, Unreadable, Empty, Foreign, Damaged, Database };

bool is_leftover(const std::string& name) {
  // Files a failed open may leave in an otherwise empty folder.
  return name == "LOCK" || name == "LOG" || name.rfind("LOG.old.", 0) == 0;
}

bool is_database_file(const std::string& name) {
  auto ends_with = [&](std::string_view suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return name == "IDENTITY" || name.rfind("MANIFEST-", 0) == 0 || name.rfind("OPTIONS-", 0) == 0 ||
         ends_with(".sst") || ends_with(".log") || ends_with(".blob");
}

FolderState inspect_folder(const std::string& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return ec && ec != std::errc::no_such_file_or_directory ? FolderState::Unreadable
                                                                                      : FolderState::Missing;
  if (!fs::is_directory(st)) return FolderState::NotFolder;
  bool current = false, database = false, other = false;
  fs::directory_iterator it(path, ec), end;
  if (ec) return FolderState::Unreadable;
  for (; it != end; it.increment(ec)) {
    if (ec) return FolderState::Unreadable;
    const std::string name = it->path().filename().string();
    if (name == "CURRENT") current = true;
    else if (is_database_file(name)) database = true;
    else if (!is_leftover(name)) other = true;
  }
  if (ec) return FolderState::Unreadable;
  if (current) return FolderState::Database;
  if (database) return FolderState::Damaged;
  return other ? FolderState::Foreign : FolderState::Empty;
}

std::string quoted(const std::string& path) { return "state folder '" + path + "'"; }

std::string with_hint(std::string message, const std::string& hint) {
  if (!hint.empty()) message += " (" + hint + ")";
  return message;
}

/// The folder check of `open`: an Error when `mode` must not go on.
Result<void> check_folder(const std::string& path, const RocksDbOptions& options) {
  const FolderState state = inspect_folder(path);
  const bool create = options.mode == OpenMode::Create;
  switch (state) {
    case FolderState::Database:
      return {};
    case FolderState::Missing:
      if (create) return {};
      return make_error(with_hint(quoted(path) + " does not exist", options.missing_hint));
    case FolderState::Empty:
      if (create) return {};
      return make_error(with_hint(quoted(path) + " holds no Ward state (no database in it)", options.missing_hint));
    case FolderState::NotFolder:
      return make_error(quoted(path) + " is not a folder");
    case FolderState::Unreadable:
      return make_error(quoted(path) + " cannot be read (permissions?)");
    case FolderState::Foreign:
      if (create) {
        return make_error(quoted(path) +
                          " is not empty and holds no Ward state; refusing to create a state among other files "
                          "(choose a new or empty folder)");
      }
      return make_error(with_hint(quoted(path) + " holds no Ward state (no database in it)", options.missing_hint));
    case FolderState::Damaged:
      return make_error(quoted(path) +
                        " is damaged: CURRENT missing (its database files are there, but not the file that names "
                        "the live MANIFEST); refusing to open or recreate it, see docs/storage.md");
  }
  return {};
}

/// The process holding the POSIX lock on `lock_path`, or -1 when unknown.
/// Only call when this process holds no lock on that file: closing a
/// descriptor drops every lock of the process on the file.
long lock_holder(const std::string& lock_path) {
  int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct flock fl {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  long pid = -1;
  if (::fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type != F_UNLCK && fl.l_pid > 0) pid = fl.l_pid;
  ::close(fd);
  return pid;
}

bool contains(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

/// The open error for RocksDB status `st`.
Error open_error(const std::string& path, const rocksdb::Status& st, const CaptureLogger& log) {
  const std::string text = st.ToString();
  if (st.IsIOError() && contains(text, "lock")) {
    std::string who;
    if (contains(text, "current process")) {
      who = " (this process has it open already)";
    } else if (long pid = lock_holder(path + "/LOCK"); pid > 0) {
      who = " (pid " + std::to_string(pid) + ")";
    }
    return make_error(quoted(path) + " is in use by another ward process" + who +
                      "; run a node (`ward node`) to serve concurrent clients, or retry");
  }
  std::string details = log.relevant();
  if (st.IsCorruption() || contains(details, "orrupt")) {
    std::string message = quoted(path) + " is corrupted: " + text;
    if (!details.empty()) message += " (" + details + ")";
    return make_error(message +
                      "; refusing to open it rather than silently drop committed data, see docs/storage.md");
  }
  if (st.IsNoSpace()) {
    return make_error("cannot open state database at " + path + ": no space left on device (" + text + ")");
  }
  std::string message = "cannot open state database at " + path + ": " + text;
  if (!details.empty()) message += " (" + details + ")";
  return make_error(message);
}

Error read_error(const char* op, const rocksdb::Status& st) {
  if (st.IsCorruption()) {
    return make_error(std::string("state database ") + op + " failed: data corruption detected: " + st.ToString() +
                      " (see docs/storage.md)");
  }
  return make_error(std::string("state database ") + op + " failed: " + st.ToString());
}

Result<std::optional<std::string>> get_with(rocksdb::DB& db, const rocksdb::ReadOptions& ro, std::string_view key) {
  std::string value;
  rocksdb::Status st = db.Get(ro, slice(key), &value);
  if (st.IsNotFound()) return std::optional<std::string>{};
  if (!st.ok()) return read_error("read", st);
  return std::optional<std::string>{std::move(value)};
}

/// Visits keys from `start` on while `more(key)` holds and `fn` asks for more.
template <class More>
Result<void> scan_with(rocksdb::DB& db, const rocksdb::ReadOptions& ro, std::string_view start, More more,
                       const ScanFn& fn) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(ro));
  for (it->Seek(slice(start)); it->Valid(); it->Next()) {
    rocksdb::Slice k = it->key();
    std::string_view key(k.data(), k.size());
    if (!more(key)) break;
    rocksdb::Slice v = it->value();
    if (!fn(key, std::string_view(v.data(), v.size()))) break;
  }
  if (!it->status().ok()) return read_error("scan", it->status());
  return {};
}

Result<void> scan_prefix_with(rocksdb::DB& db, const rocksdb::ReadOptions& ro, std::string_view prefix,
                              const ScanFn& fn) {
  return scan_with(
      db, ro, prefix, [&](std::string_view key) { return key.substr(0, prefix.size()) == prefix; }, fn);
}

Result<void> scan_range_with(rocksdb::DB& db, const rocksdb::ReadOptions& ro, std::string_view start,
                             std::string_view end, const ScanFn& fn) {
  return scan_with(
      db, ro, start, [&](std::string_view key) { return end.empty() || key < end; }, fn);
}

/// A point-in-time read-only view (RocksDbStore::snapshot).
class RocksDbSnapshot final : public KvStore {
 public:
  explicit RocksDbSnapshot(rocksdb::DB& db) : m_db(db), m_snapshot(db.GetSnapshot()) {
    m_read.snapshot = m_snapshot;
  }
  ~RocksDbSnapshot() override {
    if (m_snapshot) m_db.ReleaseSnapshot(m_snapshot);
  }
  RocksDbSnapshot(const RocksDbSnapshot&) = delete;
  RocksDbSnapshot& operator=(const RocksDbSnapshot&) = delete;

  Result<std::optional<std::string>> get(std::string_view key) override { return get_with(m_db, m_read, key); }
  Result<void> write(const WriteBatch&) override { return make_error("snapshot is read-only"); }
  Result<void> scan_prefix(std::string_view prefix, const ScanFn& fn) override {
    return scan_prefix_with(m_db, m_read, prefix, fn);
  }
  Result<void> scan_range(std::string_view start, std::string_view end, const ScanFn& fn) override {
    return scan_range_with(m_db, m_read, start, end, fn);
  }

 private:
  rocksdb::DB& m_db;
  const rocksdb::Snapshot* m_snapshot;
  rocksdb::ReadOptions m_read;  ///< never changed after construction: safe to share between threads
};

std::string wal_file(const std::string& dir, uint64_t number) {
  char name[32];
  std::snprintf(name, sizeof name, "/%06llu.log", static_cast<unsigned long long>(number));
  return dir + name;
}

}  // namespace

RocksDbStore::RocksDbStore(std::unique_ptr<rocksdb::Env> env, std::unique_ptr<rocksdb::DB> db, std::string path,
                           OpenMode mode, bool sync)
    : m_env(std::move(env)), m_db(std::move(db)), m_path(std::move(path)), m_mode(mode), m_sync(sync) {}

RocksDbStore::~RocksDbStore() {
  if (m_db) {
    (void)m_db->Close();  // after a fault Close reports that fault again; nothing more to do with it
    m_db.reset();
  }
  if (!m_fault.empty() && m_fault_wal_number != 0) {
    // The failed batch may have left part of a record at the end of the
    // write-ahead log (a short write on a full disk); that record was never
    // committed. Cut it, or the next open would rightly refuse a log with a
    // torn record. Logs started during the failed write hold only it.
    std::error_code ec;
    const std::string wal = wal_file(m_path, m_fault_wal_number);
    if (fs::exists(wal, ec) && fs::file_size(wal, ec) > m_fault_wal_size && !ec) {
      fs::resize_file(wal, m_fault_wal_size, ec);
    }
    for (fs::directory_iterator it(m_path, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.size() < 5 || name.compare(name.size() - 4, 4, ".log") != 0) continue;
      char* stop = nullptr;
      const unsigned long long number = std::strtoull(name.c_str(), &stop, 10);
      if (stop != name.c_str() + name.size() - 4 || number <= m_fault_wal_number) continue;
      std::error_code ignored;
      fs::resize_file(it->path(), 0, ignored);
    }
  }
  m_env.reset();
}

Result<std::unique_ptr<RocksDbStore>> RocksDbStore::open(const std::string& path, const RocksDbOptions& options) {
  if (auto checked = check_folder(path, options); !checked) return checked.error();

  std::unique_ptr<rocksdb::Env> env;
  if (options.file_system) env = rocksdb::NewCompositeEnv(options.file_system);
  auto log = std::make_shared<CaptureLogger>();

  rocksdb::Options opts;
  if (env) opts.env = env.get();
  opts.create_if_missing = options.mode == OpenMode::Create;
  opts.info_log = log;  // no LOG file: nothing written on a read-only or failed open
  opts.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;
  opts.keep_log_file_num = 1;
  // Integrity: any damage in the write-ahead log fails the open (no silent
  // point-in-time cut that would undo committed batches); table files are
  // checked against the MANIFEST at open and re-read after they are written.
  opts.paranoid_checks = true;
  opts.wal_recovery_mode = rocksdb::WALRecoveryMode::kAbsoluteConsistency;
  opts.paranoid_file_checks = true;
  // After a write error the store stops writing (fault state); RocksDB's
  // automatic resume would touch the failed log writer again.
  opts.max_bgerror_resume_count = 0;

  rocksdb::DB* raw = nullptr;
  rocksdb::Status st;
  if (options.mode == OpenMode::ReadOnly) {
    // A writer in another process may be appending to the log or replacing
    // files while we read them: a torn tail or a vanished file then is a
    // race, not damage. Retry a few times before reporting it.
    for (int attempt = 0; attempt < 3; ++attempt) {
      if (attempt > 0) std::this_thread::sleep_for(std::chrono::milliseconds(25 * attempt));
      st = rocksdb::DB::OpenForReadOnly(opts, path, &raw);
      if (st.ok() || !(st.IsCorruption() || st.IsIOError() || st.IsPathNotFound())) break;
    }
  } else {
    st = rocksdb::DB::Open(opts, path, &raw);
  }
  if (!st.ok()) {
    delete raw;
    return open_error(path, st, *log);
  }
  return std::unique_ptr<RocksDbStore>(new RocksDbStore(std::move(env), std::unique_ptr<rocksdb::DB>(raw), path,
                                                        options.mode, options.sync_writes));
}

Result<std::optional<std::string>> RocksDbStore::get(std::string_view key) {
  return get_with(*m_db, rocksdb::ReadOptions(), key);
}

Result<void> RocksDbStore::write(const WriteBatch& batch) {
  if (m_mode == OpenMode::ReadOnly) return make_error("state database is read-only (opened for reading)");
  std::lock_guard<std::mutex> lock(m_write_mutex);
  if (!m_fault.empty()) {
    return make_error("storage fault: the state database refuses writes since an earlier write failed (" + m_fault +
                      "); stop, fix the cause and restart (see docs/storage.md)");
  }
  rocksdb::WriteBatch wb;
  for (const auto& op : batch.ops()) {
    rocksdb::Status st = op.value ? wb.Put(slice(op.key), slice(*op.value)) : wb.Delete(slice(op.key));
    if (!st.ok()) return make_error("state database write failed: " + st.ToString());
  }
  // Where the log ends now: a failed write may leave a partial record past
  // it, which the destructor cuts (see there).
  uint64_t wal_number = 0, wal_size = 0;
  {
    std::unique_ptr<rocksdb::LogFile> wal;
    if (m_db->GetCurrentWalFile(&wal).ok() && wal) {
      wal_number = wal->LogNumber();
      wal_size = wal->SizeFileBytes();
    }
  }
  rocksdb::WriteOptions wo;
  wo.sync = m_sync;
  rocksdb::Status st = m_db->Write(wo, &wb);
  if (st.ok()) return {};
  const std::string cause = st.IsNoSpace() ? "no space left on device (" + st.ToString() + ")" : st.ToString();
  m_fault = cause;
  m_fault_wal_number = wal_number;
  m_fault_wal_size = wal_size;
  return make_error("state database write failed: " + cause +
                    "; nothing of the batch was committed, and the store now refuses writes (storage fault)");
}

Result<void> RocksDbStore::scan_prefix(std::string_view prefix, const ScanFn& fn) {
  return scan_prefix_with(*m_db, rocksdb::ReadOptions(), prefix, fn);
}

Result<void> RocksDbStore::scan_range(std::string_view start, std::string_view end, const ScanFn& fn) {
  return scan_range_with(*m_db, rocksdb::ReadOptions(), start, end, fn);
}

std::unique_ptr<KvStore> RocksDbStore::snapshot() const { return std::make_unique<RocksDbSnapshot>(*m_db); }

std::string RocksDbStore::fault() const {
  std::lock_guard<std::mutex> lock(m_write_mutex);
  return m_fault;
}

}  // namespace ward::state
