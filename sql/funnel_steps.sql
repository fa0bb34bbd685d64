-- funnel_steps: hand-computed cases (expected values derived in the comments),
-- then a plain-SQL brute-force reference on random data.
SET timezone = 'UTC';
CREATE TABLE f (actor int, ts timestamptz, event text);

-- Steps 1..5 at t = 3..7 s, window 2 s: 3@3 -> 4@4 -> 5@5, then 6@6 > 3 + 2. Level 3.
INSERT INTO f SELECT 1, '2026-01-01'::timestamptz + i * interval '1 second', 'e' || i FROM generate_series(3, 7) i;
SELECT funnel_steps(ts, '2 seconds', event = 'e3', event = 'e4', event = 'e5', event = 'e6', event = 'e7') FROM f WHERE actor = 1;

-- One row satisfying three identical conditions: by default one row may fill
-- consecutive steps (3); strict_once and strict_increase allow one step per row/instant (1).
INSERT INTO f VALUES (2, '2026-01-01', 'a');
SELECT funnel_steps(ts, '1 day', event = 'a', event = 'a', event = 'a') AS dflt,
       funnel_steps(ts, '1 day', 'strict_once', event = 'a', event = 'a', event = 'a') AS once,
       funnel_steps(ts, '1 day', 'strict_increase', event = 'a', event = 'a', event = 'a') AS incr
FROM f WHERE actor = 2;

-- a, b, x, c: strict_order stops at x (2); default skips it (3).
INSERT INTO f VALUES (3, '2026-01-01 00:00', 'a'), (3, '2026-01-01 00:01', 'b'), (3, '2026-01-01 00:02', 'x'), (3, '2026-01-01 00:03', 'c');
SELECT funnel_steps(ts, '1 hour', event = 'a', event = 'b', event = 'c') AS dflt,
       funnel_steps(ts, '1 hour', 'strict_order', event = 'a', event = 'b', event = 'c') AS strict_order
FROM f WHERE actor = 3;

-- strict_deduplication: a, b, b, c stops at the second b (2); a, a, b, c: a repeated
-- step 1 restarts the chain, it does not stop it (3).
INSERT INTO f VALUES (4, '2026-01-01 00:00', 'a'), (4, '2026-01-01 00:01', 'b'), (4, '2026-01-01 00:02', 'b'), (4, '2026-01-01 00:03', 'c'),
                     (5, '2026-01-01 00:00', 'a'), (5, '2026-01-01 00:01', 'a'), (5, '2026-01-01 00:02', 'b'), (5, '2026-01-01 00:03', 'c');
SELECT actor, funnel_steps(ts, '1 hour', event = 'a', event = 'b', event = 'c') AS dflt,
       funnel_steps(ts, '1 hour', 'strict_deduplication', event = 'a', event = 'b', event = 'c') AS dedup
FROM f WHERE actor IN (4, 5) GROUP BY actor ORDER BY actor;

-- A funnel that repeats a step, (a, b, a, c), over a, b, a, c. The first row also
-- matches step 3 before step 2 is reached: strict_order stops there (1);
-- allow_reentry ignores it and reaches 4; default reaches 4.
INSERT INTO f VALUES (6, '2026-01-01 00:01', 'a'), (6, '2026-01-01 00:02', 'b'), (6, '2026-01-01 00:03', 'a'), (6, '2026-01-01 00:04', 'c');
SELECT funnel_steps(ts, '1 hour', event = 'a', event = 'b', event = 'a', event = 'c') AS dflt,
       funnel_steps(ts, '1 hour', 'strict_order', event = 'a', event = 'b', event = 'a', event = 'c') AS strict_order,
       funnel_steps(ts, '1 hour', 'strict_order, allow_reentry', event = 'a', event = 'b', event = 'a', event = 'c') AS reentry
FROM f WHERE actor = 6;

-- ClickHouse issue 52844: a@0, a@1, b@1 with strict_increase. a@0 -> b@1 is a valid
-- chain (2); ClickHouse returns 1 because a@1 overwrites its only chain.
INSERT INTO f VALUES (7, '2026-01-01 00:00:00', 'a'), (7, '2026-01-01 00:00:01', 'a'), (7, '2026-01-01 00:00:01', 'b');
SELECT funnel_steps(ts, '1 hour', 'strict_increase', event = 'a', event = 'b') FROM f WHERE actor = 7;

-- The example of the same issue: v0@1, then v1, v2, v3 all at 2, 3 and 4. With 4
-- steps strict_increase, v0@1 -> v1@2 -> v2@3 -> v3@4 reaches 4 (ClickHouse: 2).
INSERT INTO f SELECT 8, '2026-01-01'::timestamptz + interval '1 second', 'v0'
    UNION ALL SELECT 8, '2026-01-01'::timestamptz + s * interval '1 second', v FROM generate_series(2, 4) s, unnest(ARRAY['v1', 'v2', 'v3']) v;
SELECT funnel_steps(ts, '1 hour', 'strict_increase', event = 'v0', event = 'v1', event = 'v2', event = 'v3') FROM f WHERE actor = 8;

-- any_order: c@1, b@2, a@3 holds a, b and c inside 5 minutes in some order (3);
-- in order only a is there (1). With a 1-minute window no two fit (1 in any order too).
INSERT INTO f VALUES (9, '2026-01-01 00:01', 'c'), (9, '2026-01-01 00:02', 'b'), (9, '2026-01-01 00:03', 'a');
SELECT funnel_steps(ts, '5 minutes', 'any_order', event = 'a', event = 'b', event = 'c') AS any5,
       funnel_steps(ts, '5 minutes', event = 'a', event = 'b', event = 'c') AS ordered,
       funnel_steps(ts, '59 seconds', 'any_order', event = 'a', event = 'b', event = 'c') AS any59s
FROM f WHERE actor = 9;

-- The window is inclusive: a@0, b@+10 min reaches 2 with a 10-minute window, 1 with 9 min 59 s.
INSERT INTO f VALUES (10, '2026-01-01 00:00', 'a'), (10, '2026-01-01 00:10', 'b');
SELECT funnel_steps(ts, '10 minutes', event = 'a', event = 'b') AS w10,
       funnel_steps(ts, '9 minutes 59 seconds', event = 'a', event = 'b') AS w959
FROM f WHERE actor = 10;

-- Equal times: a and b at the same instant chain by default (2), not with strict_increase (1).
INSERT INTO f VALUES (11, '2026-01-01 00:00', 'a'), (11, '2026-01-01 00:00', 'b');
SELECT funnel_steps(ts, '1 hour', event = 'a', event = 'b') AS dflt,
       funnel_steps(ts, '1 hour', 'strict_increase', event = 'a', event = 'b') AS incr
FROM f WHERE actor = 11;

-- NULLs: a NULL condition counts as false (the row still exists, so strict_order
-- sees it as an interrupting row); a NULL time drops the row entirely.
CREATE TABLE fn (ts timestamptz, event text);
INSERT INTO fn VALUES ('2026-01-01 00:00', 'a'), ('2026-01-01 00:01', NULL), ('2026-01-01 00:02', 'b'), (NULL, 'c');
SELECT funnel_steps(ts, '1 hour', event = 'a', event = 'b', event = 'c') AS dflt,
       funnel_steps(ts, '1 hour', 'strict_order', event = 'a', event = 'b') AS strict_order
FROM fn;
-- An empty group: level 0.
SELECT funnel_steps(ts, '1 hour', event = 'a') FROM fn WHERE false;

-- Time types: date (window in days; shorter than a day = same day), timestamp, bigint.
SELECT funnel_steps(d, '1 day', e = 'a', e = 'b') AS one_day, funnel_steps(d, '12 hours', e = 'a', e = 'b') AS same_day
FROM (VALUES ('2026-01-01'::date, 'a'), ('2026-01-02'::date, 'b')) v(d, e);
SELECT funnel_steps(t, '1 hour', e = 'a', e = 'b') FROM (VALUES ('2026-01-01 00:00'::timestamp, 'a'), ('2026-01-01 01:00'::timestamp, 'b')) v(t, e);
SELECT funnel_steps(t, 10, e = 'a', e = 'b') AS w10, funnel_steps(t, 9, e = 'a', e = 'b') AS w9
FROM (VALUES (100::bigint, 'a'), (110::bigint, 'b')) v(t, e);
-- Time at the edges of the range: infinities sort first/last and never overflow the window test.
SELECT funnel_steps(t, '1 day', e = 'a', e = 'b') FROM (VALUES ('-infinity'::timestamptz, 'a'), ('infinity'::timestamptz, 'b'), ('2026-01-01'::timestamptz, 'a'), ('2026-01-01 01:00'::timestamptz, 'b')) v(t, e);
-- 64 steps (the cap): 64 rows, step i at second i.
SELECT funnel_steps(t, 100, VARIADIC (SELECT array_agg(e = s ORDER BY s) FROM generate_series(1, 64) s))
FROM generate_series(1, 64) e, LATERAL (SELECT e::bigint AS t) x;

-- Plain-SQL brute force on random data: 3 steps, every chain enumerated by
-- self-joins. Default: t1 <= t2 <= t3 <= t1 + w (one row may fill several steps);
-- strict_increase: strictly increasing times; strict_once: distinct rows.
SELECT setseed(0.42);
CREATE TABLE r AS
SELECT (random() * 300)::int AS actor, (random() * 40)::bigint AS t,
       (ARRAY['a', 'b', 'c', 'd'])[1 + (random() * 3)::int] AS e, g AS id
FROM generate_series(1, 3000) g;
CREATE TABLE rs AS  -- (actor, id, t, mask of steps: s1 = a|b, s2 = b|c, s3 = c|d)
SELECT actor, id, t, e IN ('a', 'b') AS s1, e IN ('b', 'c') AS s2, e IN ('c', 'd') AS s3 FROM r;
CREATE FUNCTION pg_temp.brute(w bigint, incr boolean, once boolean) RETURNS TABLE (actor int, lvl int) AS $$
    SELECT a.actor, greatest(
        0,
        (SELECT max(1) FROM rs x WHERE x.actor = a.actor AND x.s1),
        (SELECT max(2) FROM rs x JOIN rs y ON y.actor = x.actor
          WHERE x.actor = a.actor AND x.s1 AND y.s2 AND y.t - x.t BETWEEN 0 AND w
            AND (NOT incr OR y.t > x.t) AND (NOT once OR x.id <> y.id)),
        (SELECT max(3) FROM rs x JOIN rs y ON y.actor = x.actor JOIN rs z ON z.actor = x.actor
          WHERE x.actor = a.actor AND x.s1 AND y.s2 AND z.s3 AND y.t >= x.t AND z.t >= y.t AND z.t - x.t <= w
            AND (NOT incr OR (y.t > x.t AND z.t > y.t))
            AND (NOT once OR (x.id <> y.id AND y.id <> z.id AND x.id <> z.id))))
    FROM (SELECT DISTINCT actor FROM rs) a
$$ LANGUAGE sql;
SELECT w, modes, count(*) AS actors, count(*) FILTER (WHERE ours.lvl <> b.lvl) AS mismatches
FROM (VALUES (1::bigint), (3), (10)) ws(w)
CROSS JOIN (VALUES (''), ('strict_increase'), ('strict_once'), ('strict_once,strict_increase')) ms(modes)
CROSS JOIN LATERAL (SELECT actor, funnel_steps(t, w, modes, s1, s2, s3) AS lvl FROM rs GROUP BY actor) ours
JOIN LATERAL pg_temp.brute(w, modes LIKE '%increase%', modes LIKE '%once%') b USING (actor)
GROUP BY w, modes ORDER BY w, modes;

-- The answer does not depend on input order.
CREATE TABLE rs_rev AS SELECT * FROM rs ORDER BY t DESC, id DESC;
SELECT count(*) AS differing_actors FROM (
    SELECT actor, funnel_steps(t, 5, 'strict_order, strict_deduplication', s1, s2, s3) FROM rs GROUP BY actor
    EXCEPT
    SELECT actor, funnel_steps(t, 5, 'strict_order, strict_deduplication', s1, s2, s3) FROM rs_rev GROUP BY actor) d;
