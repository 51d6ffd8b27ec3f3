#!/usr/bin/env bash
# Tests of the tests: applies each deliberate break in tests/breaks (or those named),
# rebuilds, and requires the test the break names to fail. A break that leaves its test
# passing means the test cannot catch the loss it is named for. The source is restored
# afterwards, and on interruption.
# Usage: scripts/check-breaks.sh [BREAK...]     e.g. scripts/check-breaks.sh oversell
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/release
[ -d "$build" ] || bash scripts/build.sh release >/dev/null

if [ $# -eq 0 ]; then
  set -- $(for patch in tests/breaks/*.patch; do basename "$patch" .patch; done)
fi

applied=""
restore() {
  if [ -n "$applied" ]; then
    git apply -R "tests/breaks/$applied.patch"
    applied=""
  fi
}
trap restore EXIT INT TERM

caught=0
missed=()
for name in "$@"; do
  patch=tests/breaks/$name.patch
  what=$(sed -n 's/^Break: //p' "$patch")
  test_name=$(sed -n 's/^Test: //p' "$patch")
  if ! ctest --test-dir "$build" -N -R "^${test_name}\$" | grep -q "Total Tests: 1"; then
    echo "$patch names no test: $test_name" >&2
    exit 1
  fi
  git apply "$patch"
  applied=$name
  if ! cmake --build "$build" >/tmp/tlshop-break-build.log 2>&1; then
    echo "UNBUILT $name: the break does not compile (see /tmp/tlshop-break-build.log)"
    missed+=("$name")
  elif ctest --test-dir "$build" -R "^${test_name}\$" >/dev/null 2>&1; then
    echo "MISSED  $name: $what, yet $test_name passes"
    missed+=("$name")
  else
    echo "caught  $name: $what -> $test_name fails"
    caught=$((caught + 1))
  fi
  restore
done
cmake --build "$build" >/dev/null
echo "$caught of $# breaks caught by their tests"
[ ${#missed[@]} -eq 0 ]
