// RocksDbStore hardening: open modes and folder checks, write-ahead log and
// table corruption, a full disk, a state held by another process, snapshots.
// Regressions listed in tests/regression/README.md.
#include <gtest/gtest.h>
#include <rocksdb/file_system.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "state/rocksdb_store.h"

namespace ward::state {
namespace {

namespace fs = std::filesystem;

/// A fresh (not yet existing) folder under the temporary folder, removed
/// when the fixture object goes.
struct TempDir {
  explicit TempDir(const char* name) {
    std::random_device rd;
    path = fs::temp_directory_path() / (std::string("ward-store-") + name + "-" + std::to_string(rd()));
    fs::remove_all(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  std::string str() const { return path.string(); }
  fs::path path;
};

RocksDbOptions with_mode(OpenMode mode) {
  RocksDbOptions o;
  o.mode = mode;
  return o;
}

bool has(const std::string& text, std::string_view what) { return text.find(what) != std::string::npos; }

/// Every file of `dir` with its size and modification time.
std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> listing(const fs::path& dir) {
  std::map<std::string, std::pair<uintmax_t, fs::file_time_type>> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    out[e.path().filename().string()] = {fs::file_size(e.path()), fs::last_write_time(e.path())};
  }
  return out;
}

std::vector<fs::path> files_ending(const fs::path& dir, std::string_view suffix) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(e.path());
    }
  }
  return out;
}

void flip_byte(const fs::path& file, uint64_t offset, uint8_t mask = 0x5a) {
  std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
  ASSERT_TRUE(f) << file;
  f.seekg(static_cast<std::streamoff>(offset));
  char c = 0;
  f.read(&c, 1);
  ASSERT_TRUE(f) << "offset " << offset << " past the end of " << file;
  c = static_cast<char>(c ^ mask);
  f.seekp(static_cast<std::streamoff>(offset));
  f.write(&c, 1);
}

/// Writes keys k0..k{n-1} = "value-i-<100 x>", one synced batch each.
void write_keys(KvStore& s, int n) {
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(s.put("k" + std::to_string(i), "value-" + std::to_string(i) + "-" + std::string(100, 'x')).ok());
  }
}

std::string value_of(KvStore& s, const std::string& key) {
  auto v = s.get(key);
  if (!v.ok()) return "<error: " + v.error().message + ">";
  return v.value() ? *v.value() : "<absent>";
}

// ---- item 4: only explicit creation creates a state --------------------------

TEST(RocksDbStoreOpen, MissingFolderIsNamedAndNothingIsCreated) {
  TempDir dir("missing");
  for (OpenMode mode : {OpenMode::MustExist, OpenMode::ReadOnly}) {
    RocksDbOptions o = with_mode(mode);
    o.missing_hint = "create one with `ward deploy`";
    auto s = RocksDbStore::open(dir.str(), o);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().message,
              "state folder '" + dir.str() + "' does not exist (create one with `ward deploy`)");
    EXPECT_FALSE(fs::exists(dir.path));
  }
  auto created = RocksDbStore::open(dir.str(), with_mode(OpenMode::Create));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_TRUE(fs::exists(dir.path / "CURRENT"));
}

TEST(RocksDbStoreOpen, EmptyFolderIsNoStateUnlessCreating) {
  TempDir dir("empty");
  fs::create_directories(dir.path);
  auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::MustExist));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(has(s.error().message, "holds no Ward state")) << s.error().message;
  EXPECT_TRUE(fs::is_empty(dir.path));
  auto c = RocksDbStore::open(dir.str(), with_mode(OpenMode::Create));
  ASSERT_TRUE(c.ok()) << c.error().message;
}

TEST(RocksDbStoreOpen, CreateRefusesAFolderOfOtherFiles) {
  TempDir dir("foreign");
  fs::create_directories(dir.path);
  std::ofstream(dir.path / "notes.txt") << "mine";
  auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::Create));
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(has(s.error().message, "is not empty and holds no Ward state")) << s.error().message;
  EXPECT_EQ(listing(dir.path).size(), 1u);
}

// Regression (hardening issue, finding 4): removing CURRENT made the first
// command fail but leave a fresh CURRENT behind, and the second command
// opened an empty state and deleted the old table files.
TEST(RocksDbStoreOpen, CurrentMissingIsDamagedAndNeverRecreated) {
  TempDir dir("nocurrent");
  {
    auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::Create));
    ASSERT_TRUE(s.ok()) << s.error().message;
    write_keys(*s.value(), 5);
  }
  {  // reopening flushes the log into a table file
    auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::MustExist));
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  ASSERT_FALSE(files_ending(dir.path, ".sst").empty());
  std::string current;
  {
    std::ifstream in(dir.path / "CURRENT");
    std::getline(in, current);
  }
  fs::remove(dir.path / "CURRENT");
  const auto before = listing(dir.path);
  for (OpenMode mode : {OpenMode::MustExist, OpenMode::MustExist, OpenMode::ReadOnly, OpenMode::Create}) {
    auto s = RocksDbStore::open(dir.str(), with_mode(mode));
    ASSERT_FALSE(s.ok()) << "mode " << static_cast<int>(mode) << " opened a state without CURRENT";
    EXPECT_TRUE(has(s.error().message, "is damaged: CURRENT missing")) << s.error().message;
    EXPECT_EQ(listing(dir.path), before) << "a failed open changed the folder";
  }
  // Putting CURRENT back gives the state back, untouched.
  std::ofstream(dir.path / "CURRENT") << current << "\n";
  auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::MustExist));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(value_of(*s.value(), "k4"), "value-4-" + std::string(100, 'x'));
}

// ---- item 5: corruption is reported, never a silent rollback -----------------

/// Offsets of the records of a small (one 32 KiB block) write-ahead log: a
/// record is a 7-byte header (checksum 4, length 2 little-endian, type 1)
/// and its payload.
std::vector<uint64_t> wal_records(const fs::path& wal) {
  std::ifstream in(wal, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::vector<uint64_t> out;
  uint64_t pos = 0;
  while (pos + 7 <= bytes.size()) {
    const uint64_t len = static_cast<uint8_t>(bytes[pos + 4]) | (static_cast<uint8_t>(bytes[pos + 5]) << 8);
    if (len == 0 && bytes[pos + 6] == 0) break;  // zero padding
    out.push_back(pos);
    pos += 7 + len;
  }
  return out;
}

/// A state holding 3 committed batches, all of them still only in the
/// write-ahead log (closing does not flush it into a table).
fs::path state_with_logged_batches(const TempDir& dir) {
  auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::Create));
  EXPECT_TRUE(s.ok()) << s.error().message;
  write_keys(*s.value(), 3);
  s.value().reset();
  auto logs = files_ending(dir.path, ".log");
  EXPECT_EQ(logs.size(), 1u);
  EXPECT_TRUE(files_ending(dir.path, ".sst").empty());
  return logs.empty() ? fs::path() : logs[0];
}

void expect_open_refused_naming(const TempDir& dir, const fs::path& file) {
  for (OpenMode mode : {OpenMode::MustExist, OpenMode::ReadOnly}) {
    auto s = RocksDbStore::open(dir.str(), with_mode(mode));
    ASSERT_FALSE(s.ok()) << "mode " << static_cast<int>(mode) << ": a damaged log was accepted; k2 = "
                         << value_of(*s.value(), "k2");
    EXPECT_TRUE(has(s.error().message, "is corrupted")) << s.error().message;
    EXPECT_TRUE(has(s.error().message, file.filename().string())) << s.error().message;
  }
}

// Regression (hardening issue, finding 5): one flipped byte in the
// write-ahead log silently undid the last committed batch.
TEST(RocksDbStoreIntegrity, FlippedByteInLastLoggedBatchFailsTheOpen) {
  TempDir dir("walflip");
  fs::path wal = state_with_logged_batches(dir);
  auto records = wal_records(wal);
  ASSERT_GE(records.size(), 3u);
  flip_byte(wal, records.back() + 7 + 20);  // inside the payload of the last batch
  expect_open_refused_naming(dir, wal);
}

TEST(RocksDbStoreIntegrity, FlippedByteInEarlierLoggedBatchFailsTheOpen) {
  TempDir dir("walflip-mid");
  fs::path wal = state_with_logged_batches(dir);
  auto records = wal_records(wal);
  ASSERT_GE(records.size(), 3u);
  flip_byte(wal, records[1] + 2);  // the checksum of the second batch
  expect_open_refused_naming(dir, wal);
}

TEST(RocksDbStoreIntegrity, DamagedLengthOfLastLoggedBatchFailsTheOpen) {
  // Looks like a torn record at the end of the log: a point-in-time
  // recovery drops it without a word.
  TempDir dir("walflip-len");
  fs::path wal = state_with_logged_batches(dir);
  auto records = wal_records(wal);
  ASSERT_GE(records.size(), 3u);
  flip_byte(wal, records.back() + 5, 0x01);  // length high byte: +256
  expect_open_refused_naming(dir, wal);
}

TEST(RocksDbStoreIntegrity, FlippedByteInTableFileIsAnErrorNeverWrongData) {
  TempDir dir("sstflip");
  {
    auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::Create));
    ASSERT_TRUE(s.ok()) << s.error().message;
    write_keys(*s.value(), 20);
  }
  {  // reopening flushes the log into a table file
    auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::MustExist));
    ASSERT_TRUE(s.ok()) << s.error().message;
  }
  auto tables = files_ending(dir.path, ".sst");
  ASSERT_EQ(tables.size(), 1u);
  flip_byte(tables[0], 40);  // inside the first data block (the first keys and values)
  for (OpenMode mode : {OpenMode::MustExist, OpenMode::ReadOnly}) {
    auto s = RocksDbStore::open(dir.str(), with_mode(mode));
    if (!s.ok()) {
      EXPECT_TRUE(has(s.error().message, "corrupt")) << s.error().message;
      continue;
    }
    auto v = s.value()->get("k0");
    ASSERT_FALSE(v.ok()) << "read damaged data without an error: " << (v.value() ? *v.value() : "<absent>");
    EXPECT_TRUE(has(v.error().message, "data corruption detected")) << v.error().message;
    EXPECT_TRUE(has(v.error().message, tables[0].filename().string())) << v.error().message;
    auto scanned = s.value()->scan_prefix("k", [](std::string_view, std::string_view) { return true; });
    ASSERT_FALSE(scanned.ok());
    EXPECT_TRUE(has(scanned.error().message, "data corruption detected")) << scanned.error().message;
  }
}

// ---- item 6: a full disk -------------------------------------------------------

/// A file system whose writes fail with "no space left on device" once a
/// byte budget is spent; the write that crosses the budget writes the bytes
/// that fit (a short write, as a real full disk does).
class FullDiskFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  FullDiskFileSystem() : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "FullDiskFileSystem"; }

  /// Bytes that may still be written; negative: unlimited.
  std::atomic<int64_t> budget{-1};
  std::atomic<int> failures{0};

  rocksdb::IOStatus NewWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r, rocksdb::IODebugContext* d) override {
    return wrap(target()->NewWritableFile(f, o, r, d), r);
  }
  rocksdb::IOStatus ReopenWritableFile(const std::string& f, const rocksdb::FileOptions& o,
                                       std::unique_ptr<rocksdb::FSWritableFile>* r,
                                       rocksdb::IODebugContext* d) override {
    return wrap(target()->ReopenWritableFile(f, o, r, d), r);
  }
  rocksdb::IOStatus ReuseWritableFile(const std::string& f, const std::string& old, const rocksdb::FileOptions& o,
                                      std::unique_ptr<rocksdb::FSWritableFile>* r,
                                      rocksdb::IODebugContext* d) override {
    return wrap(target()->ReuseWritableFile(f, old, o, r, d), r);
  }

  /// How much of `n` bytes may be written; sets `full` when not all.
  size_t take(size_t n, bool& full) {
    full = false;
    int64_t left = budget.load();
    while (left >= 0) {
      const int64_t granted = std::min<int64_t>(left, static_cast<int64_t>(n));
      if (budget.compare_exchange_weak(left, left - granted)) {
        full = granted < static_cast<int64_t>(n);
        if (full) ++failures;
        return static_cast<size_t>(granted);
      }
    }
    return n;
  }
  static rocksdb::IOStatus no_space() {
    rocksdb::IOStatus s = rocksdb::IOStatus::NoSpace("While appending to file", "No space left on device");
    s.SetRetryable(true);  // as the POSIX file system reports ENOSPC
    return s;
  }

 private:
  class File final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    File(std::unique_ptr<rocksdb::FSWritableFile>&& f, FullDiskFileSystem& fs)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(f)), m_fs(fs) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                             rocksdb::IODebugContext* d) override {
      bool full = false;
      size_t n = m_fs.take(data.size(), full);
      if (n > 0) {
        rocksdb::IOStatus s = target()->Append(rocksdb::Slice(data.data(), n), o, d);
        if (!s.ok()) return s;
      }
      return full ? no_space() : rocksdb::IOStatus::OK();
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& o,
                             const rocksdb::DataVerificationInfo&, rocksdb::IODebugContext* d) override {
      return Append(data, o, d);
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& o,
                                       rocksdb::IODebugContext* d) override {
      bool full = false;
      size_t n = m_fs.take(data.size(), full);
      if (n > 0) {
        rocksdb::IOStatus s = target()->PositionedAppend(rocksdb::Slice(data.data(), n), offset, o, d);
        if (!s.ok()) return s;
      }
      return full ? no_space() : rocksdb::IOStatus::OK();
    }
    rocksdb::IOStatus PositionedAppend(const rocksdb::Slice& data, uint64_t offset, const rocksdb::IOOptions& o,
                                       const rocksdb::DataVerificationInfo&, rocksdb::IODebugContext* d) override {
      return PositionedAppend(data, offset, o, d);
    }

   private:
    FullDiskFileSystem& m_fs;
  };

  rocksdb::IOStatus wrap(rocksdb::IOStatus s, std::unique_ptr<rocksdb::FSWritableFile>* r) {
    if (s.ok()) *r = std::make_unique<File>(std::move(*r), *this);
    return s;
  }
};

// Regression (hardening issue, finding 6): a full disk during a commit ended
// in a RocksDB assertion abort, and the failed batch's partial log record
// would have made the next open fail.
TEST(RocksDbStoreFullDisk, CommitOnFullDiskIsACleanErrorAndNothingIsLost) {
  TempDir dir("enospc");
  auto disk = std::make_shared<FullDiskFileSystem>();
  RocksDbOptions o = with_mode(OpenMode::Create);
  o.file_system = disk;
  {
    auto s = RocksDbStore::open(dir.str(), o);
    ASSERT_TRUE(s.ok()) << s.error().message;
    RocksDbStore& store = *s.value();
    write_keys(store, 5);
    disk->budget = 10;  // the disk fills up in the middle of the next batch
    WriteBatch b;
    b.put("k0", "overwritten");
    b.put("new", std::string(4000, 'n'));
    auto w = store.write(b);
    ASSERT_FALSE(w.ok());
    EXPECT_TRUE(has(w.error().message, "no space left")) << w.error().message;
    EXPECT_GE(disk->failures.load(), 1);
    // Nothing of the batch is visible; committed data still reads.
    EXPECT_EQ(value_of(store, "new"), "<absent>");
    EXPECT_EQ(value_of(store, "k0"), "value-0-" + std::string(100, 'x'));
    EXPECT_FALSE(store.fault().empty());
    // The store stays stopped: a storage fault, named, even with room again.
    disk->budget = -1;
    auto again = store.put("later", "x");
    ASSERT_FALSE(again.ok());
    EXPECT_TRUE(has(again.error().message, "storage fault")) << again.error().message;
    EXPECT_TRUE(has(again.error().message, "no space left")) << again.error().message;
  }  // closing must not abort the process
  auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::MustExist));
  ASSERT_TRUE(s.ok()) << s.error().message;
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(value_of(*s.value(), "k" + std::to_string(i)), "value-" + std::to_string(i) + "-" + std::string(100, 'x'));
  }
  EXPECT_EQ(value_of(*s.value(), "new"), "<absent>");
  EXPECT_EQ(value_of(*s.value(), "later"), "<absent>");
  ASSERT_TRUE(s.value()->put("after", "ok").ok());
}

TEST(RocksDbStoreFullDisk, ReadOnlyOpenWritesNothingAndWorksOnAFullDisk) {
  TempDir dir("ro-full");
  {
    auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::Create));
    ASSERT_TRUE(s.ok()) << s.error().message;
    write_keys(*s.value(), 3);
  }
  const auto before = listing(dir.path);
  auto disk = std::make_shared<FullDiskFileSystem>();
  disk->budget = 0;
  RocksDbOptions o = with_mode(OpenMode::ReadOnly);
  o.file_system = disk;
  for (int i = 0; i < 3; ++i) {
    auto s = RocksDbStore::open(dir.str(), o);
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(value_of(*s.value(), "k2"), "value-2-" + std::string(100, 'x'));
    auto w = s.value()->put("x", "y");
    ASSERT_FALSE(w.ok());
    EXPECT_TRUE(has(w.error().message, "read-only")) << w.error().message;
  }
  EXPECT_EQ(disk->failures.load(), 0) << "a read-only open tried to write";
  EXPECT_EQ(listing(dir.path), before) << "a read-only open changed the folder";
  for (const auto& [name, info] : before) EXPECT_NE(name.rfind("LOG", 0), 0u) << "info log file " << name;

  // A writable open on the full disk fails cleanly; the state stays intact.
  RocksDbOptions w = with_mode(OpenMode::MustExist);
  w.file_system = disk;
  auto s = RocksDbStore::open(dir.str(), w);
  ASSERT_FALSE(s.ok());
  EXPECT_TRUE(has(s.error().message, "no space left")) << s.error().message;
  auto ok = RocksDbStore::open(dir.str(), with_mode(OpenMode::MustExist));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(value_of(*ok.value(), "k2"), "value-2-" + std::string(100, 'x'));
}

/// The same on a real full disk: a 1 MiB tmpfs (needs the right to mount;
/// skipped without it).
TEST(RocksDbStoreFullDisk, RealFullDisk) {
  TempDir dir("tmpfs");
  fs::create_directories(dir.path);
  if (::mount("tmpfs", dir.str().c_str(), "tmpfs", 0, "size=1m") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno) << ")";
  }
  struct Unmount {
    std::string path;
    ~Unmount() { ::umount2(path.c_str(), MNT_DETACH); }
  } unmount{dir.str()};
  const std::string state = dir.str() + "/st";
  int committed = 0;
  {
    auto s = RocksDbStore::open(state, with_mode(OpenMode::Create));
    ASSERT_TRUE(s.ok()) << s.error().message;
    Result<void> w;
    for (; committed < 10000; ++committed) {
      w = s.value()->put("k" + std::to_string(committed), std::string(8000, 'a' + committed % 26));
      if (!w.ok()) break;
    }
    ASSERT_FALSE(w.ok()) << "the disk never filled";
    EXPECT_TRUE(has(w.error().message, "no space left")) << w.error().message;
    EXPECT_EQ(value_of(*s.value(), "k0"), std::string(8000, 'a'));
  }  // no abort on close
  {  // reads work on the full disk
    auto s = RocksDbStore::open(state, with_mode(OpenMode::ReadOnly));
    ASSERT_TRUE(s.ok()) << s.error().message;
    EXPECT_EQ(value_of(*s.value(), "k" + std::to_string(committed - 1)),
              std::string(8000, 'a' + (committed - 1) % 26));
  }
  ASSERT_EQ(::mount("tmpfs", dir.str().c_str(), "tmpfs", MS_REMOUNT, "size=8m"), 0) << std::strerror(errno);
  auto s = RocksDbStore::open(state, with_mode(OpenMode::MustExist));
  ASSERT_TRUE(s.ok()) << s.error().message;
  for (int i = 0; i < committed; ++i) {
    ASSERT_EQ(value_of(*s.value(), "k" + std::to_string(i)), std::string(8000, 'a' + i % 26)) << i;
  }
  EXPECT_EQ(value_of(*s.value(), "k" + std::to_string(committed)), "<absent>");
}

// ---- item 19: a state held by another process ----------------------------------

/// Run in a child process by open_in_child (this test binary again, so the
/// child shares nothing with the parent's RocksDB): opens the folder named
/// by WARD_STORE_CHILD_DIR and prints "child-result:" and the error message
/// (empty on success; "<key absent>" when WARD_STORE_CHILD_KEY is missing).
TEST(RocksDbStoreLockChild, OpenFromEnvironment) {
  const char* dir = std::getenv("WARD_STORE_CHILD_DIR");
  if (!dir) GTEST_SKIP() << "only run as the child of RocksDbStoreLock tests";
  const char* mode = std::getenv("WARD_STORE_CHILD_MODE");
  const char* key = std::getenv("WARD_STORE_CHILD_KEY");
  std::string out;
  {
    auto s = RocksDbStore::open(dir, with_mode(mode && std::string(mode) == "ro" ? OpenMode::ReadOnly
                                                                                 : OpenMode::MustExist));
    if (!s.ok()) out = s.error().message;
    else if (key && *key && value_of(*s.value(), key) == "<absent>") out = "<key absent>";
  }
  std::printf("child-result:%s\n", out.c_str());
}

/// Opens `dir` in another process; returns its error message ("" on success).
std::string open_in_child(const std::string& dir, OpenMode mode, const std::string& expect_key = "") {
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  std::string command = "WARD_STORE_CHILD_DIR='" + dir + "' WARD_STORE_CHILD_MODE=" +
                        (mode == OpenMode::ReadOnly ? "ro" : "rw") + " WARD_STORE_CHILD_KEY='" + expect_key +
                        "' '" + self + "' --gtest_filter=RocksDbStoreLockChild.OpenFromEnvironment 2>&1";
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return "<popen failed>";
  std::string output;
  char buf[512];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) output.append(buf, n);
  ::pclose(p);
  const std::string marker = "child-result:";
  size_t at = output.find(marker);
  if (at == std::string::npos) return "<no result from the child: " + output + ">";
  size_t end = output.find('\n', at);
  return output.substr(at + marker.size(), end - at - marker.size());
}

// Regression (hardening issue, finding 19): a second writer failed with a raw
// RocksDB lock message.
TEST(RocksDbStoreLock, SecondWriterIsToldWhoHoldsTheState) {
  TempDir dir("lock");
  auto writer = RocksDbStore::open(dir.str(), with_mode(OpenMode::Create));
  ASSERT_TRUE(writer.ok()) << writer.error().message;
  ASSERT_TRUE(writer.value()->put("committed", "yes").ok());

  const std::string other = open_in_child(dir.str(), OpenMode::MustExist);
  EXPECT_EQ(other, "state folder '" + dir.str() + "' is in use by another ward process (pid " +
                       std::to_string(::getpid()) +
                       "); run a node (`ward node`) to serve concurrent clients, or retry");

  auto same = RocksDbStore::open(dir.str(), with_mode(OpenMode::MustExist));
  ASSERT_FALSE(same.ok());
  EXPECT_TRUE(has(same.error().message, "is in use by another ward process (this process has it open already)"))
      << same.error().message;

  // Readers work beside the writer and see what it committed.
  EXPECT_EQ(open_in_child(dir.str(), OpenMode::ReadOnly, "committed"), "");
  auto reader = RocksDbStore::open(dir.str(), with_mode(OpenMode::ReadOnly));
  ASSERT_TRUE(reader.ok()) << reader.error().message;
  EXPECT_EQ(value_of(*reader.value(), "committed"), "yes");
  ASSERT_TRUE(writer.value()->put("more", "1").ok());  // the writer goes on
}

// ---- snapshots -------------------------------------------------------------------

TEST(RocksDbStoreSnapshot, SeesThePointInTimeAndIsReadOnly) {
  TempDir dir("snap");
  auto s = RocksDbStore::open(dir.str(), with_mode(OpenMode::Create));
  ASSERT_TRUE(s.ok()) << s.error().message;
  RocksDbStore& store = *s.value();
  ASSERT_TRUE(store.put("a", "1").ok());
  ASSERT_TRUE(store.put("c", "3").ok());
  auto snap = store.snapshot();
  ASSERT_TRUE(store.put("a", "2").ok());
  ASSERT_TRUE(store.put("b", "new").ok());
  ASSERT_TRUE(store.del("c").ok());

  EXPECT_EQ(value_of(*snap, "a"), "1");
  EXPECT_EQ(value_of(*snap, "b"), "<absent>");
  EXPECT_EQ(value_of(*snap, "c"), "3");
  std::string seen;
  ASSERT_TRUE(snap->scan_range("", "", [&](std::string_view k, std::string_view v) {
                    seen += std::string(k) + "=" + std::string(v) + ";";
                    return true;
                  }).ok());
  EXPECT_EQ(seen, "a=1;c=3;");
  seen.clear();
  ASSERT_TRUE(snap->scan_prefix("c", [&](std::string_view k, std::string_view) {
                    seen += std::string(k);
                    return true;
                  }).ok());
  EXPECT_EQ(seen, "c");
  auto w = snap->put("x", "y");
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.error().message, "snapshot is read-only");
  EXPECT_EQ(value_of(store, "a"), "2");
  EXPECT_EQ(value_of(store, "x"), "<absent>");
}

TEST(RocksDbStoreSnapshot, ReadersOnSeveralThreadsWhileWritesGoOn) {
  TempDir dir("snap-threads");
  RocksDbOptions o = with_mode(OpenMode::Create);
  o.sync_writes = false;
  auto s = RocksDbStore::open(dir.str(), o);
  ASSERT_TRUE(s.ok()) << s.error().message;
  RocksDbStore& store = *s.value();
  constexpr int kKeys = 50;
  auto write_round = [&](int round) {
    WriteBatch b;
    for (int i = 0; i < kKeys; ++i) b.put("key" + std::to_string(i), "v" + std::to_string(round));
    return store.write(b);
  };
  ASSERT_TRUE(write_round(0).ok());
  auto snap = store.snapshot();
  std::atomic<bool> stop{false};
  std::atomic<int> bad{0}, scans{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        int n = 0;
        auto r = snap->scan_prefix("key", [&](std::string_view, std::string_view v) {
          if (v != "v0") ++bad;
          ++n;
          return true;
        });
        if (!r.ok() || n != kKeys) ++bad;
        auto v = snap->get("key7");
        if (!v.ok() || !v.value() || *v.value() != "v0") ++bad;
        ++scans;
      }
    });
  }
  for (int round = 1; round <= 300; ++round) ASSERT_TRUE(write_round(round).ok());
  while (scans.load() < 20) std::this_thread::yield();
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_EQ(value_of(store, "key7"), "v300");
  EXPECT_EQ(value_of(*store.snapshot(), "key7"), "v300");
}

}  // namespace
}  // namespace ward::state
