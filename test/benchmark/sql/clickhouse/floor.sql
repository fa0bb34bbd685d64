-- ClickHouse's own floor, the same query as PostgreSQL's: count each actor's
-- rows, then actors per count.
SELECT n, count() AS actors FROM (SELECT actor_id, count() AS n FROM {table} GROUP BY actor_id)
GROUP BY n ORDER BY n
