#!/usr/bin/env bash
# The Debian package of a build: `cpack -G DEB` in BUILD_DIR, unpacked into a scratch root
# (dpkg -x, no root needed), must hold the CLI (which cleans the example article), its man
# page and completions, and a library that the find_package consumer builds and runs against.
# Usage: tests/package/deb.sh BUILD_DIR   (run by scripts/test after the Release build)
set -euo pipefail
build=$(cd "${1:?usage: deb.sh BUILD_DIR}" && pwd)
src=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
fail() { echo "deb.sh: $*" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -f "$build"/paradedup_*.deb
(cd "$build" && cpack -G DEB > "$work/cpack.log") || { cat "$work/cpack.log" >&2; fail "cpack failed"; }
deb=$(ls "$build"/paradedup_*.deb)
echo "deb.sh: $(basename "$deb"): $(dpkg-deb -f "$deb" Depends)"
# apt must be able to install it on this system: its Depends resolve (simulated, no root).
if command -v apt-get > /dev/null; then
  apt-get install -s -q "$deb" > "$work/apt.log" 2>&1 || { cat "$work/apt.log" >&2; fail "apt-get install -s $deb failed"; }
  grep -q '^Inst paradedup ' "$work/apt.log" || { cat "$work/apt.log" >&2; fail "apt would not install the package"; }
fi
dpkg-deb -x "$deb" "$work/root"
root=$work/root/usr
for f in bin/paradedup include/paradedup/paradedup.hpp lib/cmake/paradedup/paradedupConfig.cmake \
         lib/pkgconfig/paradedup.pc share/bash-completion/completions/paradedup \
         share/zsh/vendor-completions/_paradedup; do
  [ -e "$root/$f" ] || fail "not in the package: /usr/$f"
done
if command -v help2man > /dev/null; then
  [ -e "$root/share/man/man1/paradedup.1" ] || fail "not in the package: the man page"
fi
# The packaged CLI runs the demo: the article loses its doubled body.
"$root/bin/paradedup" "$src/examples/data/article.txt" > "$work/article.out" 2> "$work/article.err"
grep -q "removed 9 of 24 paragraphs" "$work/article.err" || { cat "$work/article.err" >&2; fail "the packaged CLI did not clean the article"; }
# The consumer project builds against the unpacked package and its tests pass.
cmake -S "$src/tests/package/find_package" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$root" \
  -DCMAKE_BUILD_TYPE=Release > "$work/configure.log" || { cat "$work/configure.log" >&2; fail "consumer configure failed"; }
grep -q "from $root/lib/cmake/paradedup" "$work/configure.log" || fail "the consumer did not find the package's paradedup"
cmake --build "$work/consumer" --parallel 2 > "$work/build.log" || { cat "$work/build.log" >&2; fail "consumer build failed"; }
ctest --test-dir "$work/consumer" --output-on-failure > "$work/ctest.log" || { cat "$work/ctest.log" >&2; fail "consumer tests failed"; }
echo "deb.sh: the package's CLI cleans the article, and the find_package consumer builds and passes against it"
