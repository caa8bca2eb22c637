// ward_ttf_diff — the standalone differential driver. For each of N seeds it
// writes random bytes, turns them into a valid module with binaryen's
// translate-to-fuzz (`wasm-opt -ttf`, restricted to the features Ward
// supports), and compares Ward's interpreter with wabt's on it (diff.h).
// Every other module is made NaN-free with --denan so that all bits can be
// compared. Modules that differ are kept in --out.
//
//   ward_ttf_diff [--count N] [--seed S] [--out DIR] [--wasm-opt PATH] [--verbose] [FILE.wasm...]
//
// With files, compares those instead. Exit code 1 when a difference was found.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <unistd.h>

#include "diff.h"

namespace {

namespace fs = std::filesystem;
using ward::fuzz::DiffResult;

/// The feature flags that make binaryen emit only what Ward accepts.
constexpr const char* kFeatureFlags =
    "--mvp-features --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int "
    "--enable-bulk-memory --enable-multivalue";

std::vector<uint8_t> read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool write_all(const fs::path& p, const std::vector<uint8_t>& bytes) {
  std::ofstream out(p, std::ios::binary);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

bool g_verbose = false;

struct Counts {
  size_t modules = 0, same = 0, skipped = 0, ambiguous = 0, different = 0, calls = 0, generate_failed = 0;
};

void record(Counts& counts, const DiffResult& r, const std::string& what, const std::vector<uint8_t>& bytes,
            const std::string& out_dir) {
  ++counts.modules;
  counts.calls += r.compared_calls;
  if (g_verbose && r.kind != DiffResult::Kind::Different) {
    std::printf("%s %s: %s\n", ward::fuzz::to_string(r.kind), what.c_str(), r.detail.c_str());
  }
  switch (r.kind) {
    case DiffResult::Kind::Same: ++counts.same; break;
    case DiffResult::Kind::Skipped: ++counts.skipped; break;
    case DiffResult::Kind::Ambiguous: ++counts.ambiguous; break;
    case DiffResult::Kind::Different: {
      ++counts.different;
      std::string kept;
      if (!out_dir.empty() && !bytes.empty()) {
        fs::create_directories(out_dir);
        const fs::path p = fs::path(out_dir) / ("diff-" + fs::path(what).filename().string() + ".wasm");
        if (write_all(p, bytes)) kept = " (kept as " + p.string() + ")";
      }
      std::printf("DIFFERENT %s: %s%s\n", what.c_str(), r.detail.c_str(), kept.c_str());
      break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  size_t count = 100;
  uint64_t seed = 1;
  std::string out_dir = "build-fuzz/diff-found";
  std::string wasm_opt = "wasm-opt";
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "ward_ttf_diff: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--count") count = std::stoull(next());
    else if (a == "--seed") seed = std::stoull(next());
    else if (a == "--out") out_dir = next();
    else if (a == "--wasm-opt") wasm_opt = next();
    else if (a == "--verbose" || a == "-v") g_verbose = true;
    else if (a == "--help" || a == "-h") {
      std::printf("usage: ward_ttf_diff [--count N] [--seed S] [--out DIR] [--wasm-opt PATH] [--verbose] [FILE.wasm...]\n");
      return 0;
    } else files.push_back(a);
  }

  Counts counts;
  if (!files.empty()) {
    for (const std::string& f : files) {
      const std::vector<uint8_t> bytes = read_all(f);
      record(counts, ward::fuzz::diff_module(bytes, {}), f, bytes, {});
    }
  } else {
    const fs::path tmp = fs::temp_directory_path() / ("ward-ttf-" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    const fs::path in = tmp / "random.bin";
    const fs::path out = tmp / "module.wasm";
    for (size_t i = 0; i < count; ++i) {
      const uint64_t s = seed + i;
      std::mt19937_64 rng(s);
      std::vector<uint8_t> random(512 + rng() % 16384);
      for (uint8_t& b : random) b = static_cast<uint8_t>(rng());
      write_all(in, random);
      const bool denan = (s % 2) == 0;
      const std::string cmd = quote(wasm_opt) + " -ttf " + quote(in.string()) + " -o " + quote(out.string()) + " " +
                              kFeatureFlags + (denan ? " --denan" : "") + " >/dev/null 2>&1";
      fs::remove(out);
      if (std::system(cmd.c_str()) != 0 || !fs::exists(out)) {
        ++counts.generate_failed;
        continue;
      }
      const std::vector<uint8_t> bytes = read_all(out);
      ward::fuzz::DiffOptions options;
      options.nan_free = denan;
      record(counts, ward::fuzz::diff_module(bytes, options), "seed-" + std::to_string(s), bytes, out_dir);
      if ((i + 1) % 100 == 0) {
        std::printf("... %zu modules: %zu same, %zu skipped, %zu ambiguous, %zu different\n", counts.modules,
                    counts.same, counts.skipped, counts.ambiguous, counts.different);
        std::fflush(stdout);
      }
    }
    fs::remove_all(tmp);
  }
  std::printf("ttf-diff: %zu modules, %zu export calls compared: %zu same, %zu skipped, %zu ambiguous (NaN bits), "
              "%zu different; %zu generation failures\n",
              counts.modules, counts.calls, counts.same, counts.skipped, counts.ambiguous, counts.different,
              counts.generate_failed);
  return counts.different == 0 ? 0 : 1;
}
