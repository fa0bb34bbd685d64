-- The per-actor state of funnel_steps, funnel_times and the sequence functions
-- packs each event's step mask in 1, 2, 4 or 8 bytes by the step count, and grows
-- through a ladder of sizes. At every width, with states of thousands of events,
-- funnel_steps per actor must give funnel_report's levels (its own buffer, checked
-- against a brute force), serially, in forced parallel plans (states merged from
-- workers) and as a window aggregate whose frame arrives out of time order.
SET timezone = 'UTC';
CREATE TABLE es AS
SELECT a AS actor, g * 7 + abs(hashint4(g * 31 + a)) % 5 AS t,
       ARRAY(SELECT (g % (a + 10)) + abs(hashint4(g + a * 1000)) % 3 - 1 = i FROM generate_series(1, 40) i) AS s
FROM generate_series(1, 1500) g, generate_series(1, 30) a;
ANALYZE es;
-- Per-actor levels at 6, 12, 24 and 40 steps (masks of 1, 2, 4 and 8 bytes).
CREATE TEMP TABLE es_serial AS
SELECT actor, funnel_steps(t, 400, VARIADIC s[1:6]) AS l6, funnel_steps(t, 400, VARIADIC s[1:12]) AS l12,
       funnel_steps(t, 400, VARIADIC s[1:24]) AS l24, funnel_steps(t, 400, VARIADIC s) AS l40,
       funnel_times(t, 400, VARIADIC s) AS times40
FROM es GROUP BY actor;
-- The levels spread out, so the comparisons below mean something.
SELECT count(DISTINCT l12) AS distinct_l12, count(DISTINCT l24) AS distinct_l24, count(DISTINCT l40) AS distinct_l40,
       min(l40) AS min_l40, max(l40) AS max_l40 FROM es_serial;
-- funnel_report's actors per level against the same levels counted from funnel_steps.
CREATE FUNCTION pg_temp.es_hist(levels int[], n int) RETURNS bigint[] LANGUAGE sql AS $$
    SELECT array_agg((SELECT count(*) FROM unnest(levels) l WHERE l = k) ORDER BY k) FROM generate_series(0, n) k
$$;
CREATE FUNCTION pg_temp.es_plain(report bigint[]) RETURNS bigint[] LANGUAGE sql AS $$ SELECT ARRAY(SELECT unnest(report)) $$;
SELECT pg_temp.es_plain((SELECT funnel_report(actor, t, 400, VARIADIC s[1:6]) FROM es)) =
           pg_temp.es_hist((SELECT array_agg(l6) FROM es_serial), 6) AS report_6,
       pg_temp.es_plain((SELECT funnel_report(actor, t, 400, VARIADIC s[1:12]) FROM es)) =
           pg_temp.es_hist((SELECT array_agg(l12) FROM es_serial), 12) AS report_12,
       pg_temp.es_plain((SELECT funnel_report(actor, t, 400, VARIADIC s[1:24]) FROM es)) =
           pg_temp.es_hist((SELECT array_agg(l24) FROM es_serial), 24) AS report_24,
       pg_temp.es_plain((SELECT funnel_report(actor, t, 400, VARIADIC s) FROM es)) =
           pg_temp.es_hist((SELECT array_agg(l40) FROM es_serial), 40) AS report_40,
       (SELECT bool_and(coalesce(array_length(times40, 1), 0) = l40) FROM es_serial) AS times_match_levels;
-- One group of all 45000 rows (a state of about 700 kB) against funnel_report
-- with a single actor.
CREATE TEMP TABLE es_total AS
SELECT funnel_steps(t, 400, VARIADIC s) AS lvl, funnel_times(t, 400, VARIADIC s) AS times FROM es;
SELECT lvl = array_position(pg_temp.es_plain((SELECT funnel_report(0, t, 400, VARIADIC s) FROM es)), 1::bigint) - 1
       AS one_group_matches
FROM es_total;

-- Forced parallel: each worker's states are serialized and merged by the leader.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT actor, funnel_steps(t, 400, VARIADIC s) FROM es GROUP BY actor;
SELECT count(*) AS differing_rows FROM (
  (SELECT actor, funnel_steps(t, 400, VARIADIC s[1:6]), funnel_steps(t, 400, VARIADIC s[1:12]),
          funnel_steps(t, 400, VARIADIC s[1:24]), funnel_steps(t, 400, VARIADIC s), funnel_times(t, 400, VARIADIC s)
   FROM es GROUP BY actor
   EXCEPT SELECT * FROM es_serial)
  UNION ALL
  (SELECT * FROM es_serial EXCEPT
   SELECT actor, funnel_steps(t, 400, VARIADIC s[1:6]), funnel_steps(t, 400, VARIADIC s[1:12]),
          funnel_steps(t, 400, VARIADIC s[1:24]), funnel_steps(t, 400, VARIADIC s), funnel_times(t, 400, VARIADIC s)
   FROM es GROUP BY actor)) d;
EXPLAIN (COSTS OFF)
SELECT funnel_steps(t, 400, VARIADIC s) FROM es;
SELECT (SELECT row(lvl, times)::text FROM es_total) =
       (SELECT row(funnel_steps(t, 400, VARIADIC s), funnel_times(t, 400, VARIADIC s))::text FROM es)
       AS one_group_parallel_matches;
RESET ALL;
SET timezone = 'UTC';

-- As a window aggregate with the frame in descending time: the state is out of
-- order when a final call sorts it, then takes more rows. Every 100th row's value
-- must equal the plain aggregate over the rows at or after its time.
SELECT count(*) AS checked, count(*) FILTER (WHERE w.lvl IS DISTINCT FROM (
           SELECT funnel_steps(e.t, 400, VARIADIC e.s[1:12]) FROM es e WHERE e.actor = w.actor AND e.t >= w.t)) AS differ
FROM (SELECT actor, t, row_number() OVER (PARTITION BY actor ORDER BY t DESC) AS n,
             funnel_steps(t, 400, VARIADIC s[1:12]) OVER (PARTITION BY actor ORDER BY t DESC) AS lvl
      FROM es WHERE actor IN (3, 17)) w
WHERE n % 100 = 0;

-- Groups that have kept no row share one empty state per call, until their first
-- matching row: here three actors in four never match a step, and the others
-- only after 30 rows (cycling through 1, 2 or 3 of the steps). Per-actor levels against funnel_report's (its own buffer),
-- sequence_match against plain SQL, serially and in forced parallel plans (the
-- workers ship empty states), and as a running window whose first rows match
-- nothing.
CREATE TABLE es_sparse AS
SELECT a AS actor, g AS t,
       CASE WHEN a % 4 = 0 AND g > 30 THEN (ARRAY['v', 'c', 'p'])[1 + g % (1 + a / 4 % 3)] ELSE 'x' END AS ev
FROM generate_series(1, 40) g, generate_series(1, 2000) a;
ANALYZE es_sparse;
CREATE TEMP TABLE es_sparse_serial AS
SELECT actor, funnel_steps(t, 4, ev, ARRAY['v', 'c', 'p']) AS lvl,
       sequence_match('(?1).*(?2)', t, ev = 'v', ev = 'c') AS vc
FROM es_sparse GROUP BY actor;
SELECT lvl, count(*) AS actors FROM es_sparse_serial GROUP BY lvl ORDER BY lvl;
SELECT pg_temp.es_plain((SELECT funnel_report(actor, t, 4, ev, ARRAY['v', 'c', 'p']) FROM es_sparse)) =
           pg_temp.es_hist((SELECT array_agg(lvl) FROM es_sparse_serial), 3) AS sparse_report_matches,
       (SELECT count(*) FILTER (WHERE vc) FROM es_sparse_serial) AS vc_actors,
       (SELECT count(*) FILTER (WHERE vc) FROM es_sparse_serial) =
           (SELECT count(DISTINCT v.actor) FROM es_sparse v JOIN es_sparse c ON c.actor = v.actor AND c.t > v.t
            WHERE v.ev = 'v' AND c.ev = 'c') AS vc_matches_plain_sql;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;  -- every group goes through the workers' states
EXPLAIN (COSTS OFF)
SELECT actor, funnel_steps(t, 4, ev, ARRAY['v', 'c', 'p']) FROM es_sparse GROUP BY actor;
SELECT count(*) AS differing_actors
FROM (SELECT actor, funnel_steps(t, 4, ev, ARRAY['v', 'c', 'p']) AS lvl,
             sequence_match('(?1).*(?2)', t, ev = 'v', ev = 'c') AS vc
      FROM es_sparse GROUP BY actor) p
JOIN es_sparse_serial s USING (actor)
WHERE p.lvl IS DISTINCT FROM s.lvl OR p.vc IS DISTINCT FROM s.vc;
SELECT (SELECT funnel_steps(t, 4, ev, ARRAY['v', 'c', 'p']) FROM es_sparse WHERE ev = 'x') AS all_unmatched_level,
       (SELECT funnel_times(t, 4, ev, ARRAY['v', 'c', 'p']) FROM es_sparse WHERE ev = 'x') AS all_unmatched_times;
RESET ALL;
SET timezone = 'UTC';
SELECT count(*) AS checked, count(*) FILTER (WHERE w.lvl IS DISTINCT FROM (
           SELECT funnel_steps(e.t, 4, e.ev, ARRAY['v', 'c', 'p']) FROM es_sparse e
           WHERE e.actor = w.actor AND e.t <= w.t)) AS differ,
       count(*) FILTER (WHERE w.lvl > 0) AS nonzero
FROM (SELECT actor, t, funnel_steps(t, 4, ev, ARRAY['v', 'c', 'p']) OVER (PARTITION BY actor ORDER BY t) AS lvl
      FROM es_sparse WHERE actor IN (3, 8, 12)) w;
