-- One shard of the sharding test (test/sharding/run.sh).
-- psql variables: actors (how many actors generate_events makes), remainder (0 or 1).
-- The shard keeps exactly the actors that the coordinator's
-- PARTITION BY HASH (actor_id) ... (MODULUS 2, REMAINDER :remainder) routes to it:
-- the hash is computed here with the same built-in function the coordinator uses
-- (satisfies_hash_partition over a template table with the same key type).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION pg_funnel;

CREATE TABLE hash_template (actor_id bigint) PARTITION BY HASH (actor_id);

CREATE TABLE events AS
SELECT g.*
  FROM generate_events(:actors) g
 WHERE satisfies_hash_partition('hash_template'::regclass, 2, :remainder, g.actor_id);

DROP TABLE hash_template;
ANALYZE events;

-- A shard-side view: the coordinator reads it through a foreign table, so this
-- per-actor aggregate always runs here, whatever the coordinator's planner
-- decides. Used for a funnel with modes: a text constant argument (the modes)
-- keeps postgres_fdw (PG15) from shipping the aggregate call itself
-- (docs/sharding.md, "What is not pushed down").
CREATE VIEW actor_levels_strict AS
SELECT actor_id,
       funnel_steps(ts, interval '1 day', 'strict_order,allow_reentry',
                    event = 'page_view', event = 'product_view', event = 'add_to_cart',
                    event = 'begin_checkout', event = 'purchase') AS level
  FROM events
 GROUP BY actor_id;
