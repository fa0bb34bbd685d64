-- retention.sql in plain SQL: bool_or per actor.
SELECT count(*) FILTER (WHERE v) AS viewed, count(*) FILTER (WHERE v AND c) AS carted,
       count(*) FILTER (WHERE v AND b) AS bought FROM (
  SELECT actor_id, bool_or(event = 'product_view') AS v, bool_or(event = 'add_to_cart') AS c,
         bool_or(event = 'purchase') AS b
  FROM {table} GROUP BY actor_id) per_actor;
