#!/usr/bin/env bash
# Runs a local Ward cluster (docs/cluster.md): 3 etcd members and 3 nodes of
# one chain on loopback, in the foreground; Ctrl-C stops every process.
#
#   scripts/cluster.sh [WARD]        WARD: the ward binary (default: build/bin/ward, else `ward` on PATH)
#
# Environment: DIR (work folder, default a new temporary one, kept after
# exit so the chain can be restarted), BASE_PORT (default 23790: etcd clients
# on BASE..BASE+2, etcd peers on BASE+10..+12, node RPC on BASE+20..+22),
# BLOCK_TIME (ms, default 200).
# The producer key `prod` (an unencrypted test key) and a funded key `alice`
# are created in DIR/keys; send with e.g.
#   ward transfer 0x00...aa 5 --node http://127.0.0.1:23810 --key alice --keystore DIR/keys
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
ward=${1:-}
if [ -z "$ward" ]; then
  if [ -x "$here/../build/bin/ward" ]; then ward="$here/../build/bin/ward"; else ward=$(command -v ward || true); fi
fi
[ -n "$ward" ] && [ -x "$ward" ] || { echo "cluster.sh: no ward binary (build it, or pass its path)"; exit 1; }
command -v etcd >/dev/null || { echo "cluster.sh: needs etcd (Debian etcd-server: scripts/install-deps)"; exit 1; }
command -v jq >/dev/null || { echo "cluster.sh: needs jq"; exit 1; }

DIR=${DIR:-$(mktemp -d "${TMPDIR:-/tmp}/ward-cluster.XXXXXX")}
BASE_PORT=${BASE_PORT:-23790}
BLOCK_TIME=${BLOCK_TIME:-200}
CHAIN=ward-local-cluster
mkdir -p "$DIR"
pids=()
stop_all() {
  trap - EXIT INT TERM
  echo
  echo "cluster.sh: stopping"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "cluster.sh: stopped; data kept in $DIR (DIR=$DIR $0 restarts it)"
}
trap stop_all EXIT
trap 'exit 130' INT TERM

initial="" endpoints=""
for i in 0 1 2; do
  initial+="${initial:+,}e$i=http://127.0.0.1:$((BASE_PORT + 10 + i))"
  endpoints+="${endpoints:+,}http://127.0.0.1:$((BASE_PORT + i))"
done
state=new
[ -d "$DIR/etcd0" ] && state=existing
for i in 0 1 2; do
  c=$((BASE_PORT + i)) p=$((BASE_PORT + 10 + i))
  etcd --name "e$i" --data-dir "$DIR/etcd$i" \
    --listen-client-urls "http://127.0.0.1:$c" --advertise-client-urls "http://127.0.0.1:$c" \
    --listen-peer-urls "http://127.0.0.1:$p" --initial-advertise-peer-urls "http://127.0.0.1:$p" \
    --initial-cluster "$initial" --initial-cluster-state "$state" --initial-cluster-token ward-local \
    >"$DIR/etcd$i.log" 2>&1 &
  pids+=($!)
done
for i in 0 1 2; do
  for _ in $(seq 100); do
    curl -s -m 1 "http://127.0.0.1:$((BASE_PORT + i))/health" | grep -q '"health":"true"' && break
    sleep 0.1
  done
done
echo "cluster.sh: etcd members on $endpoints"

if [ ! -e "$DIR/genesis.json" ]; then
  "$ward" keys new prod --insecure-plaintext --keystore "$DIR/keys" >/dev/null
  "$ward" keys new alice --insecure-plaintext --keystore "$DIR/keys" >/dev/null
  prod=$("$ward" keys show prod --keystore "$DIR/keys" --json | jq -r .address)
  alice=$("$ward" keys show alice --keystore "$DIR/keys" --json | jq -r .address)
  cat >"$DIR/genesis.json" <<EOF
{"chain_id": "$CHAIN", "genesis_time_ms": "$(date +%s%3N)", "producer": "$prod",
 "min_gas_price": "1", "block_gas_limit": "100000000", "balances": {"$alice": "1000000000000000"}}
EOF
fi

for i in 0 1 2; do
  port=$((BASE_PORT + 20 + i))
  "$ward" node --data "$DIR/node$i" --genesis "$DIR/genesis.json" --producer-key prod --keystore "$DIR/keys" \
    --rpc "127.0.0.1:$port" --block-time "$BLOCK_TIME" --etcd "$endpoints" --chain "$CHAIN" --state-sync \
    2> >(sed -u "s/^/[node$i] /" >&2) &
  pids+=($!)
  echo "cluster.sh: node $i on http://127.0.0.1:$port"
done
echo "cluster.sh: chain '$CHAIN'; keys in $DIR/keys (alice is funded); Ctrl-C stops everything"
wait
