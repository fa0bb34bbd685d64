-- Step conditions are VARIADIC "any": each condition reaches the transition
-- function as its own argument, with no array built per row. Every aggregate that
-- takes conditions must answer the same whether they come as separate booleans,
-- as one boolean[] with VARIADIC, or as an ARRAY without it, with and without
-- modes, serially, in parallel plans and as a window aggregate; conditions that
-- are not boolean are errors; quoted literals mean what boolean input makes of them.
SET timezone = 'UTC';
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
CREATE TABLE ca AS
SELECT a AS actor, (a * 7 + i * 13) % 50 + i AS t, (ARRAY['v', 'c', 'b', 'p'])[1 + (a * i + i / 3) % 4] AS e,
       CASE WHEN (a + i) % 7 = 0 THEN NULL ELSE (a + i) % 2 = 0 END AS flag
FROM generate_series(1, 300) a, generate_series(1, 12) i;
ANALYZE ca;
-- Actors per level 0..n of per-actor levels, as funnel_report's counts.
CREATE FUNCTION pg_temp.hist(levels int[], n int) RETURNS bigint[] LANGUAGE sql AS $$
    SELECT array_agg((SELECT count(*) FROM unnest(levels) l WHERE l = k) ORDER BY k) FROM generate_series(0, n) k
$$;
CREATE FUNCTION pg_temp.counts(report bigint[]) RETURNS bigint[] LANGUAGE sql AS $$ SELECT ARRAY(SELECT unnest(report)) $$;

-- funnel_steps and funnel_times per actor: separate conditions against VARIADIC,
-- an ARRAY and the event-name form (its own code path), without and with modes,
-- with one condition and with a condition that is sometimes NULL (false).
CREATE TEMP TABLE ca_levels AS
SELECT actor,
       funnel_steps(t, 20, e = 'v', e = 'c', e = 'b', e = 'p') AS sep,
       funnel_steps(t, 20, VARIADIC ARRAY[e = 'v', e = 'c', e = 'b', e = 'p']) AS var,
       funnel_steps(t, 20, ARRAY[e = 'v', e = 'c', e = 'b', e = 'p']) AS arr,
       funnel_steps(t, 20, e, ARRAY['v', 'c', 'b', 'p']) AS names,
       funnel_steps(t, 20, 'strict_order', e = 'v', e = 'c', e = 'b', e = 'p') AS m_sep,
       funnel_steps(t, 20, 'strict_order', VARIADIC ARRAY[e = 'v', e = 'c', e = 'b', e = 'p']) AS m_var,
       funnel_steps(t, 20, 'strict_order', ARRAY[e = 'v', e = 'c', e = 'b', e = 'p']) AS m_arr,
       funnel_steps(t, 20, 'strict_order', e, ARRAY['v', 'c', 'b', 'p']) AS m_names,
       funnel_steps(t, 20, 'strict_order', e = 'c') AS m_one,
       funnel_steps(t, 20, 'strict_order', e, ARRAY['c']) AS m_one_names,
       funnel_steps(t, 20, e = 'c') AS one,
       funnel_steps(t, 20, e = 'v', flag, e = 'p') AS nulls,
       funnel_steps(t, 20, e = 'v', coalesce(flag, false), e = 'p') AS nulls_false,
       funnel_times(t, 20, e = 'v', e = 'c', e = 'b') AS times_sep,
       funnel_times(t, 20, VARIADIC ARRAY[e = 'v', e = 'c', e = 'b']) AS times_var,
       funnel_times(t, 20, 'strict_increase', e = 'v', e = 'c', e = 'b') AS m_times_sep,
       funnel_times(t, 20, 'strict_increase', e, ARRAY['v', 'c', 'b']) AS m_times_names
FROM ca GROUP BY actor;
SELECT count(*) AS actors,
       count(*) FILTER (WHERE sep = var AND sep = arr AND sep = names) AS same,
       count(*) FILTER (WHERE m_sep = m_var AND m_sep = m_arr AND m_sep = m_names) AS same_modes,
       count(*) FILTER (WHERE m_one = m_one_names AND one = m_one) AS same_one,
       count(*) FILTER (WHERE nulls = nulls_false) AS same_nulls,
       count(*) FILTER (WHERE times_sep = times_var AND m_times_sep = m_times_names) AS same_times
FROM ca_levels;
-- The levels spread out, and strict_order and the NULLs change some of them.
SELECT sep AS level, count(*) AS actors FROM ca_levels GROUP BY sep ORDER BY sep;
SELECT count(*) FILTER (WHERE m_sep <> sep) AS strict_order_differs,
       count(*) FILTER (WHERE nulls <> funnel_steps) AS flag_matters
FROM ca_levels JOIN (SELECT actor, funnel_steps(t, 20, e = 'v', true, e = 'p') FROM ca GROUP BY actor) x USING (actor);

-- funnel_report: the same forms, against the report of the event-name form.
SELECT funnel_report(actor, t, 20, e = 'v', e = 'c', e = 'b', e = 'p') AS sep,
       funnel_report(actor, t, 20, VARIADIC ARRAY[e = 'v', e = 'c', e = 'b', e = 'p'])
           = funnel_report(actor, t, 20, e, ARRAY['v', 'c', 'b', 'p']) AS var_same,
       funnel_report(actor, t, 20, e = 'v', e = 'c', e = 'b', e = 'p')
           = funnel_report(actor, t, 20, e, ARRAY['v', 'c', 'b', 'p']) AS sep_same,
       funnel_report(actor, t, 20, 'strict_order', e = 'v', e = 'c', e = 'b', e = 'p')
           = funnel_report(actor, t, 20, 'strict_order', e, ARRAY['v', 'c', 'b', 'p']) AS modes_same,
       funnel_report(actor, t, 20, 'strict_order', ARRAY[e = 'v', e = 'c', e = 'b', e = 'p'])
           = funnel_report(actor, t, 20, 'strict_order', e, ARRAY['v', 'c', 'b', 'p']) AS modes_array_same,
       funnel_report(actor, t, 20, 'strict_order', e = 'c')
           = funnel_report(actor, t, 20, 'strict_order', e, ARRAY['c']) AS modes_one_same
FROM ca;
SELECT pg_temp.counts((SELECT funnel_report(actor, t, 20, e = 'v', e = 'c', e = 'b', e = 'p') FROM ca)) =
       pg_temp.hist((SELECT array_agg(sep) FROM ca_levels), 4) AS report_counts_funnel_steps;

-- The sequence functions, retention and sequence_next_node: separate against VARIADIC.
SELECT count(*) AS actors, count(*) FILTER (WHERE sm_sep) AS matched, count(DISTINCT r_sep) AS retention_results,
       count(DISTINCT nn_sep) AS next_nodes,
       count(*) FILTER (WHERE sm_sep = sm_var AND sc_sep = sc_var AND st_sep = st_var) AS same_sequence,
       count(*) FILTER (WHERE r_sep = r_var) AS same_retention,
       count(*) FILTER (WHERE nn_sep IS NOT DISTINCT FROM nn_var) AS same_next_node,
       count(*) FILTER (WHERE nn_none IS NOT DISTINCT FROM nn_empty) AS same_next_node_no_steps
FROM (SELECT actor,
             sequence_match('(?1).*(?2)(?t<=30)(?3)', t, e = 'v', e = 'c', e = 'p') AS sm_sep,
             sequence_match('(?1).*(?2)(?t<=30)(?3)', t, VARIADIC ARRAY[e = 'v', e = 'c', e = 'p']) AS sm_var,
             sequence_count('(?1)(?2)', t, e = 'v', e = 'c') AS sc_sep,
             sequence_count('(?1)(?2)', t, VARIADIC ARRAY[e = 'v', e = 'c']) AS sc_var,
             sequence_match_times('(?1).*(?2)', t, e = 'c', e = 'b') AS st_sep,
             sequence_match_times('(?1).*(?2)', t, VARIADIC ARRAY[e = 'c', e = 'b']) AS st_var,
             retention(e = 'v' AND t < 15, e = 'c' AND t > 45, flag) AS r_sep,
             retention(VARIADIC ARRAY[e = 'v' AND t < 15, e = 'c' AND t > 45, flag]) AS r_var,
             sequence_next_node('forward', 'head', t, e, e = 'v', e = 'v', e = 'c') AS nn_sep,
             sequence_next_node('forward', 'head', t, e, e = 'v', VARIADIC ARRAY[e = 'v', e = 'c']) AS nn_var,
             sequence_next_node('forward', 'head', t, e, e = 'v') AS nn_none,
             sequence_next_node('forward', 'head', t, e, e = 'v', VARIADIC ARRAY[]::boolean[]) AS nn_empty
      FROM ca GROUP BY actor) per_actor;

-- As a window aggregate (no VARIADIC flag reaches a window's transition function).
SELECT count(*) AS rows,
       count(*) FILTER (WHERE w_sep = w_var AND w_sep = w_names) AS same
FROM (SELECT funnel_steps(t, 20, e = 'v', e = 'c', e = 'b') OVER w AS w_sep,
             funnel_steps(t, 20, VARIADIC ARRAY[e = 'v', e = 'c', e = 'b']) OVER w AS w_var,
             funnel_steps(t, 20, e, ARRAY['v', 'c', 'b']) OVER w AS w_names
      FROM ca WINDOW w AS (PARTITION BY actor ORDER BY t, e)) x;

-- Forced parallel plans (every group through the workers' states) against serial.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SET enable_indexscan = off;
EXPLAIN (COSTS OFF)
SELECT actor, funnel_steps(t, 20, e = 'v', e = 'c', e = 'b', e = 'p') FROM ca GROUP BY actor;
SELECT count(*) AS actors, count(*) FILTER (WHERE p.sep = s.sep AND p.m_sep = s.m_sep) AS same
FROM (SELECT actor, funnel_steps(t, 20, e = 'v', e = 'c', e = 'b', e = 'p') AS sep,
             funnel_steps(t, 20, 'strict_order', e = 'v', e = 'c', e = 'b', e = 'p') AS m_sep
      FROM ca GROUP BY actor) p JOIN ca_levels s USING (actor);
EXPLAIN (COSTS OFF)
SELECT funnel_report(actor, t, 20, e = 'v', e = 'c', e = 'b', e = 'p') FROM ca;
SELECT pg_temp.counts((SELECT funnel_report(actor, t, 20, e = 'v', e = 'c', e = 'b', e = 'p') FROM ca)) =
       pg_temp.hist((SELECT array_agg(sep) FROM ca_levels), 4) AS parallel_report_same;
RESET ALL;
SET timezone = 'UTC';

-- Resolution: an event column and a step-name array of type varchar still take the
-- event-name form; modes with VARIADIC take the boolean[] overload.
CREATE TEMP TABLE cv AS SELECT actor, t, e::varchar(10) AS e FROM ca;
SELECT count(*) AS actors, count(*) FILTER (WHERE v.level = c.level) AS same
FROM (SELECT actor, funnel_steps(t, 20, e, ARRAY['v', 'c']::varchar[]) AS level FROM cv GROUP BY actor) v
JOIN (SELECT actor, funnel_steps(t, 20, e, ARRAY['v', 'c']) AS level FROM ca GROUP BY actor) c USING (actor);
SELECT funnel_steps(t, 20, 'strict_order', VARIADIC ARRAY[e = 'v', e = 'c']) AS modes_variadic
FROM ca WHERE actor = 1;

-- Domains over boolean are booleans; quoted literals are boolean input; a NULL
-- literal is false.
CREATE DOMAIN pg_temp.flag AS boolean;
SELECT count(*) AS actors, count(*) FILTER (WHERE d = b) AS same_domain, count(*) FILTER (WHERE lit = lit_b) AS same_on,
       count(*) FILTER (WHERE lit_null = b_false) AS same_null, count(*) FILTER (WHERE lit <> lit_null) AS on_matters
FROM (SELECT funnel_steps(t, 20, (e = 'v')::pg_temp.flag, (e = 'c')::pg_temp.flag) AS d,
             funnel_steps(t, 20, e = 'v', e = 'c') AS b,
             funnel_steps(t, 20, e = 'v', 'on', e = 'c') AS lit,
             funnel_steps(t, 20, e = 'v', true, e = 'c') AS lit_b,
             funnel_steps(t, 20, e = 'v', NULL, e = 'c') AS lit_null,
             funnel_steps(t, 20, e = 'v', false, e = 'c') AS b_false
      FROM ca GROUP BY actor) x;
SELECT pg_temp.err($$SELECT funnel_steps(t, 20, e = 'v', 'maybe') FROM ca$$) AS bad_literal;

-- Conditions that are not boolean: an error naming the condition and its type.
SELECT pg_temp.err($$SELECT funnel_steps(t, 20, e = 'v', 2) FROM ca$$) AS funnel_steps_int,
       pg_temp.err($$SELECT funnel_steps(t, 20, e = 'v', e) FROM ca$$) AS funnel_steps_text;
SELECT pg_temp.err($$SELECT funnel_times(t, 20, 'strict_order', e = 'v', t) FROM ca$$) AS funnel_times_modes;
SELECT pg_temp.err($$SELECT funnel_report(actor, t, 20, e = 'v', 1.5) FROM ca$$) AS funnel_report;
SELECT pg_temp.err($$SELECT sequence_match('(?1)', t, t) FROM ca$$) AS sequence_match;
SELECT pg_temp.err($$SELECT retention(e = 'v', ARRAY[true]) FROM ca$$) AS retention;
SELECT pg_temp.err($$SELECT sequence_next_node('forward', 'head', t, e, true, e = 'v', now()) FROM ca$$)
       AS sequence_next_node;
SELECT pg_temp.err($$SELECT funnel_steps(t, 20, VARIADIC ARRAY[1, 2]) FROM ca$$) AS variadic_int_array;
-- More than 64 separate conditions.
SELECT pg_temp.err(format($$SELECT funnel_steps(t, 20, %s) FROM ca$$,
                          (SELECT string_agg('e = ''v''', ', ') FROM generate_series(1, 65)))) AS funnel_65,
       pg_temp.err(format($$SELECT sequence_match('(?1)', t, %s) FROM ca$$,
                          (SELECT string_agg('e = ''v''', ', ') FROM generate_series(1, 65)))) AS sequence_65,
       pg_temp.err(format($$SELECT funnel_steps(t, 20, %s) FROM ca$$,
                          (SELECT string_agg('e = ''v''', ', ') FROM generate_series(1, 64)))) AS funnel_64;
-- A query parameter as a condition needs a type: "any" gives PostgreSQL none to infer.
PREPARE ca_untyped AS SELECT funnel_steps(t, 20, e = 'v', $1) FROM ca;
PREPARE ca_typed(boolean) AS
SELECT count(*) FILTER (WHERE level = 2) AS reached_2 FROM (SELECT funnel_steps(t, 20, e = 'v', $1) AS level FROM ca GROUP BY actor) x;
EXECUTE ca_typed(true);
EXECUTE ca_typed(false);
DROP TABLE ca;
