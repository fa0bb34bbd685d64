-- dropoff_by_channel.sql for ClickHouse: windowFunnel per (actor, channel), then
-- the stage rows per channel.
SELECT channel, k AS stage, countIf(level >= k) AS actors, countIf(level = k AND k < 4) AS dropped FROM (
  SELECT actor_id, channel,
         windowFunnel(604800000000)(t, event = 'product_view', event = 'add_to_cart', event = 'begin_checkout',
                                    event = 'purchase') AS level
  FROM {table} GROUP BY actor_id, channel)
ARRAY JOIN [1, 2, 3, 4] AS k
GROUP BY channel, k ORDER BY channel, k
