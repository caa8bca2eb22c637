#!/usr/bin/env bash
# bench/run.sh — runs the benchmark harness and writes bench/results/:
# the console output, the ratio table (also printed), CSVs and a PNG plot.
#
#   bench/run.sh [BUILD_DIR] [ward_bench options...]
#
# BUILD_DIR is a build configured with -DWARD_BUILD_BENCH=ON (default
# build-bench; `make bench` builds it). Environment: WARD_BENCH_REPETITIONS
# (default 5; the table shows medians), WARD_BENCH_MIN_TIME (seconds per
# repetition, default 0.2). Extra options go to ward_bench, e.g.
# --benchmark_filter='interp/.*'.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${1:-build-bench}
[ $# -gt 0 ] && shift
bin=$build/bin/ward_bench
if [ ! -x "$bin" ]; then
  echo "run.sh: $bin not found; configure with -DWARD_BUILD_BENCH=ON and build (make bench)" >&2
  exit 1
fi

reps=${WARD_BENCH_REPETITIONS:-5}
min_time=${WARD_BENCH_MIN_TIME:-0.2}
out=$here/results
mkdir -p "$out"
stamp=$(date +%Y%m%d-%H%M%S)
csv=$out/kernels-$stamp.csv

echo "==> ward_bench: $reps repetitions, min ${min_time}s each (medians of CPU time; a shared machine is noisy)"
status=0
"$bin" --benchmark_repetitions="$reps" --benchmark_report_aggregates_only=true \
  --benchmark_min_time="$min_time" --benchmark_color=false \
  --benchmark_out="$out/bench-$stamp.json" --benchmark_out_format=json \
  --csv="$csv" "$@" | tee "$out/bench-$stamp.txt" || status=$?
[ -f "$csv" ] || { echo "run.sh: no results written" >&2; exit 1; }
cp "$csv" "$out/kernels.csv"
cp "${csv%.csv}-summary.csv" "$out/summary.csv"

# The plot needs gnuplot (Debian: gnuplot-nox); install it when we may.
if ! command -v gnuplot >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null && sudo="sudo -n"
  if [ "$(id -u)" -eq 0 ] || [ -n "$sudo" ]; then
    echo "==> installing gnuplot-nox for the plot"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends gnuplot-nox >/dev/null 2>&1 ||
      { $sudo apt-get update -qq >/dev/null 2>&1 &&
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends gnuplot-nox >/dev/null 2>&1; } ||
      true
  fi
fi
if command -v gnuplot >/dev/null 2>&1; then
  # Plot the aot columns only when they hold numbers.
  aot=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; ++i) if ($i == "aot_x") c = i } NR > 1 && c && $c != "NaN" { n++ } END { print n ? 1 : 0 }' "$csv")
  gnuplot -e "csv='$csv'; png='$out/kernels-$stamp.png'; aot=$aot" "$here/plot.gp"
  cp "$out/kernels-$stamp.png" "$out/kernels.png"
  echo "==> plot: $out/kernels.png"
else
  echo "==> gnuplot not found and not installable here: skipping the plot (apt-get install gnuplot-nox)"
fi
# Instructions per kernel call (callgrind) for interp and aot, when valgrind
# is here: time on a shared machine is noisy, instruction counts are not.
# WARD_BENCH_ICOUNT=0 skips it.
if [ "${WARD_BENCH_ICOUNT:-1}" != "0" ] && command -v valgrind >/dev/null 2>&1; then
  echo "==> instructions per kernel call (bench/icount.sh --interp; valgrind callgrind)"
  "$here/icount.sh" "$build" --interp | tee "$out/icount-$stamp.txt" || status=$?
  cp "$out/icount-$stamp.txt" "$out/icount.txt" 2>/dev/null || true
else
  echo "==> valgrind not found (or WARD_BENCH_ICOUNT=0): no instruction counts"
fi
echo "==> results: $out/kernels.csv, $out/summary.csv, $out/bench-$stamp.txt"
exit "$status"
