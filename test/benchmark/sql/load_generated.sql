-- The realistic data set: generate_events (simulated shop, about 10 events per
-- actor, 28 days). {actors} and {table} are filled in by bench.mjs.
CREATE TABLE {table} AS
SELECT actor_id, ts, event, channel, device, campaign, session_no, product_id, revenue
FROM generate_events({actors}, 42);
