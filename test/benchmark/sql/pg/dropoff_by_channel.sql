-- Stage report per channel: funnel_steps per actor, dropoff_by_stage per channel,
-- one row per (channel, stage) with the actors who reached the stage and those who
-- dropped after it (the other columns of funnel_stage follow from these two).
SELECT channel, (s).stage, (s).actors, (s).dropped FROM (
  SELECT channel, unnest(dropoff_by_stage(level, 4)) AS s FROM (
    SELECT actor_id, channel,
           funnel_steps(ts, interval '7 days',
                        event = 'product_view', event = 'add_to_cart', event = 'begin_checkout', event = 'purchase') AS level
    FROM {table} GROUP BY actor_id, channel) per_actor
  GROUP BY channel) r
ORDER BY channel, 2;
