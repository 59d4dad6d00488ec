#!/bin/sh
# Builds the libFuzzer targets into build-fuzz/ (or $1):
#   fuzz_document  the document pipeline; the library sources (src/*.cpp but the table
#                  generator) are compiled in with the same sanitizers, and the generated
#                  Traditional-Simplified table is made first with src/gen_han_table.cpp
#   fuzz_jsonl     JSON Lines records; src/jsonl.cpp is compiled in
#   fuzz_index     corpus index files (corpus_index::deserialize); the library sources but
#                  jsonl.cpp and corpus_run.cpp are compiled in
# ICU, simdjson and oneTBB are linked from the system. Needs clang++ (14+) with libFuzzer
# (Debian: libclang-rt-14-dev), ICU, xxhash, simdjson and oneTBB headers.
# Usage: fuzz/build.sh [OUTDIR [TARGET...]]   (default: every target)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/build-fuzz"}
[ $# -gt 0 ] && shift
targets=${*:-"fuzz_document fuzz_jsonl fuzz_index"}
CXX=${CXX:-clang++}
mkdir -p "$out"
# -fno-sanitize-recover: UBSan findings abort like ASan ones, so libFuzzer saves the input.
FLAGS="-std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -I$root/include ${EXTRA_CXXFLAGS:-}"

# The table that CMake generates at build time (src/unicode_icu.cpp includes it).
gen_table() {
  mkdir -p "$out/generated"
  if [ ! -f "$out/generated/han_table.inc" ]; then
    $CXX -std=c++17 -O1 -I"$root/include" -I"$root/src" -o "$out/gen_han_table" \
      "$root/src/gen_han_table.cpp" -licui18n -licuuc
    "$out/gen_han_table" "$out/generated/han_table.inc"
  fi
}

for target in $targets; do
  case $target in
    fuzz_document)
      gen_table
      srcs=""
      for f in "$root"/src/*.cpp; do
        [ "$(basename "$f")" = gen_han_table.cpp ] || srcs="$srcs $f"
      done
      # shellcheck disable=SC2086
      $CXX $FLAGS -I"$root/src" -I"$out/generated" -o "$out/fuzz_document" \
        "$root/fuzz/fuzz_document.cpp" $srcs \
        -licui18n -licuuc -lsimdjson -ltbb
      ;;
    fuzz_index)
      gen_table
      # shellcheck disable=SC2086
      $CXX $FLAGS -I"$root/src" -I"$out/generated" -o "$out/fuzz_index" \
        "$root/fuzz/fuzz_index.cpp" "$root/src/corpus_index.cpp" "$root/src/unicode_icu.cpp" \
        "$root/src/version.cpp" -licui18n -licuuc
      ;;
    fuzz_jsonl)
      # shellcheck disable=SC2086
      $CXX $FLAGS -o "$out/fuzz_jsonl" \
        "$root/fuzz/fuzz_jsonl.cpp" "$root/src/jsonl.cpp" -lsimdjson
      ;;
    *)
      echo "unknown target: $target (fuzz_document, fuzz_jsonl, fuzz_index)" >&2
      exit 2
      ;;
  esac
  echo "built $out/$target"
done
