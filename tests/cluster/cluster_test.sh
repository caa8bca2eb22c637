#!/usr/bin/env bash
# Cluster and fault test of `ward node --etcd` (tests/cluster/README.md).
#
#   cluster_test.sh WARD TX_TOOL
#
# Starts 3 etcd members and 3 Ward nodes of one chain on free loopback
# ports, then, each step ending with every live node at the same head and
# state root and every acknowledged transaction (a receipt was returned) in
# a block on every live node:
#   1. transfers sent to all three nodes (followers forward to the leader);
#   2. kill -9 the leader: a new leader takes over (the failover time is
#      printed), transfers go on through the survivors;
#   3. SIGSTOP the new leader past its lease, transfers through the third
#      node (which takes over), SIGCONT: the paused node must not write a
#      block and follows;
#   4. the killed node restarts and catches up;
#   5. a follower is killed while FOLLOWER_BLOCKS (default 100) blocks are
#      made, one etcd member is killed meanwhile; the follower restarts and
#      catches up (blocks/s printed); etcd keeps ETCD_WINDOW (default 50)
#      blocks, so the older ones come from a peer's ward_getBlock;
#   6. a fresh node 4 starts late with --state-sync: it downloads the state
#      snapshot in chunks (SYNC_CHUNK_BYTES, paced by SYNC_DELAY_MS per chunk),
#      is killed with SIGKILL in the middle (STATE_SYNC_KILL=1), restarts,
#      resumes with the chunks already verified, and reaches the others'
#      head and state root; balances and nonces set before the snapshot
#      height read the same on it (the sync speed is printed);
#   7. with CHAOS_SECONDS > 0 (by hand): rounds of transfers while a random
#      node, etcd member, both or nothing is killed at a random moment;
#      victims restart after each round; all live nodes converge every 10
#      rounds and at the end, with no acknowledged transaction lost.
# Success ends with "cluster test: passed".
# Environment: FOLLOWER_BLOCKS, ETCD_WINDOW, GENESIS_ACCOUNTS (extra funded
# accounts: the state that step 6 syncs), SNAPSHOT_INTERVAL, SYNC_CHUNK_BYTES,
# SYNC_DELAY_MS, STATE_SYNC_KILL, CHAOS_SECONDS (step 7; 1800 for the
# 30-minute random fault run by hand), KEEP_FAILED=1 (keep the work folder of a failed run).
set -uo pipefail

ward=$(realpath "${1:?usage: cluster_test.sh WARD TX_TOOL}")
tool=$(realpath "${2:?usage: cluster_test.sh WARD TX_TOOL}")
FOLLOWER_BLOCKS=${FOLLOWER_BLOCKS:-100}
ETCD_WINDOW=${ETCD_WINDOW:-50}
GENESIS_ACCOUNTS=${GENESIS_ACCOUNTS:-3000}
SYNC_CHUNK_BYTES=${SYNC_CHUNK_BYTES:-1024}
SYNC_DELAY_MS=${SYNC_DELAY_MS:-40}
STATE_SYNC_KILL=${STATE_SYNC_KILL:-1}
CHAOS_SECONDS=${CHAOS_SECONDS:-0}
SNAPSHOT_INTERVAL=${SNAPSHOT_INTERVAL:-20}
[ -x "$ward" ] && [ -x "$tool" ] || { echo "cluster test: $ward or $tool is not an executable"; exit 1; }
for t in curl jq; do command -v $t >/dev/null || { echo "cluster test: needs $t (scripts/install-deps)"; exit 1; }; done
etcd_bin=$(command -v etcd || true)
[ -n "$etcd_bin" ] || { echo "cluster test: needs etcd (Debian etcd-server; scripts/install-deps)"; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/ward-cluster.XXXXXX")
CHAIN=ward-cluster-test
failed=0
declare -a node_pid node_url node_log etcd_pid
node_starts=0

cleanup() {
  for p in "${node_pid[@]}" "${etcd_pid[@]}" $(jobs -p); do
    [ -n "$p" ] || continue
    kill -CONT "$p" 2>/dev/null
    kill -9 "$p" 2>/dev/null
  done
  wait 2>/dev/null
  if [ "$failed" = 1 ] && [ "${KEEP_FAILED:-0}" = 1 ]; then echo "cluster test: work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  failed=1
  echo "cluster test: FAILED: $*"
  for i in 1 2 3 4; do
    [ -n "${node_log[$i]:-}" ] && { echo "--- node $i (${node_log[$i]}) ---"; tail -n 15 "${node_log[$i]}"; }
  done
  exit 1
}

now_ms() { date +%s%3N; }

# free_port VAR: sets VAR to a loopback port nobody listens on and not handed
# out before. Ports are drawn below the kernel's ephemeral range
# (ip_local_port_range), so an outgoing connection (etcd members dial each
# other) cannot take a port between this check and the listener's bind.
used_ports=" "
ephemeral_low=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
[ "$ephemeral_low" -gt 12000 ] 2>/dev/null || ephemeral_low=32768
free_port() {
  local p
  while true; do
    p=$((10000 + RANDOM % (ephemeral_low - 10000)))
    case "$used_ports" in *" $p "*) continue ;; esac
    used_ports+="$p "
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then printf -v "$1" '%s' "$p"; return; fi
  done
}

# --- etcd: 3 members ----------------------------------------------------------
declare -a cport pport
initial=""
for i in 1 2 3; do
  free_port "cport[$i]"; free_port "pport[$i]"
  initial+="${initial:+,}e$i=http://127.0.0.1:${pport[$i]}"
done
ETCD=""
for i in 1 2 3; do ETCD+="${ETCD:+,}http://127.0.0.1:${cport[$i]}"; done
start_etcd() {
  local i=$1
  "$etcd_bin" --name "e$i" --data-dir "$work/etcd$i" \
    --listen-client-urls "http://127.0.0.1:${cport[$i]}" --advertise-client-urls "http://127.0.0.1:${cport[$i]}" \
    --listen-peer-urls "http://127.0.0.1:${pport[$i]}" --initial-advertise-peer-urls "http://127.0.0.1:${pport[$i]}" \
    --initial-cluster "$initial" --initial-cluster-state new --initial-cluster-token "ward-test-$$" \
    >"$work/etcd$i.log" 2>&1 &
  etcd_pid[$i]=$!
}
# wait_etcd I: waits until member I answers healthy (15 s at most).
wait_etcd() {
  local i=$1 _
  for _ in $(seq 150); do
    curl -s -m 1 "http://127.0.0.1:${cport[$i]}/health" | grep -q '"health":"true"' && return 0
    sleep 0.1
  done
  tail -n 5 "$work/etcd$i.log"; fail "etcd member $i did not become healthy"
}
for i in 1 2 3; do start_etcd $i; done
for i in 1 2 3; do wait_etcd $i; done
echo "cluster test: 3 etcd members up ($ETCD)"

# --- keys and genesis -----------------------------------------------------------
PROD_SEED=0101010101010101010101010101010101010101010101010101010101010101
SEEDS=(x 1111111111111111111111111111111111111111111111111111111111111111
         2222222222222222222222222222222222222222222222222222222222222222
         3333333333333333333333333333333333333333333333333333333333333333)
"$ward" keys import prod --seed "$PROD_SEED" --insecure-plaintext --keystore "$work/keys" >/dev/null 2>&1 ||
  fail "cannot import the producer key"
PROD=$("$tool" --seed "$PROD_SEED" --address)
declare -a ADDR
for i in 1 2 3; do ADDR[$i]=$("$tool" --seed "${SEEDS[$i]}" --address); done
RECIPIENT=0x00000000000000000000000000000000000000aa
# GENESIS_ACCOUNTS more accounts 0x...01000000 + k with balance 1000 + k: a
# state of some size for the state sync of step 6.
extra=$(awk -v n="$GENESIS_ACCOUNTS" 'BEGIN { for (k = 1; k <= n; k++) printf ", \"0x%040x\": \"%d\"", 16777216 + k, 1000 + k }')
cat >"$work/genesis.json" <<EOF
{"chain_id": "$CHAIN", "genesis_time_ms": "1700000000000", "producer": "$PROD",
 "min_gas_price": "1", "block_gas_limit": "100000000",
 "balances": {"${ADDR[1]}": "1000000000000", "${ADDR[2]}": "1000000000000", "${ADDR[3]}": "1000000000000"$extra}}
EOF

# --- nodes ---------------------------------------------------------------------
# spawn_node I [ARGS...]: starts node I (snapshots every SNAPSHOT_INTERVAL blocks) without waiting.
spawn_node() {
  local i=$1; shift
  node_starts=$((node_starts + 1))
  node_log[$i]="$work/node$i.$node_starts.log"
  : >"${node_log[$i]}"
  "$ward" node --data "$work/n$i" --genesis "$work/genesis.json" --producer-key prod --keystore "$work/keys" \
    --rpc 127.0.0.1:0 --block-time 100 --etcd "$ETCD" --chain "$CHAIN" \
    --etcd-window "$ETCD_WINDOW" --snapshot-interval "$SNAPSHOT_INTERVAL" --snapshot-chunk-bytes "$SYNC_CHUNK_BYTES" "$@" \
    2>"${node_log[$i]}" >/dev/null &
  node_pid[$i]=$!
}
# start_node I [ARGS...]: starts node I and waits for its RPC port.
start_node() {
  spawn_node "$@"
  local i=$1
  local port=""
  for _ in $(seq 600); do
    port=$(sed -n 's|.*rpc listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "${node_log[$i]}")
    [ -n "$port" ] && break
    kill -0 "${node_pid[$i]}" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$port" ] || fail "node $i did not start: $(tail -n 3 "${node_log[$i]}" | tr '\n' ' ')"
  node_url[$i]="http://127.0.0.1:$port"
}
live=(1 2 3)
is_live() { case " ${live[*]} " in *" $1 "*) return 0 ;; esac; return 1; }
set_dead() { local n=() x; for x in "${live[@]}"; do [ "$x" != "$1" ] && n+=("$x"); done; live=("${n[@]}"); }
set_live() { is_live "$1" || live+=("$1"); }

rpc() { curl -sS -m 30 -H 'Content-Type: application/json' --data-binary @- "$1" <<<"$2" 2>/dev/null; }
info() { rpc "${node_url[$1]}" '{"jsonrpc":"2.0","id":1,"method":"ward_chainInfo","params":{}}' | jq -c .result 2>/dev/null; }

# leader_of NODES...: prints the node (of those given) that says it leads, or nothing.
leader_of() {
  local i
  for i in "$@"; do
    [ "$(info "$i" | jq -r '.cluster.role // empty')" = leader ] && { echo "$i"; return; }
  done
}
wait_leader() {
  local l="" _
  for _ in $(seq 200); do l=$(leader_of "$@"); [ -n "$l" ] && { echo "$l"; return; }; sleep 0.1; done
}

for i in 1 2 3; do start_node $i; done
leader=$(wait_leader 1 2 3)
[ -n "$leader" ] || fail "no node became leader"
echo "cluster test: 3 nodes up, node $leader leads"

# --- transactions ------------------------------------------------------------------
declare -a nonce=(x 0 0 0)
acked="$work/acked"; : >"$acked"
# send SENDER NODE...: the sender's next transfer, sent to the first node and
# resent (same bytes) to the next ones on failure; records the acknowledged
# hash. Returns 1 when no node acknowledged it within ~30 s.
send() {
  local s=$1; shift
  local tx out hash="" tries n
  tx=$("$tool" --seed "${SEEDS[$s]}" --chain "$CHAIN" --nonce "${nonce[$s]}" --expiry 3000 transfer "$RECIPIENT" 1)
  for tries in $(seq 60); do
    for n in "$@"; do
      out=$(rpc "${node_url[$n]}" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ward_sendTransaction\",\"params\":{\"tx\":\"$tx\",\"waitUntil\":\"included\",\"timeoutMs\":10000}}")
      hash=$(jq -r '.result.receipt.tx_hash // empty' <<<"$out" 2>/dev/null)
      if [ -z "$hash" ]; then
        # Refused or timed out: an earlier attempt may have been included
        # (a resend is then a duplicate or its nonce is taken).
        local h
        h=$(jq -r '.error.data.txHash // empty' <<<"$out" 2>/dev/null)
        if [ -n "$h" ] && [ "$(rpc "${node_url[$n]}" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ward_getReceipt\",\"params\":[\"$h\"]}" |
              jq -r '.result.tx_hash // empty' 2>/dev/null)" = "$h" ]; then
          hash=$h
        fi
      fi
      if [ -n "$hash" ]; then
        echo "$hash" >>"$acked"
        nonce[$s]=$((nonce[$s] + 1))
        return 0
      fi
      echo "send: sender $s nonce ${nonce[$s]} via node $n: $(head -c 300 <<<"$out")" >>"$work/send.log"
    done
    sleep 0.5
  done
  return 1
}
# load COUNT NODE...: each sender sends COUNT transfers, in parallel, sender i
# through its own node when that one is given (the others in turn on failure).
load() {
  local count=$1; shift
  local nodes=("$@") s k
  local pids=()
  for s in 1 2 3; do
    (
      local order=() n
      is_live "$s" && case " ${nodes[*]} " in *" $s "*) order=("$s") ;; esac
      for n in "${nodes[@]}"; do [ "$n" != "$s" ] && order+=("$n"); done
      for k in $(seq "$count"); do send "$s" "${order[@]}" || exit 1; done
      echo "${nonce[$s]}" >"$work/nonce.$s"
    ) &
    pids+=($!)
  done
  local rc=0 p
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  for s in 1 2 3; do [ -s "$work/nonce.$s" ] && nonce[$s]=$(cat "$work/nonce.$s"); done
  [ $rc = 0 ] || fail "a transfer was not acknowledged (see below)$(echo; tail -n 5 "$work/send.log")"
}

# converge NODES...: waits until the nodes agree on head and state root, then
# checks every acknowledged transaction is in a block on each.
converge() {
  local i heads roots h r _ ok=""
  for _ in $(seq 300); do
    heads=""; roots=""
    for i in "$@"; do
      h=$(rpc "${node_url[$i]}" '{"jsonrpc":"2.0","id":1,"method":"ward_getBlock","params":{"block":"latest"}}' |
          jq -r '"\(.result.height) \(.result.hash) \(.result.state_root)"' 2>/dev/null)
      heads+="$h"$'\n'
    done
    if [ "$(sort -u <<<"${heads%$'\n'}" | wc -l)" = 1 ] && ! grep -q null <<<"$heads"; then ok=1; break; fi
    sleep 0.1
  done
  [ -n "$ok" ] || fail "nodes $* do not reach one head: $(tr '\n' ';' <<<"$heads")"
  local missing=0 hash
  for i in "$@"; do
    [ "$(info "$i" | jq -r .halted)" = false ] || fail "node $i halted: $(info "$i" | jq -r .halt_reason)"
    # Batches of 50 (the node's --rpc-max-batch is 100).
    local k=0 m total=0 batch=""
    while read -r hash; do
      batch+="${batch:+,}{\"jsonrpc\":\"2.0\",\"id\":$k,\"method\":\"ward_getReceipt\",\"params\":[\"$hash\"]}"
      k=$((k + 1))
      if [ $((k % 50)) = 0 ]; then
        m=$(rpc "${node_url[$i]}" "[$batch]" | jq '[.[] | select(.result == null or .result.tx_hash == null)] | length')
        [ -n "$m" ] || fail "node $i: cannot read receipts"
        total=$((total + m)); batch=""
      fi
    done <"$acked"
    if [ -n "$batch" ]; then
      m=$(rpc "${node_url[$i]}" "[$batch]" | jq '[.[] | select(.result == null or .result.tx_hash == null)] | length')
      [ -n "$m" ] || fail "node $i: cannot read receipts"
      total=$((total + m))
    fi
    [ "$total" = 0 ] || fail "node $i lacks $total of $k acknowledged transactions"
  done
  read -r h _ r <<<"$(head -n 1 <<<"$heads")"
  echo "cluster test: nodes ${*} at height $h, state root $r, $(wc -l <"$acked") acknowledged transactions all present"
}

# 1. transactions sent to all nodes
load 5 1 2 3
converge 1 2 3

# 2. kill -9 the leader
old=$leader
kill -9 "${node_pid[$old]}"; wait "${node_pid[$old]}" 2>/dev/null; node_pid[$old]=""
t0=$(now_ms)
set_dead "$old"
leader=$(wait_leader "${live[@]}")
[ -n "$leader" ] || fail "no new leader after killing node $old"
t1=$(now_ms)
echo "cluster test: leader failover: node $old killed, node $leader leads after $((t1 - t0)) ms"
load 3 "${live[@]}"
t2=$(now_ms)
converge "${live[@]}"
echo "cluster test: first transfers after the kill acknowledged $((t2 - t0)) ms after it"

# 3. SIGSTOP the leader past its lease, SIGCONT
paused=$leader
other=""; for i in "${live[@]}"; do [ "$i" != "$paused" ] && other=$i; done
produced_before=$(grep -cE 'ward node: block [0-9]+ txs' "${node_log[$paused]}")
kill -STOP "${node_pid[$paused]}"
set_dead "$paused"
sleep 7  # past the 5 s lease
leader=$(wait_leader "$other")
[ "$leader" = "$other" ] || fail "node $other did not take over from the paused node $paused"
load 2 "$other"
kill -CONT "${node_pid[$paused]}"
set_live "$paused"
sleep 2
load 2 "${live[@]}"
converge "${live[@]}"
produced_after=$(grep -cE 'ward node: block [0-9]+ txs' "${node_log[$paused]}")
[ "$produced_after" = "$produced_before" ] ||
  fail "the paused node $paused wrote $((produced_after - produced_before)) blocks after it resumed"
[ "$(info "$paused" | jq -r .cluster.role)" = follower ] || fail "the resumed node $paused still claims to lead"
echo "cluster test: paused leader $paused resumed as a follower without writing a block"

# 4. the killed node restarts and catches up
start_node "$old"
set_live "$old"
converge "${live[@]}"

# 5. a follower down for FOLLOWER_BLOCKS blocks (and an etcd member killed meanwhile)
leader=$(wait_leader "${live[@]}")
down=""; for i in "${live[@]}"; do [ "$i" != "$leader" ] && down=$i; done
kill -9 "${node_pid[$down]}"; wait "${node_pid[$down]}" 2>/dev/null; node_pid[$down]=""
set_dead "$down"
kill -9 "${etcd_pid[3]}"; wait "${etcd_pid[3]}" 2>/dev/null; etcd_pid[3]=""
echo "cluster test: node $down and etcd member 3 killed"
down_height=$(info "$leader" | jq -r .head_height)
target=$((down_height + FOLLOWER_BLOCKS))
while [ "$(info "$leader" | jq -r .head_height)" -lt "$target" ]; do load 3 "${live[@]}"; done
converge "${live[@]}"
tip=$(info "$leader" | jq -r .head_height)
c0=$(now_ms)
start_node "$down"
set_live "$down"
for _ in $(seq 600); do
  [ "$(info "$down" | jq -r .head_height)" -ge "$tip" ] && break
  sleep 0.05
done
c1=$(now_ms)
[ "$(info "$down" | jq -r .head_height)" -ge "$tip" ] || fail "node $down did not catch up to $tip"
blocks=$((tip - down_height))
echo "cluster test: catch-up: node $down applied $blocks blocks in $((c1 - c0)) ms (process start included):" \
  "$(awk -v b=$blocks -v ms=$((c1 - c0)) 'BEGIN { printf "%.0f", b * 1000 / (ms > 0 ? ms : 1) }') blocks/s"
sleep 0.5
grep -hE 'caught up|fetched blocks' "${node_log[$down]}" | sed 's/^/  /'
if [ "$FOLLOWER_BLOCKS" -gt "$ETCD_WINDOW" ]; then
  grep -q 'fetched blocks' "${node_log[$down]}" ||
    fail "node $down was $FOLLOWER_BLOCKS blocks behind (etcd keeps $ETCD_WINDOW) but fetched none from a peer"
fi
load 2 "${live[@]}"
converge "${live[@]}"

# 6. a fresh node state-syncs; killed in the middle, it resumes and converges
# same_head NODES...: waits until the nodes agree on head and state root.
same_head() {
  local i heads h _
  for _ in $(seq 300); do
    heads=""
    for i in "$@"; do
      h=$(rpc "${node_url[$i]}" '{"jsonrpc":"2.0","id":1,"method":"ward_getBlock","params":{"block":"latest"}}' |
          jq -r '"\(.result.height) \(.result.hash) \(.result.state_root)"' 2>/dev/null)
      heads+="$h"$'\n'
    done
    if [ "$(sort -u <<<"${heads%$'\n'}" | wc -l)" = 1 ] && ! grep -q null <<<"$heads"; then return 0; fi
    sleep 0.1
  done
  fail "nodes $* do not reach one head: $(tr '\n' ';' <<<"$heads")"
}
account() { rpc "${node_url[$1]}" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ward_getAccount\",\"params\":[\"$2\"]}" | jq -c '[.result.balance, .result.nonce]'; }
export WARD_STATE_SYNC_CHUNK_DELAY_MS=$SYNC_DELAY_MS
if [ "$STATE_SYNC_KILL" = 1 ]; then
  spawn_node 4 --state-sync
  killed=""
  for _ in $(seq 600); do
    grep -qE 'state sync: [0-9]+/[0-9]+ chunks \((20|30|40|50)%\)' "${node_log[4]}" && { killed=1; break; }
    kill -0 "${node_pid[4]}" 2>/dev/null || break
    sleep 0.05
  done
  [ -n "$killed" ] || fail "node 4 did not start a state sync: $(tail -n 3 "${node_log[4]}" | tr '\n' ' ')"
  kill -9 "${node_pid[4]}"; wait "${node_pid[4]}" 2>/dev/null; node_pid[4]=""
  grep -q 'state sync: synced' "${node_log[4]}" && fail "node 4 finished its sync before the kill (make SYNC_DELAY_MS larger)"
  echo "cluster test: node 4 killed in the middle of state sync ($(grep -oE '[0-9]+/[0-9]+ chunks' "${node_log[4]}" | tail -n 1))"
  [ -d "$work/n4.sync" ] || fail "node 4 left no staging store to resume from"
fi
start_node 4 --state-sync
set_live 4
grep -hE 'state sync: (resuming|downloading|synced)' "${node_log[4]}" | sed 's/^/  /'
if [ "$STATE_SYNC_KILL" = 1 ]; then
  grep -q 'state sync: resuming: [1-9][0-9]* of' "${node_log[4]}" || fail "node 4 did not resume its interrupted sync"
fi
base=$(info 4 | jq -r .cluster.state_sync_base)
[ "$base" -gt 0 ] 2>/dev/null || fail "node 4 did not state-sync (state_sync_base $base)"
grep -q "state sync: synced to height $base " "${node_log[4]}" || fail "node 4's log does not say it synced to $base"
[ ! -e "$work/n4.sync" ] && [ ! -e "$work/n4.sync-done" ] || fail "node 4 left its staging store behind"
same_head "${live[@]}"
leader=$(wait_leader "${live[@]}")
for a in "${ADDR[1]}" "$RECIPIENT" "$(printf '0x%040x' $((16777216 + GENESIS_ACCOUNTS)))"; do
  [ "$(account 4 "$a")" = "$(account "$leader" "$a")" ] || fail "account $a differs on node 4: $(account 4 "$a") vs $(account "$leader" "$a")"
done
err=$(rpc "${node_url[4]}" '{"jsonrpc":"2.0","id":1,"method":"ward_getBlock","params":{"block":1}}' | jq -r .error.message)
[[ "$err" == "block 1 is before this node's state-sync base $base"* ]] || fail "ward_getBlock 1 on node 4 answered: $err"
n_before=$(wc -l <"$acked")
load 2 4 "$leader"
same_head "${live[@]}"
tail -n +$((n_before + 1)) "$acked" | while read -r hash; do
  [ "$(rpc "${node_url[4]}" "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ward_getReceipt\",\"params\":[\"$hash\"]}" | jq -r .result.tx_hash)" = "$hash" ] ||
    { echo "missing $hash"; exit 1; }
done || fail "node 4 lacks a transaction sent after its sync"
echo "cluster test: node 4 state-synced at height $base and follows: $(info 4 | jq -c '{head_height, state_sync_base: .cluster.state_sync_base}')"

# 7. random faults for CHAOS_SECONDS (0 in make test): rounds of transfers
# through the live nodes while, at a random moment of each round, a random
# node, a random etcd member, both or nothing is killed with SIGKILL; the
# victims restart after the round; every 10 rounds and at the end all live
# nodes must agree on head and root and hold every acknowledged transaction.
if [ "$CHAOS_SECONDS" -gt 0 ]; then
  declare -A faults=([node]=0 [etcd]=0 [both]=0 [none]=0)
  rounds=0
  # Node 4 holds no receipts below its state-sync base: from here on the
  # receipt check covers the transactions of this step.
  acked="$work/acked.chaos"; : >"$acked"
  [ -n "${etcd_pid[3]}" ] || { start_etcd 3; wait_etcd 3; }
  chaos_end=$(( $(date +%s) + CHAOS_SECONDS ))
  while [ "$(date +%s)" -lt "$chaos_end" ]; do
    rounds=$((rounds + 1))
    victim_node=""; victim_etcd=""
    case $((RANDOM % 4)) in
      0) victim_node=${live[RANDOM % ${#live[@]}]}; faults[node]=$((faults[node] + 1)) ;;
      1) victim_etcd=$((1 + RANDOM % 3)); faults[etcd]=$((faults[etcd] + 1)) ;;
      2) victim_node=${live[RANDOM % ${#live[@]}]}; victim_etcd=$((1 + RANDOM % 3)); faults[both]=$((faults[both] + 1)) ;;
      *) faults[none]=$((faults[none] + 1)) ;;
    esac
    delay_ms=$((RANDOM % 3000))
    (
      sleep "$(awk -v ms=$delay_ms 'BEGIN { printf "%.3f", ms / 1000 }')"
      [ -n "$victim_node" ] && kill -9 "${node_pid[$victim_node]}" 2>/dev/null
      [ -n "$victim_etcd" ] && kill -9 "${etcd_pid[$victim_etcd]}" 2>/dev/null
      exit 0
    ) &
    fault_pid=$!
    load 2 "${live[@]}"
    wait "$fault_pid"
    if [ -n "$victim_node" ]; then
      wait "${node_pid[$victim_node]}" 2>/dev/null
      start_node "$victim_node"
    fi
    if [ -n "$victim_etcd" ]; then
      wait "${etcd_pid[$victim_etcd]}" 2>/dev/null
      start_etcd "$victim_etcd"; wait_etcd "$victim_etcd"
    fi
    if [ $((rounds % 10)) = 0 ]; then
      converge "${live[@]}"
      echo "cluster test: chaos round $rounds: faults node ${faults[node]}, etcd ${faults[etcd]}, both ${faults[both]}, none ${faults[none]}"
    fi
  done
  converge "${live[@]}"
  echo "cluster test: chaos: $rounds rounds in ${CHAOS_SECONDS} s (node kills ${faults[node]}, etcd member kills ${faults[etcd]}," \
    "both ${faults[both]}, none ${faults[none]}); $(wc -l <"$acked") acknowledged transactions on every node"
fi
echo "cluster test: passed"
