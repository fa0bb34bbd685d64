-- sequence_next_node(direction, base, ts, value, base_cond [, VARIADIC steps])
-- (ClickHouse sequenceNextNode): one overload per time type, with steps and without
-- (no steps: the base row's own value, head and tail only). Semantics:
-- docs/journeys.md.

CREATE FUNCTION next_node_sfunc(internal, text, text, timestamptz, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION next_node_sfunc(internal, text, text, timestamptz, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION next_node_sfunc(internal, text, text, timestamp, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION next_node_sfunc(internal, text, text, timestamp, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION next_node_sfunc(internal, text, text, date, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION next_node_sfunc(internal, text, text, date, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION next_node_sfunc(internal, text, text, bigint, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION next_node_sfunc(internal, text, text, bigint, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION next_node_ffunc(internal) RETURNS text
    AS 'MODULE_PATHNAME', 'next_node_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION next_node_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION next_node_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'next_node_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION next_node_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'next_node_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE sequence_next_node(direction text, base text, ts timestamptz, value text, base_cond boolean, VARIADIC steps "any") (
    SFUNC = next_node_sfunc,
    FINALFUNC = next_node_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = next_node_combine,
    SERIALFUNC = next_node_serialize,
    DESERIALFUNC = next_node_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_next_node(direction text, base text, ts timestamptz, value text, base_cond boolean) (
    SFUNC = next_node_sfunc,
    FINALFUNC = next_node_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = next_node_combine,
    SERIALFUNC = next_node_serialize,
    DESERIALFUNC = next_node_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_next_node(direction text, base text, ts timestamp, value text, base_cond boolean, VARIADIC steps "any") (
    SFUNC = next_node_sfunc,
    FINALFUNC = next_node_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = next_node_combine,
    SERIALFUNC = next_node_serialize,
    DESERIALFUNC = next_node_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_next_node(direction text, base text, ts timestamp, value text, base_cond boolean) (
    SFUNC = next_node_sfunc,
    FINALFUNC = next_node_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = next_node_combine,
    SERIALFUNC = next_node_serialize,
    DESERIALFUNC = next_node_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_next_node(direction text, base text, ts date, value text, base_cond boolean, VARIADIC steps "any") (
    SFUNC = next_node_sfunc,
    FINALFUNC = next_node_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = next_node_combine,
    SERIALFUNC = next_node_serialize,
    DESERIALFUNC = next_node_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_next_node(direction text, base text, ts date, value text, base_cond boolean) (
    SFUNC = next_node_sfunc,
    FINALFUNC = next_node_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = next_node_combine,
    SERIALFUNC = next_node_serialize,
    DESERIALFUNC = next_node_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_next_node(direction text, base text, ts bigint, value text, base_cond boolean, VARIADIC steps "any") (
    SFUNC = next_node_sfunc,
    FINALFUNC = next_node_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = next_node_combine,
    SERIALFUNC = next_node_serialize,
    DESERIALFUNC = next_node_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_next_node(direction text, base text, ts bigint, value text, base_cond boolean) (
    SFUNC = next_node_sfunc,
    FINALFUNC = next_node_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = next_node_combine,
    SERIALFUNC = next_node_serialize,
    DESERIALFUNC = next_node_deserialize,
    PARALLEL = SAFE
);
