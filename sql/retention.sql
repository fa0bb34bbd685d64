-- retention(VARIADIC conds): r[1] = any(c1), r[i] = any(c1) and any(ci) (ClickHouse).
SELECT retention(e = 'a', e = 'b', e = 'c') FROM (VALUES ('a'), ('c')) v(e);       -- {t,f,t}
SELECT retention(e = 'a', e = 'b', e = 'c') FROM (VALUES ('b'), ('c')) v(e);       -- no c1: {f,f,f}
SELECT retention(e = 'a') FROM (VALUES ('a')) v(e);                                -- {t}
SELECT retention(e = 'a', e = 'b') FROM (VALUES ('a'), (NULL)) v(e);               -- NULL counts as false: {t,f}
SELECT retention(e = 'a', e = 'b') IS NULL AS no_rows FROM (VALUES ('a')) v(e) WHERE false;

-- Weekly cohort retention: of the actors active in week 0, how many came back in weeks 1, 2, 3.
SET timezone = 'UTC';
SELECT setseed(0.5);
CREATE TABLE act AS SELECT (random() * 500)::int AS actor, '2026-01-05'::date + (random() * 27)::int AS day
FROM generate_series(1, 6000);
SELECT cohort, count(*) AS actors,
       count(*) FILTER (WHERE r[2]) AS week_1, count(*) FILTER (WHERE r[3]) AS week_2, count(*) FILTER (WHERE r[4]) AS week_3
FROM (SELECT actor, 'week 0' AS cohort,
             retention(day < '2026-01-12', day >= '2026-01-12' AND day < '2026-01-19',
                       day >= '2026-01-19' AND day < '2026-01-26', day >= '2026-01-26') AS r
      FROM act GROUP BY actor) per_actor
WHERE r[1] GROUP BY cohort;

-- Plain-SQL oracle: bool_or per condition.
SELECT count(*) AS actors, count(*) FILTER (WHERE ours <> oracle) AS mismatches FROM (
  SELECT actor, retention(day < '2026-01-12', day >= '2026-01-19', day >= '2026-01-26') AS ours,
         ARRAY[bool_or(day < '2026-01-12'),
               bool_or(day < '2026-01-12') AND bool_or(day >= '2026-01-19'),
               bool_or(day < '2026-01-12') AND bool_or(day >= '2026-01-26')] AS oracle
  FROM act GROUP BY actor) c;

-- Parallel plans give the same answer.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT retention(day < '2026-01-12', day >= '2026-01-19') FROM act;
SELECT retention(day < '2026-01-12', day >= '2026-01-19', day >= '2026-02-01') FROM act;
RESET ALL;

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.err(q) FROM (VALUES
  ($$SELECT retention(VARIADIC ARRAY[]::boolean[])$$),
  ($$SELECT retention(VARIADIC NULL::boolean[])$$),
  ($$SELECT retention(VARIADIC array_fill(true, ARRAY[65]))$$),
  ($$SELECT retention(VARIADIC CASE WHEN x = 1 THEN ARRAY[true] ELSE ARRAY[true, false] END) FROM generate_series(1, 2) x$$)
) v(q);
