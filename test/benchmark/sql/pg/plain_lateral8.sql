-- funnel8.sql in plain SQL with LATERAL joins (see plain_lateral4.sql): seven
-- index probes per page_view event.
WITH attempts AS (
  SELECT s1.actor_id,
         CASE WHEN s8.t IS NOT NULL THEN 8 WHEN s7.t IS NOT NULL THEN 7 WHEN s6.t IS NOT NULL THEN 6
              WHEN s5.t IS NOT NULL THEN 5 WHEN s4.t IS NOT NULL THEN 4 WHEN s3.t IS NOT NULL THEN 3
              WHEN s2.t IS NOT NULL THEN 2 ELSE 1 END AS level
  FROM {table} s1
  LEFT JOIN LATERAL (SELECT e.ts AS t FROM {table} e
                     WHERE e.actor_id = s1.actor_id AND e.event = 'product_view'
                       AND e.ts >= s1.ts AND e.ts <= s1.ts + interval '7 days' ORDER BY e.ts LIMIT 1) s2 ON true
  LEFT JOIN LATERAL (SELECT e.ts AS t FROM {table} e
                     WHERE e.actor_id = s1.actor_id AND e.event = 'add_to_cart'
                       AND e.ts >= s2.t AND e.ts <= s1.ts + interval '7 days' ORDER BY e.ts LIMIT 1) s3 ON true
  LEFT JOIN LATERAL (SELECT e.ts AS t FROM {table} e
                     WHERE e.actor_id = s1.actor_id AND e.event = 'begin_checkout'
                       AND e.ts >= s3.t AND e.ts <= s1.ts + interval '7 days' ORDER BY e.ts LIMIT 1) s4 ON true
  LEFT JOIN LATERAL (SELECT e.ts AS t FROM {table} e
                     WHERE e.actor_id = s1.actor_id AND e.event = 'purchase'
                       AND e.ts >= s4.t AND e.ts <= s1.ts + interval '7 days' ORDER BY e.ts LIMIT 1) s5 ON true
  LEFT JOIN LATERAL (SELECT e.ts AS t FROM {table} e
                     WHERE e.actor_id = s1.actor_id AND e.event = 'product_view'
                       AND e.ts >= s5.t AND e.ts <= s1.ts + interval '7 days' ORDER BY e.ts LIMIT 1) s6 ON true
  LEFT JOIN LATERAL (SELECT e.ts AS t FROM {table} e
                     WHERE e.actor_id = s1.actor_id AND e.event = 'add_to_cart'
                       AND e.ts >= s6.t AND e.ts <= s1.ts + interval '7 days' ORDER BY e.ts LIMIT 1) s7 ON true
  LEFT JOIN LATERAL (SELECT e.ts AS t FROM {table} e
                     WHERE e.actor_id = s1.actor_id AND e.event = 'purchase'
                       AND e.ts >= s7.t AND e.ts <= s1.ts + interval '7 days' ORDER BY e.ts LIMIT 1) s8 ON true
  WHERE s1.event = 'page_view'),
levels AS (SELECT level, count(*) AS actors
           FROM (SELECT actor_id, max(level) AS level FROM attempts GROUP BY actor_id) per_actor GROUP BY level)
SELECT level, actors FROM levels
UNION ALL
SELECT 0, (SELECT count(*) FROM (SELECT actor_id FROM {table} GROUP BY actor_id) a)
          - (SELECT coalesce(sum(actors), 0) FROM levels)
ORDER BY level;
