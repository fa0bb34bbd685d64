-- Where the time goes (2/2): the floor plus what funnel_steps' arguments cost
-- before its transition function runs: four text comparisons and the VARIADIC
-- boolean[] built for every row (count(x) only tests x for NULL). The HAVING
-- uses both aggregates, so PostgreSQL cannot drop them.
SELECT n, count(*) AS actors FROM (
  SELECT actor_id, count(*) AS n FROM {table} GROUP BY actor_id
  HAVING max(ts) IS NOT NULL
     AND count(ARRAY[event = 'product_view', event = 'add_to_cart',
                     event = 'begin_checkout', event = 'purchase']) > 0) per_actor
GROUP BY n ORDER BY n;
