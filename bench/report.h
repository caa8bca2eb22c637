// bench/report.h — a Google Benchmark reporter that prints the usual console
// output, then a table of ratios to native (medians when repetitions are
// used), metering overhead, per-call latency and compile time per KiB, and
// writes the same numbers as CSV.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <vector>

namespace ward::bench {

/// Console output plus the summary table; see ward_bench.cpp for the names.
class TableReporter : public benchmark::ConsoleReporter {
 public:
  /// `backends`: the backend columns, in order; `csv_path`: where to write
  /// the kernel table (empty: no CSV). A summary CSV goes next to it.
  TableReporter(std::vector<std::string> backends, std::string csv_path);
  void ReportRuns(const std::vector<Run>& runs) override;
  void Finalize() override;
  /// True when some benchmark failed (error or result mismatch).
  bool failed() const { return m_failed; }

 private:
  /// Median CPU time in ns of a benchmark, or a negative value when absent.
  double time_ns(const std::string& name) const;
  double counter(const std::string& name, const std::string& key) const;

  std::vector<std::string> m_backends;
  std::string m_csv_path;
  std::map<std::string, double> m_ns;
  std::map<std::string, std::map<std::string, double>> m_counters;
  std::vector<std::string> m_kernels;  ///< in the order first seen
  int64_t m_repetitions = 1;
  bool m_failed = false;
};

}  // namespace ward::bench
