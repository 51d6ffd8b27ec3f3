#!/usr/bin/env bash
# Builds tlshop and runs every test: unit tests, the command-line tests against openssl and
# Python's ssl, and the checks on the code base.
# Usage: scripts/test.sh [release|debug|asan|tsan]
# Under tsan (ThreadSanitizer) the tests of the threaded parts run: the server, the shop
# and the store, unit and command-line; the benchmarks and attack runs, which measure
# speed and load, are left to the other builds.
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
bash scripts/build.sh "$preset"
if [ "$preset" = tsan ]; then
  ctest --preset tsan -R '^(server|shop|store|cli)\.' -E 'cli\.(Compare|Attacks|Bench)$'
else
  ctest --preset "$preset"
fi
