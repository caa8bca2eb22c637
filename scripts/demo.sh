#!/usr/bin/env bash
# The token demo: build examples/token (a token on objects: one account
# object per holder) with `ward build`, deploy it into a fresh local RocksDB
# state, initialise 1,000,000 tokens, transfer 1,000 to a second address,
# print both balances, the gas used and the events; then an escrow contract
# (examples/escrow) holding native value calls the token across contracts;
# an infinite loop stops with `out of gas`. Then the same token on a node:
# `ward node --dev` on a free loopback port, a deploy and a transfer as
# signed transactions, the receipt, the block and the events; the node is
# stopped at the end (and on any failure).
set -euo pipefail
ward=${1:-build/bin/ward}
root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/build/demo-state"
out="$root/build/demo"
alice=0x00000000000000000000000000000000000a11ce
bob=0x0000000000000000000000000000000000000b0b
buyer=0x00000000000000000000000000000000000b0b0b
mkdir -p "$out"
rm -rf "$state"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$'; printf ' %q' "$@"; printf '\n'; "$@"; }

step "1. build the contract (C++ -> wasm + ABI)"
run "$ward" build "$root/examples/token/token.cpp" -o "$out/token.wasm"

step "2. inspect it"
run "$ward" inspect "$out/token.wasm"

step "3. deploy into a fresh local state ($state) and initialise 1,000,000 tokens to $alice"
deploy_json=$("$ward" deploy "$out/token.wasm" --init Initialize --args '{"total_supply": 1000000}' \
  --from "$alice" --state "$state" --json)
echo "$deploy_json"
addr=$(printf '%s' "$deploy_json" | grep -o '"address": *"0x[0-9a-f]*"' | grep -o '0x[0-9a-f]*')

step "4. transfer 1,000 from $alice to $bob"
run "$ward" call "$addr" Transfer "{\"to\": \"$bob\", \"amount\": 1000}" --from "$alice" --state "$state"

step "5. a transfer larger than the balance is reverted and changes nothing"
run "$ward" call "$addr" Transfer "{\"to\": \"$alice\", \"amount\": 5000}" --from "$bob" --state "$state" || true

step "6. balances, each read by a new process from the RocksDB state"
run "$ward" call "$addr" GetBalance "{\"owner\": \"$alice\"}" --state "$state"
run "$ward" call "$addr" GetBalance "{\"owner\": \"$bob\"}" --state "$state"

step "7. a typed argument that does not decode is rejected with a precise message"
run "$ward" call "$addr" Transfer "{\"to\": \"$bob\", \"amount\": \"abc\"}" --from "$alice" --state "$state" || true

step "8. build and deploy an escrow; fund the buyer $buyer with native value"
run "$ward" build "$root/examples/escrow/escrow.cpp" -o "$out/escrow.wasm"
escrow=$("$ward" deploy "$out/escrow.wasm" --from "$alice" --state "$state" --json |
  grep -o '"address": *"0x[0-9a-f]*"' | grep -o '0x[0-9a-f]*')
echo "escrow: $escrow"
run "$ward" transfer "$buyer" 5000 --state "$state"

step "9. the buyer opens a deal: 2,000 native value held for $alice, who owes 300 tokens"
run "$ward" call "$escrow" Open "{\"seller\": \"$alice\", \"token\": \"$addr\", \"amount\": 300}" \
  --from "$buyer" --value 2000 --state "$state"

step "10. settling before the tokens arrive: the nested token call reverts, and so does Settle"
run "$ward" call "$escrow" Settle '[1]' --from "$alice" --state "$state" --trace || true

step "11. $alice sends the tokens to the escrow, then settles: escrow -> token.Transfer to the buyer"
run "$ward" call "$addr" Transfer "{\"to\": \"$escrow\", \"amount\": 300}" --from "$alice" --state "$state"
run "$ward" call "$escrow" Settle '[1]' --from "$alice" --state "$state" --trace

step "12. after the deal: the buyer holds 300 tokens, the escrow holds no value"
run "$ward" call "$addr" GetBalance "{\"owner\": \"$buyer\"}" --state "$state"
run "$ward" balance "$escrow" --state "$state"
run "$ward" call "$escrow" GetDeal '[1]' --state "$state"

step "13. an infinite loop stops with 'out of gas'; the process exits normally"
cat > "$out/spin.wat" <<'WAT'
(module (func (export "spin") (loop (br 0))))
WAT
wat2wasm "$out/spin.wat" -o "$out/spin.wasm"
run "$ward" run "$out/spin.wasm" spin --gas 100000 || true

printf '\nThe state stays in %s; try:\n  %s call %s GetBalance '"'"'{"owner": "%s"}'"'"' --state %s\n' \
  "$state" "$ward" "$addr" "$bob" "$state"

step "14. run a node: ward node --dev on a free loopback port (its own chain folder and keystore)"
node_dir="$root/build/demo-node"
rm -rf "$node_dir"
mkdir -p "$node_dir"
keystore="$node_dir/keys"
"$ward" node --dev --data "$node_dir/data" --keystore "$keystore" --rpc 127.0.0.1:0 > "$node_dir/node.log" 2>&1 &
node_pid=$!
stop_node() { kill -INT "$node_pid" 2>/dev/null || true; wait "$node_pid" 2>/dev/null || true; }
trap stop_node EXIT
url=""
for _ in $(seq 1 100); do
  url=$(grep -o 'rpc listening on http://127.0.0.1:[0-9]*' "$node_dir/node.log" | grep -o 'http://.*' || true)
  [ -n "$url" ] && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$node_dir/node.log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "the node did not start"; cat "$node_dir/node.log"; exit 1; }
cat "$node_dir/node.log"
run "$ward" chain-info --node "$url"

step "15. deploy the token with a signed transaction (key 'dev'); its ABI travels with it"
node_deploy=$("$ward" deploy "$out/token.wasm" --init Initialize --args '{"total_supply": 1000000}' \
  --node "$url" --key dev --keystore "$keystore" --json)
echo "$node_deploy"
node_token=$(printf '%s' "$node_deploy" | grep -o '"address": *"0x[0-9a-f]*"' | grep -o '0x[0-9a-f]*')

step "16. transfer 1,000 tokens to $bob, signed, waiting for inclusion"
transfer_json=$("$ward" call "$node_token" Transfer "{\"to\": \"$bob\", \"amount\": 1000}" \
  --node "$url" --key dev --keystore "$keystore" --json)
echo "$transfer_json"
tx=$(printf '%s' "$transfer_json" | grep -o '"tx_hash": *"0x[0-9a-f]*"' | grep -o '0x[0-9a-f]*')

step "17. the receipt, the block and the events, read back from the node"
run "$ward" tx "$tx" --node "$url"
run "$ward" block --node "$url"
run "$ward" events --contract "$node_token" --node "$url"
run "$ward" query "$node_token" GetBalance "{\"owner\": \"$bob\"}" --node "$url"

step "18. stop the node (SIGINT): it finishes its block and exits cleanly"
stop_node
trap - EXIT
tail -n 3 "$node_dir/node.log"
