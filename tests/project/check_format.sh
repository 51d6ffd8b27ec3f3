#!/usr/bin/env bash
# Fails if any C++ file in the tree differs from what clang-format (.clang-format) makes of it.
set -euo pipefail
cd "$1"
if ! command -v clang-format >/dev/null; then
  echo "format check skipped: clang-format is not installed (scripts/install-deps.sh installs it)"
  exit 77
fi
mapfile -t files < <(git ls-files -co --exclude-standard 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'examples/*.cpp' 'bench/*.cpp' 'fuzz/*.cpp' 2>/dev/null ||
  find src tests fuzz -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run --Werror "${files[@]}"
echo "format check: ${#files[@]} files clean"
