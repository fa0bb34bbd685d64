-- check_sequence_match.sql for ClickHouse: the same tie-free actors, found here.
SELECT countIf(matched) AS matched, count() AS actors FROM (
  SELECT actor_id,
         sequenceMatch('(?1).*(?2)(?t<=1800000000)(?3)')(t, event = 'product_view', event = 'add_to_cart',
                                                          event = 'begin_checkout') AS matched
  FROM {table}
  WHERE actor_id NOT IN (SELECT actor_id FROM {table} GROUP BY actor_id HAVING count() > uniqExact(t))
  GROUP BY actor_id)
