-- ClickHouse's own floor: group the rows by actor, nothing else.
SELECT count() FROM (SELECT actor_id, count() FROM {table} GROUP BY actor_id)
