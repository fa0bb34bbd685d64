-- The same stage rows as dropoff_by_channel.sql from the same per-actor levels with
-- plain aggregates: actors = level >= stage, dropped = level exactly stage (0 at
-- the last stage: completing the funnel is not dropping).
SELECT channel, k AS stage, count(*) FILTER (WHERE level >= k) AS actors,
       count(*) FILTER (WHERE level = k AND k < 4) AS dropped
FROM (
  SELECT actor_id, channel,
         funnel_steps(ts, interval '7 days',
                      event = 'product_view', event = 'add_to_cart', event = 'begin_checkout', event = 'purchase') AS level
  FROM {table} GROUP BY actor_id, channel) per_actor
CROSS JOIN generate_series(1, 4) AS k
GROUP BY channel, k ORDER BY channel, k;
