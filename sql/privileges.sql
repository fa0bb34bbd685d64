-- Privileges and search_path safety (docs/security.md).
--  1. A plain role (no superuser, no grant beyond the defaults) can call every
--     function family.
--  2. The extension gives nothing away: no SECURITY DEFINER function, only C
--     and SQL, every SQL function has a BEGIN ATOMIC body, support functions
--     (internal arguments) cannot be called from SQL, and a non-superuser
--     cannot build an aggregate that hands one family's state to another's
--     final function.
--  3. Installing the extension where an attacker planted objects in the target
--     schema, and calling its SQL functions with a hostile search_path (an
--     attacker's schema first, shadowing unnest and operators) as a plain role
--     and as a superuser: the extension's own code is never redirected.
--  4. Whether a non-superuser with CREATE on the database can install it
--     (the control file's `trusted` flag).
SET client_min_messages = warning;
DROP DATABASE IF EXISTS regress_pgf_priv;
DROP ROLE IF EXISTS regress_pgf_user;
DROP ROLE IF EXISTS regress_pgf_attacker;
RESET client_min_messages;
CREATE ROLE regress_pgf_user LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE ROLE regress_pgf_attacker LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
\set orig_db :DBNAME
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';

CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- 1. Every family as a plain role ---------------------------------------------
SET ROLE regress_pgf_user;
SELECT current_user, rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user;
CREATE TEMP TABLE ev AS SELECT * FROM generate_events(40);
SELECT count(*) > 0 AS has_events, count(DISTINCT actor_id) AS actors FROM ev;
-- funnel_steps, funnel_times (with modes), dropoff_by_stage + dropoff_rows
SELECT stage, actors, dropped
  FROM dropoff_rows((SELECT dropoff_by_stage(level, 3)
                       FROM (SELECT funnel_steps(ts, '7 days', event = 'page_view', event = 'product_view', event = 'purchase') AS level
                               FROM ev GROUP BY actor_id) s));
SELECT stage, actors, dropped
  FROM dropoff_rows((SELECT dropoff_by_stage(t, 2)
                       FROM (SELECT funnel_times(ts, '7 days', 'strict_order', event = 'page_view', event = 'product_view') AS t
                               FROM ev GROUP BY actor_id) s));
-- time_between, retention, sequence_*, sequence_next_node
SELECT count(*) FILTER (WHERE tb IS NOT NULL) AS with_time_between,
       count(*) FILTER (WHERE r[2]) AS retained,
       count(*) FILTER (WHERE m) AS matched, sum(c) AS sequences, count(*) FILTER (WHERE cardinality(mt) = 2) AS with_times,
       count(nn) AS with_next_node
  FROM (SELECT actor_id,
               time_between(ts, event = 'page_view', event = 'product_view') AS tb,
               retention(event = 'page_view', event = 'product_view') AS r,
               sequence_match('(?1).*(?2)', ts, event = 'page_view', event = 'product_view') AS m,
               sequence_count('(?1)', ts, event = 'page_view') AS c,
               sequence_match_times('(?1).*(?2)', ts, event = 'page_view', event = 'product_view') AS mt,
               sequence_next_node('forward', 'first_match', ts, event, true, event = 'page_view') AS nn
          FROM ev GROUP BY actor_id) s;
-- sessionize
SELECT max(s) >= 1 AS sessions_numbered
  FROM (SELECT sessionize(ts) OVER (PARTITION BY actor_id ORDER BY ts) AS s FROM ev) s;
-- micro_value, micro_stats, micro_correlations + micro_correlation_rows
SELECT micro_value(p, b, 10) AS value, (micro_stats(p, b)).n AS n, (micro_stats(p, b, 10)).a AS a
  FROM (SELECT actor_id, bool_or(event = 'product_view') AS p, bool_or(event = 'purchase') AS b FROM ev GROUP BY actor_id) s;
SELECT count(*) > 0 AS ranked_events
  FROM micro_correlation_rows((SELECT micro_correlations(evs, bought, 1)
                                 FROM (SELECT actor_id, array_agg(DISTINCT event) AS evs, bool_or(event = 'purchase') AS bought
                                         FROM ev GROUP BY actor_id) s));
-- Every function and type of the extension is usable by this role through the
-- defaults (EXECUTE and USAGE to PUBLIC): the lists of exceptions are empty.
SELECT p.oid::regprocedure AS not_executable
  FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_funnel') AND d.deptype = 'e'
   AND NOT has_function_privilege(p.oid, 'EXECUTE');
SELECT t.oid::regtype AS not_usable
  FROM pg_depend d JOIN pg_type t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_funnel') AND d.deptype = 'e'
   AND NOT has_type_privilege(t.oid, 'USAGE');
RESET ROLE;

-- 2. Nothing given away ----------------------------------------------------------
-- Languages of the extension's functions (internal = aggregates), SECURITY
-- DEFINER functions (none), SQL/PL functions without a BEGIN ATOMIC body and
-- without a fixed search_path (none).
SELECT DISTINCT l.lanname
  FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
  JOIN pg_language l ON l.oid = p.prolang
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_funnel') AND d.deptype = 'e'
 ORDER BY 1;
SELECT p.oid::regprocedure AS security_definer
  FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_funnel') AND d.deptype = 'e' AND p.prosecdef;
SELECT p.oid::regprocedure AS late_bound_sql_function
  FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
  JOIN pg_language l ON l.oid = p.prolang
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_funnel') AND d.deptype = 'e'
   AND l.lanname NOT IN ('c', 'internal') AND p.prosqlbody IS NULL
   AND NOT coalesce(EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search\_path=%'), false);
-- Support functions take `internal`, which SQL cannot produce: not callable.
SET ROLE regress_pgf_user;
SELECT pg_temp.err($$SELECT funnel_steps_ffunc(NULL)$$);
SELECT pg_temp.err($$SELECT micro_deserialize('\x00'::bytea, NULL)$$);
SELECT pg_temp.err($$SELECT funnel_sfunc(NULL, now(), interval '1 day', true)$$);
-- A window function is not callable without OVER.
SELECT pg_temp.err($$SELECT sessionize(now())$$);
-- Feeding one family's state to another family's final function would be a
-- type confusion; only a superuser can declare an aggregate over `internal`.
SELECT pg_temp.err($$CREATE AGGREGATE pg_temp.mixed(boolean, boolean)
                     (SFUNC = micro_sfunc, STYPE = internal, FINALFUNC = funnel_steps_ffunc)$$);
RESET ROLE;

-- 3 and 4. A second database: planted objects, trusted install, hostile search_path
CREATE DATABASE regress_pgf_priv TEMPLATE template0;
\c regress_pgf_priv
SET timezone = 'UTC';
SET datestyle = 'ISO, YMD';
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- Before PostgreSQL 15 every role could create objects in public; give the
-- attacker that, and CREATE on the database (to create schemas) to both roles.
GRANT CREATE ON SCHEMA public TO regress_pgf_attacker;
DO $$ BEGIN
    EXECUTE format('GRANT CREATE ON DATABASE %I TO regress_pgf_user, regress_pgf_attacker', current_database());
END $$;

-- The attacker plants, in the schema the extension will be installed in, an
-- unnest with the built-in's signature and a log of every call of its objects.
SET ROLE regress_pgf_attacker;
CREATE TABLE public.hijacks (victim text, what text);
GRANT INSERT ON public.hijacks TO PUBLIC;
CREATE FUNCTION public.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hijacks VALUES (current_user, 'public.unnest(anyarray)');
    RETURN;
END $$;
-- A different polymorphic signature would make an unqualified unnest(...)
-- ambiguous and the installation fail; the install script writes
-- pg_catalog.unnest, so it installs regardless.
CREATE FUNCTION public.unnest(anycompatiblearray) RETURNS SETOF anycompatible LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hijacks VALUES (current_user, 'public.unnest(anycompatiblearray)');
    RETURN;
END $$;
RESET ROLE;

-- 4. Installing as a non-superuser with CREATE on the database: allowed only
-- for a trusted extension (pg_funnel.control).
SELECT trusted FROM pg_available_extension_versions WHERE name = 'pg_funnel' AND version = '0.1.0';
SET ROLE regress_pgf_user;
SELECT pg_temp.err('CREATE EXTENSION pg_funnel');
RESET ROLE;
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS pg_funnel;
RESET client_min_messages;
-- Installed by whoever, the functions belong to a superuser (for a trusted
-- extension, the bootstrap superuser), so the installer cannot replace them.
SELECT bool_and(r.rolsuper) AS functions_owned_by_a_superuser
  FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
  JOIN pg_roles r ON r.oid = p.proowner
 WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'pg_funnel') AND d.deptype = 'e';
-- The install script bound its SQL functions to pg_catalog's unnest, not to the
-- planted one: the planted function has no dependent.
SELECT count(*) AS functions_bound_to_planted_unnest
  FROM pg_depend WHERE refclassid = 'pg_proc'::regclass
   AND refobjid IN ('public.unnest(anyarray)'::regprocedure, 'public.unnest(anycompatiblearray)'::regprocedure);
-- The extension belongs to the role that installed it.
SELECT extowner::regrole AS extension_owner FROM pg_extension WHERE extname = 'pg_funnel';

-- 3. The attacker's schema: functions and operators that shadow what the
-- extension's SQL functions use, for the exact argument types.
SET ROLE regress_pgf_attacker;
CREATE SCHEMA evil;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
CREATE FUNCTION evil.unnest(public.funnel_stage[]) RETURNS SETOF public.funnel_stage LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hijacks VALUES (current_user, 'evil.unnest(funnel_stage[])');
    RETURN;
END $$;
CREATE FUNCTION evil.unnest(public.funnel_stage_bigint[]) RETURNS SETOF public.funnel_stage_bigint LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hijacks VALUES (current_user, 'evil.unnest(funnel_stage_bigint[])');
    RETURN;
END $$;
CREATE FUNCTION evil.unnest(public.micro_correlation[]) RETURNS SETOF public.micro_correlation LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hijacks VALUES (current_user, 'evil.unnest(micro_correlation[])');
    RETURN;
END $$;
CREATE FUNCTION evil.unnest(anyarray) RETURNS SETOF anyelement LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hijacks VALUES (current_user, 'evil.unnest(anyarray)');
    RETURN;
END $$;
CREATE FUNCTION evil.int_lt(integer, integer) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hijacks VALUES (current_user, 'evil.<(integer, integer)');
    RETURN $1 > $2;
END $$;
CREATE OPERATOR evil.< (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.int_lt);
CREATE FUNCTION evil.text_eq(text, text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hijacks VALUES (current_user, 'evil.=(text, text)');
    RETURN true;
END $$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.text_eq);
RESET ROLE;

-- Reference results with a clean search_path, as the plain role.
GRANT CREATE ON SCHEMA public TO regress_pgf_user;
SET ROLE regress_pgf_user;
CREATE TABLE public.ev AS SELECT * FROM public.generate_events(60);
CREATE TABLE public.stored AS
SELECT (SELECT public.dropoff_by_stage(l, 3)
          FROM (SELECT public.funnel_steps(ts, interval '7 days', event = 'page_view', event = 'product_view',
                                           event = 'purchase') AS l
                  FROM public.ev GROUP BY actor_id) s) AS stages,
       (SELECT public.dropoff_by_stage(t, 2)
          FROM (SELECT public.funnel_times(ts_us, 604800000000, event = 'page_view', event = 'purchase') AS t
                  FROM (SELECT actor_id, event, CAST(extract(epoch FROM ts) * 1000000 AS bigint) AS ts_us FROM public.ev) e
                 GROUP BY actor_id) s) AS stages_bigint,
       (SELECT public.micro_correlations(evs, bought, 1)
          FROM (SELECT actor_id, array_agg(DISTINCT event) AS evs, bool_or(event = 'purchase') AS bought
                  FROM public.ev GROUP BY actor_id) s) AS correlations;
CREATE FUNCTION public.report() RETURNS SETOF text LANGUAGE sql
BEGIN ATOMIC
    SELECT 'stage ' || r.stage || ': ' || r.actors || ' actors, ' || r.dropped || ' dropped'
      FROM public.stored s, public.dropoff_rows(s.stages) r
    UNION ALL
    SELECT 'bigint stage ' || r.stage || ': ' || r.actors || ' actors, ' || r.dropped || ' dropped'
      FROM public.stored s, public.dropoff_rows(s.stages_bigint) r
    UNION ALL
    SELECT 'rank ' || r.rank || ': ' || r.event || ' ' || r.a || '/' || r.n
      FROM public.stored s, public.micro_correlation_rows(s.correlations) r;
END;
CREATE TABLE public.clean AS SELECT public.report() AS line;
SELECT count(*) AS clean_lines FROM public.clean;
RESET ROLE;

-- The trap is armed: with the attacker's schema first, an unqualified unnest
-- and = in a query written by the user are the attacker's.
SET ROLE regress_pgf_user;
SET search_path = evil, pg_catalog, public;
SELECT count(*) AS rows_from_hijacked_unnest FROM unnest((SELECT stages FROM public.stored));
SELECT 'a' = 'b' AS hijacked_equals, 1 < 2 AS hijacked_less;
RESET search_path;
RESET ROLE;
SELECT victim, what FROM public.hijacks ORDER BY 2;
DELETE FROM public.hijacks;

-- The extension's SQL functions under the hostile search_path, called by the
-- plain role and by a superuser: same rows, nothing hijacked.
SET ROLE regress_pgf_user;
SET search_path = evil, pg_catalog, public;
SELECT (SELECT count(*) FROM public.dropoff_rows((SELECT stages FROM public.stored))) AS stage_rows,
       (SELECT count(*) FROM public.dropoff_rows((SELECT stages_bigint FROM public.stored))) AS bigint_stage_rows,
       (SELECT count(*) FROM public.micro_correlation_rows((SELECT correlations FROM public.stored))) AS correlation_rows;
SELECT count(*) AS lines,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM public.clean c WHERE c.line OPERATOR(pg_catalog.=) l.line)) AS same_lines
  FROM public.report() l(line);
RESET search_path;
RESET ROLE;
SET search_path = evil, pg_catalog, public;
SELECT count(*) AS lines,
       count(*) FILTER (WHERE EXISTS (SELECT 1 FROM public.clean c WHERE c.line OPERATOR(pg_catalog.=) l.line)) AS same_lines
  FROM public.report() l(line);
-- The C aggregates compare event names and steps in C++, not with SQL operators.
SELECT public.micro_correlations(evs, bought, 1) OPERATOR(pg_catalog.=) (SELECT correlations FROM public.stored) AS same_correlations
  FROM (SELECT actor_id, array_agg(DISTINCT event) AS evs, bool_or(event OPERATOR(pg_catalog.=) 'purchase') AS bought
          FROM public.ev GROUP BY actor_id) s;
RESET search_path;
SELECT count(*) AS hijacked_calls FROM public.hijacks;

\c :orig_db
DROP DATABASE regress_pgf_priv;
DROP ROLE regress_pgf_user;
DROP ROLE regress_pgf_attacker;
