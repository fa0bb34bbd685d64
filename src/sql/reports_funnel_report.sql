-- funnel_report_stages: the dropoff_by_stage report (funnel_stage[]) from the
-- actors-per-level array funnel_report returns, with the same formulas
-- (docs/reports.md); the time columns are NULL. Flat form:
-- dropoff_rows(funnel_report_stages(report)). After reports.sql (funnel_stage).
CREATE FUNCTION funnel_report_stages(report bigint[])
RETURNS funnel_stage[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
    SELECT pg_catalog.array_agg(CAST(ROW(
               r.level,
               r.reached,
               CASE WHEN r.level < r.n THEN r.actors ELSE 0 END,
               CASE WHEN r.first > 0 THEN CAST(r.reached AS float8) / CAST(r.first AS float8) END,
               CASE WHEN r.level = 1 THEN CASE WHEN r.first > 0 THEN CAST(1 AS float8) END
                    WHEN r.previous > 0 THEN CAST(r.reached AS float8) / CAST(r.previous AS float8) END,
               CASE WHEN r.reached > 0
                    THEN CAST(CASE WHEN r.level < r.n THEN r.actors ELSE 0 END AS float8) / CAST(r.reached AS float8) END,
               CAST(NULL AS interval),
               CAST(NULL AS interval)) AS funnel_stage) ORDER BY r.level)
      FROM (SELECT f.level, f.actors, f.reached,
                   max(f.level) OVER () AS n,
                   max(f.reached) FILTER (WHERE f.level = 1) OVER () AS first,
                   lag(f.reached) OVER (ORDER BY f.level) AS previous
              FROM funnel_report_rows(report) AS f) AS r
     WHERE r.level >= 1;
END;
