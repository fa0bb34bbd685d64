-- Coordinator of the sharding test (test/sharding/run.sh).
-- psql variables: actors, port1, port2 (the shards' ports on 127.0.0.1).
--
--   events         hash-partitioned by actor_id; both partitions are foreign
--                  tables on the shards, through servers that declare
--                  extensions 'pg_funnel' (so our aggregates may be shipped)
--   events_noext   the same partitions through servers WITHOUT the extensions
--                  option: nothing of pg_funnel is shipped
--   events_local   a plain local table with all the events, the single-node reference
--
-- Server options as docs/sharding.md recommends: extensions (our functions may
-- be shipped), fetch_size (rows per round trip), batch_size (rows per remote
-- INSERT), use_remote_estimate (the shards' own planners cost the grouped
-- query), fdw_tuple_cost 0.2 (PG17's default; PG15's 0.01 makes shipping every
-- raw row look almost free, and then the planner may prefer it to the
-- pushed-down aggregate), async_capable (the shards work at the same time). The coordinator's
-- foreign tables are deliberately not ANALYZEd (in PG15 that reads every remote
-- row); run.sh checks that the plans stay pushed down after ANALYZE too.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION pg_funnel;
CREATE EXTENSION postgres_fdw;

CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port :'port1', dbname 'postgres',
             extensions 'pg_funnel', fetch_size '10000', batch_size '1000',
             use_remote_estimate 'true', fdw_tuple_cost '0.2', async_capable 'true');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port :'port2', dbname 'postgres',
             extensions 'pg_funnel', fetch_size '10000', batch_size '1000',
             use_remote_estimate 'true', fdw_tuple_cost '0.2', async_capable 'true');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2 OPTIONS (user 'postgres');

CREATE TABLE events (
    actor_id bigint, ts timestamptz, event text, channel text, device text,
    campaign text, session_no integer, product_id integer, revenue numeric(12,2)
) PARTITION BY HASH (actor_id);
CREATE FOREIGN TABLE events_p0 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 0)
    SERVER shard1 OPTIONS (schema_name 'public', table_name 'events');
CREATE FOREIGN TABLE events_p1 PARTITION OF events FOR VALUES WITH (MODULUS 2, REMAINDER 1)
    SERVER shard2 OPTIONS (schema_name 'public', table_name 'events');

-- The same shards, but servers that do not list pg_funnel in `extensions`.
CREATE SERVER shard1_noext FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port :'port1', dbname 'postgres', fetch_size '10000',
             use_remote_estimate 'true', fdw_tuple_cost '0.2');
CREATE SERVER shard2_noext FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host '127.0.0.1', port :'port2', dbname 'postgres', fetch_size '10000',
             use_remote_estimate 'true', fdw_tuple_cost '0.2');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1_noext OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2_noext OPTIONS (user 'postgres');
CREATE TABLE events_noext (LIKE events) PARTITION BY HASH (actor_id);
CREATE FOREIGN TABLE events_noext_p0 PARTITION OF events_noext FOR VALUES WITH (MODULUS 2, REMAINDER 0)
    SERVER shard1_noext OPTIONS (schema_name 'public', table_name 'events');
CREATE FOREIGN TABLE events_noext_p1 PARTITION OF events_noext FOR VALUES WITH (MODULUS 2, REMAINDER 1)
    SERVER shard2_noext OPTIONS (schema_name 'public', table_name 'events');

-- Single-node reference: every event in one local table.
CREATE TABLE events_local AS SELECT * FROM generate_events(:actors);
ANALYZE events_local;

-- Per-actor results computed by views on the shards (shard.sql).
CREATE TABLE actor_levels_strict (actor_id bigint, level integer) PARTITION BY HASH (actor_id);
CREATE FOREIGN TABLE actor_levels_strict_p0 PARTITION OF actor_levels_strict
    FOR VALUES WITH (MODULUS 2, REMAINDER 0)
    SERVER shard1 OPTIONS (schema_name 'public', table_name 'actor_levels_strict');
CREATE FOREIGN TABLE actor_levels_strict_p1 PARTITION OF actor_levels_strict
    FOR VALUES WITH (MODULUS 2, REMAINDER 1)
    SERVER shard2 OPTIONS (schema_name 'public', table_name 'actor_levels_strict');
