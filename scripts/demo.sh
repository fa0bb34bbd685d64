#!/usr/bin/env bash
# The pg_funnel demo: installs what it needs, builds and installs the extension,
# starts a throwaway PostgreSQL 15 cluster, loads generated sample events and
# prints funnel reports. Run as root on Debian 12: bash scripts/demo.sh [actors]
set -euo pipefail
cd "$(dirname "$0")/.."
actors=${1:-50000}
bash scripts/install-deps.sh
echo "building pg_funnel ..."
bash scripts/build.sh
echo "starting a throwaway cluster and loading $actors actors of sample events ..."
pg_virtualenv -v 15 psql -X -q -v ON_ERROR_STOP=1 -v actors="$actors" -f scripts/demo.sql
