#!/usr/bin/env bash
# Corpus-mode benchmark: `paradedup --corpus` against the line-dedup baseline
# `awk '!seen[$0]++'` on the same input files, built from installed Debian packages (nothing
# is downloaded).
#
# Usage: benchmarks/bench_corpus.sh [--bin PATH] [--out DIR] [--quick] [--rebuild]
#
#   --bin PATH   the CLI to measure [build/examples/paradedup of this checkout]; build it in
#                Release: cmake -S . -B build -DCMAKE_BUILD_TYPE=Release &&
#                cmake --build build --target paradedup_cli
#   --out DIR    corpora, outputs and results.txt go here [/tmp/paradedup-bench-corpus]
#   --quick      leave out the 500 MB corpus (about 2.5 minutes instead of about 10-13 on 2 cores)
#   --rebuild    render the man pages and build the corpora again even if DIR holds them
#
# Corpora (form-feed separated documents: documents are joined with lines holding only a
# form feed, printf '\f\n', which is how --corpus splits a file into documents):
#   copyright  every /usr/share/doc/*/copyright, one document per package, in C sort order
#   zh         debian-reference zh-cn and zh-tw plain text (one document per chapter, cut as
#              make_corpus.sh cuts them) and the manpages-zh pages (zh_CN, then zh_TW)
#   man        the manpages-zh and manpages-ja pages and 400 English pages of
#              /usr/share/man/man1: short paragraphs
#   scale50, scale500
#              the distinct documents of copyright + zh + man (the zh man pages once),
#              shuffled (python3 random.Random(20240601)) and concatenated, a new shuffle for
#              each copy, until ~50 MB and ~500 MB; scale500 starts with scale50's documents
# The man pages are a sample, chosen as make_corpus.sh chooses them: up to 250 per language
# directory (zh_CN, zh_TW, ja) and 400 of man1, evenly spaced in C name order, so the corpora
# are the same on every machine with the same package versions.
# Man pages are rendered as `man -l` renders them at MANWIDTH=80 (zcat | preconv | tbl |
# groff -mandoc [-mzh|-mja] -Tutf8, 78-column lines, no overstrikes); a page that renders to
# less than 300 bytes (a .so alias) is left out. Rendered pages are cached in DIR/pages and
# corpora in DIR/corpus (about 1 minute the first time, more on a busy machine; --rebuild).
#
# Measured on each corpus, every configuration 3 times in interleaved rounds, best (lowest)
# wall time kept; MB/s = input bytes / 1e6 / seconds; max RSS from /usr/bin/time -f %M (the
# best user + sys CPU time is shown too, as a check less sensitive to other load):
#   awk      awk '!seen[$0]++' FILE          (/usr/bin/awk; Debian's is mawk)
#   gawk     gawk '!seen[$0]++' FILE         (only when gawk is installed; not a target)
#   ccnet    python3 benchmarks/ccnet_dedup.py FILE: CCNet-style normalized line dedup, what
#            corpus builders run today (not on scale500, where it would take minutes; not a
#            target: printed as paradedup's speed-up over it)
#   exact1   paradedup --corpus -q --exact-only --threads 1 FILE
#   near1    paradedup --corpus -q --threads 1 FILE
#   near2    paradedup --corpus -q --threads 2 FILE
# Every command writes its output to a file in DIR/run; near1 and near2 outputs are compared
# with cmp (the CLI promises the same output for any --threads).
# Index memory, on scale50 and scale500 (scale50 only with --quick), once each, without -q
# (for the closing "paradedup: index: ..." line) and with --threads 2:
#   single   paradedup --corpus --index single.idx   (shingles S, bytes per shingle B as the
#            CLI prints it, without the fixed 1 MiB shard directory, and B with it; index file)
#   twopass  paradedup --corpus --two-pass --index twopass.idx (output cmp'd with single's)
#   bloom    paradedup --corpus --bloom 1e-4         (memory vs -n ln(p)/(ln 2)^2 bits, n =
#            the items the CLI sizes the filter for: input bytes / 3 + 1024)
# scale500 holds the same distinct documents as scale50 (both are copies of the same set), so
# its index is the same size: the 500 MB run shows what repetition costs, not a bigger index.
#
# Targets, each printed as PASS or FAIL at the end:
#   exact1 >= 1.0x awk on every corpus, >= 2.0x awk on man; near1 >= 0.6x awk;
#   near2 >= 1.0x awk and >= 1.7x near1; MB/s on scale500 >= 0.85x MB/s on scale50 (exact1,
#   near1, near2); <= 8 bytes per stored shingle as the CLI prints it (single pass, largest
#   corpus); near1 and near2 outputs byte-identical; two-pass output identical to single pass.
# The machine (nproc, CPU, load average before and after) is printed with the figures: on a
# shared machine compare a row only with the awk baseline of the same run.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin="$root/build/examples/paradedup"
out=/tmp/paradedup-bench-corpus
quick=0
rebuild=0
runs=3
seed=20240601
man_per_lang=250
man_en=400

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=${2:?--bin needs a path}; shift 2 ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --quick) quick=1; shift ;;
    --rebuild) rebuild=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "bench_corpus.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

die() { echo "bench_corpus.sh: $*" >&2; exit 1; }
[ -x "$bin" ] || die "$bin: no such program (build paradedup_cli, or pass --bin)"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
for p in debian-reference-zh-cn debian-reference-zh-tw manpages-zh manpages-ja man-db groff-base; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
    die "package $p is not installed (apt-get install $p)"
done
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
command -v python3 > /dev/null || die "python3 is missing"

mkdir -p "$out"
out=$(cd "$out" && pwd)
pages=$out/pages
corp=$out/corpus
run=$out/run
mkdir -p "$run"

# Disk: the corpora, plus three outputs of the largest one kept at a time.
need_mb=$(( quick ? 600 : 3000 ))
avail_mb=$(df -Pm "$out" | awk 'NR == 2 { print $4 }')
[ "$avail_mb" -ge "$need_mb" ] ||
  die "$out: $avail_mb MB free, $need_mb MB needed (use --out elsewhere, or --quick)"

load() { cut -d' ' -f1-3 /proc/loadavg; }
started=$(date '+%Y-%m-%d %H:%M:%S %Z')
load_start=$(load)
t_start=$EPOCHREALTIME
# The 1-minute load average every 10 s while this runs (it counts the benchmark's own 1 or 2
# busy threads too: on an otherwise idle 2-core machine it reads about 1-1.5).
( while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done ) > "$run/load.log" &
sampler=$!
trap 'kill "$sampler" 2> /dev/null || true' EXIT

# ---------------------------------------------------------------------------------------
# Man pages, rendered once into $pages/<lang>/<name>.txt.

render_pages() {  # $1 = language directory name, $2 = groff macro language or "", files on stdin
  local dir=$pages/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  OUTDIR=$dir LANGMAC=$2 xargs -d '\n' -P 2 -n 16 sh -c '
    for f in "$@"; do
      name=$(basename "$f" .gz)
      case "$f" in *.gz) cat_=zcat ;; *) cat_=cat ;; esac
      # col must run in a UTF-8 locale: in C (this script exports LC_ALL=C for awk) it
      # writes every non-ASCII byte as a "\xe4" escape, which turned the man pages into
      # ASCII until 2026-11-30.
      $cat_ "$f" | preconv -e UTF-8 2>/dev/null | tbl 2>/dev/null |
        groff -mandoc ${LANGMAC:+-m$LANGMAC} -Tutf8 -rLL=78n -rLT=78n -P-cbou 2>/dev/null |
        LC_ALL=C.UTF-8 col -b -x > "$OUTDIR/$name.txt" || true
      [ "$(wc -c < "$OUTDIR/$name.txt")" -ge 300 ] || rm -f "$OUTDIR/$name.txt"
    done' sh
  touch "$dir/.done"
}

sample() {  # lines on stdin -> up to $1 of them, evenly spaced (as make_corpus.sh samples)
  awk -v m="$1" '{ a[NR] = $0 }
    END { s = int((NR + m - 1) / m); if (s < 1) s = 1
          for (i = 1; i <= NR && k < m; i += s) { print a[i]; k++ } }'
}

if [ "$rebuild" = 1 ]; then rm -rf "$pages" "$corp"; fi
t0=$EPOCHREALTIME
stamp="$man_per_lang $man_en col-utf8"  # a new word here rebuilds old caches
[ "$(cat "$pages/.done" 2> /dev/null)" = "$stamp" ] || rm -rf "$pages" "$corp"
for lang in zh_CN:zh zh_TW:zh ja:ja; do
  d=${lang%%:*}
  [ -f "$pages/$d/.done" ] && continue
  echo "rendering $man_per_lang pages of /usr/share/man/$d ..." >&2
  find "/usr/share/man/$d" -path '*/man[1-8]/*' -type f | sort | sample "$man_per_lang" |
    render_pages "$d" "${lang##*:}"
done
if [ ! -f "$pages/en/.done" ]; then
  echo "rendering $man_en pages of /usr/share/man/man1 ..." >&2
  find /usr/share/man/man1 -type f | sort | sample "$man_en" | render_pages en ""
fi
echo "$stamp" > "$pages/.done"

# ---------------------------------------------------------------------------------------
# Documents and corpora.

join_docs() {  # file names on stdin, one a line -> the documents joined with \f lines
  python3 -c '
import sys
out = sys.stdout.buffer
first = True
for name in sys.stdin.read().splitlines():
    data = open(name, "rb").read()
    if not data:
        continue
    if not first:
        out.write(b"\f\n")
    first = False
    out.write(data if data.endswith(b"\n") else data + b"\n")
'
}

debref_chapters() {  # $1 = zh-cn | zh-tw: chapter files into $corp/docs/debref-$1 (as make_corpus.sh)
  local dir=$corp/docs/debref-$1
  rm -rf "$dir"
  mkdir -p "$dir"
  zcat "/usr/share/debian-reference/debian-reference.$1.txt.gz" | awk -v dir="$dir" '
    { head = $0; gsub(/\302\240/, " ", head) }
    head ~ /^(Chapter [0-9]+\.|第 ?[0-9]+ ?章|章 [0-9]+\.|Appendix [A-Z]\.|附录 [A-Z]\.|附錄 [A-Z]\.|付録 ?[A-Z])/ {
      n++; file = sprintf("%s/debref-%02d.txt", dir, n)
    }
    n > 0 { print > file }'
}

pages_of() { for d in "$@"; do find "$pages/$d" -name '*.txt' | sort; done; }

if [ ! -f "$corp/.done" ]; then
  echo "building the corpora ..." >&2
  rm -rf "$corp"
  mkdir -p "$corp/docs"
  debref_chapters zh-cn
  debref_chapters zh-tw
  for f in /usr/share/doc/*/copyright; do [ -f "$f" ] && echo "$f"; done | sort > "$corp/copyright.list"
  { find "$corp/docs/debref-zh-cn" "$corp/docs/debref-zh-tw" -name '*.txt' | sort
    pages_of zh_CN zh_TW; } > "$corp/zh.list"
  pages_of zh_CN zh_TW ja en > "$corp/man.list"
  sort -u "$corp/copyright.list" "$corp/zh.list" "$corp/man.list" > "$corp/distinct.list"
  for c in copyright zh man; do join_docs < "$corp/$c.list" > "$corp/$c.txt"; done
  # scale: shuffled copies of the distinct documents up to 50 MB, then on to 500 MB.
  python3 - "$corp/distinct.list" "$corp/scale50.txt" "$corp/scale500.txt" "$seed" <<'EOF'
import random, sys
names = open(sys.argv[1]).read().splitlines()
docs = []
for n in names:
    d = open(n, "rb").read()
    if d:
        docs.append(d if d.endswith(b"\n") else d + b"\n")
rng = random.Random(int(sys.argv[4]))
size, first, copy = 0, True, 0
with open(sys.argv[2], "wb") as small, open(sys.argv[3], "wb") as big:
    targets = [(50_000_000, small), (500_000_000, big)]
    while size < 500_000_000:
        order = list(range(len(docs)))
        rng.shuffle(order)
        copy += 1
        for i in order:
            chunk = (b"" if first else b"\f\n") + docs[i]
            first = False
            if size < 50_000_000:
                small.write(chunk if small.tell() else docs[i])
            big.write(chunk)
            size += len(chunk)
            if size >= 500_000_000:
                break
print(f"scale: {len(docs)} distinct documents, {copy} shuffled copies", file=sys.stderr)
EOF
  {
    echo "# corpora of benchmarks/bench_corpus.sh (seed $seed; man pages: $man_per_lang per language, $man_en of man1)"
    dpkg-query -W -f='${Package} ${Version}\n' debian-reference-zh-cn debian-reference-zh-tw \
      manpages-zh manpages-ja man-db groff-base
    for c in copyright zh man scale50 scale500; do
      printf '%s: %s documents, %s bytes\n' "$c" \
        "$(( $(grep -c $'^\f$' "$corp/$c.txt" || true) + 1 ))" "$(wc -c < "$corp/$c.txt")"
    done
  } > "$corp/MANIFEST"
  touch "$corp/.done"
fi
t_build=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')

corpora=(copyright zh man scale50)
[ "$quick" = 1 ] || corpora+=(scale500)
largest=${corpora[${#corpora[@]}-1]}

# ---------------------------------------------------------------------------------------
# Measurements.

configs=(awk)
have_gawk=0
if command -v gawk > /dev/null; then configs+=(gawk); have_gawk=1; fi
configs+=(ccnet exact1 near1 near2)

declare -A best bestcpu rss bytes status bps bps_all bps_two kept
cmd_of() {  # $1 = config -> the command (the input file is appended)
  case "$1" in
    awk) echo "/usr/bin/awk !seen[\$0]++" ;;
    gawk) echo "gawk !seen[\$0]++" ;;
    ccnet) echo "python3 $here/ccnet_dedup.py" ;;
    exact1) echo "$bin --corpus -q --exact-only --threads 1" ;;
    near1) echo "$bin --corpus -q --threads 1" ;;
    near2) echo "$bin --corpus -q --threads 2" ;;
  esac
}
run_cmd() {  # $1 = config, $2 = input, $3 = output
  case "$1" in
    awk) /usr/bin/time -f '%e %M %U %S' -o "$run/time" /usr/bin/awk '!seen[$0]++' "$2" ;;
    gawk) /usr/bin/time -f '%e %M %U %S' -o "$run/time" gawk '!seen[$0]++' "$2" ;;
    ccnet) /usr/bin/time -f '%e %M %U %S' -o "$run/time" python3 "$here/ccnet_dedup.py" "$2" ;;
    exact1) /usr/bin/time -f '%e %M %U %S' -o "$run/time" "$bin" --corpus -q --exact-only --threads 1 "$2" ;;
    near1) /usr/bin/time -f '%e %M %U %S' -o "$run/time" "$bin" --corpus -q --threads 1 "$2" ;;
    near2) /usr/bin/time -f '%e %M %U %S' -o "$run/time" "$bin" --corpus -q --threads 2 "$2" ;;
  esac < /dev/null > "$3" 2> "$run/stderr"
}
measure() {  # $1 = corpus, $2 = config: one timed run, keeps the best
  local c=$1 k=$2 t0 t1 sec m cpu
  t0=$EPOCHREALTIME
  run_cmd "$k" "$corp/$c.txt" "$run/$c.$k.out" || {
    cat "$run/stderr" >&2; die "$k on $c failed: $(cmd_of "$k") $corp/$c.txt"; }
  t1=$EPOCHREALTIME
  sec=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  m=$(tail -n 1 "$run/time" | cut -d' ' -f2)
  cpu=$(tail -n 1 "$run/time" | awk '{ printf "%.2f", $3 + $4 }')
  if [ -z "${bestcpu[$c,$k]:-}" ] || awk -v a="$cpu" -v b="${bestcpu[$c,$k]}" 'BEGIN { exit !(a < b) }'; then
    bestcpu[$c,$k]=$cpu
  fi
  if [ -z "${best[$c,$k]:-}" ] || awk -v a="$sec" -v b="${best[$c,$k]}" 'BEGIN { exit !(a < b) }'; then
    best[$c,$k]=$sec
    rss[$c,$k]=$m
  fi
}
mbs() { awk -v b="${bytes[$1]}" -v s="${best[$1,$2]}" 'BEGIN { printf "%.1f", b / 1e6 / s }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Everything from here on also goes to $out/results.txt.
exec > >(tee "$out/results.txt")
tee_pid=$!
echo "paradedup corpus-mode benchmark, $started"
echo "binary: $bin ($("$bin" --version 2>&1 | head -n 1))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average at start $load_start"
echo "awk: /usr/bin/awk -> $(readlink -f /usr/bin/awk) ($(dpkg-query -W -f='${Package} ${Version}' mawk 2>/dev/null || echo '?'))$([ "$have_gawk" = 1 ] && echo ", gawk $(gawk --version | head -n 1)" || echo '; gawk: not installed')"
echo "corpora (built or reused in ${t_build}s):"
sed 's/^/  /' "$corp/MANIFEST"
echo "best of $runs interleaved rounds per corpus"
echo

for c in "${corpora[@]}"; do
  bytes[$c]=$(wc -c < "$corp/$c.txt")
  for ((r = 1; r <= runs; r++)); do
    for k in "${configs[@]}"; do
      [ "$k" = ccnet ] && [ "$c" = scale500 ] && continue
      measure "$c" "$k"
    done
  done
  for k in "${configs[@]}"; do
    [ "$k" = ccnet ] && [ "$c" = scale500 ] && continue
    kept[$c,$k]=$(awk -v o="$(wc -c < "$run/$c.$k.out")" -v i="${bytes[$c]}" 'BEGIN { printf "%.0f", 100 * o / i }')
  done
  if cmp -s "$run/$c.near1.out" "$run/$c.near2.out"; then status[$c,cmp]=identical; else status[$c,cmp]=DIFFERENT; fi
  printf '%-9s %7.1f MB:' "$c" "$(awk -v b="${bytes[$c]}" 'BEGIN { print b / 1e6 }')"
  for k in "${configs[@]}"; do
    [ -n "${best[$c,$k]:-}" ] && printf ' %s %s MB/s;' "$k" "$(mbs "$c" "$k")"
  done
  printf ' near1/near2 outputs %s\n' "${status[$c,cmp]}"
  rm -f "$run/$c".*.out
done

# ---------------------------------------------------------------------------------------
# Index memory: scale50, and scale500 unless --quick (the target is checked on the largest).

index_line() {  # stderr file -> "S P MB B": shingles, paragraphs, index MB, bytes per shingle
  # (B as the CLI prints it: without the fixed shard directory, which it states apart)
  sed -n 's/^paradedup: index: .* documents, \([0-9]*\) shingles, \([0-9]*\) paragraphs, \([0-9.]*\) MB (.*shingle store \([0-9.]*\) bytes per shingle[^)]*)$/\1 \2 \3 \4/p' "$1"
}
mem_run() {  # $1 = corpus, $2 = name, rest = extra options
  local c=$1 name=$2; shift 2
  rm -f "$run/$name.idx"
  /usr/bin/time -f '%e %M' -o "$run/time" "$bin" --corpus --threads 2 "$@" "$corp/$c.txt" \
    < /dev/null > "$run/$name.out" 2> "$run/$name.err" || { cat "$run/$name.err" >&2; die "$name run on $c failed"; }
  rss[$c,$name]=$(( $(tail -n 1 "$run/time" | cut -d' ' -f2) / 1024 ))
  best[$c,$name]=$(tail -n 1 "$run/time" | cut -d' ' -f1)
  [ -n "$(index_line "$run/$name.err")" ] || { cat "$run/$name.err" >&2; die "no index line from $name on $c"; }
}
# The fixed shard directory of the exact shingle set, as the CLI states it ("plus a 1 MiB
# shard directory"), read from the first single-pass run below.
dir_bytes=
mem_corpora=(scale50)
[ "$quick" = 1 ] || mem_corpora+=(scale500)
for c in "${mem_corpora[@]}"; do
  mem_run "$c" single --index "$run/single.idx"
  mem_run "$c" twopass --two-pass --index "$run/twopass.idx"
  mem_run "$c" bloom --bloom 1e-4
  read -r s_sh s_par s_mb s_bps <<< "$(index_line "$run/single.err")"
  read -r t_sh t_par t_mb t_bps <<< "$(index_line "$run/twopass.err")"
  read -r b_sh b_par b_mb b_bps <<< "$(index_line "$run/bloom.err")"
  t_first=$(sed -n 's/^paradedup: first pass: \(.*\)$/\1/p' "$run/twopass.err")
  if [ -z "$dir_bytes" ]; then
    dir_mib=$(sed -n 's/^paradedup: index: .*plus a \([0-9.]*\) MiB shard directory)$/\1/p' "$run/single.err")
    [ -n "$dir_mib" ] || die "no shard directory size in the index line"
    dir_bytes=$(awk -v m="$dir_mib" 'BEGIN { printf "%.0f", m * 1048576 }')
  fi
  s_file=$(stat -c %s "$run/single.idx")
  t_file=$(stat -c %s "$run/twopass.idx")
  cmp -s "$run/single.out" "$run/twopass.out" && status[$c,twopass]=identical || status[$c,twopass]=DIFFERENT
  bloom_n=$(( bytes[$c] / 3 + 1024 ))
  rm -f "$run"/single.* "$run"/twopass.* "$run"/bloom.*
  s_all=$(awk -v b="$s_bps" -v s="$s_sh" -v d="$dir_bytes" 'BEGIN { printf "%.2f", b + d / s }')
  t_all=$(awk -v b="$t_bps" -v s="$t_sh" -v d="$dir_bytes" 'BEGIN { printf "%.2f", s ? b + d / s : 0 }')
  bps[$c]=$s_bps; bps_all[$c]=$s_all; bps_two[$c]=$t_bps
  echo
  echo "index memory, $c (--threads 2, default near mode; without -q; index MB and bytes/shingle as the CLI prints them):"
  printf '  single pass: %s shingles, %s paragraphs, index %s MB, %s bytes/shingle (%s with the %s MiB shard directory), file %.1f MB, max RSS %s MB, %ss\n' \
    "$s_sh" "$s_par" "$s_mb" "$s_bps" "$s_all" "$dir_mib" "$(ratio "$s_file" 1e6)" "${rss[$c,single]}" "${best[$c,single]}"
  printf '  two-pass:    %s shingles, %s paragraphs, index %s MB, %s bytes/shingle (%s with the directory), file %.1f MB, max RSS %s MB, %ss\n' \
    "$t_sh" "$t_par" "$t_mb" "$t_bps" "$t_all" "$(ratio "$t_file" 1e6)" "${rss[$c,twopass]}" "${best[$c,twopass]}"
  printf '               first pass: %s; output %s to single pass\n' "$t_first" "${status[$c,twopass]}"
  printf '  two-pass / single pass: shingles %s, index memory %s, index file %s\n' \
    "$(ratio "$t_sh" "$s_sh")" "$(ratio "$t_mb" "$s_mb")" "$(ratio "$t_file" "$s_file")"
  awk -v n="$bloom_n" -v mb="$b_mb" -v ns="$((s_sh + s_par))" -v rss="${rss[$c,bloom]}" -v sec="${best[$c,bloom]}" 'BEGIN {
    p = 1e-4; l2 = log(2) * log(2)
    tb = -n * log(p) / l2 / 8 / 1e6; ts = -ns * log(p) / l2 / 8 / 1e6
    printf "  bloom 1e-4:  index %s MB; sized by the CLI for n = %d items (input bytes / 3 + 1024): textbook -n ln(p)/(ln 2)^2 = %.1f MB (%.2f bits/item), ratio %.3f; max RSS %s MB, %ss\n", mb, n, tb, -log(p) / l2, mb / tb, rss, sec
    printf "               for the n = %d shingles + paragraphs the exact index stored, the textbook filter is %.1f MB\n", ns, ts
  }'
done

# ---------------------------------------------------------------------------------------
# The tables.

verdict() { awk -v a="$1" -v t="$2" 'BEGIN { print (a >= t ? "PASS" : "FAIL") }'; }
load_end=$(load)
kill "$sampler" 2> /dev/null || true
load_during=$(awk '{ s += $1; if ($1 > m) m = $1 } END { printf "mean %.2f, max %.2f (%d samples)", s / NR, m, NR }' "$run/load.log")
echo
echo "MB/s (best of $runs) and max RSS; ratios are paradedup MB/s / awk MB/s of the same run;"
echo "kept: output bytes / input bytes of awk, exact1 and near1 (awk drops every repeated line,"
echo "blank lines and form feeds included; paradedup repeated paragraphs)"
printf '%-9s %7s %8s' corpus MB awk
[ "$have_gawk" = 1 ] && printf ' %8s' gawk
printf ' %8s %8s %8s %7s %7s %7s %8s %8s %8s %8s %s\n' exact1 near1 near2 ex1/awk nr1/awk nr2/awk nr2/nr1 'awk RSS' 'nr1 RSS' 'kept a/e/n' 't1 vs t2'
fails=0
declare -a verdicts
for c in "${corpora[@]}"; do
  printf '%-9s %7.1f %8s' "$c" "$(ratio "${bytes[$c]}" 1e6)" "$(mbs "$c" awk)"
  [ "$have_gawk" = 1 ] && printf ' %8s' "$(mbs "$c" gawk)"
  e=$(ratio "${best[$c,awk]}" "${best[$c,exact1]}")
  n1=$(ratio "${best[$c,awk]}" "${best[$c,near1]}")
  n2=$(ratio "${best[$c,awk]}" "${best[$c,near2]}")
  sp=$(ratio "${best[$c,near1]}" "${best[$c,near2]}")
  printf ' %8s %8s %8s %7s %7s %7s %8s %7sM %7sM %10s %s\n' "$(mbs "$c" exact1)" "$(mbs "$c" near1)" \
    "$(mbs "$c" near2)" "$e" "$n1" "$n2" "$sp" "$(( rss[$c,awk] / 1024 ))" "$(( rss[$c,near1] / 1024 ))" \
    "${kept[$c,awk]}/${kept[$c,exact1]}/${kept[$c,near1]}%" "${status[$c,cmp]}"
  target=1.0; [ "$c" = man ] && target=2.0
  verdicts+=("$(verdict "$e" $target) $c: exact1 / awk = $e (target >= $target)")
  verdicts+=("$(verdict "$n1" 0.6) $c: near1 / awk = $n1 (target >= 0.6)")
  verdicts+=("$(verdict "$n2" 1.0) $c: near2 / awk = $n2 (target >= 1.0)")
  verdicts+=("$(verdict "$sp" 1.7) $c: near2 / near1 = $sp (target >= 1.7)")
  [ "${status[$c,cmp]}" = identical ] && v=PASS || v=FAIL
  verdicts+=("$v $c: --threads 1 and --threads 2 outputs ${status[$c,cmp]}")
done
echo
echo "the same by CPU time (user + sys, best of $runs; less sensitive to other load than wall"
echo "time, but not what the targets are about): awk seconds / paradedup seconds"
printf '%-9s %8s %8s %8s %8s\n' corpus awk ex1/awk nr1/awk 'nr2 cpu'
for c in "${corpora[@]}"; do
  printf '%-9s %7ss %8s %8s %7ss\n' "$c" "${bestcpu[$c,awk]}" "$(ratio "${bestcpu[$c,awk]}" "${bestcpu[$c,exact1]}")" \
    "$(ratio "${bestcpu[$c,awk]}" "${bestcpu[$c,near1]}")" "${bestcpu[$c,near2]}"
done
echo
echo "against the CCNet-style baseline (ccnet_dedup.py; wall time, best of $runs): its MB/s and"
echo "paradedup's speed-up over it, ccnet seconds / paradedup seconds"
printf '%-9s %9s %9s %9s %9s\n' corpus 'ccnet MB/s' ex1/ccnet nr1/ccnet nr2/ccnet
for c in "${corpora[@]}"; do
  [ -n "${best[$c,ccnet]:-}" ] || continue
  printf '%-9s %9s %9s %9s %9s\n' "$c" "$(mbs "$c" ccnet)" "$(ratio "${best[$c,ccnet]}" "${best[$c,exact1]}")" \
    "$(ratio "${best[$c,ccnet]}" "${best[$c,near1]}")" "$(ratio "${best[$c,ccnet]}" "${best[$c,near2]}")"
done
if [ "$quick" = 0 ]; then
  echo
  echo "scale: MB/s on scale500 / MB/s on scale50 (target >= 0.85 for paradedup)"
  for k in "${configs[@]}"; do
    [ "$k" = ccnet ] && continue
    s=$(ratio "$(mbs scale500 "$k")" "$(mbs scale50 "$k")")
    printf '  %-7s %s (%s -> %s MB/s)\n' "$k" "$s" "$(mbs scale50 "$k")" "$(mbs scale500 "$k")"
    case "$k" in exact1|near1|near2) verdicts+=("$(verdict "$s" 0.85) scale500 / scale50 MB/s, $k = $s (target >= 0.85)") ;; esac
  done
fi
v=$(awk -v b="${bps[$largest]}" 'BEGIN { print (b <= 8 ? "PASS" : "FAIL") }')
verdicts+=("$v $largest: ${bps[$largest]} bytes per stored shingle, single pass (target <= 8; ${bps_all[$largest]} counting the fixed 1 MiB shard directory; two-pass ${bps_two[$largest]})")
for c in "${mem_corpora[@]}"; do
  [ "${status[$c,twopass]}" = identical ] && v=PASS || v=FAIL
  verdicts+=("$v $c: --two-pass output ${status[$c,twopass]} to single pass")
done

echo
echo "targets:"
for v in "${verdicts[@]}"; do
  echo "  $v"
  case "$v" in FAIL*) fails=$((fails + 1)) ;; esac
done
total=$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
echo
echo "$fails of ${#verdicts[@]} targets failed; $(nproc) cores; ${total}s in all"
echo "load average: at start $load_start; during the run (1 min, every 10 s) $load_during; at end $load_end"
exec >&-
wait "$tee_pid" 2> /dev/null || true
