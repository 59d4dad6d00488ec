#!/usr/bin/env bash
# A long fuzz campaign, one command; not part of the test suite.
#
#   fuzz/campaign.sh HOURS [OUTDIR]      OUTDIR defaults to build-fuzz-campaign
#
# Builds the three targets with ASan+UBSan (fuzz/build.sh), then runs them one after the
# other (2 cores: one target at a time, libFuzzer's own fork mode off) for HOURS in all:
# fuzz_document 60% (with fuzz/document.dict), fuzz_jsonl 20%, fuzz_index 20%. Each target
# keeps its grown corpus in OUTDIR/corpus-TARGET across campaigns (seeded from fuzz/corpus*,
# which stay read-only). fuzz_document checks every invariant of fuzz/fuzz_document.cpp
# (output a subsequence of the input, kept sources, kinds and similarities, idempotence, the
# invalid-UTF-8 policies); an auto mode flip is recorded in OUTDIR/findings, anything else stops
# the target with its input in OUTDIR/artifacts. At the end it prints, per target, the
# executions, coverage (cov, ft) and findings, which the closing note of a campaign reports.
# Exit status 1 when any target crashed or broke an invariant.
set -uo pipefail
hours=${1:?usage: fuzz/campaign.sh HOURS [OUTDIR]}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${2:-$root/build-fuzz-campaign}
case $out in /*) ;; *) out=$PWD/$out ;; esac
mkdir -p "$out/artifacts" "$out/findings"
"$root/fuzz/build.sh" "$out" >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 1; }
total=$(awk -v h="$hours" 'BEGIN { printf "%d", h * 3600 }')
failed=0
report=()
run() {  # TARGET SEEDS SHARE MAX_LEN [EXTRA...]
  local target=$1 seeds=$2 share=$3 max_len=$4
  shift 4
  local secs=$((total * share / 100)) corpus=$out/corpus-$target log=$out/$target.log status=0
  ((secs > 0)) || secs=1
  mkdir -p "$corpus"
  echo "campaign: $target for $secs s (log $log)" >&2
  (cd "$out" && FUZZ_IDEMPOTENCE=record FUZZ_RECORD_DIR="$out/findings" \
    "$out/$target" -max_total_time="$secs" -max_len="$max_len" -timeout=60 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$out/artifacts/$target-" "$@" \
    "$corpus" "$root/fuzz/$seeds" >"$log" 2>&1) || status=$?
  local execs cov
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -a -E '(DONE|pulse|NEW|REDUCE) +cov:' "$log" | tail -n 1 | grep -o 'cov: [0-9]* ft: [0-9]*')
  if ((status != 0)); then
    failed=1
    grep -a -E -A 20 'INVARIANT VIOLATED|ERROR: |SUMMARY: ' "$log" | head -n 40 >&2
  fi
  report+=("$(printf '%-14s %7s s  %10s executions  %-22s  %s' "$target" "$secs" "${execs:-?}" \
    "${cov:-cov ?}" "$( ((status == 0)) && echo ok || echo "FAILED (status $status)")")")
}
run fuzz_document corpus 60 8192 -dict="$root/fuzz/document.dict"
run fuzz_jsonl corpus_jsonl 20 8192
run fuzz_index corpus_index 20 20000
printf '%s\n' "${report[@]}"
flips=$(find "$out/findings" -name 'autoflip-*' | wc -l)
others=$(find "$out/findings" -type f ! -name 'autoflip-*' | wc -l)
echo "findings: $flips auto mode flips (known limitation), $others other (in $out/findings)"
((others == 0)) || failed=1
exit "$failed"
