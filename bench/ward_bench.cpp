// bench/ward_bench.cpp — the benchmark harness (Google Benchmark). For each
// kernel of bench/kernels: the native build, and each backend with metering
// on and off; the fixed cost of instantiate + call + tear down of a trivial
// method; the compile time per KiB of wasm. The report (report.h) prints the
// ratios to native and writes a CSV.
//
// Benchmark names: native/K, B/K (metering on), B_nometer/K, call/B,
// compile/B, decode. K is a kernel, B a backend.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <sys/resource.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backends.h"
#include "report.h"
#include "runtime/backend.h"
#include "wasm/module.h"

extern "C" {
uint64_t sha256_run(uint32_t n);
uint64_t keccak_run(uint32_t n);
uint64_t matmul_run(uint32_t n);
uint64_t sort_run(uint32_t n);
uint64_t fib_run(uint32_t n);
uint64_t modexp_run(uint32_t n);
uint64_t json_run(uint32_t n);
uint64_t vm_run(uint32_t n);
uint64_t regex_run(uint32_t n);
uint64_t lz_run(uint32_t n);
uint64_t hashtab_run(uint32_t n);
uint64_t list_run(uint32_t n);
uint64_t graph_run(uint32_t n);
uint64_t riscv_run(uint32_t n);
uint64_t btree_run(uint32_t n);
uint64_t expr_run(uint32_t n);
}

namespace ward::bench {
namespace {

/// A compute kernel: its native entry and the fixed input size of every run
/// (chosen so a native run takes about 10 ms; an interpreted one 0.1-1 s).
struct Kernel {
  const char* name;
  uint64_t (*native)(uint32_t);
  uint32_t arg;
};

const Kernel kKernels[] = {
    {"sha256", sha256_run, 160}, {"keccak", keccak_run, 8000}, {"matmul", matmul_run, 30},
    {"sort", sort_run, 8},       {"fib", fib_run, 32},         {"modexp", modexp_run, 2},
    {"json", json_run, 250},     {"vm", vm_run, 8},            {"regex", regex_run, 20},
    {"lz", lz_run, 2},           {"hashtab", hashtab_run, 3},  {"list", list_run, 1},
    {"graph", graph_run, 2},     {"riscv", riscv_run, 2},      {"btree", btree_run, 2},
    {"expr", expr_run, 20},
};

/// Names of every wasm module the build produces (the kernels and `trivial`).
const char* const kModules[] = {"sha256", "keccak", "matmul",  "sort", "fib",   "modexp", "json",  "vm",
                                "regex",  "lz",     "hashtab", "list", "graph", "riscv",  "btree", "expr",
                                "trivial"};

std::string wasm_dir() {
  const char* env = std::getenv("WARD_BENCH_WASM_DIR");
  return env != nullptr ? env : WARD_BENCH_WASM_DIR;
}

const std::vector<uint8_t>& module_bytes(const std::string& name) {
  static std::map<std::string, std::vector<uint8_t>> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  std::ifstream in(wasm_dir() + "/" + name + ".wasm", std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return cache.emplace(name, std::move(bytes)).first->second;
}

const runtime::Limits& limits() {
  static const runtime::Limits l;
  return l;
}

/// An instantiated module ready to call, or an error message.
struct Loaded {
  std::shared_ptr<runtime::CompiledModule> compiled;
  std::unique_ptr<runtime::Instance> instance;
  runtime::ExecContext ctx;
  std::string error;
};

std::unique_ptr<Loaded> load(const std::string& module, const std::string& backend, bool metering) {
  auto out = std::make_unique<Loaded>();
  out->ctx.limits = &limits();
  const std::vector<uint8_t>& bytes = module_bytes(module);
  if (bytes.empty()) {
    out->error = fmt::format("cannot read {}/{}.wasm", wasm_dir(), module);
    return out;
  }
  auto mod = wasm::load_module(bytes, limits());
  if (!mod) {
    out->error = mod.error().message;
    return out;
  }
  std::unique_ptr<runtime::Backend> b = make_backend(backend);
  runtime::CompileOptions opts;
  opts.metering = metering;
  auto cm = b->compile(mod.value(), limits(), opts);
  if (!cm) {
    out->error = cm.error().message;
    return out;
  }
  out->compiled = cm.value();
  auto r = out->compiled->instantiate({}, out->ctx);
  if (r.status != runtime::InstantiateResult::Status::Ok) {
    out->error = "instantiate: " + r.message;
    return out;
  }
  out->instance = std::move(r.instance);
  return out;
}

uint64_t native_result(const Kernel& k) {
  static std::map<std::string, uint64_t> cache;
  auto it = cache.find(k.name);
  if (it != cache.end()) return it->second;
  return cache[k.name] = k.native(k.arg);
}

void bm_native(benchmark::State& state, const Kernel& k) {
  uint64_t r = 0;
  for (auto _ : state) {
    r = k.native(k.arg);
    benchmark::DoNotOptimize(r);
  }
  if (r != native_result(k)) state.SkipWithError("native result changed between runs");
}

void bm_kernel(benchmark::State& state, const Kernel& k, const std::string& backend, bool metering) {
  std::unique_ptr<Loaded> l = load(k.name, backend, metering);
  if (!l->error.empty()) {
    state.SkipWithError(l->error.c_str());
    return;
  }
  auto ex = l->instance->get_export("run");
  if (!ex) {
    state.SkipWithError(ex.error().message.c_str());
    return;
  }
  const runtime::Value args[1] = {runtime::Value::i32(k.arg)};
  runtime::Value res[1];
  const uint64_t want = native_result(k);
  uint64_t gas = 0;
  for (auto _ : state) {
    l->ctx.gas_left = UINT64_MAX;
    const runtime::TrapKind t = l->instance->invoke(*ex->func, args, res, l->ctx);
    if (t != runtime::TrapKind::None) {
      state.SkipWithError(fmt::format("trap: {}", runtime::trap_message(t)).c_str());
      return;
    }
    gas = UINT64_MAX - l->ctx.gas_left;
  }
  if (res[0].bits != want) {
    state.SkipWithError(fmt::format("result {:#x} differs from native {:#x}", res[0].bits, want).c_str());
    return;
  }
  if (metering) state.counters["gas"] = static_cast<double>(gas);
}

/// Instantiate + call `noop` + tear down, on a module compiled once.
void bm_call(benchmark::State& state, const std::string& backend) {
  std::unique_ptr<Loaded> l = load("trivial", backend, true);
  if (!l->error.empty()) {
    state.SkipWithError(l->error.c_str());
    return;
  }
  l->instance.reset();
  runtime::Value res[1];
  for (auto _ : state) {
    l->ctx.gas_left = 1'000'000;
    auto r = l->compiled->instantiate({}, l->ctx);
    if (r.status != runtime::InstantiateResult::Status::Ok) {
      state.SkipWithError(r.message.c_str());
      return;
    }
    auto ex = r.instance->get_export("noop");
    if (!ex || r.instance->invoke(*ex->func, {}, res, l->ctx) != runtime::TrapKind::None || res[0].bits != 42) {
      state.SkipWithError("noop did not return 42");
      return;
    }
    r.instance.reset();
  }
}

double total_kib() {
  double bytes = 0;
  for (const char* m : kModules) bytes += static_cast<double>(module_bytes(m).size());
  return bytes / 1024.0;
}

/// CPU seconds (user + system) of this process's waited-for child processes.
double children_cpu_seconds() {
  struct rusage u {};
  getrusage(RUSAGE_CHILDREN, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

/// Compiles (translates) every module once per iteration, uncached; decoding
/// is not included. Timed in wall-clock time (the AOT backend's work happens
/// mostly in C compiler child processes, which the harness's own CPU time
/// does not see); counter "child_cpu_s": those processes' CPU seconds per
/// iteration.
void bm_compile(benchmark::State& state, const std::string& backend) {
  std::vector<std::shared_ptr<const wasm::Module>> mods;
  for (const char* m : kModules) {
    auto mod = wasm::load_module(module_bytes(m), limits());
    if (!mod) {
      state.SkipWithError(mod.error().message.c_str());
      return;
    }
    mods.push_back(mod.value());
  }
  std::unique_ptr<runtime::Backend> b = make_backend(backend, true);
  runtime::CompileOptions opts;
  const double children_before = children_cpu_seconds();
  for (auto _ : state) {
    for (const auto& m : mods) {
      auto cm = b->compile(m, limits(), opts);
      if (!cm) {
        state.SkipWithError(cm.error().message.c_str());
        return;
      }
      benchmark::DoNotOptimize(cm.value());
    }
  }
  state.counters["kib"] = total_kib();
  const double iterations = static_cast<double>(std::max<benchmark::IterationCount>(state.iterations(), 1));
  state.counters["child_cpu_s"] = (children_cpu_seconds() - children_before) / iterations;
}

/// Decodes and validates every module once per iteration (shared by all backends).
void bm_decode(benchmark::State& state) {
  for (auto _ : state) {
    for (const char* m : kModules) {
      auto mod = wasm::load_module(module_bytes(m), limits());
      if (!mod) {
        state.SkipWithError(mod.error().message.c_str());
        return;
      }
      benchmark::DoNotOptimize(mod.value());
    }
  }
  state.counters["kib"] = total_kib();
}

void register_all() {
  for (const Kernel& k : kKernels) {
    benchmark::RegisterBenchmark(fmt::format("native/{}", k.name).c_str(), bm_native, k)
        ->Unit(benchmark::kMillisecond);
    for (const std::string& b : backend_names()) {
      for (bool metering : {true, false}) {
        const std::string name = fmt::format("{}{}/{}", b, metering ? "" : "_nometer", k.name);
        benchmark::RegisterBenchmark(name.c_str(), bm_kernel, k, b, metering)->Unit(benchmark::kMillisecond);
      }
    }
  }
  for (const std::string& b : backend_names()) {
    benchmark::RegisterBenchmark(fmt::format("call/{}", b).c_str(), bm_call, b)->Unit(benchmark::kMicrosecond);
    auto* c = benchmark::RegisterBenchmark(fmt::format("compile/{}", b).c_str(), bm_compile, b);
    c->Unit(benchmark::kMicrosecond)->UseRealTime();
    // Running a C compiler per module takes seconds: one pass per repetition.
    if (b != "interp") c->Iterations(1)->Repetitions(3);
  }
  benchmark::RegisterBenchmark("decode", bm_decode)->Unit(benchmark::kMicrosecond);
}

}  // namespace
}  // namespace ward::bench

int main(int argc, char** argv) {
  // Our own flag, --csv=FILE, is taken out before Google Benchmark parses the rest.
  std::string csv;
  int out = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a.rfind("--csv=", 0) == 0) {
      csv = a.substr(6);
    } else {
      argv[out++] = argv[i];
    }
  }
  argc = out;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  ward::bench::register_all();
  ward::bench::TableReporter reporter(ward::bench::backend_names(), csv);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return reporter.failed() ? 1 : 0;
}
