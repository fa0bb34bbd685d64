-- The rows ClickHouse gets: time as integer microseconds since the epoch (exact),
-- tab-separated text (COPY's text format = ClickHouse's TabSeparated).
COPY (SELECT actor_id, (extract(epoch FROM ts) * 1000000)::bigint AS t, event, channel FROM {table})
TO '{file}';
