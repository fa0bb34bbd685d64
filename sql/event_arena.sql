-- In a HashAggregate the per-actor states of funnel_steps, funnel_times and the
-- sequence functions are chunks of one arena per hash table context, which moves
-- a state to a larger chunk as it grows (or grows it in place), reuses the chunks
-- states leave, and hands a state beyond 8 kB to the context itself. The arena
-- lives in the context: a spill, a rescan or the end of the query resets it.
-- Every plan shape must give the same answers, which two independent oracles
-- check: sequence_count of a one-step pattern is PostgreSQL's own count of the
-- matching rows, and funnel_report's actors per level (its own buffer) are
-- funnel_steps' levels counted.
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
-- 3000 actors of 1 to 13 rows, and six of 1500 (states beyond a chunk), in an
-- order unrelated to the actor, so states grow interleaved.
CREATE TABLE ea AS
SELECT actor, timestamptz '2026-01-01' + ((actor * 7 + i * 37) % 2000) * interval '1 minute' AS ts,
       (ARRAY['view', 'cart', 'checkout', 'buy'])[1 + (actor * 31 + i * 17) % 4] AS ev
FROM generate_series(1, 3000) actor,
     generate_series(1, CASE WHEN actor % 500 = 7 THEN 1500 ELSE actor % 13 + 1 END) i
ORDER BY md5(actor::text || '/' || i::text);
ANALYZE ea;
CREATE TEMP VIEW ea_levels AS
SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy') AS lvl,
       funnel_times(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy') AS times,
       sequence_count('(?1)', ts, ev = 'view') AS views
FROM ea GROUP BY actor;
-- Lines of a query's plan that contain `node`.
CREATE FUNCTION pg_temp.ea_nodes(query text, node text, run boolean DEFAULT false) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE line text; n int := 0;
BEGIN
    FOR line IN EXECUTE format('EXPLAIN (%s COSTS OFF) %s',
                               CASE WHEN run THEN 'ANALYZE, TIMING OFF, SUMMARY OFF,' ELSE '' END, query) LOOP
        IF line LIKE '%' || node || '%' THEN n := n + 1; END IF;
    END LOOP;
    RETURN n;
END $$;
SELECT pg_temp.ea_nodes('SELECT * FROM ea_levels', 'HashAggregate') AS hash_aggregates;
CREATE TEMP TABLE ea_hash AS SELECT * FROM ea_levels;
-- Oracles: the views counted by PostgreSQL, the levels by funnel_report.
SELECT count(*) AS actors, count(DISTINCT lvl) AS distinct_levels, max(views) AS max_views,
       bool_and(views = (SELECT count(*) FROM ea e WHERE e.actor = h.actor AND ev = 'view')) AS views_match,
       bool_and(coalesce(array_length(times, 1), 0) = lvl) AS times_match_levels
FROM ea_hash h;
SELECT ARRAY(SELECT unnest(funnel_report(actor, ts, interval '1 day',
                                         ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')))
       = (SELECT array_agg((SELECT count(*) FROM ea_hash WHERE lvl = k) ORDER BY k) FROM generate_series(0, 4) k)
       AS report_matches
FROM ea;
-- The same answers from every other plan shape.
CREATE FUNCTION pg_temp.ea_same() RETURNS boolean LANGUAGE sql AS $$
    SELECT NOT EXISTS (SELECT * FROM ea_levels EXCEPT SELECT * FROM ea_hash) AND (SELECT count(*) FROM ea_levels) = 3000
$$;
-- A HashAggregate that spills: its context is reset between batches.
SET work_mem = '64kB';
SET hash_mem_multiplier = 1;
SET enable_sort = off;
SELECT pg_temp.ea_nodes('SELECT * FROM ea_levels', 'Disk Usage', true) > 0 AS spilled,
       pg_temp.ea_same() AS same_when_spilling;
RESET enable_sort;
RESET hash_mem_multiplier;
RESET work_mem;
-- A sorted GroupAggregate: no arena, one group at a time.
SET enable_hashagg = off;
SELECT pg_temp.ea_nodes('SELECT * FROM ea_levels', 'GroupAggregate') AS group_aggregates,
       pg_temp.ea_same() AS same_sorted;
RESET enable_hashagg;
-- Forced parallel without the leader: the Finalize HashAggregate's combine
-- function copies every worker's state into its own arena.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT pg_temp.ea_nodes('SELECT * FROM ea_levels', 'Partial HashAggregate') AS partial_hash_aggregates,
       pg_temp.ea_nodes('SELECT * FROM ea_levels', 'Finalize HashAggregate') AS finalize_hash_aggregates,
       pg_temp.ea_same() AS same_parallel;
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;
-- Hashed grouping sets share one hash context, so one arena.
CREATE TEMP VIEW ea_sets AS
SELECT actor, ev, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy') AS lvl
FROM ea GROUP BY GROUPING SETS ((actor), (ev));
SELECT pg_temp.ea_nodes('SELECT * FROM ea_sets', 'HashAggregate') AS hash_aggregates,
       count(*) FILTER (WHERE actor IS NOT NULL) AS actors,
       bool_and(lvl = (SELECT h.lvl FROM ea_hash h WHERE h.actor = g.actor)) FILTER (WHERE actor IS NOT NULL)
           AS same_per_actor,
       count(*) FILTER (WHERE ev IS NOT NULL) AS events
FROM ea_sets g;
-- A hash table rebuilt for each outer row (a rescan resets its context).
SET enable_sort = off;
CREATE TEMP VIEW ea_rescans AS
SELECT x.* FROM generate_series(0, 2) k,
     LATERAL (SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
                  AS lvl
              FROM ea WHERE actor % 3 = k GROUP BY actor) x;
SELECT pg_temp.ea_nodes('SELECT * FROM ea_rescans', 'HashAggregate') AS hash_aggregates,
       count(*) AS rows, bool_and(x.lvl = h.lvl) AS same_after_rescans
FROM ea_rescans x JOIN ea_hash h USING (actor);
-- Eighteen hash tables live at once: beyond sixteen, states come from the
-- context itself, with the same answers.
CREATE TEMP VIEW ea_eighteen AS
SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy') AS lvl
FROM ea WHERE actor % 18 = 0 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 1 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 2 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 3 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 4 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 5 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 6 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 7 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 8 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 9 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 10 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 11 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 12 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 13 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 14 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 15 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 16 GROUP BY actor
UNION ALL SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
FROM ea WHERE actor % 18 = 17 GROUP BY actor;
SELECT pg_temp.ea_nodes('SELECT * FROM ea_eighteen', 'HashAggregate') AS hash_aggregates,
       count(*) AS rows, bool_and(x.lvl = h.lvl) AS same_beyond_sixteen
FROM ea_eighteen x JOIN ea_hash h USING (actor);
RESET enable_sort;
-- A running window (no hash table): its last row per actor is the aggregate.
SELECT count(*) AS actors, bool_and(w.lvl = h.lvl) AS window_matches
FROM (SELECT DISTINCT ON (actor) actor,
             funnel_steps(ts, interval '1 day', ev = 'view', ev = 'cart', ev = 'checkout', ev = 'buy')
                 OVER (PARTITION BY actor ORDER BY ts, ev ROWS UNBOUNDED PRECEDING) AS lvl
      FROM ea ORDER BY actor, ts DESC, ev DESC) w
JOIN ea_hash h USING (actor);
-- An error halfway through the hash table (a condition divides by zero at
-- actor 2999's rows) frees the context with its arena; the next query, in the
-- same session and after a rolled-back savepoint, makes a new one.
SELECT count(l) FROM (
    SELECT actor, funnel_steps(ts, interval '1 day', ev = 'view', 1 / (actor - 2999) <> 0) AS l
    FROM ea GROUP BY actor) x;
SELECT pg_temp.ea_same() AS same_after_error;
BEGIN;
SAVEPOINT before;
SELECT count(n) FROM (
    SELECT actor, sequence_count('(?1)', ts, 1 / (actor - 2999) <> 0) AS n FROM ea GROUP BY actor) x;
ROLLBACK TO SAVEPOINT before;
SELECT pg_temp.ea_same() AS same_after_rollback;
COMMIT;
DROP TABLE ea CASCADE;

-- Up to 8 steps, a state holds each event as one 8-byte word while its times
-- fit in 56 bits (1142 years around 2000 in microseconds); a time beyond makes
-- it separate (time, then mask). Bigint times: actors near 0 (fused), near 2^60
-- (separate from the first row), and actors whose fifth row is near 2^60 (they
-- change layout halfway, in the arena, in a sorted group, or when a parallel
-- leader combines a fused worker state with a separate one). Oracle: the
-- funnel level by brute force in plain SQL.
CREATE TABLE far AS
SELECT actor, i, (ARRAY[1, 2, 3, 4])[1 + abs(hashint4(actor * 16 + i)) % 4] AS e,
       CASE WHEN actor % 3 = 1 OR (actor % 3 = 2 AND i = 5) THEN 1152921504606846976 ELSE 0 END
       + abs(hashint4(actor * 32 + i)) % 40 AS t
FROM generate_series(1, 600) actor, generate_series(1, 8) i
ORDER BY i, actor;
ANALYZE far;
CREATE TEMP TABLE far_want AS
SELECT actor,
       CASE WHEN EXISTS (SELECT FROM far x JOIN far y USING (actor) JOIN far z USING (actor)
                         WHERE x.actor = a.actor AND x.e = 1 AND y.e = 2 AND z.e = 3
                           AND y.t >= x.t AND z.t >= y.t AND z.t - x.t <= 20) THEN 3
            WHEN EXISTS (SELECT FROM far x JOIN far y USING (actor)
                         WHERE x.actor = a.actor AND x.e = 1 AND y.e = 2 AND y.t >= x.t AND y.t - x.t <= 20) THEN 2
            WHEN EXISTS (SELECT FROM far x WHERE x.actor = a.actor AND x.e = 1) THEN 1
            ELSE 0 END AS lvl,
       (SELECT count(*) FROM far x WHERE x.actor = a.actor AND x.e = 1) AS ones
FROM (SELECT DISTINCT actor FROM far) a;
CREATE TEMP VIEW far_got AS
SELECT actor, funnel_steps(t, 20, e = 1, e = 2, e = 3) AS lvl, sequence_count('(?1)', t, e = 1) AS ones
FROM far GROUP BY actor;
CREATE FUNCTION pg_temp.far_same() RETURNS boolean LANGUAGE sql AS $$
    SELECT NOT EXISTS (SELECT * FROM far_got EXCEPT SELECT * FROM far_want) AND (SELECT count(*) FROM far_got) = 600
$$;
SELECT count(DISTINCT lvl) AS distinct_levels, count(*) FILTER (WHERE actor % 3 = 2 AND lvl > 0) AS mixed_reaching
FROM far_want;
SELECT pg_temp.ea_nodes('SELECT * FROM far_got', 'HashAggregate') AS hash_aggregates, pg_temp.far_same() AS same_hashed;
SET enable_hashagg = off;
SELECT pg_temp.ea_nodes('SELECT * FROM far_got', 'GroupAggregate') AS group_aggregates,
       pg_temp.far_same() AS same_sorted;
RESET enable_hashagg;
SET max_parallel_workers_per_gather = 2;
SELECT pg_temp.ea_nodes('SELECT * FROM far_got', 'Partial HashAggregate') AS partial_hash_aggregates,
       pg_temp.far_same() AS same_parallel;
SET enable_hashagg = off;
SELECT pg_temp.ea_nodes('SELECT * FROM far_got', 'Partial GroupAggregate') AS partial_group_aggregates,
       pg_temp.far_same() AS same_parallel_sorted;
RESET enable_hashagg;
SET max_parallel_workers_per_gather = 0;
-- funnel_times and sequence_count across the change of layout, by hand: the
-- chain 5 -> 9; two (?1)(?2) pairs, 5 -> 9 and 2^60 -> 2^60 + 14.
SELECT funnel_times(t, 20, e = 1, e = 2) AS times, sequence_count('(?1)(?2)', t, e = 1, e = 2) AS pairs
FROM (VALUES (5::bigint, 1), (9, 2), (1152921504606846976, 1), (1152921504606846990, 2), (12, 1)) v(t, e);
DROP TABLE far CASCADE;
