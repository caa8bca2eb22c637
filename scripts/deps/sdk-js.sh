#!/usr/bin/env bash
# The JS SDK's npm packages (sdk/js/package-lock.json) with `npm ci`.
# Node.js 20.19+ and npm come with the machine (not from Debian: bookworm's
# nodejs is 18, too old for the SDK), so sdk-js.list names no package.
# Idempotent: nothing is done while node_modules is not older than the
# lockfile and package.json. scripts/install-deps runs it.
set -euo pipefail
dir="$(cd "$(dirname "$0")/../../sdk/js" && pwd)"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "sdk-js.sh: node and npm (Node.js 20.19 or newer) are needed for sdk/js" >&2
  exit 1
fi
if ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "sdk-js.sh: Node.js $(node --version) is too old: sdk/js needs 20.19 or newer" >&2
  exit 1
fi
stamp="$dir/node_modules/.package-lock.json"
if [ -f "$stamp" ] && ! [ "$dir/package-lock.json" -nt "$stamp" ] && ! [ "$dir/package.json" -nt "$stamp" ]; then
  exit 0
fi
echo "sdk-js.sh: npm ci in sdk/js"
(cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
