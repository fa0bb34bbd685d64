-- What a careful analyst creates before running funnel reports in plain SQL: one
-- index that answers "the first event E of actor A at or after time T" (the
-- LATERAL formulation probes it; index-only scans need the visibility map, hence
-- VACUUM). pg_funnel's queries, the floor and row_number() do not use it: bench.mjs
-- turns index scans off for them, so a funnel query and its floor share one plan shape.
CREATE INDEX {table}_actor_event_ts ON {table} (actor_id, event, ts);
VACUUM (ANALYZE) {table};
