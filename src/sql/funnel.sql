-- funnel_steps / funnel_times: one overload per time type, with and without modes.
-- One C transition function serves them all; the final function decides the result.
-- SSPACE: the planner's per-group estimate for hash aggregation (the default
-- assumes 8 kB): the 128-byte state (room for 4 events) with its chunk header,
-- plus the first grown buffer of an actor with a few more events.

CREATE FUNCTION funnel_sfunc(internal, timestamptz, interval, VARIADIC boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_sfunc(internal, timestamptz, interval, text, VARIADIC boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_sfunc(internal, timestamp, interval, VARIADIC boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_sfunc(internal, timestamp, interval, text, VARIADIC boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_sfunc(internal, date, interval, VARIADIC boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_sfunc(internal, date, interval, text, VARIADIC boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_sfunc(internal, bigint, bigint, VARIADIC boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_sfunc(internal, bigint, bigint, text, VARIADIC boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_steps_ffunc(internal) RETURNS integer
    AS 'MODULE_PATHNAME', 'funnel_steps_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_times_tstz_ffunc(internal) RETURNS timestamptz[]
    AS 'MODULE_PATHNAME', 'funnel_times_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_times_ts_ffunc(internal) RETURNS timestamp[]
    AS 'MODULE_PATHNAME', 'funnel_times_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_times_date_ffunc(internal) RETURNS date[]
    AS 'MODULE_PATHNAME', 'funnel_times_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_times_int8_ffunc(internal) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'funnel_times_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE funnel_steps(timestamptz, interval, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamptz, interval, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_tstz_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(timestamptz, interval, text, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamptz, interval, text, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_tstz_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(timestamp, interval, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamp, interval, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_ts_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(timestamp, interval, text, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamp, interval, text, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_ts_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(date, interval, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(date, interval, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_date_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(date, interval, text, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(date, interval, text, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_date_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(bigint, bigint, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(bigint, bigint, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_int8_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(bigint, bigint, text, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(bigint, bigint, text, VARIADIC boolean[]) (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_int8_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

-- The event-name form: funnel_steps / funnel_times(ts, window, [modes,] event, steps text[]).
-- Step i matches the rows whose event equals steps[i]; the same state and final
-- functions as the boolean form.
CREATE FUNCTION funnel_names_sfunc(internal, timestamptz, interval, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_names_sfunc(internal, timestamptz, interval, text, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_names_sfunc(internal, timestamp, interval, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_names_sfunc(internal, timestamp, interval, text, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_names_sfunc(internal, date, interval, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_names_sfunc(internal, date, interval, text, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_names_sfunc(internal, bigint, bigint, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_names_sfunc(internal, bigint, bigint, text, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE funnel_steps(timestamptz, interval, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamptz, interval, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_times_tstz_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(timestamptz, interval, text, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamptz, interval, text, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_times_tstz_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(timestamp, interval, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamp, interval, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_times_ts_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(timestamp, interval, text, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamp, interval, text, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_times_ts_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(date, interval, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(date, interval, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_times_date_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(date, interval, text, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(date, interval, text, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_times_date_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(bigint, bigint, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(bigint, bigint, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_times_int8_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(bigint, bigint, text, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(bigint, bigint, text, text, text[]) (
    SFUNC = funnel_names_sfunc,
    FINALFUNC = funnel_times_int8_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
