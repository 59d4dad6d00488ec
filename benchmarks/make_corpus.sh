#!/bin/sh
# Builds the benchmark and tuning corpus from text that installed Debian packages provide
# (no download). One output file is one document; paragraphs are separated by blank lines.
#
# Usage: benchmarks/make_corpus.sh OUTDIR [MAN_PAGES_PER_LANGUAGE]
#
#   OUTDIR/en/     debref-NN.txt (debian-reference-en, one file per chapter),
#                  copyright-PKG.txt (/usr/share/doc/*/copyright: identical files once,
#                  files over 256 KiB skipped)
#   OUTDIR/zh-cn/  debref-NN.txt (debian-reference-zh-cn), man-*.txt (manpages-zh, zh_CN)
#   OUTDIR/zh-tw/  debref-NN.txt (debian-reference-zh-tw), man-*.txt (manpages-zh, zh_TW)
#   OUTDIR/ja/     debref-NN.txt (debian-reference-ja), man-*.txt (manpages-ja)
#   OUTDIR/MANIFEST  package versions, file counts and sizes
#
# Man pages are rendered with `man -l` at 80 columns; MAN_PAGES_PER_LANGUAGE (default 150)
# of them are taken per language, evenly spaced in name order, so the corpus is the same
# on every machine with the same package versions. Needs: debian-reference-{en,ja,zh-cn,zh-tw},
# manpages-zh, manpages-ja, man-db, groff-base (apt-get install them).
set -eu

out=${1:?usage: make_corpus.sh OUTDIR [MAN_PAGES_PER_LANGUAGE]}
max_man=${2:-150}
refdir=/usr/share/debian-reference
jobs=$(nproc 2>/dev/null || echo 1)
[ "$jobs" -gt 2 ] && jobs=2

need() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || {
    echo "make_corpus.sh: package $1 is not installed (apt-get install $1)" >&2
    exit 1
  }
}
for p in debian-reference-en debian-reference-ja debian-reference-zh-cn debian-reference-zh-tw \
         manpages-zh manpages-ja man-db; do
  need "$p"
done

rm -rf "$out"
mkdir -p "$out/en" "$out/zh-cn" "$out/zh-tw" "$out/ja"

# debian-reference: the plain-text edition, cut at chapter and appendix headings (column 0).
# The front matter (title page, tables of contents) before the first chapter is left out.
for lang in en zh-cn zh-tw ja; do
  zcat "$refdir/debian-reference.$lang.txt.gz" | awk -v dir="$out/$lang" '
    {
      head = $0
      gsub(/\302\240/, " ", head)  # headings use no-break spaces
    }
    head ~ /^(Chapter [0-9]+\.|第 ?[0-9]+ ?章|章 [0-9]+\.|Appendix [A-Z]\.|附录 [A-Z]\.|附錄 [A-Z]\.|付録 ?[A-Z])/ {
      n++; file = sprintf("%s/debref-%02d.txt", dir, n)
    }
    n > 0 { print > file }'
done

# Copyright files: English legal and descriptive text, one document each.
seen=$(mktemp)
trap 'rm -f "$seen"' EXIT
for f in /usr/share/doc/*/copyright; do
  [ -f "$f" ] || continue
  size=$(wc -c < "$f")
  [ "$size" -le 262144 ] || continue
  sum=$(md5sum < "$f" | cut -d' ' -f1)
  grep -qx "$sum" "$seen" && continue
  echo "$sum" >> "$seen"
  pkg=$(basename "$(dirname "$f")")
  cp "$f" "$out/en/copyright-$pkg.txt"
done

# Man pages: rendered as a terminal would show them, then stripped of overstrikes.
render_man() {  # $1 = source dir, $2 = output dir
  list=$(mktemp)
  find "$1" -path '*/man[1-8]/*' -type f -name '*.gz' | LC_ALL=C sort > "$list"
  total=$(wc -l < "$list")
  step=$(( (total + max_man - 1) / max_man ))
  [ "$step" -ge 1 ] || step=1
  awk -v s="$step" -v m="$max_man" '(NR - 1) % s == 0 && ++k <= m' "$list" |
    OUT="$2" xargs -P "$jobs" -n 1 sh -c '
      name=$(basename "$1" .gz)
      # A UTF-8 locale for col, or it writes non-ASCII bytes as "\xe4" escapes.
      LC_ALL=C.UTF-8 MANWIDTH=80 MAN_KEEP_FORMATTING= man -E UTF-8 -l "$1" 2>/dev/null |
        LC_ALL=C.UTF-8 col -b -x > "$OUT/man-$name.txt" || true
      # .so redirections and empty pages give next to nothing: drop them.
      [ "$(wc -c < "$OUT/man-$name.txt")" -ge 300 ] || rm -f "$OUT/man-$name.txt"' sh
  rm -f "$list"
}
render_man /usr/share/man/zh_CN "$out/zh-cn"
render_man /usr/share/man/zh_TW "$out/zh-tw"
render_man /usr/share/man/ja "$out/ja"

{
  echo "# paradedup benchmark corpus, made by benchmarks/make_corpus.sh $max_man"
  dpkg-query -W -f='${Package} ${Version}\n' debian-reference-en debian-reference-ja \
    debian-reference-zh-cn debian-reference-zh-tw manpages-zh manpages-ja man-db groff-base
  for lang in en zh-cn zh-tw ja; do
    printf '%s: %s files, %s bytes\n' "$lang" "$(ls "$out/$lang" | wc -l)" \
      "$(cat "$out/$lang"/* | wc -c)"
  done
} > "$out/MANIFEST"
cat "$out/MANIFEST"
