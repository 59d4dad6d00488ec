#!/bin/sh
# Makes the corpus-mode fixtures of tests/test_corpus_real.cpp from text that installed Debian
# packages provide (no download), next to this script:
#
#   copyright.txt  /usr/share/doc/*/copyright files, one document per package
#   zh.txt         Debian Reference chapters (Simplified, then Traditional Chinese) cut into
#                  documents of about 20-50 KB, and manpages-zh pages (zh_CN, then zh_TW)
#   README.md      where the text comes from, package versions, licenses
#
# Documents are separated by lines holding only a form feed (printf '\f\n'), as
# `paradedup --corpus` reads them. Deterministic: the same package versions give the same
# bytes (file lists are sorted with LC_ALL=C, man pages rendered in C.UTF-8 at 80 columns).
#
# Usage: tests/data/corpus/make_corpus_fixtures.sh [OUTDIR]   (default: this script's folder)
#
# copyright.txt: the copyright files in name order (the path /usr/share/doc/PKG/copyright),
#   without those over 64 KiB, those that are not valid UTF-8 or hold a form feed, and
#   repeats of an earlier file's exact bytes (packages sharing one file); of the rest, COUNT
#   (default 120) evenly spaced in that order. A file without a final line end gets one.
# zh.txt: debian-reference.zh-cn.txt.gz and .zh-tw.txt.gz (the plain-text edition), chapters
#   CHAPTERS (default "1 3 4 5 6 7 8"; the front matter before chapter 1 is left out), each
#   chapter cut at a section heading ("N.M. ..." or "N.M.K. ..." at column 0) once the
#   current piece has reached 25 KB and at least 12 KB of the chapter remain; then MAN_PAGES (default 15) manpages-zh pages present
#   in both zh_CN and zh_TW, evenly spaced in name order, pages rendering to under 300
#   bytes (.so redirections) or over 48 KB skipped, each rendered with
#   `MANWIDTH=80 man -E UTF-8 -l PAGE | col -b -x`. Order: the zh-cn pieces, the zh_CN pages,
#   the zh-tw pieces, the zh_TW pages (the Traditional text is a translation or conversion
#   of the Simplified one, so it repeats much of it after Traditional->Simplified folding).
#
# Needs: debian-reference-zh-cn, debian-reference-zh-tw, manpages-zh, man-db, groff-base,
# bsdextrautils (col), coreutils, gawk or mawk.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here}
count=${COUNT:-120}
chapters=${CHAPTERS:-"1 3 4 5 6 7 8"}
man_pages=${MAN_PAGES:-15}
refdir=/usr/share/debian-reference

need() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || {
    echo "make_corpus_fixtures.sh: package $1 is not installed (apt-get install $1)" >&2
    exit 1
  }
}
for p in debian-reference-zh-cn debian-reference-zh-tw manpages-zh man-db groff-base \
         bsdextrautils; do
  need "$p"
done

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ff=$(printf '\f')

# ---- copyright.txt ------------------------------------------------------------------------
: > "$tmp/sums"
: > "$tmp/candidates"
printf '%s\n' /usr/share/doc/*/copyright | LC_ALL=C sort > "$tmp/all"
while IFS= read -r f; do
  [ -f "$f" ] || continue
  [ "$(wc -c < "$f")" -le 65536 ] || continue
  iconv -f UTF-8 -t UTF-8 "$f" > /dev/null 2>&1 || continue
  grep -q "$ff" "$f" && continue
  sum=$(md5sum < "$f" | cut -d' ' -f1)
  grep -qx "$sum" "$tmp/sums" && continue
  echo "$sum" >> "$tmp/sums"
  echo "$f" >> "$tmp/candidates"
done < "$tmp/all"
total=$(wc -l < "$tmp/candidates")
# Item k (0-based) of count: line floor(k * total / count) + 1.
awk -v t="$total" -v c="$count" 'BEGIN { for (k = 0; k < c && k < t; k++) print int(k * t / c) + 1 }' \
  > "$tmp/picks"
awk 'NR == FNR { want[$1] = 1; next } want[FNR]' "$tmp/picks" "$tmp/candidates" > "$tmp/copyright_files"
: > "$out/copyright.txt"
first=1
while IFS= read -r f; do
  [ "$first" = 1 ] || printf '\f\n' >> "$out/copyright.txt"
  first=0
  cat "$f" >> "$out/copyright.txt"
  [ "$(tail -c 1 "$f" | od -An -tx1 | tr -d ' ')" = 0a ] || printf '\n' >> "$out/copyright.txt"
done < "$tmp/copyright_files"

# ---- zh.txt -------------------------------------------------------------------------------
# One file per document in $tmp/zh/, named so that `ls | sort` gives the output order.
mkdir -p "$tmp/zh"
manual() {  # $1 = zh-cn|zh-tw, $2 = order prefix
  zcat "$refdir/debian-reference.$1.txt.gz" > "$tmp/manual.txt"
  # Two passes: the first measures each chapter, so that the second does not cut off a
  # piece of under 12 KB at a chapter's end.
  LC_ALL=C awk -v dir="$tmp/zh" -v pre="$2" -v chapters=" $chapters " '
    FNR == 1 { pass++; chapter = 0 }
    {
      head = $0
      gsub(/\302\240/, " ", head)  # headings use no-break spaces
    }
    head ~ /^(第 ?[0-9]+ ?章|章 [0-9]+\.|附录 [A-Z]\.|附錄 [A-Z]\.)/ {
      chapter++
      if (pass == 2) {
        keep = index(chapters, " " chapter " ") > 0
        piece++; size = 0; rest = bytes[chapter]
        file = sprintf("%s/%s-%03d.txt", dir, pre, piece)
      }
    }
    pass == 1 { bytes[chapter] += length($0) + 1; next }
    keep && size >= 25000 && rest >= 12000 && head ~ /^[0-9]+\.[0-9]+\.([0-9]+\.)? / {
      piece++; size = 0; file = sprintf("%s/%s-%03d.txt", dir, pre, piece)
    }
    keep { print > file; size += length($0) + 1 }
    { rest -= length($0) + 1 }' "$tmp/manual.txt" "$tmp/manual.txt"
}
render_man() {  # $1 = zh_CN|zh_TW, $2 = order prefix
  k=0
  while IFS= read -r page; do
    k=$((k + 1))
    LC_ALL=C.UTF-8 MANWIDTH=80 MAN_KEEP_FORMATTING= man -E UTF-8 -l \
      "/usr/share/man/$1/$page" 2> /dev/null | LC_ALL=C.UTF-8 col -b -x \
      > "$tmp/zh/$2-$(printf %03d "$k").txt"
  done < "$tmp/man_pages"
}

# Man pages: names present in both trees that render to 300 bytes .. 48 KB, evenly spaced.
(cd /usr/share/man/zh_CN && find . -path './man[1-8]/*' -type f -name '*.gz' | LC_ALL=C sort) \
  > "$tmp/man_cn"
(cd /usr/share/man/zh_TW && find . -path './man[1-8]/*' -type f -name '*.gz' | LC_ALL=C sort) \
  > "$tmp/man_tw"
LC_ALL=C comm -12 "$tmp/man_cn" "$tmp/man_tw" > "$tmp/man_both"
total=$(wc -l < "$tmp/man_both")
: > "$tmp/man_pages"
k=0
picked=0
while IFS= read -r page && [ "$picked" -lt "$man_pages" ]; do
  k=$((k + 1))
  # Start at the first of each stride of total/man_pages pages; take the first that fits.
  [ $(( (k - 1) * man_pages / total )) -ge "$picked" ] || continue
  ok=1
  for lang in zh_CN zh_TW; do
    size=$(LC_ALL=C.UTF-8 MANWIDTH=80 MAN_KEEP_FORMATTING= man -E UTF-8 -l \
             "/usr/share/man/$lang/$page" 2> /dev/null | LC_ALL=C.UTF-8 col -b -x | wc -c)
    { [ "$size" -ge 300 ] && [ "$size" -le 49152 ]; } || ok=0
  done
  [ "$ok" = 1 ] || continue
  echo "$page" >> "$tmp/man_pages"
  picked=$((picked + 1))
done < "$tmp/man_both"

manual zh-cn 1
render_man zh_CN 2
manual zh-tw 3
render_man zh_TW 4
: > "$out/zh.txt"
first=1
for f in $(cd "$tmp/zh" && printf '%s\n' *.txt | LC_ALL=C sort); do
  [ "$first" = 1 ] || printf '\f\n' >> "$out/zh.txt"
  first=0
  cat "$tmp/zh/$f" >> "$out/zh.txt"
done

# ---- README.md ----------------------------------------------------------------------------
versions() {
  dpkg-query -W -f='${Package} ${Version}\n' "$@" | sed 's/^/- /'
}
# Joins its input lines with "; " into lines of at most 96 characters, never inside one.
pack() {
  awk '{ if (line != "" && length(line) + 2 + length($0) > 96) { print line ";"; line = "" }
         line = line == "" ? $0 : line "; " $0 }
       END { if (line != "") print line }'
}
docs() { printf '%s\n' "$(($(grep -c "^$ff\$" "$1") + 1))"; }
{
  cat << 'EOF'
# Corpus-mode fixtures (tests/test_corpus_real.cpp)

Real Debian text for the corpus-mode properties test, bundled so that CI needs no extra
package. Made by `tests/data/corpus/make_corpus_fixtures.sh` (see its header for every rule;
deterministic: the same package versions give the same bytes). Documents are separated by
lines holding only a form feed, as `paradedup --corpus` reads them. Re-run the script to
regenerate all three files (this README is written by it too).

| File | Documents | Bytes | Text |
|---|---:|---:|---|
EOF
  printf '| `copyright.txt` | %s | %s | `/usr/share/doc/PKG/copyright` of the packages below, in name order: files over 64 KiB, not UTF-8 or holding a form feed, and byte-identical repeats left out, then %s evenly spaced |\n' \
    "$(docs "$out/copyright.txt")" "$(wc -c < "$out/copyright.txt")" "$count"
  printf '| `zh.txt` | %s | %s | Debian Reference (plain-text edition) chapters %s in Simplified Chinese cut into pieces of about 20-50 KB at section headings, then %s manpages-zh pages from `zh_CN` rendered with `MANWIDTH=80 man -l` and `col -b -x`; then the same chapters in Traditional Chinese and the same pages from `zh_TW` |\n' \
    "$(docs "$out/zh.txt")" "$(wc -c < "$out/zh.txt")" "$(echo $chapters | tr ' ' ',')" \
    "$(wc -l < "$tmp/man_pages")"
  cat << 'EOF'

## Licenses

- `copyright.txt`: each document is a package's own copyright file, under the terms it
  states (they are notices and license texts, distributed with every Debian system).
- `zh.txt`, Debian Reference: GPL-2+ (`/usr/share/doc/debian-reference-common/copyright`;
  translators licensed their work alike).
- `zh.txt`, manpages-zh: GFDL-1.2+ for the translations as a whole, some pages GPL-2.0(+)
  or "GPLv2+_DOC_FULL" (`/usr/share/doc/manpages-zh/copyright`).

## Packages

Tools and Chinese text:

EOF
  versions debian-reference-zh-cn debian-reference-zh-tw manpages-zh man-db groff-base \
    bsdextrautils
  printf '\nMan pages (each from `/usr/share/man/zh_CN/` and `/usr/share/man/zh_TW/`):\n\n'
  sed 's|^\./||' "$tmp/man_pages" | pack
  printf '\nCopyright files (package version, in document order):\n\n'
  while IFS= read -r f; do
    pkg=$(basename "$(dirname "$f")")
    v=$(dpkg-query -W -f='${Version}' "$pkg" 2> /dev/null || true)
    [ -n "$v" ] || v=$(dpkg-query -W -f='${Version}' "$pkg:$(dpkg --print-architecture)" \
                         2> /dev/null || echo '?')
    printf '%s %s\n' "$pkg" "$v"
  done < "$tmp/copyright_files" | pack
} > "$out/README.md"

printf 'copyright.txt: %s documents, %s bytes\nzh.txt: %s documents, %s bytes\n' \
  "$(docs "$out/copyright.txt")" "$(wc -c < "$out/copyright.txt")" \
  "$(docs "$out/zh.txt")" "$(wc -c < "$out/zh.txt")"
