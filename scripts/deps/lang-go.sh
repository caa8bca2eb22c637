#!/usr/bin/env bash
# Go 1.23 for contracts (sdk/go): adds the bookworm-backports apt source when
# it is missing and installs golang-1.23-go from it (the compiler is
# /usr/lib/go-1.23/bin/go; `ward build` calls it by that path). Idempotent:
# does nothing when the package is installed. scripts/install-deps runs it.
set -euo pipefail
pkg=golang-1.23-go
if dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "lang-go.sh: need root (or sudo) to install $pkg" >&2; exit 1
  fi
fi
src="deb http://deb.debian.org/debian bookworm-backports main"
if ! grep -rqsF "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "lang-go.sh: adding the apt source: $src"
  echo "$src" | $sudo tee /etc/apt/sources.list.d/bookworm-backports.list > /dev/null
fi
echo "lang-go.sh: installing $pkg from bookworm-backports"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends -t bookworm-backports "$pkg"
