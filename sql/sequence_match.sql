-- sequence_match / sequence_count / sequence_match_times: hand-computed cases for
-- every pattern element and time condition, a plain-SQL brute force, every error
-- with its SQLSTATE, forced parallel plans, shuffled input, a million-event actor
-- and cancellation. Semantics: docs/journeys.md.
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Events written as 'name@time ...' (bigint time). Conditions: c1 = the name
-- contains 'a', c2 = contains 'b', c3 = contains 'c'; 'x' satisfies none (so it
-- is not a stored event), 'ab' satisfies c1 and c2.
CREATE FUNCTION pg_temp.ev(spec text) RETURNS TABLE (t bigint, e text) LANGUAGE sql AS $$
    SELECT split_part(x, '@', 2)::bigint, split_part(x, '@', 1) FROM unnest(string_to_array(spec, ' ')) x
$$;

-- Every case with its hand-computed answer (match, count, match times); the
-- pattern varies from group to group (the parsed pattern is cached per query and
-- re-parsed when it changes).
CREATE TEMP TABLE cases (id int, pattern text, events text, m boolean, c bigint, times bigint[]);
INSERT INTO cases VALUES
  -- adjacency is over stored events: c3@2 breaks (?1)(?2), an unstored row does not
  (1, '(?1)(?2)', 'a@1 c@2 b@3', false, 0, '{1}'),
  (2, '(?1).(?2)', 'a@1 c@2 b@3', true, 1, '{1,3}'),
  (3, '(?1).*(?2)', 'a@1 c@2 b@3', true, 1, '{1,3}'),
  (4, '(?1)(?2)', 'a@1 x@2 b@3', true, 1, '{1,3}'),
  -- one row fills one element
  (5, '(?1)(?2)', 'ab@1', false, 0, '{1}'),
  (6, '(?1)(?2)', 'ab@1 ab@2', true, 1, '{1,2}'),
  -- non-overlapping counts; . and .* count every stored event
  (7, '(?1)(?1)', 'a@1 a@2 a@3 a@4 a@5', true, 2, '{1,2}'),
  (8, '.', 'a@1 x@2 b@3 c@4', true, 3, '{}'),
  (9, '.*', 'a@1 x@2 b@3 c@4', true, 3, '{}'),
  (10, '(?1).(?3)', 'a@1 b@2 b@3 c@4', false, 0, '{1}'),
  (11, '(?1)..(?3)', 'a@1 b@2 b@3 c@4', true, 1, '{1,4}'),
  (12, '(?2).*(?3)', 'c@1 b@2 a@3 c@4', true, 1, '{2,4}'),
  -- equal times: ordered by condition mask (a = 1 before b = 2)
  (13, '(?1)(?2)', 'b@5 a@5', true, 1, '{5,5}'),
  (14, '(?2)(?1)', 'b@5 a@5', false, 0, '{5}'),
  -- time conditions, each on both sides of its boundary
  (15, '(?1)(?t<=3)(?2)', 'a@0 b@3', true, 1, '{0,3}'),
  (16, '(?1)(?t<=3)(?2)', 'a@0 b@4', false, 0, '{0}'),
  (17, '(?1)(?t<3)(?2)', 'a@0 b@3', false, 0, '{0}'),
  (18, '(?1)(?t<3)(?2)', 'a@0 b@2', true, 1, '{0,2}'),
  (19, '(?1)(?t>=3)(?2)', 'a@0 b@2 b@3', true, 1, '{0,3}'),
  (20, '(?1)(?t>=3)(?2)', 'a@0 b@2', false, 0, '{0}'),
  (21, '(?1)(?t>3)(?2)', 'a@0 b@3 b@4', true, 1, '{0,4}'),
  (22, '(?1)(?t>3)(?2)', 'a@0 b@3', false, 0, '{0}'),
  (23, '(?1)(?t==3)(?2)', 'a@0 b@2 b@3 b@4', true, 1, '{0,3}'),
  (24, '(?1)(?t==3)(?2)', 'a@0 b@2 b@4', false, 0, '{0}'),
  -- a time condition skips events; after .* its base is the first event .* did not pass over
  (25, '(?1)(?t<3)(?3)', 'a@0 b@1 c@2', true, 1, '{0,2}'),
  (26, '(?1)(?t>=5)(?2)', 'a@0 c@10 b@12', true, 1, '{0,12}'),
  (27, '(?1).*(?t>=5)(?2)', 'a@0 c@10 b@12', false, 0, '{0}'),
  -- at the end of the events .*, (?t<=S), (?t<S) and (?t>=0) are no-ops
  (28, '(?2)(?t<0)', 'a@0 b@1', true, 1, '{1}'),
  (29, '(?2)(?t<0)', 'b@1 a@2', false, 0, '{1}'),
  (30, '(?1)(?t<=5)', 'a@0 b@9', false, 0, '{0}'),
  (31, '(?1)(?t<=5)', 'a@0', true, 1, '{0}'),
  (32, '(?1).*', 'b@0 a@1', true, 1, '{1}'),
  -- counting is greedy from the left and continues after each match
  (33, '(?1)(?2)', 'a@1 b@2 a@3 b@4 a@5', true, 2, '{1,2}'),
  (34, '(?1).*(?2)', 'a@1 a@2 b@3 b@4 a@5 b@6', true, 2, '{1,3}'),
  (35, '(?1)(?t<=1)(?2)', 'a@1 a@1 b@2 b@2', true, 1, '{1,2}'),
  -- without a match, the times of the longest prefix of (?N) elements some partial match reaches
  (36, '(?1)(?2)(?3)', 'a@1 b@2 a@3 b@4 x@5', false, 0, '{1,2}'),
  (37, '(?1)(?t<=10)(?2)(?3)', 'a@0 b@5 b@100 c@101', false, 0, '{0,5}'),
  (38, '(?3)', 'a@1 b@2 x@3', false, 0, '{}'),
  -- no stored event at all
  (39, '(?1).*', 'x@1 x@2', false, 0, '{}'),
  -- (?N) may repeat and skip numbers
  (40, '(?3)(?3).*(?1)', 'c@1 c@2 b@3 a@4', true, 1, '{1,2,4}');

SELECT id, pattern, events, m, c, times,
       (m, c, times) IS NOT DISTINCT FROM (em, ec, etimes) AS as_computed
FROM (SELECT cases.id, cases.pattern, cases.events, cases.m AS em, cases.c AS ec, cases.times AS etimes,
             sequence_match(cases.pattern, t, e ~ 'a', e ~ 'b', e ~ 'c') AS m,
             sequence_count(cases.pattern, t, e ~ 'a', e ~ 'b', e ~ 'c') AS c,
             sequence_match_times(cases.pattern, t, e ~ 'a', e ~ 'b', e ~ 'c') AS times
      FROM cases, pg_temp.ev(cases.events)
      GROUP BY cases.id, cases.pattern, cases.events, cases.m, cases.c, cases.times) r
ORDER BY id;

-- Only the conditions passed make a row stored: with two conditions c@2 is invisible.
SELECT sequence_match('(?1)(?2)', t, e ~ 'a', e ~ 'b') AS two_conditions,
       sequence_match('(?1)(?2)', t, e ~ 'a', e ~ 'b', e ~ 'c') AS three_conditions
FROM pg_temp.ev('a@1 c@2 b@3');

-- NULL time drops the row; a NULL condition counts as false.
SELECT sequence_match_times('(?1)(?2)', t, c1, c2) AS null_time_dropped
FROM (VALUES (1::bigint, true, false), (NULL, false, true), (3, false, true)) v(t, c1, c2);
SELECT sequence_match('(?1)(?2)', t, c1, c2) AS null_cond_row_invisible,
       sequence_count('.', t, c1, c2) AS stored
FROM (VALUES (1::bigint, true, false), (2, NULL, NULL), (3, false, true)) v(t, c1, c2);
SELECT sequence_match('(?1)(?2)', t, c1, c2) AS null_cond_row_kept
FROM (VALUES (1::bigint, true, false), (2, NULL, true), (3, false, true)) v(t, c1, c2);

-- Rows but no stored event: a pattern made only of elements that are no-ops at
-- the end of the events (.*, (?t<=S), (?t<S), (?t>=0)) matches, as in ClickHouse.
SELECT sequence_match('.*', t, false) AS m, sequence_count('.*', t, false) AS c,
       sequence_match_times('.*', t, false) AS times, sequence_match('(?1)', t, false) AS step
FROM (VALUES (1::bigint)) v(t);
-- No rows at all (an empty group, or FILTER removing every row): there is no
-- pattern to apply, so false, 0 and an empty array of the time type.
SELECT sequence_match('.*', t, true) FILTER (WHERE t > 5) AS m FROM (VALUES (1::bigint)) v(t);
SELECT sequence_match('(?1)', t, true), sequence_count('(?1)', t, true), sequence_match_times('(?1)', t, true)
FROM (VALUES (1::bigint)) v(t) WHERE false;
SELECT pg_typeof(sequence_match_times('(?1)', t, true)) FROM (VALUES ('2026-01-01'::date)) v(t) WHERE false;

-- timestamptz: S in seconds, compared to the microsecond.
SELECT sequence_match('(?1)(?t<=1)(?2)', t, e = 'a', e = 'b') AS within_1s,
       sequence_match('(?1)(?t==1)(?2)', t, e = 'a', e = 'b') AS exactly_1s,
       sequence_match_times('(?1)(?t<=1)(?2)', t, e = 'a', e = 'b') AS times
FROM (VALUES ('2026-01-01 00:00:00'::timestamptz, 'a'), ('2026-01-01 00:00:01', 'b')) v(t, e);
SELECT sequence_match('(?1)(?t<=1)(?2)', t, e = 'a', e = 'b') AS within_1s,
       sequence_match('(?1)(?t>1)(?2)', t, e = 'a', e = 'b') AS over_1s,
       sequence_match('(?1)(?t==1)(?2)', t, e = 'a', e = 'b') AS exactly_1s
FROM (VALUES ('2026-01-01 00:00:00'::timestamptz, 'a'), ('2026-01-01 00:00:01.000001', 'b')) v(t, e);
-- timestamp
SELECT sequence_match('(?1)(?t>=3600)(?2)', t, e = 'a', e = 'b') AS hour_later,
       sequence_match_times('(?1).*(?2)', t, e = 'a', e = 'b') AS times
FROM (VALUES ('2026-01-01 10:00'::timestamp, 'a'), ('2026-01-01 10:30', 'b'), ('2026-01-01 11:00', 'b')) v(t, e);
-- date: S is still in seconds (a day is 86400)
SELECT sequence_match('(?1)(?t<=86400)(?2)', t, e = 'a', e = 'b') AS within_a_day,
       sequence_match('(?1)(?t<86400)(?2)', t, e = 'a', e = 'b') AS under_a_day,
       sequence_match('(?1)(?t==172800)(?2)', t, e = 'a', e = 'b') AS two_days,
       sequence_match_times('(?1).*(?2)', t, e = 'a', e = 'b') AS times
FROM (VALUES ('2026-01-01'::date, 'a'), ('2026-01-02', 'b'), ('2026-01-03', 'b')) v(t, e);
SELECT sequence_match_times('(?1).*(?2)', t, e = 'a', e = 'b') AS date_extremes
FROM (VALUES ('-infinity'::date, 'a'), ('4713-01-01 BC', 'b'), ('5874897-12-31', 'a'), ('infinity', 'b')) v(t, e);
-- infinite timestamps sort first / last; differences do not overflow
SELECT sequence_match('(?1)(?t<=1)(?2)', t, e = 'a', e = 'b') AS close,
       sequence_match('(?1)(?t>1000000)(?2)', t, e = 'a', e = 'b') AS far,
       sequence_match_times('(?1).*(?2)', t, e = 'a', e = 'b') AS times
FROM (VALUES ('infinity'::timestamptz, 'b'), ('-infinity', 'a')) v(t, e);
-- bigint extremes
SELECT sequence_match('(?1)(?t>=18446744073709551615)(?2)', t, e = 'a', e = 'b') AS full_range,
       sequence_match_times('(?1)(?t>1)(?2)', t, e = 'a', e = 'b') AS times
FROM (VALUES (-9223372036854775808, 'a'), (9223372036854775807, 'b')) v(t, e);

-- As a window function: the running answer, row by row.
SELECT t, e, sequence_match('(?1).*(?2)', t, e = 'a', e = 'b') OVER w AS m,
       sequence_count('(?1)', t, e = 'a', e = 'b') OVER w AS c,
       sequence_match_times('(?1).*(?2)', t, e = 'a', e = 'b') OVER w AS times
FROM pg_temp.ev('b@1 a@2 x@3 b@4 a@5 b@6') WINDOW w AS (ORDER BY t) ORDER BY t;

-- Plain-SQL brute force over random actors with equal times and repeated rows.
-- A row is (t, mask); rows tied on (t, mask) are interchangeable, so "row b can
-- come after row a" is: b is another row and (a.t, a.mask) <= (b.t, b.mask).
SELECT setseed(0.25);
CREATE TABLE rnd AS
SELECT id, 1 + floor(random() * 1500)::int AS actor, floor(random() * 30)::bigint AS t,
       (ARRAY['a', 'b', 'ab', 'c', 'x'])[1 + floor(random() * 5)::int] AS e
FROM generate_series(1, 6000) id;
CREATE TEMP TABLE rnd_rows AS
SELECT id, actor, t, e ~ 'a' AS c1, e ~ 'b' AS c2, e ~ 'c' AS c3,
       (e ~ 'a')::int + 2 * (e ~ 'b')::int + 4 * (e ~ 'c')::int AS mask FROM rnd;
CREATE INDEX ON rnd_rows (actor);
ANALYZE rnd_rows;
CREATE TEMP TABLE oracle AS
SELECT actor,
  EXISTS (SELECT FROM rnd_rows a JOIN rnd_rows b ON a.actor = b.actor AND a.id <> b.id
          WHERE a.actor = o.actor AND a.c1 AND b.c2 AND (a.t, a.mask) <= (b.t, b.mask)) AS m_star,
  EXISTS (SELECT FROM rnd_rows a JOIN rnd_rows b ON a.actor = b.actor AND a.id <> b.id
          WHERE a.actor = o.actor AND a.c1 AND b.c2 AND (a.t, a.mask) <= (b.t, b.mask) AND b.t - a.t <= 3) AS m_le3,
  EXISTS (SELECT FROM rnd_rows a JOIN rnd_rows b ON a.actor = b.actor AND a.id <> b.id
          WHERE a.actor = o.actor AND a.c1 AND b.c2 AND (a.t, a.mask) <= (b.t, b.mask) AND b.t - a.t > 10) AS m_gt10,
  (SELECT count(*) FROM rnd_rows a WHERE a.actor = o.actor AND a.c1) AS count_c1,
  (SELECT count(*) FROM rnd_rows a WHERE a.actor = o.actor AND a.mask <> 0) AS count_stored,
  (SELECT CASE WHEN f.t IS NULL THEN '{}'::bigint[]
               ELSE array_remove(ARRAY[f.t, (SELECT min(b.t) FROM rnd_rows b
                                             WHERE b.actor = o.actor AND b.id <> f.id AND b.c2 AND (f.t, f.mask) <= (b.t, b.mask))], NULL) END
   FROM (SELECT NULL::bigint) dummy
   LEFT JOIN LATERAL (SELECT a.id, a.t, a.mask FROM rnd_rows a WHERE a.actor = o.actor AND a.c1
                      ORDER BY a.t, a.mask LIMIT 1) f ON true) AS times_star
FROM (SELECT DISTINCT actor FROM rnd) o;
CREATE TEMP TABLE ours AS
SELECT actor,
       sequence_match('(?1).*(?2)', t, c1, c2, c3) AS m_star,
       sequence_match('(?1)(?t<=3)(?2)', t, c1, c2, c3) AS m_le3,
       sequence_match('(?1)(?t>10)(?2)', t, c1, c2, c3) AS m_gt10,
       sequence_count('(?1)', t, c1, c2, c3) AS count_c1,
       sequence_count('.', t, c1, c2, c3) AS count_stored,
       sequence_match_times('(?1).*(?2)', t, c1, c2, c3) AS times_star
FROM rnd_rows GROUP BY actor;
SELECT count(*) AS actors,
       count(*) FILTER (WHERE o.m_star) AS matching_star, count(*) FILTER (WHERE o.m_le3) AS matching_le3,
       count(*) FILTER (WHERE o.m_gt10) AS matching_gt10,
       count(*) FILTER (WHERE row(o.*) IS DISTINCT FROM row(u.*)) AS mismatches
FROM oracle o JOIN ours u USING (actor);

-- Errors, with their SQLSTATE.
CREATE TEMP TABLE e (t bigint, ts timestamptz, ev text);
INSERT INTO e VALUES (1, '2026-01-01', 'a'), (2, '2026-01-02', 'b');
SELECT pg_temp.err(q) FROM (VALUES
  ($$SELECT sequence_match('', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1)(?t!=5)(?2)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?t<=5)(?1)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1)(?t<5)(?t<6)(?2)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1) (?2)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1))', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1)x', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(1)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?3)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_count('(?0)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1)(?t<=-5)(?2)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1)(?t<=99999999999999999999)(?2)', t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1)(?t<=18446744073709551615)(?2)', ts, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match_times(repeat('.', 257), t, ev = 'a') FROM e$$),
  ($$SELECT sequence_match(NULL, t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match(CASE WHEN ev = 'a' THEN '(?1)' END, t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match(CASE WHEN ev = 'a' THEN '(?1)' ELSE '(?2)' END, t, ev = 'a', ev = 'b') FROM e$$),
  ($$SELECT sequence_match('(?1)', t, VARIADIC CASE WHEN ev = 'a' THEN ARRAY[true] ELSE ARRAY[true, false] END) FROM e$$),
  ($$SELECT sequence_match('(?1)', t, VARIADIC NULL::boolean[]) FROM e$$),
  ($$SELECT sequence_match('(?1)', t, VARIADIC ARRAY[]::boolean[]) FROM e$$),
  ($$SELECT sequence_match('(?1)', t, VARIADIC ARRAY[[true, false]]) FROM e$$),
  ($$SELECT sequence_match('(?1)', t, VARIADIC array_fill(true, ARRAY[65])) FROM e$$),
  ($$SELECT sequence_count('(?64)', t, VARIADIC array_fill(true, ARRAY[64])) FROM e$$),
  ($$SELECT sequence_match('(?1)', ev, ev = 'a') FROM e$$)
) v(q);
-- An error in a group that is not the first still stops the query.
SELECT pg_temp.err($$SELECT t, sequence_match(CASE WHEN t = 2 THEN '(?1)(' ELSE '(?1)' END, t, true) FROM e GROUP BY t$$);

-- Forced parallel plans give exactly the serial answers (combine, serialize and
-- deserialize run), and the answers do not depend on row order.
CREATE TABLE sp AS
SELECT (g % 8000) AS actor,
       '2026-01-01'::timestamptz + (abs(hashint4(g)) % 40000) * interval '1 minute' AS ts,
       (ARRAY['view', 'view', 'view', 'cart', 'cart', 'buy', 'other'])[1 + abs(hashint4(-g)) % 7] AS event
FROM generate_series(1, 200000) g;
ANALYZE sp;
CREATE TEMP TABLE serial_result AS
SELECT actor,
       sequence_match('(?1).*(?2)(?t<=3600).*(?3)', ts, event = 'view', event = 'cart', event = 'buy') AS m,
       sequence_count('(?1)(?2)', ts, event = 'view', event = 'cart', event = 'buy') AS c,
       sequence_match_times('(?1).*(?2)(?t<=86400)(?3)', ts, event = 'view', event = 'cart', event = 'buy') AS times
FROM sp GROUP BY actor;
SELECT m, c > 0 AS counted, cardinality(times) AS n_times, count(*) FROM serial_result GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
CREATE TEMP TABLE serial_total AS
SELECT sequence_count('(?1)(?2)', ts, event = 'view', event = 'cart') AS c,
       sequence_match_times('(?2)(?t==0)(?2)(?t==60)(?1)', ts, event = 'view', event = 'cart') AS times FROM sp;
SELECT * FROM serial_total;
-- A pattern per group (not a constant): half the actors with one, half with another.
CREATE TEMP TABLE serial_by_pattern AS
SELECT actor, sequence_match(CASE WHEN actor % 2 = 0 THEN '(?1).*(?2)' ELSE '(?2)(?t<=7200)(?1)' END,
                             ts, event = 'view', event = 'cart') AS m
FROM sp GROUP BY actor;
SELECT m, count(*) FROM serial_by_pattern GROUP BY m ORDER BY m;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT actor, sequence_match('(?1).*(?2)', ts, event = 'view', event = 'cart') FROM sp GROUP BY actor;
EXPLAIN (COSTS OFF)
SELECT sequence_count('(?1)(?2)', ts, event = 'view', event = 'cart') FROM sp;
SELECT count(*) AS differing_rows FROM (
  (SELECT actor,
          sequence_match('(?1).*(?2)(?t<=3600).*(?3)', ts, event = 'view', event = 'cart', event = 'buy') AS m,
          sequence_count('(?1)(?2)', ts, event = 'view', event = 'cart', event = 'buy') AS c,
          sequence_match_times('(?1).*(?2)(?t<=86400)(?3)', ts, event = 'view', event = 'cart', event = 'buy') AS times
   FROM sp GROUP BY actor
   EXCEPT SELECT * FROM serial_result)
  UNION ALL
  (SELECT * FROM serial_result EXCEPT
   SELECT actor,
          sequence_match('(?1).*(?2)(?t<=3600).*(?3)', ts, event = 'view', event = 'cart', event = 'buy'),
          sequence_count('(?1)(?2)', ts, event = 'view', event = 'cart', event = 'buy'),
          sequence_match_times('(?1).*(?2)(?t<=86400)(?3)', ts, event = 'view', event = 'cart', event = 'buy')
   FROM sp GROUP BY actor)) d;
SELECT (SELECT row(c, times)::text FROM serial_total) =
       (SELECT row(sequence_count('(?1)(?2)', ts, event = 'view', event = 'cart'),
                   sequence_match_times('(?2)(?t==0)(?2)(?t==60)(?1)', ts, event = 'view', event = 'cart'))::text FROM sp)
       AS total_identical;
SELECT count(*) AS differing_rows_by_pattern FROM (
  (SELECT actor, sequence_match(CASE WHEN actor % 2 = 0 THEN '(?1).*(?2)' ELSE '(?2)(?t<=7200)(?1)' END,
                                ts, event = 'view', event = 'cart') AS m
   FROM sp GROUP BY actor
   EXCEPT SELECT * FROM serial_by_pattern)
  UNION ALL
  (SELECT * FROM serial_by_pattern EXCEPT
   SELECT actor, sequence_match(CASE WHEN actor % 2 = 0 THEN '(?1).*(?2)' ELSE '(?2)(?t<=7200)(?1)' END,
                                ts, event = 'view', event = 'cart')
   FROM sp GROUP BY actor)) d;
-- A pattern that differs between the rows of one group is caught in the workers
-- or when their states are combined.
SELECT pg_temp.err($$SELECT sequence_match(CASE WHEN actor < 4000 THEN '(?1)' ELSE '(?1).*' END, ts, true) FROM sp$$);
-- force_parallel_mode runs the whole aggregate in a worker.
SET force_parallel_mode = regress;
SELECT count(*) AS differing_rows FROM (
  SELECT actor, sequence_count('(?1)(?2)', ts, event = 'view', event = 'cart', event = 'buy') AS c FROM sp GROUP BY actor
  EXCEPT SELECT actor, c FROM serial_result) d;
RESET ALL;
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
-- Shuffled input: the same rows in another physical order give the same answers.
CREATE TEMP TABLE sp_shuffled AS SELECT * FROM sp ORDER BY md5(actor::text || ts::text || event);
SELECT count(*) AS differing_rows FROM (
  SELECT actor,
         sequence_match('(?1).*(?2)(?t<=3600).*(?3)', ts, event = 'view', event = 'cart', event = 'buy') AS m,
         sequence_count('(?1)(?2)', ts, event = 'view', event = 'cart', event = 'buy') AS c,
         sequence_match_times('(?1).*(?2)(?t<=86400)(?3)', ts, event = 'view', event = 'cart', event = 'buy') AS times
  FROM sp_shuffled GROUP BY actor
  EXCEPT SELECT * FROM serial_result) d;

-- One actor with a million events and a pathological pattern for backtracking:
-- linear time here.
SELECT sequence_match('(?1).*(?1).*(?1).*(?2)', g::bigint, g % 3 = 0, g = 999999) AS m,
       sequence_count('(?1).*(?1).*(?1).*(?2)', g::bigint, g % 3 = 0, g = 999999) AS c,
       sequence_match_times('(?1).*(?1).*(?1).*(?2)', g::bigint, g % 3 = 0, g = 999999) AS times,
       sequence_count('(?1)', g::bigint, g % 3 = 0, g = 999999) AS ones
FROM generate_series(0, 999999) g;
SELECT sequence_match('(?1).*(?1).*(?1).*(?2)', g::bigint, g % 3 = 0, g = -1) AS no_match,
       sequence_match_times('(?1).*(?1).*(?1).*(?2)', g::bigint, g % 3 = 0, g = -1) AS prefix
FROM generate_series(0, 999999) g;

-- Cancellation inside the final function: the core polls for interrupts. The
-- same million-event input is timed with a trivial pattern (L: building the
-- state) and with a 255-element pattern (L + C: C is the matcher's time), each
-- the best of two runs, then run with statement_timeout = L + C/4. It must be
-- cancelled (57014) before L + 3C/4, i.e. while the matcher runs, and the
-- session goes on.
CREATE FUNCTION pg_temp.timed(q text, OUT state text, OUT elapsed interval) LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
    BEGIN
        EXECUTE q;
        state := 'no error';
    EXCEPTION WHEN query_canceled OR others THEN
        state := SQLSTATE || ': ' || SQLERRM;
    END;
    elapsed := clock_timestamp() - t0;
END $$;
CREATE TEMP TABLE timing AS
SELECT (SELECT min(t.elapsed) FROM generate_series(1, 2) run, LATERAL pg_temp.timed(
            format($$SELECT sequence_match('(?2)', g::bigint, true, g = -1) FROM generate_series(0, 999999) g -- %s$$, run)) t) AS l,
       (SELECT min(t.elapsed) FROM generate_series(1, 2) run, LATERAL pg_temp.timed(
            format($$SELECT sequence_match(repeat('(?1)(?t==1)', 127) || '(?2)', g::bigint, true, g = -1)
                     FROM generate_series(0, 999999) g -- %s$$, run)) t) AS lc;
SELECT lc > l * 1.5 AS matcher_dominates FROM timing;
SELECT set_config('statement_timeout', (1000 * extract(epoch FROM l + (lc - l) / 4))::int::text, false) IS NOT NULL AS timeout_set
FROM timing;
SELECT state, elapsed < (SELECT l + (lc - l) * 3 / 4 FROM timing) AS cancelled_while_matching
FROM pg_temp.timed($$SELECT sequence_match(repeat('(?1)(?t==1)', 127) || '(?2)', g::bigint, true, g = -1)
                     FROM generate_series(0, 999999) g$$);
RESET statement_timeout;
SELECT 'the session goes on' AS after_cancel, sequence_count('(?1)', t, true) FROM (VALUES (1::bigint)) v(t);
