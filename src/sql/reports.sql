-- dropoff_by_stage: per-stage actor counts, conversion and drop-off, from one
-- funnel level (int) or one funnel_times array per actor. Formulas: docs/reports.md.

CREATE TYPE funnel_stage AS (
    stage int,
    actors bigint,
    dropped bigint,
    conversion_from_start float8,
    conversion_from_previous float8,
    dropoff_rate float8,
    avg_time_from_previous interval,
    median_time_from_previous interval
);

-- The same for bigint times: durations are numbers in the unit of the times.
CREATE TYPE funnel_stage_bigint AS (
    stage int,
    actors bigint,
    dropped bigint,
    conversion_from_start float8,
    conversion_from_previous float8,
    dropoff_rate float8,
    avg_time_from_previous float8,
    median_time_from_previous float8
);

CREATE FUNCTION dropoff_levels_sfunc(internal, int, int) RETURNS internal
    AS 'MODULE_PATHNAME', 'dropoff_levels_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dropoff_times_sfunc(internal, timestamptz[], int) RETURNS internal
    AS 'MODULE_PATHNAME', 'dropoff_times_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dropoff_times_sfunc(internal, timestamp[], int) RETURNS internal
    AS 'MODULE_PATHNAME', 'dropoff_times_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dropoff_times_sfunc(internal, date[], int) RETURNS internal
    AS 'MODULE_PATHNAME', 'dropoff_times_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dropoff_times_sfunc(internal, bigint[], int) RETURNS internal
    AS 'MODULE_PATHNAME', 'dropoff_times_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION dropoff_by_stage_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'dropoff_by_stage_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dropoff_by_stage_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'dropoff_by_stage_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dropoff_by_stage_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'dropoff_by_stage_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION dropoff_by_stage_ffunc(internal) RETURNS funnel_stage[]
    AS 'MODULE_PATHNAME', 'dropoff_by_stage_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dropoff_by_stage_bigint_ffunc(internal) RETURNS funnel_stage_bigint[]
    AS 'MODULE_PATHNAME', 'dropoff_by_stage_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE dropoff_by_stage(level int, n_steps int) (
    SFUNC = dropoff_levels_sfunc,
    STYPE = internal,
    FINALFUNC = dropoff_by_stage_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = dropoff_by_stage_combine,
    SERIALFUNC = dropoff_by_stage_serialize,
    DESERIALFUNC = dropoff_by_stage_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE dropoff_by_stage(times timestamptz[], n_steps int) (
    SFUNC = dropoff_times_sfunc,
    STYPE = internal,
    FINALFUNC = dropoff_by_stage_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = dropoff_by_stage_combine,
    SERIALFUNC = dropoff_by_stage_serialize,
    DESERIALFUNC = dropoff_by_stage_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE dropoff_by_stage(times timestamp[], n_steps int) (
    SFUNC = dropoff_times_sfunc,
    STYPE = internal,
    FINALFUNC = dropoff_by_stage_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = dropoff_by_stage_combine,
    SERIALFUNC = dropoff_by_stage_serialize,
    DESERIALFUNC = dropoff_by_stage_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE dropoff_by_stage(times date[], n_steps int) (
    SFUNC = dropoff_times_sfunc,
    STYPE = internal,
    FINALFUNC = dropoff_by_stage_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = dropoff_by_stage_combine,
    SERIALFUNC = dropoff_by_stage_serialize,
    DESERIALFUNC = dropoff_by_stage_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE dropoff_by_stage(times bigint[], n_steps int) (
    SFUNC = dropoff_times_sfunc,
    STYPE = internal,
    FINALFUNC = dropoff_by_stage_bigint_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = dropoff_by_stage_combine,
    SERIALFUNC = dropoff_by_stage_serialize,
    DESERIALFUNC = dropoff_by_stage_deserialize,
    PARALLEL = SAFE
);

-- Flat form for BI tools: one row per stage, scalar columns only, durations also
-- as seconds (float8).
CREATE FUNCTION dropoff_rows(stages funnel_stage[])
RETURNS TABLE (
    stage int,
    actors bigint,
    dropped bigint,
    conversion_from_start float8,
    conversion_from_previous float8,
    dropoff_rate float8,
    avg_time_from_previous interval,
    median_time_from_previous interval,
    avg_seconds_from_previous float8,
    median_seconds_from_previous float8
)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT s.stage, s.actors, s.dropped, s.conversion_from_start, s.conversion_from_previous, s.dropoff_rate,
           s.avg_time_from_previous, s.median_time_from_previous,
           CAST(extract(epoch FROM s.avg_time_from_previous) AS float8),
           CAST(extract(epoch FROM s.median_time_from_previous) AS float8)
      FROM pg_catalog.unnest(stages) AS s
     ORDER BY s.stage;
END;

CREATE FUNCTION dropoff_rows(stages funnel_stage_bigint[])
RETURNS SETOF funnel_stage_bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT s.stage, s.actors, s.dropped, s.conversion_from_start, s.conversion_from_previous, s.dropoff_rate,
           s.avg_time_from_previous, s.median_time_from_previous
      FROM pg_catalog.unnest(stages) AS s
     ORDER BY s.stage;
END;
