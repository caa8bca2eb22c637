#!/usr/bin/env bash
# bench/soak_getnonce.sh — memory soak of a node's RPC: starts a throw-away
# `ward node --dev`, sends SOAK_REQUESTS (default 1,000,000) ward_getNonce
# requests with bench's load_gen over SOAK_CONNS (default 8) keep-alive
# connections, and compares the node's VmRSS (/proc/PID/status) after the
# first SOAK_WARMUP (default 10,000) requests with the RSS at the end. Prints
# both and the ratio; exit 1 when the ratio exceeds 1.05 (or a request
# failed). Stops the node it started. Not part of `make test` (it is timed);
# node_run.sh runs it, or run it by hand:
#
#   bench/soak_getnonce.sh [BUILD_DIR]        # BUILD_DIR default build-bench
#   SOAK_REQUESTS=100000 bench/soak_getnonce.sh   # a quick tier
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=node_common.sh
. "$here/node_common.sh"
build=${1:-build-bench}
total=${SOAK_REQUESTS:-1000000}
warm=${SOAK_WARMUP:-10000}
conns=${SOAK_CONNS:-8}
limit=${SOAK_MAX_RATIO:-1.05}
ward=$build/bin/ward
gen=$build/bin/load_gen
for b in "$ward" "$gen"; do
  [ -x "$b" ] || { echo "soak_getnonce.sh: $b not found; build ward and load_gen in $build" >&2; exit 1; }
done
[ "$total" -gt "$warm" ] || { echo "soak_getnonce.sh: SOAK_REQUESTS must exceed SOAK_WARMUP" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ward-soak.XXXXXX")
cleanup() { stop_node; rm -rf "$tmp"; }
trap cleanup EXIT

start_node "$ward" "$tmp"
echo "==> soak: node pid $NODE_PID at $NODE_URL; $total ward_getNonce requests over $conns connections (load $(cut -d' ' -f1-3 /proc/loadavg))"
rss0=$(rss_kib "$NODE_PID")
"$gen" latency --url "$NODE_URL" --method getNonce --n "$warm" --conns "$conns" | grep -v '^RESULT'
rss_warm=$(rss_kib "$NODE_PID")
every=$(( (total - warm) / 10 ))
out=$("$gen" latency --url "$NODE_URL" --method getNonce --n $((total - warm)) --conns "$conns" \
  --rss-pid "$NODE_PID" --rss-every "$every") || { echo "$out"; echo "soak: requests failed" >&2; exit 1; }
printf '%s\n' "$out" | grep -v '^RESULT'
rss_end=$(rss_kib "$NODE_PID")
ratio=$(awk -v a="$rss_end" -v b="$rss_warm" 'BEGIN { printf "%.4f", a / b }')
rate=$(result_field "$(printf '%s\n' "$out" | grep '^RESULT')" req_per_s)
echo "soak: RSS at start ${rss0} KiB, after ${warm} requests ${rss_warm} KiB, after ${total} requests ${rss_end} KiB; ratio end/warm-up ${ratio} (limit ${limit})"
echo "RESULT soak_requests=$total rss_warm_kib=$rss_warm rss_end_kib=$rss_end ratio=$ratio req_per_s=$rate"
if awk -v r="$ratio" -v l="$limit" 'BEGIN { exit !(r > l) }'; then
  echo "soak: FAILED: RSS grew by more than $(awk -v l="$limit" 'BEGIN { printf "%.0f", (l - 1) * 100 }')%" >&2
  exit 1
fi
echo "soak: ok"
