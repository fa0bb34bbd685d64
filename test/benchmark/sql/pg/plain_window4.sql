-- The same report as funnel4.sql in plain SQL, with window functions: the
-- single-pass formulation. For every row, a_j = the latest chain start that
-- reaches step j at or before the row (later starts leave more of the window,
-- so the latest one is the best): one WindowAgg per step, all over one sort by
-- (actor_id, ts), of the rows that match some step. The default RANGE frame
-- includes rows of equal time, and a row may fill consecutive steps, exactly as
-- funnel_steps' chains. Actors with no matching row are level 0: the total
-- number of actors comes from one more pass over the table.
WITH e AS (
  SELECT actor_id, ts, event = 'product_view' AS c1, event = 'add_to_cart' AS c2,
         event = 'begin_checkout' AS c3, event = 'purchase' AS c4
  FROM {table} WHERE event IN ('product_view', 'add_to_cart', 'begin_checkout', 'purchase')),
w1 AS (SELECT *, max(CASE WHEN c1 THEN ts END) OVER w AS a1
       FROM e WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
w2 AS (SELECT *, max(CASE WHEN c2 AND ts - a1 <= interval '7 days' THEN a1 END) OVER w AS a2
       FROM w1 WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
w3 AS (SELECT *, max(CASE WHEN c3 AND ts - a2 <= interval '7 days' THEN a2 END) OVER w AS a3
       FROM w2 WINDOW w AS (PARTITION BY actor_id ORDER BY ts)),
per_actor AS (
  SELECT actor_id,
         max(CASE WHEN c4 AND ts - a3 <= interval '7 days' THEN 4
                  WHEN a3 IS NOT NULL THEN 3 WHEN a2 IS NOT NULL THEN 2 WHEN a1 IS NOT NULL THEN 1
                  ELSE 0 END) AS level
  FROM w3 GROUP BY actor_id),
levels AS (SELECT level, count(*) AS actors FROM per_actor WHERE level > 0 GROUP BY level)
SELECT level, actors FROM levels
UNION ALL
SELECT 0, (SELECT count(*) FROM (SELECT actor_id FROM {table} GROUP BY actor_id) a)
          - (SELECT coalesce(sum(actors), 0) FROM levels)
ORDER BY level;
