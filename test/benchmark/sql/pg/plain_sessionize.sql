-- Session numbers in plain SQL: a row starts a session if the gap to the previous
-- row is more than 30 minutes; the running sum of starts numbers them. Must give
-- the same checksum as sessionize.sql.
SELECT count(*) AS rows, sum(session) AS checksum FROM (
  SELECT sum(new_session) OVER (PARTITION BY actor_id ORDER BY ts ROWS UNBOUNDED PRECEDING) AS session
  FROM (SELECT actor_id, ts,
               CASE WHEN ts - lag(ts) OVER (PARTITION BY actor_id ORDER BY ts) <= interval '30 minutes'
                    THEN 0 ELSE 1 END AS new_session
        FROM {table}) g) s;
