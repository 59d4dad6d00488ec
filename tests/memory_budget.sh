#!/usr/bin/env bash
# The memory budget (options::max_memory, --max-memory) under a hard limit: with the address
# space capped by `ulimit -v`, a document whose tables would not fit is passed through
# unchanged with a warning that names --max-memory (never an out-of-memory kill), --strict
# turns that into exit status 1, and a document within the budget is deduplicated as usual
# under the same cap. Not for sanitizer builds (ASan reserves terabytes of address space).
#
#   tests/memory_budget.sh PARADEDUP_BINARY
set -euo pipefail
bin=${1:?usage: memory_budget.sh PARADEDUP_BINARY}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 400,000 distinct lines (21 MB): their tables need about 540 MB of RSS, the cap is 400 MB.
awk 'BEGIN { for (i = 1; i <= 400000; i++) print "item " i " of the list, written as a line of its own" }' \
  >"$work/big.txt"
cap_kb=400000
# Without a budget that fits the cap, the run fails cleanly (an error, exit 1), or succeeds.
set +e
(ulimit -v $cap_kb; "$bin" -q --max-memory 0 "$work/big.txt" >"$work/out0.txt" 2>"$work/err0.txt")
status=$?
set -e
((status == 0 || status == 1)) || fail "unbudgeted run under the cap: exit $status (killed?)"
((status == 0)) || grep -q 'error' "$work/err0.txt" || fail "unbudgeted run: exit 1 without a message"

# With a budget below the cap, it is passed through unchanged with a warning naming the option.
(ulimit -v $cap_kb; "$bin" -q --max-memory 100M "$work/big.txt" >"$work/out.txt" 2>"$work/err.txt") ||
  fail "budgeted run: exit $? ($(head -c 300 "$work/err.txt"))"
cmp -s "$work/big.txt" "$work/out.txt" || fail "budgeted run: output differs from the input"
grep -q -- '--max-memory' "$work/err.txt" || fail "budgeted run: the warning does not name --max-memory"
grep -q 'passed through unchanged' "$work/err.txt" || fail "budgeted run: no pass-through warning"
# --strict: the same, exit 1.
set +e
(ulimit -v $cap_kb; "$bin" -q --strict --max-memory 100M "$work/big.txt" >/dev/null 2>&1)
status=$?
set -e
((status == 1)) || fail "--strict with a document over budget: exit $status, want 1"

# A document within the budget is deduplicated under the same cap: 20,000 lines, each twice.
head -n 20000 "$work/big.txt" >"$work/small.txt"
cat "$work/small.txt" "$work/small.txt" >"$work/twice.txt"
(ulimit -v $cap_kb; "$bin" -q --max-memory 100M "$work/twice.txt" >"$work/out2.txt" 2>"$work/err2.txt") ||
  fail "small run: exit $? ($(head -c 300 "$work/err2.txt"))"
cmp -s "$work/small.txt" "$work/out2.txt" || fail "small run: the second copy was not removed"
echo "memory budget: ok (cap ${cap_kb} KiB)"
