# shellcheck shell=bash
# Shared by scripts/demo and scripts/test (sourced, not run). Bash only.

# The Debian 12 packages needed to build, test and package paradedup (clang and
# libclang-rt-14-dev: libFuzzer, for the fuzz smoke run of scripts/test; help2man: the man
# page, made from --help; man-db: the test that reads it as `man -l` shows it; doxygen: the
# API reference, and the test that it has no undocumented public name; dpkg-dev: the Debian
# package's dependencies, found by dpkg-shlibdeps).
PARADEDUP_DEB_PACKAGES=(cmake g++ make libxxhash-dev libicu-dev libsimdjson-dev libtbb-dev catch2
                        pkg-config clang libclang-rt-14-dev help2man man-db doxygen dpkg-dev)

# Parallel jobs: the reference machine has 2 cores (and 24 GiB, plenty for -j2 with ASan).
PARADEDUP_JOBS=${PARADEDUP_JOBS:-2}

# pd_log MESSAGE...: progress on stderr, so stdout stays clean for program output.
pd_log() { printf '==> %s\n' "$*" >&2; }

# pd_repo_root: the repository root (the parent of scripts/).
pd_repo_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# pd_install_deps: apt-get install the packages that are missing; nothing when all are
# installed (no network, no root needed then). Uses sudo only when not root.
pd_install_deps() {
  local missing=() p
  for p in "${PARADEDUP_DEB_PACKAGES[@]}"; do
    if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]} == 0)); then
    pd_log "Debian packages already installed: ${PARADEDUP_DEB_PACKAGES[*]}"
    return 0
  fi
  local sudo=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null; then
      pd_log "missing packages: ${missing[*]}; run as root or install sudo" && return 1
    fi
    sudo=(sudo)
  fi
  pd_log "installing Debian packages: ${missing[*]}"
  # Installing all of them (not only the missing ones) keeps the set consistent: apt-get
  # leaves installed ones alone unless they must be upgraded alongside a new dependency.
  # Explicit `|| return`: callers may run this where `set -e` is suspended (cmd || ...).
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 || return
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${PARADEDUP_DEB_PACKAGES[@]}" >&2 || return
}

# pd_now: seconds since the epoch, with milliseconds.
pd_now() { date +%s.%3N; }

# pd_timings: "name seconds status" lines recorded by pd_step, printed by pd_print_timings.
PD_TIMINGS=()

# pd_step NAME COMMAND...: run COMMAND, record its time and status under NAME; returns its
# status.
pd_step() {
  local name=$1 start status=0
  shift
  pd_log "$name: $*"
  start=$(pd_now)
  "$@" || status=$?
  local secs
  secs=$(awk -v a="$start" -v b="$(pd_now)" 'BEGIN { printf "%.1f", b - a }')
  PD_TIMINGS+=("$name $secs $status")
  if ((status == 0)); then
    pd_log "$name: ok (${secs} s)"
  else
    pd_log "$name: FAILED with status $status (${secs} s)"
  fi
  return "$status"
}

# pd_print_timings: a table of the steps run so far, on stderr.
pd_print_timings() {
  local line name secs status
  printf '\n%-28s %9s  %s\n' "step" "seconds" "result" >&2
  for line in "${PD_TIMINGS[@]}"; do
    read -r name secs status <<<"$line"
    printf '%-28s %9s  %s\n' "$name" "$secs" "$([[ $status == 0 ]] && echo ok || echo "FAILED ($status)")" >&2
  done
}
