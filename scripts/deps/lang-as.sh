#!/usr/bin/env bash
# AssemblyScript for contracts (sdk/as): the `assemblyscript` compiler from
# npm, pinned by sdk/as/package-lock.json, with `npm ci`. Node.js and npm come
# with the machine (see sdk-js.sh). Idempotent: nothing is done while
# node_modules is not older than the lockfile. scripts/install-deps runs it.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../../sdk/as" && pwd)"
if ! command -v npm >/dev/null 2>&1; then
  echo "lang-as.sh: node and npm are needed for sdk/as" >&2
  exit 1
fi
stamp="$dir/node_modules/.package-lock.json"
if [ -f "$stamp" ] && ! [ "$dir/package-lock.json" -nt "$stamp" ] && ! [ "$dir/package.json" -nt "$stamp" ]; then
  exit 0
fi
echo "lang-as.sh: npm ci in sdk/as"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
