-- retention(): per actor, r[1] = viewed a product, r[i] = viewed a product and did
-- step i; summed over actors.
SELECT sum(r[1]::int) AS viewed, sum(r[2]::int) AS carted, sum(r[3]::int) AS bought FROM (
  SELECT actor_id, retention(event = 'product_view', event = 'add_to_cart', event = 'purchase') AS r
  FROM {table} GROUP BY actor_id) per_actor;
