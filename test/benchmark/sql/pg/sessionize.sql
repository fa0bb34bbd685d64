-- Session numbers (30 minutes of inactivity) for every row, with pg_funnel.
SELECT count(*) AS rows, sum(session) AS checksum FROM (
  SELECT sessionize(ts, interval '30 minutes') OVER (PARTITION BY actor_id ORDER BY ts) AS session
  FROM {table}) s;
