-- Where the time goes (1/2): the floor plus reading the time column into a
-- per-actor aggregate (max(ts) is a by-value transition, no allocation). The
-- HAVING uses max(ts), so PostgreSQL cannot drop it.
SELECT n, count(*) AS actors FROM (
  SELECT actor_id, count(*) AS n FROM {table} GROUP BY actor_id HAVING max(ts) IS NOT NULL) per_actor
GROUP BY n ORDER BY n;
