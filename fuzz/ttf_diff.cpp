// ward_ttf_diff — the standalone differential driver. For each of N seeds it
// writes random bytes, turns them into a valid module with binaryen's
// translate-to-fuzz (`wasm-opt -ttf`, restricted to the features Ward
// supports), and compares Ward's interpreter with wabt's on it (diff.h) or,
// with --aot, Ward's interpreter with Ward's AOT backend, gas included
// (aot_diff.h; --batch modules share one compiled shared object).
// Every other module is made NaN-free with --denan so that all bits can be
// compared. Modules that differ are kept in --out.
//
//   ward_ttf_diff [--aot] [--batch N] [--gas N] [--rounds N] [--count N] [--seed S] [--max-random-bytes N]
//                 [--out DIR] [--wasm-opt PATH] [--verbose] [FILE.wasm...]
//
// With files, compares those instead. Exit code 1 when a difference was
// found, 2 on a usage error.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include "aot_diff.h"
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
  size_t trapped = 0, out_of_gas = 0;  ///< compared calls that trapped / ran out of gas alike (--aot)
};

/// Random bytes of seed s turned into a module by `wasm-opt -ttf` (NaN-free
/// for even seeds); empty when binaryen failed.
std::vector<uint8_t> generate(uint64_t s, size_t max_random, const std::string& wasm_opt, const fs::path& tmp) {
  const fs::path in = tmp / "random.bin";
  const fs::path out = tmp / "module.wasm";
  std::mt19937_64 rng(s);
  std::vector<uint8_t> random(512 + rng() % (max_random > 512 ? max_random - 512 : 1));
  for (uint8_t& b : random) b = static_cast<uint8_t>(rng());
  write_all(in, random);
  const bool denan = (s % 2) == 0;
  const std::string cmd = quote(wasm_opt) + " -ttf " + quote(in.string()) + " -o " + quote(out.string()) + " " +
                          kFeatureFlags + (denan ? " --denan" : "") + " >/dev/null 2>&1";
  fs::remove(out);
  if (std::system(cmd.c_str()) != 0 || !fs::exists(out)) return {};
  return read_all(out);
}

void progress(const Counts& counts) {
  std::printf("... %zu modules: %zu same, %zu skipped, %zu ambiguous, %zu different\n", counts.modules, counts.same,
              counts.skipped, counts.ambiguous, counts.different);
  std::fflush(stdout);
}

uint64_t parse_number(const std::string& option, const std::string& text) {
  size_t used = 0;
  unsigned long long v = 0;
  try {
    v = std::stoull(text, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || text.empty() || text[0] == '-' || text[0] == '+') {
    std::fprintf(stderr, "ward_ttf_diff: %s takes a decimal number, got '%s'\n", option.c_str(), text.c_str());
    std::exit(2);
  }
  return v;
}

void record(Counts& counts, const DiffResult& r, const std::string& what, const std::vector<uint8_t>& bytes,
            const std::string& out_dir) {
  ++counts.modules;
  counts.calls += r.compared_calls;
  counts.trapped += r.trapped_calls;
  counts.out_of_gas += r.out_of_gas_calls;
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
  size_t max_random = 512 + 16384;
  bool aot = false;
  size_t batch = 50;
  ward::fuzz::BackendDiffOptions backend_options;
  std::string out_dir = "build-fuzz/diff-found";
  std::string wasm_opt = "wasm-opt";
  std::vector<std::string> files;
  const char* usage =
      "usage: ward_ttf_diff [--aot] [--batch N] [--gas N] [--rounds N] [--count N] [--seed S] [--max-random-bytes N] "
      "[--out DIR] [--wasm-opt PATH] [--verbose] [FILE.wasm...]\n";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "ward_ttf_diff: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--count") count = parse_number(a, next());
    else if (a == "--seed") seed = parse_number(a, next());
    else if (a == "--max-random-bytes") max_random = parse_number(a, next());
    else if (a == "--aot") aot = true;
    else if (a == "--batch") batch = parse_number(a, next());
    else if (a == "--gas") backend_options.gas_per_call = parse_number(a, next());
    else if (a == "--rounds") {
      backend_options.rounds = static_cast<uint32_t>(std::min<uint64_t>(parse_number(a, next()), 100));
    }
    else if (a == "--out") out_dir = next();
    else if (a == "--wasm-opt") wasm_opt = next();
    else if (a == "--verbose" || a == "-v") g_verbose = true;
    else if (a == "--help" || a == "-h") {
      std::printf("%s", usage);
      return 0;
    } else if (a.rfind("-", 0) == 0) {
      std::fprintf(stderr, "ward_ttf_diff: unknown option %s\n%s", a.c_str(), usage);
      return 2;
    } else files.push_back(a);
  }
  if (batch == 0 || backend_options.gas_per_call == 0 || backend_options.rounds == 0 || max_random < 512) {
    std::fprintf(stderr,
                 "ward_ttf_diff: --batch, --gas and --rounds must be at least 1, --max-random-bytes at least 512\n");
    return 2;
  }

  const auto started = std::chrono::steady_clock::now();
  const fs::path tmp = fs::temp_directory_path() / ("ward-ttf-" + std::to_string(::getpid()));
  fs::create_directories(tmp);
  backend_options.aot_cache_dir = (tmp / "aot").string();
  ward::fuzz::BatchTimes times;
  Counts counts;
  // --aot: modules are collected into batches (one shared object each).
  std::vector<std::vector<uint8_t>> pending;
  std::vector<std::string> pending_names;
  auto flush = [&](const std::string& keep_dir) {
    if (pending.empty()) return;
    const std::vector<DiffResult> rs = ward::fuzz::diff_backends_batch(pending, backend_options, &times);
    for (size_t k = 0; k < rs.size(); ++k) record(counts, rs[k], pending_names[k], pending[k], keep_dir);
    pending.clear();
    pending_names.clear();
    progress(counts);
  };
  if (!files.empty()) {
    for (const std::string& f : files) {
      std::vector<uint8_t> bytes = read_all(f);
      if (aot) {
        pending.push_back(std::move(bytes));
        pending_names.push_back(f);
        if (pending.size() >= batch) flush({});
      } else {
        record(counts, ward::fuzz::diff_module(bytes, {}), f, bytes, {});
      }
    }
    flush({});
  } else {
    for (size_t i = 0; i < count; ++i) {
      const uint64_t s = seed + i;
      std::vector<uint8_t> bytes = generate(s, max_random, wasm_opt, tmp);
      if (bytes.empty()) {
        ++counts.generate_failed;
        continue;
      }
      if (aot) {
        pending.push_back(std::move(bytes));
        pending_names.push_back("seed-" + std::to_string(s));
        if (pending.size() >= batch) flush(out_dir);
        continue;
      }
      ward::fuzz::DiffOptions options;
      options.nan_free = (s % 2) == 0;
      record(counts, ward::fuzz::diff_module(bytes, options), "seed-" + std::to_string(s), bytes, out_dir);
      if ((i + 1) % 100 == 0) progress(counts);
    }
    flush(out_dir);
  }
  std::error_code ec;
  fs::remove_all(tmp, ec);
  if (files.empty() && count > 0 && counts.modules == 0) {
    std::fprintf(stderr, "ward_ttf_diff: no module could be generated (is %s binaryen's wasm-opt?)\n",
                 wasm_opt.c_str());
    return 1;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf("ttf-diff (%s): %zu modules, %zu export calls compared: %zu same, %zu skipped, %zu ambiguous (NaN bits), "
              "%zu different; %zu generation failures; %.1f s",
              aot ? "interp vs aot, gas compared" : "Ward interp vs wabt", counts.modules, counts.calls, counts.same,
              counts.skipped, counts.ambiguous, counts.different, counts.generate_failed, wall);
  if (aot) {
    std::printf("; %zu calls trapped alike, %zu of them out of gas at the same point (interp load+compile %.1f s, "
                "aot build %.1f s, runs %.1f s)",
                counts.trapped, counts.out_of_gas, times.interp_compile, times.aot_compile, times.run);
  }
  std::printf("\n");
  return counts.different == 0 ? 0 : 1;
}
