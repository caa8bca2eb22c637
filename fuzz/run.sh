#!/bin/sh
# fuzz/run.sh — behind `make fuzz`: configures DIR (default build-fuzz) with
# clang and -DWARD_FUZZ=ON, builds the fuzz targets, generates the seed
# corpora (wasm modules: fuzz/make-corpus.sh; the node targets':
# ward_fuzz_seeds, plus the committed fuzz/seeds/<name>), runs each libFuzzer
# target for FUZZ_SECONDS (default 60), then the standalone differential
# driver on FUZZ_TTF_MODULES (default 300; 0 skips it) fresh `wasm-opt -ttf`
# modules, and prints the executions run and what was found.
# Crashes go to DIR/crashes/, differing modules to DIR/diff-found/ (neither
# is committed). Environment: FUZZ_SECONDS, FUZZ_TTF_MODULES, FUZZ_TARGETS,
# JOBS (build parallelism, default 2), FUZZ_BUILD=0 (skip configure and build). Targets run one at a time, in-process.
set -eu

dir=${1:-build-fuzz}
seconds=${FUZZ_SECONDS:-60}
ttf_modules=${FUZZ_TTF_MODULES:-300}
targets=${FUZZ_TARGETS:-"fuzz_load fuzz_translate fuzz_exec fuzz_diff fuzz_tx_decode fuzz_mempool fuzz_rpc"}
jobs=${JOBS:-2}

# The node targets (transactions, mempool, JSON-RPC) take their own seeds.
is_node_target() {
  case "$1" in fuzz_tx_decode|fuzz_mempool|fuzz_rpc) return 0 ;; *) return 1 ;; esac
}
wasm_targets=0
node_targets=0
for t in $targets; do
  if is_node_target "$t"; then node_targets=1; else wasm_targets=1; fi
done
extra_builds=""
[ "$node_targets" = 1 ] && extra_builds="ward_fuzz_seeds"
[ "$ttf_modules" != 0 ] && extra_builds="$extra_builds ward_ttf_diff"

for tool in clang-14 clang++-14 wasm-opt wast2json; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fuzz: $tool is missing (scripts/install-deps installs it)" >&2; exit 1; }
done

mkdir -p "$dir"
if [ "${FUZZ_BUILD:-1}" = 0 ]; then
  echo "==> FUZZ_BUILD=0: using the targets already built in $dir/bin"
else
echo "==> configuring $dir (clang-14, -DWARD_FUZZ=ON)"
CC=clang-14 CXX=clang++-14 cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DWARD_FUZZ=ON -DWARD_BUILD_TESTS=OFF > "$dir/configure.log" 2>&1 || { cat "$dir/configure.log"; exit 1; }
echo "==> building the fuzz targets"
# shellcheck disable=SC2086 # the target list is meant to split
cmake --build "$dir" -j "$jobs" --target $targets $extra_builds
fi

echo "==> generating the seed corpus"
if [ "$wasm_targets" = 0 ] && [ "$ttf_modules" = 0 ]; then
  :
elif [ ! -d "$dir/corpus/seeds" ] || [ -z "$(ls -A "$dir/corpus/seeds" 2>/dev/null)" ]; then
  fuzz/make-corpus.sh "$dir/corpus/seeds"
else
  echo "fuzz: reusing $dir/corpus/seeds ($(ls "$dir/corpus/seeds" | wc -l) files; delete it to regenerate)"
fi
if [ "$node_targets" = 1 ]; then
  # Deterministic and quick: regenerated every run (tests/vectors/tx-v1.json when present).
  "$dir/bin/ward_fuzz_seeds" "$dir/corpus/node-seeds" tests/vectors/tx-v1.json
fi

mkdir -p "$dir/crashes" "$dir/logs"
summary=""
found=0
for t in $targets; do
  mkdir -p "$dir/corpus/$t"
  before=$(ls "$dir/crashes" | grep -c "^$t-\(crash\|leak\|timeout\|oom\)-" || true)
  seeds="$dir/corpus/seeds"
  if is_node_target "$t"; then
    seeds="$dir/corpus/node-seeds/$t"
    [ "$t" = fuzz_rpc ] && seeds="$seeds fuzz/seeds/rpc"
  fi
  echo "==> $t for ${seconds}s"
  # The exit status says whether something was found; the log says more.
  # New inputs go to the first folder, $dir/corpus/$t; the seed folders are only read.
  # shellcheck disable=SC2086 # the seed folder list is meant to split
  "$dir/bin/$t" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=3072 \
    -print_final_stats=1 -artifact_prefix="$dir/crashes/$t-" "$dir/corpus/$t" $seeds \
    > "$dir/logs/$t.log" 2>&1 || true
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/logs/$t.log" | tail -1)
  after=$(ls "$dir/crashes" | grep -c "^$t-\(crash\|leak\|timeout\|oom\)-" || true)
  new=$((after - before))
  [ "$new" -gt 0 ] && found=1
  line=$(printf '%-16s %12s executions, %d new finding(s)' "$t" "${runs:-?}" "$new")
  echo "$line"
  summary="$summary$line
"
done

if [ "$ttf_modules" != 0 ]; then
echo "==> ward_ttf_diff on $ttf_modules fresh wasm-opt -ttf modules"
seed=$(date +%s)
if "$dir/bin/ward_ttf_diff" --count "$ttf_modules" --seed "$seed" --out "$dir/diff-found" > "$dir/logs/ttf_diff.log" 2>&1; then
  :
else
  found=1
fi
grep -E "^(DIFFERENT|ttf-diff:)" "$dir/logs/ttf_diff.log" || true
line="ward_ttf_diff    $(tail -1 "$dir/logs/ttf_diff.log") (seed $seed)"
summary="$summary$line
"
fi

echo "==> fuzzing summary (logs in $dir/logs, findings in $dir/crashes and $dir/diff-found)"
printf '%s' "$summary"
if [ "$found" -eq 0 ]; then
  echo "fuzz: nothing found"
else
  echo "fuzz: FINDINGS — reproduce with $dir/bin/<target> <file>; fix, then add the input to tests/regression/"
  exit 1
fi
