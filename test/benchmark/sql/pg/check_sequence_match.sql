-- Untimed answer check of sequence_match.sql on the actors without two rows at the
-- same time: ClickHouse orders rows of equal time arbitrarily (docs/journeys.md,
-- divergence 1), so only there are both answers defined the same way.
-- {table}_tied (made by tied.sql) lists the actors with such rows.
SELECT count(*) FILTER (WHERE matched) AS matched, count(*) AS actors FROM (
  SELECT actor_id,
         sequence_match('(?1).*(?2)(?t<=1800)(?3)', ts,
                        event = 'product_view', event = 'add_to_cart', event = 'begin_checkout') AS matched
  FROM {table} e
  WHERE NOT EXISTS (SELECT 1 FROM {table}_tied t WHERE t.actor_id = e.actor_id)
  GROUP BY actor_id) per_actor;
