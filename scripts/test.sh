#!/usr/bin/env bash
# Builds tlshop and runs every test: unit tests, the command-line tests against openssl and
# Python's ssl, and the checks on the code base. Usage: scripts/test.sh [release|debug|asan]
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-release}
bash scripts/build.sh "$preset"
ctest --preset "$preset"
