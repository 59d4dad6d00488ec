#!/usr/bin/env bash
# Fuzz smoke run, part of scripts/test: builds the three libFuzzer targets with fuzz/build.sh
# into OUTDIR, runs each for SECONDS seconds on a scratch copy of its seed corpus, then runs
# fuzz_document on every file of fuzz/regressions. Exit status 1 when a target crashes, leaks,
# hits undefined behaviour or reports an invariant violation (the input is kept in
# OUTDIR/smoke-run/artifacts/); 0 otherwise. Prints the executions per target
# (stat::number_of_executed_units) and the time of each step.
#
#   fuzz/smoke.sh [OUTDIR [SECONDS]]     defaults: build-fuzz-smoke (in the repository), 20
#
# Environment:
#   PARADEDUP_SKIP_FUZZ=1   skip the whole run (exit 0), e.g. where clang is not installed
#   FUZZ_SEED=N             libFuzzer's -seed (default: random; the seed used is printed)
#   CXX, EXTRA_CXXFLAGS     as for fuzz/build.sh
# Needs clang++ with libFuzzer (Debian 12: clang libclang-rt-14-dev). A target is rebuilt only
# when a source under src/, include/ or fuzz/ is newer than it. Cold, on 2 cores: about 2
# minutes of build, 3 x SECONDS of fuzzing, a few seconds of regressions.
#
# The one known limitation (fuzz/README.md) does not fail the run: under fuzz_document, a
# second pass under mode auto that chooses the other segmentation mode (class `autoflip`) is
# recorded (FUZZ_IDEMPOTENCE=record) and counted; any other idempotence failure fails. Every
# regression file runs with idempotence checked.
# The longer run, one command per target: see "Longer runs" in fuzz/README.md.
set -uo pipefail

if [[ ${PARADEDUP_SKIP_FUZZ:-0} == 1 ]]; then
  echo "fuzz smoke: skipped (PARADEDUP_SKIP_FUZZ=1)" >&2
  exit 0
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-build-fuzz-smoke}
seconds=${2:-20}
case $out in /*) ;; *) out=$PWD/$out ;; esac

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { printf 'fuzz smoke: %s\n' "$*" >&2; }
start_all=$(now)
failed=0
summary=()

# ---- build -------------------------------------------------------------------------------------
mkdir -p "$out"
stale=()
for target in fuzz_document fuzz_jsonl fuzz_index; do
  if [[ ! -x $out/$target ]] ||
    [[ -n $(find "$root/src" "$root/include" "$root/fuzz" -type f \
      \( -name '*.cpp' -o -name '*.hpp' -o -name '*.h' -o -name build.sh \) \
      -newer "$out/$target" -print -quit) ]]; then
    stale+=("$target")
  fi
done
# build.sh makes the Traditional-Simplified table only when it is missing.
table=$out/generated/han_table.inc
if [[ -f $table ]] && [[ -n $(find "$root/src" -type f \( -name 'gen_han_table.cpp' -o \
  -name 'han_table_derive.hpp' \) -newer "$table" -print -quit) ]]; then
  rm -f "$table"
fi
start=$(now)
if ((${#stale[@]} > 0)); then
  log "building ${stale[*]} into $out"
  if ! "$root/fuzz/build.sh" "$out" "${stale[@]}" >"$out/build.log" 2>&1; then
    cat "$out/build.log" >&2
    log "FAILED: build"
    exit 1
  fi
  summary+=("$(printf '%-16s %8s s  %s' build "$(since "$start")" "${stale[*]}")")
else
  summary+=("$(printf '%-16s %8s s  %s' build "$(since "$start")" "up to date")")
fi

# ---- timed runs on the seed corpora ------------------------------------------------------------
scratch=$out/smoke-run
rm -rf "$scratch"
mkdir -p "$scratch/artifacts" "$scratch/findings"
seed_args=()
[[ -n ${FUZZ_SEED:-} ]] && seed_args=("-seed=$FUZZ_SEED")

# fuzz TARGET SEEDS MAX_LEN: one timed run on a copy of fuzz/SEEDS.
fuzz() {
  local target=$1 seeds=$2 max_len=$3 start status=0 log_file=$scratch/$1.log
  cp -r "$root/fuzz/$seeds" "$scratch/$seeds"
  start=$(now)
  (cd "$scratch" &&
    FUZZ_IDEMPOTENCE=record FUZZ_RECORD_DIR="$scratch/findings" \
      "$out/$target" -max_total_time="$seconds" -max_len="$max_len" -timeout=60 \
      -print_final_stats=1 -artifact_prefix="$scratch/artifacts/$target-" "${seed_args[@]}" \
      "$scratch/$seeds" >"$log_file" 2>&1) || status=$?
  local secs execs seed
  secs=$(since "$start")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log_file" | tail -n 1)
  seed=$(sed -n 's/^INFO: Seed: *//p' "$log_file" | head -n 1)
  if ((status != 0)) || [[ -z $execs ]]; then
    failed=1
    grep -a -E -A 30 'INVARIANT VIOLATED|ERROR: |SUMMARY: ' "$log_file" | head -n 60 >&2
    log "FAILED: $target (status $status, seed $seed); input in $scratch/artifacts/, log $log_file"
    summary+=("$(printf '%-16s %8s s  FAILED (status %s, seed %s)' "$target" "$secs" "$status" "$seed")")
    return
  fi
  summary+=("$(printf '%-16s %8s s  %s executions (seed %s)' "$target" "$secs" "$execs" "$seed")")
}

fuzz fuzz_document corpus 8192
fuzz fuzz_jsonl corpus_jsonl 8192
fuzz fuzz_index corpus_index 20000

# Idempotence findings of fuzz_document, recorded instead of aborted on: only the auto mode
# flip is allowed.
known=0
for f in "$scratch"/findings/*; do
  [[ -e $f ]] || continue
  case $(basename "$f") in
    autoflip-*) known=$((known + 1)) ;;
    *)
      failed=1
      log "FAILED: fuzz_document: idempotence violation of a new class, input $f" \
        "(reproduce: $out/fuzz_document $f)"
      ;;
  esac
done
((known > 0)) && summary+=("$(printf '%-16s %10s  %s' "" "" \
  "$known known-limitation idempotence inputs recorded in $scratch/findings")")

# ---- regressions -------------------------------------------------------------------------------
start=$(now)
count=0
for f in "$root"/fuzz/regressions/*; do
  [[ -f $f ]] || continue
  count=$((count + 1))
  name=$(basename "$f")
  mode=abort
  if ! (cd "$scratch" && FUZZ_IDEMPOTENCE=$mode "$out/fuzz_document" \
    -artifact_prefix="$scratch/artifacts/regression-" "$f" >"$scratch/regression-$name.log" 2>&1); then
    failed=1
    grep -a -E -A 30 'INVARIANT VIOLATED|ERROR: |SUMMARY: ' "$scratch/regression-$name.log" |
      head -n 60 >&2
    log "FAILED: regression $name (FUZZ_IDEMPOTENCE=$mode); reproduce: $out/fuzz_document $f"
  fi
done
summary+=("$(printf '%-16s %8s s  %s inputs' regressions "$(since "$start")" "$count")")

summary+=("$(printf '%-16s %8s s  %s' total "$(since "$start_all")" \
  "$( ((failed == 0)) && echo ok || echo FAILED)")")
printf '%s\n' "${summary[@]}"
exit "$failed"
