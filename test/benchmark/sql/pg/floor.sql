-- The floor: read every row, count it into its actor's group, then count actors
-- per group size: the same plan shape as funnel4.sql (a hashed per-actor
-- aggregate under a hashed aggregate by result). Every aggregate's result is
-- used: PostgreSQL drops a subquery's unused output columns, aggregates included,
-- so `SELECT count(*) FROM (SELECT actor_id, count(*) ... GROUP BY actor_id)`
-- would only group. No funnel query over all actors can be cheaper here.
SELECT n, count(*) AS actors FROM (
  SELECT actor_id, count(*) AS n FROM {table} GROUP BY actor_id) per_actor
GROUP BY n ORDER BY n;
