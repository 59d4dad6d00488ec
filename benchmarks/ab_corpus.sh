#!/usr/bin/env bash
# A/B comparison of two paradedup builds in corpus mode: both binaries run on the same corpus
# in interleaved rounds, and the best user + sys CPU time of each is kept (CPU time moves less
# than wall time when other work shares the machine; interleaving spreads the rest evenly).
# Outputs are compared too: a speed change must not change what is removed.
#
# Usage: benchmarks/ab_corpus.sh OLD_BIN NEW_BIN [--rounds N] [--corpora "copyright zh"]
#                                [--dir DIR] [-- extra paradedup options]
#   OLD_BIN, NEW_BIN  two CLI builds, e.g. an older commit's:
#                       git worktree add /tmp/old COMMIT &&
#                       cmake -S /tmp/old -B /tmp/old/build -DCMAKE_BUILD_TYPE=Release &&
#                       cmake --build /tmp/old/build -j2 --target paradedup_cli
#   --rounds N        interleaved rounds [7]
#   --corpora LIST    corpora of bench_corpus.sh to use [copyright zh man scale50]
#   --dir DIR         where bench_corpus.sh keeps its corpora [/tmp/paradedup-bench-corpus];
#                     run benchmarks/bench_corpus.sh --quick once first to build them
#   -- OPTIONS        passed to both, e.g. -- --exact-only; default: --threads 1 (near mode)
# Prints, per corpus: best CPU seconds of each, NEW speed-up (OLD / NEW), and whether the
# outputs are byte-identical.
set -euo pipefail

die() { echo "ab_corpus.sh: $*" >&2; exit 2; }
[ $# -ge 2 ] || die "usage: ab_corpus.sh OLD_BIN NEW_BIN [--rounds N] [--corpora LIST] [--dir DIR] [-- OPTIONS]"
old=$1 new=$2
shift 2
rounds=7
corpora="copyright zh man scale50"
dir=/tmp/paradedup-bench-corpus
extra=(--threads 1)
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=${2:?}; shift 2 ;;
    --corpora) corpora=${2:?}; shift 2 ;;
    --dir) dir=${2:?}; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) die "unknown option: $1" ;;
  esac
done
for b in "$old" "$new"; do [ -x "$b" ] || die "not an executable: $b"; done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf 'OLD %s\nNEW %s\noptions: --corpus -q %s; best of %d interleaved rounds, user + sys CPU seconds\n' \
  "$old" "$new" "${extra[*]}" "$rounds"
printf 'load average at start: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-10s %8s %8s %9s  %s\n' corpus OLD NEW speedup outputs
for c in $corpora; do
  f=$dir/corpus/$c.txt
  [ -r "$f" ] || die "no corpus $f: run benchmarks/bench_corpus.sh --quick --out $dir first"
  best_old=; best_new=
  for ((r = 0; r < rounds; r++)); do
    for side in old new; do
      bin=$old; [ $side = new ] && bin=$new
      /usr/bin/time -f '%U %S' -o "$tmp/time" "$bin" --corpus -q "${extra[@]}" "$f" \
        > "$tmp/$side.out" 2> "$tmp/$side.err" || { cat "$tmp/$side.err" >&2; die "$side failed on $c"; }
      t=$(awk '{ printf "%.2f", $1 + $2 }' "$tmp/time")
      if [ $side = old ]; then
        best_old=$(awk -v a="$t" -v b="${best_old:-1e9}" 'BEGIN { print (a < b ? a : b) }')
      else
        best_new=$(awk -v a="$t" -v b="${best_new:-1e9}" 'BEGIN { print (a < b ? a : b) }')
      fi
    done
  done
  cmp -s "$tmp/old.out" "$tmp/new.out" && same=identical || same=DIFFERENT
  printf '%-10s %8s %8s %8sx  %s\n' "$c" "$best_old" "$best_new" \
    "$(awk -v a="$best_old" -v b="$best_new" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" "$same"
done
printf 'load average at end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
