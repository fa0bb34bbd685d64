-- time_between(ts, from_step, to_step): first `from` to the first `to` at or after it.
CREATE FUNCTION time_between_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'time_between_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_between_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'time_between_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION time_between_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'time_between_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION time_between_sfunc(internal, timestamptz, boolean, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'time_between_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_between_tstz_ffunc(internal) RETURNS interval
    AS 'MODULE_PATHNAME', 'time_between_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE time_between(timestamptz, boolean, boolean) (
    SFUNC = time_between_sfunc,
    FINALFUNC = time_between_tstz_ffunc,
    STYPE = internal,
    SSPACE = 96,
    COMBINEFUNC = time_between_combine,
    SERIALFUNC = time_between_serialize,
    DESERIALFUNC = time_between_deserialize,
    PARALLEL = SAFE
);

CREATE FUNCTION time_between_sfunc(internal, timestamp, boolean, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'time_between_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_between_ts_ffunc(internal) RETURNS interval
    AS 'MODULE_PATHNAME', 'time_between_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE time_between(timestamp, boolean, boolean) (
    SFUNC = time_between_sfunc,
    FINALFUNC = time_between_ts_ffunc,
    STYPE = internal,
    SSPACE = 96,
    COMBINEFUNC = time_between_combine,
    SERIALFUNC = time_between_serialize,
    DESERIALFUNC = time_between_deserialize,
    PARALLEL = SAFE
);

CREATE FUNCTION time_between_sfunc(internal, date, boolean, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'time_between_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_between_date_ffunc(internal) RETURNS interval
    AS 'MODULE_PATHNAME', 'time_between_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE time_between(date, boolean, boolean) (
    SFUNC = time_between_sfunc,
    FINALFUNC = time_between_date_ffunc,
    STYPE = internal,
    SSPACE = 96,
    COMBINEFUNC = time_between_combine,
    SERIALFUNC = time_between_serialize,
    DESERIALFUNC = time_between_deserialize,
    PARALLEL = SAFE
);

CREATE FUNCTION time_between_sfunc(internal, bigint, boolean, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'time_between_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION time_between_int8_ffunc(internal) RETURNS bigint
    AS 'MODULE_PATHNAME', 'time_between_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE AGGREGATE time_between(bigint, boolean, boolean) (
    SFUNC = time_between_sfunc,
    FINALFUNC = time_between_int8_ffunc,
    STYPE = internal,
    SSPACE = 96,
    COMBINEFUNC = time_between_combine,
    SERIALFUNC = time_between_serialize,
    DESERIALFUNC = time_between_deserialize,
    PARALLEL = SAFE
);
