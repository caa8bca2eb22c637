// ward/aot/cache.h — the on-disk cache of compiled shared objects. An entry
// is `<key>.so` plus `<key>.meta` ("ward-aot <abi>\n<key>\n<size>\n<hash>\n"),
// where key hashes (instrumented code inputs, compiler and version, flags,
// Ward's ABI version) and hash is the BLAKE2b of the .so.
//
// Trust: the cache folder is private. Cache::open creates the folders it owns
// with mode 0700 and refuses a folder that is not owned by the current user
// or is writable by group or others, so only this user can write an entry
// and the meta's digest cannot be forged by someone else. Entry files are
// opened relative to the folder's descriptor with O_NOFOLLOW and must be
// regular files owned by this user and not group/world-writable; the digest
// is checked on the exact bytes read from the opened file, and callers load
// those verified bytes (never the entry's path), so no code runs before the
// check and nothing can change between check and load.
//
// Writes go to a temporary file with an unpredictable name that is renamed
// over the entry, so a reader never sees a partial file, a damaged entry is
// replaced atomically, and an object already loaded by some process (an
// unlinked inode) is never modified.
// Thread-safety: methods may be called from several threads and processes.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ward::aot {

/// Hex BLAKE2b-256 of bytes.
std::string hash_hex(std::string_view bytes);

/// Where a cache lives: `dir`, and which folders are the cache's own.
struct CacheLocation {
  std::string dir;  ///< the cache folder
  /// Folders strictly below `root` down to `dir` belong to the cache: they
  /// are created with mode 0700 and checked (owner, mode) on every open.
  /// Empty: only `dir` itself.
  std::string root;
};

class Cache {
 public:
  /// $WARD_AOT_CACHE (only that folder is the cache's own), else
  /// $XDG_CACHE_HOME/ward/aot (own: ward, ward/aot), else ~/.cache/ward/aot
  /// (own: ward, ward/aot), else — no HOME — <temp dir>/ward-aot-<uid>, a
  /// per-user folder (own: ward-aot-<uid>). There is no shared fallback.
  static CacheLocation default_location();
  /// default_location().dir.
  static std::string default_dir() { return default_location().dir; }

  /// Opens the cache folder, creating missing folders (mode 0700). Errors
  /// name the folder and the problem: not owned by this user (with both
  /// uids), writable by group or others (with its mode), not a folder, or
  /// a system error.
  static Result<Cache> open(const CacheLocation& where);
  /// open({dir, ""}).
  static Result<Cache> open(const std::string& dir) { return open(CacheLocation{dir, ""}); }

  Cache(Cache&& o) noexcept : m_dir(std::move(o.m_dir)), m_fd(o.m_fd) { o.m_fd = -1; }
  Cache& operator=(Cache&&) = delete;
  Cache(const Cache&) = delete;
  ~Cache();

  const std::string& dir() const { return m_dir; }
  /// Descriptor of the verified folder (valid while the Cache lives).
  int dir_fd() const { return m_fd; }

  /// What lookup found.
  enum class State { Missing, Valid, Invalid };
  struct Entry {
    State state = State::Missing;
    std::string bytes;    ///< Valid: the verified object bytes
    std::string problem;  ///< Invalid: why (truncated, hash mismatch, foreign owner, symlink...)
  };
  /// Reads and verifies the entry for key. An Invalid entry is left in
  /// place; store() replaces it.
  Entry lookup(const std::string& key) const;

  /// Writes `object` as the entry for key (temporary file renamed over the
  /// entry, then the meta the same way).
  Result<void> store(const std::string& key, std::string_view object) const;

  /// Creates a file "tmp-<owner tag><label>-<random>" (mode 0600, O_EXCL)
  /// holding `bytes`; returns its name inside dir().
  Result<std::string> write_temp(std::string_view label, std::string_view bytes) const;

  /// Removes temporaries left by processes that died: "build-*" folders and
  /// "tmp-*" files whose owner process (same pid namespace) no longer
  /// exists, and any of them not modified for `max_age`.
  void remove_stale(std::chrono::seconds max_age) const;

  /// "<pid namespace>.<pid>." — the start of this process's temporary names
  /// after "build-" or "tmp-", read back by remove_stale.
  static std::string owner_tag();

 private:
  Cache(std::string dir, int fd) : m_dir(std::move(dir)), m_fd(fd) {}
  std::string m_dir;
  int m_fd = -1;
};

}  // namespace ward::aot
