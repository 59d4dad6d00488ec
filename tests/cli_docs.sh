#!/usr/bin/env bash
# `paradedup --help`, the man page made from it and the bash completion agree on the options.
# Usage: tests/cli_docs.sh CLI MAN_PAGE COMPLETION   (MAN_PAGE empty: no help2man, not checked)
set -euo pipefail
cli=$1 man_page=$2 completion=$3
fail() { echo "cli_docs.sh: $*" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Options as words of help text: -x or --name after a space, a comma, a bracket or a line start.
options_in() { grep -oE -- '(^|[ ,(])--?[A-Za-z][A-Za-z0-9-]*' | sed 's/^[ ,(]*//' | sort -u; }

"$cli" --help | options_in > "$tmp/help"
[ "$(wc -l < "$tmp/help")" -ge 30 ] || fail "only $(wc -l < "$tmp/help") options in --help"
grep -qx -- --corpus "$tmp/help" || fail "--help does not list --corpus"

if [ -n "$man_page" ]; then
  # The page as troff (help2man writes - as \-), then as man renders it when man is here.
  sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\[,\/]//g' "$man_page" |
    options_in > "$tmp/man"
  diff -u "$tmp/help" "$tmp/man" > "$tmp/diff" ||
    { cat "$tmp/diff" >&2; fail "the man page's options differ from --help's"; }
  if command -v man > /dev/null; then
    MANWIDTH=2000 man -l "$man_page" 2> /dev/null | col -b | options_in > "$tmp/rendered"
    diff -u "$tmp/help" "$tmp/rendered" > "$tmp/diff" ||
      { cat "$tmp/diff" >&2; fail "man -l of the page shows other options than --help"; }
  fi
fi

# The completion, as bash runs it on TAB: every option for "--", only --corpus for "--co".
complete_word() {
  bash -c 'source "$1"; COMP_WORDS=("$2" "$3"); COMP_CWORD=1; _paradedup
           printf "%s\n" "${COMPREPLY[@]}"' _ "$completion" "$cli" "$1" | sort -u
}
grep -- '^--' "$tmp/help" > "$tmp/long"
complete_word -- > "$tmp/completed"
diff -u "$tmp/long" "$tmp/completed" > "$tmp/diff" ||
  { cat "$tmp/diff" >&2; fail "completing -- gives other options than --help lists"; }
[ "$(complete_word --co)" = "$(grep -- '^--co' "$tmp/help")" ] ||
  fail "completing --co gives: $(complete_word --co | tr '\n' ' ')"
echo "cli_docs.sh: $(wc -l < "$tmp/help") options agree in --help${man_page:+, the man page} and the bash completion"
