#!/usr/bin/env bash
# Golden tests of the `ward` command line (wabt-style): a case file holds
# commands ("$ ward ...") each followed by its expected output and "[exit N]".
# The runner replays the commands in a scratch folder holding tests/golden/data
# (every .wat compiled with wat2wasm) and diffs the transcript.
#   run.sh WARD CASE.golden            compare
#   run.sh WARD CASE.golden --update   rewrite the expectation
set -uo pipefail
ward=$(realpath "$1"); case_file=$(realpath "$2"); mode=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r "$here/data/." "$work/"
cd "$work"
for wat in *.wat; do
  [ -e "$wat" ] || continue
  wat2wasm --enable-all "$wat" -o "${wat%.wat}.wasm" || { echo "wat2wasm failed on $wat"; exit 1; }
done
export WARD_ROOT="$root"
ward() { "$ward" "$@"; }
actual="$work/.actual"
: > "$actual"
while IFS= read -r line; do
  case "$line" in
    '$ '*)
      cmd=${line#\$ }
      echo "$line" >> "$actual"
      ( eval "$cmd" ) >> "$actual" 2>&1
      echo "[exit $?]" >> "$actual"
      ;;
  esac
done < "$case_file"
if [ "$mode" = "--update" ]; then
  cp "$actual" "$case_file"; echo "updated $case_file"; exit 0
fi
if diff -u "$case_file" "$actual"; then
  echo "golden: $(basename "$case_file") ok"
else
  echo "golden: $(basename "$case_file") differs (rerun with --update to accept)"; exit 1
fi
