#!/usr/bin/env bash
# bench/node_run.sh — the node benchmarks, one after the other, then a table:
#   1. node_bench: native and token transfers through node::Chain::produce in
#      blocks of 1,000 on RocksDB (apply-only vs produce, the time split),
#      signature verification and mempool admission as the baselines;
#   2. a throw-away `ward node --dev` loaded by load_gen: signed native and
#      token transfers end to end over RPC (submitted/s, committed/s), then
#      ward_getAccount and ward_call latency under NODE_CONNS connections;
#   3. soak_getnonce.sh: RSS after 10,000 and after SOAK_REQUESTS ward_getNonce.
#
#   bench/node_run.sh [BUILD_DIR]             # default build-bench
#
# Environment: NODE_TXS (end-to-end transfers, default 20000), NODE_TOKEN_TXS
# (default 10000), NODE_KEYS (senders, default 1000), NODE_CONNS (default 8),
# NODE_LAT_N (latency requests, default 50000), SOAK_REQUESTS (default
# 1000000; 0 skips the soak), NODE_BENCH_ARGS (extra node_bench options),
# NODE_ARGS (extra `ward node` options, e.g. --rpc-threads 4).
# Output also goes to bench/results/node-<stamp>.txt. The machine's load is
# printed with every step: on a shared machine the figures are noisy, and the
# ratios within one run are what to compare.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=node_common.sh
. "$here/node_common.sh"
build=${1:-build-bench}
txs=${NODE_TXS:-20000}
token_txs=${NODE_TOKEN_TXS:-10000}
keys=${NODE_KEYS:-1000}
conns=${NODE_CONNS:-8}
lat_n=${NODE_LAT_N:-50000}
soak=${SOAK_REQUESTS:-1000000}
ward=$build/bin/ward
bench=$build/bin/node_bench
gen=$build/bin/load_gen
for b in "$ward" "$bench" "$gen"; do
  [ -x "$b" ] || { echo "node_run.sh: $b not found; configure with -DWARD_BUILD_BENCH=ON and build ward node_bench load_gen" >&2; exit 1; }
done
token_wasm=$build/bench/token/token.wasm
[ -f "$token_wasm" ] || { echo "node_run.sh: $token_wasm missing (ninja -C $build ward_bench_token)" >&2; exit 1; }

out=$here/results
mkdir -p "$out"
log=$out/node-$(date +%Y%m%d-%H%M%S).txt
exec > >(tee "$log") 2>&1
load() { cut -d' ' -f1-3 /proc/loadavg; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ward-node-run.XXXXXX")
cleanup() { stop_node; rm -rf "$tmp"; }
trap cleanup EXIT

echo "==> 1. node_bench (load $(load), $(nproc) cores)"
# shellcheck disable=SC2086
"$bench" --token "$token_wasm" ${NODE_BENCH_ARGS:-} | tee "$tmp/bench.txt"
nb=$(grep '^RESULT' "$tmp/bench.txt")

echo
echo "==> 2. end to end over RPC (load $(load))"
# shellcheck disable=SC2086
start_node "$ward" "$tmp/node" ${NODE_ARGS:-}
echo "node pid $NODE_PID at $NODE_URL"
"$gen" transfers --url "$NODE_URL" --keystore "$tmp/node/keys" --kind native --n "$txs" --keys "$keys" --conns "$conns" | tee "$tmp/native.txt"
"$gen" transfers --url "$NODE_URL" --keystore "$tmp/node/keys" --kind token --token-wasm "$token_wasm" --n "$token_txs" --keys "$keys" --conns "$conns" | tee "$tmp/token.txt"
e2e_native=$(grep '^RESULT' "$tmp/native.txt")
e2e_token=$(grep '^RESULT' "$tmp/token.txt")
token=$(result_field "$e2e_token" token)
echo "    (load $(load))"
"$gen" latency --url "$NODE_URL" --method getAccount --n "$lat_n" --conns "$conns" | tee "$tmp/acct.txt"
"$gen" latency --url "$NODE_URL" --method call --contract "$token" --n "$lat_n" --conns "$conns" | tee "$tmp/call.txt"
"$gen" latency --url "$NODE_URL" --method getAccount --n "$lat_n" --conns 1 | tee "$tmp/acct1.txt"
"$gen" latency --url "$NODE_URL" --method call --contract "$token" --n "$lat_n" --conns 1 | tee "$tmp/call1.txt"
echo "node RSS after these: $(rss_kib "$NODE_PID") KiB"
stop_node

soak_line=""
if [ "$soak" -gt 0 ]; then
  echo
  echo "==> 3. soak (load $(load))"
  SOAK_REQUESTS=$soak "$here/soak_getnonce.sh" "$build" | tee "$tmp/soak.txt" || true
  soak_line=$(grep '^RESULT' "$tmp/soak.txt" || true)
fi

f() { result_field "$1" "$2"; }
echo
echo "==> summary (load now $(load); targets from the issue)"
printf '%-52s %12s %12s\n' "measure" "value" "target"
printf '%-52s %12s %12s\n' "ed25519 verify /s (baseline)" "$(f "$nb" verify_per_s)" ""
printf '%-52s %12s %12s\n' "mempool admission /s (decode+verify+read+insert)" "$(f "$nb" admit_per_s)" ""
printf '%-52s %12s %12s\n' "native transfers: Executor::apply only, tx/s" "$(f "$nb" native_apply_per_s)" ""
printf '%-52s %12s %12s\n' "native transfers: Chain::produce, tx/s" "$(f "$nb" native_produce_per_s)" ">= 20000"
printf '%-52s %12s %12s\n' "token transfers: Executor::apply only, tx/s" "$(f "$nb" token_apply_per_s)" ""
printf '%-52s %12s %12s\n' "token transfers: Chain::produce, tx/s" "$(f "$nb" token_produce_per_s)" ">= 20000"
printf '%-52s %12s %12s\n' "RPC native transfers submitted/s" "$(f "$e2e_native" submit_per_s)" ""
printf '%-52s %12s %12s\n' "RPC native transfers committed/s (end to end)" "$(f "$e2e_native" commit_per_s)" ">= 5000"
printf '%-52s %12s %12s\n' "RPC token transfers submitted/s" "$(f "$e2e_token" submit_per_s)" ""
printf '%-52s %12s %12s\n' "RPC token transfers committed/s (end to end)" "$(f "$e2e_token" commit_per_s)" ">= 5000"
for m in acct call acct1 call1; do
  r=$(grep '^RESULT' "$tmp/$m.txt")
  printf '%-52s %12s %12s\n' "ward_$(f "$r" method) x$(f "$r" conns) conns: req/s | p50 ms | p99 ms" \
    "$(f "$r" req_per_s)" "$(f "$r" p50_ms) | $(f "$r" p99_ms)"
done
if [ -n "$soak_line" ]; then
  printf '%-52s %12s %12s\n' "soak: RSS after 10k / end (KiB)" "$(f "$soak_line" rss_warm_kib) / $(f "$soak_line" rss_end_kib)" ""
  printf '%-52s %12s %12s\n' "soak: RSS ratio end / 10k ($(f "$soak_line" soak_requests) requests)" "$(f "$soak_line" ratio)" "<= 1.05"
fi
echo "==> log: $log"
