#!/usr/bin/env bash
# Crash test of `ward node` (tests/node/README.md).
#
#   crash_test.sh WARD            KILLS=30 by default (the CTest quick tier)
#   KILLS=1000 crash_test.sh WARD the full tier
#
# Environment: KILLS (default 30), SEED (bash RANDOM seed, default: random,
# printed), MIN_DELAY_MS / MAX_DELAY_MS (default 50 / 800), RECIPIENTS
# (default 3), KEEP_FAILED=1 keeps the work folder (data, logs) of a failed
# run and prints its path.
#
# A dev node runs on a temporary data folder; a client streams signed
# transfers from `dev` to a few fresh addresses (`ward transfer --no-wait`)
# while the node is killed with SIGKILL at random instants and restarted on
# the same folder and keystore (port 0 each time). After every restart:
#   - the node opens (Chain::open verifies the head) within 30 s;
#   - the head height never goes back, and every height seen so far keeps
#     its block hash (recorded the first time the height was seen);
#   - the balances of dev and the recipients (dev is the producer: fees go
#     back to it) sum to their genesis total, read at one height;
#   - every transaction seen with a height (ward_getTransaction: pending
#     false, height H) is still there at the same height.
# Any violation stops the run with exit 1 and the evidence. Success ends
# with "crash test: K kills, N blocks, M transactions confirmed, 0 lost".
set -uo pipefail

ward=$(realpath "${1:?usage: crash_test.sh WARD}")
KILLS=${KILLS:-30}
MIN_DELAY_MS=${MIN_DELAY_MS:-50}
MAX_DELAY_MS=${MAX_DELAY_MS:-800}
RECIPIENTS=${RECIPIENTS:-3}
SEED=${SEED:-$(( $(date +%s%N) % 1000000 ))}
RANDOM=$SEED
for tool in curl jq; do
  command -v $tool >/dev/null || { echo "crash test: needs $tool (scripts/install-deps)"; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/ward-crash.XXXXXX")
data="$work/data"; ks="$work/keys"
node_pid=""; streamer_pid=""; failed=0

cleanup() {
  touch "$work/stop"
  if [ -n "$streamer_pid" ] && kill -0 "$streamer_pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$streamer_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$streamer_pid" 2>/dev/null
  fi
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -9 "$node_pid" 2>/dev/null; wait "$node_pid" 2>/dev/null
  fi
  # The streamer's current `ward transfer`, if it had to be killed mid-call.
  if [ -s "$work/client.pid" ]; then kill -9 "$(cat "$work/client.pid")" 2>/dev/null; fi
  if [ "$failed" = 1 ] && [ "${KEEP_FAILED:-0}" = 1 ]; then
    echo "crash test: work folder kept: $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
  failed=1
  echo "crash test: FAILED after $kills kills (seed $SEED): $*"
  echo "--- last node log ($log) ---"; tail -n 20 "$log" 2>/dev/null
  exit 1
}

url=""; log=""; starts=0; kills=0
start_node() {
  starts=$((starts + 1))
  log="$work/node.$starts.log"
  : > "$log"  # exists before the loop below reads it
  "$ward" node --dev --data "$data" --keystore "$ks" --rpc 127.0.0.1:0 2>"$log" >/dev/null &
  node_pid=$!
  local port=""
  for _ in $(seq 300); do
    port=$(sed -n 's|.*rpc listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$log")
    [ -n "$port" ] && break
    kill -0 "$node_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$port" ]; then
    kill -0 "$node_pid" 2>/dev/null && kill -9 "$node_pid"
    wait "$node_pid" 2>/dev/null; local rc=$?
    node_pid=""
    fail "the node did not open (start $starts, exit status $rc): $(grep -v '^ward node: created' "$log" | tail -n 3 | tr '\n' ' ')"
  fi
  url="http://127.0.0.1:$port"
  echo "$url" > "$work/url.tmp" && mv "$work/url.tmp" "$work/url"
}

# rpc BODY: POSTs a request or batch; prints the response (empty on failure).
rpc() { curl -sS -m 20 -H 'Content-Type: application/json' --data-binary @- "$url" <<<"$1" 2>/dev/null; }

# --- setup -------------------------------------------------------------------
start_node
dev=$(sed -n "s|.*development key 'dev': address \(0x[0-9a-f]*\).*|\1|p" "$log" | head -n 1)
[ -n "$dev" ] || fail "no development address in the log"
accounts=("$dev")
for i in $(seq "$RECIPIENTS"); do
  a=$("$ward" keys new "r$i" --insecure-plaintext --keystore "$ks" --json 2>/dev/null | jq -r .address)
  [[ "$a" =~ ^0x[0-9a-f]{40}$ ]] || fail "cannot create recipient key r$i"
  accounts+=("$a")
done
recipients=("${accounts[@]:1}")

# sum_balances: prints "HEIGHT SUM" read at one height (retries while a block
# lands between the reads of one batch), or nothing.
sum_balances() {
  local batch="[" i=0 a out
  for a in "${accounts[@]}"; do
    [ $i -gt 0 ] && batch+=","
    batch+="{\"jsonrpc\":\"2.0\",\"id\":$i,\"method\":\"ward_getAccount\",\"params\":[\"$a\"]}"
    i=$((i + 1))
  done
  batch+="]"
  for _ in $(seq 20); do
    out=$(rpc "$batch" | jq -r '[.[].result] | if (map(.height) | unique | length) == 1
          then "\(.[0].height) \(map(.balance) | add)" else empty end' 2>/dev/null)
    [ -n "$out" ] && { echo "$out"; return; }
    sleep 0.05
  done
}
read -r _ supply <<<"$(sum_balances)"
[ -n "${supply:-}" ] || fail "cannot read the genesis balances"

# --- the client: a stream of transfers -----------------------------------------
(
  trap - EXIT INT TERM
  n=0
  while [ ! -e "$work/stop" ]; do
    u=$(cat "$work/url" 2>/dev/null)
    to=${recipients[$((RANDOM % ${#recipients[@]}))]}
    timeout 10 "$ward" transfer "$to" $((RANDOM % 1000 + 1)) --node "$u" --key dev --keystore "$ks" \
      --no-wait >"$work/client.out" 2>/dev/null &
    echo $! > "$work/client.pid"; wait $!; : > "$work/client.pid"
    out=$(cat "$work/client.out")
    h=$(sed -n 's/^tx: *\(0x[0-9a-f]\{64\}\).*/\1/p' <<<"$out")
    if [ -n "$h" ]; then echo "$h" >> "$work/sent"; n=$((n + 1)); else sleep 0.02; fi
  done
) &
streamer_pid=$!

# --- the checks ------------------------------------------------------------------
declare -A block_hash   # height -> hash, as first seen
declare -A confirmed    # tx hash -> height, as first seen
declare -A tries        # tx hash -> checks that found it missing
declare -a pending=()   # sent, not yet seen in a block
sent_read=0; max_height=-1; dropped=0; recent=()

# get_blocks HEIGHT...: prints "HEIGHT HASH" per height (batches of 100).
get_blocks() {
  local hs=("$@") i batch
  for ((i = 0; i < ${#hs[@]}; i += 100)); do
    batch=$(printf '%s\n' "${hs[@]:i:100}" | jq -sc 'map({jsonrpc:"2.0",id:.,method:"ward_getBlock",params:[.]})')
    rpc "$batch" | jq -r '.[] | "\(.id) \(.result.hash // "missing")"' 2>/dev/null
  done
}
# get_txs HASH...: prints "HASH HEIGHT|pending|missing".
get_txs() {
  local hs=("$@") i batch
  for ((i = 0; i < ${#hs[@]}; i += 100)); do
    batch=$(printf '%s\n' "${hs[@]:i:100}" | jq -Rsc 'split("\n") | map(select(length > 0)) |
            map({jsonrpc:"2.0",id:.,method:"ward_getTransaction",params:[.]})')
    rpc "$batch" | jq -r '.[] | "\(.id) \(if .result == null then "missing" elif .result.pending then "pending"
                                         else .result.height end)"' 2>/dev/null
  done
}

check() {
  local head_json head head_hash logged h got n line hash state sample old
  # The node's own view of its head at open.
  line=$(sed -n "s|.*chain 'ward-dev' head \([0-9]*\) \(0x[0-9a-f]*\).*|\1 \2|p" "$log" | head -n 1)
  read -r h hash <<<"$line"
  if [ -n "$h" ] && [ -n "${block_hash[$h]:-}" ] && [ "${block_hash[$h]}" != "$hash" ]; then
    fail "height $h reopened with hash $hash, was ${block_hash[$h]}"
  fi
  # The head through the CLI.
  head_json=$("$ward" block --node "$url" --json 2>&1) || fail "ward block failed: $head_json"
  head=$(jq -r .height <<<"$head_json"); head_hash=$(jq -r .hash <<<"$head_json")
  [[ "$head" =~ ^[0-9]+$ ]] || fail "ward block: no height in $head_json"
  [ "$head" -ge "$max_height" ] || fail "head went back: height $head after $max_height was seen"
  if [ -n "${block_hash[$head]:-}" ] && [ "${block_hash[$head]}" != "$head_hash" ]; then
    fail "height $head now has hash $head_hash, was ${block_hash[$head]}"
  fi
  # Heights seen before: every one (or, past 2,000, the newest 500 and a
  # random 300) must keep its hash.
  old=()
  if [ "$max_height" -ge 0 ]; then
    if [ "$max_height" -lt 2000 ]; then
      old=($(seq 0 "$max_height"))
    else
      old=($(seq $((max_height - 499)) "$max_height"))
      for _ in $(seq 300); do old+=($(( (RANDOM * 32768 + RANDOM) % (max_height - 499) ))); done
    fi
  fi
  n=0
  while read -r h got; do
    [ -n "$h" ] || continue
    n=$((n + 1))
    [ "$got" = "${block_hash[$h]}" ] || fail "height $h now has hash $got, was ${block_hash[$h]}"
  done < <(get_blocks "${old[@]}")
  [ "$n" -eq "${#old[@]}" ] || fail "read $n of ${#old[@]} earlier blocks"
  # New heights.
  if [ "$head" -gt "$max_height" ]; then
    n=0
    while read -r h got; do
      [ -n "$h" ] || continue
      [ "$got" != missing ] || fail "height $h below the head $head is missing"
      block_hash[$h]=$got; n=$((n + 1))
    done < <(get_blocks $(seq $((max_height + 1)) "$head"))
    [ "$n" -eq $((head - max_height)) ] || fail "read $n of $((head - max_height)) new blocks"
    max_height=$head
  fi
  # Conservation.
  read -r h got <<<"$(sum_balances)"
  [ -n "${got:-}" ] || fail "cannot read the balances"
  [ "$got" = "$supply" ] || fail "balances sum to $got at height $h, genesis total $supply"
  # Confirmed transactions keep their height (all of them up to 1,000, then
  # the newest 500 and a random 300 of the older ones).
  local all=("${!confirmed[@]}") check_list=()
  if [ "${#all[@]}" -le 1000 ]; then
    check_list=("${all[@]}")
  else
    check_list=("${recent[@]: -500}")
    for _ in $(seq 300); do check_list+=("${all[$(( (RANDOM * 32768 + RANDOM) % ${#all[@]} ))]}"); done
  fi
  n=0
  while read -r hash state; do
    [ -n "$hash" ] || continue
    n=$((n + 1))
    [ "$state" = "${confirmed[$hash]}" ] ||
      fail "transaction $hash was confirmed at height ${confirmed[$hash]}, now: $state"
  done < <(get_txs "${check_list[@]}")
  [ "$n" -eq "${#check_list[@]}" ] || fail "read $n of ${#check_list[@]} confirmed transactions"
  # Newly sent transactions: confirmed once seen in a block; given up after
  # three checks without (lost from the mempool by a kill: never confirmed).
  if [ -e "$work/sent" ]; then
    mapfile -t -s "$sent_read" new < "$work/sent"
    sent_read=$((sent_read + ${#new[@]}))
    pending+=("${new[@]}")
  fi
  local still=()
  if [ "${#pending[@]}" -gt 0 ]; then
    while read -r hash state; do
      [ -n "$hash" ] || continue
      if [[ "$state" =~ ^[0-9]+$ ]]; then
        confirmed[$hash]=$state; recent+=("$hash")
      else
        tries[$hash]=$(( ${tries[$hash]:-0} + 1 ))
        if [ "${tries[$hash]}" -ge 3 ]; then dropped=$((dropped + 1)); else still+=("$hash"); fi
      fi
    done < <(get_txs "${pending[@]}")
  fi
  pending=("${still[@]}")
}

check
started=$(date +%s)
for kills in $(seq "$KILLS"); do
  delay=$(( MIN_DELAY_MS + RANDOM % (MAX_DELAY_MS - MIN_DELAY_MS + 1) ))
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  kill -9 "$node_pid"; wait "$node_pid" 2>/dev/null; node_pid=""
  start_node
  check
  if [ $((kills % 50)) -eq 0 ] || [ "$kills" -eq "$KILLS" ]; then
    echo "crash test: $kills/$KILLS kills, head $max_height, ${#confirmed[@]} confirmed, $(( $(date +%s) - started )) s"
  fi
done
# A last full pass over every confirmed transaction.
n=0
while read -r hash state; do
  [ -n "$hash" ] || continue
  n=$((n + 1))
  [ "$state" = "${confirmed[$hash]}" ] || fail "transaction $hash was confirmed at height ${confirmed[$hash]}, now: $state"
done < <(get_txs "${!confirmed[@]}")
[ "$n" -eq "${#confirmed[@]}" ] || fail "read $n of ${#confirmed[@]} confirmed transactions"
[ "${#confirmed[@]}" -gt 0 ] || fail "no transaction was ever confirmed: the client did not get through"
echo "crash test: seed $SEED, $starts starts, ${#recent[@]} transactions sent and seen in blocks, $dropped sent but lost from the mempool by a kill (never confirmed)"
echo "crash test: $KILLS kills, $((max_height + 1)) blocks, ${#confirmed[@]} transactions confirmed, 0 lost"
