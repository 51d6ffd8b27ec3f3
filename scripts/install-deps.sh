#!/usr/bin/env bash
# Installs the Debian 12 packages tlshop needs to build, test and run its demo; with the
# argument "fuzz", also what scripts/fuzz.sh needs (clang and libFuzzer).
# Idempotent: when everything is present it prints nothing and exits 0.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build ccache pkg-config clang-format
  # libraries
  libssl-dev libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev libcli11-dev libsqlite3-dev libsodium-dev
  libtomlplusplus-dev libgtest-dev libgmock-dev libbenchmark-dev libmimalloc-dev libsystemd-dev
  # the shop in PostgreSQL (libpq), and the server the tests start for it
  libpq-dev postgresql-15 postgresql-client-15
  # tlshop-gui, and its manual page from its --help
  qt6-base-dev help2man
  # runtime peers used by the demo and the interoperability tests
  openssl python3 curl
  # shows, in the tests, that acknowledged orders were flushed first
  strace
  # the Debian package (scripts/package.sh) and its checks: lintian, the unit, man pages
  debhelper fakeroot dpkg-dev lintian systemd man-db zsh
  # the servers bench/compare measures tlshop against, and what it reads them with
  nginx haproxy caddy postgresql iproute2 procps
)
if [ "${1:-}" = fuzz ]; then
  packages+=(clang libclang-rt-14-dev)
fi

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
# Installing must not start the system's own nginx, HAProxy, Caddy or PostgreSQL: tlshop's
# benchmarks start their own, on free ports, and stop them.
policy=/usr/sbin/policy-rc.d
added_policy=
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null
  "${sudo[@]}" chmod 755 "$policy"
  added_policy=1
fi
trap '[ -z "$added_policy" ] || "${sudo[@]}" rm -f "$policy"' EXIT
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
