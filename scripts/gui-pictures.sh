#!/usr/bin/env bash
# Renders each tab of tlshop-gui to PNG (docs/images/tlshop-gui-*.png) from a real session
# against the demo's server: runs scripts/demo.sh in a scratch directory and keeps the
# pictures it takes.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
TLSHOP_DEMO_DIR=$scratch/demo bash scripts/demo.sh >"$scratch/demo.log" 2>&1 ||
  { cat "$scratch/demo.log" >&2; exit 1; }
mkdir -p docs/images
cp "$scratch"/demo/tlshop-gui-*.png docs/images/
ls docs/images/tlshop-gui-*.png
