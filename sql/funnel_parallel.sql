-- Forced parallel plans give exactly the serial answers (combine, serialize and
-- deserialize run), and the answer does not depend on row order.
SET timezone = 'UTC';
CREATE TABLE pe AS
SELECT (g % 8000) AS actor,
       '2026-01-01'::timestamptz + (abs(hashint4(g)) % 40000) * interval '1 minute' AS ts,
       (ARRAY['view', 'view', 'view', 'cart', 'cart', 'checkout', 'buy', 'other'])[1 + abs(hashint4(-g)) % 8] AS event
FROM generate_series(1, 200000) g;
ANALYZE pe;
CREATE TEMP TABLE serial_result AS
SELECT actor, funnel_steps(ts, '7 days', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS lvl,
       funnel_steps(ts, '7 days', 'strict_order, strict_deduplication', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS lvl_strict,
       funnel_times(ts, '7 days', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS times,
       time_between(ts, event = 'view', event = 'buy') AS tb
FROM pe GROUP BY actor;
-- The data reaches every level, so the comparison below means something.
SELECT lvl, lvl_strict, count(*) FROM serial_result GROUP BY 1, 2 ORDER BY 1, 2;
-- One big group: a single state fed by every worker.
CREATE TEMP TABLE serial_total AS
SELECT funnel_steps(ts, '7 days', event = 'view', event = 'cart') AS lvl, funnel_times(ts, '7 days', event = 'view', event = 'cart') AS times,
       time_between(ts, event = 'buy', event = 'view') AS tb FROM pe;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT actor, funnel_steps(ts, '7 days', event = 'view', event = 'cart') FROM pe GROUP BY actor;
EXPLAIN (COSTS OFF)
SELECT funnel_steps(ts, '7 days', event = 'view', event = 'cart'), time_between(ts, event = 'buy', event = 'view') FROM pe;
SELECT count(*) AS differing_rows FROM (
  (SELECT actor, funnel_steps(ts, '7 days', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS lvl,
          funnel_steps(ts, '7 days', 'strict_order, strict_deduplication', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS lvl_strict,
          funnel_times(ts, '7 days', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS times,
          time_between(ts, event = 'view', event = 'buy') AS tb
   FROM pe GROUP BY actor
   EXCEPT SELECT * FROM serial_result)
  UNION ALL
  (SELECT * FROM serial_result EXCEPT
   SELECT actor, funnel_steps(ts, '7 days', event = 'view', event = 'cart', event = 'checkout', event = 'buy'),
          funnel_steps(ts, '7 days', 'strict_order, strict_deduplication', event = 'view', event = 'cart', event = 'checkout', event = 'buy'),
          funnel_times(ts, '7 days', event = 'view', event = 'cart', event = 'checkout', event = 'buy'),
          time_between(ts, event = 'view', event = 'buy')
   FROM pe GROUP BY actor)) d;
SELECT (SELECT row(lvl, times, tb)::text FROM serial_total) =
       (SELECT row(funnel_steps(ts, '7 days', event = 'view', event = 'cart'), funnel_times(ts, '7 days', event = 'view', event = 'cart'),
                   time_between(ts, event = 'buy', event = 'view'))::text FROM pe) AS total_identical;
-- force_parallel_mode runs the whole aggregate in a worker.
SET force_parallel_mode = regress;
SELECT count(*) AS differing_rows FROM (
  SELECT actor, funnel_steps(ts, '7 days', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS lvl FROM pe GROUP BY actor
  EXCEPT SELECT actor, lvl FROM serial_result) d;
RESET ALL;
-- Shuffled input: the same table in another physical order gives the same answers.
SET timezone = 'UTC';
CREATE TEMP TABLE pe_shuffled AS SELECT * FROM pe ORDER BY md5(actor::text || ts::text || event);
SELECT count(*) AS differing_rows FROM (
  SELECT actor, funnel_steps(ts, '7 days', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS lvl,
         funnel_steps(ts, '7 days', 'strict_order, strict_deduplication', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS lvl_strict,
         funnel_times(ts, '7 days', event = 'view', event = 'cart', event = 'checkout', event = 'buy') AS times,
         time_between(ts, event = 'view', event = 'buy') AS tb
  FROM pe_shuffled GROUP BY actor
  EXCEPT SELECT * FROM serial_result) d;
