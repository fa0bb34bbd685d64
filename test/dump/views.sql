-- Views of test/dump/run.sh: together they call every user-callable function of
-- pg_funnel, every overload (the script checks that with pg_depend and fails
-- when a function of the extension is used by no view). One statement per view,
-- each view standing alone, so that an older version of the extension (the
-- update check) can create the subset it knows. Results are compared as the
-- sorted text of their rows, so no view needs an ORDER BY.
SET timezone = 'UTC';

-- funnel_steps / funnel_times: the four time types, with and without modes.
CREATE VIEW dumpcheck.funnel_tstz AS
SELECT actor_id,
       public.funnel_steps(ts, interval '7 days', event = 'product_view', event = 'add_to_cart',
                           event = 'begin_checkout', event = 'purchase') AS steps,
       public.funnel_steps(ts, interval '1 day', 'strict_order', event = 'page_view', event = 'product_view') AS steps_strict,
       public.funnel_times(ts, interval '7 days', event = 'product_view', event = 'add_to_cart',
                           event = 'begin_checkout', event = 'purchase') AS times,
       public.funnel_times(ts, interval '7 days', 'strict_deduplication,strict_increase',
                           event = 'product_view', event = 'add_to_cart', event = 'purchase') AS times_modes
  FROM dumpcheck.events GROUP BY actor_id;

CREATE VIEW dumpcheck.funnel_ts AS
SELECT actor_id,
       public.funnel_steps(ts_local, interval '7 days', event = 'product_view', event = 'add_to_cart',
                           event = 'begin_checkout', event = 'purchase') AS steps,
       public.funnel_steps(ts_local, interval '2 days', 'any_order', event = 'newsletter_signup', event = 'purchase') AS steps_any,
       public.funnel_times(ts_local, interval '7 days', event = 'product_view', event = 'purchase') AS times,
       public.funnel_times(ts_local, interval '7 days', 'strict_once', event = 'product_view', event = 'add_to_cart') AS times_once
  FROM dumpcheck.events GROUP BY actor_id;

CREATE VIEW dumpcheck.funnel_date AS
SELECT actor_id,
       public.funnel_steps(day, interval '3 days', event = 'page_view', event = 'add_to_cart', event = 'purchase') AS steps,
       public.funnel_steps(day, interval '3 days', 'strict_order,allow_reentry', event = 'page_view', event = 'product_view') AS steps_reentry,
       public.funnel_times(day, interval '3 days', event = 'page_view', event = 'add_to_cart', event = 'purchase') AS times,
       public.funnel_times(day, interval '3 days', 'strict_increase', event = 'page_view', event = 'purchase') AS times_increase
  FROM dumpcheck.events GROUP BY actor_id;

CREATE VIEW dumpcheck.funnel_bigint AS
SELECT actor_id,
       public.funnel_steps(ts_us, 604800000000, event = 'product_view', event = 'add_to_cart',
                           event = 'begin_checkout', event = 'purchase') AS steps,
       public.funnel_steps(ts_us, 3600000000, 'strict_deduplication', event = 'page_view', event = 'product_view') AS steps_dedup,
       public.funnel_times(ts_us, 604800000000, event = 'product_view', event = 'purchase') AS times,
       public.funnel_times(ts_us, 604800000000, 'strict_order', event = 'product_view', event = 'add_to_cart') AS times_order
  FROM dumpcheck.events GROUP BY actor_id;

-- With modes, one condition and one boolean[] have overloads of their own (the
-- conditions are VARIADIC "any"): the four time types, funnel_steps and funnel_times.
CREATE VIEW dumpcheck.funnel_modes_forms AS
SELECT actor_id,
       public.funnel_steps(ts, interval '7 days', 'strict_order', event = 'purchase') AS steps_tstz_one,
       public.funnel_times(ts, interval '7 days', 'strict_order', ARRAY[event = 'page_view', event = 'purchase'])
           AS times_tstz_array,
       public.funnel_times(ts_local, interval '7 days', 'strict_once', event = 'purchase') AS times_ts_one,
       public.funnel_steps(ts_local, interval '7 days', 'strict_once',
                           VARIADIC ARRAY[event = 'page_view', event = 'purchase']) AS steps_ts_array,
       public.funnel_steps(day, interval '3 days', 'strict_increase', event = 'add_to_cart') AS steps_date_one,
       public.funnel_times(day, interval '3 days', 'strict_increase', ARRAY[event = 'page_view', event = 'add_to_cart'])
           AS times_date_array,
       public.funnel_times(ts_us, 3600000000, 'strict_deduplication', event = 'page_view') AS times_bigint_one,
       public.funnel_steps(ts_us, 3600000000, 'strict_deduplication', ARRAY[event = 'page_view', event = 'product_view'])
           AS steps_bigint_array,
       public.funnel_steps(ts, interval '7 days', 'strict_order', ARRAY[event = 'page_view', event = 'purchase'])
           AS steps_tstz_array,
       public.funnel_times(ts, interval '7 days', 'strict_order', event = 'purchase') AS times_tstz_one,
       public.funnel_steps(ts_local, interval '7 days', 'strict_once', event = 'purchase') AS steps_ts_one,
       public.funnel_times(ts_local, interval '7 days', 'strict_once', ARRAY[event = 'page_view', event = 'purchase'])
           AS times_ts_array,
       public.funnel_times(day, interval '3 days', 'strict_increase', event = 'add_to_cart') AS times_date_one,
       public.funnel_steps(day, interval '3 days', 'strict_increase', ARRAY[event = 'page_view', event = 'add_to_cart'])
           AS steps_date_array,
       public.funnel_steps(ts_us, 3600000000, 'strict_deduplication', event = 'page_view') AS steps_bigint_one,
       public.funnel_times(ts_us, 3600000000, 'strict_deduplication', ARRAY[event = 'page_view', event = 'product_view'])
           AS times_bigint_array
  FROM dumpcheck.events GROUP BY actor_id;

-- Funnel by channel, the usual report shape.
CREATE VIEW dumpcheck.funnel_by_channel AS
SELECT channel, count(*) FILTER (WHERE level >= 1) AS viewed, count(*) FILTER (WHERE level >= 4) AS purchased
  FROM (SELECT actor_id, channel,
               public.funnel_steps(ts, interval '7 days', event = 'product_view', event = 'add_to_cart',
                                   event = 'begin_checkout', event = 'purchase') AS level
          FROM dumpcheck.events GROUP BY actor_id, channel) per_actor
 GROUP BY channel;

-- time_between: the four time types, as an aggregate and as a window function.
CREATE VIEW dumpcheck.time_between_all AS
SELECT actor_id,
       public.time_between(ts, event = 'newsletter_signup', event = 'purchase') AS tstz,
       public.time_between(ts_local, event = 'product_view', event = 'purchase') AS ts,
       public.time_between(day, event = 'page_view', event = 'add_to_cart') AS day,
       public.time_between(ts_us, event = 'product_view', event = 'add_to_cart') AS us,
       public.time_between(ts, event = 'newsletter_signup', event = 'purchase') <= interval '30 days' AS followed_through
  FROM dumpcheck.events GROUP BY actor_id;

CREATE VIEW dumpcheck.time_between_running AS
SELECT actor_id, ts, event,
       public.time_between(ts, event = 'product_view', event = 'add_to_cart')
         OVER (PARTITION BY actor_id ORDER BY ts) AS running
  FROM dumpcheck.events;

-- retention.
CREATE VIEW dumpcheck.retention_by_actor AS
SELECT actor_id,
       public.retention(event = 'page_view', event = 'product_view', event = 'add_to_cart', event = 'purchase') AS r
  FROM dumpcheck.events GROUP BY actor_id;

-- sessionize: every overload.
CREATE VIEW dumpcheck.sessions AS
SELECT actor_id, ts, event,
       public.sessionize(ts) OVER w AS s_tstz,
       public.sessionize(ts, interval '10 minutes') OVER w AS s_tstz_gap,
       public.sessionize(ts_local) OVER (PARTITION BY actor_id ORDER BY ts_local) AS s_ts,
       public.sessionize(ts_local, interval '1 hour') OVER (PARTITION BY actor_id ORDER BY ts_local) AS s_ts_gap,
       public.sessionize(day, interval '1 day') OVER (PARTITION BY actor_id ORDER BY day) AS s_date,
       public.sessionize(ts_us, 1800000000) OVER (PARTITION BY actor_id ORDER BY ts_us) AS s_bigint
  FROM dumpcheck.events
WINDOW w AS (PARTITION BY actor_id ORDER BY ts);

-- dropoff_by_stage and its flat forms: levels and the four time-array types.
CREATE VIEW dumpcheck.dropoff_levels AS
SELECT r.*
  FROM (SELECT public.dropoff_by_stage(level, 4) AS stages
          FROM (SELECT public.funnel_steps(ts, interval '7 days', event = 'product_view', event = 'add_to_cart',
                                           event = 'begin_checkout', event = 'purchase') AS level
                  FROM dumpcheck.events GROUP BY actor_id) per_actor) s,
       public.dropoff_rows(s.stages) r;

CREATE VIEW dumpcheck.dropoff_times_tstz AS
SELECT r.*
  FROM (SELECT public.dropoff_by_stage(t, 4) AS stages
          FROM (SELECT public.funnel_times(ts, interval '7 days', event = 'product_view', event = 'add_to_cart',
                                           event = 'begin_checkout', event = 'purchase') AS t
                  FROM dumpcheck.events GROUP BY actor_id) per_actor) s,
       public.dropoff_rows(s.stages) r;

CREATE VIEW dumpcheck.dropoff_times_ts_date AS
SELECT 'ts' AS form, (public.dropoff_by_stage(t_ts, 3)) AS stages FROM
       (SELECT public.funnel_times(ts_local, interval '7 days', event = 'page_view', event = 'product_view',
                                   event = 'purchase') AS t_ts
          FROM dumpcheck.events GROUP BY actor_id) a
UNION ALL
SELECT 'date', public.dropoff_by_stage(t_day, 3) FROM
       (SELECT public.funnel_times(day, interval '7 days', event = 'page_view', event = 'product_view',
                                   event = 'purchase') AS t_day
          FROM dumpcheck.events GROUP BY actor_id) b;

CREATE VIEW dumpcheck.dropoff_times_bigint AS
SELECT r.*
  FROM (SELECT public.dropoff_by_stage(t, 3) AS stages
          FROM (SELECT public.funnel_times(ts_us, 604800000000, event = 'page_view', event = 'add_to_cart',
                                           event = 'purchase') AS t
                  FROM dumpcheck.events GROUP BY actor_id) per_actor) s,
       public.dropoff_rows(s.stages) r;

CREATE VIEW dumpcheck.dropoff_stored AS
SELECT r.* FROM dumpcheck.stored_stages s, public.dropoff_rows(s.stages) r;

-- micro_value, micro_stats (both overloads, whole and flattened).
CREATE VIEW dumpcheck.micro_by_channel AS
SELECT channel,
       public.micro_value(signed_up, purchased, revenue) AS signup_value,
       public.micro_stats(signed_up, purchased) AS stats,
       (public.micro_stats(video, purchased, revenue)).*
  FROM (SELECT actor_id, min(channel) AS channel,
               bool_or(event = 'newsletter_signup') AS signed_up, bool_or(event = 'video_play') AS video,
               bool_or(event = 'purchase') AS purchased, coalesce(sum(revenue), 0) AS revenue
          FROM dumpcheck.events GROUP BY actor_id) per_actor
 GROUP BY channel;

CREATE VIEW dumpcheck.micro_stored AS
SELECT (stats).* FROM dumpcheck.stored_stats;

-- micro_correlations: the three overloads, through micro_correlation_rows.
CREATE VIEW dumpcheck.correlations AS
WITH per_actor AS (
    SELECT actor_id, array_agg(DISTINCT event) AS evs, bool_or(event = 'purchase') AS purchased,
           coalesce(sum(revenue), 0) AS revenue
      FROM dumpcheck.events GROUP BY actor_id)
SELECT 'default' AS form, r.* FROM public.micro_correlation_rows((SELECT public.micro_correlations(evs, purchased) FROM per_actor)) r
UNION ALL
SELECT 'support', r.* FROM public.micro_correlation_rows((SELECT public.micro_correlations(evs, purchased, 10) FROM per_actor)) r
UNION ALL
SELECT 'value', r.* FROM public.micro_correlation_rows((SELECT public.micro_correlations(evs, purchased, revenue, 10) FROM per_actor)) r;

CREATE VIEW dumpcheck.correlations_stored AS
SELECT r.* FROM dumpcheck.stored_correlations s, public.micro_correlation_rows(s.correlations) r;

-- generate_events with every argument.
CREATE VIEW dumpcheck.generated AS
SELECT * FROM public.generate_events(20, 7, timestamptz '2025-06-01 00:00:00+00', 10);

-- sequence_match / sequence_count / sequence_match_times: the four time types.
CREATE VIEW dumpcheck.sequences_tstz AS
SELECT actor_id,
       public.sequence_match('(?1).*(?2)', ts, event = 'product_view', event = 'purchase') AS m,
       public.sequence_count('(?1)(?t<=3600)(?2)', ts, event = 'page_view', event = 'product_view') AS c,
       public.sequence_match_times('(?1).*(?2).*(?3)', ts, event = 'product_view', event = 'add_to_cart',
                                   event = 'purchase') AS t
  FROM dumpcheck.events GROUP BY actor_id;

CREATE VIEW dumpcheck.sequences_ts AS
SELECT actor_id,
       public.sequence_match('(?1).(?2)', ts_local, event = 'page_view', event = 'add_to_cart') AS m,
       public.sequence_count('(?1).*(?2)', ts_local, event = 'product_view', event = 'add_to_cart') AS c,
       public.sequence_match_times('(?1)(?t>60)(?2)', ts_local, event = 'page_view', event = 'product_view') AS t
  FROM dumpcheck.events GROUP BY actor_id;

CREATE VIEW dumpcheck.sequences_date AS
SELECT actor_id,
       public.sequence_match('(?1).*(?t<=86400)(?2)', day, event = 'page_view', event = 'purchase') AS m,
       public.sequence_count('(?1)', day, event = 'page_view') AS c,
       public.sequence_match_times('(?1).*(?2)', day, event = 'newsletter_signup', event = 'purchase') AS t
  FROM dumpcheck.events GROUP BY actor_id;

CREATE VIEW dumpcheck.sequences_bigint AS
SELECT actor_id,
       public.sequence_match('(?1)(?t<=600000000)(?2)', ts_us, event = 'product_view', event = 'add_to_cart') AS m,
       public.sequence_count('(?1).*(?2)', ts_us, event = 'page_view', event = 'product_view') AS c,
       public.sequence_match_times('(?1).*(?2)', ts_us, event = 'add_to_cart', event = 'purchase') AS t
  FROM dumpcheck.events GROUP BY actor_id;

-- sequence_next_node: the four time types, with and without steps.
CREATE VIEW dumpcheck.next_nodes AS
SELECT actor_id,
       public.sequence_next_node('forward', 'first_match', ts, event, true, event = 'product_view') AS after_product_tstz,
       public.sequence_next_node('backward', 'tail', ts, event, event = 'purchase') AS last_tstz,
       public.sequence_next_node('forward', 'head', ts_local, event, true, event = 'page_view', event = 'product_view') AS third_ts,
       public.sequence_next_node('forward', 'head', ts_local, event, true) AS first_ts,
       public.sequence_next_node('backward', 'last_match', day, event, true, event = 'purchase') AS before_purchase_date,
       public.sequence_next_node('forward', 'head', day, event, event = 'page_view') AS first_date,
       public.sequence_next_node('forward', 'last_match', ts_us, event, true, event = 'add_to_cart') AS after_cart_bigint,
       public.sequence_next_node('backward', 'tail', ts_us, channel, true) AS last_channel_bigint
  FROM dumpcheck.events GROUP BY actor_id;

-- A materialized view: pg_dump restores it with REFRESH MATERIALIZED VIEW, so the
-- aggregate runs again during the restore.
CREATE MATERIALIZED VIEW dumpcheck.levels_materialized AS
SELECT actor_id,
       public.funnel_steps(ts, interval '7 days', event = 'product_view', event = 'add_to_cart',
                           event = 'begin_checkout', event = 'purchase') AS level
  FROM dumpcheck.events GROUP BY actor_id;

-- funnel_report: the four time types, with and without modes, and its flat forms.
CREATE VIEW dumpcheck.report_tstz AS
SELECT channel,
       public.funnel_report(actor_id, ts, interval '7 days', event = 'product_view', event = 'add_to_cart',
                            event = 'begin_checkout', event = 'purchase') AS report,
       public.funnel_report(CAST(actor_id AS text), ts, interval '1 day', 'strict_order',
                            event = 'page_view', event = 'product_view') AS report_strict
  FROM dumpcheck.events GROUP BY channel;

CREATE VIEW dumpcheck.report_ts AS
SELECT device,
       public.funnel_report(actor_id, ts_local, interval '7 days', event = 'product_view', event = 'purchase') AS report,
       public.funnel_report(actor_id, ts_local, interval '2 days', 'any_order',
                            event = 'newsletter_signup', event = 'purchase') AS report_any
  FROM dumpcheck.events GROUP BY device;

CREATE VIEW dumpcheck.report_date AS
SELECT public.funnel_report(actor_id, day, interval '3 days', event = 'page_view', event = 'add_to_cart',
                            event = 'purchase') AS report,
       public.funnel_report(actor_id, day, interval '3 days', 'strict_increase',
                            event = 'page_view', event = 'purchase') AS report_increase
  FROM dumpcheck.events;

CREATE VIEW dumpcheck.report_bigint AS
SELECT public.funnel_report(actor_id, ts_us, 604800000000, event = 'product_view', event = 'add_to_cart') AS report,
       public.funnel_report(actor_id, ts_us, 3600000000, 'strict_deduplication',
                            event = 'page_view', event = 'product_view') AS report_dedup
  FROM dumpcheck.events;

-- funnel_report with modes and one condition, or one boolean[]: the four time types.
CREATE VIEW dumpcheck.report_modes_forms AS
SELECT public.funnel_report(actor_id, ts, interval '7 days', 'strict_order', event = 'purchase') AS tstz_one,
       public.funnel_report(actor_id, ts, interval '7 days', 'strict_order',
                            ARRAY[event = 'page_view', event = 'purchase']) AS tstz_array,
       public.funnel_report(actor_id, ts_local, interval '2 days', 'any_order', event = 'purchase') AS ts_one,
       public.funnel_report(actor_id, ts_local, interval '2 days', 'any_order',
                            VARIADIC ARRAY[event = 'newsletter_signup', event = 'purchase']) AS ts_array,
       public.funnel_report(actor_id, day, interval '3 days', 'strict_increase', event = 'page_view') AS date_one,
       public.funnel_report(actor_id, day, interval '3 days', 'strict_increase',
                            ARRAY[event = 'page_view', event = 'purchase']) AS date_array,
       public.funnel_report(actor_id, ts_us, 3600000000, 'strict_deduplication', event = 'page_view') AS bigint_one,
       public.funnel_report(actor_id, ts_us, 3600000000, 'strict_deduplication',
                            ARRAY[event = 'page_view', event = 'product_view']) AS bigint_array
  FROM dumpcheck.events;

-- The event-name form: the four time types, with and without modes.
CREATE VIEW dumpcheck.report_names AS
SELECT channel,
       public.funnel_report(actor_id, ts, interval '7 days', event,
                            ARRAY['product_view', 'add_to_cart', 'begin_checkout', 'purchase']) AS report_tstz,
       public.funnel_report(CAST(actor_id AS text), ts, interval '1 day', 'strict_order', event,
                            ARRAY['page_view', 'product_view']) AS report_tstz_strict,
       public.funnel_report(actor_id, ts_local, interval '7 days', event, ARRAY['product_view', 'purchase']) AS report_ts,
       public.funnel_report(actor_id, ts_local, interval '2 days', 'any_order', event,
                            ARRAY['newsletter_signup', 'purchase']) AS report_ts_any,
       public.funnel_report(actor_id, day, interval '3 days', event, ARRAY['page_view', 'purchase']) AS report_date,
       public.funnel_report(actor_id, day, interval '3 days', 'strict_increase', event,
                            ARRAY['page_view', 'purchase']) AS report_date_increase,
       public.funnel_report(actor_id, ts_us, 604800000000, event, ARRAY['product_view', 'add_to_cart']) AS report_bigint,
       public.funnel_report(actor_id, ts_us, 3600000000, 'strict_deduplication', event,
                            ARRAY['page_view', 'product_view']) AS report_bigint_dedup
  FROM dumpcheck.events GROUP BY channel;

-- funnel_steps / funnel_times by event name: the four time types, with and without modes.
CREATE VIEW dumpcheck.funnel_names AS
SELECT actor_id,
       public.funnel_steps(ts, interval '7 days', event, ARRAY['product_view', 'add_to_cart', 'purchase']) AS level_tstz,
       public.funnel_times(ts, interval '1 day', 'strict_order', event, ARRAY['page_view', 'product_view']) AS times_tstz,
       public.funnel_steps(ts_local, interval '7 days', 'any_order', event, ARRAY['product_view', 'purchase']) AS level_ts,
       public.funnel_times(ts_local, interval '7 days', event, ARRAY['product_view', 'purchase']) AS times_ts,
       public.funnel_steps(day, interval '3 days', event, ARRAY['page_view', 'purchase']) AS level_date,
       public.funnel_times(day, interval '3 days', 'strict_increase', event, ARRAY['page_view', 'purchase']) AS times_date,
       public.funnel_steps(ts_us, 604800000000, 'strict_deduplication', event, ARRAY['page_view', 'product_view']) AS level_bigint,
       public.funnel_times(ts_us, 604800000000, event, ARRAY['product_view', 'add_to_cart']) AS times_bigint
  FROM dumpcheck.events GROUP BY actor_id;

CREATE VIEW dumpcheck.funnel_names_other AS
SELECT actor_id,
       public.funnel_steps(ts, interval '1 day', 'strict_order', event, ARRAY['page_view', 'product_view']) AS level_tstz,
       public.funnel_times(ts, interval '7 days', event, ARRAY['product_view', 'add_to_cart', 'purchase']) AS times_tstz,
       public.funnel_steps(ts_local, interval '7 days', event, ARRAY['product_view', 'purchase']) AS level_ts,
       public.funnel_times(ts_local, interval '7 days', 'any_order', event, ARRAY['product_view', 'purchase']) AS times_ts,
       public.funnel_steps(day, interval '3 days', 'strict_increase', event, ARRAY['page_view', 'purchase']) AS level_date,
       public.funnel_times(day, interval '3 days', event, ARRAY['page_view', 'purchase']) AS times_date,
       public.funnel_steps(ts_us, 604800000000, event, ARRAY['product_view', 'add_to_cart']) AS level_bigint,
       public.funnel_times(ts_us, 604800000000, 'strict_deduplication', event, ARRAY['page_view', 'product_view']) AS times_bigint
  FROM dumpcheck.events GROUP BY actor_id;

CREATE VIEW dumpcheck.report_flat AS
SELECT r.channel, public.funnel_report_check(r.report) AS checked, f.level, f.actors, f.reached
  FROM dumpcheck.report_tstz r, LATERAL public.funnel_report_rows(r.report) f;

CREATE VIEW dumpcheck.report_stages AS
SELECT r.channel, s.*
  FROM dumpcheck.report_tstz r, LATERAL public.funnel_report_stages(r.report) s;
