#!/usr/bin/env bash
# The bad-input matrix of issue 4 ("Hardening"), run through a paradedup binary and printed
# as a Markdown table on stdout: input | command | exit code | first message line | bytes lost.
# tests/test_bad_input.cpp asserts the same rows in the test suite; this script is for
# reading (and for the closing note of the issue).
#
#   tests/bad_input_matrix.sh build/examples/paradedup [SCRATCH_DIR]
#
# "bytes lost" is computed, not assumed: the bytes of the input that are not a repeat (the
# input with the repeats the row plants cut out, written down by the script) that are missing
# from the output, counted with a byte-wise diff. A row whose input cannot be read runs after
# a good input, and counts that one. An index row counts the bytes of the index file that the
# run changed (a refused index must stay as it was). A row with a growing input counts the
# bytes present when the run started that are not a prefix of the output.
#
# Every row also has an expected exit status; a row that differs, or loses a byte, is marked
# and makes the exit status 1. The big rows (a 200 MB line, a million paragraphs) show their
# wall time and peak memory (GNU time, when /usr/bin/time exists). Takes about a minute and
# needs about 1 GB of disk in SCRATCH_DIR (default: a new folder in $TMPDIR, removed at the end).
# Inputs are written with printf formats that hold the text and the escapes of its bad bytes.
# shellcheck disable=SC2059
set -uo pipefail

if (($# < 1)) || [[ ! -x $1 ]]; then
  echo "usage: $0 PARADEDUP_BINARY [SCRATCH_DIR]" >&2
  exit 2
fi
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
if (($# >= 2)); then
  work=$2
  mkdir -p "$work"
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/paradedup-matrix.XXXXXX")
  trap 'chmod -R u+rwX "$work" 2>/dev/null; rm -rf "$work"' EXIT
fi
chmod 755 "$work"
cd "$work" || exit 1

timed=0
/usr/bin/time -f %M true >/dev/null 2>&1 && timed=1
# As root, unreadable files are read anyway: run those rows as nobody when setpriv can.
as_user=()
if ((EUID == 0)); then
  if setpriv --reuid=65534 --regid=65534 --clear-groups "$bin" --version >/dev/null 2>&1; then
    as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  else
    as_user=(none)
  fi
fi

failures=0
rows=()

# bytes_lost EXPECTED OUTPUT: the bytes of EXPECTED that OUTPUT does not have (a byte-wise
# longest common subsequence, through diff); 0 when the files are equal.
bytes_lost() {
  if cmp -s "$1" "$2"; then
    echo 0
    return
  fi
  local size
  size=$(stat -c %s "$1")
  if ((size > 64 << 20)); then  # too big for a byte-wise diff: every missing byte counts
    local out_size
    out_size=$(stat -c %s "$2")
    echo "$((size > out_size ? size - out_size : 0))+ (differs)"
    return
  fi
  diff <(od -An -v -tx1 -w1 "$1") <(od -An -v -tx1 -w1 "$2") | grep -c '^<'
}

# prefix_lost START OUTPUT FINAL: for an input that grew during the run: the bytes of START
# (the input when the run began) missing from OUTPUT, or all of OUTPUT when it is not a prefix
# of FINAL (the input when the run ended).
prefix_lost() {
  local start_size out_size
  start_size=$(stat -c %s "$1")
  out_size=$(stat -c %s "$2")
  if ! cmp -s -n "$out_size" "$2" "$3"; then
    echo "$out_size (not a prefix)"
  elif ((out_size < start_size)); then
    echo $((start_size - out_size))
  else
    echo 0
  fi
}

# run_cli ARGS...: runs the binary with ARGS in the scratch folder: stdout to out, stderr to
# err, the status to $status, and "wall s, peak MB" to $cost when timed.
run_cli() {
  status=0
  cost=""
  if ((timed)); then
    /usr/bin/time -o time.txt -f '%e %M' "$bin" "$@" >out 2>err || status=$?
    cost=$(awk '{ printf "%.1f s, %.0f MB peak", $1, $2 / 1024 }' time.txt)
  else
    "$bin" "$@" >out 2>err || status=$?
  fi
}

# add_row WANT INPUT COMMAND LOST: one table row from the last run_cli. The message is the
# first error or warning on stderr, else its first line, without "paradedup: ".
add_row() {
  local want=$1 input=$2 command=$3 lost=$4 message code=$status
  message=$({ grep -a -m 1 -E '^paradedup: (error|warning):' err || head -n 1 err; } |
    sed 's/^paradedup: //' | cut -c 1-140 | LC_ALL=C tr -d '\000-\010\013-\037\177-\377')
  ((${#message} == 140)) && message+="..."
  [[ -z $message ]] && message="(none)"
  if [[ $status != "$want" ]]; then
    code="**$status** (expected $want)"
    failures=$((failures + 1))
  fi
  if [[ $lost != 0 ]]; then
    lost="**$lost**"
    failures=$((failures + 1))
  fi
  message=${message//|/\\|}
  rows+=("| $input | \`$command\` | $code | $message | $lost |")
}

# row WANT INPUT EXPECTED ARGS...: run, then compare the output with the file EXPECTED.
row() {
  local want=$1 input=$2 expected=$3
  shift 3
  run_cli "$@"
  add_row "$want" "$input" "paradedup $*" "$(bytes_lost "$expected" out)"
}

P1='A paragraph that is long enough to be compared here.'
P2='Another paragraph, also long enough to be compared.'
P3='A third paragraph that nobody has written before now.'
j() { printf '{"id":"%s","text":"%s"}\n' "$1" "$2"; }  # a JSON Lines record

# ---- invalid UTF-8 -------------------------------------------------------------------------
for kind in overlong surrogate truncated; do
  case $kind in
    overlong) bad='\xC0\xAF' what='overlong UTF-8 (C0 AF)' ;;
    surrogate) bad='\xED\xA0\x80' what='UTF-16 surrogate (ED A0 80)' ;;
    truncated) bad='\xE4\xB8' what='sequence cut at the end of the file (E4 B8)' ;;
  esac
  if [[ $kind == truncated ]]; then
    printf "$P1\\nbad $bad" >$kind.txt
  else
    printf "$P1\\nbad $bad bytes\\n$P1\\n" >$kind.txt
  fi
  row 0 "$what, a repeat after it" $kind.txt $kind.txt
  # Three documents: the second repeats the first, the third is the bad one.
  { printf "$P2\\n\\f\\n$P2\\n$P3\\n\\f\\n"; cat $kind.txt; } >${kind}_c.txt
  { printf "$P2\\n\\f\\n$P3\\n\\f\\n"; cat $kind.txt; } >${kind}_c.expected
  row 0 "$what in document 3 of 3" ${kind}_c.expected --corpus ${kind}_c.txt
  printf -v bad_bytes "$bad"
  { j r "$P1\\nbad $bad_bytes bytes\\n"; j g "$P2\\n$P2\\n"; } >$kind.jsonl
  { j r "$P1\\nbad $bad_bytes bytes\\n"; j g "$P2\\n"; } >$kind.jsonl.expected
  row 0 "$what in record 1 of 2" $kind.jsonl.expected --jsonl $kind.jsonl
done

# ---- NUL bytes, BOM, UTF-16 --------------------------------------------------------------------
printf "A paragraph with a \\0 byte, long enough to count.\\n$P2\\nA paragraph with a \\0 byte, long enough to count.\\n" >nul.txt
printf "A paragraph with a \\0 byte, long enough to count.\\n$P2\\n" >nul.expected
row 0 "NUL bytes in text, a repeat" nul.expected nul.txt
{ printf '{"id":"raw","text":"a raw \0 byte"}\n'; j g "$P2\\n$P2\\n"; } >nul.jsonl
{ printf '{"id":"raw","text":"a raw \0 byte"}\n'; j g "$P2\\n"; } >nul.jsonl.expected
row 0 "JSON Lines: raw NUL byte in a string" nul.jsonl.expected --jsonl nul.jsonl
nul_p='NUL \u0000 escaped, long enough to count.\n'
j e "$nul_p$P2\\n$nul_p" >nul_esc.jsonl
j e "$nul_p$P2\\n" >nul_esc.jsonl.expected
row 0 'JSON Lines: escaped \u0000, a repeat' nul_esc.jsonl.expected --jsonl nul_esc.jsonl

printf "\xEF\xBB\xBF$P1\\n$P2\\n$P1\\n" >bom.txt
printf "\xEF\xBB\xBF$P1\\n$P2\\n" >bom.expected
row 0 "UTF-8 BOM, a repeat" bom.expected bom.txt
printf "\xEF\xBB\xBF$P1\\n$P2\\n\\f\\n\xEF\xBB\xBF$P1\\n$P3\\n" >bom_c.txt
printf "\xEF\xBB\xBF$P1\\n$P2\\n\\f\\n\xEF\xBB\xBF$P3\\n" >bom_c.expected
row 0 "UTF-8 BOM on 2 documents, a repeat across them" bom_c.expected --corpus bom_c.txt
{ printf '\xEF\xBB\xBF'; j b "$P1\\n$P1\\n"; } >bom.jsonl
{ printf '\xEF\xBB\xBF'; j b "$P1\\n"; } >bom.jsonl.expected
row 0 "UTF-8 BOM before the first record" bom.jsonl.expected --jsonl bom.jsonl

printf "$P1\\n$P1\\n" | iconv -f UTF-8 -t UTF-16LE | { printf '\xFF\xFE'; cat; } >utf16le.txt
printf "$P1\\n$P1\\n" | iconv -f UTF-8 -t UTF-16BE | { printf '\xFE\xFF'; cat; } >utf16be.txt
j u "$P1\\n" | iconv -f UTF-8 -t UTF-16LE | { printf '\xFF\xFE'; cat; } >utf16le.jsonl
for order in le be; do
  row 0 "UTF-16 ${order^^} with BOM, a repeat" utf16$order.txt utf16$order.txt
  row 0 "UTF-16 ${order^^} with BOM, a repeat" utf16$order.txt --corpus utf16$order.txt
done
row 0 "UTF-16 LE JSON Lines" utf16le.jsonl --jsonl utf16le.jsonl
printf "$P1\\n$P1\\n" | iconv -f UTF-8 -t UTF-16LE >utf16le_nobom.txt
printf "$P1\\n" | iconv -f UTF-8 -t UTF-16LE >utf16le_nobom.expected
row 0 "UTF-16 LE without BOM (valid UTF-8: read as text with NULs), a repeat" \
  utf16le_nobom.expected utf16le_nobom.txt

# ---- size ------------------------------------------------------------------------------------
yes 'lorem ipsum dolor sit amet consectetur ' | tr -d '\n' | head -c 200000000 >big.txt
echo >>big.txt
for mode in "" --corpus; do
  run_cli $mode big.txt
  add_row 0 "200 MB single line ($cost)" "paradedup ${mode:+$mode }big.txt" \
    "$(bytes_lost big.txt out)"
done
{ printf '{"id":"big","text":"'; head -c 200000000 big.txt; printf '"}\n'; } >big.jsonl
rm -f big.txt
run_cli --jsonl big.jsonl
add_row 0 "200 MB record ($cost)" "paradedup --jsonl big.jsonl" "$(bytes_lost big.jsonl out)"
rm -f big.jsonl out

yes a | head -n 1000000 >a1m.txt
seq -f 'l%07.0f' 1 1000000 >l1m.txt
for mode in "" --corpus; do
  run_cli $mode a1m.txt
  add_row 0 "1,000,000 paragraphs \"a\" ($cost)" "paradedup ${mode:+$mode }a1m.txt" \
    "$(bytes_lost a1m.txt out)"
  run_cli $mode l1m.txt
  add_row 0 "1,000,000 distinct short lines ($cost)" "paradedup ${mode:+$mode }l1m.txt" \
    "$(bytes_lost l1m.txt out)"
done
yes "$(printf 'a\n\f')" | head -n 1999999 >a1m_docs.txt  # 1,000,000 documents "a"
run_cli --corpus a1m_docs.txt
add_row 0 "1,000,000 documents \"a\" ($cost)" "paradedup --corpus a1m_docs.txt" \
  "$(bytes_lost a1m_docs.txt out)"
rm -f a1m.txt l1m.txt a1m_docs.txt out

# ---- files that are not there, not readable, not files ------------------------------------------
: >empty.txt
row 0 "empty file" empty.txt empty.txt
row 0 "empty file" empty.txt --corpus empty.txt
row 0 "empty file" empty.txt --jsonl empty.txt
printf "$P1\\n$P2\\n" >good.txt
j g "$P1\\n$P2\\n" >good.jsonl
mkdir -p a_dir
row 1 "a directory (after a good file)" good.txt good.txt a_dir
row 1 "a directory (after a good file)" good.txt --corpus good.txt a_dir
row 1 "a directory (after a good file)" good.jsonl --jsonl good.jsonl a_dir
rm -f missing.txt
row 1 "a missing file (after a good file)" good.txt good.txt missing.txt
row 1 "a missing file (after a good file)" good.txt --corpus good.txt missing.txt
row 1 "a missing file (after a good file)" good.jsonl --jsonl good.jsonl missing.txt
mkdir -p locked && chmod 755 locked
printf "$P1\\n" >locked/secret.txt && chmod 000 locked/secret.txt
if [[ ${as_user[0]:-} == none ]]; then
  rows+=("| unreadable file (mode 000) | - | - | not run: root, and setpriv cannot run the binary as nobody | - |")
else
  for mode in "" --corpus --jsonl; do
    good=good.txt
    [[ $mode == --jsonl ]] && good=good.jsonl
    status=0
    "${as_user[@]}" "$bin" $mode $good locked/secret.txt >out 2>err || status=$?
    add_row 1 "unreadable file, mode 000 (after a good file${as_user:+; as nobody})" \
      "paradedup ${mode:+$mode }$good locked/secret.txt" "$(bytes_lost $good out)"
  done
fi

# ---- inputs that change while they are read ------------------------------------------------------
for k in $(seq 1 40); do echo "w${k}a w${k}b w${k}c w${k}d w${k}e w${k}f"; done >fifo.expected
for mode in "" --corpus; do
  rm -f fifo && mkfifo fifo
  (while IFS= read -r l; do printf '%s\n' "$l"; sleep 0.01; done <fifo.expected >fifo) &
  run_cli $mode fifo
  exec 3<>fifo  # frees the writer if the binary never opened the FIFO
  wait
  exec 3>&-
  add_row 0 "a FIFO written line by line during the run" "paradedup ${mode:+$mode }fifo" \
    "$(bytes_lost fifo.expected out)"
done
seq -f 'n%08.0f' 1 200000 >growing.start
for mode in "" --corpus; do
  cp growing.start growing.txt
  rm -f growing.stop
  (k=200001; while [[ ! -e growing.stop ]]; do seq -f 'n%08.0f' $k $((k + 999)); k=$((k + 1000)); sleep 0.01; done >>growing.txt) &
  run_cli $mode growing.txt
  touch growing.stop
  wait
  add_row 0 "a file appended to during the run (1.8 MB at the start)" \
    "paradedup ${mode:+$mode }growing.txt" "$(prefix_lost growing.start out growing.txt)"
done

# ---- malformed JSON Lines ----------------------------------------------------------------------
i=0
for bad in null '{"a":1}' '["a"]' true 42; do
  i=$((i + 1))
  { printf '{"id":"x","text":%s}\n' "$bad"; j g "$P1\\n$P1\\n"; } >t$i.jsonl
  { printf '{"id":"x","text":%s}\n' "$bad"; j g "$P1\\n"; } >t$i.expected
  row 0 "JSON Lines: text is $bad" t$i.expected --jsonl t$i.jsonl
done
{ j g "$P1\\n$P1\\n"; printf '{"id":"cut","text":"A paragraph that is long enou'; } >cut.jsonl
{ j g "$P1\\n"; printf '{"id":"cut","text":"A paragraph that is long enou'; } >cut.expected
row 0 "JSON Lines: last line cut mid-string, no line end" cut.expected --jsonl cut.jsonl
digits=$(printf '9%.0s' $(seq 400))
head='{"id":"h","big":1e999999,"small":-1e-999999,"n":'$digits',"text":"'
printf '%s%s\\n%s\\n%s\\n"}\n' "$head" "$P1" "$P2" "$P1" >huge.jsonl
printf '%s%s\\n%s\\n"}\n' "$head" "$P1" "$P2" >huge.expected
row 0 "JSON Lines: 1e999999, -1e-999999, a 400-digit integer; a repeat" huge.expected \
  --jsonl huge.jsonl
deep=$(printf '%100000s' '' | tr ' ' '[')$(printf '%100000s' '' | tr ' ' ']')
{ printf '{"id":"d","meta":%s,"text":"x"}\n' "$deep"; j g "$P1\\n$P1\\n"; } >deep.jsonl
{ printf '{"id":"d","meta":%s,"text":"x"}\n' "$deep"; j g "$P1\\n"; } >deep.expected
row 0 "JSON Lines: 100,000-deep nesting" deep.expected --jsonl deep.jsonl

# ---- index files -------------------------------------------------------------------------------
rm -f good.idx
"$bin" --corpus -q --index good.idx good.txt >/dev/null
size=$(stat -c %s good.idx)
head -c $((size / 2)) good.idx >truncated.idx
cp good.idx flipped.idx
printf "\\x$(printf %02x $(($(od -An -tu1 -j $((size / 2)) -N1 good.idx) ^ 16)))" |
  dd of=flipped.idx bs=1 seek=$((size / 2)) conv=notrunc status=none
cp good.idx future.idx
printf '\x03' | dd of=future.idx bs=1 seek=8 conv=notrunc status=none
echo 'not an index at all' >text.idx
: >empty.idx
mkdir -p dir.idx
cp good.idx settings.idx
index_row() {  # index_row INPUT INDEX [FLAGS...]
  local input=$1 idx=$2
  shift 2
  [[ -d $idx ]] || cp "$idx" before.idx
  run_cli --corpus "$@" --index "$idx" good.txt
  local lost=0
  [[ -d $idx ]] || lost=$(bytes_lost before.idx "$idx")
  add_row 1 "$input" "paradedup --corpus ${*:+$* }--index $idx good.txt" "$lost"
}
index_row "index: truncated to half" truncated.idx
index_row "index: one bit flipped" flipped.idx
index_row "index: format version 3" future.idx
index_row "index: other settings (--fold-digits)" settings.idx --fold-digits
index_row "index: exact, run asks --bloom" settings.idx --bloom 1e-3
index_row "index: a text file" text.idx
index_row "index: an empty file" empty.idx
index_row "index: a directory" dir.idx
if [[ ${as_user[0]:-} != none ]]; then
  cp good.idx locked/locked.idx && cp good.idx before.idx && chmod 000 locked/locked.idx
  status=0
  "${as_user[@]}" "$bin" --corpus --index locked/locked.idx good.txt >out 2>err || status=$?
  chmod 644 locked/locked.idx
  add_row 1 "index: unreadable, mode 000${as_user:+ (as nobody)}" \
    "paradedup --corpus --index locked/locked.idx good.txt" \
    "$(bytes_lost before.idx locked/locked.idx)"
fi
rm -f merged.idx
cp truncated.idx before.idx
run_cli --merge-index good.idx truncated.idx -o merged.idx
lost=$(bytes_lost before.idx truncated.idx)
[[ -e merged.idx ]] && lost+=" (merged.idx written)"
add_row 1 "index: truncated, merged" "paradedup --merge-index good.idx truncated.idx -o merged.idx" \
  "$lost"
chmod -R u+rwX locked

# ---- the table ---------------------------------------------------------------------------------
echo "| input | command | exit code | first message line | bytes lost |"
echo "|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo
echo "$("$bin" --version); ${#rows[@]} rows, $failures unexpected (exit code or bytes lost)."
((failures == 0))
