-- funnel8.sql in plain SQL with window functions (see plain_window4.sql).
-- Steps: page_view, product_view, add_to_cart, begin_checkout, purchase,
-- product_view, add_to_cart, purchase.
WITH e AS (
  SELECT actor_id, ts, event = 'page_view' AS c1, event = 'product_view' AS c2, event = 'add_to_cart' AS c3,
         event = 'begin_checkout' AS c4, event = 'purchase' AS c5
  FROM {table} WHERE event IN ('page_view', 'product_view', 'add_to_cart', 'begin_checkout', 'purchase')),
w1 AS (SELECT *, max(CASE WHEN c1 THEN ts END) OVER w AS a1
       FROM e WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
w2 AS (SELECT *, max(CASE WHEN c2 AND ts - a1 <= interval '7 days' THEN a1 END) OVER w AS a2
       FROM w1 WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
w3 AS (SELECT *, max(CASE WHEN c3 AND ts - a2 <= interval '7 days' THEN a2 END) OVER w AS a3
       FROM w2 WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
w4 AS (SELECT *, max(CASE WHEN c4 AND ts - a3 <= interval '7 days' THEN a3 END) OVER w AS a4
       FROM w3 WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
w5 AS (SELECT *, max(CASE WHEN c5 AND ts - a4 <= interval '7 days' THEN a4 END) OVER w AS a5
       FROM w4 WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
w6 AS (SELECT *, max(CASE WHEN c2 AND ts - a5 <= interval '7 days' THEN a5 END) OVER w AS a6
       FROM w5 WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
w7 AS (SELECT *, max(CASE WHEN c3 AND ts - a6 <= interval '7 days' THEN a6 END) OVER w AS a7
       FROM w6 WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
per_actor AS (
  SELECT actor_id,
         max(CASE WHEN c5 AND ts - a7 <= interval '7 days' THEN 8
                  WHEN a7 IS NOT NULL THEN 7 WHEN a6 IS NOT NULL THEN 6 WHEN a5 IS NOT NULL THEN 5
                  WHEN a4 IS NOT NULL THEN 4 WHEN a3 IS NOT NULL THEN 3 WHEN a2 IS NOT NULL THEN 2
                  WHEN a1 IS NOT NULL THEN 1 ELSE 0 END) AS level
  FROM w7 GROUP BY actor_id),
levels AS (SELECT level, count(*) AS actors FROM per_actor WHERE level > 0 GROUP BY level)
SELECT level, actors FROM levels
UNION ALL
SELECT 0, (SELECT count(*) FROM (SELECT actor_id FROM {table} GROUP BY actor_id) a)
          - (SELECT coalesce(sum(actors), 0) FROM levels)
ORDER BY level;
