-- Every error of the funnel family, with its SQLSTATE.
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE TABLE e (ts timestamptz, b bigint, event text);
INSERT INTO e VALUES ('2026-01-01', 1, 'a'), ('2026-01-02', 2, 'b');
SELECT pg_temp.err(q) FROM (VALUES
  ($$SELECT funnel_steps(ts, '0 seconds', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '-1 day', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day -25 hours', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, NULL::interval, event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 month', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 year 2 days', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(b, 0, event = 'a') FROM e$$),
  ($$SELECT funnel_steps(b, -5, event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', 'strict', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', 'strict_order,, strict_once', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', 'allow_reentry', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', 'any_order,strict_order', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', NULL::text, event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', VARIADIC ARRAY[]::boolean[]) FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', VARIADIC NULL::boolean[]) FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', VARIADIC ARRAY[[true, false]]) FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', VARIADIC array_fill(true, ARRAY[65])) FROM e$$),
  ($$SELECT funnel_times(ts, '1 day', VARIADIC array_fill(true, ARRAY[65])) FROM e$$),
  ($$SELECT funnel_steps(ts, CASE WHEN event = 'a' THEN '1 day' ELSE '2 days' END::interval, event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', CASE WHEN event = 'a' THEN '' ELSE 'strict_once' END, event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts, '1 day', VARIADIC CASE WHEN event = 'a' THEN ARRAY[true] ELSE ARRAY[true, false] END) FROM e$$),
  ($$SELECT funnel_steps(ts, 86400, event = 'a') FROM e$$),
  ($$SELECT funnel_steps(b, '1 day', event = 'a') FROM e$$),
  ($$SELECT funnel_steps(ts::text, '1 day', event = 'a') FROM e$$),
  ($$SELECT time_between(ts::text, true, false) FROM e$$),
  ($$SELECT time_between(ts, event = 'a', event = 'b') FROM (VALUES ('2026-01-01'::timestamptz, 'a'), ('infinity', 'b')) e(ts, event)$$),
  ($$SELECT funnel_steps(ts, '1 day', 'strict_once', event = 'a') FROM e$$)
) v(q);
