-- sequence_match.sql for ClickHouse: time in microseconds, so the 30-minute
-- condition is written in microseconds.
SELECT countIf(matched) AS matched, count() AS actors FROM (
  SELECT actor_id,
         sequenceMatch('(?1).*(?2)(?t<=1800000000)(?3)')(t, event = 'product_view', event = 'add_to_cart',
                                                          event = 'begin_checkout') AS matched
  FROM {table} GROUP BY actor_id)
