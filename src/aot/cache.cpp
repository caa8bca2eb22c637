// ward/aot/cache.cpp — see cache.h.
#include "aot/cache.h"

#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aot/rt/ward_aot_abi.h"

namespace ward::aot {
namespace fs = std::filesystem;

std::string hash_hex(std::string_view bytes) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), nullptr, 0);
  std::string s;
  for (unsigned char c : out) s += fmt::format("{:02x}", c);
  return s;
}

std::string Cache::default_dir() {
  if (const char* d = std::getenv("WARD_AOT_CACHE"); d != nullptr && *d != '\0') return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    return (fs::path(x) / "ward" / "aot").string();
  }
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    return (fs::path(h) / ".cache" / "ward" / "aot").string();
  }
  return (fs::temp_directory_path() / "ward-aot-cache").string();
}

namespace {

bool read_all(const fs::path& p, std::string& out) {
  std::ifstream f(p, std::ios::binary);
  if (!f) return false;
  std::ostringstream ss;
  ss << f.rdbuf();
  out = ss.str();
  return true;
}

std::string meta_text(const std::string& key, const std::string& so) {
  return fmt::format("ward-aot {}\n{}\n{}\n{}\n", WARD_AOT_ABI, key, so.size(), hash_hex(so));
}

}  // namespace

std::optional<std::string> Cache::lookup(const std::string& key) const {
  const fs::path so = fs::path(m_dir) / (key + ".so");
  const fs::path meta = fs::path(m_dir) / (key + ".meta");
  std::string m, bytes;
  if (!read_all(meta, m) || !read_all(so, bytes)) return std::nullopt;
  if (m != meta_text(key, bytes)) return std::nullopt;
  return so.string();
}

Result<std::string> Cache::store(const std::string& key, const std::string& tmp_path) const {
  const fs::path so = fs::path(m_dir) / (key + ".so");
  const fs::path meta = fs::path(m_dir) / (key + ".meta");
  std::string bytes;
  if (!read_all(tmp_path, bytes)) return make_error(fmt::format("aot cache: cannot read {}", tmp_path));
  std::error_code ec;
  if (::link(tmp_path.c_str(), so.c_str()) != 0) {
    // Someone else stored this key: keep their file if it is valid.
    fs::remove(tmp_path, ec);
    if (auto p = lookup(key)) return *p;
    std::string existing;
    if (!read_all(so, existing) || existing != bytes) {
      return make_error(fmt::format("aot cache: {} exists and differs; not overwriting it", so.string()));
    }
  } else {
    fs::remove(tmp_path, ec);
  }
  // The meta file is written atomically too (temp + rename).
  // Unique per process and per call: threads storing the same key must not share it.
  static std::atomic<uint64_t> counter{0};
  const std::string tmp_meta =
      (fs::path(m_dir) / fmt::format("{}.meta.{}.{}.tmp", key, ::getpid(), counter++)).string();
  {
    std::ofstream f(tmp_meta, std::ios::binary);
    const std::string t = meta_text(key, bytes);
    f.write(t.data(), static_cast<std::streamsize>(t.size()));
    if (!f) return make_error(fmt::format("aot cache: cannot write {}", tmp_meta));
  }
  fs::rename(tmp_meta, meta, ec);
  if (ec) return make_error(fmt::format("aot cache: cannot rename {}: {}", tmp_meta, ec.message()));
  return so.string();
}

}  // namespace ward::aot
