#!/usr/bin/env bash
# Corpus mode at scale, outside the test suite: peak memory of a multi-GB corpus through
# --two-pass and --bloom against what the index reports and the textbook Bloom size, and a run
# killed with SIGKILL and resumed from its saved index against one uninterrupted run.
#
# Usage: benchmarks/scale_run.sh [--gb N] [--resume-gb M] [--single-gb S] [--bin PATH]
#                                [--dir DIR] [--keep]
#   --gb N         size of the generated corpus in GB [5]; 0 skips the memory runs
#   --resume-gb M  size of the resumed run in GB (the corpus's first M GB) [1]; 0 skips it
#   --single-gb S  size of the one-document run in GB [1]; 0 skips it: the corpus's first
#                  S GB with every paragraph on one line, as one document (--max-document-bytes
#                  4G), once with the default --max-memory (4G) and once with 16G
#   --bin PATH     the CLI [build/examples/paradedup]
#   --dir DIR      where bench_corpus.sh keeps its corpora [/tmp/paradedup-bench-corpus]; run
#                  benchmarks/bench_corpus.sh --quick once first (it lists the documents)
#   --keep         keep the generated corpus (DIR/scaleNg.txt) for another run
#
# The corpus: shuffled copies of bench_corpus.sh's distinct documents (copyright files,
# debian-reference zh-cn/zh-tw, man pages in zh/ja/en) until N GB, as scale500 is made. From
# the second copy on, each document gets planted changes, so that later copies are not all
# repeats: a line of its own ("Revision K of document D ..."), and in one document in four,
# one paragraph with a figure changed (a look-alike, which the default no-loss rule keeps).
# About 1 minute per GB to generate; the runs take about 3 to 6 minutes per GB each on 2 cores.
#
# Prints, for each run: wall seconds, peak RSS (/usr/bin/time), the CLI's index line, MB/s,
# and the output's SHA-256 (two-pass must equal one pass); for Bloom, the textbook size
# -n ln(p) / (ln 2)^2 for the n items the CLI sized it for. The resume check cuts the first M
# GB into 8 files, runs them one after the other with --index (the 5th killed with SIGKILL
# after a few seconds, then run again from the index the 4th saved), and compares their
# outputs, one after the other, byte for byte with one run over the 8 files (which reads
# them as one corpus: no separator is added between files); it exits 1 when they differ.
set -euo pipefail

die() { echo "scale_run.sh: $*" >&2; exit 2; }
gb=5 resume_gb=1 single_gb=1 bin=build/examples/paradedup dir=/tmp/paradedup-bench-corpus keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --gb) gb=${2:?}; shift 2 ;;
    --resume-gb) resume_gb=${2:?}; shift 2 ;;
    --single-gb) single_gb=${2:?}; shift 2 ;;
    --bin) bin=${2:?}; shift 2 ;;
    --dir) dir=${2:?}; shift 2 ;;
    --keep) keep=1; shift ;;
    *) die "unknown option: $1" ;;
  esac
done
[ -x "$bin" ] || die "not an executable: $bin"
list=$dir/corpus/distinct.list
[ -s "$list" ] || die "no $list: run benchmarks/bench_corpus.sh --quick first"
command -v /usr/bin/time > /dev/null || die "needs /usr/bin/time (apt-get install time)"
size_gb=$(awk -v a="$gb" -v b="$resume_gb" -v c="$single_gb" \
  'BEGIN { m = a > b ? a : b; print (m > c ? m : c) }')
corpus=$dir/scale${size_gb}g.txt
work=$(mktemp -d "${TMPDIR:-/tmp}/scale_run.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [ ! -s "$corpus" ]; then
  echo "generating $corpus ($size_gb GB) ..." >&2
  python3 - "$list" "$corpus" "$size_gb" <<'EOF'
import random, re, sys
names = open(sys.argv[1]).read().splitlines()
docs = []
for n in names:
    d = open(n, "rb").read()
    if d:
        docs.append(d if d.endswith(b"\n") else d + b"\n")
limit = int(float(sys.argv[3]) * 1e9)
rng = random.Random(20261207)
digit = re.compile(rb"[0-9]")
size, copy = 0, 0
with open(sys.argv[2], "wb") as out:
    while size < limit:
        copy += 1
        order = list(range(len(docs)))
        rng.shuffle(order)
        for i in order:
            d = docs[i]
            if copy > 1:
                paras = d.split(b"\n\n")
                if rng.random() < 0.25:  # a look-alike: one figure of one paragraph changed
                    k = rng.randrange(len(paras))
                    m = digit.search(paras[k])
                    if m:
                        new = b"7" if m.group() != b"7" else b"3"
                        paras[k] = paras[k][:m.start()] + new + paras[k][m.end():]
                at = rng.randrange(len(paras) + 1)
                paras.insert(at, b"Revision %d of document %d, planted by scale_run.sh." % (copy, i))
                d = b"\n\n".join(paras)
            chunk = (b"\f\n" if size else b"") + d
            out.write(chunk)
            size += len(chunk)
            if size >= limit:
                break
print(f"{copy} shuffled copies of {len(docs)} documents, {size} bytes", file=sys.stderr)
EOF
fi
bytes=$(stat -c %s "$corpus")
echo "corpus: $corpus, $bytes bytes; binary: $bin ($("$bin" --version 2>&1 | head -n 1)); $(nproc) cores"

# run NAME OPTIONS... on FILE...: wall seconds and peak RSS, the index line, the output hash.
run() {
  local name=$1; shift
  /usr/bin/time -f '%e %M' -o "$work/$name.time" "$bin" --corpus --threads 2 "$@" \
    2> "$work/$name.err" | sha256sum | cut -c1-16 > "$work/$name.sha" ||
    { tail -n 5 "$work/$name.err" >&2; die "$name failed"; }
  read -r secs kb < "$work/$name.time"
  printf '%-9s %8.1f s %8.1f MB/s  peak RSS %7d MB (%.3f MB per input MB)  output %s\n' "$name" \
    "$secs" "$(awk -v b="$bytes" -v s="$secs" 'BEGIN { print b / 1e6 / s }')" $((kb / 1024)) \
    "$(awk -v k="$kb" -v b="$bytes" 'BEGIN { print k * 1024 / b }')" "$(cat "$work/$name.sha")"
  grep -E '^paradedup: (index|corpus|first pass|bloom)' "$work/$name.err" | sed 's/^/          /'
}

if [ "$gb" != 0 ]; then
  echo
  echo "memory at scale (--threads 2, default near mode):"
  run single --index "$work/single.idx" "$corpus"
  run twopass --two-pass --index "$work/twopass.idx" "$corpus"
  run bloom --bloom 1e-4 "$corpus"
  echo "          Bloom textbook size for the n items it was sized for (input bytes / 3 + 1024):" \
    "$(awk -v n="$((bytes / 3 + 1024))" 'BEGIN { p = 1e-4; printf "%.1f MB", -n * log(p) / (log(2) ^ 2) / 8 / 1e6 }')"
  printf 'single-pass index file %.1f MB, two-pass %.1f MB; two-pass output %s single pass\n' \
    "$(awk -v b="$(stat -c %s "$work/single.idx")" 'BEGIN { print b / 1e6 }')" \
    "$(awk -v b="$(stat -c %s "$work/twopass.idx")" 'BEGIN { print b / 1e6 }')" \
    "$(cmp -s "$work/single.sha" "$work/twopass.sha" && echo equal to || echo DIFFERENT from)"
  rm -f "$work"/*.idx
fi

status=0
if [ "$resume_gb" != 0 ]; then
  echo
  echo "SIGKILL and resume on the first $resume_gb GB, in 8 files:"
  python3 - "$corpus" "$work" "$resume_gb" <<'EOF'
import sys
limit = int(float(sys.argv[3]) * 1e9)
data = open(sys.argv[1], "rb").read(limit + (1 << 22))
docs = data.split(b"\f\n")
taken, total = [], 0
for d in docs:
    if total >= limit:
        break
    taken.append(d)
    total += len(d) + 2
per = (len(taken) + 7) // 8
for k in range(8):
    part = taken[k * per:(k + 1) * per]
    open(f"{sys.argv[2]}/part{k}.txt", "wb").write(b"\f\n".join(part))
EOF
  parts=("$work"/part{0..7}.txt)
  "$bin" --corpus -q --threads 2 "${parts[@]}" > "$work/whole.out"
  : > "$work/resumed.out"
  for k in 0 1 2 3 4 5 6 7; do
    if [ "$k" = 4 ]; then
      cp "$work/r.idx" "$work/before.idx"
      "$bin" --corpus -q --threads 2 --index "$work/r.idx" "${parts[$k]}" > "$work/killed.out" &
      pid=$!
      sleep 2
      if ! kill -KILL "$pid" 2> /dev/null; then
        echo "  part 4 ended within 2 s, before the kill: use a larger --resume-gb"
        status=1
      fi
      wait "$pid" 2> /dev/null || true
      if cmp -s "$work/before.idx" "$work/r.idx"; then
        echo "  part 4 killed after 2 s ($(stat -c %s "$work/killed.out") bytes of output written); its index file is as part 3 saved it"
      else
        echo "  part 4 killed, and the index file changed: NOT as part 3 saved it"
        status=1
      fi
    fi
    "$bin" --corpus -q --threads 2 --index "$work/r.idx" "${parts[$k]}" >> "$work/resumed.out"
  done
  if cmp -s "$work/whole.out" "$work/resumed.out"; then
    echo "  resumed output equals one run's: $(stat -c %s "$work/whole.out") bytes, sha256 $(sha256sum < "$work/whole.out" | cut -c1-16)"
  else
    echo "  resumed output DIFFERS from one run's"
    status=1
  fi
fi
if [ "$single_gb" != 0 ]; then
  echo
  echo "one document of $single_gb GB, one paragraph per line (document mode, lines):"
  python3 - "$corpus" "$work/single.txt" "$single_gb" <<'EOF'
import sys
limit = int(float(sys.argv[3]) * 1e9)
written = 0
with open(sys.argv[1], "rb") as f, open(sys.argv[2], "wb") as out:
    for line in f:
        line = line.strip()
        if not line or line == b"\f":
            continue
        out.write(line + b"\n")
        written += len(line) + 1
        if written >= limit:
            break
EOF
  single_bytes=$(stat -c %s "$work/single.txt")
  for budget in default 16G; do
    opts=(--mode lines --max-document-bytes 4G)  # past the default 256 MiB
    [ "$budget" = default ] || opts+=(--max-memory "$budget")
    rc=0
    /usr/bin/time -f '%e %M' -o "$work/one.time" "$bin" "${opts[@]}" "$work/single.txt" \
      > "$work/one.out" 2> "$work/one.err" || rc=$?
    read -r secs kb < <(tail -n 1 "$work/one.time")
    printf '  --max-memory %-7s exit %d, %.1f s, peak RSS %d MB (%.2f MB per input MB), output %s the input\n' \
      "$budget" "$rc" "$secs" $((kb / 1024)) \
      "$(awk -v k="$kb" -v b="$single_bytes" 'BEGIN { print k * 1024 / b }')" \
      "$(cmp -s "$work/one.out" "$work/single.txt" && echo equal to || echo "$(stat -c %s "$work/one.out") bytes of")"
    grep -v '^ *[0-9.]* [0-9]*$' "$work/one.err" | head -n 3 | cut -c1-300 | sed 's/^/    /'
  done
  rm -f "$work/single.txt" "$work/one.out"
fi
[ "$keep" = 1 ] || rm -f "$corpus"
exit "$status"
