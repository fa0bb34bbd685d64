-- The same rows as PostgreSQL's {table}, from its COPY export; stored the way
-- ClickHouse is meant to be used for this: MergeTree ordered by actor and time.
CREATE TABLE {table} (actor_id UInt64, t UInt64, event LowCardinality(String), channel LowCardinality(String))
ENGINE = MergeTree ORDER BY (actor_id, t);
INSERT INTO {table} SELECT actor_id, t, event, channel
FROM file('{file}', 'TabSeparated', 'actor_id UInt64, t UInt64, event String, channel String');
OPTIMIZE TABLE {table} FINAL;
