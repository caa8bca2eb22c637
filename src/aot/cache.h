// ward/aot/cache.h — the on-disk cache of compiled shared objects. An entry
// is `<key>.so` plus `<key>.meta` ("ward-aot <abi>\n<key>\n<size>\n<hash>\n"),
// where key hashes (instrumented code inputs, compiler and version, flags,
// Ward's ABI version) and hash is the BLAKE2b of the .so. Writes go to a
// temporary file that is then linked into place, so a reader never sees a
// partial file and an existing (possibly loaded) file is never overwritten.
// Thread-safety: methods may be called from several threads and processes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "util/result.h"

namespace ward::aot {

/// Hex BLAKE2b-256 of bytes.
std::string hash_hex(std::string_view bytes);

class Cache {
 public:
  /// A cache in `dir` (created on first store).
  explicit Cache(std::string dir) : m_dir(std::move(dir)) {}
  /// $WARD_AOT_CACHE, else $XDG_CACHE_HOME/ward/aot, else ~/.cache/ward/aot.
  static std::string default_dir();

  const std::string& dir() const { return m_dir; }
  /// Path of a valid entry for key (meta present and matching the file's
  /// size and hash), or nullopt.
  std::optional<std::string> lookup(const std::string& key) const;
  /// Moves the compiled file `tmp_path` (inside dir()) into the entry for
  /// key and writes its meta; returns the entry's path. When another writer
  /// got there first, keeps theirs and removes tmp_path.
  Result<std::string> store(const std::string& key, const std::string& tmp_path) const;

 private:
  std::string m_dir;
};

}  // namespace ward::aot
