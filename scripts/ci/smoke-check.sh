#!/usr/bin/env bash
# smoke-check.sh <stack> [expected-release-id]
#
# The deploy is green only when the release it intended is live: runs the stack's HealthDocument
# on the instance (`gacha-bot-release status` + `health`) and requires that
#   - the document succeeded (the active slot's unit is running and its /readyz answered 200), and
#   - the active release is the expected one.
# With one argument the expected release is read from cdk.out/<stack>.template.json — the template
# the deploy just executed (its release association's ReleaseId). A second argument names it
# explicitly; an empty one (a rollback to "the previous release") accepts any active, ready release.
set -euo pipefail
stack=$1
here="$(cd "$(dirname "$0")" && pwd)"
if [ $# -ge 2 ]; then
  expected=$2
else
  template="${CDK_OUT:-cdk.out}/$stack.template.json"
  [ -f "$template" ] || { echo "smoke-check: no $template (run after the deploy, in the same job)" >&2; exit 1; }
  expected=$(npx --no-install tsx "$here/intended-release-id.ts" "$template")
fi

if ! output=$("$here/run-ssm-document.sh" "$stack" HealthDocument); then
  printf '%s\n' "$output"
  echo "smoke-check: $stack: the health document failed (the active release is not running or not ready)" >&2
  exit 1
fi
printf '%s\n' "$output"
active=$(sed -n 's/^active release: *\([^[:space:]]*\).*$/\1/p' <<<"$output" | head -n 1)
state=$(sed -n 's/^active slot unit: *\([^[:space:]]*\).*$/\1/p' <<<"$output" | head -n 1)
if [ -z "$active" ] || [ "$state" != active ]; then
  echo "smoke-check: $stack: no active, running release reported (release '${active}', unit '${state:-unknown}')" >&2
  exit 1
fi
if [ -n "$expected" ] && [ "$active" != "$expected" ]; then
  echo "smoke-check: $stack: release $active is active, but this deploy intended $expected" >&2
  exit 1
fi
echo "smoke-check: $stack: release $active is active and ready${expected:+ (as intended)}"
