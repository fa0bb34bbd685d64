-- micro_value, micro_stats, micro_correlations: what a micro-conversion is worth
-- and how strongly it goes with the macro conversion. One row per actor in.
-- Formulas and zero-cell behaviour: docs/reports.md.

CREATE TYPE micro_stats AS (
    a bigint,                     -- micro and macro
    b bigint,                     -- micro, no macro
    c bigint,                     -- macro, no micro
    d bigint,                     -- neither
    n bigint,
    rate_with_micro float8,
    rate_without_micro float8,
    overall_rate float8,
    lift float8,
    relative_risk float8,
    odds_ratio float8,
    odds_ratio_low float8,
    odds_ratio_high float8,
    odds_ratio_corrected boolean,
    phi float8,
    chi_square float8,
    p_value float8,
    p_test text,
    min_expected float8,
    low_expected boolean,
    avg_macro_value numeric,
    value numeric,
    incremental_value numeric
);

CREATE TYPE micro_correlation AS (
    rank int,
    event text,
    a bigint,
    b bigint,
    c bigint,
    d bigint,
    n bigint,
    rate_with_micro float8,
    rate_without_micro float8,
    overall_rate float8,
    lift float8,
    relative_risk float8,
    odds_ratio float8,
    odds_ratio_low float8,
    odds_ratio_high float8,
    odds_ratio_corrected boolean,
    phi float8,
    chi_square float8,
    p_value float8,
    p_test text,
    min_expected float8,
    low_expected boolean,
    q_value float8,
    value numeric,
    incremental_value numeric
);

-- micro_stats / micro_value
CREATE FUNCTION micro_sfunc(internal, boolean, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'micro_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION micro_sfunc(internal, boolean, boolean, numeric) RETURNS internal
    AS 'MODULE_PATHNAME', 'micro_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION micro_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'micro_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION micro_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'micro_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION micro_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'micro_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION micro_value_ffunc(internal) RETURNS numeric
    AS 'MODULE_PATHNAME', 'micro_value_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION micro_stats_ffunc(internal) RETURNS micro_stats
    AS 'MODULE_PATHNAME', 'micro_stats_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE micro_value(micro boolean, macro boolean, macro_value numeric) (
    SFUNC = micro_sfunc,
    STYPE = internal,
    FINALFUNC = micro_value_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = micro_combine,
    SERIALFUNC = micro_serialize,
    DESERIALFUNC = micro_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE micro_stats(micro boolean, macro boolean) (
    SFUNC = micro_sfunc,
    STYPE = internal,
    FINALFUNC = micro_stats_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = micro_combine,
    SERIALFUNC = micro_serialize,
    DESERIALFUNC = micro_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE micro_stats(micro boolean, macro boolean, macro_value numeric) (
    SFUNC = micro_sfunc,
    STYPE = internal,
    FINALFUNC = micro_stats_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = micro_combine,
    SERIALFUNC = micro_serialize,
    DESERIALFUNC = micro_deserialize,
    PARALLEL = SAFE
);

-- micro_correlations
CREATE FUNCTION micro_correlations_sfunc(internal, text[], boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'micro_correlations_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION micro_correlations_sfunc(internal, text[], boolean, bigint) RETURNS internal
    AS 'MODULE_PATHNAME', 'micro_correlations_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION micro_correlations_sfunc(internal, text[], boolean, numeric, bigint) RETURNS internal
    AS 'MODULE_PATHNAME', 'micro_correlations_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION micro_correlations_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'micro_correlations_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION micro_correlations_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'micro_correlations_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION micro_correlations_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'micro_correlations_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION micro_correlations_ffunc(internal) RETURNS micro_correlation[]
    AS 'MODULE_PATHNAME', 'micro_correlations_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- Aggregates cannot have argument defaults: the two-argument form uses the
-- default support rule, min(25, ceil(2% of the actors)).
CREATE AGGREGATE micro_correlations(events text[], macro boolean) (
    SFUNC = micro_correlations_sfunc,
    STYPE = internal,
    FINALFUNC = micro_correlations_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = micro_correlations_combine,
    SERIALFUNC = micro_correlations_serialize,
    DESERIALFUNC = micro_correlations_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE micro_correlations(events text[], macro boolean, min_support bigint) (
    SFUNC = micro_correlations_sfunc,
    STYPE = internal,
    FINALFUNC = micro_correlations_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = micro_correlations_combine,
    SERIALFUNC = micro_correlations_serialize,
    DESERIALFUNC = micro_correlations_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE micro_correlations(events text[], macro boolean, macro_value numeric, min_support bigint) (
    SFUNC = micro_correlations_sfunc,
    STYPE = internal,
    FINALFUNC = micro_correlations_ffunc,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = micro_correlations_combine,
    SERIALFUNC = micro_correlations_serialize,
    DESERIALFUNC = micro_correlations_deserialize,
    PARALLEL = SAFE
);

-- Flat form for BI tools: one row per event, in rank order.
CREATE FUNCTION micro_correlation_rows(correlations micro_correlation[])
RETURNS SETOF micro_correlation
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT s.rank, s.event, s.a, s.b, s.c, s.d, s.n, s.rate_with_micro, s.rate_without_micro, s.overall_rate,
           s.lift, s.relative_risk, s.odds_ratio, s.odds_ratio_low, s.odds_ratio_high, s.odds_ratio_corrected,
           s.phi, s.chi_square, s.p_value, s.p_test, s.min_expected, s.low_expected, s.q_value, s.value,
           s.incremental_value
      FROM pg_catalog.unnest(correlations) AS s
     ORDER BY s.rank;
END;
