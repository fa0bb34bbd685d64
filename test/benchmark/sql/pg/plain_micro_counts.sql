-- The 2x2 tables behind micro_correlations.sql in plain SQL, without any
-- statistic: per event name, the actors who did it and bought (a) or did not buy
-- (b), bought without it (c), neither (d); events done by at least 25 actors.
WITH per_actor AS (SELECT actor_id, bool_or(event = 'purchase') AS bought FROM {table} GROUP BY actor_id),
totals AS (SELECT count(*) FILTER (WHERE bought) AS buyers, count(*) AS actors FROM per_actor),
did AS (SELECT DISTINCT actor_id, event FROM {table} WHERE event <> 'purchase'),
ab AS (SELECT did.event, count(*) FILTER (WHERE bought) AS a, count(*) FILTER (WHERE NOT bought) AS b
       FROM did JOIN per_actor USING (actor_id) GROUP BY did.event)
SELECT event, a, b, buyers - a AS c, actors - buyers - b AS d
FROM ab, totals WHERE a + b >= 25 ORDER BY event;
