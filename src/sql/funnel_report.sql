-- funnel_report: the funnel report (actors per level) in one aggregate over raw
-- events, without a per-actor GROUP BY: funnel_report(actor, ts, window, [modes,]
-- step conditions...) or funnel_report(actor, ts, window, [modes,] event, steps text[])
-- = the bigint[] r with bounds [0:n], r[L] = actors whose
-- funnel_steps level is exactly L. The actor may be bigint, integer, smallint,
-- text, varchar, uuid or bytea (exact keys). Semantics: docs/funnel.md.
-- The state is one buffer per group (events at 16 bytes each), so no SSPACE: a
-- report has few groups.

-- The steps are VARIADIC "any" (one argument per condition, no array built per
-- row); with modes the first step is typed boolean, and one step alone and a
-- boolean[] have overloads of their own (see funnel.sql).
CREATE FUNCTION funnel_report_sfunc(internal, anyelement, timestamptz, interval, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, timestamptz, interval, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, timestamptz, interval, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, timestamptz, interval, text, boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_sfunc(internal, anyelement, timestamp, interval, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, timestamp, interval, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, timestamp, interval, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, timestamp, interval, text, boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_sfunc(internal, anyelement, date, interval, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, date, interval, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, date, interval, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, date, interval, text, boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_sfunc(internal, anyelement, bigint, bigint, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, bigint, bigint, text, boolean) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, bigint, bigint, text, boolean, VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_modes_sfunc(internal, anyelement, bigint, bigint, text, boolean[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_modes_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

-- The event-name form: funnel_report(actor, ts, window, [modes,] event, steps text[]),
-- step i matches the rows whose event equals steps[i] (no boolean per step).
CREATE FUNCTION funnel_report_names_sfunc(internal, anyelement, timestamptz, interval, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_names_sfunc(internal, anyelement, timestamptz, interval, text, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_names_sfunc(internal, anyelement, timestamp, interval, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_names_sfunc(internal, anyelement, timestamp, interval, text, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_names_sfunc(internal, anyelement, date, interval, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_names_sfunc(internal, anyelement, date, interval, text, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_names_sfunc(internal, anyelement, bigint, bigint, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_names_sfunc(internal, anyelement, bigint, bigint, text, text, text[]) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_names_sfunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_report_ffunc(internal) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'funnel_report_ffunc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION funnel_report_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'funnel_report_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION funnel_report_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'funnel_report_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE AGGREGATE funnel_report(actor anyelement, ts timestamptz, "window" interval, VARIADIC steps "any") (
    SFUNC = funnel_report_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamptz, "window" interval, modes text, step boolean) (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamptz, "window" interval, modes text, step1 boolean, VARIADIC steps "any") (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamptz, "window" interval, modes text, steps boolean[]) (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamp, "window" interval, VARIADIC steps "any") (
    SFUNC = funnel_report_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamp, "window" interval, modes text, step boolean) (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamp, "window" interval, modes text, step1 boolean, VARIADIC steps "any") (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamp, "window" interval, modes text, steps boolean[]) (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts date, "window" interval, VARIADIC steps "any") (
    SFUNC = funnel_report_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts date, "window" interval, modes text, step boolean) (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts date, "window" interval, modes text, step1 boolean, VARIADIC steps "any") (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts date, "window" interval, modes text, steps boolean[]) (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts bigint, "window" bigint, VARIADIC steps "any") (
    SFUNC = funnel_report_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts bigint, "window" bigint, modes text, step boolean) (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts bigint, "window" bigint, modes text, step1 boolean, VARIADIC steps "any") (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts bigint, "window" bigint, modes text, steps boolean[]) (
    SFUNC = funnel_report_modes_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamptz, "window" interval, event text, steps text[]) (
    SFUNC = funnel_report_names_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamptz, "window" interval, modes text, event text, steps text[]) (
    SFUNC = funnel_report_names_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamp, "window" interval, event text, steps text[]) (
    SFUNC = funnel_report_names_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts timestamp, "window" interval, modes text, event text, steps text[]) (
    SFUNC = funnel_report_names_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts date, "window" interval, event text, steps text[]) (
    SFUNC = funnel_report_names_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts date, "window" interval, modes text, event text, steps text[]) (
    SFUNC = funnel_report_names_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts bigint, "window" bigint, event text, steps text[]) (
    SFUNC = funnel_report_names_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE funnel_report(actor anyelement, ts bigint, "window" bigint, modes text, event text, steps text[]) (
    SFUNC = funnel_report_names_sfunc,
    STYPE = internal,
    FINALFUNC = funnel_report_ffunc,
    COMBINEFUNC = funnel_report_combine,
    SERIALFUNC = funnel_report_serialize,
    DESERIALFUNC = funnel_report_deserialize,
    PARALLEL = SAFE
);

CREATE FUNCTION funnel_report_check(report bigint[]) RETURNS bigint[]
    AS 'MODULE_PATHNAME', 'funnel_report_check' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- Flat form for BI tools: one row per level 0..n, scalar columns only.
--   level    the funnel level L
--   actors   actors whose deepest level is exactly L (r[L])
--   reached  actors whose level is at least L (for L >= 1: actors who reached stage L)
CREATE FUNCTION funnel_report_rows(report bigint[])
RETURNS TABLE (level int, actors bigint, reached bigint)
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT CAST(u.ord - 1 AS int), u.n,
           CAST(sum(u.n) OVER (ORDER BY u.ord DESC) AS bigint)
      FROM pg_catalog.unnest(funnel_report_check(report)) WITH ORDINALITY AS u(n, ord)
     ORDER BY u.ord;
END;

