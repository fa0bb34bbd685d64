-- retention.sql for ClickHouse.
SELECT sum(r[1]) AS viewed, sum(r[2]) AS carted, sum(r[3]) AS bought FROM (
  SELECT actor_id, retention(event = 'product_view', event = 'add_to_cart', event = 'purchase') AS r
  FROM {table} GROUP BY actor_id)
