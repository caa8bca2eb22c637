#!/usr/bin/env bash
# The explorer page's Node packages (explorer/package-lock.json), and those
# of the JS SDK it is built from (sdk/js, a file: dependency), with `npm ci`.
# Idempotent: a folder whose node_modules is not older than its lockfile
# and package.json is left alone. scripts/install-deps runs it.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  echo "explorer.sh: node and npm (Node.js 20.19 or newer) are needed for explorer/ and sdk/js" >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "explorer.sh: Node.js $(node --version) is too old: explorer/ and sdk/js need 20.19 or newer" >&2
  exit 1
fi

# npm ci in $1 unless its node_modules is up to date.
ci() {
  local dir="$1" stamp="$1/node_modules/.package-lock.json"
  [ -f "$dir/package-lock.json" ] || return 0
  if [ -f "$stamp" ] && ! [ "$dir/package-lock.json" -nt "$stamp" ] && ! [ "$dir/package.json" -nt "$stamp" ]; then
    return 0
  fi
  echo "explorer.sh: npm ci in ${dir#"$root"/}"
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

ci "$root/sdk/js"
ci "$root/explorer"
