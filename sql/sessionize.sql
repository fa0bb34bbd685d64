-- sessionize: a new session after more than `gap` of inactivity (exactly `gap` stays).
SET timezone = 'UTC';
-- gaps 5, 10 (= gap: same session), 11 (> gap: new), 10: sessions 1, 1, 1, 2, 2.
SELECT a, t, sessionize(t, 10) OVER (PARTITION BY a ORDER BY t)
FROM (VALUES (1, 0::bigint), (1, 5), (1, 15), (1, 26), (1, 36), (2, 100), (2, 111)) v(a, t) ORDER BY a, t;
-- The one-argument form: 30 minutes. 00:00 -> 00:30 (exactly 30 min: same), -> 01:00:01 (new).
-- A NULL time belongs to no session.
SELECT ts, sessionize(ts) OVER (ORDER BY ts)
FROM (VALUES ('2026-01-01 00:00'::timestamptz), ('2026-01-01 00:30'), ('2026-01-01 01:00:01'), (NULL)) v(ts);
SELECT ts, sessionize(ts) OVER (ORDER BY ts) FROM (VALUES ('2026-01-01 00:00'::timestamp), ('2026-01-01 00:31')) v(ts);
SELECT d, sessionize(d, '1 day') OVER (ORDER BY d) FROM (VALUES ('2026-01-01'::date), ('2026-01-02'), ('2026-01-04')) v(d);
-- Ties stay in one session; equal times never open a session.
SELECT sessionize(t, 1) OVER (ORDER BY t) FROM (VALUES (5::bigint), (5), (5)) v(t);

-- Plain-SQL oracle on random data: a running count of gaps larger than the gap.
SELECT setseed(0.3);
CREATE TABLE s AS SELECT (random() * 100)::int AS actor, '2026-01-01'::timestamptz + random() * interval '3 days' AS ts
FROM generate_series(1, 5000);
SELECT count(*) AS rows, count(*) FILTER (WHERE ours <> oracle) AS mismatches, max(ours) AS max_session FROM (
  SELECT sessionize(ts, '45 minutes') OVER w AS ours,
         1 + count(*) FILTER (WHERE gap > '45 minutes') OVER (w ROWS UNBOUNDED PRECEDING) AS oracle
  FROM (SELECT actor, ts, ts - lag(ts) OVER (PARTITION BY actor ORDER BY ts) AS gap FROM s) g
  WINDOW w AS (PARTITION BY actor ORDER BY ts)) c;

-- Session metrics, the usual way: events per session, session length, bounce rate.
SELECT count(*) AS sessions, round(avg(events), 2) AS events_per_session,
       avg(last_ts - first_ts)::interval(0) AS avg_length,
       round(avg((events = 1)::int), 3) AS bounce_rate
FROM (SELECT actor, session, count(*) AS events, min(ts) AS first_ts, max(ts) AS last_ts
      FROM (SELECT actor, ts, sessionize(ts, '45 minutes') OVER (PARTITION BY actor ORDER BY ts) AS session FROM s) x
      GROUP BY actor, session) per_session;

-- Errors.
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
SELECT pg_temp.err(q) FROM (VALUES
  ($$SELECT sessionize(t, 10) OVER (ORDER BY t DESC) FROM (VALUES (1::bigint), (50)) v(t)$$),
  ($$SELECT sessionize(t, 0) OVER (ORDER BY t) FROM (VALUES (1::bigint), (50)) v(t)$$),
  ($$SELECT sessionize(t, -3) OVER (ORDER BY t) FROM (VALUES (1::bigint), (50)) v(t)$$),
  ($$SELECT sessionize(t, NULL::bigint) OVER (ORDER BY t) FROM (VALUES (1::bigint), (50)) v(t)$$),
  ($$SELECT sessionize(t, '0 minutes') OVER (ORDER BY t) FROM (VALUES ('2026-01-01'::timestamptz)) v(t)$$),
  ($$SELECT sessionize(t, '1 month') OVER (ORDER BY t) FROM (VALUES ('2026-01-01'::timestamptz)) v(t)$$),
  ($$SELECT sessionize(t) OVER (ORDER BY t) FROM (VALUES (1::bigint)) v(t)$$),
  ($$SELECT sessionize(t, 10) FROM (VALUES (1::bigint)) v(t)$$)
) v(q);
