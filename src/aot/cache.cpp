// ward/aot/cache.cpp — see cache.h.
#include "aot/cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <vector>

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

CacheLocation Cache::default_location() {
  if (const char* d = std::getenv("WARD_AOT_CACHE"); d != nullptr && *d != '\0') return {d, ""};
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x != nullptr && *x != '\0') {
    return {(fs::path(x) / "ward" / "aot").string(), x};
  }
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') {
    const fs::path cache = fs::path(h) / ".cache";
    return {(cache / "ward" / "aot").string(), cache.string()};
  }
  std::error_code ec;
  fs::path tmp = fs::temp_directory_path(ec);
  if (ec) tmp = "/tmp";
  return {(tmp / fmt::format("ward-aot-{}", ::geteuid())).string(), tmp.string()};
}

namespace {

/// Reads everything from fd.
bool read_fd(int fd, std::string& out) {
  out.clear();
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return true;
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    out.append(buf, static_cast<size_t>(n));
  }
}

bool write_fd(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string meta_text(const std::string& key, std::string_view so) {
  return fmt::format("ward-aot {}\n{}\n{}\n{}\n", WARD_AOT_ABI, key, so.size(), hash_hex(so));
}

/// Why a cache folder may not be used, or "" when it is private.
std::string folder_problem(const struct stat& st) {
  if (!S_ISDIR(st.st_mode)) return "it is not a folder";
  if (st.st_uid != ::geteuid()) {
    return fmt::format("it is owned by uid {}, not by this user (uid {})", st.st_uid, ::geteuid());
  }
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    return fmt::format("it is writable by group or others (mode {:04o}); make it private (chmod 700)",
                       st.st_mode & 07777);
  }
  return "";
}

/// Why an entry file may not be trusted, or "" when it is ours.
std::string file_problem(const struct stat& st) {
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  if (st.st_uid != ::geteuid()) return fmt::format("owned by uid {}, not by this user", st.st_uid);
  if ((st.st_mode & (S_IWGRP | S_IWOTH)) != 0) return fmt::format("writable by group or others (mode {:04o})", st.st_mode & 07777);
  return "";
}

/// Opens dir/name without following a symlink and reads it if it is a
/// file we can trust. Returns ENOENT as "missing" (problem empty, false).
bool read_entry_file(int dir_fd, const std::string& name, std::string& out, std::string& problem, bool& missing) {
  missing = false;
  const int fd = ::openat(dir_fd, name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    if (errno == ENOENT) {
      missing = true;
    } else {
      problem = fmt::format("{}: cannot open it ({})", name, errno == ELOOP ? "a symbolic link" : std::strerror(errno));
    }
    return false;
  }
  struct stat st {};
  bool ok = ::fstat(fd, &st) == 0;
  if (ok) {
    problem = file_problem(st);
    if (!problem.empty()) problem = name + ": " + problem;
    ok = problem.empty();
  }
  if (ok && !read_fd(fd, out)) {
    problem = fmt::format("{}: read error", name);
    ok = false;
  }
  ::close(fd);
  return ok;
}

uint64_t pid_namespace() {
  struct stat st {};
  if (::stat("/proc/self/ns/pid", &st) != 0) return 0;
  return static_cast<uint64_t>(st.st_ino);
}

}  // namespace

std::string Cache::owner_tag() { return fmt::format("{}.{}.", pid_namespace(), ::getpid()); }

Cache::~Cache() {
  if (m_fd >= 0) ::close(m_fd);
}

Result<Cache> Cache::open(const CacheLocation& where) {
  if (where.dir.empty()) return make_error("aot cache: no folder given");
  std::error_code ec;
  fs::path dir = fs::absolute(fs::path(where.dir), ec).lexically_normal();
  if (ec) return make_error(fmt::format("aot cache: bad folder {}: {}", where.dir, ec.message()));
  if (!dir.has_filename()) dir = dir.parent_path();  // a trailing '/'
  fs::path root = where.root.empty() ? dir.parent_path() : fs::absolute(fs::path(where.root), ec).lexically_normal();
  if (!root.has_filename() && root.has_parent_path() && root != root.root_path()) root = root.parent_path();
  fs::path rel = dir.lexically_relative(root);
  if (rel.empty() || rel == "." || *rel.begin() == "..") {  // root is not above dir: only dir is the cache's own
    root = dir.parent_path();
    rel = dir.filename();
  }
  if (rel.empty()) return make_error(fmt::format("aot cache: {} cannot be a cache folder", dir.string()));
  // Folders above the cache's own ones: created if missing (0700), not checked.
  if (!fs::exists(root, ec)) {
    fs::path p;
    for (const auto& c : root) {
      p /= c;
      if (::mkdir(p.c_str(), 0700) != 0 && errno != EEXIST) {
        return make_error(fmt::format("aot cache: cannot create folder {}: {}", p.string(), std::strerror(errno)));
      }
    }
  }
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return make_error(fmt::format("aot cache: cannot open folder {}: {}", root.string(), std::strerror(errno)));
  // The cache's own folders, each opened relative to its verified parent.
  fs::path cur = root;
  for (const auto& c : rel) {
    if (c.empty() || c == ".") continue;
    cur /= c;
    if (::mkdirat(fd, c.c_str(), 0700) != 0 && errno != EEXIST) {
      const int e = errno;
      ::close(fd);
      return make_error(fmt::format("aot cache: cannot create folder {}: {}", cur.string(), std::strerror(e)));
    }
    const int next = ::openat(fd, c.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    const int e = errno;
    ::close(fd);
    if (next < 0) return make_error(fmt::format("aot cache: cannot open folder {}: {}", cur.string(), std::strerror(e)));
    fd = next;
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
      ::close(fd);
      return make_error(fmt::format("aot cache: cannot stat folder {}", cur.string()));
    }
    if (std::string why = folder_problem(st); !why.empty()) {
      ::close(fd);
      return make_error(fmt::format("aot cache: refusing to use folder {}: {}", cur.string(), why));
    }
  }
  return Cache(dir.string(), fd);
}

Cache::Entry Cache::lookup(const std::string& key) const {
  Entry e;
  std::string meta, bytes, problem;
  bool meta_missing = false, so_missing = false;
  const bool meta_ok = read_entry_file(m_fd, key + ".meta", meta, problem, meta_missing);
  std::string so_problem;
  const bool so_ok = read_entry_file(m_fd, key + ".so", bytes, so_problem, so_missing);
  if (meta_missing && so_missing) return e;
  e.state = State::Invalid;
  if (!meta_ok || !so_ok) {
    e.problem = !problem.empty() ? problem : !so_problem.empty() ? so_problem : "half an entry (.so or .meta missing)";
    return e;
  }
  if (meta != meta_text(key, bytes)) {
    e.problem = fmt::format("{}.so does not match its meta (size or BLAKE2b differ)", key);
    return e;
  }
  e.state = State::Valid;
  e.bytes = std::move(bytes);
  return e;
}

Result<std::string> Cache::write_temp(std::string_view label, std::string_view bytes) const {
  const std::string tag = owner_tag();
  for (int attempt = 0; attempt < 16; ++attempt) {
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof rnd);
    std::string name = fmt::format("tmp-{}{}-", tag, label);
    for (unsigned char c : rnd) name += fmt::format("{:02x}", c);
    const int fd = ::openat(m_fd, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
      if (errno == EEXIST) continue;
      return make_error(fmt::format("aot cache: cannot create a file in {}: {}", m_dir, std::strerror(errno)));
    }
    const bool ok = write_fd(fd, bytes);
    const bool closed = ::close(fd) == 0;
    if (!ok || !closed) {
      ::unlinkat(m_fd, name.c_str(), 0);
      return make_error(fmt::format("aot cache: cannot write {}/{}", m_dir, name));
    }
    return name;
  }
  return make_error(fmt::format("aot cache: cannot create a unique file in {}", m_dir));
}

Result<void> Cache::store(const std::string& key, std::string_view object) const {
  for (const auto& [suffix, bytes] : {std::pair<std::string, std::string>{".so", std::string(object)},
                                      std::pair<std::string, std::string>{".meta", meta_text(key, object)}}) {
    auto tmp = write_temp(key.substr(0, 16) + suffix, bytes);
    if (!tmp) return tmp.error();
    const std::string name = key + suffix;
    if (::renameat(m_fd, tmp->c_str(), m_fd, name.c_str()) != 0) {
      const int e = errno;
      ::unlinkat(m_fd, tmp->c_str(), 0);
      return make_error(fmt::format("aot cache: cannot replace {}/{}: {}", m_dir, name, std::strerror(e)));
    }
  }
  return {};
}

void Cache::remove_stale(std::chrono::seconds max_age) const {
  const int dup = ::dup(m_fd);
  if (dup < 0) return;
  DIR* d = ::fdopendir(dup);
  if (d == nullptr) {
    ::close(dup);
    return;
  }
  const uint64_t ns = pid_namespace();
  const std::time_t now = std::time(nullptr);
  std::vector<std::pair<std::string, bool>> doomed;  // name, is a folder
  while (const dirent* ent = ::readdir(d)) {
    const std::string name = ent->d_name;
    std::string_view rest;
    if (name.rfind("build-", 0) == 0) {
      rest = std::string_view(name).substr(6);
    } else if (name.rfind("tmp-", 0) == 0) {
      rest = std::string_view(name).substr(4);
    } else if (!(name.size() > 4 && name.compare(name.size() - 4, 4, ".tmp") == 0) &&
               !(name.size() > 7 && name.compare(name.size() - 7, 7, ".tmp.so") == 0)) {
      continue;  // entries and unknown files are left alone
    }
    struct stat st {};
    if (::fstatat(m_fd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    bool stale = now - st.st_mtime > max_age.count();
    // "<ns>.<pid>.": the owner died if it lived in our pid namespace and is gone.
    unsigned long long owner_ns = 0, owner_pid = 0;
    int used = 0;
    const std::string r(rest);
    if (!stale && ns != 0 && std::sscanf(r.c_str(), "%llu.%llu.%n", &owner_ns, &owner_pid, &used) == 2 && used > 0 &&
        owner_ns == ns && owner_pid > 0) {
      stale = ::kill(static_cast<pid_t>(owner_pid), 0) != 0 && errno == ESRCH;
    }
    if (stale) doomed.emplace_back(name, S_ISDIR(st.st_mode));
  }
  ::closedir(d);
  for (const auto& [name, folder] : doomed) {
    std::error_code ec;
    if (folder) {
      fs::remove_all(fs::path(m_dir) / name, ec);  // does not follow symlinks
    } else {
      ::unlinkat(m_fd, name.c_str(), 0);
    }
  }
}

}  // namespace ward::aot
