#!/usr/bin/env bash
# Sharding test: pg_funnel across three PostgreSQL 15 clusters with postgres_fdw.
# What it checks and why: docs/sharding.md.
#
# Starts a coordinator and two shards on 127.0.0.1 (throwaway clusters in a
# mktemp directory, stopped and removed on exit, also on failure), installs
# pg_funnel in all three (it must already be installed on this machine:
# `make && make install`), puts the actors of hash partition 0 on shard 1 and
# those of partition 1 on shard 2, and on the coordinator builds
#   events        PARTITION BY HASH (actor_id), partitions = foreign tables on
#                 the shards, servers with OPTIONS (extensions 'pg_funnel')
#   events_noext  the same partitions, servers without the extensions option
#   events_local  all the events in one local table (single-node reference)
# Then it checks:
#   setup     same pg_funnel version everywhere; the shards hold exactly the
#             single-node events, each shard exactly its partition's actors
#   catalog   every pg_funnel aggregate has combine/serialize/deserialize, is
#             PARALLEL SAFE, immutable, a plain (not ordered-set) aggregate
#             with internal state (what docs/sharding.md says about Citus), and
#             which result types postgres_fdw cannot ship
#   pushdown  per-actor aggregates (GROUP BY actor_id) run whole on the shards
#             (EXPLAIN VERBOSE: one Foreign Scan per partition, the aggregate in
#             its Remote SQL, no local Aggregate) and give exactly the
#             single-node answer (EXCEPT ALL both ways, row text compared);
#             also a foreign table over a shard-side view
#   reports   dropoff_by_stage, micro_stats, micro_value, micro_correlations on
#             the coordinator over per-actor rows computed on the shards
#   local     queries that are NOT pushed down (grouping not by actor, no
#             partitionwise aggregation, no extensions option, a text constant
#             or non-shippable argument, window functions) still give the
#             single-node answer
#   writes    rows inserted through the coordinator land on the right shard
# Prints PASS/FAIL per check and ends with "sharding: N passed, M failed";
# exits non-zero if anything failed.
#
# Environment: SHARD_ACTORS (default 4000), SHARD_PORT (first port tried,
# default 55431; the next free ones are used), PG_BINDIR (default: PostgreSQL
# 15's), SHARD_KEEP=1 (keep the clusters' directory, for debugging),
# SHARD_VERBOSE=1 (print every plan).
set -uo pipefail

here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
bindir="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
actors="${SHARD_ACTORS:-4000}"
port_from="${SHARD_PORT:-55431}"
verbose="${SHARD_VERBOSE:-0}"

passed=0
failed=0
pass() { passed=$((passed + 1)); printf 'PASS  %s\n' "$1"; }
fail() { failed=$((failed + 1)); printf 'FAIL  %s\n' "$1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/      /'; }
summary() { echo "sharding: $passed passed, $failed failed"; }

# initdb and postgres refuse to run as root: run the servers as postgres then.
if [ "$(id -u)" -eq 0 ]; then
  as_server() { runuser -u postgres -- "$@"; }
else
  as_server() { "$@"; }
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/pgf-sharding.XXXXXX")" || { fail "mktemp"; summary; exit 1; }
[ "$(id -u)" -eq 0 ] && chown postgres: "$tmp"
started=()
cleanup() {
  local d
  for d in "${started[@]}"; do
    as_server "$bindir/pg_ctl" -D "$d" -m immediate -w stop >/dev/null 2>&1
  done
  if [ "${SHARD_KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

die() {  # setup failure: report, show the end of the server logs, stop
  fail "$1" "${2:-}"
  local n
  for n in coord shard1 shard2; do
    [ -f "$tmp/$n.log" ] && { echo "--- $n server log"; tail -15 "$tmp/$n.log"; }
  done
  summary
  exit 1
}

# A port is free if nothing accepts a connection on it.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
next_port=$port_from
pick_port() {  # sets `port`
  while ! port_free "$next_port"; do next_port=$((next_port + 1)); done
  port=$next_port
  next_port=$((next_port + 1))
}

start_node() {  # name -> echoes the port
  local name=$1 dir="$tmp/$1" try
  if ! as_server "$bindir/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C --no-sync \
         >"$tmp/$name.initdb.log" 2>&1; then
    cat "$tmp/$name.initdb.log" >&2
    return 1
  fi
  # Parallel plans are switched off to keep the plans that are grepped simple;
  # the regression suite covers parallel aggregation.
  cat >>"$dir/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$tmp'
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 20
max_worker_processes = 4
max_parallel_workers_per_gather = 0
timezone = 'UTC'
EOF
  # Another process may take a port between the check and the start: retry.
  for try in 1 2 3 4 5; do
    pick_port
    if as_server "$bindir/pg_ctl" -D "$dir" -l "$tmp/$name.log" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
      started+=("$dir")
      echo "$port"
      return 0
    fi
  done
  return 1
}

psql_at() {  # port, then psql arguments; no psqlrc, stop on the first error
  local port=$1; shift
  "$bindir/psql" -X -q -At -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres "$@"
}

echo "== setup ($actors actors, three clusters in $tmp)"
# start_node runs in the current shell (not $(...)) so that `started` is kept.
for n in coord shard1 shard2; do
  start_node "$n" >"$tmp/$n.port" 2>"$tmp/$n.err" || die "start cluster $n" "$(cat "$tmp/$n.err")"
done
p0=$(cat "$tmp/coord.port"); p1=$(cat "$tmp/shard1.port"); p2=$(cat "$tmp/shard2.port")
echo "coordinator 127.0.0.1:$p0, shard1 127.0.0.1:$p1, shard2 127.0.0.1:$p2"

out=$(psql_at "$p1" -v actors="$actors" -v remainder=0 -f "$here/shard.sql" 2>&1) || die "load shard1" "$out"
out=$(psql_at "$p2" -v actors="$actors" -v remainder=1 -f "$here/shard.sql" 2>&1) || die "load shard2" "$out"
out=$(psql_at "$p0" -v actors="$actors" -v port1="$p1" -v port2="$p2" -f "$here/coordinator.sql" 2>&1) ||
  die "set up coordinator" "$out"

# Every query on the coordinator runs with these settings.
settings="SET enable_partitionwise_aggregate = on; SET max_parallel_workers_per_gather = 0;"
export PGCONNECT_TIMEOUT=10 PGOPTIONS="-c statement_timeout=120s"
coord() { psql_at "$p0" -c "$settings" -c "$1" 2>&1; }

# ---------------------------------------------------------------------------
echo "== setup checks"

v=$(for p in "$p0" "$p1" "$p2"; do psql_at "$p" -c "SELECT extversion FROM pg_extension WHERE extname = 'pg_funnel'"; done | sort -u)
if [ "$(echo "$v" | wc -l)" -eq 1 ] && [ -n "$v" ]; then
  pass "pg_funnel $v installed on all three nodes (extensions 'pg_funnel' requires the same version everywhere)"
else
  fail "pg_funnel versions differ between nodes" "$v"
fi

r=$(coord "SELECT (SELECT count(*) FROM (TABLE events EXCEPT ALL TABLE events_local) x) || ' ' ||
                  (SELECT count(*) FROM (TABLE events_local EXCEPT ALL TABLE events) x) || ' ' ||
                  (SELECT count(*) FROM events_p0) || ' ' || (SELECT count(*) FROM events_p1)")
set -- $r
if [ "${1:-x}" = 0 ] && [ "${2:-x}" = 0 ] && [ "${3:-0}" -gt 0 ] && [ "${4:-0}" -gt 0 ]; then
  pass "the shards together hold exactly the single-node events ($3 + $4 rows)"
else
  fail "distributed events differ from the single-node events" "$r"
fi

# Shard k must hold exactly the actors that the coordinator routes to partition k
# (otherwise partition pruning on actor_id would silently miss rows).
r=$(coord "SELECT (SELECT count(*) FROM (SELECT DISTINCT actor_id FROM events_p0
                    EXCEPT SELECT DISTINCT actor_id FROM events_local
                     WHERE satisfies_hash_partition('events'::regclass, 2, 0, actor_id)) x) +
                  (SELECT count(*) FROM (SELECT DISTINCT actor_id FROM events_p1
                    EXCEPT SELECT DISTINCT actor_id FROM events_local
                     WHERE satisfies_hash_partition('events'::regclass, 2, 1, actor_id)) x)")
if [ "$r" = 0 ]; then
  pass "each shard holds exactly the actors of its hash partition"
else
  fail "actors on the wrong shard" "$r"
fi

# ---------------------------------------------------------------------------
echo "== catalog: what docs/sharding.md says about our aggregates"

# Every aggregate of the extension: plain aggregate (no ordered-set / hypothetical
# form, so no ORDER BY inside the call), internal state, combine + serialize +
# deserialize, PARALLEL SAFE, immutable (postgres_fdw ships only immutable functions).
r=$(coord "SELECT count(*) || ' ' ||
                  count(*) FILTER (WHERE a.aggkind = 'n' AND a.aggtranstype = 'internal'::regtype
                                     AND a.aggcombinefn <> 0 AND a.aggserialfn <> 0 AND a.aggdeserialfn <> 0
                                     AND p.proparallel = 's' AND p.provolatile = 'i') || ' ' ||
                  coalesce(string_agg(p.oid::regprocedure::text, '; ') FILTER (WHERE NOT (
                                     a.aggkind = 'n' AND a.aggtranstype = 'internal'::regtype
                                     AND a.aggcombinefn <> 0 AND a.aggserialfn <> 0 AND a.aggdeserialfn <> 0
                                     AND p.proparallel = 's' AND p.provolatile = 'i')), '')
             FROM pg_aggregate a
             JOIN pg_proc p ON p.oid = a.aggfnoid
             JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
             JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_funnel'")
set -- $r
if [ "${1:-0}" -gt 0 ] && [ "$1" = "${2:-x}" ]; then
  pass "all $1 pg_funnel aggregates: plain aggregate, internal state, aggcombinefn + aggserialfn + aggdeserialfn, PARALLEL SAFE, immutable"
else
  fail "pg_funnel aggregates missing distributed-aggregation support" "$r"
fi

# The support functions: combine is not strict (it must accept a NULL first
# state for internal), serialize/deserialize are strict; all PARALLEL SAFE.
r=$(coord "SELECT count(*) FILTER (WHERE c.proisstrict OR s.proisstrict IS NOT TRUE OR ds.proisstrict IS NOT TRUE
                                     OR c.proparallel <> 's' OR s.proparallel <> 's' OR ds.proparallel <> 's'
                                     OR s.prorettype <> 'bytea'::regtype)
             FROM pg_aggregate a
             JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = a.aggfnoid AND d.deptype = 'e'
             JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_funnel'
             JOIN pg_proc c ON c.oid = a.aggcombinefn
             JOIN pg_proc s ON s.oid = a.aggserialfn
             JOIN pg_proc ds ON ds.oid = a.aggdeserialfn")
if [ "$r" = 0 ]; then
  pass "support functions: combine non-strict, serialize -> bytea and deserialize strict, all PARALLEL SAFE"
else
  fail "support functions not as documented" "$r"
fi

# postgres_fdw ships an aggregate only if its result type is built in or belongs
# to a listed extension. The array types of our composite types are not
# extension members (PostgreSQL records them as dependent on the element type),
# so exactly these aggregates can never be shipped; all of them are reports
# over actors, which are not grouped by actor anyway.
r=$(coord "SELECT coalesce(string_agg(DISTINCT p.proname, ',' ORDER BY p.proname), '')
             FROM pg_aggregate a
             JOIN pg_proc p ON p.oid = a.aggfnoid
             JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
             JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'pg_funnel'
            WHERE p.prorettype >= 16384
              AND NOT EXISTS (SELECT 1 FROM pg_depend td
                               WHERE td.classid = 'pg_type'::regclass AND td.objid = p.prorettype
                                 AND td.refclassid = 'pg_extension'::regclass AND td.refobjid = e.oid
                                 AND td.deptype = 'e')")
if [ "$r" = "dropoff_by_stage,micro_correlations" ]; then
  pass "result types not shippable by postgres_fdw: only $r (arrays of funnel_stage / micro_correlation)"
else
  fail "aggregates with a result type postgres_fdw cannot ship are not the documented ones" "got: $r"
fi

# ---------------------------------------------------------------------------
# Helpers for plans and comparisons.

has_fn() {  # does the extension define a function of this name?
  [ "$(coord "SELECT count(*) FROM pg_proc WHERE proname = '$1'")" != 0 ]
}

plan_of() { coord "EXPLAIN (VERBOSE, COSTS OFF) $1"; }

# Local aggregation nodes of a plan ("Relations: Aggregate on ..." is not a node).
local_agg_nodes() { grep -cE '^[[:space:]]*(->[[:space:]]+)?(Finalize |Partial )?(Hash|Group|Mixed)?Aggregate([[:space:]]|$)' <<<"$1"; }
foreign_scans() { grep -cE '^[[:space:]]*(->[[:space:]]+)?(Async )?Foreign Scan' <<<"$1"; }
pushed_aggs() { grep -cE '^[[:space:]]*Relations: Aggregate on' <<<"$1"; }
remote_with() { grep -E '^[[:space:]]*Remote SQL:' <<<"$1" | grep -cF "$2"; }

show_plan() { [ "$verbose" = 1 ] && printf '%s\n' "$1" | sed 's/^/      | /'; return 0; }

# Same rows, compared as text (so 1.0 vs 1.00 or a float's last digit counts),
# with multiplicities: count(A EXCEPT ALL B) = count(B EXCEPT ALL A) = 0.
compare2() {  # name, distributed query, single-node query
  local name=$1 r
  r=$(coord "WITH a AS MATERIALIZED (SELECT q::text AS r FROM ($2) q),
                  b AS MATERIALIZED (SELECT q::text AS r FROM ($3) q)
             SELECT (SELECT count(*) FROM a) || ' ' || (SELECT count(*) FROM b) || ' ' ||
                    (SELECT count(*) FROM (TABLE a EXCEPT ALL TABLE b) x) || ' ' ||
                    (SELECT count(*) FROM (TABLE b EXCEPT ALL TABLE a) x)")
  set -- $r
  if [ $# -eq 4 ] && [ "$1" -gt 0 ] && [ "$1" = "$2" ] && [ "$3" = 0 ] && [ "$4" = 0 ]; then
    pass "$name: identical to single node ($1 rows)"
  else
    fail "$name: differs from single node (rows distributed / single node / only distributed / only single node)" "$r"
  fi
}
# $1 name, $2 query with {T} for the table; $3 distributed table (default events).
compare() { compare2 "$1" "${2//\{T\}/${3:-events}}" "${2//\{T\}/events_local}"; }

# Per-actor aggregate pushed down whole: one Foreign Scan per partition, each a
# pushed-down aggregate whose Remote SQL calls the function, nothing aggregated
# locally; then the same rows as the single-node table.
pushdown() {  # name, function name, query with {T}
  local name=$1 fn=$2 q=$3 plan fs pa rs la
  plan=$(plan_of "${q//\{T\}/events}")
  show_plan "$plan"
  fs=$(foreign_scans "$plan"); pa=$(pushed_aggs "$plan")
  rs=$(remote_with "$plan" "public.$fn("); la=$(local_agg_nodes "$plan")
  if [ "$fs" = 2 ] && [ "$pa" = 2 ] && [ "$rs" = 2 ] && [ "$la" = 0 ]; then
    pass "$name: pushed down whole to both shards ($fn in the Remote SQL of 2 Foreign Scans, no local Aggregate)"
  else
    fail "$name: not pushed down (foreign scans $fs, pushed aggregates $pa, remote calls $rs, local aggregates $la)" "$plan"
  fi
  compare "$name" "$q"
}

# Not pushed down: the function is computed on the coordinator over rows the
# shards send, and the answer is still the single-node answer.
computed_locally() {  # name, function name, query with {T}, distributed table
  local name=$1 fn=$2 q=$3 dist=${4:-events} plan rs
  plan=$(plan_of "${q//\{T\}/$dist}")
  show_plan "$plan"
  rs=$(remote_with "$plan" "$fn(")
  if [ "$rs" = 0 ] && grep -qE "(^|[^_[:alnum:]])$fn\(" <<<"$plan" && [ "$(foreign_scans "$plan")" -ge 2 ]; then
    pass "$name: $fn computed on the coordinator (not in any Remote SQL)"
  else
    fail "$name: expected $fn on the coordinator only (remote calls: $rs)" "$plan"
  fi
  compare "$name" "$q" "$dist"
}

steps4="event = 'product_view', event = 'add_to_cart', event = 'begin_checkout', event = 'purchase'"
steps5="event = 'page_view', $steps4"

# ---------------------------------------------------------------------------
echo "== pushdown: per-actor aggregates grouped by the partition key run on the shards"

pushdown "funnel_steps" funnel_steps \
  "SELECT actor_id, funnel_steps(ts, interval '7 days', $steps4) AS level FROM {T} GROUP BY actor_id"
pushdown "funnel_steps with FILTER, per actor and product" funnel_steps \
  "SELECT actor_id, product_id, funnel_steps(ts, interval '7 days', $steps4)
          FILTER (WHERE product_id IS NOT NULL) AS level
     FROM {T} GROUP BY actor_id, product_id"
pushdown "funnel_times" funnel_times \
  "SELECT actor_id, funnel_times(ts, interval '7 days', $steps4) AS t FROM {T} GROUP BY actor_id"
pushdown "time_between" time_between \
  "SELECT actor_id, time_between(ts, event = 'newsletter_signup', event = 'purchase') AS d FROM {T} GROUP BY actor_id"
pushdown "retention" retention \
  "SELECT actor_id, retention(ts < timestamptz '2026-01-12 00:00+00',
                              ts >= timestamptz '2026-01-12 00:00+00' AND ts < timestamptz '2026-01-19 00:00+00',
                              ts >= timestamptz '2026-01-19 00:00+00') AS r
     FROM {T} GROUP BY actor_id"
pushdown "several aggregates in one query" funnel_steps \
  "SELECT actor_id, channel, funnel_steps(ts, interval '7 days', $steps4) AS level,
          funnel_times(ts, interval '7 days', $steps4) AS t,
          time_between(ts, event = 'video_play', event = 'purchase') AS d,
          bool_or(event = 'purchase') AS bought, sum(revenue) AS revenue
     FROM {T} GROUP BY actor_id, channel"
# A text constant argument (the modes) alone gives the call a collation that
# postgres_fdw cannot trace to a remote column, so it is not shipped (see the
# "not pushed down" section). Deriving the text from a shipped column lifts
# that: '' from left(event, 0) changes nothing (event is never NULL here).
pushdown "funnel_steps with modes derived from a column" funnel_steps \
  "SELECT actor_id, funnel_steps(ts, interval '1 day', 'strict_order,allow_reentry' || left(event, 0), $steps5) AS level
     FROM {T} GROUP BY actor_id"
pushdown "funnel_times any_order, modes derived from a column" funnel_times \
  "SELECT actor_id, funnel_times(ts, interval '3 days', 'any_order' || left(event, 0),
                                 event = 'video_play', event = 'newsletter_signup', event = 'purchase') AS t
     FROM {T} GROUP BY actor_id"

# The journey aggregates, when this build has them (DESIGN.md signatures). Their
# pattern is a text constant: shipped only when derived from a column, as above.
journey=0
if has_fn sequence_match; then
  journey=1
  pushdown "sequence_match, pattern derived from a column" sequence_match \
    "SELECT actor_id, sequence_match('(?1).*(?2)(?t<=86400)' || left(event, 0), ts, event = 'product_view', event = 'add_to_cart') AS m
       FROM {T} GROUP BY actor_id"
fi
if has_fn sequence_count; then
  journey=1
  pushdown "sequence_count, pattern derived from a column" sequence_count \
    "SELECT actor_id, sequence_count('(?1).*(?2)' || left(event, 0), ts, event = 'page_view', event = 'product_view') AS n
       FROM {T} GROUP BY actor_id"
fi
if has_fn sequence_match_times; then
  journey=1
  pushdown "sequence_match_times, pattern derived from a column" sequence_match_times \
    "SELECT actor_id, sequence_match_times('(?1).*(?2)' || left(event, 0), ts, event = 'product_view', event = 'purchase') AS t
       FROM {T} GROUP BY actor_id"
fi
if has_fn sequence_next_node; then
  journey=1
  # The value argument is a column (event), so the call's collation is traceable.
  pushdown "sequence_next_node" sequence_next_node \
    "SELECT actor_id, sequence_next_node('forward', 'head', ts, event, event = 'product_view', event = 'product_view') AS next
       FROM {T} GROUP BY actor_id"
fi

# Planner statistics on the coordinator (ANALYZE of foreign partitions reads
# every remote row in PG15, which is why the setup does not do it) must not
# change the decision.
out=$(coord "ANALYZE events") || fail "ANALYZE events" "$out"
pushdown "funnel_steps after ANALYZE events" funnel_steps \
  "SELECT actor_id, funnel_steps(ts, interval '7 days', $steps4) AS level FROM {T} GROUP BY actor_id"
pushdown "funnel_times and time_between after ANALYZE events" funnel_times \
  "SELECT actor_id, funnel_times(ts, interval '7 days', $steps4) AS t,
          time_between(ts, event = 'newsletter_signup', event = 'purchase') AS d FROM {T} GROUP BY actor_id"

# A foreign table over a view on the shards: the aggregate runs there by construction.
plan=$(plan_of "SELECT actor_id, level FROM actor_levels_strict")
show_plan "$plan"
if [ "$(foreign_scans "$plan")" = 2 ] && [ "$(local_agg_nodes "$plan")" = 0 ] &&
   [ "$(remote_with "$plan" 'FROM public.actor_levels_strict')" = 2 ]; then
  pass "shard-side view: funnel_steps with modes computed on the shards, read through 2 Foreign Scans"
else
  fail "shard-side view: unexpected plan" "$plan"
fi
compare2 "shard-side view (funnel_steps with modes)" \
  "SELECT actor_id, level FROM actor_levels_strict" \
  "SELECT actor_id, funnel_steps(ts, interval '1 day', 'strict_order,allow_reentry', $steps5) AS level
     FROM events_local GROUP BY actor_id"

# ---------------------------------------------------------------------------
echo "== reports: aggregates over actors, on the coordinator, from per-actor rows computed on the shards"

per_actor="SELECT actor_id, channel,
                  funnel_steps(ts, interval '7 days', $steps4) AS level,
                  funnel_times(ts, interval '7 days', $steps4) AS t,
                  bool_or(event = 'newsletter_signup') AS signed_up,
                  bool_or(event = 'video_play') AS played,
                  bool_or(event = 'purchase') AS bought,
                  sum(revenue) AS revenue,
                  array_agg(DISTINCT event) AS events
             FROM {T} GROUP BY actor_id, channel"

# The two-level pattern: the inner per-actor query runs on the shards, the
# report aggregate on the coordinator over one row per actor.
q="SELECT dropoff_by_stage(t, 4) FROM ($per_actor) pa"
plan=$(plan_of "${q//\{T\}/events}")
show_plan "$plan"
if [ "$(pushed_aggs "$plan")" = 2 ] && [ "$(remote_with "$plan" 'public.funnel_times(')" = 2 ] &&
   [ "$(remote_with "$plan" 'dropoff_by_stage')" = 0 ] && [ "$(local_agg_nodes "$plan")" = 1 ]; then
  pass "two-level plan: per-actor funnel_times on the shards, dropoff_by_stage once on the coordinator"
else
  fail "two-level plan not as expected" "$plan"
fi
q="SELECT micro_correlations(events, bought, revenue, 20) FROM ($per_actor) pa"
plan=$(plan_of "${q//\{T\}/events}")
show_plan "$plan"
if [ "$(pushed_aggs "$plan")" = 2 ] && [ "$(remote_with "$plan" 'array_agg(DISTINCT event)')" = 2 ] &&
   [ "$(remote_with "$plan" 'micro_correlations')" = 0 ]; then
  pass "two-level plan: per-actor array_agg(DISTINCT event) on the shards, micro_correlations on the coordinator"
else
  fail "two-level plan for micro_correlations not as expected" "$plan"
fi

compare "dropoff_by_stage(level)" \
  "SELECT r.* FROM (SELECT dropoff_by_stage(level, 4) AS s FROM ($per_actor) pa) x, dropoff_rows(x.s) r"
compare "dropoff_by_stage(times) with mean and median times" \
  "SELECT r.* FROM (SELECT dropoff_by_stage(t, 4) AS s FROM ($per_actor) pa) x, dropoff_rows(x.s) r"
compare "dropoff_by_stage by channel" \
  "SELECT channel, dropoff_by_stage(t, 4) FROM ($per_actor) pa GROUP BY channel"
compare "micro_stats" \
  "SELECT (micro_stats(signed_up, bought, revenue)).* FROM ($per_actor) pa"
compare "micro_stats by channel (without value)" \
  "SELECT channel, micro_stats(played, bought) FROM ($per_actor) pa GROUP BY channel"
compare "micro_value" \
  "SELECT micro_value(signed_up, bought, revenue), micro_value(played, bought, revenue) FROM ($per_actor) pa"
compare "micro_correlations" \
  "SELECT r.* FROM (SELECT micro_correlations(events, bought, revenue, 20) AS c FROM ($per_actor) pa) x,
          micro_correlation_rows(x.c) r"
compare "micro_correlations by channel" \
  "SELECT channel, micro_correlations(events, bought) FROM ($per_actor) pa GROUP BY channel"

# ---------------------------------------------------------------------------
echo "== not pushed down: computed on the coordinator, same answers"

# Grouping that is not by actor: PG15 cannot push a partial aggregate to a
# foreign server, so rows are shipped and our aggregates run on the coordinator
# (typically a Partial Aggregate per partition, combined with our combine
# function in a Finalize Aggregate).
q="SELECT channel, funnel_steps(ts, interval '7 days', $steps4) AS level FROM {T} GROUP BY channel"
computed_locally "GROUP BY channel (not the partition key)" funnel_steps "$q"
computed_locally "micro_stats by device over raw events" micro_stats \
  "SELECT device, (micro_stats(event = 'video_play', event = 'purchase', revenue)).* FROM {T} GROUP BY device"
computed_locally "retention by campaign" retention \
  "SELECT campaign, retention(event = 'page_view', event = 'product_view', event = 'purchase') FROM {T} GROUP BY campaign"
if has_fn funnel_report; then
  # One aggregate over the raw events of both shards: actors are partitioned by
  # hash, so the per-partition partial reports hold disjoint actors and combine.
  computed_locally "funnel_report by channel" funnel_report \
    "SELECT channel, funnel_report(actor_id, ts, interval '7 days', $steps4) AS r FROM {T} GROUP BY channel"
  computed_locally "funnel_report, whole table, strict_order" funnel_report \
    "SELECT funnel_report(actor_id, ts, interval '1 day', 'strict_order', $steps4) AS r FROM {T}"
fi

# Per-actor grouping, but the call is not shippable or pushdown is off.
q="SELECT actor_id, funnel_times(ts, interval '7 days', $steps4) AS t,
          time_between(ts, event = 'newsletter_signup', event = 'purchase') AS d
     FROM {T} GROUP BY actor_id"
settings="SET enable_partitionwise_aggregate = off; SET max_parallel_workers_per_gather = 0;"
computed_locally "enable_partitionwise_aggregate = off" funnel_times "$q"
settings="SET enable_partitionwise_aggregate = on; SET max_parallel_workers_per_gather = 0;"
computed_locally "servers without extensions 'pg_funnel'" funnel_times "$q" events_noext
computed_locally "text constant argument (modes)" funnel_steps \
  "SELECT actor_id, funnel_steps(ts, interval '1 day', 'strict_order,allow_reentry', $steps5) AS level
     FROM {T} GROUP BY actor_id"
computed_locally "text constant argument (modes), funnel_times" funnel_times \
  "SELECT actor_id, funnel_times(ts, interval '3 days', 'any_order',
                                 event = 'video_play', event = 'newsletter_signup', event = 'purchase') AS t
     FROM {T} GROUP BY actor_id"
if has_fn sequence_match; then
  computed_locally "text constant argument (pattern), sequence_match" sequence_match \
    "SELECT actor_id, sequence_match('(?1).*(?2)(?t<=86400)', ts, event = 'product_view', event = 'add_to_cart') AS m
       FROM {T} GROUP BY actor_id"
fi
if has_fn sequence_count; then
  computed_locally "text constant argument (pattern), sequence_count" sequence_count \
    "SELECT actor_id, sequence_count('(?1).*(?2)', ts, event = 'page_view', event = 'product_view') AS n
       FROM {T} GROUP BY actor_id"
fi
# A stable (time-zone dependent) cast in an argument is not shippable.
computed_locally "non-shippable argument (ts::timestamp)" funnel_steps \
  "SELECT actor_id, funnel_steps(ts::timestamp, interval '7 days', $steps4) AS level FROM {T} GROUP BY actor_id"

# Window functions are never pushed down by postgres_fdw in PG15.
computed_locally "sessionize OVER (PARTITION BY actor_id ORDER BY ts)" sessionize \
  "SELECT actor_id, ts, event, sessionize(ts, interval '30 minutes') OVER (PARTITION BY actor_id ORDER BY ts, event) AS s FROM {T}"
computed_locally "time_between as a running window aggregate" time_between \
  "SELECT actor_id, ts, event, time_between(ts, event = 'product_view', event = 'purchase')
          OVER (PARTITION BY actor_id ORDER BY ts, event) AS d FROM {T}"

# ---------------------------------------------------------------------------
echo "== writes: rows inserted through the coordinator land on the right shard"

# Tuple routing: INSERT into the partitioned table sends each row to the shard
# of its hash partition (batch_size rows per remote INSERT).
new="SELECT actor_id + 1000000 AS actor_id, ts, event, channel, device, campaign, session_no, product_id, revenue
       FROM generate_events(50, 7)"
out=$(coord "INSERT INTO events $new; INSERT INTO events_local $new") || fail "INSERT through the coordinator" "$out"
r=$(coord "SELECT (SELECT count(*) FROM events_p0 WHERE actor_id > 1000000) || ' ' ||
                  (SELECT count(*) FROM events_p1 WHERE actor_id > 1000000) || ' ' ||
                  (SELECT count(*) FROM events_local WHERE actor_id > 1000000
                      AND satisfies_hash_partition('events'::regclass, 2, 0, actor_id)) || ' ' ||
                  (SELECT count(*) FROM events_local WHERE actor_id > 1000000
                      AND NOT satisfies_hash_partition('events'::regclass, 2, 0, actor_id))")
set -- $r
if [ $# -eq 4 ] && [ "$1" = "$3" ] && [ "$2" = "$4" ] && [ "$1" -gt 0 ] && [ "$2" -gt 0 ]; then
  pass "inserted rows routed by hash: $1 to shard1, $2 to shard2"
else
  fail "inserted rows not routed as the partition bounds say" "$r"
fi
pushdown "funnel_steps after the insert" funnel_steps \
  "SELECT actor_id, funnel_steps(ts, interval '7 days', $steps4) AS level FROM {T} GROUP BY actor_id"

[ "$journey" = 0 ] && echo "SKIP  sequence_match / sequence_count / sequence_match_times / sequence_next_node: not in this build"
summary
[ "$failed" -eq 0 ]
