#!/usr/bin/env bash
# Gas, module size and wall time per Transfer of the token in each contract
# language (examples/token: C++, Rust, AssemblyScript, Go) on both backends,
# through bench/lang_bench (the embedding API's executor: no process start,
# no RPC). By hand:
#
#   bench/lang_bench.sh WARD LANG_BENCH [CALLS]
#
# WARD builds the tokens (`ward build`, toolchains from scripts/install-deps);
# LANG_BENCH is the lang_bench binary (make bench builds it). The Go token's
# AOT compile takes minutes (docs/languages.md); LANG_BENCH_GO_AOT=0 skips it.
set -euo pipefail
ward=$(realpath "${1:?usage: lang_bench.sh WARD LANG_BENCH [CALLS]}")
bench=$(realpath "${2:?usage: lang_bench.sh WARD LANG_BENCH [CALLS]}")
calls=${3:-1000}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
export WARD_AOT_CACHE=${WARD_AOT_CACHE:-$work/aot-cache}

declare -A src=([cpp]="$root/examples/token/token.cpp" [rust]="$root/examples/token/rust"
  [as]="$root/examples/token/as/token.ts" [go]="$root/examples/token/go/token.go")
bob=0x0000000000000000000000000000000000000b0b
printf '%-5s %-7s %10s %12s %10s %10s %12s %12s\n' lang backend bytes 'first gas' 'gas/call' 'gas max' 'us/call med' 'us/call min'
for l in cpp rust as go; do
  "$ward" build "${src[$l]}" -o "$work/token-$l.wasm" > "$work/build-$l.log" 2>&1 ||
    { tail -n 20 "$work/build-$l.log"; echo "lang_bench: building the $l token failed"; exit 1; }
  for b in interp aot; do
    if [ "$l" = go ] && [ "$b" = aot ] && [ "${LANG_BENCH_GO_AOT:-1}" = 0 ]; then continue; fi
    n=$calls; [ "$l" = go ] && n=$(( calls / 20 > 0 ? calls / 20 : 1 ))  # ~2.3M gas a call
    line=$("$bench" --backend $b --wasm "$work/token-$l.wasm" --init Initialize \
      --init-args '{"total_supply": 1000000}' --method Transfer --args "{\"to\": \"$bob\", \"amount\": 1}" \
      --calls "$n" --reps 5)
    printf '%-5s %-7s %10s %12s %10s %10s %12s %12s\n' "$l" "$b" $(echo "$line" |
      jq -r '[.module_bytes, .first_call_gas, .gas_per_call, .gas_max, .us_per_call_median, .us_per_call_min] | map(tostring) | join(" ")')
  done
done
