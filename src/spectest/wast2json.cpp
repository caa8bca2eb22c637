// Child-process handling for wast2json (see wast2json.h).
#include "spectest/wast2json.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <vector>

extern char** environ;

namespace ward::spectest {

namespace {

/// The folders of the TempDir objects alive, for remove_live_temp_dirs().
std::mutex g_live_mutex;
std::set<std::string>& live_dirs() {
  static std::set<std::string> dirs;
  return dirs;
}

void forget_dir(const std::string& path) {
  std::lock_guard lock(g_live_mutex);
  live_dirs().erase(path);
}

}  // namespace

void remove_live_temp_dirs() {
  std::lock_guard lock(g_live_mutex);
  for (const std::string& d : live_dirs()) {
    std::error_code ec;
    std::filesystem::remove_all(d, ec);
  }
  live_dirs().clear();
}

Result<TempDir> TempDir::create() {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / "ward-spec-XXXXXX").string();
  std::vector<char> buf(templ.begin(), templ.end());
  buf.push_back('\0');
  if (::mkdtemp(buf.data()) == nullptr) {
    return make_error("cannot create a temporary folder from " + templ + ": " + std::strerror(errno));
  }
  {
    std::lock_guard lock(g_live_mutex);
    live_dirs().insert(std::string(buf.data()));
  }
  return TempDir(std::string(buf.data()));
}

TempDir::TempDir(TempDir&& other) noexcept : m_path(std::move(other.m_path)) { other.m_path.clear(); }

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    TempDir old(std::move(*this));
    m_path = std::move(other.m_path);
    other.m_path.clear();
  }
  return *this;
}

TempDir::~TempDir() {
  if (m_path.empty()) return;
  forget_dir(m_path);
  std::error_code ec;
  std::filesystem::remove_all(m_path, ec);
}

namespace {

/// The first `max` bytes of a file, or "" when it cannot be read.
std::string read_head(const std::string& path, size_t max) {
  std::ifstream in(path, std::ios::binary);
  std::string s;
  s.resize(max);
  in.read(s.data(), static_cast<std::streamsize>(max));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

}  // namespace

Result<void> run_wast2json(const std::string& tool, const std::string& wast, const std::string& json) {
  const std::string log = json + ".log";
  std::vector<std::string> args = {tool, "--enable-all", wast, "-o", json};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  if (posix_spawn_file_actions_init(&actions) != 0) return make_error("posix_spawn_file_actions_init failed");
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);

  pid_t pid = 0;
  const int rc = posix_spawnp(&pid, tool.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return make_error("cannot run " + tool + ": " + std::strerror(rc));

  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return make_error("waitpid failed for " + tool + ": " + std::strerror(errno));
  }
  if (WIFSIGNALED(status)) {
    return make_error(tool + " died from signal " + std::to_string(WTERMSIG(status)) + ": " + read_head(log, 2000));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return make_error(tool + " failed (exit " + std::to_string(WEXITSTATUS(status)) + "): " + read_head(log, 2000));
  }
  if (!std::filesystem::exists(json)) return make_error(tool + " wrote no " + json);
  return {};
}

size_t repair_wast2json_output(std::string& text) {
  std::string out;
  out.reserve(text.size());
  size_t inserted = 0;
  bool in_string = false, escaped = false, after_close = false;
  for (char ch : text) {
    if (in_string) {
      out.push_back(ch);
      if (escaped) {
        escaped = false;
      } else if (ch == '\\') {
        escaped = true;
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      out.push_back(ch);
      continue;
    }
    if (ch == '{' && after_close) {
      out += ", ";
      ++inserted;
    }
    after_close = ch == '}';
    if (ch == '"') in_string = true;
    out.push_back(ch);
  }
  if (inserted > 0) text = std::move(out);
  return inserted;
}

}  // namespace ward::spectest
