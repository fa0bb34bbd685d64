#!/usr/bin/env bash
# Crash hunt against a throwaway PostgreSQL 15 cluster with pg_funnel installed
# (it installs nothing: `make install` first, and sqlsmith + nodejs must be there).
#
#   phase 1  sqlsmith (random queries built from the catalog, pg_funnel's
#            functions included) for the given time, half of it over the whole
#            catalog, half over the user tables only (--exclude-catalog);
#   phase 2  test/sqlsmith/random_sql.js: every pg_funnel function with random
#            arguments (NULLs, extremes, wrong types, random modes and patterns,
#            odd arrays), in GROUP BY, window and whole-table contexts, under
#            parallel plans and tiny work_mem, for the same time again.
#
# Errors are expected; a crash is not. After each phase the server log is read:
# "terminated by signal", "server process ... was terminated", PANIC or TRAP is a
# crash; the statement that caused it is printed and saved under build/sqlsmith/.
# Ends with one line `sqlsmith: N passed, M failed`, one check per phase and per
# function family, and exits non-zero if any failed.
#
# Usage: test/sqlsmith/run.sh [seconds]   (default 60: seconds per phase)
# Environment: SQLSMITH_SEED (default: time-based), SQLSMITH_OUT (default build/sqlsmith)
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
secs=${1:-60}
case $secs in ''|*[!0-9]*) echo "usage: $0 [seconds]"; exit 2 ;; esac
out=${SQLSMITH_OUT:-$root/build/sqlsmith}

# ---------------------------------------------------------------- outside the cluster
if [ -z "${PGF_SQLSMITH_INNER:-}" ]; then
  missing=()
  for c in sqlsmith pg_virtualenv psql node; do command -v "$c" >/dev/null 2>&1 || missing+=("$c"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "missing: ${missing[*]} (scripts/install-deps.sh installs them)"
    echo "sqlsmith: 0 passed, 1 failed"
    exit 1
  fi
  rm -rf "$out"
  mkdir -p "$out"
  chmod 777 "$out"
  export PGF_SQLSMITH_INNER=1
  # Long queries in the crash report; quiet log apart from LOG-level lines (crashes);
  # room for parallel workers.
  pg_virtualenv -v 15 -t \
    -o track_activity_query_size=1048576 -o log_min_messages=log -o log_min_error_statement=panic \
    -o max_worker_processes=8 -o max_parallel_workers=8 \
    "$0" "$secs"
  rc=$?
  grep -qE '^sqlsmith: [0-9]+ passed, [0-9]+ failed' "$out/summary.txt" 2>/dev/null || {
    echo "sqlsmith: 0 passed, 1 failed"
    exit 1
  }
  exit $rc
fi

# ---------------------------------------------------------------- inside pg_virtualenv
seed=${SQLSMITH_SEED:-$(date +%s)}
logfile=$(pg_lsclusters -h 2>/dev/null | awk '{print $7}' | head -1)
if [ -z "$logfile" ] || [ ! -f "$logfile" ]; then
  echo "cannot find the server log (pg_lsclusters: $(pg_lsclusters -h 2>&1))"
  echo "sqlsmith: 0 passed, 1 failed" | tee "$out/summary.txt"
  exit 1
fi
pass=0
fail=0
check() {  # name ok(0/1) detail
  if [ "$2" -eq 0 ]; then
    pass=$((pass + 1)); printf '  ok    %-34s %s\n' "$1" "$3"
  else
    fail=$((fail + 1)); printf '  FAIL  %-34s %s\n' "$1" "$3"
  fi
}
finish() {
  echo "sqlsmith: $pass passed, $fail failed" | tee "$out/summary.txt"
  [ "$fail" -eq 0 ]
  exit $?
}

echo "== setup (seed $seed, log $logfile)"
if ! psql -X -q -v ON_ERROR_STOP=1 >"$out/setup.log" 2>&1 <<'SQL'
CREATE EXTENSION pg_funnel;
CREATE TABLE events AS SELECT * FROM generate_events(2000);
-- Extreme, infinite and NULL values, and rows that tie.
CREATE TABLE edge_events AS SELECT * FROM events WHERE actor_id <= 20;
INSERT INTO edge_events (actor_id, ts, event, channel, device, campaign, session_no, product_id, revenue) VALUES
  (1, 'infinity', 'purchase', 'email', 'mobile', NULL, 1, 1, 10),
  (1, '-infinity', 'page_view', NULL, NULL, NULL, NULL, NULL, NULL),
  (2, '4714-11-24 00:00:00+00 BC', 'add_to_cart', 'direct', 'desktop', 'x', 1, 2, 0),
  (2, '294276-12-31 23:59:59+00', 'purchase', 'direct', 'desktop', 'x', 1, 2, 99999999.99),
  (3, NULL, 'purchase', NULL, NULL, NULL, NULL, NULL, NULL),
  (3, '2026-01-05 00:00:00+00', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (3, '2026-01-05 00:00:00+00', 'page_view', NULL, NULL, NULL, NULL, NULL, NULL),
  (3, '2026-01-05 00:00:00+00', 'page_view', NULL, NULL, NULL, NULL, NULL, NULL),
  (NULL, '2026-01-05 00:00:00+00', 'purchase', NULL, NULL, NULL, NULL, NULL, -5);
ANALYZE events;
ANALYZE edge_events;
-- The queries run as an ordinary user: no superuser-only functions.
CREATE ROLE smith LOGIN PASSWORD 'smith';
GRANT SELECT ON events, edge_events TO smith;
GRANT CREATE ON SCHEMA public TO smith;
ALTER ROLE smith SET statement_timeout = '5s';
SQL
then
  cat "$out/setup.log"
  check setup 1 "see $out/setup.log"
  finish
fi
export PGUSER=smith PGPASSWORD=smith
conn="host=${PGHOST:-localhost} port=$PGPORT dbname=$PGDATABASE user=smith password=smith"
fn_regex=$(node "$root/test/sqlsmith/random_sql.js" --functions | paste -sd'|')

datadir=$(pg_lsclusters -h 2>/dev/null | awk '{print $6}' | head -1)
postmaster_pid() { head -1 "$datadir/postmaster.pid" 2>/dev/null; }
pid0=$(postmaster_pid)
log0=$(stat -c %s "$logfile")
log_offset=$log0
crash_report=""
# New crash lines in the server log since the last call; sets crash_report.
scan_log() {
  local size
  size=$(stat -c %s "$logfile")
  crash_report=$(tail -c +$((log_offset + 1)) "$logfile" | head -c $((size - log_offset)) |
    grep -E -A2 'terminated by signal|server process \(PID [0-9]+\) was terminated|was terminated by exception|PANIC:|TRAP:' || true)
  log_offset=$size
}
wait_up() {
  for _ in $(seq 1 120); do
    psql -X -qAt -c 'SELECT 1' >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

# ---- phase 1: sqlsmith
half=$(( (secs + 1) / 2 ))
echo "== phase 1: sqlsmith, ${half}s over the catalog + ${half}s with --exclude-catalog"
timeout -s INT -k 15 "$half" sqlsmith --target="$conn" --seed="$seed" --dump-all-queries --verbose \
  >"$out/sqlsmith-catalog.sql" 2>"$out/sqlsmith-catalog.log"
wait_up
timeout -s INT -k 15 "$half" sqlsmith --target="$conn" --seed="$((seed + 1))" --exclude-catalog --dump-all-queries --verbose \
  >"$out/sqlsmith-tables.sql" 2>"$out/sqlsmith-tables.log"
wait_up
scan_log
queries=$(cat "$out"/sqlsmith-*.sql | grep -c ';$' || true)
calls=$(cat "$out"/sqlsmith-*.sql | grep -oE "\b($fn_regex)\(" | sort | uniq -c | sort -rn)
ncalls=$(echo "$calls" | awk '{s += $1} END {print s + 0}')
printf '%s\n' "$calls" >"$out/sqlsmith-pg_funnel-calls.txt"
if [ -n "$crash_report" ]; then
  printf '%s\n' "$crash_report" >"$out/sqlsmith-crash.txt"
  echo "$crash_report" | head -20
  if echo "$crash_report" | grep -qE "\b($fn_regex)\("; then
    check "sqlsmith: no crash" 1 "server crashed on a pg_funnel query, see $out/sqlsmith-crash.txt"
  else
    check "sqlsmith: no crash" 1 "server crashed (query calls no pg_funnel function?), see $out/sqlsmith-crash.txt"
  fi
else
  check "sqlsmith: no crash" 0 "about $queries queries"
fi
[ "$ncalls" -gt 0 ]
check "sqlsmith: reached pg_funnel" $? "$ncalls calls in generated queries ($(echo "$calls" | awk '{printf "%s%s %s", sep, $2, $1; sep=", "}' | sed 's/(//g'))"

# ---- phase 2: random pg_funnel SQL
echo "== phase 2: random pg_funnel SQL for ${secs}s"
declare -A stmts=() crashes=()
for f in $(node "$root/test/sqlsmith/random_sql.js" --functions) settings; do stmts[$f]=0; crashes[$f]=0; done
end=$((SECONDS + secs))
batch=0
errors=0
while [ $SECONDS -lt $end ]; do
  batch=$((batch + 1))
  file="$out/batch.sql"
  node "$root/test/sqlsmith/random_sql.js" "$((seed * 1000 + batch))" 60 >"$file"
  timeout -k 10 $((end - SECONDS + 60)) psql -X -q -v ON_ERROR_STOP=0 -f "$file" >/dev/null 2>"$out/batch.err"
  errors=$((errors + $(grep -c 'ERROR:' "$out/batch.err" || true)))
  while read -r f; do stmts[$f]=$(( ${stmts[$f]:-0} + 1 )); done < <(sed -n 's/^\/\*family:\([a-z_]*\)\*\/.*/\1/p' "$file")
  scan_log
  if [ -n "$crash_report" ] || grep -q 'server closed the connection unexpectedly' "$out/batch.err"; then
    cp "$file" "$out/crash-batch-$batch.sql"
    printf '%s\n' "$crash_report" >"$out/crash-batch-$batch.txt"
    fam=$(echo "$crash_report" | sed -n 's/.*Failed process was running: \/\*family:\([a-z_]*\)\*\/.*/\1/p' | head -1)
    fam=${fam:-unknown}
    crashes[$fam]=$(( ${crashes[$fam]:-0} + 1 ))
    echo "  crash in batch $batch (family $fam): $out/crash-batch-$batch.sql, $out/crash-batch-$batch.txt"
    echo "$crash_report" | grep -m1 'Failed process was running' | cut -c1-600
    wait_up || break
  fi
done
echo "  $batch batches, $errors statements ended in an error (expected)"
for f in $(node "$root/test/sqlsmith/random_sql.js" --functions) unknown; do
  [ "$f" = unknown ] && [ "${crashes[unknown]:-0}" -eq 0 ] && continue
  n=${stmts[$f]:-0}
  c=${crashes[$f]:-0}
  if [ "$c" -gt 0 ]; then
    check "random: $f" 1 "$c crash(es) in $n statements"
  else
    # A family never run (a very short run) is not a failure, just reported.
    check "random: $f" 0 "$n statements, no crash"
  fi
done

# Every SQL-callable pg_funnel function (support functions aside) is in the generator.
catalog=$(psql -X -qAt -c "
  SELECT DISTINCT p.proname FROM pg_proc p
    JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
    JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'pg_funnel'
   WHERE p.prorettype <> 'internal'::regtype AND NOT ('internal'::regtype = ANY (p.proargtypes))
   ORDER BY 1" 2>&1)
uncovered=$(comm -23 <(echo "$catalog" | sort) <(node "$root/test/sqlsmith/random_sql.js" --functions | sort) | paste -sd' ')
[ -z "$uncovered" ]
check "random: covers every function" $? "${uncovered:+not generated: $uncovered}"

# ---- the server is still up, never restarted, no backend died
pg_isready -q && psql -X -qAt -c 'SELECT 1' >/dev/null 2>&1
check "server up at the end" $? ""
pid1=$(postmaster_pid)
[ -n "$pid0" ] && [ "$pid0" = "$pid1" ]
check "same postmaster" $? "PID ${pid0:-?} at the start, ${pid1:-?} at the end"
restarts=$(tail -c +$((log0 + 1)) "$logfile" |
  grep -cE 'terminated by signal|was terminated by exception|all server processes terminated; reinitializing|PANIC:|TRAP:' || true)
[ "$restarts" -eq 0 ]
check "no crash in the whole server log" $? "${restarts} crash line(s) in $logfile"
finish
