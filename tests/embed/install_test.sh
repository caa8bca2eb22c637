#!/bin/sh
# tests/embed/install_test.sh BUILD_DIR SOURCE_DIR COUNTER.wasm — installs
# the build into a temporary prefix, then builds the C example and a C++
# program using only the installed headers, library and ward.pc (through
# `pkg-config --cflags --libs ward`), and runs the example.
set -eu
build=$1 src=$2 wasm=$3
prefix=$(mktemp -d "${TMPDIR:-/tmp}/ward-install-XXXXXX")
trap 'rm -rf "$prefix"' EXIT INT TERM
cmake --install "$build" --prefix "$prefix" > "$prefix.log" 2>&1 || { cat "$prefix.log"; rm -f "$prefix.log"; exit 1; }
rm -f "$prefix.log"
pc=$(find "$prefix" -name ward.pc)
[ -n "$pc" ] || { echo "FAIL: ward.pc not installed"; exit 1; }
for h in ward.h engine.h chain.h storage.h; do
  [ -f "$prefix/include/ward/$h" ] || { echo "FAIL: include/ward/$h not installed"; exit 1; }
done
export PKG_CONFIG_PATH="$(dirname "$pc")"
flags=$(pkg-config --cflags --libs ward)
libdir=$(pkg-config --variable=libdir ward)
echo "pkg-config --cflags --libs ward: $flags"
case "$libdir" in "$prefix"/*) ;; *) echo "FAIL: libdir $libdir is outside the prefix"; exit 1 ;; esac
# The C example, plain C11, from the installed files only.
cc -std=c11 -pedantic -Wall -Werror -o "$prefix/example" "$src/examples/embed/main.c" $flags -Wl,-rpath,"$libdir"
out=$("$prefix/example" "$wasm" interp 2>&1) || { echo "$out"; echo "FAIL: installed example failed"; exit 1; }
echo "$out"
printf '%s\n' "$out" | grep -q '^all checks passed$' || { echo "FAIL: example output"; exit 1; }
# The C++ headers are self-contained: each compiles alone against the install.
for h in engine.h chain.h storage.h ward.h; do
  printf '#include <ward/%s>\nint main() { return 0; }\n' "$h" > "$prefix/t.cpp"
  c++ -std=c++20 -Wall -Werror -fsyntax-only $(pkg-config --cflags ward) "$prefix/t.cpp" ||
    { echo "FAIL: ward/$h is not self-contained"; exit 1; }
done
# A C++ embedder links the installed library too.
cat > "$prefix/t.cpp" <<'CPP'
#include <ward/engine.h>
#include <cstdio>
int main() {
  auto e = ward::Engine::create("interp");
  if (!e) return 1;
  auto bad = ward::Engine::create("jit");
  std::printf("%s\n", bad ? "?" : bad.error().message.c_str());
  return bad ? 1 : 0;
}
CPP
c++ -std=c++20 -o "$prefix/t" "$prefix/t.cpp" $flags -Wl,-rpath,"$libdir"
"$prefix/t"
echo "PASS"
