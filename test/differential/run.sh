#!/usr/bin/env bash
# Differential tests against ClickHouse (embedded ClickHouse, npm package chdb):
#   funnel_vs_clickhouse.mjs    funnel_steps / funnel_times vs windowFunnel
#                               (docs/clickhouse_differences.md);
#   sequence_vs_clickhouse.mjs  sequence_match / sequence_count /
#                               sequence_match_times / sequence_next_node vs
#                               sequenceMatch / sequenceCount /
#                               sequenceMatchEvents / sequenceNextNode
#                               (docs/journeys.md).
# Each test's own count line is prefixed with its name; the last line sums both:
# "differential: N passed, M failed" (exit status 1 if anything failed).
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
# every mode combination, not just the default mode), DIFF_SEQ_GROUPS (groups
# per time type in the sequence test).
set -euo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

if [[ ! -d node_modules/chdb || ! -d node_modules/pg ]]; then
  npm ci --no-audit --no-fund
fi

if [[ -z "${PGPORT:-}" ]]; then
  exec pg_virtualenv -t -v 15 "$here/run.sh" "$@"
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
total_passed=0
total_failed=0
# One run of a test; its status is left in $status.
run_test() {
  set +e
  node "$here/$1_vs_clickhouse.mjs" "${@:2}" 2>&1 |
    sed -u -E "s/^differential: ([0-9]+ passed, [0-9]+ failed)\$/$1 differential: \1/" | tee "$logs/$1.log"
  status=${PIPESTATUS[0]}
  set -e
}

for t in funnel sequence; do
  run_test "$t" "$@"
  # The embedded ClickHouse occasionally kills the node process with SIGSEGV
  # (status 139; PostgreSQL's log shows no backend crash then). Unless
  # DIFF_SEED=random, the second run repeats the same checks; it runs once
  # more only, and says so.
  if [[ $status -eq 139 ]]; then
    echo "$t differential: node was killed by SIGSEGV (embedded ClickHouse); running it again"
    run_test "$t" "$@"
  fi
  line="$(grep -E "^$t differential: [0-9]+ passed, [0-9]+ failed\$" "$logs/$t.log" | tail -n 1 || true)"
  if [[ -n "$line" ]]; then
    p="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\1/' <<<"$line")"
    f="$(sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed$/\2/' <<<"$line")"
  else
    p=0
    f=1
  fi
  if [[ $status -ne 0 && $f -eq 0 ]]; then f=1; fi
  total_passed=$((total_passed + p))
  total_failed=$((total_failed + f))
done
echo "differential: $total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
