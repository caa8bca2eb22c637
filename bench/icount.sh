#!/usr/bin/env bash
# bench/icount.sh — instructions per kernel call (valgrind callgrind), for
# when time is too noisy to compare: native, AOT with metering on and off
# (and the interpreter with --interp, slow under valgrind).
#
#   bench/icount.sh [BUILD_DIR] [--interp] [KERNEL...]
#
# BUILD_DIR holds bin/ward_bench (-DWARD_BUILD_BENCH=ON; default build-bench).
# Each benchmark runs one timed iteration under callgrind; the count is the
# inclusive cost of the kernel (native: <kernel>_run; a backend: its
# do_invoke, the call path under runtime::Instance::invoke) per call, so compiling, loading and instantiating are
# left out. Prints a table: Ir per
# call and the ratio to native.
set -euo pipefail
build=${1:-build-bench}
[ $# -gt 0 ] && shift
interp=0
if [ "${1:-}" = "--interp" ]; then interp=1; shift; fi
bin=$build/bin/ward_bench
[ -x "$bin" ] || { echo "icount.sh: $bin not found (configure with -DWARD_BUILD_BENCH=ON)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "icount.sh: valgrind not found (apt-get install valgrind)" >&2; exit 1; }
kernels=("$@")
[ ${#kernels[@]} -gt 0 ] || kernels=(sha256 keccak matmul sort fib modexp json vm regex lz hashtab list graph riscv btree expr)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# count NAME FUNCTION EXTRA_CALLS -> Ir per call of FUNCTION (inclusive cost
# over all its calls, divided by the timed iterations plus EXTRA_CALLS).
count() {
  local name=$1 fn=$2 extra=$3
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
    "$bin" "--benchmark_filter=^${name}\$" --benchmark_min_time=0 --benchmark_repetitions=1 \
    --benchmark_color=false >"$tmp/out.txt" 2>"$tmp/err.txt" || { echo "NaN"; return; }
  local iters total
  # columns: name, time, unit, CPU time, unit, iterations
  iters=$(awk -v n="$name" '$1 == n { u = 0; for (i = 2; i <= NF; ++i) { if ($i ~ /^(ns|us|ms|s)$/) ++u; else if (u == 2) { print $i; exit } } }' "$tmp/out.txt")
  total=$(callgrind_annotate --inclusive=yes "$tmp/cg.out" 2>/dev/null |
          awk -v f="$fn" 'index($0, f) { gsub(",", "", $1); print $1; exit }')
  if [ -z "$iters" ] || [ -z "$total" ]; then echo "NaN"; return; fi
  awk -v t="$total" -v n="$iters" -v e="$extra" 'BEGIN { printf "%.0f", t / (n + e) }'
}

invoke='AotInstance::do_invoke('
interp_invoke='InterpInstance::do_invoke('
printf "%-8s %14s %14s %14s %8s %8s %9s" kernel native_Ir aot_Ir aot_nometer_Ir aot_x nometer_x metering
[ $interp -eq 1 ] && printf " %14s %8s" interp_Ir interp_x
printf "\n"
for k in "${kernels[@]}"; do
  n=$(count "native/$k" ":${k}_run " 1)   # the harness calls the native kernel once more for its checksum
  a=$(count "aot/$k" "$invoke" 0)
  o=$(count "aot_nometer/$k" "$invoke" 0)
  awk -v k="$k" -v n="$n" -v a="$a" -v o="$o" 'BEGIN {
    printf "%-8s %14s %14s %14s %8.2f %8.2f %8.1f%%", k, n, a, o, a / n, o / n, 100 * (a - o) / o }'
  if [ $interp -eq 1 ]; then
    i=$(count "interp/$k" "$interp_invoke" 0)
    awk -v i="$i" -v n="$n" 'BEGIN { printf " %14s %8.2f", i, i / n }'
  fi
  printf "\n"
done
