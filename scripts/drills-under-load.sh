#!/usr/bin/env bash
# Runs the drills N times in a row while `stress-ng --cpu 2` keeps both cores busy, and prints how
# many runs passed (issue 21: "10/10 under a parallel CPU load"). Each run's jest output is kept in
# a log directory; a failed run's log names the drill and the assertion.
#
#   scripts/drills-under-load.sh [N] [test path ...]
#   N defaults to 10; paths default to the fault and overload drills. Extra jest environment
#   (DRILL_OUTAGE_MS, DRILL_OVERLOAD_SECONDS, GACHA_TEST_CACHE, ...) is passed through.
#
# stress-ng (apt-get install stress-ng) is started by this script and stopped by its pid when the
# script ends, however it ends. Meant for a machine nobody else is using: the figures are the point.
set -euo pipefail

RUNS="${1:-10}"
shift || true
if [ "$#" -gt 0 ]; then
  TESTS=("$@")
else
  TESTS=(test/drills/fault-drills.test.ts test/drills/overload-drills.test.ts)
fi
if ! [[ "$RUNS" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: $0 [N] [test path ...]" >&2
  exit 2
fi
if ! command -v stress-ng >/dev/null 2>&1; then
  echo "stress-ng is not installed (apt-get install stress-ng)" >&2
  exit 2
fi

cd "$(dirname "$0")/.."
LOGS="$(mktemp -d "${TMPDIR:-/tmp}/drills-under-load.XXXXXX")"

stress-ng --cpu 2 --timeout 0 --quiet &
STRESS_PID=$!
cleanup() {
  kill "$STRESS_PID" 2>/dev/null || true
  wait "$STRESS_PID" 2>/dev/null || true
}
trap cleanup EXIT INT TERM

echo "drills under load: ${RUNS} runs of ${TESTS[*]} with stress-ng --cpu 2 (pid ${STRESS_PID}); logs in ${LOGS}"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
passed=0
for run in $(seq 1 "$RUNS"); do
  started=$(date +%s)
  # The paths come first: `--selectProjects` takes every word after it as a project name.
  if npx jest "${TESTS[@]}" --ci --selectProjects e2e >"${LOGS}/run-${run}.log" 2>&1; then
    passed=$((passed + 1))
    verdict=pass
  else
    verdict="FAIL (${LOGS}/run-${run}.log)"
  fi
  echo "run ${run}/${RUNS}: ${verdict} in $(($(date +%s) - started)) s; load $(cut -d' ' -f1-3 /proc/loadavg)"
done
echo "drills under load: ${passed}/${RUNS} passed"
[ "$passed" -eq "$RUNS" ]
