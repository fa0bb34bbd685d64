#!/usr/bin/env bash
# Installs everything pg_funnel needs to build, test and demo on Debian 12, as root.
# Idempotent: packages already present are not reinstalled.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  postgresql-15 postgresql-server-dev-15 postgresql-common
  libboost-dev libgtest-dev libbenchmark-dev
  clang-14 libclang-rt-14-dev sqlsmith valgrind
  nodejs npm
)
missing=()
for p in "${packages[@]}"; do
  # nodejs may come from another apt source with its own npm; accept any working pair.
  if [ "$p" = npm ] && command -v npm >/dev/null 2>&1; then continue; fi
  if [ "$p" = nodejs ] && command -v node >/dev/null 2>&1; then continue; fi
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian starts a default cluster on install; our scripts use throwaway clusters.
