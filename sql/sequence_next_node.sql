-- sequence_next_node(direction, base, ts, value, base_cond [, VARIADIC steps]):
-- hand-computed cases for every direction and base, a plain-SQL brute force,
-- every error with its SQLSTATE, forced parallel plans, shuffled input and large
-- groups. Semantics: docs/journeys.md.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- One actor's page views: home@1 (base: entered through an ad), products@2,
-- item@3, cart@4, products@5, item@6 (base), checkout@7.
CREATE TEMP TABLE j (t bigint, page text, ad boolean);
INSERT INTO j VALUES (4, 'cart', false), (1, 'home', true), (7, 'checkout', false), (2, 'products', false),
                     (6, 'item', true), (3, 'item', false), (5, 'products', false);

-- forward / head: the chain starts at the first row.
SELECT sequence_next_node('forward', 'head', t, page, ad) AS n0,                              -- home
       sequence_next_node('forward', 'head', t, page, ad, page = 'home') AS n1,               -- products
       sequence_next_node('forward', 'head', t, page, ad, page = 'home', page = 'products') AS n2,  -- item
       sequence_next_node('forward', 'head', t, page, ad, page = 'home', page = 'item') AS broken,  -- NULL: row 2 is products
       sequence_next_node('forward', 'head', t, page, page = 'products', page = 'home') AS not_base  -- NULL: row 1 is no base
FROM j;
-- backward / tail: the chain starts at the last row and goes back.
SELECT sequence_next_node('backward', 'tail', t, page, true) AS n0,                           -- checkout
       sequence_next_node('backward', 'tail', t, page, true, page = 'checkout') AS n1,        -- item
       sequence_next_node('backward', 'tail', t, page, true, page = 'checkout', page = 'item') AS n2,  -- products
       sequence_next_node('backward', 'tail', t, page, ad, page = 'checkout') AS not_base     -- NULL: checkout is no base
FROM j;
-- first_match / last_match: the first / last row that is a base and satisfies step 1.
SELECT sequence_next_node('forward', 'first_match', t, page, true, page = 'item') AS fwd_first,            -- cart
       sequence_next_node('forward', 'last_match', t, page, true, page = 'item') AS fwd_last,              -- checkout
       sequence_next_node('backward', 'first_match', t, page, true, page = 'item') AS bwd_first,           -- products
       sequence_next_node('backward', 'last_match', t, page, true, page = 'item') AS bwd_last,             -- products
       sequence_next_node('forward', 'first_match', t, page, ad, page = 'item') AS fwd_first_ad,           -- checkout (item@6)
       sequence_next_node('forward', 'first_match', t, page, true, page = 'products', page = 'item') AS fwd2,  -- cart
       sequence_next_node('backward', 'last_match', t, page, true, page = 'item', page = 'products') AS bwd2,  -- cart
       sequence_next_node('forward', 'last_match', t, page, true, page = 'item', page = 'cart') AS no_retry,  -- NULL (item@3, cart@4 is not tried)
       sequence_next_node('forward', 'last_match', t, page, true, page = 'checkout') AS past_the_end,      -- NULL
       sequence_next_node('backward', 'first_match', t, page, true, page = 'home') AS before_the_start   -- NULL
FROM j;
-- Fewer than N + 1 rows: NULL.
SELECT sequence_next_node('forward', 'head', t, page, true, true, true) AS three_rows_two_steps,
       sequence_next_node('forward', 'head', t, page, true, true, true, true) AS three_rows_three_steps
FROM (VALUES (1::bigint, 'a'), (2, 'b'), (3, 'c')) v(t, page);
-- Zero steps via an empty VARIADIC array, and case-insensitive parameters.
SELECT sequence_next_node('forward', 'head', t, page, true, VARIADIC '{}'::boolean[]) AS head,
       sequence_next_node(' BACKWARD ', 'Tail', t, page, true, VARIADIC '{}'::boolean[]) AS tail
FROM j;
-- NULL value or time: the row is dropped; NULL base_cond or step: false.
SELECT sequence_next_node('forward', 'head', t, page, true, true) AS skips_null_value,         -- c
       sequence_next_node('forward', 'head', t, page, b, true) AS null_base_is_false,         -- NULL
       sequence_next_node('forward', 'first_match', t, page, true, s) AS null_step_is_false   -- d (a@1 is no match)
FROM (VALUES (1::bigint, 'a', NULL::boolean, NULL::boolean), (2, NULL, true, true), (NULL, 'x', true, true),
             (3, 'c', true, true), (4, 'd', true, false)) v(t, page, b, s);
-- Equal times: rows are ordered by value (bytes), then steps, then base_cond.
-- Order: B@5, a@5, ab@5, b@5, bb@6.
SELECT sequence_next_node('forward', 'head', t, page, true) AS first_by_value,                -- B (0x42 < 0x61)
       sequence_next_node('backward', 'tail', t, page, true, true) AS before_last,            -- b
       sequence_next_node('forward', 'head', t, page, true, true) AS after_first,             -- a
       sequence_next_node('forward', 'head', t, page, true, true, true, true) AS fourth       -- b
FROM (VALUES (5::bigint, 'a'), (5, 'B'), (5, 'b'), (5, 'ab'), (6, 'bb')) v(t, page);
-- Every time type.
SELECT sequence_next_node('forward', 'first_match', t::timestamptz, page, true, page = 'b') AS tstz,
       sequence_next_node('forward', 'first_match', t::timestamp, page, true, page = 'b') AS ts,
       sequence_next_node('forward', 'first_match', t::date, page, true, page = 'b') AS date,
       sequence_next_node('forward', 'first_match', extract(epoch FROM t)::bigint, page, true, page = 'b') AS int8
FROM (VALUES ('2026-01-03'::timestamp, 'c'), ('2026-01-01', 'a'), ('2026-01-02', 'b')) v(t, page);
SELECT sequence_next_node('forward', 'head', t, page, true, true) AS infinite_times
FROM (VALUES ('infinity'::timestamptz, 'last'), ('-infinity', 'first'), ('2026-01-01', 'middle')) v(t, page);
-- No rows: NULL.
SELECT sequence_next_node('forward', 'head', t, page, true) IS NULL AS no_rows FROM j WHERE false;
-- As a window function: the running answer.
SELECT t, page, sequence_next_node('forward', 'first_match', t, page, true, page = 'products') OVER (ORDER BY t) AS after_products
FROM j ORDER BY t;

-- Plain-SQL brute force over random actors with equal times and repeated values.
-- Rows are numbered in the documented order: time, value bytes (COLLATE "C"),
-- step mask, base_cond.
SELECT setseed(0.5);
CREATE TABLE rn AS
SELECT 1 + floor(random() * 500)::int AS actor, floor(random() * 12)::bigint AS t,
       (ARRAY['home', 'item', 'cart', 'Item', 'it'])[1 + floor(random() * 5)::int] AS v,
       random() < 0.8 AS b
FROM generate_series(1, 5000);
CREATE TEMP TABLE rn_rows AS
SELECT actor, t, v, b, v = 'item' AS s1, v IN ('cart', 'item') AS s2,
       row_number() OVER (PARTITION BY actor ORDER BY t, v COLLATE "C",
                          (v = 'item')::int + 2 * (v IN ('cart', 'item'))::int, b) AS rn,
       count(*) OVER (PARTITION BY actor) AS n
FROM rn;
CREATE INDEX ON rn_rows (actor, rn);
ANALYZE rn_rows;
CREATE TEMP TABLE rn_oracle AS
SELECT o.actor,
  (SELECT r1.v FROM rn_rows r0 JOIN rn_rows r1 ON r1.actor = r0.actor AND r1.rn = 1
   WHERE r0.actor = o.actor AND r0.rn = 1 AND r0.b) AS head0,
  (SELECT r2.v FROM rn_rows r0 JOIN rn_rows r1 ON r1.actor = r0.actor AND r1.rn = 2
               JOIN rn_rows r2 ON r2.actor = r0.actor AND r2.rn = 3
   WHERE r0.actor = o.actor AND r0.rn = 1 AND r0.b AND r0.s1 AND r1.s2) AS head2,
  (SELECT r2.v FROM rn_rows r0 JOIN rn_rows r1 ON r1.actor = r0.actor AND r1.rn = r0.n - 1
               JOIN rn_rows r2 ON r2.actor = r0.actor AND r2.rn = r0.n - 2
   WHERE r0.actor = o.actor AND r0.rn = r0.n AND r0.b AND r0.s1 AND r1.s2) AS tail2,
  (SELECT r2.v FROM rn_rows r1 JOIN rn_rows r2 ON r2.actor = r1.actor AND r2.rn = r1.rn + 2
   WHERE r1.actor = o.actor AND (SELECT rr.s2 FROM rn_rows rr WHERE rr.actor = r1.actor AND rr.rn = r1.rn + 1)
     AND r1.rn = (SELECT min(rn) FROM rn_rows x WHERE x.actor = o.actor AND x.b AND x.s1)) AS fwd_first2,
  (SELECT r2.v FROM rn_rows r1 JOIN rn_rows r2 ON r2.actor = r1.actor AND r2.rn = r1.rn + 1
   WHERE r1.actor = o.actor AND r1.rn = (SELECT max(rn) FROM rn_rows x WHERE x.actor = o.actor AND x.b AND x.s1)) AS fwd_last1,
  (SELECT r2.v FROM rn_rows r1 JOIN rn_rows r2 ON r2.actor = r1.actor AND r2.rn = r1.rn - 2
   WHERE r1.actor = o.actor AND (SELECT rr.s2 FROM rn_rows rr WHERE rr.actor = r1.actor AND rr.rn = r1.rn - 1)
     AND r1.rn = (SELECT min(rn) FROM rn_rows x WHERE x.actor = o.actor AND x.b AND x.s1)) AS bwd_first2,
  (SELECT r2.v FROM rn_rows r1 JOIN rn_rows r2 ON r2.actor = r1.actor AND r2.rn = r1.rn - 1
   WHERE r1.actor = o.actor AND r1.rn = (SELECT max(rn) FROM rn_rows x WHERE x.actor = o.actor AND x.b AND x.s1)) AS bwd_last1
FROM (SELECT DISTINCT actor FROM rn) o;
CREATE TEMP TABLE rn_ours AS
SELECT actor,
       sequence_next_node('forward', 'head', t, v, b) AS head0,
       sequence_next_node('forward', 'head', t, v, b, v = 'item', v IN ('cart', 'item')) AS head2,
       sequence_next_node('backward', 'tail', t, v, b, v = 'item', v IN ('cart', 'item')) AS tail2,
       sequence_next_node('forward', 'first_match', t, v, b, v = 'item', v IN ('cart', 'item')) AS fwd_first2,
       sequence_next_node('forward', 'last_match', t, v, b, v = 'item') AS fwd_last1,
       sequence_next_node('backward', 'first_match', t, v, b, v = 'item', v IN ('cart', 'item')) AS bwd_first2,
       sequence_next_node('backward', 'last_match', t, v, b, v = 'item') AS bwd_last1
FROM rn GROUP BY actor;
SELECT count(*) AS actors,
       count(o.head0) AS head0, count(o.head2) AS head2, count(o.tail2) AS tail2, count(o.fwd_first2) AS fwd_first2,
       count(o.fwd_last1) AS fwd_last1, count(o.bwd_first2) AS bwd_first2, count(o.bwd_last1) AS bwd_last1,
       count(*) FILTER (WHERE row(o.*) IS DISTINCT FROM row(u.*)) AS mismatches
FROM rn_oracle o JOIN rn_ours u USING (actor);

-- Errors, with their SQLSTATE.
SELECT pg_temp.err(q) FROM (VALUES
  ($$SELECT sequence_next_node('sideways', 'head', t, page, true, true) FROM j$$),
  ($$SELECT sequence_next_node('forward', 'middle', t, page, true, true) FROM j$$),
  ($$SELECT sequence_next_node('backward', 'head', t, page, true, true) FROM j$$),
  ($$SELECT sequence_next_node('forward', 'tail', t, page, true, true) FROM j$$),
  ($$SELECT sequence_next_node('forward', 'first_match', t, page, true) FROM j$$),
  ($$SELECT sequence_next_node('backward', 'last_match', t, page, true, VARIADIC '{}'::boolean[]) FROM j$$),
  ($$SELECT sequence_next_node(NULL, 'head', t, page, true, true) FROM j$$),
  ($$SELECT sequence_next_node('forward', NULL, t, page, true, true) FROM j$$),
  ($$SELECT sequence_next_node('forward', 'head', t, page, true, VARIADIC NULL::boolean[]) FROM j$$),
  ($$SELECT sequence_next_node('forward', 'head', t, page, true, VARIADIC ARRAY[[true], [false]]) FROM j$$),
  ($$SELECT sequence_next_node('forward', 'head', t, page, true, VARIADIC array_fill(true, ARRAY[65])) FROM j$$),
  ($$SELECT sequence_next_node('forward', 'head', t, page, true, VARIADIC array_fill(true, ARRAY[64])) FROM j$$),
  ($$SELECT sequence_next_node(CASE WHEN t < 4 THEN 'forward' ELSE 'backward' END, 'first_match', t, page, true, true) FROM j$$),
  ($$SELECT sequence_next_node('forward', CASE WHEN t < 4 THEN 'first_match' ELSE 'last_match' END, t, page, true, true) FROM j$$),
  ($$SELECT sequence_next_node('forward', 'head', t, page, true, VARIADIC CASE WHEN t < 4 THEN ARRAY[true] ELSE ARRAY[true, true] END) FROM j$$),
  ($$SELECT sequence_next_node('forward', 'head', page, page, true, true) FROM j$$)
) v(q);

-- Forced parallel plans give exactly the serial answers; shuffled input too.
CREATE TABLE np AS
SELECT (g % 5000) AS actor,
       '2026-01-01'::timestamptz + (abs(hashint4(g)) % 2000) * interval '1 minute' AS ts,
       (ARRAY['home', 'search', 'item', 'item', 'cart', 'checkout', 'help'])[1 + abs(hashint4(-g)) % 7] AS page
FROM generate_series(1, 200000) g;
ANALYZE np;
CREATE TEMP VIEW np_answers AS
SELECT actor,
       sequence_next_node('forward', 'head', ts, page, true, page = 'home') AS a1,
       sequence_next_node('backward', 'tail', ts, page, true, true, true) AS a2,
       sequence_next_node('forward', 'first_match', ts, page, true, page = 'item', page = 'item') AS a3,
       sequence_next_node('backward', 'first_match', ts, page, true, page = 'cart') AS a4,
       sequence_next_node('forward', 'last_match', ts, page, page <> 'help', page = 'item') AS a5,
       sequence_next_node('backward', 'last_match', ts, page, true, page = 'checkout', page = 'cart') AS a6
FROM np GROUP BY actor;
CREATE TEMP TABLE np_serial AS SELECT * FROM np_answers;
SELECT count(a1) AS a1, count(a2) AS a2, count(a3) AS a3, count(a4) AS a4, count(a5) AS a5, count(a6) AS a6
FROM np_serial;
-- One group for the whole table: every worker's state is serialized and combined.
CREATE TEMP TABLE np_total AS
SELECT sequence_next_node('forward', 'head', ts, page || actor, true, true, true) AS head,
       sequence_next_node('backward', 'tail', ts, page || actor, true, true, true) AS tail,
       sequence_next_node('forward', 'last_match', ts, page || actor, true, page = 'item') AS last_item FROM np;
SELECT * FROM np_total;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT actor, sequence_next_node('forward', 'head', ts, page, true, page = 'home') FROM np GROUP BY actor;
EXPLAIN (COSTS OFF)
SELECT sequence_next_node('forward', 'head', ts, page, true, true) FROM np;
SELECT count(*) AS differing_rows FROM (
  (SELECT * FROM np_answers EXCEPT SELECT * FROM np_serial)
  UNION ALL
  (SELECT * FROM np_serial EXCEPT SELECT * FROM np_answers)) d;
SELECT (SELECT row(head, tail, last_item)::text FROM np_total) =
       (SELECT row(sequence_next_node('forward', 'head', ts, page || actor, true, true, true),
                   sequence_next_node('backward', 'tail', ts, page || actor, true, true, true),
                   sequence_next_node('forward', 'last_match', ts, page || actor, true, page = 'item'))::text FROM np)
       AS total_identical;
SET force_parallel_mode = regress;
SELECT count(*) AS differing_rows FROM (SELECT * FROM np_answers EXCEPT SELECT * FROM np_serial) d;
RESET ALL;
SET timezone = 'UTC';
CREATE TEMP TABLE np_shuffled AS SELECT * FROM np ORDER BY md5(actor::text || ts::text || page);
SELECT count(*) AS differing_rows FROM (
  SELECT actor,
         sequence_next_node('forward', 'head', ts, page, true, page = 'home') AS a1,
         sequence_next_node('backward', 'tail', ts, page, true, true, true) AS a2,
         sequence_next_node('forward', 'first_match', ts, page, true, page = 'item', page = 'item') AS a3,
         sequence_next_node('backward', 'first_match', ts, page, true, page = 'cart') AS a4,
         sequence_next_node('forward', 'last_match', ts, page, page <> 'help', page = 'item') AS a5,
         sequence_next_node('backward', 'last_match', ts, page, true, page = 'checkout', page = 'cart') AS a6
  FROM np_shuffled GROUP BY actor
  EXCEPT SELECT * FROM np_serial) d;

-- One actor with a million rows arriving latest-first: head / tail keep a
-- bounded number of rows (compacted as they arrive), *_match keep all.
SELECT sequence_next_node('forward', 'head', g::bigint, 'p' || g, true, true, true) AS head,
       sequence_next_node('backward', 'tail', g::bigint, 'p' || g, true, true, true) AS tail,
       sequence_next_node('forward', 'first_match', g::bigint, 'p' || g, true, g % 1000 = 999) AS first_match,
       sequence_next_node('backward', 'last_match', g::bigint, 'p' || g, true, g % 1000 = 1) AS last_match
FROM generate_series(999999, 0, -1) g;
