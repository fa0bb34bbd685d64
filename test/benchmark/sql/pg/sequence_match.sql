-- Actors who viewed a product, later added to cart, and began checkout at most
-- 30 minutes after that (ClickHouse sequenceMatch pattern language).
SELECT count(*) FILTER (WHERE matched) AS matched, count(*) AS actors FROM (
  SELECT actor_id,
         sequence_match('(?1).*(?2)(?t<=1800)(?3)', ts,
                        event = 'product_view', event = 'add_to_cart', event = 'begin_checkout') AS matched
  FROM {table} GROUP BY actor_id) per_actor;
