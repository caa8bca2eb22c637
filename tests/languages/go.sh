#!/usr/bin/env bash
# Go contracts (docs/languages.md): builds the Go token and counter
# (examples/{token,counter}/go), runs the token scenario of run.sh on the Go
# token and on the C++ token, and compares statuses, events, errors, balances
# and the supply (the Go token is govm's: Initialize returns the issuer's
# balance object id, GetBalance takes a balance object id); checks that
# `ward deploy token.go` gives the built module's code hash (same source,
# same bytes), that `--backend auto` does not wait for an AOT compile, and
# the Go front end's source errors (file:line). Prints module size, gas and
# wall time per call.
#   go.sh WARD           the interpreter (make test)
#   go.sh WARD aot       also the AOT backend, with identical gas (by hand:
#                        the AOT compile of a Go module takes minutes)
set -uo pipefail
ward=$(realpath "$1")
with_aot=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
export WARD_AOT_CACHE=$work/aot-cache
fail() { echo "languages_go: FAIL: $*"; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

contract=0x4607ba00a6758e3030f5fccd0cefbddb3511568d
bob=0x0000000000000000000000000000000000000b0b
nobody=0x$(printf 'ff%.0s' {1..20})

t0=$(now)
"$ward" build "$root/examples/token/go/token.go" -o token-go.wasm --json > build-token-go.json 2> build.err ||
  { cat build.err; fail "building the Go token"; }
t1=$(now)
"$ward" build "$root/examples/counter/go/counter.go" -o counter-go.wasm --json > build-counter-go.json 2> build.err ||
  { cat build.err; fail "building the Go counter"; }
"$ward" build "$root/examples/token/token.cpp" -o token-cpp.wasm --json > /dev/null 2> build.err ||
  { cat build.err; fail "building the C++ token"; }
echo "built the Go token in $(secs "$t0" "$t1") s"

# The ABI: govm's signatures, readonly from `ward:view`.
[ "$(jq -c '[.methods[] | {name, params: [.params[].type], returns, readonly}]' token-go.abi.json)" = \
  '[{"name":"Initialize","params":["u64"],"returns":"object_id","readonly":false},{"name":"CreateAccount","params":[],"returns":"object_id","readonly":false},{"name":"Transfer","params":["address","u64"],"returns":null,"readonly":false},{"name":"GetBalance","params":["object_id"],"returns":"u64","readonly":true},{"name":"AccountOf","params":["address"],"returns":"object_id","readonly":true},{"name":"TotalSupply","params":[],"returns":"u64","readonly":true}]' ] ||
  { cat token-go.abi.json; fail "unexpected Go token ABI"; }
imports=$(wasm-objdump -x -j Import token-go.wasm | grep -o '<- [a-z_0-9]*\.[a-z_0-9]*' | sort -u | tr '\n' ' ')
case "$imports" in *ward_v1.method_read*wasi_snapshot_preview1.poll_oneoff*) ;;
  *) fail "the Go token's imports lack method_read or poll_oneoff: $imports" ;; esac

# The scenario; for Go the balance of bob is read through his object id.
scenario_cpp() {  # BACKEND
  local s="--state st-cpp-$1 --backend $1 --json"
  "$ward" deploy token-cpp.wasm --init Initialize --args '{"total_supply": 1000000}' $s
  "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 1000}" $s
  "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 99999999}" $s
  "$ward" call $contract GetBalance "{\"owner\": \"$bob\"}" $s
  "$ward" call $contract GetBalance "{\"owner\": \"$nobody\"}" $s
  "$ward" call $contract TotalSupply '{}' $s
  "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 1}" --value 5 $s
}
scenario_go() {  # BACKEND
  local s="--state st-go-$1 --backend $1 --json" id
  "$ward" deploy token-go.wasm --init Initialize --args '{"total_supply": 1000000}' $s
  "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 1000}" $s
  "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 99999999}" $s
  id=$("$ward" call $contract AccountOf "{\"owner\": \"$bob\"}" $s | jq -r .result)
  "$ward" call $contract GetBalance "{\"balanceID\": \"$id\"}" $s
  "$ward" call $contract GetBalance "{\"balanceID\": \"0x$(printf '00%.0s' {1..31})01\"}" $s
  "$ward" call $contract TotalSupply '{}' $s
  "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 1}" --value 5 $s
}
summary() { jq -c '{status, result, events, error, gas_used}'; }

scenario_cpp interp > run-cpp.txt 2>&1
summary < run-cpp.txt > sum-cpp.json 2>/dev/null || { cat run-cpp.txt; fail "C++: output is not JSON"; }
backends="interp"
if [ "$with_aot" = aot ]; then
  backends="interp aot"
  # The first AOT run compiles the module (cached in WARD_AOT_CACHE after).
  t0=$(now)
  "$ward" deploy token-go.wasm --state st-aot-compile --backend aot --json > aot-compile.json 2>&1 ||
    { cat aot-compile.json; fail "deploy --backend aot"; }
  t1=$(now)
  echo "AOT compile + deploy of the Go token: $(secs "$t0" "$t1") s"
fi
for b in $backends; do
  t0=$(now)
  scenario_go $b > run-go-$b.txt 2>&1
  t1=$(now)
  echo "Go token scenario on $b: $(secs "$t0" "$t1") s for 8 commands"
  summary < run-go-$b.txt > sum-go-$b.json 2>/dev/null || { cat run-go-$b.txt; fail "Go on $b: output is not JSON"; }
done
if [ "$with_aot" = aot ]; then
  diff sum-go-interp.json sum-go-aot.json > /dev/null ||
    { diff sum-go-interp.json sum-go-aot.json; fail "Go: interp and aot differ (gas must be identical)"; }
  echo "Go: results, events and gas identical on interp and aot"
fi

# Compare with C++: statuses, events and errors of every step; the results
# of the balance and supply reads; Initialize's result is the issuer's
# balance object (the account of its AccountCreated event).
jq -c '{status, events, error}' < sum-cpp.json > cmp-cpp.json
jq -c '{status, events, error}' < sum-go-interp.json > cmp-go.json
diff cmp-cpp.json cmp-go.json > /dev/null ||
  { diff cmp-cpp.json cmp-go.json; fail "the Go token's statuses, events or errors differ from C++"; }
[ "$(jq -s -c '[.[3:6][] | .result]' < sum-cpp.json)" = "$(jq -s -c '[.[3:6][] | .result]' < sum-go-interp.json)" ] ||
  { jq -s -c '[.[] | .result]' < sum-cpp.json sum-go-interp.json; fail "the Go token's balances or supply differ from C++"; }
[ "$(jq -s -r '.[0].result' < sum-go-interp.json)" = "$(jq -s -r '.[0].events[] | select(.name == "AccountCreated") | .data.account' < sum-go-interp.json)" ] ||
  { head -1 sum-go-interp.json; fail "Initialize did not return the issuer's balance object id"; }
echo "token scenario: statuses, events, errors, balances and supply of the Go token identical to C++"

# The counter.
c=$("$ward" run counter-go.wasm Increment '{"by": 5}' --json)
[ "$(jq -r '.status + " " + (.result | tostring)' <<< "$c")" = "ok 5" ] || { echo "$c"; fail "Go counter Increment"; }

# `ward deploy SRC` builds the source first: the same bytes, the same code hash.
want=$(jq -s -r '.[0].code_hash' < run-go-interp.txt)
got=$("$ward" deploy "$root/examples/token/go/token.go" --state st-src --json 2> deploy-src.err | jq -r .code_hash)
[ "$got" = "$want" ] || { cat deploy-src.err; fail "ward deploy token.go: code hash $got, the built module's is $want"; }
echo "deploy from source: the built module's code hash"

# `--backend auto` runs on the interpreter while the AOT build goes on in the
# background: a deploy does not wait for the compile.
t0=$(now)
"$ward" deploy token-go.wasm --state st-auto --backend auto --json > auto.json 2>&1 ||
  { cat auto.json; fail "deploy --backend auto"; }
t1=$(now)
wall=$(secs "$t0" "$t1")
echo "deploy --backend auto: $wall s"
awk -v w="$wall" 'BEGIN { exit !(w < 60) }' || fail "deploy --backend auto took $wall s: it waited for the AOT compile"

# Figures: module size, gas per call, wall time per call.
g=($(jq -r .gas_used < sum-go-interp.json))
inc=$(jq -r .gas_used <<< "$c")
wall=""
for b in $backends; do  # wall time of one `ward call` Transfer (process, load, run)
  t0=$(now); for i in 1 2 3; do "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 1}" --state st-go-$b --backend $b --json > /dev/null; done; t1=$(now)
  wall="$wall $b $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f s", (b - a) / 3 }')"
done
printf '%-8s %8s %8s %8s %9s %10s %9s  %s\n' module bytes deploy Transfer overdraft GetBalance Increment 'wall/Transfer'
printf '%-8s %8s %8s %8s %9s %10s %9s %s\n' token "$(jq -r .size < build-token-go.json)" "${g[0]}" "${g[1]}" "${g[2]}" "${g[3]}" - "$wall"
printf '%-8s %8s %8s %8s %9s %10s %9s\n' counter "$(jq -r .size < build-counter-go.json)" - - - - "$inc"

# Source errors, each with file and line.
expect_error() {  # WHAT PATTERN FILE
  local what=$1 pattern=$2
  if "$ward" build "$3" -o x.wasm > err.txt 2>&1; then fail "$what: the build succeeded"; fi
  grep -q -- "$pattern" err.txt || { cat err.txt; fail "$what: expected \"$pattern\""; }
  echo "error ok: $what"
}
mkdir -p bad
head='package c

import "ward"
'
printf '%s\nimport "os"\n\nfunc F(ctx ward.Context) { os.Exit(1) }\n' "$head" > bad/imports.go
expect_error "a forbidden import" 'imports.go:5: import "os" is not allowed (allowed: bytes, ' bad/imports.go
printf '%s\nfunc F(ctx ward.Context) {\n\tgo func() {}()\n}\n' "$head" > bad/gostmt.go
expect_error "a go statement" 'gostmt.go:6: go statements are not allowed' bad/gostmt.go
printf '%s\nfunc F(ctx ward.Context) {\n\tc := make(chan int)\n\tselect {\n\tcase <-c:\n\t}\n}\n' "$head" > bad/select.go
expect_error "a select statement" 'select.go:7: select statements are not allowed' bad/select.go
printf '%s\nfunc F(ctx ward.Context) {\n\tdefer func() { recover() }()\n}\n' "$head" > bad/recover.go
expect_error "recover" 'recover.go:6: recover is not allowed' bad/recover.go
printf '%s\nfunc helper() {}\n' "$head" > bad/nomethods.go
expect_error "no methods" 'nomethods.go:1: the contract has no methods' bad/nomethods.go
printf '%s\nfunc F(ctx ward.Context, x float64) {}\n' "$head" > bad/float.go
expect_error "a parameter type" 'float.go:5: method F: parameter x has type float64' bad/float.go
{ printf '%s\nfunc F(ctx ward.Context) {}\n' "$head"; head -c 1100000 /dev/zero | tr '\0' '/'; echo; } > bad/big.go
expect_error "size limit" 'over the limit of 1048576 bytes' bad/big.go
printf '%s\nfunc F(ctx ward.Context) uint64 { return "x" }\n' "$head" > bad/types.go
expect_error "a type error" 'compilation failed (go build):' bad/types.go
grep -q 'types.go:5' err.txt || { cat err.txt; fail "the go build error does not name types.go:5"; }
echo "languages_go: ok"
