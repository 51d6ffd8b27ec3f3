#!/usr/bin/env bash
# Installs the Debian 12 packages tlshop needs to build, test and run its demo.
# Idempotent: when everything is present it prints nothing and exits 0.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config clang-format
  # libraries
  libssl-dev libboost1.81-dev libboost-json1.81-dev libcli11-dev libsqlite3-dev libsodium-dev
  libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev libmimalloc-dev
  # runtime peers used by the demo and the interoperability tests
  openssl python3 curl
)

missing=()
for pkg in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
  [ "$status" = installed ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "install-deps: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
else
  sudo=()
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
