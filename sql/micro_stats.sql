-- micro_stats, micro_value, micro_correlations: textbook values, hand-computed
-- zero-cell cases, and every field compared with a plain-SQL computation over the
-- same rows (count(*) FILTER ..., exact numerics, Fisher's test summed over all
-- tables with factorial()). Then every error path.
SET extra_float_digits = 0;

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- Both NULL, or equal within a relative tolerance.
CREATE FUNCTION pg_temp.close(x float8, y float8, tol float8 DEFAULT 1e-12) RETURNS boolean LANGUAGE sql AS $$
    SELECT (x IS NULL AND y IS NULL) OR abs(x - y) <= tol * greatest(1, abs(y))
$$;

-- The rows of a 2x2 table: a x (micro, macro), b x (micro, no macro), c x (macro only), d x neither.
CREATE FUNCTION pg_temp.tab(a int, b int, c int, d int) RETURNS TABLE (micro boolean, macro boolean) LANGUAGE sql AS $$
    SELECT true, true FROM generate_series(1, a)
    UNION ALL SELECT true, false FROM generate_series(1, b)
    UNION ALL SELECT false, true FROM generate_series(1, c)
    UNION ALL SELECT false, false FROM generate_series(1, d)
$$;

-- Two-sided Fisher exact p by brute force: the hypergeometric weights
-- C(r1, x) C(r2, c1 - x) of every table with the observed margins, in exact
-- numerics; sum those no larger than the observed one (relative tolerance 1e-7).
CREATE FUNCTION pg_temp.fisher(a bigint, b bigint, c bigint, d bigint) RETURNS float8 LANGUAGE sql AS $$
    WITH w AS (
        SELECT x, factorial(a + b) / (factorial(x) * factorial(a + b - x))
                  * (factorial(c + d) / (factorial(a + c - x) * factorial(c + d - a - c + x))) AS w
        FROM generate_series(greatest(0, a + c - (c + d)), least(a + b, a + c)) x
    )
    SELECT (sum(w) FILTER (WHERE w <= (SELECT w FROM w WHERE x = a) * 1.0000001) / sum(w))::float8 FROM w
$$;

----------------------------------------------------------------------------------
-- Textbook values.

-- Fisher's lady tasting tea: [[3,1],[1,3]], two-sided p = 34/70 = 0.4857.
SELECT s.a, s.b, s.c, s.d, round(s.p_value::numeric, 4) AS p, s.p_test, s.low_expected
FROM (SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(3, 1, 1, 3)) s;
-- [[1,9],[11,3]] (the dieting example): the smallest expected cell is 10 * 12 / 24 = 5,
-- not below 5, so the test is Pearson's: chi2 = 24 (3 - 99)^2 / (10 * 14 * 12 * 12)
-- = 10.971, p = 0.000925 (Fisher's exact p for it, 7462 / 2704156 = 0.002759, is
-- checked in test/unit/stats_test.cpp). The brute-force check below compares 40 Fisher p-values.
SELECT round(chi_square::numeric, 3) AS chi2, round(p_value::numeric, 6) AS p, p_test, min_expected
FROM (SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(1, 9, 11, 3)) s;
-- [[2,1],[1,2]] (one expected cell 1.5): margins 3/3/3, weights C(3,x) C(3,3-x) = 1, 9, 9, 1
-- over 20 for x = 0..3; observed x = 2 (9): every table counts, p = 1.
SELECT p_value, p_test FROM (SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(2, 1, 1, 2)) s;
-- [[0,5],[5,0]]: p = 2 / C(10,5) = 2/252 = 0.007937.
SELECT round(p_value::numeric, 6) AS p FROM (SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(0, 5, 5, 0)) s;
-- Pearson chi-square without continuity correction, [[20,10],[10,20]]: chi2 = 60 (400 - 100)^2 / 30^4
-- = 6.6667, p = erfc(sqrt(chi2 / 2)) = 0.009823; phi = 300 / 900 = 1/3; OR = 4 with 95% interval
-- 4 exp(-+1.959964 sqrt(0.3)) = [1.3672, 11.7026]; lift = (2/3) / (1/2) = 1.3333; RR = 2.
SELECT round(chi_square::numeric, 4) AS chi2, round(p_value::numeric, 6) AS p, p_test, round(phi::numeric, 6) AS phi,
       odds_ratio, round(odds_ratio_low::numeric, 4) AS or_low, round(odds_ratio_high::numeric, 4) AS or_high,
       round(lift::numeric, 6) AS lift, relative_risk, min_expected, low_expected
FROM (SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(20, 10, 10, 20)) s;

----------------------------------------------------------------------------------
-- Zero cells and tiny samples.

-- b = 0: Haldane-Anscombe, every cell + 0.5: OR = 5.5 * 3.5 / (0.5 * 2.5) = 15.4,
-- se = sqrt(1/5.5 + 1/0.5 + 1/2.5 + 1/3.5), interval [0.5573, 425.5274]. Expected cells
-- min 5 * 3 / 10 = 1.5 < 5 -> Fisher: margins 5/5/7, weights 10, 50, 50, 10 -> p = 20/120.
SELECT odds_ratio, odds_ratio_corrected, round(odds_ratio_low::numeric, 4) AS or_low,
       round(odds_ratio_high::numeric, 4) AS or_high, round(p_value::numeric, 6) AS p, p_test,
       relative_risk, round(lift::numeric, 6) AS lift
FROM (SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(5, 0, 2, 3)) s;
-- c = 0: nobody converts without the micro-conversion: RR = a/(a+b) / 0 is undefined (NULL).
SELECT rate_without_micro, relative_risk, lift, odds_ratio, odds_ratio_corrected
FROM (SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(4, 6, 0, 10)) s;
-- Nobody did the micro-conversion (an empty row): rate with micro, lift, RR, OR, phi are
-- NULL; Fisher's test has one possible table, p = 1.
SELECT a, b, c, d, rate_with_micro, round(rate_without_micro::numeric, 6) AS rate_without, lift, relative_risk,
       odds_ratio, odds_ratio_corrected, phi, chi_square, p_value, p_test, min_expected
FROM (SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(0, 0, 3, 4)) s;
-- Nobody converted (an empty column): rates 0, lift NULL (overall rate 0).
SELECT rate_with_micro, overall_rate, lift, relative_risk, odds_ratio, p_value
FROM (SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(0, 5, 0, 5)) s;
-- One actor.
SELECT (micro_stats(true, true)).*;
-- No rows: zero counts, every statistic NULL.
SELECT (micro_stats(micro, macro)).* FROM pg_temp.tab(1, 1, 1, 1) WHERE false;
-- NULL flags count as false.
SELECT (micro_stats(m, c)).a, (micro_stats(m, c)).d
FROM (VALUES (NULL::boolean, NULL::boolean), (true, NULL), (NULL, true), (true, true)) v(m, c);

----------------------------------------------------------------------------------
-- Value: P(macro | micro) x average macro value.

-- Actors: micro+macro worth 10 and 30, micro only, macro only worth 20, neither.
-- a = 2, b = 1, c = 1, d = 1; average value (10 + 30 + 20) / 3 = 20;
-- value = 2/3 x 20 = 13.33; incremental = (2/3 - 1/2) x 20 = 3.33.
CREATE TABLE v5 (micro boolean, macro boolean, val numeric);
INSERT INTO v5 VALUES (true, true, 10), (true, false, NULL), (false, true, 20), (false, false, NULL), (true, true, 30);
SELECT micro_value(micro, macro, val) FROM v5;
SELECT avg_macro_value, value, incremental_value FROM (SELECT (micro_stats(micro, macro, val)).* FROM v5) s;
-- A NULL value is left out of the average; a value on a row without the macro
-- conversion is ignored (even a negative one).
SELECT micro_value(micro, macro, val) FROM (SELECT * FROM v5 UNION ALL VALUES (false, true, NULL), (false, false, -5)) s;
-- No values at all, nobody with the micro-conversion, no rows: NULL.
SELECT micro_value(micro, macro, NULL) AS no_values FROM v5;
SELECT micro_value(false, macro, val) AS no_micro FROM v5;
SELECT micro_value(micro, macro, val) AS no_rows FROM v5 WHERE false;
-- micro_stats without values: the value columns are NULL.
SELECT avg_macro_value, value, incremental_value FROM (SELECT (micro_stats(micro, macro)).* FROM v5) s;

----------------------------------------------------------------------------------
-- Brute force: 600 actors with correlated flags, NULLs and values, each counted in a
-- large group (4 channels, mostly Pearson) and a small one (40 groups, mostly Fisher).
CREATE TABLE ma AS
SELECT actor,
       CASE WHEN actor % 17 = 0 THEN NULL ELSE (actor * 7) % 10 < 4 END AS micro,
       CASE WHEN actor % 19 = 0 THEN NULL
            WHEN (actor * 7) % 10 < 4 THEN (actor * 13) % 10 < 6
            ELSE (actor * 13) % 10 < 2 END AS macro,
       CASE WHEN actor % 6 = 0 THEN NULL ELSE ((actor * 31) % 200) + 0.25 * (actor % 4) END AS val
FROM generate_series(1, 600) actor;
CREATE TABLE mg AS
SELECT 'channel ' || (actor % 4) AS grp, micro, macro, val FROM ma
UNION ALL SELECT 'small ' || (actor % 40), micro, macro, val FROM ma;

WITH m AS (
    SELECT grp, micro_stats(micro, macro, val) AS s, micro_value(micro, macro, val) AS mv FROM mg GROUP BY grp
), t AS (
    SELECT grp,
           count(*) FILTER (WHERE coalesce(micro, false) AND coalesce(macro, false)) AS ta,
           count(*) FILTER (WHERE coalesce(micro, false) AND NOT coalesce(macro, false)) AS tb,
           count(*) FILTER (WHERE NOT coalesce(micro, false) AND coalesce(macro, false)) AS tc,
           count(*) FILTER (WHERE NOT coalesce(micro, false) AND NOT coalesce(macro, false)) AS td,
           count(val) FILTER (WHERE macro) AS nv, sum(val) FILTER (WHERE macro) AS sv, avg(val) FILTER (WHERE macro) AS av
    FROM mg GROUP BY grp
), x AS (
    SELECT (m.s).*, m.mv, t.*, t.ta + t.tb + t.tc + t.td AS tn,
           CASE WHEN least(t.ta, t.tb, t.tc, t.td) = 0 THEN 0.5 ELSE 0 END AS k,
           least(t.ta + t.tb, t.tc + t.td) * least(t.ta + t.tc, t.tb + t.td) = 0 AS empty_margin
    FROM m JOIN t USING (grp)
), b AS (
    SELECT x.*,
           CASE WHEN NOT empty_margin THEN ((ta + k) * (td + k))::float8 / ((tb + k) * (tc + k))::float8 END AS b_or,
           CASE WHEN NOT empty_margin THEN sqrt(1 / (ta + k)::float8 + 1 / (tb + k)::float8 + 1 / (tc + k)::float8 + 1 / (td + k)::float8) END AS b_se,
           CASE WHEN NOT empty_margin THEN (ta * td - tb * tc)::float8 / sqrt(((ta + tb) * (tc + td))::float8 * ((ta + tc) * (tb + td))::float8) END AS b_phi,
           least(ta + tb, tc + td)::float8 * least(ta + tc, tb + td)::float8 / tn::float8 AS b_min_expected
    FROM x
)
SELECT count(*) AS groups,
       count(*) FILTER (WHERE p_test = 'fisher') AS fisher_groups,
       count(*) FILTER (WHERE odds_ratio_corrected) AS corrected_groups,
       bool_and((a, b, c, d, n) = (ta, tb, tc, td, tn)) AS cells,
       bool_and(pg_temp.close(rate_with_micro, ta::float8 / nullif(ta + tb, 0)::float8)) AS rate_with,
       bool_and(pg_temp.close(rate_without_micro, tc::float8 / nullif(tc + td, 0)::float8)) AS rate_without,
       bool_and(pg_temp.close(overall_rate, (ta + tc)::float8 / tn::float8)) AS overall,
       bool_and(pg_temp.close(lift, (ta::float8 / nullif(ta + tb, 0)) / nullif((ta + tc)::float8 / tn, 0))) AS lift,
       bool_and(pg_temp.close(relative_risk, (ta::float8 / nullif(ta + tb, 0)) / nullif(tc::float8 / nullif(tc + td, 0), 0))) AS rr,
       bool_and(pg_temp.close(odds_ratio, b_or)) AS odds_ratio,
       bool_and(pg_temp.close(odds_ratio_low, exp(ln(b_or) - 1.959963984540054 * b_se))) AS or_low,
       bool_and(pg_temp.close(odds_ratio_high, exp(ln(b_or) + 1.959963984540054 * b_se))) AS or_high,
       bool_and(odds_ratio_corrected IS NOT DISTINCT FROM CASE WHEN NOT empty_margin THEN k > 0 END) AS corrected,
       bool_and(pg_temp.close(phi, b_phi)) AS phi,
       bool_and(pg_temp.close(chi_square, tn * b_phi * b_phi)) AS chi_square,
       bool_and(pg_temp.close(min_expected, b_min_expected) AND low_expected = (b_min_expected < 5)) AS expected,
       bool_and(p_test = CASE WHEN b_min_expected < 5 THEN 'fisher' ELSE 'chi_square' END) AS test_choice,
       bool_and(p_test <> 'fisher' OR pg_temp.close(p_value, pg_temp.fisher(ta, tb, tc, td), 1e-9)) AS fisher_p,
       bool_and(p_value BETWEEN 0 AND 1) AS p_range,
       bool_and(avg_macro_value IS NOT DISTINCT FROM av) AS avg_value,
       bool_and(value IS NOT DISTINCT FROM (ta::numeric * sv) / nullif((ta + tb)::numeric * nv, 0)) AS value,
       bool_and(mv IS NOT DISTINCT FROM value) AS micro_value,
       bool_and(incremental_value IS NOT DISTINCT FROM
                ((ta::numeric * td - tb::numeric * tc) * sv) / nullif((ta + tb)::numeric * (tc + td)::numeric * nv, 0)) AS incremental
FROM b;

-- The chi-square p-value decreases as the statistic grows (its exact values are
-- the textbook ones above and in test/unit/stats_test.cpp).
SELECT bool_and(p1 >= p2) AS monotone
FROM (SELECT p_value AS p1, lead(p_value) OVER (ORDER BY chi_square) AS p2
      FROM (SELECT (micro_stats(micro, macro)).* FROM mg WHERE grp LIKE 'channel%' GROUP BY grp) s) q
WHERE p2 IS NOT NULL;

-- Row order does not matter.
SELECT (SELECT micro_stats(micro, macro, val) FROM (SELECT * FROM ma ORDER BY actor) s)::text
     = (SELECT micro_stats(micro, macro, val) FROM (SELECT * FROM ma ORDER BY actor DESC) s)::text AS order_invariant;

----------------------------------------------------------------------------------
-- micro_correlations: one row per actor with the distinct events it did.
CREATE TABLE ev AS
SELECT actor,
       CASE WHEN actor % 97 = 0 THEN NULL ELSE array_remove(ARRAY[
           CASE WHEN actor % 3 = 0 THEN 'signup' END,
           CASE WHEN actor % 4 < 2 THEN 'video' END,
           CASE WHEN actor % 5 = 0 THEN 'whitepaper' END,
           CASE WHEN actor % 7 < 3 THEN 'newsletter' END,
           CASE WHEN actor % 50 = 0 THEN 'rare' END,
           CASE WHEN actor % 11 = 0 THEN '' END,
           CASE WHEN actor % 2 = 0 THEN 'page_view' END,
           CASE WHEN actor % 3 = 0 THEN 'signup' END,         -- duplicates count once
           CASE WHEN actor % 13 = 0 THEN NULL END], NULL) || CASE WHEN actor % 23 = 0 THEN ARRAY[NULL::text] ELSE '{}' END
       END AS events,
       CASE WHEN actor % 3 = 0 THEN actor % 5 < 3 ELSE actor % 5 < 1 END AS conv,
       CASE WHEN actor % 8 = 0 THEN NULL ELSE (actor % 90) + 9.99 END AS val
FROM generate_series(1, 400) actor;

-- Ranked rows, min_support 0 (every event).
SELECT rank, event, a, b, c, d, round(p_value::numeric, 8) AS p, p_test, low_expected,
       round(q_value::numeric, 8) AS q, round(phi::numeric, 6) AS phi, round(lift::numeric, 6) AS lift
FROM micro_correlation_rows((SELECT micro_correlations(events, conv, 0) FROM ev));

-- Every row equals micro_stats over (event = ANY(events), conv) for the same actors.
WITH names AS (SELECT DISTINCT e FROM ev, unnest(events) e WHERE e IS NOT NULL),
stats AS (
    SELECT n.e, micro_stats(coalesce(n.e = ANY(ev.events), false), ev.conv, ev.val) AS s
    FROM names n CROSS JOIN ev GROUP BY n.e
), corr AS (
    SELECT r.* FROM micro_correlation_rows((SELECT micro_correlations(events, conv, val, 0) FROM ev)) r
)
SELECT count(*) AS events,
       bool_and((c.a, c.b, c.c, c.d, c.n, c.rate_with_micro, c.rate_without_micro, c.overall_rate, c.lift,
                 c.relative_risk, c.odds_ratio, c.odds_ratio_low, c.odds_ratio_high, c.odds_ratio_corrected,
                 c.phi, c.chi_square, c.p_value, c.p_test, c.min_expected, c.low_expected, c.value, c.incremental_value)
                IS NOT DISTINCT FROM
                ((s.s).a, (s.s).b, (s.s).c, (s.s).d, (s.s).n, (s.s).rate_with_micro, (s.s).rate_without_micro,
                 (s.s).overall_rate, (s.s).lift, (s.s).relative_risk, (s.s).odds_ratio, (s.s).odds_ratio_low,
                 (s.s).odds_ratio_high, (s.s).odds_ratio_corrected, (s.s).phi, (s.s).chi_square, (s.s).p_value,
                 (s.s).p_test, (s.s).min_expected, (s.s).low_expected, (s.s).value, (s.s).incremental_value)) AS same_as_micro_stats
FROM corr c JOIN stats s ON s.e = c.event;

-- Ranking: p ascending, then |phi| descending, then lift descending, then name;
-- q = Benjamini-Hochberg: min over rank j >= i of p(j) m / j, capped at 1.
WITH c AS (SELECT r.* FROM micro_correlation_rows((SELECT micro_correlations(events, conv, 0) FROM ev)) r),
expected AS (
    SELECT event, row_number() OVER (ORDER BY p_value, abs(phi) DESC NULLS LAST, lift DESC NULLS LAST, event COLLATE "C") AS r
    FROM c
), bh AS (
    SELECT rank, least(1, min(p_value * (SELECT count(*) FROM c) / rank) OVER (ORDER BY rank DESC)) AS q FROM c
)
SELECT bool_and(c.rank = e.r) AS rank_order, bool_and(pg_temp.close(c.q_value, bh.q)) AS q_values,
       array_agg(c.rank ORDER BY c.rank) = array(SELECT generate_series(1, count(*)::int) FROM c) AS ranks_dense
FROM c JOIN expected e USING (event) JOIN bh USING (rank);

-- Minimum support: only events done by at least min_support actors. The default
-- (two-argument form) is min(25, ceil(2% of 400)) = 8.
SELECT (SELECT array_agg(event ORDER BY event) FROM micro_correlation_rows((SELECT micro_correlations(events, conv, 100) FROM ev))) AS at_least_100,
       (SELECT array_agg(e ORDER BY e) FROM (SELECT e FROM ev, unnest(events) e WHERE e IS NOT NULL GROUP BY e HAVING count(DISTINCT actor) >= 100) s) AS brute_100,
       (SELECT array_agg(event ORDER BY event) FROM micro_correlation_rows((SELECT micro_correlations(events, conv) FROM ev))) AS default_support,
       (SELECT array_agg(e ORDER BY e) FROM (SELECT e FROM ev, unnest(events) e WHERE e IS NOT NULL GROUP BY e HAVING count(DISTINCT actor) >= 8) s) AS brute_8;

-- Grouped, with values: ranking micro-conversions by money value per group.
SELECT g, r.event, r.value, r.rank
FROM (SELECT actor % 2 AS g, micro_correlations(events, conv, val, 30) AS m FROM ev GROUP BY 1) q,
     micro_correlation_rows(q.m) r
ORDER BY g, r.value DESC NULLS LAST, r.event;

-- As window aggregates (read-only final functions): running counts.
SELECT * FROM (
    SELECT actor, (micro_stats(micro, macro) OVER w).a AS running_a, (micro_stats(micro, macro) OVER w).n AS running_n,
           round(micro_value(micro, macro, ma.val) OVER w, 4) AS running_value,
           cardinality(micro_correlations(events, conv, 0) OVER w) AS running_events
    FROM ma JOIN ev USING (actor)
    WHERE actor <= 60
    WINDOW w AS (ORDER BY actor ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)) s
WHERE actor % 10 = 0 ORDER BY actor;

-- No rows: an empty array. No events at all: an empty array.
SELECT micro_correlations(events, conv) AS no_rows FROM ev WHERE false;
SELECT micro_correlations('{}'::text[], conv) AS no_events FROM ev;

----------------------------------------------------------------------------------
-- Errors.
SELECT pg_temp.err($$SELECT micro_stats(true, true, -0.01)$$);
SELECT pg_temp.err($$SELECT micro_value(true, true, 'NaN')$$);
SELECT pg_temp.err($$SELECT micro_value(true, true, 'Infinity')$$);
SELECT pg_temp.err($$SELECT micro_stats(false, true, '-Infinity')$$);
SELECT pg_temp.err($$SELECT micro_correlations('{a}'::text[], true, -5::numeric, 0)$$);
SELECT pg_temp.err($$SELECT micro_correlations('{a}'::text[], true, -1)$$);
SELECT pg_temp.err($$SELECT micro_correlations('{a}'::text[], true, NULL::bigint)$$);
SELECT pg_temp.err($$SELECT micro_correlations(e, true, s) FROM (VALUES ('{a}'::text[], 1), ('{b}', 2)) v(e, s)$$);
SELECT pg_temp.err($$SELECT micro_correlations('{{a,b},{c,d}}'::text[], true)$$);
