-- Actors with two or more rows at the same time (untimed; used to compare answers
-- only where PostgreSQL and ClickHouse define them the same way).
DROP TABLE IF EXISTS {table}_tied;
CREATE TABLE {table}_tied AS
SELECT actor_id FROM {table} GROUP BY actor_id HAVING count(*) > count(DISTINCT ts);
ANALYZE {table}_tied;
