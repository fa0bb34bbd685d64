-- funnel_steps / funnel_times: one overload per time type, with and without modes.
-- One C transition function serves them all; the final function decides the result.
-- SSPACE: the planner's per-group estimate for hash aggregation (the default
-- assumes 8 kB): an actor's state of a few events (one chunk: a 24-byte header
-- and 9-16 bytes per event, core/packed_events.hpp) with its chunk header, and
-- room for actors with more.
--
-- The steps are VARIADIC "any", not VARIADIC boolean[]: PostgreSQL then passes each
-- condition as its own argument instead of building an array for every row, and
-- the transition function checks once per query that every condition is boolean.
-- With modes, the first step is typed boolean, so that a call of the event-name
-- form below (modes, event, steps text[]) can never resolve to this one; one step
-- alone, and a boolean[] (also with VARIADIC), have overloads of their own.

CREATE FUNCTION funnel_sfunc(internal, timestamptz, interval, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, timestamptz, interval, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, timestamptz, interval, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, timestamptz, interval, text, boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_sfunc(internal, timestamp, interval, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, timestamp, interval, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, timestamp, interval, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, timestamp, interval, text, boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_sfunc(internal, date, interval, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, date, interval, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, date, interval, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, date, interval, text, boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_sfunc(internal, bigint, bigint, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, bigint, bigint, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, bigint, bigint, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_modes_sfunc(internal, bigint, bigint, text, boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

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

CREATE AGGREGATE funnel_steps(timestamptz, interval, VARIADIC "any") (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamptz, interval, VARIADIC "any") (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_tstz_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(timestamptz, interval, text, boolean) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamptz, interval, text, boolean) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_tstz_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(timestamptz, interval, text, boolean, VARIADIC "any") (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamptz, interval, text, boolean, VARIADIC "any") (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_tstz_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(timestamptz, interval, text, boolean[]) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamptz, interval, text, boolean[]) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_tstz_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(timestamp, interval, VARIADIC "any") (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamp, interval, VARIADIC "any") (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_ts_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(timestamp, interval, text, boolean) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamp, interval, text, boolean) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_ts_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(timestamp, interval, text, boolean, VARIADIC "any") (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamp, interval, text, boolean, VARIADIC "any") (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_ts_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(timestamp, interval, text, boolean[]) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(timestamp, interval, text, boolean[]) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_ts_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(date, interval, VARIADIC "any") (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(date, interval, VARIADIC "any") (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_date_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(date, interval, text, boolean) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(date, interval, text, boolean) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_date_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(date, interval, text, boolean, VARIADIC "any") (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(date, interval, text, boolean, VARIADIC "any") (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_date_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(date, interval, text, boolean[]) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(date, interval, text, boolean[]) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_date_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_steps(bigint, bigint, VARIADIC "any") (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(bigint, bigint, VARIADIC "any") (
    SFUNC = funnel_sfunc,
    FINALFUNC = funnel_times_int8_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(bigint, bigint, text, boolean) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(bigint, bigint, text, boolean) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_int8_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(bigint, bigint, text, boolean, VARIADIC "any") (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(bigint, bigint, text, boolean, VARIADIC "any") (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_times_int8_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_steps(bigint, bigint, text, boolean[]) (
    SFUNC = funnel_modes_sfunc,
    FINALFUNC = funnel_steps_ffunc,
    STYPE = internal,
    SSPACE = 256,
    COMBINEFUNC = event_state_combine,
    SERIALFUNC = event_state_serialize,
    DESERIALFUNC = event_state_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_times(bigint, bigint, text, boolean[]) (
    SFUNC = funnel_modes_sfunc,
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
