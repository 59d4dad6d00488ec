#!/bin/sh
# Builds the libFuzzer target fuzz_document into build-fuzz/ (or $1).
# The library sources (src/*.cpp) are compiled into the fuzzer binary with the same
# sanitizers; ICU is linked from the system. Needs clang++ (14+) with libFuzzer
# (Debian: libclang-rt-14-dev), ICU and xxhash headers.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-"$root/build-fuzz"}
CXX=${CXX:-clang++}
mkdir -p "$out"
# -fno-sanitize-recover: UBSan findings abort like ASan ones, so libFuzzer saves the input.
FLAGS="-std=c++17 -g -O1 -fno-omit-frame-pointer \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -I$root/include ${EXTRA_CXXFLAGS:-}"
# shellcheck disable=SC2086
$CXX $FLAGS -o "$out/fuzz_document" \
  "$root/fuzz/fuzz_document.cpp" "$root"/src/*.cpp \
  -licui18n -licuuc
echo "built $out/fuzz_document"
