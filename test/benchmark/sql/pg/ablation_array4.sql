-- Where the time goes (2/2): the floor plus what funnel_steps' arguments cost
-- before its transition function runs: four text comparisons and the VARIADIC
-- boolean[] built for every row (count(x) only tests x for NULL).
SELECT count(*) FROM (
  SELECT actor_id, max(ts), count(ARRAY[event = 'product_view', event = 'add_to_cart',
                                         event = 'begin_checkout', event = 'purchase'])
  FROM {table} GROUP BY actor_id) s;
