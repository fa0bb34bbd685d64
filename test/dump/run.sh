#!/usr/bin/env bash
# Dump/restore and upgrade test of pg_funnel.
#
#     bash test/dump/run.sh
#
# In a throwaway PostgreSQL 15 cluster (mktemp directory, 127.0.0.1, a free
# port; run as root it runs the server as postgres), with pg_funnel installed
# on this machine (make && make install):
#  1. database `source`: CREATE EXTENSION pg_funnel, 500 actors of
#     generate_events in every time type (setup.sql), tables holding the
#     extension's composite types, and views that call every user-callable
#     function of the extension, every overload (views.sql). A catalog query
#     checks that claim: every function of the extension that takes and returns
#     no `internal` (support functions do) must be referenced by a view of
#     schema dumpcheck (pg_depend), so a function added later without a view
#     here fails the test. Every view's rows are recorded (text of each row,
#     sorted).
#  2. pg_dump it in custom format and restore with pg_restore into `restored_custom`;
#     pg_dump it in plain format and restore with psql into `restored_plain`.
#     Each restore must succeed without error; the extension must come back at
#     the same version with the same member objects; every view (and every
#     stored table of dumpcheck) must give exactly the recorded rows.
#  3. the update check: for every upgrade script upgrade/pg_funnel--A--B.sql of
#     the checkout (policy: docs/upgrades.md) it installs version A (CREATE
#     EXTENSION pg_funnel VERSION 'A'), creates the views that A supports,
#     runs ALTER EXTENSION pg_funnel UPDATE, and checks that the catalog
#     description of the updated extension equals a fresh install of the
#     default version and that every view gives the fresh install's rows; it
#     also restores a dump of the old-version database into the new version.
#     With no upgrade script (one version only) the check is skipped, which
#     counts neither as pass nor as fail.
# Prints PASS/FAIL lines and ends with "dump: N passed, M failed"; exits
# non-zero if anything failed.
#
# Environment: DUMP_PORT (first port tried, default 55631), PG_BINDIR (default
# PostgreSQL 15's; may be a relocated copy of the installation), DUMP_KEEP=1
# (keep the cluster directory), DUMP_UPGRADE_DIR (where to look for upgrade
# scripts, default upgrade/ of the checkout).
set -uo pipefail

# The whole script is one function, read before it runs: editing this file
# while a (long) run is in progress cannot change what that run executes.
main() {

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd -- "$here/../.." && pwd)"
bindir="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
port="${DUMP_PORT:-55631}"
upgrade_dir="${DUMP_UPGRADE_DIR:-$root/upgrade}"

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | head -40 | sed 's/^/      /'; }
summary() { echo "dump: $passed passed, $failed failed"; }

if [ "$(id -u)" -eq 0 ]; then
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pgf-dump.XXXXXX")" || { fail "mktemp"; summary; exit 1; }
chmod 755 "$tmp"
[ "$(id -u)" -eq 0 ] && chown postgres: "$tmp"
data="$tmp/data"
server_up=0
cleanup() {
  [ "$server_up" = 1 ] && as_server "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1
  if [ "${DUMP_KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() { fail "$1" "${2:-}"; [ -f "$tmp/server.log" ] && tail -15 "$tmp/server.log"; summary; exit 1; }

as_server "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$tmp/initdb.log" 2>&1 || die "initdb" "$(tail -20 "$tmp/initdb.log")"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
while ! port_free "$port"; do port=$((port + 1)); done
cat >>"$data/postgresql.conf" <<EOF
port = $port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
max_connections = 20
timezone = 'UTC'
EOF
as_server "$bindir/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 start >/dev/null 2>&1 || die "start the cluster"
server_up=1
export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
unset PGDATABASE PGSERVICE PGOPTIONS

psql_db() {  # db, then psql arguments: no psqlrc, stop on the first error
  local db=$1; shift
  "$bindir/psql" -X -q -At -v ON_ERROR_STOP=1 -d "$db" "$@"
}

# Text of the extension's catalog: every member object, and for functions,
# aggregates and types the properties an upgrade must get right.
catalog_sql="
SELECT pg_describe_object(d.classid, d.objid, 0) || coalesce(' | ' || (
         SELECT concat_ws(' ', 'returns', p.prorettype::regtype, 'kind', p.prokind, 'volatility', p.provolatile,
                          'parallel', p.proparallel, 'strict', p.proisstrict, 'security definer', p.prosecdef,
                          'language', (SELECT lanname FROM pg_language WHERE oid = p.prolang), 'symbol', p.prosrc,
                          'library', p.probin, 'config', p.proconfig::text, 'rows', p.prorows,
                          'argnames', p.proargnames::text, 'defaults', pg_get_expr(p.proargdefaults, 0),
                          'sql body', pg_get_function_sqlbody(p.oid))
           FROM pg_proc p WHERE d.classid = 'pg_proc'::regclass AND p.oid = d.objid), '')
       || coalesce(' | ' || (
         SELECT concat_ws(' ', 'sfunc', a.aggtransfn::regprocedure, 'stype', a.aggtranstype::regtype,
                          'final', a.aggfinalfn::regprocedure, 'final extra', a.aggfinalextra,
                          'final modify', a.aggfinalmodify, 'combine', a.aggcombinefn::regprocedure,
                          'serial', a.aggserialfn::regprocedure, 'deserial', a.aggdeserialfn::regprocedure,
                          'moving', a.aggmtransfn::regprocedure, 'initcond', a.agginitval, 'kind', a.aggkind)
           FROM pg_aggregate a WHERE d.classid = 'pg_proc'::regclass AND a.aggfnoid = d.objid), '')
       || coalesce(' | ' || (
         SELECT string_agg(att.attname || ' ' || format_type(att.atttypid, att.atttypmod), ', ' ORDER BY att.attnum)
           FROM pg_type t JOIN pg_attribute att ON att.attrelid = t.typrelid AND att.attnum > 0 AND NOT att.attisdropped
          WHERE d.classid = 'pg_type'::regclass AND t.oid = d.objid), '')
       || coalesce(' | comment: ' || obj_description(d.objid, (SELECT relname FROM pg_class WHERE oid = d.classid)), '')
  FROM pg_depend d
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_funnel')
 ORDER BY 1"

# Record every relation of schema dumpcheck: one file per relation, the text of
# each row, sorted (byte order: the C collation).
record() {  # db outdir
  local db=$1 out=$2 rel
  mkdir -p "$out"
  psql_db "$db" -c "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = 'dumpcheck' AND c.relkind IN ('r', 'v', 'm') ORDER BY 1" >"$out/.relations" ||
    return 1
  while read -r rel; do
    psql_db "$db" -c "SET timezone = 'UTC'" \
      -c "SELECT x::text FROM dumpcheck.$rel x ORDER BY x::text COLLATE \"C\"" >"$out/$rel" 2>"$out/$rel.err" ||
      echo "ERROR: $(cat "$out/$rel.err")" >>"$out/$rel"
  done <"$out/.relations"
}

compare() {  # label reference-dir other-dir: one PASS/FAIL per relation of the reference
  local label=$1 ref=$2 other=$3 rel
  while read -r rel; do
    if [ ! -f "$other/$rel" ]; then
      fail "$label: $rel is missing"
    elif grep -q '^ERROR' "$ref/$rel" "$other/$rel"; then
      fail "$label: $rel cannot be read" "$(grep -h -A2 '^ERROR' "$ref/$rel" "$other/$rel")"
    elif cmp -s "$ref/$rel" "$other/$rel"; then
      pass "$label: $rel identical ($(wc -l <"$ref/$rel") rows)"
    else
      fail "$label: $rel differs" "$(diff "$ref/$rel" "$other/$rel" | head -20)"
    fi
  done <"$ref/.relations"
}

# ---------------------------------------------------------------------------
echo "== source database (127.0.0.1:$port, $tmp)"
"$bindir/createdb" source || die "createdb source"
out=$(psql_db source -c "CREATE EXTENSION pg_funnel" -f "$here/setup.sql" -f "$here/views.sql" 2>&1) ||
  die "create the extension, the sample data and the views" "$out"
version=$(psql_db source -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_funnel'")
n_views=$(psql_db source -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                              WHERE n.nspname = 'dumpcheck' AND c.relkind IN ('v', 'm')")
pass "pg_funnel $version, sample data and $n_views views created"

# Every user-callable function is used by a view (support functions take or
# return internal and cannot be called from SQL).
functions_sql="
SELECT p.oid::regprocedure::text AS function,
       EXISTS (SELECT 1 FROM pg_depend v JOIN pg_rewrite r ON v.classid = 'pg_rewrite'::regclass AND v.objid = r.oid
                JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE v.refclassid = 'pg_proc'::regclass AND v.refobjid = p.oid AND n.nspname = 'dumpcheck') AS used
  FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
 WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_funnel')
   AND p.prorettype <> 'internal'::regtype AND NOT 'internal'::regtype = ANY (p.proargtypes::oid[])
 ORDER BY 1"
psql_db source -F ' ' -c "$functions_sql" >"$tmp/functions" || die "list the extension's functions"
n_fn=$(wc -l <"$tmp/functions")
unused=$(grep ' f$' "$tmp/functions" | sed 's/ f$//')
echo "user-callable functions of the extension ($n_fn):"
sed 's/ [tf]$//' "$tmp/functions" | sed 's/^/  /' | column -c 160 2>/dev/null || sed 's/ [tf]$//; s/^/  /' "$tmp/functions"
if [ "$n_fn" -gt 0 ] && [ -z "$unused" ]; then
  pass "every one of the $n_fn user-callable functions is called by a view"
else
  fail "functions of the extension that no view calls (add a view to test/dump/views.sql)" "$unused"
fi

psql_db source -c "$catalog_sql" >"$tmp/catalog.source" || die "describe the extension's catalog"
record source "$tmp/rows.source" || die "record the views' rows"
errs=$(grep -l '^ERROR' "$tmp/rows.source"/* 2>/dev/null)
if [ -z "$errs" ]; then
  pass "every relation of dumpcheck readable in the source ($(wc -l <"$tmp/rows.source/.relations") relations)"
else
  fail "relations failing in the source database" "$(for f in $errs; do echo "$(basename "$f"): $(head -3 "$f")"; done)"
fi

# ---------------------------------------------------------------------------
check_restored() {  # label db
  local label=$1 db=$2 v
  v=$(psql_db "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_funnel'")
  if [ "$v" = "$version" ]; then pass "$label: pg_funnel $v"; else fail "$label: pg_funnel version '$v', expected $version"; fi
  psql_db "$db" -c "$catalog_sql" >"$tmp/catalog.$db"
  if cmp -s "$tmp/catalog.source" "$tmp/catalog.$db"; then
    pass "$label: same extension objects ($(wc -l <"$tmp/catalog.source") members)"
  else
    fail "$label: extension objects differ" "$(diff "$tmp/catalog.source" "$tmp/catalog.$db")"
  fi
  record "$db" "$tmp/rows.$db"
  compare "$label" "$tmp/rows.source" "$tmp/rows.$db"
}

echo "== pg_dump -Fc | pg_restore"
if "$bindir/pg_dump" -Fc -d source -f "$tmp/source.dump" 2>"$tmp/dump.err"; then
  pass "pg_dump -Fc"
  "$bindir/createdb" restored_custom
  if "$bindir/pg_restore" --exit-on-error -d restored_custom "$tmp/source.dump" >"$tmp/restore.err" 2>&1 &&
     [ ! -s "$tmp/restore.err" ]; then
    pass "pg_restore without error or warning"
  else
    fail "pg_restore" "$(cat "$tmp/restore.err")"
  fi
  check_restored "custom dump" restored_custom
else
  fail "pg_dump -Fc" "$(cat "$tmp/dump.err")"
fi

echo "== pg_dump (plain) | psql"
if "$bindir/pg_dump" -d source -f "$tmp/source.sql" 2>"$tmp/dump.err"; then
  pass "pg_dump (plain SQL)"
  "$bindir/createdb" restored_plain
  if "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -d restored_plain -f "$tmp/source.sql" >"$tmp/restore_plain.out" 2>&1 &&
     ! grep -qE 'ERROR|WARNING' "$tmp/restore_plain.out"; then
    pass "plain restore with psql without error or warning"
  else
    fail "plain restore with psql" "$(cat "$tmp/restore_plain.out")"
  fi
  check_restored "plain dump" restored_plain
else
  fail "pg_dump (plain)" "$(cat "$tmp/dump.err")"
fi

# ---------------------------------------------------------------------------
echo "== ALTER EXTENSION pg_funnel UPDATE"
shopt -s nullglob
scripts=("$upgrade_dir"/pg_funnel--*--*.sql)
shopt -u nullglob
if [ ${#scripts[@]} -eq 0 ]; then
  echo "SKIP  update check: no upgrade script in $upgrade_dir (pg_funnel has one version, $version)"
else
  # The versions the scripts upgrade from, each tested once: install it, build
  # the views it supports, update to the default version, compare with the
  # fresh install (catalog and rows), and restore its dump into the new version.
  froms=$(for s in "${scripts[@]}"; do basename "$s" .sql | sed 's/^pg_funnel--\(.*\)--.*$/\1/'; done | sort -u)
  default=$(psql_db source -c "SELECT default_version FROM pg_available_extensions WHERE name = 'pg_funnel'")
  for s in "${scripts[@]}"; do
    if [ -f "$("$bindir/pg_config" --sharedir)/extension/$(basename "$s")" ]; then
      pass "$(basename "$s") is installed"
    else
      fail "$(basename "$s") is not installed (make install; the Makefile's DATA must list upgrade/*.sql)"
    fi
  done
  n=0
  for from in $froms; do
    [ "$from" = "$default" ] && continue
    n=$((n + 1)); db="update_$n"; label="update $from -> $default"
    path=$(psql_db source -c "SELECT path FROM pg_extension_update_paths('pg_funnel')
                               WHERE source = '$from' AND target = '$default'")
    if [ -z "$path" ]; then
      fail "$label: no update path from $from to $default"
      continue
    fi
    installable=$(psql_db source -c "SELECT count(*) FROM pg_available_extension_versions
                                      WHERE name = 'pg_funnel' AND version = '$from'")
    if [ "$installable" != 1 ]; then
      fail "$label: version $from cannot be installed (keep its install script, docs/upgrades.md)"
      continue
    fi
    "$bindir/createdb" "$db"
    out=$(psql_db "$db" -c "CREATE EXTENSION pg_funnel VERSION '$from'" -f "$here/setup.sql" 2>&1) || {
      fail "$label: install $from and load the sample data" "$out"; continue; }
    # Views one statement at a time: those that use functions $from lacks fail.
    "$bindir/psql" -X -q -d "$db" -v ON_ERROR_STOP=0 -f "$here/views.sql" >"$tmp/$db.views.out" 2>&1
    # Between `make install` of the new version and ALTER EXTENSION UPDATE the
    # old SQL objects run on the new library: they must still give the rows.
    record "$db" "$tmp/rows.$db.before"
    missing=$(comm -23 "$tmp/rows.source/.relations" "$tmp/rows.$db.before/.relations" | tr '\n' ' ')
    [ -n "$missing" ] && echo "note: version $from cannot create these views (newer functions): $missing"
    compare "$label, before the update (old SQL objects, new library)" "$tmp/rows.$db.before" "$tmp/rows.source"
    out=$(psql_db "$db" -c "ALTER EXTENSION pg_funnel UPDATE" 2>&1)
    if [ $? -eq 0 ]; then pass "$label: ALTER EXTENSION UPDATE along $path"; else fail "$label: ALTER EXTENSION UPDATE" "$out"; continue; fi
    v=$(psql_db "$db" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_funnel'")
    [ "$v" = "$default" ] && pass "$label: now at $v" || fail "$label: at '$v' after the update"
    psql_db "$db" -c "$catalog_sql" >"$tmp/catalog.$db"
    if cmp -s "$tmp/catalog.source" "$tmp/catalog.$db"; then
      pass "$label: catalog identical to a fresh install of $default"
    else
      fail "$label: catalog differs from a fresh install of $default (< fresh, > updated)" \
        "$(diff "$tmp/catalog.source" "$tmp/catalog.$db")"
    fi
    # The views created on the old version give the fresh install's rows, now
    # that they run on the new library.
    record "$db" "$tmp/rows.$db"
    compare "$label" "$tmp/rows.$db" "$tmp/rows.source"
    # A dump of the old-version database restores into the new version.
    "$bindir/pg_dump" -Fc -d "$db" -f "$tmp/$db.dump" && "$bindir/createdb" "${db}_restored" &&
      "$bindir/pg_restore" --exit-on-error -d "${db}_restored" "$tmp/$db.dump" >"$tmp/$db.restore.err" 2>&1
    if [ $? -eq 0 ]; then
      pass "$label: dump of a $from database restores into $default"
      record "${db}_restored" "$tmp/rows.${db}_restored"
      compare "$label, restored" "$tmp/rows.$db" "$tmp/rows.${db}_restored"
    else
      fail "$label: dump of a $from database does not restore" "$(cat "$tmp/$db.restore.err")"
    fi
  done
  [ "$n" -eq 0 ] && echo "SKIP  update check: every upgrade script starts at the default version $default"
fi

summary
[ "$failed" -eq 0 ]
}

main "$@"; exit $?  # one line: nothing after it is read from the file
