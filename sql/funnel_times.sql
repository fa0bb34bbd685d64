-- funnel_times: the step times of the earliest attempt that reaches the deepest level.
SET timezone = 'UTC';
CREATE TABLE t (actor int, ts timestamptz, event text);
-- Actor 1: view@09:00 (too early to finish within 1 hour), view@10:00, cart@10:20,
-- cart@10:40, buy@10:50. Deepest level 3; the 09:00 attempt only reaches 1 (cart@10:20
-- is 80 min later), so the best attempt starts at 10:00, with the earliest cart (10:20).
INSERT INTO t VALUES (1, '2026-01-01 09:00', 'view'), (1, '2026-01-01 10:00', 'view'), (1, '2026-01-01 10:20', 'cart'),
                     (1, '2026-01-01 10:40', 'cart'), (1, '2026-01-01 10:50', 'buy');
-- Actor 2: two attempts both reaching 2: the earliest one wins (view@08:00, cart@08:30).
INSERT INTO t VALUES (2, '2026-01-01 08:00', 'view'), (2, '2026-01-01 08:30', 'cart'), (2, '2026-01-01 12:00', 'view'), (2, '2026-01-01 12:05', 'cart');
-- Actor 3: nothing matches step 1: empty array. Actor 4: only step 1.
INSERT INTO t VALUES (3, '2026-01-01 08:00', 'cart'), (4, '2026-01-01 08:00', 'view');
SELECT actor, funnel_steps(ts, '1 hour', event = 'view', event = 'cart', event = 'buy') AS level,
       funnel_times(ts, '1 hour', event = 'view', event = 'cart', event = 'buy') AS times
FROM t GROUP BY actor ORDER BY actor;

-- Step durations: times[k + 1] - times[k].
SELECT actor, tm[2] - tm[1] AS view_to_cart, tm[3] - tm[2] AS cart_to_buy
FROM (SELECT actor, funnel_times(ts, '1 hour', event = 'view', event = 'cart', event = 'buy') tm FROM t GROUP BY actor) s
ORDER BY actor;

-- Element types follow the time type; an empty group gives an empty array.
SELECT funnel_times(d, '2 days', e = 'a', e = 'b') FROM (VALUES ('2026-01-01'::date, 'a'), ('2026-01-02'::date, 'b')) v(d, e);
SELECT funnel_times(d::timestamp, '2 days', e = 'a', e = 'b') FROM (VALUES ('2026-01-01'::date, 'a'), ('2026-01-02'::date, 'b')) v(d, e);
SELECT funnel_times(x, 10, e = 'a', e = 'b') FROM (VALUES (5::bigint, 'a'), (7::bigint, 'b'), (6::bigint, 'a')) v(x, e);
SELECT funnel_times(ts, '1 hour', event = 'view') IS NOT NULL AS not_null, cardinality(funnel_times(ts, '1 hour', event = 'view')) FROM t WHERE false;

-- Modes apply: with strict_order, actor 1's chain is view@10:00 -> cart@10:20 -> buy@10:50
-- unless an unrelated row interrupts; add one at 10:30 and the level drops to 2.
INSERT INTO t VALUES (5, '2026-01-01 10:00', 'view'), (5, '2026-01-01 10:20', 'cart'), (5, '2026-01-01 10:30', 'other'), (5, '2026-01-01 10:50', 'buy');
SELECT funnel_times(ts, '1 hour', 'strict_order', event = 'view', event = 'cart', event = 'buy') FROM t WHERE actor = 5;
-- any_order: the earliest window holding every step; each step at its earliest time there.
SELECT funnel_times(ts, '1 hour', 'any_order', event = 'buy', event = 'cart', event = 'view') FROM t WHERE actor = 5;
