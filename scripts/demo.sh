#!/usr/bin/env bash
# The token demo: build examples/token (a token on objects: one account
# object per holder) with `ward build`, deploy it into a fresh local RocksDB
# state, initialise 1,000,000 tokens, transfer 1,000 to a second address,
# print both balances, the gas used and the events; then an escrow contract
# (examples/escrow) holding native value calls the token across contracts;
# finally an infinite loop stops with `out of gas`.
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
