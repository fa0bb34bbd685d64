-- Which micro-conversions predict a purchase: one row per actor (the events it
-- did, without the macro event itself, and whether it bought), one aggregate over
-- all actors (2x2 table and statistics per event name, ranked). Minimum support 25
-- actors. The answer shown: the 2x2 table of every reported event, by name.
SELECT (m).event, (m).a, (m).b, (m).c, (m).d FROM (
  SELECT unnest(micro_correlations(events, bought, 25::bigint)) AS m FROM (
    SELECT actor_id, array_agg(event) FILTER (WHERE event <> 'purchase') AS events,
           bool_or(event = 'purchase') AS bought
    FROM {table} GROUP BY actor_id) per_actor) r
ORDER BY 1;
