#!/usr/bin/env bash
# JSON-RPC golden transcripts (tests/rpc/README.md). A case file holds
# requests and their expected, normalised responses:
#   # text / blank       kept as they are
#   > BODY               POSTed as application/json to a fresh `ward node --dev`;
#                        ${NAME} is replaced by the shell variable NAME
#   < HTTP STATUS        the answer's status (written by the runner)
#   < BODY               the answer's body, normalised (written by the runner)
#   $ COMMAND            a shell command run in the runner (helpers below);
#                        followed by its output and "[exit N]"
# The runner replays the "#", "$" and ">" lines and diffs the transcript.
#   run.sh WARD CASE.rpc [--update] [--tx-tool TOOL]
# TOOL (default: ward_tx_tool next to WARD, as the build puts it) signs
# transactions and normalises bodies (ward_tx_tool.cpp).
#
# The node's dev key is imported from a fixed seed, so addresses, signatures
# of transactions and their hashes are stable; block times are not, and with
# them block hashes, block signatures and the genesis hash: the normaliser
# replaces those by <time> and <block:N>.
#
# Helpers for "$" lines:
#   tx ARGS...              signed transaction hex from the dev seed (ward_tx_tool)
#   save NAME FILTER        NAME=<jq -r FILTER of the last body>
#   wait_tx HASH            waits until the transaction is in a block
#   post_as TYPE BODY       POST with Content-Type TYPE; prints status and body
#   post_big BYTES          POST a body of BYTES bytes; prints status and body
#   http METHOD [PATH]      a bodiless request; prints status and body
set -uo pipefail
ward=$(realpath "$1"); case_file=$(realpath "$2"); shift 2
mode=""; tool=""
while [ $# -gt 0 ]; do
  case "$1" in
    --update) mode=--update ;;
    --tx-tool) tool=$(realpath "$2"); shift ;;
    *) echo "run.sh: unknown argument $1"; exit 2 ;;
  esac
  shift
done
if [ -z "$tool" ]; then
  tool="$(dirname "$ward")/ward_tx_tool"
  [ -x "$tool" ] || { echo "run.sh: ward_tx_tool not found; pass --tx-tool PATH"; exit 2; }
fi
command -v curl >/dev/null || { echo "run.sh: needs curl (scripts/install-deps)"; exit 2; }
command -v jq >/dev/null || { echo "run.sh: needs jq (scripts/install-deps)"; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/ward-rpc.XXXXXX")
node_pid=""
cleanup() {
  if [ -n "$node_pid" ] && kill -0 "$node_pid" 2>/dev/null; then
    kill -TERM "$node_pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$node_pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$node_pid" 2>/dev/null
    wait "$node_pid" 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The fixed dev key (test-only seed) and a second account.
SEED=1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100
SEED2=2222222222222222222222222222222222222222222222222222222222222222
cp -r "$here/data/." "$work/"
cd "$work"
for wat in *.wat; do
  [ -e "$wat" ] || continue
  wat2wasm --enable-all "$wat" -o "${wat%.wat}.wasm" || { echo "wat2wasm failed on $wat"; exit 1; }
done
"$ward" keys import dev --seed "$SEED" --insecure-plaintext --keystore "$work/keys" >/dev/null 2>&1 ||
  { echo "run.sh: cannot import the dev key"; exit 1; }
DEV=$("$tool" --seed "$SEED" --address)
OTHER=$("$tool" --seed "$SEED2" --address)
: > "$work/node.log"  # exists before the loop below reads it
"$ward" node --dev --data "$work/data" --keystore "$work/keys" --rpc 127.0.0.1:0 2>"$work/node.log" >/dev/null &
node_pid=$!
port=""
for _ in $(seq 300); do
  port=$(sed -n 's|.*rpc listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$work/node.log")
  [ -n "$port" ] && break
  kill -0 "$node_pid" 2>/dev/null || break
  sleep 0.1
done
[ -n "$port" ] || { echo "run.sh: the node did not start:"; cat "$work/node.log"; exit 1; }
URL="http://127.0.0.1:$port"

LAST=""
VOLATILE=""  # extra keys whose values depend on time in a case: $ VOLATILE="state_root"
normalize() { "$tool" normalize "$work/.names" $VOLATILE; }
# answer STATUS_AND_BODY_FILE: prints "< HTTP S" and "< BODY" (normalised).
show() {
  local status=$1 body=$2
  echo "< HTTP $status"
  [ -s "$body" ] && echo "< $(normalize < "$body")"
  [ -e "$body" ] && LAST=$(cat "$body") || LAST=""
  return 0
}
post_file() {  # post_file TYPE FILE -> sets LAST, prints transcript lines
  local status
  rm -f "$work/.body"
  status=$(curl -sS -m 90 -o "$work/.body" -w '%{http_code}' -H "Content-Type: $1" --data-binary @"$2" "$URL" 2>&1)
  show "$status" "$work/.body"
}
tx() { "$tool" --seed "$SEED" "$@"; }
tx2() { "$tool" --seed "$SEED2" "$@"; }
save() { printf -v "$1" '%s' "$(jq -r "$2" <<<"$LAST")"; }
wait_tx() {
  local r
  for _ in $(seq 200); do
    r=$(curl -sS -m 10 -H 'Content-Type: application/json' --data-binary \
        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ward_getTransaction\",\"params\":[\"$1\"]}" "$URL" |
        jq -r '.result.height // empty')
    [ -n "$r" ] && { echo "included"; return 0; }
    sleep 0.05
  done
  echo "not included"; return 1
}
post_as() { printf '%s' "$2" > "$work/.req"; post_file "$1" "$work/.req"; }
post_big() {
  head -c "$1" /dev/zero | tr '\0' ' ' > "$work/.req"
  post_file application/json "$work/.req"
}
http() {
  local status
  rm -f "$work/.body"
  status=$(curl -sS -m 30 -o "$work/.body" -w '%{http_code}' -X "$1" "$URL${2:-/}" 2>&1)
  show "$status" "$work/.body"
}
expand() {
  local s=$1 name
  while [[ $s =~ \$\{([A-Za-z_][A-Za-z0-9_]*)\} ]]; do
    name=${BASH_REMATCH[1]}
    s=${s//"\${$name}"/"${!name:-}"}
  done
  printf '%s' "$s"
}

actual="$work/.actual"
: > "$actual"
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    '> '*)
      echo "$line" >> "$actual"
      expand "${line#> }" > "$work/.req"
      post_file application/json "$work/.req" >> "$actual"
      ;;
    '$ '*)
      echo "$line" >> "$actual"
      eval "${line#\$ }" >> "$actual" 2>&1
      echo "[exit $?]" >> "$actual"
      ;;
    '#'*|'')
      echo "$line" >> "$actual"
      ;;
  esac
done < "$case_file"
if ! kill -0 "$node_pid" 2>/dev/null; then
  echo "[the node exited during the case]" >> "$actual"
  tail -n 5 "$work/node.log" >> "$actual"
fi
if [ "$mode" = "--update" ]; then
  cp "$actual" "$case_file"; echo "updated $case_file"; exit 0
fi
if diff -u "$case_file" "$actual"; then
  echo "rpc golden: $(basename "$case_file") ok"
else
  echo "rpc golden: $(basename "$case_file") differs (rerun with --update to accept)"; exit 1
fi
