-- sequence_match / sequence_count / sequence_match_times (ClickHouse sequenceMatch,
-- sequenceCount, sequenceMatchEvents): one overload per time type. One C transition
-- function serves them all (the state is the event buffer plus the pattern text);
-- the final function decides the result. Semantics: docs/journeys.md.

CREATE FUNCTION sequence_sfunc(internal, text, timestamptz, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sequence_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_sfunc(internal, text, timestamp, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sequence_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_sfunc(internal, text, date, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sequence_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_sfunc(internal, text, bigint, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'sequence_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sequence_match_ffunc(internal) RETURNS boolean
    AS 'MODULE_PATHNAME', 'sequence_match_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_count_ffunc(internal) RETURNS bigint
    AS 'MODULE_PATHNAME', 'sequence_count_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_match_times_tstz_ffunc(internal) RETURNS timestamptz[]
    AS 'MODULE_PATHNAME', 'sequence_match_times_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_match_times_ts_ffunc(internal) RETURNS timestamp[]
    AS 'MODULE_PATHNAME', 'sequence_match_times_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_match_times_date_ffunc(internal) RETURNS date[]
    AS 'MODULE_PATHNAME', 'sequence_match_times_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_match_times_int8_ffunc(internal) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'sequence_match_times_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sequence_state_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'sequence_state_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION sequence_state_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'sequence_state_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION sequence_state_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'sequence_state_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts timestamptz, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_match_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_count(pattern text, ts timestamptz, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_count_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match_times(pattern text, ts timestamptz, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_match_times_tstz_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match(pattern text, ts timestamp, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_match_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_count(pattern text, ts timestamp, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_count_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match_times(pattern text, ts timestamp, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_match_times_ts_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match(pattern text, ts date, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_match_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_count(pattern text, ts date, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_count_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match_times(pattern text, ts date, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_match_times_date_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match(pattern text, ts bigint, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_match_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_count(pattern text, ts bigint, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_count_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE sequence_match_times(pattern text, ts bigint, VARIADIC conds "any") (
    SFUNC = sequence_sfunc,
    FINALFUNC = sequence_match_times_int8_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = sequence_state_combine,
    SERIALFUNC = sequence_state_serialize,
    DESERIALFUNC = sequence_state_deserialize,
    PARALLEL = SAFE
);
