// ward/aot/compiler.cpp — the C compiler as a limited child process.
#include "aot/compiler.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include "aot/cache.h"

extern char** environ;

namespace ward::aot {
namespace fs = std::filesystem;

CompilerConfig default_compiler_config() {
  CompilerConfig c;
  if (const char* cc = std::getenv("WARD_AOT_CC"); cc != nullptr && *cc != '\0') c.cc = cc;
  return c;
}

std::string compiler_identity(const CompilerConfig& config) {
  static std::mutex mu;
  static std::map<std::string, std::string> known;
  std::lock_guard<std::mutex> lock(mu);
  auto it = known.find(config.cc);
  if (it != known.end()) return it->second;
  std::string version = "unknown";
  const std::string cmd = "'" + config.cc + "' --version 2>/dev/null";
  if (config.cc.find('\'') == std::string::npos) {
    if (FILE* p = ::popen(cmd.c_str(), "r")) {
      char line[512];
      if (std::fgets(line, sizeof line, p) != nullptr) {
        version = line;
        while (!version.empty() && (version.back() == '\n' || version.back() == '\r')) version.pop_back();
      }
      ::pclose(p);
    }
  }
  std::string id = config.cc + " | " + version;
  known.emplace(config.cc, id);
  return id;
}

namespace {

bool write_file(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary);
  f.write(s.data(), static_cast<std::streamsize>(s.size()));
  return static_cast<bool>(f);
}

std::string read_head(const fs::path& p, size_t max) {
  std::ifstream f(p, std::ios::binary);
  std::string s(max, '\0');
  f.read(s.data(), static_cast<std::streamsize>(max));
  s.resize(static_cast<size_t>(f.gcount()));
  return s;
}

/// Runs the compiler with `args` in a child process under the limits of
/// `config`, in folder `cwd` with TMPDIR=cwd, its output going to `log`.
/// The child is in its own process group (killed as a whole on timeout or
/// cancellation) and dies with the thread that started it.
Result<void> run_limited(std::vector<std::string> args, const std::string& cwd, const std::string& log,
                         const CompilerConfig& config) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  // The environment, with TMPDIR replaced, built before fork (no allocation
  // in the child).
  std::vector<std::string> env_store;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    if (std::string_view(*e).rfind("TMPDIR=", 0) != 0) env_store.emplace_back(*e);
  }
  env_store.push_back("TMPDIR=" + cwd);
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return make_error("aot: cannot start the C compiler (fork failed)");
  if (pid == 0) {
    ::setpgid(0, 0);
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    if (::chdir(cwd.c_str()) != 0) ::_exit(126);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    rlimit cpu{config.cpu_seconds, config.cpu_seconds};
    ::setrlimit(RLIMIT_CPU, &cpu);
    rlimit as{config.memory_bytes, config.memory_bytes};
    ::setrlimit(RLIMIT_AS, &as);
    ::execvpe(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent, so the group exists before any kill
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(config.wall_seconds);
  int status = 0;
  bool timed_out = false, cancelled = false;
  for (;;) {
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0) return make_error("aot: lost the C compiler process");
    cancelled = config.cancel != nullptr && config.cancel->load();
    timed_out = std::chrono::steady_clock::now() > deadline;
    if (cancelled || timed_out) {
      ::kill(-pid, SIGKILL);  // the driver and its cc1, as, ld: the whole group
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (cancelled) return make_error("aot: the build was cancelled");
  if (timed_out) return make_error(fmt::format("aot: the C compiler took longer than {} s", config.wall_seconds));
  if (WIFSIGNALED(status)) {
    return make_error(fmt::format("aot: the C compiler was stopped by signal {} (CPU or memory limit?): {}",
                                  WTERMSIG(status), read_head(log, 2000)));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return make_error(fmt::format("aot: the C compiler failed (exit {}): {}", WEXITSTATUS(status), read_head(log, 2000)));
  }
  return {};
}

/// A fresh folder under work_dir, removed with the object.
struct BuildDir {
  fs::path d;
  ~BuildDir() {
    std::error_code e;
    if (!d.empty()) fs::remove_all(d, e);
  }
};

Result<void> make_build_dir(const std::string& work_dir, BuildDir& out) {
  std::string tmpl = (fs::path(work_dir) / ("build-" + Cache::owner_tag() + "XXXXXX")).string();
  if (::mkdtemp(tmpl.data()) == nullptr) return make_error(fmt::format("aot: cannot create a folder in {}", work_dir));
  out.d = tmpl;
  return {};
}

bool write_common(const fs::path& dir, const std::string& c_source, const std::string& c_header,
                  const std::string& unit) {
  return write_file(dir / "m.c", c_source) && write_file(dir / "m.h", c_header) && write_file(dir / "unit.c", unit) &&
         write_file(dir / "wasm-rt.h", kRtWasmRtH) && write_file(dir / "ward_aot_abi.h", kRtAbiH) &&
         write_file(dir / "ward_rt_module.h", kRtModuleH);
}

/// The bytes of the linked object in the build folder.
Result<std::string> read_object(const fs::path& dir) {
  std::ifstream f(dir / "out.so", std::ios::binary);
  if (!f) return make_error(fmt::format("aot: the C compiler wrote no object in {}", dir.string()));
  std::string s((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (f.bad()) return make_error(fmt::format("aot: cannot read the object in {}", dir.string()));
  return s;
}

}  // namespace

Result<std::string> compile_shared_object(const std::string& work_dir, const std::string& c_source,
                                          const std::string& c_header, const std::string& unit,
                                          const CompilerConfig& config) {
  BuildDir bd;
  if (auto r = make_build_dir(work_dir, bd); !r) return r.error();
  const fs::path& dir = bd.d;
  if (!write_common(dir, c_source, c_header, unit)) {
    return make_error(fmt::format("aot: cannot write the C sources into {}", dir.string()));
  }
  // Relative names only: nothing of the folder's path reaches the object.
  std::vector<std::string> args{config.cc};
  for (const auto& f : config.flags) args.push_back(f);
  args.push_back("-ffile-prefix-map=" + dir.string() + "=.");  // should a flag add debug info
  args.push_back("-I.");
  args.push_back("unit.c");
  for (const auto& l : config.libs) args.push_back(l);
  args.push_back("-o");
  args.push_back("out.so");
  if (auto r = run_limited(std::move(args), dir.string(), (dir / "cc.log").string(), config); !r) return r.error();
  return read_object(dir);
}

Result<std::string> compile_split_object(const std::string& work_dir, const SplitC& split,
                                         const std::string& c_header, const std::string& unit,
                                         const CompilerConfig& config) {
  BuildDir bd;
  if (auto r = make_build_dir(work_dir, bd); !r) return r.error();
  const fs::path& dir = bd.d;
  bool ok = write_common(dir, split.main, c_header, unit) && write_file(dir / "m_shared.h", split.shared_header);
  std::vector<std::string> sources{"unit"};
  for (size_t i = 0; i < split.parts.size(); ++i) {
    sources.push_back(fmt::format("part{}", i));
    ok = ok && write_file(dir / (sources.back() + ".c"), split.parts[i]);
  }
  if (!ok) return make_error(fmt::format("aot: cannot write the C sources into {}", dir.string()));
  // Each source to an object (at most kMaxCompilers at once), then one link.
  std::vector<Result<void>> results(sources.size(), Result<void>{});
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < sources.size();) {
      std::vector<std::string> args{config.cc, "-c"};
      for (const auto& f : config.flags) {
        if (f != "-shared" && f.rfind("-Wl,", 0) != 0) args.push_back(f);
      }
      args.push_back("-ffile-prefix-map=" + dir.string() + "=.");
      args.push_back("-I.");
      args.push_back(sources[i] + ".c");
      args.push_back("-o");
      args.push_back(sources[i] + ".o");
      results[i] = run_limited(std::move(args), dir.string(), (dir / (sources[i] + ".log")).string(), config);
      if (!results[i]) next = sources.size();  // no new jobs after a failure
    }
  };
  {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < std::min(kMaxCompilers, sources.size()); ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  for (auto& r : results) {
    if (!r) return r.error();
  }
  std::vector<std::string> args{config.cc};
  for (const auto& f : config.flags) args.push_back(f);
  for (const auto& s : sources) args.push_back(s + ".o");
  for (const auto& l : config.libs) args.push_back(l);
  args.push_back("-o");
  args.push_back("out.so");
  if (auto r = run_limited(std::move(args), dir.string(), (dir / "link.log").string(), config); !r) return r.error();
  return read_object(dir);
}

Result<BatchObject> compile_batch_object(const std::string& work_dir, const std::vector<BatchUnit>& units,
                                         const CompilerConfig& config) {
  BuildDir bd;
  if (auto r = make_build_dir(work_dir, bd); !r) return r.error();
  const fs::path& dir = bd.d;
  BatchObject out;
  out.unit_errors.assign(units.size(), {});
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i; (i = next++) < units.size();) {
      const fs::path sub = dir / fmt::format("u{}", i);
      std::error_code ec;
      fs::create_directory(sub, ec);
      if (ec || !write_common(sub, units[i].c_source, units[i].c_header, units[i].unit)) {
        out.unit_errors[i] = fmt::format("aot: cannot write the C sources into {}", sub.string());
        continue;
      }
      std::vector<std::string> args{config.cc, "-c"};
      for (const auto& f : config.flags) {
        if (f != "-shared" && f.rfind("-Wl,", 0) != 0) args.push_back(f);
      }
      args.push_back("-ffile-prefix-map=" + sub.string() + "=.");
      args.push_back("-I.");
      args.push_back("unit.c");
      args.push_back("-o");
      args.push_back("unit.o");
      if (auto r = run_limited(std::move(args), sub.string(), (sub / "cc.log").string(), config); !r) {
        out.unit_errors[i] = r.error().message;
        continue;
      }
      if (auto r = run_limited({"objcopy", "--localize-hidden", "unit.o"}, sub.string(),
                               (sub / "objcopy.log").string(), config);
          !r) {
        // run_limited speaks of "the C compiler"; say which tool it was.
        out.unit_errors[i] = "aot: objcopy --localize-hidden (binutils) failed; " + r.error().message;
      }
    }
  };
  {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < std::min(kMaxCompilers, units.size()); ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  std::vector<std::string> args{config.cc};
  for (const auto& f : config.flags) args.push_back(f);
  size_t linked = 0;
  for (size_t i = 0; i < units.size(); ++i) {
    if (!out.unit_errors[i].empty()) continue;
    args.push_back(fmt::format("u{}/unit.o", i));
    ++linked;
  }
  if (linked == 0) {
    if (units.empty()) return make_error("aot: an empty batch");
    return make_error("aot: no unit of the batch compiled: " + out.unit_errors[0]);
  }
  for (const auto& l : config.libs) args.push_back(l);
  args.push_back("-o");
  args.push_back("out.so");
  if (auto r = run_limited(std::move(args), dir.string(), (dir / "link.log").string(), config); !r) return r.error();
  auto object = read_object(dir);
  if (!object) return object.error();
  out.object = std::move(object.value());
  return out;
}

}  // namespace ward::aot
