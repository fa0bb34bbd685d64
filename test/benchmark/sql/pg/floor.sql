-- The floor: read every row and group it by actor, nothing else. No funnel
-- query over all actors can be cheaper in PostgreSQL.
SELECT count(*) FROM (SELECT actor_id, count(*) FROM {table} GROUP BY actor_id) s;
