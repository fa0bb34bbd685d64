-- time_between(ts, from, to): from the first `from` event to the first `to` event at or after it.
SET timezone = 'UTC';
CREATE TABLE tb (actor int, ts timestamptz, event text);
INSERT INTO tb VALUES
  -- 1: signup@day 1, purchases@day 0 (before: ignored), day 5, day 40 -> 4 days.
  (1, '2026-01-02', 'signup'), (1, '2026-01-01', 'purchase'), (1, '2026-01-06', 'purchase'), (1, '2026-02-10', 'purchase'),
  -- 2: two signups; the first (day 3) counts, purchase@day 10 -> 7 days.
  (2, '2026-01-05', 'signup'), (2, '2026-01-03', 'signup'), (2, '2026-01-10', 'purchase'),
  -- 3: signup, no purchase after it -> NULL. 4: no signup -> NULL.
  (3, '2026-01-05', 'signup'), (3, '2026-01-04', 'purchase'), (4, '2026-01-05', 'purchase'),
  -- 5: signup and purchase at the same instant -> 0.
  (5, '2026-01-05 10:00', 'signup'), (5, '2026-01-05 10:00', 'purchase');
SELECT actor, time_between(ts, event = 'signup', event = 'purchase') FROM tb GROUP BY actor ORDER BY actor;
-- The follow-through test: signed up and bought within 30 days.
SELECT count(*) FILTER (WHERE d <= '30 days') AS followed_through, count(*) FILTER (WHERE d IS NOT NULL) AS bought_after, count(*) AS actors
FROM (SELECT actor, time_between(ts, event = 'signup', event = 'purchase') d FROM tb GROUP BY actor) s;
-- As a running value over the actor's history.
SELECT actor, ts, event, time_between(ts, event = 'signup', event = 'purchase') OVER (PARTITION BY actor ORDER BY ts)
FROM tb WHERE actor IN (1, 2) ORDER BY actor, ts;
-- Other time types: date -> interval in days, bigint -> bigint. NULL time or flags are ignored.
SELECT time_between(d, e = 's', e = 'p') FROM (VALUES ('2026-01-01'::date, 's'), ('2026-01-04'::date, 'p')) v(d, e);
SELECT time_between(x, e = 's', e = 'p') FROM (VALUES (100::bigint, 's'), (90::bigint, 'p'), (130::bigint, 'p'), (NULL, 's')) v(x, e);
SELECT time_between(x, e = 's', e = 'p') FROM (VALUES (100::bigint, NULL), (110::bigint, 'p')) v(x, e);
-- Infinite times cannot give a finite duration.
SELECT time_between(x, e = 's', e = 'p') FROM (VALUES ('-infinity'::timestamptz, 's'), ('2026-01-01'::timestamptz, 'p')) v(x, e);
-- Brute force on random data: min over to >= first from, computed with plain SQL.
SELECT setseed(0.7);
CREATE TABLE rb AS SELECT (random() * 200)::int AS actor, (random() * 1000)::bigint AS t, random() < 0.3 AS s, random() < 0.3 AS p
FROM generate_series(1, 4000);
SELECT count(*) AS actors, count(*) FILTER (WHERE ours IS DISTINCT FROM brute) AS mismatches FROM (
  SELECT actor, time_between(t, s, p) AS ours,
         (SELECT min(y.t) FROM rb y WHERE y.actor = rb.actor AND y.p AND y.t >= (SELECT min(x.t) FROM rb x WHERE x.actor = rb.actor AND x.s))
           - (SELECT min(x.t) FROM rb x WHERE x.actor = rb.actor AND x.s) AS brute
  FROM rb GROUP BY actor) c;
