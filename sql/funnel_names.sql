-- funnel_steps / funnel_times with the steps as event names:
--   funnel_steps(ts, window, [modes,] event, steps text[])
-- must give, for every actor, exactly the answer of the boolean form
--   funnel_steps(ts, window, [modes,] event = steps[1], event = steps[2], ...)
-- for every mode list and time type, with ties, NULL times and NULL events;
-- serial, forced parallel and window use agree.
SET timezone = 'UTC';
SELECT setseed(0.5);
CREATE TABLE fn AS
SELECT (random() * 300)::bigint AS actor,
       CASE WHEN random() < 0.03 THEN NULL ELSE (random() * 30)::bigint END AS t,
       CASE WHEN random() < 0.03 THEN NULL ELSE (ARRAY['a', 'b', 'c', 'd', 'x'])[1 + (random() * 4.99)::int] END AS e
FROM generate_series(1, 10000);
ALTER TABLE fn ADD tstz timestamptz, ADD tsp timestamp, ADD d date;
UPDATE fn SET tstz = '2026-01-01'::timestamptz + t * interval '1 hour',
              tsp = '2026-01-01'::timestamp + t * interval '1 hour',
              d = '2026-01-01'::date + t::int;
ANALYZE fn;
CREATE TABLE fn_modes (modes text);
INSERT INTO fn_modes
SELECT concat_ws(',', CASE WHEN b & 1 > 0 THEN 'strict_deduplication' END, CASE WHEN b & 2 > 0 THEN 'strict_order' END,
                 CASE WHEN b & 4 > 0 THEN 'strict_increase' END, CASE WHEN b & 8 > 0 THEN 'strict_once' END,
                 CASE WHEN b & 16 > 0 THEN 'allow_reentry' END)
FROM generate_series(0, 31) b WHERE b & 16 = 0 OR b & 2 > 0;
INSERT INTO fn_modes VALUES ('any_order'), ('any_order, strict_once');

-- Per mode list: actors whose answer differs in any time type (must be 0), and
-- how many actors reach the last step (so the comparison means something).
CREATE TEMP TABLE fn_check AS
SELECT m.modes,
       (SELECT count(*) FILTER (WHERE n_big IS DISTINCT FROM b_big OR n_tstz IS DISTINCT FROM b_tstz
                                   OR n_ts IS DISTINCT FROM b_ts OR n_date IS DISTINCT FROM b_date
                                   OR tn_big IS DISTINCT FROM tb_big OR tn_tstz IS DISTINCT FROM tb_tstz
                                   OR tn_ts IS DISTINCT FROM tb_ts OR tn_date IS DISTINCT FROM tb_date)
        FROM (SELECT funnel_steps(t, 5, m.modes, e, ARRAY['a', 'b', 'c', 'd']) n_big,
                     funnel_steps(t, 5, m.modes, e = 'a', e = 'b', e = 'c', e = 'd') b_big,
                     funnel_steps(tstz, '5 hours', m.modes, e, ARRAY['a', 'b', 'c', 'd']) n_tstz,
                     funnel_steps(tstz, '5 hours', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') b_tstz,
                     funnel_steps(tsp, '5 hours', m.modes, e, ARRAY['a', 'b', 'c', 'd']) n_ts,
                     funnel_steps(tsp, '5 hours', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') b_ts,
                     funnel_steps(d, '5 days', m.modes, e, ARRAY['a', 'b', 'c', 'd']) n_date,
                     funnel_steps(d, '5 days', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') b_date,
                     funnel_times(t, 5, m.modes, e, ARRAY['a', 'b', 'c', 'd']) tn_big,
                     funnel_times(t, 5, m.modes, e = 'a', e = 'b', e = 'c', e = 'd') tb_big,
                     funnel_times(tstz, '5 hours', m.modes, e, ARRAY['a', 'b', 'c', 'd']) tn_tstz,
                     funnel_times(tstz, '5 hours', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') tb_tstz,
                     funnel_times(tsp, '5 hours', m.modes, e, ARRAY['a', 'b', 'c', 'd']) tn_ts,
                     funnel_times(tsp, '5 hours', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') tb_ts,
                     funnel_times(d, '5 days', m.modes, e, ARRAY['a', 'b', 'c', 'd']) tn_date,
                     funnel_times(d, '5 days', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') tb_date
              FROM fn GROUP BY actor) s) AS differing_actors,
       (SELECT count(*) FILTER (WHERE l = 4) FROM (SELECT funnel_steps(t, 5, m.modes, e, ARRAY['a', 'b', 'c', 'd']) l FROM fn GROUP BY actor) s) AS at_level_4
FROM fn_modes m;
SELECT count(*) AS mode_lists, sum(differing_actors) AS differing_actors,
       count(*) FILTER (WHERE at_level_4 > 0) AS modes_reaching_level_4
FROM fn_check;
SELECT modes FROM fn_check WHERE at_level_4 = 0 ORDER BY modes;

-- Without modes; a name at several steps; a step no row has; names of 8 bytes
-- or more (the lookup compares a prefix first); a NULL event matches nothing.
SELECT count(*) FILTER (WHERE a1 IS DISTINCT FROM b1) AS no_modes_differ,
       count(*) FILTER (WHERE a2 IS DISTINCT FROM b2) AS repeated_differ,
       count(*) FILTER (WHERE a3 IS DISTINCT FROM b3) AS absent_differ,
       count(*) FILTER (WHERE a4 IS DISTINCT FROM b4) AS long_names_differ,
       count(*) FILTER (WHERE b4 = 2) > 0 AS long_names_reach_2
FROM (SELECT funnel_steps(t, 5, e, ARRAY['a', 'b', 'c', 'd']) a1, funnel_steps(t, 5, e = 'a', e = 'b', e = 'c', e = 'd') b1,
             funnel_times(t, 5, e, ARRAY['a', 'b', 'a', 'c']) a2, funnel_times(t, 5, e = 'a', e = 'b', e = 'a', e = 'c') b2,
             funnel_steps(t, 5, 'strict_order', e, ARRAY['b', 'zz', 'c']) a3, funnel_steps(t, 5, 'strict_order', e = 'b', e = 'zz', e = 'c') b3,
             funnel_steps(t, 5, 'event-' || e || '-long', ARRAY['event-a-long', 'event-b-long', 'event-a-lonG']) a4,
             funnel_steps(t, 5, e = 'a', e = 'b', false) b4
      FROM fn GROUP BY actor) s;

-- Hand-computed: view at 1, cart at 3, buy at 20 (outside the window of 10);
-- the second actor's NULL event and 'other' match no step.
SELECT a, funnel_steps(t, 10, e, ARRAY['view', 'cart', 'buy']) AS level,
       funnel_times(t, 10, e, ARRAY['view', 'cart', 'buy']) AS times
FROM (VALUES (1, 1, 'view'), (1, 3, 'cart'), (1, 20, 'buy'), (2, 2, NULL), (2, 4, 'other'), (2, 5, 'view')) v(a, t, e)
GROUP BY a ORDER BY a;

-- Different steps in different groups (one array per group), constant or not.
SELECT count(*) FILTER (WHERE a1 IS DISTINCT FROM b1) AS per_group_steps_differ
FROM (SELECT funnel_steps(t, 5, e, CASE WHEN actor % 2 = 0 THEN ARRAY['a', 'b'] ELSE ARRAY['c', 'd', 'a'] END) a1,
             CASE WHEN actor % 2 = 0 THEN funnel_steps(t, 5, e = 'a', e = 'b')
                  ELSE funnel_steps(t, 5, e = 'c', e = 'd', e = 'a') END b1
      FROM fn GROUP BY actor) s;

-- Forced parallel plans: the same answer per actor, and for one big group.
CREATE TEMP TABLE fn_serial AS
SELECT actor, funnel_steps(tstz, '5 hours', e, ARRAY['a', 'b', 'c', 'd']) AS lvl,
       funnel_times(tstz, '5 hours', 'strict_order', e, ARRAY['a', 'b', 'c', 'd']) AS times
FROM fn GROUP BY actor;
CREATE TEMP TABLE fn_serial_total AS
SELECT funnel_times(t, 5, e, ARRAY['a', 'b', 'c']) AS times FROM fn;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT actor, funnel_steps(tstz, '5 hours', e, ARRAY['a', 'b', 'c', 'd']) FROM fn GROUP BY actor;
SELECT count(*) AS differing_rows FROM (
  (SELECT actor, funnel_steps(tstz, '5 hours', e, ARRAY['a', 'b', 'c', 'd']) AS lvl,
          funnel_times(tstz, '5 hours', 'strict_order', e, ARRAY['a', 'b', 'c', 'd']) AS times
   FROM fn GROUP BY actor
   EXCEPT SELECT * FROM fn_serial)
  UNION ALL
  (SELECT * FROM fn_serial EXCEPT
   SELECT actor, funnel_steps(tstz, '5 hours', e, ARRAY['a', 'b', 'c', 'd']),
          funnel_times(tstz, '5 hours', 'strict_order', e, ARRAY['a', 'b', 'c', 'd'])
   FROM fn GROUP BY actor)) d;
EXPLAIN (COSTS OFF) SELECT funnel_times(t, 5, e, ARRAY['a', 'b', 'c']) FROM fn;
SELECT (SELECT times FROM fn_serial_total) = funnel_times(t, 5, e, ARRAY['a', 'b', 'c']) AS total_identical FROM fn;
RESET ALL;
SET timezone = 'UTC';

-- As a window aggregate (no Aggref to look at: every row's array is compared).
SELECT count(*) FILTER (WHERE a IS DISTINCT FROM b) AS window_differ, count(*) FILTER (WHERE b = 3) > 0 AS window_reaches_3
FROM (SELECT funnel_steps(t, 5, e, ARRAY['a', 'b', 'c']) OVER w AS a,
             funnel_steps(t, 5, e = 'a', e = 'b', e = 'c') OVER w AS b
      FROM fn WHERE t IS NOT NULL WINDOW w AS (PARTITION BY actor ORDER BY t, e)) s;

-- Partial aggregation in one process: partitionwise aggregation combines each
-- partition's serialized states, as a parallel plan combines its workers'. The
-- step names travel with a state (as a fingerprint), so partitions that use the
-- same names give the plain plan's answer, and partitions that each use their own
-- names consistently are refused at the combine step, not merged.
CREATE TABLE fn_parts (part int, actor int, t bigint, e text, steps text[]) PARTITION BY LIST (part);
CREATE TABLE fn_parts_1 PARTITION OF fn_parts FOR VALUES IN (1);
CREATE TABLE fn_parts_2 PARTITION OF fn_parts FOR VALUES IN (2);
INSERT INTO fn_parts
SELECT p, g % 5, g / 7 + p, (ARRAY['a', 'b', 'c', 'x'])[1 + (g * p) % 4], ARRAY['a', 'b', 'c']
FROM generate_series(1, 2) p, generate_series(1, 30000) g;
ANALYZE fn_parts;
CREATE TABLE fn_parts_plain AS
SELECT actor, funnel_steps(t, 3, e, steps) AS lvl, funnel_times(t, 3, e, steps) AS times FROM fn_parts GROUP BY actor;
SELECT funnel_report(actor, t, 3, e, steps) AS plain_report FROM fn_parts \gset
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT actor, funnel_steps(t, 3, e, steps) FROM fn_parts GROUP BY actor;
SELECT count(*) AS differing_actors FROM (
  SELECT actor, funnel_steps(t, 3, e, steps), funnel_times(t, 3, e, steps) FROM fn_parts GROUP BY actor
  EXCEPT SELECT * FROM fn_parts_plain) d;
EXPLAIN (COSTS OFF) SELECT funnel_report(actor, t, 3, e, steps) FROM fn_parts;
SELECT funnel_report(actor, t, 3, e, steps) = :'plain_report' AS report_identical FROM fn_parts;
UPDATE fn_parts SET steps = ARRAY['c', 'b', 'a'] WHERE part = 2;
SELECT actor, funnel_steps(t, 3, e, steps) FROM fn_parts GROUP BY actor;
SELECT actor, funnel_times(t, 3, 'strict_order', e, steps) FROM fn_parts GROUP BY actor;
SELECT funnel_report(actor, t, 3, e, steps) FROM fn_parts;
RESET enable_partitionwise_aggregate;
RESET max_parallel_workers_per_gather;
SELECT funnel_steps(t, 3, e, steps) FROM fn_parts GROUP BY actor;
DROP TABLE fn_parts, fn_parts_plain;

-- Errors.
SELECT funnel_steps(t, 5, e, NULL::text[]) FROM fn;
SELECT funnel_steps(t, 5, e, ARRAY[]::text[]) FROM fn;
SELECT funnel_steps(t, 5, e, ARRAY['a', NULL]) FROM fn;
SELECT funnel_times(t, 5, e, ARRAY[['a', 'b'], ['c', 'd']]) FROM fn;
SELECT funnel_steps(t, 5, e, array_fill('a'::text, ARRAY[65])) FROM fn;
SELECT funnel_steps(t, NULL, e, ARRAY['a']) FROM fn;
SELECT funnel_steps(t, 5, 'strict_nothing', e, ARRAY['a']) FROM fn;
SELECT funnel_steps(t, 5, e, CASE WHEN t % 2 = 0 THEN ARRAY['a'] ELSE ARRAY['b'] END) FROM fn GROUP BY actor;
SELECT funnel_steps(t, 5, e, '{a,b}') FROM fn;
CREATE COLLATION fn_names_case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
SELECT funnel_steps(t, 5, e COLLATE fn_names_case_insensitive, ARRAY['a']) FROM fn;
DROP COLLATION fn_names_case_insensitive;
DROP TABLE fn, fn_modes;
