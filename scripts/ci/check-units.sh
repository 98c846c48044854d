#!/usr/bin/env bash
# check-units.sh — renders every systemd unit of the host as the host set-up installs it
# (render-units.ts) and checks it under real systemd rules:
#   - `systemd-analyze verify` must pass without a single warning (unknown keys, bad values,
#     missing executables or dependencies all count);
#   - `systemd-analyze security --offline=true` is printed for every service, and the ones with a
#     ceiling (ours, and mongod with our drop-in) must not exceed it.
# UNITS_ROOT=<dir> checks an already rendered root instead (the tests use it to prove a broken unit fails).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ -n "${UNITS_ROOT:-}" ]; then
  root=$UNITS_ROOT
  mapfile -t checks < <(npx --no-install tsx scripts/ci/render-units.ts --list)
else
  root=$(mktemp -d)
  trap 'rm -rf "$root"' EXIT
  mapfile -t checks < <(npx --no-install tsx scripts/ci/render-units.ts "$root")
fi
units=()
for check in "${checks[@]}"; do units+=("${check%% *}"); done

status=0
if ! report=$(systemd-analyze verify --root="$root" "${units[@]}" 2>&1) || [ -n "$report" ]; then
  printf '%s\n' "$report" >&2
  echo "check-units: systemd-analyze verify found problems in the units above" >&2
  status=1
else
  echo "check-units: systemd-analyze verify: ${units[*]} OK"
fi

for check in "${checks[@]}"; do
  unit=${check%% *}
  cap=${check##* }
  case "$unit" in *.service) ;; *) continue ;; esac
  full=$(systemd-analyze security --offline=true --root="$root" "$unit" 2>&1 || true)
  [ -n "${CHECK_UNITS_QUIET:-}" ] || printf '%s\n\n' "$full"
  line=$(grep 'Overall exposure level' <<<"$full" || true)
  exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$line")
  if [ -z "$exposure" ]; then
    echo "check-units: no security score for $unit" >&2
    status=1
  elif [ "$cap" = - ]; then
    echo "check-units: $unit exposure $exposure (reported, no ceiling)"
  elif awk -v e="$exposure" -v c="$cap" 'BEGIN { exit !(e > c) }'; then
    echo "check-units: $unit exposure $exposure is above $cap" >&2
    status=1
  else
    echo "check-units: $unit exposure $exposure (≤ $cap)"
  fi
done
exit $status
