#!/bin/sh
# fuzz/make-corpus.sh — generates the seed corpus of the fuzz targets into
# OUT (default build-fuzz/corpus/seeds; never committed):
#   - TTF_COUNT modules from binaryen's translate-to-fuzz (`wasm-opt -ttf`)
#     on random bytes, restricted to the features Ward supports;
#   - the binary modules of a selection of spec testsuite scripts
#     (wast2json), from SPEC_DIR (default ../shared/wasm-testsuite).
# Usage: fuzz/make-corpus.sh [OUT]    Environment: TTF_COUNT (200), SPEC_DIR.
set -eu

out=${1:-build-fuzz/corpus/seeds}
ttf_count=${TTF_COUNT:-200}
spec_dir=${SPEC_DIR:-../shared/wasm-testsuite}
features="--mvp-features --enable-sign-ext --enable-mutable-globals --enable-nontrapping-float-to-int
  --enable-bulk-memory --enable-multivalue"

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

made=0
if command -v wasm-opt >/dev/null 2>&1; then
  i=0
  while [ "$i" -lt "$ttf_count" ]; do
    size=$(( (i * 7919) % 16000 + 512 ))
    head -c "$size" /dev/urandom > "$tmp/random.bin"
    extra=""
    [ $((i % 2)) -eq 0 ] && extra="--denan"
    # shellcheck disable=SC2086 # the feature flags are meant to split
    if wasm-opt -ttf "$tmp/random.bin" -o "$out/ttf-$i.wasm" $features $extra >/dev/null 2>&1; then
      made=$((made + 1))
    fi
    i=$((i + 1))
  done
else
  echo "make-corpus: wasm-opt not found (apt-get install binaryen); no ttf seeds" >&2
fi
echo "make-corpus: $made modules from wasm-opt -ttf"

spec=0
if command -v wast2json >/dev/null 2>&1 && [ -d "$spec_dir" ]; then
  for name in address block br_table call call_indirect conversions elem float_exprs func i32 i64 f32 f64 \
              global if left-to-right load local_get loop memory memory_copy memory_fill memory_grow \
              memory_init nop ref_func return select stack store switch table_copy table_init traps \
              unreachable unwind bulk binary-leb128 int_exprs; do
    [ -f "$spec_dir/$name.wast" ] || continue
    mkdir -p "$tmp/$name"
    wast2json --enable-all "$spec_dir/$name.wast" -o "$tmp/$name/$name.json" >/dev/null 2>&1 || continue
    for f in "$tmp/$name"/*.wasm; do
      [ -f "$f" ] || continue
      cp "$f" "$out/spec-$(basename "$f")"
      spec=$((spec + 1))
    done
  done
else
  echo "make-corpus: wast2json or $spec_dir missing; no spec seeds" >&2
fi
echo "make-corpus: $spec modules from the spec testsuite"
echo "make-corpus: seeds in $out"
