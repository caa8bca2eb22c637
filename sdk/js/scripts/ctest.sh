#!/usr/bin/env bash
# The sdk_js CTest test: compile the SDK and its tests with the package's
# tsc, then run them with Node's test runner; WARD_BIN (the ward binary of
# the same build) runs the end-to-end suite against a real `ward node --dev`.
#   scripts/ctest.sh WARD_BINARY
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
[ $# -eq 1 ] || { echo "usage: $0 WARD_BINARY" >&2; exit 2; }
ward="$(realpath "$1")"
command -v node >/dev/null 2>&1 || { echo "sdk_js: node (Node.js 20.19 or newer) not found" >&2; exit 1; }
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  { echo "sdk_js: Node.js $(node --version) is too old; the SDK needs 20.19 or newer" >&2; exit 1; }
[ -x "$here/node_modules/typescript/bin/tsc" ] ||
  { echo "sdk_js: sdk/js/node_modules is missing; run scripts/install-deps (npm ci in sdk/js)" >&2; exit 1; }
cd "$here"
rm -rf dist/test dist/codegen-e2e  # dist/src may be in use by the explorer build
node node_modules/typescript/bin/tsc -p tsconfig.json
# The browser part (everything but ws-node.ts and the codegen CLI) compiles
# against the DOM library alone: no Node.js API slips into it.
node node_modules/typescript/bin/tsc -p tsconfig.browser.json
chmod +x dist/src/codegen/cli.js
WARD_BIN="$ward" node --test --test-concurrency=1 dist/test/
