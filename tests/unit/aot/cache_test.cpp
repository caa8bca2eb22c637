// The AOT cache as a trust boundary and as a node-local detail that must
// never change an outcome (tests/regression/README.md, issue 7):
// - a foreign object planted in an entry with a recomputed meta (foreign
//   owner, group/world-writable, symlink) is never loaded: its constructor
//   never runs and the call still gives the interpreter's result and gas;
// - a cache folder (or a parent folder the cache owns) that is writable by
//   others or owned by someone else is refused with an error naming it;
// - without HOME (and no WARD_AOT_CACHE / XDG_CACHE_HOME) the cache is a
//   per-user folder, never a shared one;
// - a truncated, flipped or replaced entry is rebuilt and replaced, and the
//   call gives the interpreter's result and gas; when rebuilding fails, the
//   interpreter fallback gives them too;
// - two builds of the same module are byte-identical;
// - build folders and temporaries of dead processes are removed.
#include <fcntl.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aot/aot.h"
#include "aot/cache.h"
#include "runtime/backend.h"
#include "wasm/module.h"
#include "wat.h"

namespace ward {
namespace {

namespace fs = std::filesystem;
using runtime::TrapKind;
using runtime::Value;

constexpr const char* kModule = R"((module
  (func $sq (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func (export "run") (param i32) (result i32) (local i32 i32)
    block loop
      local.get 1 local.get 0 i32.ge_u br_if 1
      local.get 2 local.get 1 call $sq i32.add i32.const 7 i32.xor local.set 2
      local.get 1 i32.const 1 i32.add local.set 1 br 0
    end end
    local.get 2))
)";

/// Another module, whose object serves as a "foreign but well-formed" entry.
constexpr const char* kOther = R"((module (func (export "run") (param i32) (result i32) local.get 0 i32.const 3 i32.add)))";

std::shared_ptr<const wasm::Module> load(const char* wat) {
  runtime::Limits limits;
  auto m = wasm::load_module(test::wat_to_wasm(wat), limits);
  EXPECT_TRUE(m.ok()) << (m.ok() ? "" : m.error().message);
  return m.ok() ? m.value() : nullptr;
}

struct Outcome {
  bool compiled = false;
  std::string error;
  TrapKind trap = TrapKind::None;
  uint32_t result = 0;
  uint64_t gas_left = 0;
};

Outcome run(runtime::Backend& backend, const std::shared_ptr<const wasm::Module>& mod, uint32_t n = 40) {
  Outcome o;
  runtime::Limits limits;
  runtime::ExecContext ctx;
  ctx.limits = &limits;
  auto cm = backend.compile(mod, limits, {});
  if (!cm) {
    o.error = cm.error().message;
    return o;
  }
  o.compiled = true;
  auto inst = cm.value()->instantiate({}, ctx);
  EXPECT_EQ(inst.status, runtime::InstantiateResult::Status::Ok) << inst.message;
  if (inst.status != runtime::InstantiateResult::Status::Ok) return o;
  auto ex = inst.instance->get_export("run");
  EXPECT_TRUE(ex.ok());
  std::vector<Value> res(1);
  ctx.gas_left = 1'000'000;
  o.trap = inst.instance->invoke(*ex->func, std::vector<Value>{Value::i32(n)}, res, ctx);
  o.result = static_cast<uint32_t>(res[0].bits);
  o.gas_left = ctx.gas_left;
  return o;
}

Outcome run_interp(const std::shared_ptr<const wasm::Module>& mod) {
  auto b = runtime::make_interp_backend();
  return run(*b, mod);
}

void expect_same(const Outcome& want, const Outcome& got) {
  ASSERT_TRUE(got.compiled) << got.error;
  EXPECT_EQ(want.trap, got.trap);
  EXPECT_EQ(want.result, got.result);
  EXPECT_EQ(want.gas_left, got.gas_left);
}

/// A fresh private folder under the temp dir.
std::string fresh_dir(const std::string& name) {
  std::string t = (fs::temp_directory_path() / ("ward-aot-" + name + "-XXXXXX")).string();
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

/// The single entry key of a cache folder.
std::string only_key(const std::string& dir) {
  std::string key;
  size_t n = 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() == ".so") {
      key = f.path().stem().string();
      ++n;
    }
  }
  EXPECT_EQ(n, 1u) << dir;
  return key;
}

std::string meta_for(const std::string& key, const std::string& so) {
  return fmt::format("ward-aot {}\n{}\n{}\n{}\n", WARD_AOT_ABI, key, so.size(), aot::hash_hex(so));
}

/// A shared object whose constructor creates `marker` (what an attacker
/// would plant).
std::string evil_object(const std::string& work, const std::string& marker) {
  const fs::path c = fs::path(work) / "evil.c";
  write_bytes(c, fmt::format("#include <stdio.h>\n__attribute__((constructor)) static void pwn(void) {{\n"
                             "  FILE* f = fopen(\"{}\", \"w\"); if (f) fclose(f);\n}}\nint ward_aot_module;\n",
                             marker));
  const fs::path so = fs::path(work) / "evil.so";
  const std::string cmd = fmt::format("cc -shared -fPIC -o '{}' '{}'", so.string(), c.string());
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  return read_bytes(so);
}

aot::AotOptions options_for(const std::string& dir) {
  aot::AotOptions o;
  o.cache_dir = dir;
  return o;
}

/// Compiles kModule into `dir` and returns the entry's key and bytes.
std::pair<std::string, std::string> fill(const std::string& dir, const std::shared_ptr<const wasm::Module>& mod) {
  auto b = aot::make_aot_backend(options_for(dir));
  Outcome o = run(*b, mod);
  EXPECT_TRUE(o.compiled) << o.error;
  const std::string key = only_key(dir);
  return {key, read_bytes(fs::path(dir) / (key + ".so"))};
}

void expect_entry_valid(const std::string& dir, const std::string& key, const std::string& bytes) {
  auto c = aot::Cache::open(dir);
  ASSERT_TRUE(c.ok()) << c.error().message;
  auto e = c->lookup(key);
  EXPECT_EQ(e.state, aot::Cache::State::Valid) << e.problem;
  EXPECT_TRUE(e.bytes == bytes) << "the repaired entry differs from a clean build";
}

TEST(AotCacheTrust, PlantedObjectWithRecomputedMetaIsNeverLoaded) {
  auto mod = load(kModule);
  ASSERT_TRUE(mod);
  const Outcome want = run_interp(mod);
  const std::string work = fresh_dir("evil-work");
  const std::string marker = (fs::path(work) / "constructor-ran").string();
  const std::string evil = evil_object(work, marker);
  ASSERT_FALSE(evil.empty());

  struct Variant {
    const char* name;
    bool needs_root;
  };
  for (const Variant v : {Variant{"foreign owner", true}, Variant{"world-writable files", false},
                          Variant{"symlinked object", false}}) {
    SCOPED_TRACE(v.name);
    if (v.needs_root && ::geteuid() != 0) {
      std::fprintf(stderr, "note: not root; the foreign-owner variant is skipped\n");
      continue;
    }
    const std::string dir = fresh_dir("evil");
    const auto [key, good] = fill(dir, mod);
    const fs::path so = fs::path(dir) / (key + ".so");
    const fs::path meta = fs::path(dir) / (key + ".meta");
    fs::remove(so);
    if (std::string(v.name) == "symlinked object") {
      const fs::path target = fs::path(work) / "evil-target.so";
      write_bytes(target, evil);
      fs::create_symlink(target, so);
    } else {
      write_bytes(so, evil);
    }
    write_bytes(meta, meta_for(key, evil));  // the digest anyone can recompute
    if (std::string(v.name) == "foreign owner") {
      ASSERT_EQ(::lchown(so.c_str(), 4242, 4242), 0);
      ASSERT_EQ(::lchown(meta.c_str(), 4242, 4242), 0);
    } else if (std::string(v.name) == "world-writable files") {
      ::chmod(so.c_str(), 0666);
      ::chmod(meta.c_str(), 0666);
    }
    auto b = aot::make_aot_backend(options_for(dir));
    expect_same(want, run(*b, mod));
    EXPECT_FALSE(fs::exists(marker)) << "the planted object's constructor ran";
    // The entry was replaced by a clean build.
    EXPECT_FALSE(fs::is_symlink(so));
    expect_entry_valid(dir, key, good);
    fs::remove_all(dir);
  }
  fs::remove_all(work);
}

TEST(AotCacheTrust, SharedOrForeignFolderIsRefusedWithClearError) {
  auto mod = load(kModule);
  ASSERT_TRUE(mod);
  const Outcome want = run_interp(mod);
  const std::string work = fresh_dir("evil-work");
  const std::string marker = (fs::path(work) / "constructor-ran").string();
  const std::string evil = evil_object(work, marker);

  // A 0777 folder holding a planted entry with a matching meta.
  const std::string dir = fresh_dir("shared");
  const auto [key, good] = fill(dir, mod);
  write_bytes(fs::path(dir) / (key + ".so"), evil);
  write_bytes(fs::path(dir) / (key + ".meta"), meta_for(key, evil));
  ASSERT_EQ(::chmod(dir.c_str(), 0777), 0);
  {
    auto b = aot::make_aot_backend(options_for(dir));
    Outcome o = run(*b, mod);
    EXPECT_FALSE(o.compiled);
    EXPECT_NE(o.error.find(dir), std::string::npos) << o.error;
    EXPECT_NE(o.error.find("writable by group or others"), std::string::npos) << o.error;
    EXPECT_NE(o.error.find("0777"), std::string::npos) << o.error;
    EXPECT_FALSE(fs::exists(marker));
  }
  {
    // The CLI's configuration: the refused cache changes nothing.
    aot::AotOptions o = options_for(dir);
    o.interp_fallback = true;
    std::string warned;
    o.warn = [&](const std::string& m) { warned += m; };
    auto b = aot::make_aot_backend(o);
    expect_same(want, run(*b, mod));
    EXPECT_NE(warned.find("writable by group or others"), std::string::npos) << warned;
    EXPECT_FALSE(fs::exists(marker));
  }
  // A tiered backend stays on the interpreter.
  {
    auto b = aot::make_tiered_backend(options_for(dir));
    expect_same(want, run(*b, mod));
    EXPECT_FALSE(fs::exists(marker));
  }

  // A parent folder the cache owns (root/ward of root/ward/aot) that is 0777.
  const std::string root = fresh_dir("root");
  const std::string own = (fs::path(root) / "ward").string();
  const std::string leaf = (fs::path(own) / "aot").string();
  ASSERT_TRUE(aot::Cache::open(aot::CacheLocation{leaf, root}).ok());
  EXPECT_EQ(fs::status(own).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_EQ(fs::status(leaf).permissions() & fs::perms::all, fs::perms::owner_all);
  ::chmod(own.c_str(), 0777);
  auto refused = aot::Cache::open(aot::CacheLocation{leaf, root});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("folder " + own + ":"), std::string::npos) << refused.error().message;

  // A folder owned by another user (simulated with chown when root).
  if (::geteuid() == 0) {
    ASSERT_EQ(::chmod(dir.c_str(), 0700), 0);
    ASSERT_EQ(::chown(dir.c_str(), 4242, 4242), 0);
    auto b = aot::make_aot_backend(options_for(dir));
    Outcome o = run(*b, mod);
    EXPECT_FALSE(o.compiled);
    EXPECT_NE(o.error.find(dir), std::string::npos) << o.error;
    EXPECT_NE(o.error.find("owned by uid 4242"), std::string::npos) << o.error;
    EXPECT_FALSE(fs::exists(marker));
  } else {
    std::fprintf(stderr, "note: not root; the foreign-owned folder case is skipped\n");
  }
  fs::remove_all(dir);
  fs::remove_all(root);
  fs::remove_all(work);
}

/// Sets or unsets an environment variable for the scope.
class EnvVar {
 public:
  EnvVar(const char* name, const char* value) : m_name(name) {
    if (const char* v = std::getenv(name)) m_old = v;
    m_had = std::getenv(name) != nullptr;
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~EnvVar() {
    if (m_had) {
      ::setenv(m_name.c_str(), m_old.c_str(), 1);
    } else {
      ::unsetenv(m_name.c_str());
    }
  }

 private:
  std::string m_name, m_old;
  bool m_had = false;
};

TEST(AotCacheTrust, NoHomeMeansPerUserFolder) {
  EnvVar a("WARD_AOT_CACHE", nullptr), b("XDG_CACHE_HOME", nullptr), c("HOME", nullptr);
  const aot::CacheLocation loc = aot::Cache::default_location();
  EXPECT_EQ(fs::path(loc.dir).filename().string(), fmt::format("ward-aot-{}", ::geteuid()));
  EXPECT_EQ(fs::path(loc.dir).parent_path(), fs::temp_directory_path());
  auto cache = aot::Cache::open(loc);
  ASSERT_TRUE(cache.ok()) << cache.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(loc.dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, ::geteuid());
  EXPECT_EQ(st.st_mode & 022, 0u);
}

TEST(AotCacheRepair, DamagedEntryIsRebuiltAndGivesInterpreterOutcome) {
  auto mod = load(kModule);
  auto other = load(kOther);
  ASSERT_TRUE(mod && other);
  const Outcome want = run_interp(mod);
  // A well-formed Ward object of another module (a "foreign" entry).
  const std::string other_dir = fresh_dir("other");
  const std::string foreign = fill(other_dir, other).second;

  for (const char* damage : {"truncate", "flip a byte", "foreign object", "remove meta"}) {
    SCOPED_TRACE(damage);
    const std::string dir = fresh_dir("damaged");
    const auto [key, good] = fill(dir, mod);
    const fs::path so = fs::path(dir) / (key + ".so");
    std::string bad = good;
    if (std::string(damage) == "truncate") {
      bad.resize(bad.size() / 2);
    } else if (std::string(damage) == "flip a byte") {
      bad[bad.size() / 3] = static_cast<char>(bad[bad.size() / 3] ^ 0x40);
    } else if (std::string(damage) == "foreign object") {
      bad = foreign;
    }
    if (std::string(damage) == "remove meta") {
      fs::remove(fs::path(dir) / (key + ".meta"));
    } else {
      write_bytes(so, bad);
    }
    // Strict AOT (no fallback): the entry is rebuilt, the call is AOT.
    auto b = aot::make_aot_backend(options_for(dir));
    expect_same(want, run(*b, mod));
    expect_entry_valid(dir, key, good);
    // The tiered backend on a damaged entry: same outcome, then repaired.
    write_bytes(so, bad);
    {
      auto t = aot::make_tiered_backend(options_for(dir));
      expect_same(want, run(*t, mod));
    }  // waits for the background rebuild
    expect_entry_valid(dir, key, good);
    fs::remove_all(dir);
  }
  fs::remove_all(other_dir);
}

TEST(AotCacheRepair, FailedRebuildFallsBackToInterpreter) {
  auto mod = load(kModule);
  ASSERT_TRUE(mod);
  const Outcome want = run_interp(mod);
  const std::string dir = fresh_dir("nocc");
  EnvVar cc("WARD_AOT_CC", "/nonexistent/ward-test-cc");
  aot::AotOptions o = options_for(dir);
  o.interp_fallback = true;
  std::string warned;
  o.warn = [&](const std::string& m) { warned += m; };
  auto b = aot::make_aot_backend(o);
  expect_same(want, run(*b, mod));
  EXPECT_NE(warned.find("running on the interpreter"), std::string::npos) << warned;
  fs::remove_all(dir);
}

TEST(AotCacheRepair, BuildsAreReproducible) {
  auto mod = load(kModule);
  ASSERT_TRUE(mod);
  // The plain compiler, and one that adds debug info (which records source
  // paths and the working folder): neither may leak the build folder.
  const std::string work = fresh_dir("repro-cc");
  const std::string debug_cc = (fs::path(work) / "cc-g").string();
  write_bytes(debug_cc, "#!/bin/sh\nexec cc -g \"$@\"\n");
  ::chmod(debug_cc.c_str(), 0755);
  for (const auto& [cc, split] : {std::pair<std::string, uint64_t>{"", 0}, {"", 1}, {debug_cc, 0}, {debug_cc, 1}}) {
    SCOPED_TRACE(cc + " split=" + std::to_string(split));  // split 1: split into parts
    EnvVar env("WARD_AOT_CC", cc.empty() ? nullptr : cc.c_str());
    std::string bytes[2];
    for (int i = 0; i < 2; ++i) {
      const std::string dir = fresh_dir(fmt::format("repro{}", i));
      aot::AotOptions o = options_for(dir);
      o.split_bytes = split;
      auto b = aot::make_aot_backend(o);
      ASSERT_TRUE(run(*b, mod).compiled);
      bytes[i] = read_bytes(fs::path(dir) / (only_key(dir) + ".so"));
      fs::remove_all(dir);
    }
    ASSERT_FALSE(bytes[0].empty());
    EXPECT_TRUE(bytes[0] == bytes[1]) << "two builds of the same module differ";
    EXPECT_EQ(bytes[0].find("ward-aot-repro"), std::string::npos) << "the object names its build folder";
  }
  fs::remove_all(work);
}

TEST(AotCacheRepair, StaleBuildFoldersAreRemoved) {
  auto mod = load(kModule);
  ASSERT_TRUE(mod);
  const std::string dir = fresh_dir("stale");
  // A pid that is surely dead: a child that has exited and been reaped.
  const pid_t dead = ::fork();
  if (dead == 0) ::_exit(0);
  ::waitpid(dead, nullptr, 0);
  std::string tag = aot::Cache::owner_tag();  // "<ns>.<pid>."
  const std::string ns = tag.substr(0, tag.find('.'));
  const fs::path killed = fs::path(dir) / fmt::format("build-{}.{}.Ab12Cd", ns, dead);
  const fs::path killed_tmp = fs::path(dir) / fmt::format("tmp-{}.{}.0123abcd.so-ffee", ns, dead);
  const fs::path old = fs::path(dir) / "build-Xy34Zw";  // no owner tag (older Ward): by age
  const fs::path live = fs::path(dir) / fmt::format("build-{}Live01", tag);  // this process: kept
  for (const auto& d : {killed, old, live}) {
    fs::create_directories(d);
    write_bytes(d / "unit.c", "int x;\n");
  }
  write_bytes(killed_tmp, "partial");
  fs::last_write_time(old, fs::file_time_type::clock::now() - std::chrono::hours(24));
  auto b = aot::make_aot_backend(options_for(dir));
  ASSERT_TRUE(run(*b, mod).compiled);  // a cache miss: cleans before compiling
  EXPECT_FALSE(fs::exists(killed));
  EXPECT_FALSE(fs::exists(killed_tmp));
  EXPECT_FALSE(fs::exists(old));
  EXPECT_TRUE(fs::exists(live));
  // Nothing but the entry and the live folder remains.
  size_t n = 0;
  for (const auto& f : fs::directory_iterator(dir)) {
    const std::string name = f.path().filename().string();
    EXPECT_TRUE(f.path().extension() == ".so" || f.path().extension() == ".meta" || f.path() == live) << name;
    ++n;
  }
  EXPECT_EQ(n, 3u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace ward
