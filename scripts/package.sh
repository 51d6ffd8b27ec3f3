#!/usr/bin/env bash
# Builds the Debian package of the release build, build/package/tlshop_VERSION_ARCH.deb,
# with debhelper (debian/), and checks it with lintian.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target tlshop tlshop_library
rm -rf build/package
# Rules-Requires-Root: no, so neither root nor fakeroot is needed.
debian/rules binary
debian/rules clean >/dev/null
# Errors fail the script; warnings are shown.
lintian --fail-on error build/package/tlshop_*.deb
ls build/package/tlshop_*.deb
