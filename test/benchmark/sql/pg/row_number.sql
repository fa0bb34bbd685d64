-- The floor of any per-row window function over actors: row_number() over the
-- same partition and order as sessionize.sql.
SELECT count(*) AS rows, sum(n) AS checksum FROM (
  SELECT row_number() OVER (PARTITION BY actor_id ORDER BY ts) AS n FROM {table}) s;
