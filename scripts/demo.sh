#!/usr/bin/env bash
# The token demo: build examples/token with `ward build`, deploy it into a
# fresh local RocksDB state, initialise 1,000,000 tokens, transfer 1,000 to a
# second address, and print both balances, the gas used and the events.
set -euo pipefail
ward=${1:-build/bin/ward}
root=$(cd "$(dirname "$0")/.." && pwd)
state="$root/build/demo-state"
out="$root/build/demo"
alice=0x00000000000000000000000000000000000a11ce
bob=0x0000000000000000000000000000000000000b0b
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

step "7. an infinite loop stops with 'out of gas'; the process exits normally"
cat > "$out/spin.wat" <<'WAT'
(module (func (export "spin") (loop (br 0))))
WAT
wat2wasm "$out/spin.wat" -o "$out/spin.wasm"
run "$ward" run "$out/spin.wasm" spin --gas 100000 || true

printf '\nThe state stays in %s; try:\n  %s call %s GetBalance '"'"'{"owner": "%s"}'"'"' --state %s\n' \
  "$state" "$ward" "$addr" "$bob" "$state"
