#!/usr/bin/env bash
# Builds and installs the extension (warnings are errors).
set -euo pipefail
cd "$(dirname "$0")/.."
make -s -j"$(nproc)" WERROR=1
make -s install >/dev/null
