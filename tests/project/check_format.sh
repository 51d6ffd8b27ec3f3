#!/usr/bin/env bash
# Fails if any C++ file in the tree differs from what clang-format (.clang-format) makes of it.
set -euo pipefail
cd "$1"
mapfile -t files < <(git ls-files -co --exclude-standard 'src/*.cpp' 'src/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'examples/*.cpp' 'bench/*.cpp' 2>/dev/null ||
  find src tests -name '*.cpp' -o -name '*.hpp')
clang-format --dry-run --Werror "${files[@]}"
echo "format check: ${#files[@]} files clean"
