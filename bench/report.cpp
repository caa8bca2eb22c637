// bench/report.cpp — the summary table and CSV of ward_bench.
#include "report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ostream>
#include <fstream>

#include <unistd.h>

namespace ward::bench {
namespace {

/// Geometric mean of the positive values; NaN when there are none.
double geomean(const std::vector<double>& v) {
  double s = 0;
  int n = 0;
  for (double x : v) {
    if (x > 0 && std::isfinite(x)) {
      s += std::log(x);
      ++n;
    }
  }
  return n == 0 ? NAN : std::exp(s / n);
}

std::string cell(double v, const char* fmtspec, int width) {
  if (!std::isfinite(v)) return fmt::format("{:>{}}", "-", width);
  return fmt::format(fmt::runtime(fmt::format("{{:>{}{}}}", width, fmtspec)), v);
}

std::string csv_num(double v) { return std::isfinite(v) ? fmt::format("{:.6g}", v) : "NaN"; }

}  // namespace

TableReporter::TableReporter(std::vector<std::string> backends, std::string csv_path)
    : ConsoleReporter(::isatty(STDOUT_FILENO) != 0 ? OO_ColorTabular : OO_Tabular),
      m_backends(std::move(backends)),
      m_csv_path(std::move(csv_path)) {}

void TableReporter::ReportRuns(const std::vector<Run>& runs) {
  ConsoleReporter::ReportRuns(runs);
  for (const Run& r : runs) {
    const std::string name = r.run_name.function_name;
    if (r.error_occurred) {
      m_failed = true;
      continue;
    }
    const bool single = r.run_type == Run::RT_Iteration && r.repetitions <= 1;
    const bool median = r.run_type == Run::RT_Aggregate && r.aggregate_name == "median";
    if (!single && !median) continue;
    m_repetitions = std::max<int64_t>(m_repetitions, r.repetitions);
    // compile/* runs in wall-clock time (its C compiler children work outside this process).
    const double t = name.rfind("compile/", 0) == 0 ? r.GetAdjustedRealTime() : r.GetAdjustedCPUTime();
    m_ns[name] = t / benchmark::GetTimeUnitMultiplier(r.time_unit) * 1e9;
    for (const auto& [k, c] : r.counters) m_counters[name][k] = c.value;
    if (name.rfind("native/", 0) == 0) {
      const std::string k = name.substr(7);
      if (std::find(m_kernels.begin(), m_kernels.end(), k) == m_kernels.end()) m_kernels.push_back(k);
    }
  }
}

double TableReporter::time_ns(const std::string& name) const {
  auto it = m_ns.find(name);
  return it == m_ns.end() ? NAN : it->second;
}

double TableReporter::counter(const std::string& name, const std::string& key) const {
  auto it = m_counters.find(name);
  if (it == m_counters.end()) return NAN;
  auto jt = it->second.find(key);
  return jt == it->second.end() ? NAN : jt->second;
}

void TableReporter::Finalize() {
  ConsoleReporter::Finalize();
  // Columns for every backend named in the harness, plus "aot" always, so the
  // table keeps its shape before the AOT backend exists.
  std::vector<std::string> cols = m_backends;
  if (std::find(cols.begin(), cols.end(), "aot") == cols.end()) cols.push_back("aot");

  std::string out;
  out += fmt::format("\nWard benchmarks: median of {} repetition(s), CPU time. 'x' = time / native time\n",
                     m_repetitions);
  out += "(lower is better; 1/x is the fraction of native speed). Metering % = metered / unmetered - 1.\n\n";
  out += fmt::format("{:<10}{:>11}", "kernel", "native ms");
  for (const auto& b : cols) out += fmt::format("{:>12}{:>12}{:>14}", b + " x", b + " 1/x", b + " meter%");
  out += "\n";

  std::map<std::string, std::vector<double>> slow, meter;
  std::string csv = "kernel,native_ms";
  for (const auto& b : cols) csv += fmt::format(",{0}_x,{0}_nometer_x,{0}_metering_pct", b);
  csv += "\n";
  for (const std::string& k : m_kernels) {
    const double nat = time_ns("native/" + k);
    out += fmt::format("{:<10}{}", k, cell(nat / 1e6, ".2f", 11));
    csv += fmt::format("{},{}", k, csv_num(nat / 1e6));
    for (const auto& b : cols) {
      const double on = time_ns(b + "/" + k), off = time_ns(b + "_nometer/" + k);
      const double x = on / nat, xo = off / nat, m = (on / off - 1) * 100;
      slow[b].push_back(x);
      meter[b].push_back(on / off);
      out += cell(x, ".1f", 12) + cell(1 / x, ".4f", 12) + cell(m, ".1f", 14);
      csv += fmt::format(",{},{},{}", csv_num(x), csv_num(xo), csv_num(m));
    }
    out += "\n";
    csv += "\n";
  }
  out += fmt::format("{:<10}{:>11}", "geomean", "");
  csv += "geomean,NaN";
  for (const auto& b : cols) {
    const double x = geomean(slow[b]), m = (geomean(meter[b]) - 1) * 100;
    out += cell(x, ".1f", 12) + cell(1 / x, ".4f", 12) + cell(m, ".1f", 14);
    csv += fmt::format(",{},NaN,{}", csv_num(x), csv_num(m));
  }
  out += "\n";
  csv += "\n";
  out += "targets (geomean, metering on): interp <= 14 x (>= 1/14 of native), aot <= 1.11 x (>= 0.90 of "
         "native), metering <= 5 %\n\n";

  std::string summary = "metric,backend,value,unit\n";
  const double decode_kib = counter("decode", "kib");
  const double decode = time_ns("decode") / 1e3 / decode_kib;
  for (const auto& b : cols) {
    const double call_us = time_ns("call/" + b) / 1e3;
    const double compile = time_ns("compile/" + b) / 1e3 / counter("compile/" + b, "kib");
    const double child = counter("compile/" + b, "child_cpu_s") * 1e6 / counter("compile/" + b, "kib");
    out += fmt::format(
        "{:<8} instantiate + call noop + tear down: {} us (target <= 5)   compile: {} us/KiB wall, {} us/KiB CPU in "
        "compiler processes\n",
        b, cell(call_us, ".2f", 8), cell(compile, ".1f", 8), cell(child, ".1f", 8));
    summary += fmt::format("call_latency,{},{},us\n", b, csv_num(call_us));
    summary += fmt::format("compile_per_kib,{},{},us/KiB\n", b, csv_num(compile));
    summary += fmt::format("compile_child_cpu_per_kib,{},{},us/KiB\n", b, csv_num(child));
    summary += fmt::format("geomean_x,{},{},ratio\n", b, csv_num(geomean(slow[b])));
    summary += fmt::format("metering_overhead,{},{},pct\n", b, csv_num((geomean(meter[b]) - 1) * 100));
  }
  out += fmt::format("decode + validate (every backend, before compile): {} us/KiB over {} KiB of wasm\n",
                     cell(decode, ".1f", 1), cell(decode_kib, ".1f", 1));
  summary += fmt::format("decode_per_kib,all,{},us/KiB\n", csv_num(decode));
  if (m_failed) out += "\nSOME BENCHMARKS FAILED (see the errors above); their cells are '-'.\n";
  GetOutputStream() << out << std::flush;

  if (!m_csv_path.empty()) {
    std::ofstream(m_csv_path) << csv;
    std::string sp = m_csv_path;
    const size_t dot = sp.rfind(".csv");
    sp = (dot == std::string::npos ? sp : sp.substr(0, dot)) + "-summary.csv";
    std::ofstream(sp) << summary;
  }
}

}  // namespace ward::bench
