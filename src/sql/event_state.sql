-- Parallel support shared by the event-buffer aggregates (funnel_steps, funnel_times).
CREATE FUNCTION event_state_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'event_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION event_state_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'event_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION event_state_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'event_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
