// The `ward` CLI and the AOT cache (tests/regression/README.md, issue 7):
// - `ward run --backend auto` on a fresh cache exits once it has the answer:
//   it does not wait for the background compile, leaves no compiler process
//   and no temporary file behind, and prints what the interpreter prints;
// - `ward run --backend aot` on a damaged entry prints the same result and
//   gas as `--backend interp` and repairs the entry.
// The path of the ward binary comes from the build (WARD_CLI).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "aot/cache.h"
#include "wat.h"

namespace ward {
namespace {

namespace fs = std::filesystem;

/// A module with many functions (a loop each, most calling the previous
/// one; chains of 40), slow enough to compile that waiting for it shows.
std::string many_functions_wat(int n) {
  std::string w = "(module\n";
  for (int i = 0; i < n; ++i) {
    w += fmt::format(
        "  (func $f{0} (param i32) (result i32) (local i32 i32)\n"
        "    block loop\n      local.get 1 i32.const {1} i32.ge_u br_if 1\n"
        "      local.get 2 local.get 1 i32.const {2} i32.mul i32.add local.get 0 i32.xor local.set 2\n"
        "      local.get 1 i32.const 1 i32.add local.set 1 br 0\n    end end\n",
        i, i % 5 + 2, i * 3 + 1);
    w += i % 40 == 0 ? "    local.get 2)\n"
                     : fmt::format("    local.get 2 local.get 0 call $f{} i32.add)\n", i - 1);
  }
  w += fmt::format("  (func (export \"run\") (param i32) (result i32) local.get 0 call $f{}))\n", n - 1);
  return w;
}

std::string fresh_dir(const std::string& name) {
  std::string t = (fs::temp_directory_path() / ("ward-cli-" + name + "-XXXXXX")).string();
  EXPECT_NE(::mkdtemp(t.data()), nullptr);
  return t;
}

std::string read_bytes(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void write_bytes(const fs::path& p, const std::string& s) {
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(s.data(), static_cast<std::streamsize>(s.size()));
}

struct CliRun {
  int status = -1;
  std::string out;
  std::string err;
  double seconds = 0;
};

/// Runs `ward run <wasm> run '[7]' --backend <backend> --json` with
/// WARD_AOT_CACHE=<cache>.
CliRun ward_run(const std::string& work, const std::string& wasm, const std::string& backend,
                const std::string& cache) {
  const fs::path out = fs::path(work) / "out.txt", err = fs::path(work) / "err.txt";
  const std::string cmd =
      fmt::format("WARD_AOT_CACHE='{}' '{}' run '{}' run '[7]' --backend {} --json > '{}' 2> '{}'", cache, WARD_CLI,
                  wasm, backend, out.string(), err.string());
  CliRun r;
  const auto t0 = std::chrono::steady_clock::now();
  r.status = std::system(cmd.c_str());
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.out = read_bytes(out);
  r.err = read_bytes(err);
  return r;
}

/// Processes whose working folder is inside `dir` (the compiler runs in a
/// build folder of the cache).
std::vector<std::string> processes_inside(const std::string& dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (const auto& p : fs::directory_iterator("/proc", ec)) {
    const std::string pid = p.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    const fs::path cwd = fs::read_symlink(p.path() / "cwd", ec);
    if (!ec && cwd.string().rfind(dir, 0) == 0) found.push_back(pid + " " + read_bytes(p.path() / "comm"));
  }
  return found;
}

TEST(AotCli, AutoBackendExitsWithoutWaitingForTheCompile) {
  const std::string work = fresh_dir("auto");
  const std::string wasm = (fs::path(work) / "many.wasm").string();
  const auto bytes = test::wat_to_wasm(many_functions_wat(300));
  ASSERT_FALSE(bytes.empty());
  write_bytes(wasm, std::string(bytes.begin(), bytes.end()));

  const CliRun interp = ward_run(work, wasm, "interp", (fs::path(work) / "unused").string());
  ASSERT_EQ(interp.status, 0) << interp.err;
  // A full AOT compile of this module, measured here.
  const std::string full_cache = (fs::path(work) / "cache-aot").string();
  const CliRun aot = ward_run(work, wasm, "aot", full_cache);
  ASSERT_EQ(aot.status, 0) << aot.err;
  EXPECT_EQ(aot.out, interp.out);
  // auto on a fresh cache: the interpreter answers, the compile is cancelled.
  const std::string cache = (fs::path(work) / "cache-auto").string();
  const CliRun autob = ward_run(work, wasm, "auto", cache);
  ASSERT_EQ(autob.status, 0) << autob.err;
  EXPECT_EQ(autob.out, interp.out);
  std::fprintf(stderr, "note: full aot compile + run %.2f s, auto %.2f s, interp %.2f s\n", aot.seconds,
               autob.seconds, interp.seconds);
  EXPECT_LT(autob.seconds, aot.seconds / 2) << "ward run --backend auto waited for the background compile";
  // No compiler process is left running (give killed ones a moment to go).
  std::vector<std::string> left;
  for (int i = 0; i < 100; ++i) {
    left = processes_inside(cache);
    if (left.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_TRUE(left.empty()) << "compiler processes left: " << left.front();
  // No build folder, temporary or half-written entry is left behind.
  std::error_code ec;
  for (const auto& f : fs::directory_iterator(cache, ec)) ADD_FAILURE() << "left behind: " << f.path().string();
  fs::remove_all(work);
}

TEST(AotCli, DamagedEntryGivesInterpreterOutcomeAndIsRepaired) {
  const std::string work = fresh_dir("damaged");
  const std::string wasm = (fs::path(work) / "small.wasm").string();
  const auto bytes = test::wat_to_wasm(many_functions_wat(3));
  ASSERT_FALSE(bytes.empty());
  write_bytes(wasm, std::string(bytes.begin(), bytes.end()));
  const std::string cache = (fs::path(work) / "cache").string();
  const CliRun interp = ward_run(work, wasm, "interp", cache);
  ASSERT_EQ(interp.status, 0) << interp.err;
  ASSERT_NE(interp.out.find("gas"), std::string::npos) << interp.out;
  ASSERT_EQ(ward_run(work, wasm, "aot", cache).status, 0);
  std::string key;
  for (const auto& f : fs::directory_iterator(cache)) {
    if (f.path().extension() == ".so") key = f.path().stem().string();
  }
  ASSERT_FALSE(key.empty());
  const fs::path so = fs::path(cache) / (key + ".so");
  const std::string good = read_bytes(so);
  for (const char* damage : {"truncate", "flip a byte"}) {
    SCOPED_TRACE(damage);
    std::string bad = good;
    if (std::string(damage) == "truncate") {
      bad.resize(bad.size() / 3);
    } else {
      bad[bad.size() / 2] = static_cast<char>(bad[bad.size() / 2] ^ 1);
    }
    write_bytes(so, bad);
    const CliRun r = ward_run(work, wasm, "aot", cache);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, interp.out);
    auto c = aot::Cache::open(cache);
    ASSERT_TRUE(c.ok()) << c.error().message;
    const auto e = c->lookup(key);
    EXPECT_EQ(e.state, aot::Cache::State::Valid) << e.problem;
    EXPECT_TRUE(read_bytes(so) == good);
  }
  fs::remove_all(work);
}

}  // namespace
}  // namespace ward
