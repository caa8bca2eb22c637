#!/bin/sh
# tests/embed/run_example.sh EXAMPLE COUNTER.wasm BACKEND — runs the C
# embedding example and checks its output line by line (the example also
# checks itself and exits non-zero on any mismatch).
set -eu
example=$1 wasm=$2 backend=$3
out=$("$example" "$wasm" "$backend" 2>&1) || { echo "$out"; echo "FAIL: the example exited non-zero"; exit 1; }
echo "$out"
expect() {
  printf '%s\n' "$out" | grep -Eq "$1" || { echo "FAIL: no line matches: $1"; exit 1; }
}
expect '^bad module: code 3: '
expect "^backend: $backend\$"
expect '^get: ok result=0 gas=[0-9]+$'
expect '^increment: ok result=1 gas=[0-9]+$'
expect '^  event incremented 3$'
expect '^increment: ok result=3 gas=[0-9]+$'
expect '^fail: reverted gas=[0-9]+ error=reverted: nope$'
expect '^boom: trapped gas=[0-9]+ error=trapped: unreachable$'
expect '^spin: trapped gas=1000000 error=out of gas$'
expect '^get: ok result=3 gas=[0-9]+$'
expect '^storage keys: 1, events received: 3$'
expect '^all checks passed$'
echo "PASS"
