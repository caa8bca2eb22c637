# bench/node_common.sh — sourced by node_run.sh and soak_getnonce.sh: start and
# stop a throw-away `ward node --dev` and read its RSS.

# start_node WARD TMPDIR [extra ward node options...]: sets NODE_PID and NODE_URL.
start_node() {
  local ward=$1 dir=$2
  shift 2
  mkdir -p "$dir"
  "$ward" node --dev --data "$dir/data" --keystore "$dir/keys" --rpc 127.0.0.1:0 "$@" 2>"$dir/node.log" &
  NODE_PID=$!
  NODE_URL=""
  for _ in $(seq 1 300); do
    NODE_URL=$(sed -n 's/.*rpc listening on \(http:[^ ]*\).*/\1/p' "$dir/node.log" | head -n 1)
    [ -n "$NODE_URL" ] && break
    if ! kill -0 "$NODE_PID" 2>/dev/null; then
      echo "node exited early:" >&2
      cat "$dir/node.log" >&2
      return 1
    fi
    sleep 0.1
  done
  if [ -z "$NODE_URL" ]; then
    echo "node did not report its RPC address within 30 s:" >&2
    cat "$dir/node.log" >&2
    return 1
  fi
}

# stop_node: SIGTERM to NODE_PID (only the node this script started) and wait.
stop_node() {
  if [ -n "${NODE_PID:-}" ] && kill -0 "$NODE_PID" 2>/dev/null; then
    kill -TERM "$NODE_PID" 2>/dev/null || true
    wait "$NODE_PID" 2>/dev/null || true
  fi
  NODE_PID=""
}

# rss_kib PID: VmRSS in KiB.
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# result_field LINE KEY: the value of KEY=... in a "RESULT ..." line.
result_field() { printf '%s\n' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1; }
