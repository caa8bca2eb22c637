// The spec testsuite driver: lists the scripts, converts each with
// wast2json, runs it and prints the per-file lines and the summary.
#include "spectest/spectest.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "aot/aot.h"
#include "spectest/differential.h"
#include "spectest/precompile.h"
#include "spectest/script.h"
#include "spectest/wast2json.h"

namespace ward::spectest {

namespace {

namespace fs = std::filesystem;

/// Failure details printed per file unless verbose.
constexpr size_t kMaxDetailsPerFile = 50;

void print_summary(const SpecSummary& s, bool differential, std::ostream& out) {
  out << "spec: " << s.passed << " passed, " << s.failed << " failed, " << s.skipped << " skipped\n";
  if (differential) out << "differential: " << s.compared << " invokes compared, " << s.differences << " differences\n";
  out.flush();
}

/// The modules of `script` compiled ahead for backends whose compile is slow.
PrecompiledModules precompile_for(const nlohmann::json& script, const std::string& dir, runtime::Backend& backend,
                                  const runtime::Limits& limits, const SpecOptions& o) {
  if (backend.name() != "aot" || o.compile_threads <= 1) return {};
  return precompile_modules(script, dir, backend, limits, o.compile_threads);
}

/// Converts and runs one script, adding its counts to `sum`.
void run_file(const fs::path& wast, const SpecOptions& o, runtime::Backend& backend, runtime::Backend* second,
              const runtime::Limits& limits, const std::string& tmp, SpecSummary& sum, std::ostream& out) {
  const std::string stem = wast.stem().string();
  const std::string file = wast.filename().string();
  const auto start = std::chrono::steady_clock::now();
  const std::string dir = tmp + "/" + stem;
  std::error_code ec;
  fs::create_directory(dir, ec);
  if (ec) {
    out << file << ": failed (cannot create " << dir << ": " << ec.message() << ")\n";
    ++sum.failed;
    return;
  }
  struct Cleanup {
    std::string dir;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(dir, e);
    }
  } cleanup{dir};

  const std::string json_path = dir + "/" + stem + ".json";
  if (o.verbose) out << "  " << o.wast2json << " --enable-all " << wast.string() << " -o " << json_path << "\n";
  Result<void> converted = run_wast2json(o.wast2json, wast.string(), json_path);
  if (!converted) {
    out << file << ": failed (" << converted.error().message << ")\n";
    ++sum.failed;
    return;
  }

  FileReport report;
  try {
    std::string text;
    {
      std::ifstream in(json_path, std::ios::binary);
      text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    if (const size_t n = repair_wast2json_output(text); n > 0) {
      out << file << ": note: repaired " << n << " missing comma" << (n == 1 ? "" : "s")
          << " in wast2json's output (multi-value results of a bare invoke)\n";
    }
    const nlohmann::json script = nlohmann::json::parse(text);
    if (stem.starts_with("simd_")) {
      const uint64_t n = count_assertions(script);
      sum.skipped += n;
      out << file << ": skipped (SIMD)\n";
      return;
    }
    const PrecompiledModules pre = precompile_for(script, dir, backend, limits, o);
    ScriptRunner runner(backend, limits, dir);
    runner.set_gas_limit(o.gas);
    runner.set_precompiled(&pre);
    if (second == nullptr) {
      runner.run(script, report);
    } else {
      const PrecompiledModules pre2 = precompile_for(script, dir, *second, limits, o);
      ScriptRunner runner2(*second, limits, dir);
      runner2.set_gas_limit(o.gas);
      runner2.set_precompiled(&pre2);
      run_differential(script, runner, backend.name(), runner2, second->name(), report);
    }
  } catch (const std::exception& e) {
    // Only the script's top level can get here (commands catch their own).
    ++report.failed;
    report.failures.push_back(std::string("script: ") + e.what());
  }

  sum.passed += report.passed;
  sum.failed += report.failed;
  sum.skipped += report.skipped;
  sum.compared += report.compared;
  sum.differences += report.differences;
  out << file << ": " << report.passed << " passed, " << report.failed << " failed";
  if (report.skipped > 0) out << ", " << report.skipped << " skipped";
  if (o.verbose) {
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    out << " (" << ms << " ms)";
  }
  out << "\n";
  const size_t shown = o.verbose ? report.failures.size() : std::min(report.failures.size(), kMaxDetailsPerFile);
  for (size_t i = 0; i < shown; ++i) out << "  " << report.failures[i] << "\n";
  if (shown < report.failures.size()) {
    out << "  ... " << (report.failures.size() - shown) << " more (use --verbose)\n";
  }
  out.flush();
}

}  // namespace

runtime::Limits spec_limits() {
  runtime::Limits l;
  l.max_module_bytes = 64u << 20;
  l.max_types = 1u << 20;
  l.max_functions = 1u << 20;
  l.max_imports = 1u << 20;
  l.max_exports = 1u << 20;
  l.max_globals = 1u << 20;
  l.max_data_segments = 1u << 20;
  l.max_elem_segments = 1u << 20;
  l.max_locals_per_function = 1u << 20;
  l.max_function_body_bytes = 64u << 20;
  l.max_block_depth = 1u << 16;
  l.max_br_table_targets = 1u << 20;
  l.max_table_elements = 10'000'000;
  l.max_memory_pages = 65536;
  l.max_data_bytes = 64u << 20;
  // Run-time limits (call depth, stack slots) keep their defaults; the
  // wall-clock safety net is SpecOptions::timeout_ms.
  return l;
}

std::unique_ptr<runtime::Backend> make_backend(std::string_view name) {
  if (name == "interp") return runtime::make_interp_backend();
  if (name == "aot") return aot::make_aot_backend();
  if (name == "auto") return aot::make_tiered_backend();
  return nullptr;
}

SpecSummary run_spec_tests(const SpecOptions& o, std::ostream& out) {
  if (o.differential) {
    std::unique_ptr<runtime::Backend> interp = make_backend("interp");
    std::unique_ptr<runtime::Backend> aot = make_backend("aot");
    return run_spec_tests_on(o, *interp, aot.get(), out);
  }
  std::unique_ptr<runtime::Backend> backend = make_backend(o.backend);
  if (!backend) {
    SpecSummary sum;
    out << "spec-test: unknown backend \"" << o.backend << "\"\n";
    ++sum.failed;
    print_summary(sum, false, out);
    return sum;
  }
  return run_spec_tests_on(o, *backend, nullptr, out);
}

SpecSummary run_spec_tests_on(const SpecOptions& o, runtime::Backend& backend, runtime::Backend* second,
                              std::ostream& out) {
  SpecSummary sum;
  const bool differential = second != nullptr;
  std::vector<fs::path> files;
  std::error_code ec;
  for (fs::directory_iterator it(o.dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".wast" && it->is_regular_file()) files.push_back(it->path());
  }
  if (ec) {
    out << "spec-test: cannot list " << o.dir << ": " << ec.message() << "\n";
    ++sum.failed;
    print_summary(sum, differential, out);
    return sum;
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    out << "spec-test: no .wast files in " << o.dir << "\n";
    ++sum.failed;
    print_summary(sum, differential, out);
    return sum;
  }
  if (!o.only.empty()) {
    std::vector<fs::path> chosen;
    for (const std::string& stem : o.only) {
      auto it = std::find_if(files.begin(), files.end(), [&](const fs::path& p) { return p.stem() == stem; });
      if (it == files.end()) {
        out << stem << ".wast: failed (no such script in " << o.dir << ")\n";
        ++sum.failed;
      } else if (std::find(chosen.begin(), chosen.end(), *it) == chosen.end()) {
        chosen.push_back(*it);
      }
    }
    std::sort(chosen.begin(), chosen.end());
    files = std::move(chosen);
  }

  Result<TempDir> tmp = TempDir::create();
  if (!tmp) {
    out << "spec-test: " << tmp.error().message << "\n";
    ++sum.failed;
    print_summary(sum, differential, out);
    return sum;
  }
  runtime::Limits limits = spec_limits();
  limits.timeout_ms = o.timeout_ms;
  for (const fs::path& wast : files) run_file(wast, o, backend, second, limits, tmp->path(), sum, out);
  print_summary(sum, differential, out);
  return sum;
}

}  // namespace ward::spectest
