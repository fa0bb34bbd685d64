-- funnel_report: actors per level in one aggregate. Its answer must equal
--   SELECT level, count(*) FROM (SELECT funnel_steps(...) ... GROUP BY actor) GROUP BY level
-- for every mode list, time type and actor type, with ties, NULL times, NULL
-- conditions and NULL actors; serial and forced parallel plans agree.
SET timezone = 'UTC';
SELECT setseed(0.25);
CREATE TABLE fr AS
SELECT CASE WHEN random() < 0.01 THEN NULL ELSE (random() * 1500)::bigint END AS actor,
       CASE WHEN random() < 0.03 THEN NULL ELSE (random() * 30)::bigint END AS t,
       CASE WHEN random() < 0.03 THEN NULL ELSE (ARRAY['a', 'b', 'c', 'd', 'x'])[1 + (random() * 4.99)::int] END AS e
FROM generate_series(1, 12000);
ALTER TABLE fr ADD tstz timestamptz, ADD tsp timestamp, ADD d date, ADD actor_text text, ADD actor_uuid uuid, ADD actor_int int;
UPDATE fr SET tstz = '2026-01-01'::timestamptz + t * interval '1 hour',
              tsp = '2026-01-01'::timestamp + t * interval '1 hour',
              d = '2026-01-01'::date + t::int,
              actor_text = 'actor-' || actor,
              actor_uuid = md5(actor::text)::uuid,
              actor_int = actor - 700;
ANALYZE fr;
-- Every mode list funnel_steps accepts.
CREATE TABLE fr_modes (modes text);
INSERT INTO fr_modes
SELECT concat_ws(',', CASE WHEN b & 1 > 0 THEN 'strict_deduplication' END, CASE WHEN b & 2 > 0 THEN 'strict_order' END,
                 CASE WHEN b & 4 > 0 THEN 'strict_increase' END, CASE WHEN b & 8 > 0 THEN 'strict_once' END,
                 CASE WHEN b & 16 > 0 THEN 'allow_reentry' END)
FROM generate_series(0, 31) b WHERE b & 16 = 0 OR b & 2 > 0;
INSERT INTO fr_modes VALUES ('any_order'), ('any_order, strict_once');
SELECT count(*) AS mode_lists FROM fr_modes;

-- The reference: funnel_steps per actor, then counted per level (0..4, zeros included).
CREATE FUNCTION pg_temp.fr_reference(per_actor int[]) RETURNS bigint[] LANGUAGE sql PARALLEL SAFE AS $$
    SELECT array_agg((SELECT count(*) FROM unnest(per_actor) l WHERE l = k) ORDER BY k) FROM generate_series(0, 4) k
$$;
-- PARALLEL SAFE: a parallel-unsafe function anywhere in a query makes its plan serial.
CREATE FUNCTION pg_temp.fr_plain(report bigint[]) RETURNS bigint[] LANGUAGE sql PARALLEL SAFE AS $$ SELECT ARRAY(SELECT unnest(report)) $$;

CREATE TEMP TABLE fr_check AS
SELECT m.modes,
       pg_temp.fr_plain((SELECT funnel_report(actor, t, 5, m.modes, e = 'a', e = 'b', e = 'c', e = 'd') FROM fr)) AS r_bigint,
       (SELECT pg_temp.fr_reference(array_agg(l)) FROM (SELECT funnel_steps(t, 5, m.modes, e = 'a', e = 'b', e = 'c', e = 'd') l FROM fr GROUP BY actor) s) AS w_bigint,
       pg_temp.fr_plain((SELECT funnel_report(actor_text, tstz, '5 hours', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') FROM fr)) AS r_tstz,
       (SELECT pg_temp.fr_reference(array_agg(l)) FROM (SELECT funnel_steps(tstz, '5 hours', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') l FROM fr GROUP BY actor_text) s) AS w_tstz,
       pg_temp.fr_plain((SELECT funnel_report(actor_uuid, tsp, '5 hours', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') FROM fr)) AS r_ts,
       (SELECT pg_temp.fr_reference(array_agg(l)) FROM (SELECT funnel_steps(tsp, '5 hours', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') l FROM fr GROUP BY actor_uuid) s) AS w_ts,
       pg_temp.fr_plain((SELECT funnel_report(actor_int, d, '5 days', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') FROM fr)) AS r_date,
       (SELECT pg_temp.fr_reference(array_agg(l)) FROM (SELECT funnel_steps(d, '5 days', m.modes, e = 'a', e = 'b', e = 'c', e = 'd') l FROM fr GROUP BY actor_int) s) AS w_date
FROM fr_modes m;
-- Every comparison holds, and the data reach every level (so they mean something).
SELECT count(*) AS checks,
       count(*) FILTER (WHERE r_bigint = w_bigint AND r_tstz = w_tstz AND r_ts = w_ts AND r_date = w_date) AS equal,
       min(r_bigint[5]) > 0 AS every_mode_reaches_level_4,
       min(r_bigint[1]) > 0 AS every_mode_has_level_0
FROM fr_check;
SELECT modes, r_bigint, r_tstz FROM fr_check WHERE modes IN ('', 'strict_order', 'any_order') ORDER BY modes;
-- The shape: bounds [0:n], r[L] = actors at level L; every actor counts once.
SELECT funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd') AS report,
       (SELECT count(DISTINCT actor) + 1 FROM fr) AS actors_with_null
FROM fr;

-- Hand-computed: actor 1 reaches 3 (b at 12 is outside the window of a at 1, the
-- a at 10 starts the chain); actor 2 matches nothing; actor 3 has only a NULL time;
-- the NULL actor is an actor of its own; actor 4's one row matches a and b.
SELECT funnel_report(a, t, 5, s1, s2, s3) AS report
FROM (VALUES (1, 1, true, false, false), (1, 10, true, false, false), (1, 12, false, true, false),
             (1, 14, false, false, true), (2, 3, false, false, false), (3, NULL, true, false, false),
             (NULL, 2, true, false, false), (4, 7, true, true, false)) v(a, t, s1, s2, s3);
SELECT * FROM funnel_report_rows('[0:3]={1,2,0,3}');
-- By group, as a report by channel: one array per group.
SELECT actor % 3 AS g, funnel_report(actor, t, 5, e = 'a', e = 'b') FROM fr WHERE actor IS NOT NULL GROUP BY 1 ORDER BY 1;
-- An empty input gives NULL (the number of steps is unknown).
SELECT funnel_report(actor, t, 5, e = 'a') IS NULL AS empty_is_null FROM fr WHERE false;

-- Flat forms equal dropoff_by_stage over funnel_steps levels.
SELECT (SELECT array_agg(row(s.stage, s.actors, s.dropped, s.conversion_from_start, s.conversion_from_previous, s.dropoff_rate)::text ORDER BY s.stage)
          FROM dropoff_rows(funnel_report_stages((SELECT funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd') FROM fr))) s)
     = (SELECT array_agg(row(s.stage, s.actors, s.dropped, s.conversion_from_start, s.conversion_from_previous, s.dropoff_rate)::text ORDER BY s.stage)
          FROM dropoff_rows((SELECT dropoff_by_stage(l, 4) FROM (SELECT funnel_steps(t, 5, e = 'a', e = 'b', e = 'c', e = 'd') l FROM fr GROUP BY actor) x)) s)
       AS stages_equal_dropoff_by_stage;
SELECT * FROM dropoff_rows(funnel_report_stages('[0:3]={5,0,3,2}'));
SELECT * FROM dropoff_rows(funnel_report_stages('{0,0,0}'));

-- The event-name form equals the boolean form: every mode list, time type and
-- actor type; NULL events count their actor at level 0 like a NULL condition.
SELECT count(*) AS checks,
       count(*) FILTER (WHERE
         pg_temp.fr_plain((SELECT funnel_report(actor, t, 5, m.modes, e, ARRAY['a', 'b', 'c', 'd']) FROM fr)) = c.r_bigint
         AND pg_temp.fr_plain((SELECT funnel_report(actor_text, tstz, '5 hours', m.modes, e, ARRAY['a', 'b', 'c', 'd']) FROM fr)) = c.r_tstz
         AND pg_temp.fr_plain((SELECT funnel_report(actor_uuid, tsp, '5 hours', m.modes, e, ARRAY['a', 'b', 'c', 'd']) FROM fr)) = c.r_ts
         AND pg_temp.fr_plain((SELECT funnel_report(actor_int, d, '5 days', m.modes, e, ARRAY['a', 'b', 'c', 'd']) FROM fr)) = c.r_date) AS equal
FROM fr_modes m JOIN fr_check c USING (modes);
-- Without modes; a name at several steps; a step no row has; names longer than 8 bytes.
SELECT funnel_report(actor, t, 5, e, ARRAY['a', 'b', 'c', 'd']) = funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd') AS no_modes_equal,
       funnel_report(actor, t, 5, e, ARRAY['a', 'b', 'a', 'c']) = funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'a', e = 'c') AS repeated_equal,
       funnel_report(actor, t, 5, 'strict_order', e, ARRAY['b', 'zz', 'c']) = funnel_report(actor, t, 5, 'strict_order', e = 'b', e = 'zz', e = 'c') AS absent_equal,
       funnel_report(actor, t, 5, 'event-' || e || '-long', ARRAY['event-a-long', 'event-b-long', 'event-a-lonG'])
         = funnel_report(actor, t, 5, e = 'a', e = 'b', false) AS long_names_equal
FROM fr;
SELECT funnel_report(a, t, 10, e, ARRAY['view', 'cart', 'buy']) AS report
FROM (VALUES (1, 1, 'view'), (1, 2, 'cart'), (1, 3, 'buy'), (2, 1, 'cart'), (2, 5, NULL), (3, 4, 'view')) v(a, t, e);

-- Forced parallel plans: identical to serial.
CREATE TEMP TABLE fr_serial AS
SELECT e IS NULL AS g, funnel_report(actor, tstz, '5 hours', e = 'a', e = 'b', e = 'c', e = 'd') AS r,
       funnel_report(actor_text, t, 5, 'strict_order', e = 'a', e = 'b', e = 'c', e = 'd') AS r2
FROM fr GROUP BY 1;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT funnel_report(actor, tstz, '5 hours', e = 'a', e = 'b') FROM fr;
SELECT count(*) AS differing_groups FROM (
  (SELECT e IS NULL AS g, funnel_report(actor, tstz, '5 hours', e = 'a', e = 'b', e = 'c', e = 'd') AS r,
          funnel_report(actor_text, t, 5, 'strict_order', e = 'a', e = 'b', e = 'c', e = 'd') AS r2
     FROM fr GROUP BY 1
   EXCEPT SELECT * FROM fr_serial)
  UNION ALL
  (SELECT * FROM fr_serial
   EXCEPT SELECT e IS NULL, funnel_report(actor, tstz, '5 hours', e = 'a', e = 'b', e = 'c', e = 'd'),
          funnel_report(actor_text, t, 5, 'strict_order', e = 'a', e = 'b', e = 'c', e = 'd')
     FROM fr GROUP BY 1)) x;
SELECT pg_temp.fr_plain(funnel_report(actor_uuid, d, '5 days', 'strict_once', e = 'a', e = 'b', e = 'c', e = 'd'))
     = (SELECT r_date FROM fr_check WHERE modes = 'strict_once') AS parallel_uuid_equal
FROM fr;
SELECT pg_temp.fr_plain(funnel_report(actor_text, tstz, '5 hours', 'strict_order', e, ARRAY['a', 'b', 'c', 'd']))
       = (SELECT r_tstz FROM fr_check WHERE modes = 'strict_order') AS parallel_names_equal
FROM fr;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT pg_temp.fr_plain(funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd')) = (SELECT r_bigint FROM fr_check WHERE modes = '') AS workers_only_equal
FROM fr;
SELECT pg_temp.fr_plain(funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd')) = (SELECT r_bigint FROM fr_check WHERE modes = '') AS workers_only_equal
FROM fr;
-- The same rows clustered by actor (bigint keys in increasing order): each worker
-- settles the levels of its own actors and the leader scans only the actors
-- split between workers. No NULL actor in one copy, NULL actors first in the other.
CREATE TABLE fr_clustered AS SELECT * FROM fr WHERE actor IS NOT NULL ORDER BY actor, t;
CREATE TABLE fr_clustered_nulls AS SELECT * FROM fr ORDER BY actor NULLS FIRST, t;
ANALYZE fr_clustered;
ANALYZE fr_clustered_nulls;
SET parallel_leader_participation = on;
CREATE FUNCTION pg_temp.fr_nonnull_reference(modes text) RETURNS bigint[] LANGUAGE sql PARALLEL SAFE AS $$
    SELECT pg_temp.fr_reference(array_agg(l))
    FROM (SELECT funnel_steps(t, 5, modes, e = 'a', e = 'b', e = 'c', e = 'd') l FROM fr WHERE actor IS NOT NULL GROUP BY actor) s
$$;
SELECT pg_temp.fr_plain(funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd')) = pg_temp.fr_nonnull_reference('') AS clustered_equal,
       pg_temp.fr_plain(funnel_report(actor, t, 5, 'strict_order', e = 'a', e = 'b', e = 'c', e = 'd')) = pg_temp.fr_nonnull_reference('strict_order') AS strict_order_equal,
       pg_temp.fr_plain(funnel_report(actor, t, 5, 'strict_once', e = 'a', e = 'b', e = 'c', e = 'd')) = pg_temp.fr_nonnull_reference('strict_once') AS strict_once_equal,
       pg_temp.fr_plain(funnel_report(actor, t, 5, 'any_order', e = 'a', e = 'b', e = 'c', e = 'd')) = pg_temp.fr_nonnull_reference('any_order') AS any_order_equal
FROM fr_clustered;
SELECT pg_temp.fr_plain(funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd')) = (SELECT r_bigint FROM fr_check WHERE modes = '') AS clustered_with_nulls_equal
FROM fr_clustered_nulls;
SELECT pg_temp.fr_plain(funnel_report(actor, t, 5, e, ARRAY['a', 'b', 'c', 'd'])) = pg_temp.fr_nonnull_reference('') AS clustered_names_equal
FROM fr_clustered;
EXPLAIN (COSTS OFF)
SELECT pg_temp.fr_plain(funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd')) = pg_temp.fr_nonnull_reference('') AS clustered_equal
FROM fr_clustered;
SET parallel_leader_participation = off;
SELECT pg_temp.fr_plain(funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd')) = (SELECT r_bigint FROM fr_check WHERE modes = '') AS clustered_workers_only_equal
FROM fr_clustered_nulls;
DROP TABLE fr_clustered, fr_clustered_nulls;
RESET ALL;
-- Partitionwise aggregation combines one serialized state per partition in one
-- process, in a known order. States whose keys are in order (a clustered
-- partition, or a shuffled one, renumbered before it is sent) are reported
-- together without being merged first; a state with a NULL actor makes the
-- combine step merge the ones kept so far. Each answer equals the plain plan's.
CREATE TABLE fr_parts (part int, actor bigint, t bigint, e text) PARTITION BY LIST (part);
CREATE TABLE fr_parts_1 PARTITION OF fr_parts FOR VALUES IN (1);
CREATE TABLE fr_parts_2 PARTITION OF fr_parts FOR VALUES IN (2);
CREATE TABLE fr_parts_3 PARTITION OF fr_parts FOR VALUES IN (3);
INSERT INTO fr_parts SELECT 1, actor, t, e FROM fr WHERE actor < 700 ORDER BY actor, t;
INSERT INTO fr_parts SELECT 2, actor, t, e FROM fr WHERE actor >= 500 ORDER BY random();
INSERT INTO fr_parts SELECT 3, actor, t, e FROM fr WHERE actor IS NULL OR actor % 7 = 0;
ANALYZE fr_parts;
SELECT funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd') AS two_parts,
       funnel_report(actor, t, 5, 'strict_once', e, ARRAY['a', 'b', 'c', 'd']) AS two_parts_names
FROM fr_parts WHERE part < 3 \gset plain_
SELECT funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd') AS three_parts FROM fr_parts \gset plain_
SET enable_partitionwise_aggregate = on;
SET max_parallel_workers_per_gather = 0;
EXPLAIN (COSTS OFF) SELECT funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd') FROM fr_parts;
SELECT funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd') = :'plain_two_parts' AS two_parts_equal,
       funnel_report(actor, t, 5, 'strict_once', e, ARRAY['a', 'b', 'c', 'd']) = :'plain_two_parts_names'
         AS two_parts_names_equal
FROM fr_parts WHERE part < 3;
SELECT funnel_report(actor, t, 5, e = 'a', e = 'b', e = 'c', e = 'd') = :'plain_three_parts' AS three_parts_equal
FROM fr_parts;
DROP TABLE fr_parts;
RESET ALL;
SET timezone = 'UTC';

-- Errors.
SELECT funnel_report(1.5, t, 5, e = 'a') FROM fr;
SELECT funnel_report(actor, t, NULL, e = 'a') FROM fr;
SELECT funnel_report(actor, t, 0, e = 'a') FROM fr;
SELECT funnel_report(actor, tstz, '1 month', e = 'a') FROM fr;
SELECT funnel_report(actor, t, 5, 'allow_reentry', e = 'a') FROM fr;
SELECT funnel_report(actor, t, 5, NULL, e = 'a') FROM fr;
SELECT funnel_report(actor, t, coalesce(actor, 0) % 2 + 1, e = 'a') FROM fr;
SELECT funnel_report(actor, t, 5, VARIADIC CASE WHEN actor % 2 = 0 THEN ARRAY[e = 'a'] ELSE ARRAY[e = 'a', e = 'b'] END) FROM fr;
SELECT funnel_report(actor, t, 5, VARIADIC ARRAY[]::boolean[]) FROM fr;
SELECT funnel_report(actor, t, 5, VARIADIC array_fill(true, ARRAY[65])) FROM fr;
CREATE COLLATION fr_case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
SELECT funnel_report(CAST(actor AS text) COLLATE fr_case_insensitive, t, 5, e = 'a') FROM fr;
DROP COLLATION fr_case_insensitive;
-- Errors of the event-name form.
SELECT funnel_report(actor, t, 5, e, NULL::text[]) FROM fr;
SELECT funnel_report(actor, t, 5, e, ARRAY[]::text[]) FROM fr;
SELECT funnel_report(actor, t, 5, e, ARRAY['a', NULL]) FROM fr;
SELECT funnel_report(actor, t, 5, e, ARRAY[['a', 'b'], ['c', 'd']]) FROM fr;
SELECT funnel_report(actor, t, 5, e, array_fill('a'::text, ARRAY[65])) FROM fr;
SELECT funnel_report(actor, t, 5, e, CASE WHEN actor % 2 = 0 THEN ARRAY['a'] ELSE ARRAY['b'] END) FROM fr;
SELECT funnel_report(actor, t, 5, 'strict_nothing', e, ARRAY['a']) FROM fr;
CREATE COLLATION fr_names_case_insensitive (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
SELECT funnel_report(actor, t, 5, e COLLATE fr_names_case_insensitive, ARRAY['a']) FROM fr;
DROP COLLATION fr_names_case_insensitive;
SELECT * FROM funnel_report_rows('{1}');
SELECT * FROM funnel_report_rows('{1,NULL}');
SELECT * FROM funnel_report_rows('{1,-2}');
SELECT * FROM funnel_report_rows('{{1,2},{3,4}}');
DROP TABLE fr, fr_modes;
DROP FUNCTION pg_temp.fr_reference(int[]), pg_temp.fr_plain(bigint[]);
