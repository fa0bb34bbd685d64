-- What-if experiment, not part of pg_funnel: funnel_steps declared with SSPACE
-- (the planner's estimate of the transition state's size). Without it PostgreSQL
-- assumes 8 kB per group for an internal state, and hash aggregation then caps
-- the number of groups in memory at hash_mem / 8 kB (262144 groups with
-- work_mem = 1GB, hash_mem_multiplier = 2) and spills the rest to disk, however
-- little memory the states use. Same C functions as funnel_steps.
DROP AGGREGATE IF EXISTS bench_funnel_steps_sspace(timestamptz, interval, VARIADIC "any");
CREATE AGGREGATE bench_funnel_steps_sspace(timestamptz, interval, VARIADIC "any") (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 512,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
