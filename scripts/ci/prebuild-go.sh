#!/usr/bin/env bash
# prebuild-go.sh ferretdb | actionlint VERSION — the Go work of .ci/run, one part per call. It
# needs nothing from npm, so .ci/run starts it in the background (on a cold Go build cache it is
# the longest set-up step: minutes of compiling on two cores):
#   ferretdb:   FerretDB's packages compiled into Go's build cache, and nothing else: the binary
#               the tests run is still built by test/support/ferretdb-build.ts (`npm run
#               db:ferretdb -- --build-only`), which then finds every package compiled and only
#               links. The module, version, flags and build/version/version.txt are the same as
#               there (module and version are read from that file), so the cache keys match;
#               should the two drift apart, CI gets slower, never wrong. The integration and e2e
#               tests wait for it: .ci/run starts it first.
#   actionlint: actionlint (the version given) from the Go module proxy into .cache/bin/ (kept
#               there). Only the workflow lint at the end needs it: .ci/run builds it while the
#               tests run, not before them.
set -euo pipefail
cd "$(dirname "$0")/../.."

case "${1:-}" in
  actionlint)
    ACTIONLINT_VERSION=${2:?usage: prebuild-go.sh actionlint VERSION}
    actionlint_bin="$PWD/.cache/bin/actionlint-$ACTIONLINT_VERSION"
    if [ ! -x "$actionlint_bin" ]; then
      mkdir -p .cache/bin
      GOBIN="$PWD/.cache/bin/tmp" go install "github.com/rhysd/actionlint/cmd/actionlint@$ACTIONLINT_VERSION"
      mv "$PWD/.cache/bin/tmp/actionlint" "$actionlint_bin" && rmdir "$PWD/.cache/bin/tmp"
    fi
    echo "prebuild-go: actionlint at $actionlint_bin"
    ;;
  ferretdb)
    build_ts=test/support/ferretdb-build.ts
    module=$(sed -n "s/^export const FERRETDB_MODULE = '\(.*\)';$/\1/p" "$build_ts")
    version=$(sed -n "s/^export const FERRETDB_VERSION = '\(.*\)';$/\1/p" "$build_ts")
    if [ -z "$module" ] || [ -z "$version" ]; then
      echo "prebuild-go: FERRETDB_MODULE / FERRETDB_VERSION not found in $build_ts" >&2
      exit 1
    fi
    binary="${GACHA_TEST_CACHE:-$PWD/.cache}/ferretdb/ferretdb-$version"
    if [ -x "$binary" ]; then
      echo "prebuild-go: FerretDB $version already built at $binary"
      exit 0
    fi
    # The environment of ferretdb-build.ts's goEnv().
    export GOFLAGS=-buildvcs=false CGO_ENABLED=0
    module_dir=$(go mod download -json "$module@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    if [ ! -d "$module_dir" ]; then
      echo "prebuild-go: go mod download did not report a directory for $module@$version" >&2
      exit 1
    fi
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
    cp -R "$module_dir" "$work/src"
    chmod -R u+w "$work/src"
    printf '%s\n' "$version" >"$work/src/build/version/version.txt"
    (cd "$work/src" && go build -trimpath -o /dev/null ./cmd/ferretdb)
    echo "prebuild-go: FerretDB $version compiled into Go's build cache"
    ;;
  *)
    echo "usage: prebuild-go.sh ferretdb | actionlint VERSION" >&2
    exit 2
    ;;
esac
