-- generate_events: deterministic sample data, a simulated web shop (docs/generate_events.md).
--
-- STRICT: a NULL argument gives no rows, as generate_series does.
-- STABLE, not IMMUTABLE: the rows are fixed for given arguments within one
-- version of the extension, but a later version may tune the model, and
-- IMMUTABLE would promise the same rows forever. Not VOLATILE either: it has no
-- side effects, and VOLATILE would stop the planner from pushing conditions
-- into subqueries over it.
-- PARALLEL SAFE: a worker that runs it (for instance to build the inner side of
-- a join) gets exactly the leader's rows.
-- ROWS 10000: about 10 rows per actor, for a typical call of 1000 actors.
CREATE FUNCTION generate_events(
    actors bigint,
    seed bigint DEFAULT 42,
    start_at timestamptz DEFAULT '2026-01-05 00:00:00+00',
    days integer DEFAULT 28)
RETURNS TABLE (
    actor_id bigint,
    ts timestamptz,
    event text,
    channel text,
    device text,
    campaign text,
    session_no integer,
    product_id integer,
    revenue numeric(12,2))
AS 'MODULE_PATHNAME', 'pgf_generate_events'
LANGUAGE C STABLE STRICT PARALLEL SAFE
ROWS 10000;

COMMENT ON FUNCTION generate_events(bigint, bigint, timestamptz, integer) IS
'Deterministic simulated shop events for actors 1..actors over days from start_at: '
'page views, a product funnel up to purchase, and micro-conversions. Same arguments, same rows.';
