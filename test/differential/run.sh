#!/usr/bin/env bash
# Differential test: pg_funnel funnel_steps / funnel_times against ClickHouse
# windowFunnel (embedded ClickHouse, npm package chdb). See
# docs/clickhouse_differences.md.
#
# Works from any directory. Uses the PostgreSQL server named by the PG*
# variables when PGPORT is set (pg_funnel must be installed there; the test
# creates the extension if needed and works in a schema of its own that it drops);
# otherwise runs itself inside a throwaway PostgreSQL 15 cluster (pg_virtualenv;
# -t keeps it in a temporary directory even as root, so parallel runs do not clash).
#
# Environment: DIFF_SEED (integer, or "random"; the seed is printed), DIFF_ACTORS
# (actors per mode combination and time type), DIFF_VERBOSE=1 (print every
# classified ClickHouse defect), DIFF_TIMES_ALL_MODES=1 (check funnel_times for
# every mode combination, not just the default mode).
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [[ ! -d node_modules/chdb || ! -d node_modules/pg ]]; then
  npm ci --no-audit --no-fund
fi

if [[ -z "${PGPORT:-}" ]]; then
  exec pg_virtualenv -t -v 15 "$here/run.sh" "$@"
fi

exec node "$here/funnel_vs_clickhouse.mjs" "$@"
