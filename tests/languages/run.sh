#!/usr/bin/env bash
# The same token scenario on the C++, Rust and AssemblyScript tokens
# (examples/token), on
# both backends: deploy + Initialize, a transfer, an overdraft that reverts,
# both balances, and the events. Results, events, errors and final balances
# must be identical across languages; gas must be identical between
# `--backend interp` and `--backend aot` for each language (it differs by
# language and is printed). Then the counters, and the Rust front end's
# source errors. The Go token runs the same scenario in go.sh.
#   run.sh WARD                 (WARD_CARGO_TARGET_DIR may point at a cargo cache)
set -uo pipefail
ward=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
export WARD_AOT_CACHE=$work/aot-cache
fail() { echo "languages: FAIL: $*"; exit 1; }

contract=0x4607ba00a6758e3030f5fccd0cefbddb3511568d
bob=0x0000000000000000000000000000000000000b0b
declare -A token_src=([cpp]="$root/examples/token/token.cpp" [rust]="$root/examples/token/rust"
  [as]="$root/examples/token/as/token.ts")
declare -A counter_src=([cpp]="$root/examples/counter/counter.cpp" [rust]="$root/examples/counter/rust"
  [as]="$root/examples/counter/as/counter.ts")
langs="cpp rust as"

for l in $langs; do
  "$ward" build "${token_src[$l]}" -o token-$l.wasm --json > build-token-$l.json 2> build-token-$l.err ||
    { cat build-token-$l.err; fail "building the $l token"; }
  "$ward" build "${counter_src[$l]}" -o counter-$l.wasm --json > build-counter-$l.json 2> build-counter-$l.err ||
    { cat build-counter-$l.err; fail "building the $l counter"; }
done

# The ABI files of every language have the same schema and methods.
for l in $langs; do
  jq -c '[.methods[] | {name, params, returns, readonly, payable}]' token-$l.abi.json > abi-$l.json
done
for l in $langs; do
  diff abi-cpp.json abi-$l.json > /dev/null || { diff abi-cpp.json abi-$l.json; fail "token ABI of $l differs from C++"; }
done

scenario() {  # LANG BACKEND
  local s="--state st-$1-$2 --backend $2 --json"
  "$ward" deploy token-$1.wasm --init Initialize --args '{"total_supply": 1000000}' $s
  "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 1000}" $s
  "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 99999999}" $s
  "$ward" call $contract GetBalance "{\"owner\": \"$bob\"}" $s
  "$ward" call $contract GetBalance "{\"owner\": \"0x$(printf 'ff%.0s' {1..20})\"}" $s
  "$ward" call $contract TotalSupply '{}' $s
  "$ward" call $contract Transfer "{\"to\": \"$bob\", \"amount\": 1}" --value 5 $s
}

for l in $langs; do
  for b in interp aot; do
    scenario $l $b > run-$l-$b.txt 2>&1 || true
    jq -c '{status, result, events, error, gas_used}' < run-$l-$b.txt > sum-$l-$b.json 2>/dev/null ||
      { cat run-$l-$b.txt; fail "$l on $b: output is not JSON"; }
  done
  diff sum-$l-interp.json sum-$l-aot.json > /dev/null ||
    { diff sum-$l-interp.json sum-$l-aot.json; fail "$l: interp and aot differ (gas must be identical)"; }
  jq -c 'del(.gas_used)' < sum-$l-interp.json > cmp-$l.json
done
[ "$(jq -r .status < cmp-cpp.json | tr '\n' ' ')" = "ok ok reverted ok ok ok reverted " ] ||
  { cat cmp-cpp.json; fail "the C++ token scenario has unexpected statuses"; }
for l in $langs; do
  diff cmp-cpp.json cmp-$l.json > /dev/null ||
    { diff cmp-cpp.json cmp-$l.json; fail "the $l token's results, events or errors differ from C++"; }
done
echo "token scenario: results, events, errors and balances identical in: $langs; gas identical on interp and aot"

# `ward deploy SRC` builds the source first; the same source gives the same
# bytes, so the code hash is the built module's.
for l in $langs; do
  want=$(jq -s -r '.[0].code_hash' < run-$l-interp.txt)
  got=$("$ward" deploy "${token_src[$l]}" --state st-src-$l --json 2> deploy-src-$l.err | jq -r .code_hash)
  [ "$got" = "$want" ] || { cat deploy-src-$l.err; fail "ward deploy ${token_src[$l]}: code hash $got, the built module's is $want"; }
done
echo "deploy from source: the built module's code hash in: $langs"

# Figures: module size and gas per call.
printf '%-8s %-8s %8s %8s %8s %8s %9s %9s\n' lang module bytes deploy Transfer overdraft GetBalance Increment
for l in $langs; do
  for b in interp; do
    g=($(jq -r .gas_used < sum-$l-$b.json))
    c=$("$ward" run counter-$l.wasm Increment '{"by": 5}' --backend $b --json | jq -r .gas_used)
    printf '%-8s %-8s %8s %8s %8s %8s %9s %9s\n' $l token "$(jq -r .size < build-token-$l.json)" \
      "${g[0]}" "${g[1]}" "${g[2]}" "${g[3]}" "-"
    printf '%-8s %-8s %8s %8s %8s %8s %9s %9s\n' $l counter "$(jq -r .size < build-counter-$l.json)" - - - - "$c"
  done
done

# Source errors of the Rust and AssemblyScript front ends (Go's: go.sh).
expect_error() {  # WHAT PATTERN ward-args...
  local what=$1 pattern=$2; shift 2
  if "$ward" build "$@" > err.txt 2>&1; then fail "$what: the build succeeded"; fi
  grep -q -- "$pattern" err.txt || { cat err.txt; fail "$what: expected \"$pattern\""; }
  echo "error ok: $what"
}
mkdir -p nolib/src nomethods/src broken/src
printf '[package]\nname = "nolib"\nversion = "0.1.0"\nedition = "2021"\n' > nolib/Cargo.toml
echo 'pub fn f() {}' > nolib/src/lib.rs
expect_error "crate without cdylib" 'needs \[lib\] crate-type = \["cdylib"\]' nolib -o x.wasm
for d in nomethods broken; do
  printf '[package]\nname = "%s"\nversion = "0.1.0"\nedition = "2021"\n[lib]\ncrate-type = ["cdylib"]\n[dependencies]\nward = { path = "%s/sdk/rust/ward" }\n' \
    $d "$root" > $d/Cargo.toml
done
echo 'pub fn helper() -> u64 { 1 }' > nomethods/src/lib.rs
expect_error "crate without methods" 'no contract methods (no ward_abi section)' nomethods -o x.wasm
printf '#[ward::contract]\nmod c {\n    #[ward::export]\n    pub fn Set(x: u64) -> u64 { x + "1" }\n}\n' > broken/src/lib.rs
expect_error "a type error" 'compilation failed (cargo)' broken -o x.wasm
printf '#[ward::contract]\nmod c {\n    pub fn helper() {}\n}\n' > broken/src/lib.rs
expect_error "contract module without methods" 'the contract has no methods' broken -o x.wasm
mkdir -p as
sdk_rel=$(realpath -m --relative-to="$work/as" "$root/sdk/as/assembly/index")
echo 'export function f(): void {}' > as/plain.ts
expect_error "AssemblyScript without methods" 'the contract has no methods: decorate functions with @method' as/plain.ts
printf 'import { revert } from "%s";\n@method\nexport function Set(x: f64): void { revert("no"); }\n' "$sdk_rel" > as/float.ts
expect_error "AssemblyScript parameter type" 'float.ts:[0-9]*: method Set: parameter x has type f64' as/float.ts
printf 'import { revert } from "%s";\n@method\nexport function Set(x: u64): u64 { return x + "1"; }\n' "$sdk_rel" > as/broken.ts
expect_error "AssemblyScript type error" 'compilation failed (asc)' as/broken.ts
expect_error "unknown extension" 'unknown contract language' token.txt
echo "languages: ok"
