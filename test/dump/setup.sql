-- Data for test/dump/run.sh: sample events in every time type, and stored
-- values of the extension's composite types. Run after CREATE EXTENSION.
SET timezone = 'UTC';

CREATE SCHEMA dumpcheck;

-- 500 simulated actors; the same instants as timestamp (UTC), date and bigint
-- microseconds since the epoch.
CREATE TABLE dumpcheck.events AS
SELECT e.actor_id, e.ts,
       e.ts AT TIME ZONE 'UTC' AS ts_local,
       CAST(e.ts AT TIME ZONE 'UTC' AS date) AS day,
       CAST(extract(epoch FROM e.ts) * 1000000 AS bigint) AS ts_us,
       e.event, e.channel, e.device, e.campaign, e.session_no, e.product_id, e.revenue
  FROM public.generate_events(500) e;

-- Values of the extension's composite types stored in a table: the dump has to
-- carry them as data (COPY text form) and the restore has to read them back.
CREATE TABLE dumpcheck.stored_stages AS
SELECT public.dropoff_by_stage(l, 4) AS stages
  FROM (SELECT public.funnel_steps(ts, interval '7 days', event = 'product_view', event = 'add_to_cart',
                                   event = 'begin_checkout', event = 'purchase') AS l
          FROM dumpcheck.events GROUP BY actor_id) s;
CREATE TABLE dumpcheck.stored_stats AS
SELECT public.micro_stats(signed_up, purchased, revenue) AS stats
  FROM (SELECT actor_id, bool_or(event = 'newsletter_signup') AS signed_up, bool_or(event = 'purchase') AS purchased,
               sum(revenue) AS revenue
          FROM dumpcheck.events GROUP BY actor_id) s;
CREATE TABLE dumpcheck.stored_correlations AS
SELECT public.micro_correlations(evs, purchased, 5) AS correlations
  FROM (SELECT actor_id, array_agg(DISTINCT event) AS evs, bool_or(event = 'purchase') AS purchased
          FROM dumpcheck.events GROUP BY actor_id) s;
