-- Where the time goes (1/2): the floor plus reading the time column into a
-- per-actor aggregate (max(ts) is a by-value transition, no allocation).
SELECT count(*) FROM (SELECT actor_id, max(ts) FROM {table} GROUP BY actor_id) s;
