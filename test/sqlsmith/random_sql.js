#!/usr/bin/env node
// Random SQL for pg_funnel: calls every SQL function of the extension with random
// arguments (NULLs, extreme and out-of-range values, wrong types, random mode and
// pattern strings, odd arrays) in random contexts (GROUP BY, window, whole table,
// parallel plans, tiny work_mem). Errors are expected; a server crash is the bug.
//
//   node random_sql.js <seed> <count>   print <count> statements, one per line,
//                                       each tagged /*family:<name>*/
//   node random_sql.js --functions      print the function names the generator covers
//
// The tables it queries are made by test/sqlsmith/run.sh: events (from
// generate_events) and edge_events (infinite, extreme and NULL times and values).
'use strict';

const FUNCTIONS = [
  'funnel_steps', 'funnel_times', 'time_between', 'retention', 'sequence_match', 'sequence_count',
  'sequence_match_times', 'sequence_next_node', 'sessionize', 'dropoff_by_stage', 'dropoff_rows', 'micro_value',
  'micro_stats', 'micro_correlations', 'micro_correlation_rows', 'generate_events', 'funnel_report',
  'funnel_report_rows', 'funnel_report_stages', 'funnel_report_check',
];

if (process.argv[2] === '--functions') {
  console.log(FUNCTIONS.join('\n'));
  process.exit(0);
}

const seed = Number(process.argv[2] || 1) >>> 0;
const count = Number(process.argv[3] || 100);

// mulberry32: small deterministic PRNG.
let state = seed || 1;
function rnd() {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = (xs) => xs[int(0, xs.length - 1)];
const chance = (p) => rnd() < p;
const q = (s) => "'" + String(s).replace(/'/g, "''") + "'";

const EVENTS = ['page_view', 'product_view', 'add_to_cart', 'begin_checkout', 'video_play', 'purchase',
  'whitepaper_download', 'newsletter_signup', 'demo_request', 'nope', ''];

// ---- values ---------------------------------------------------------------------

function randomText() {
  switch (int(0, 9)) {
    case 0: return "''";
    case 1: return 'NULL';
    case 2: return q('x'.repeat(int(1, 3000)));
    case 3: return q(String.fromCharCode(...Array.from({ length: int(1, 12) }, () => int(32, 126))));
    case 4: return q('é€\u{1F600}');
    case 5: return 'repeat(' + q(pick(['ab', 'é'])) + ', ' + int(0, 100000) + ')';
    default: return q(pick(EVENTS));
  }
}

function boolExpr() {
  switch (int(0, 14)) {
    case 0: return 'NULL';
    case 1: return 'NULL::boolean';
    case 2: return pick(['true', 'false']);
    case 3: return 'random() < 0.5';
    case 4: return "channel = 'email'";
    case 5: return 'revenue > ' + int(0, 200);
    case 6: return 'session_no % 2 = 0';
    case 7: return "(event = 'purchase') IS NOT TRUE";
    // Conditions are VARIADIC "any": other types and untyped literals must be clean errors.
    case 8: return chance(0.7) ? 'event = ' + q(pick(EVENTS)) : pick(["'on'", "'maybe'", '1', 'event', 'ts', "ARRAY[true]", '1.5']);
    default: return 'event = ' + q(pick(EVENTS));
  }
}

// The step conditions in their many forms: separate, VARIADIC boolean[], one ARRAY.
function steps(n) {
  switch (int(0, 12)) {
    case 0: return 'VARIADIC NULL::boolean[]';
    case 1: return "VARIADIC '{}'::boolean[]";
    case 2: return "VARIADIC '{{t,f},{f,t}}'::boolean[]";
    case 3: return "VARIADIC '[3:4]={t,f}'::boolean[]";
    case 4: return 'VARIADIC array_fill(' + pick(['true', 'NULL::boolean', "event = 'purchase'"]) + ', ARRAY[' + pick([63, 64, 65, 1000]) + '])';
    case 5: return 'VARIADIC ARRAY[' + Array.from({ length: n }, boolExpr).join(', ') + ']::boolean[]';
    case 6: return 'ARRAY[' + Array.from({ length: Math.max(n, 1) }, boolExpr).join(', ') + ']::boolean[]';
    default:
      if (n === 0) return "VARIADIC '{}'::boolean[]";
      return Array.from({ length: n }, boolExpr).join(', ');
  }
}
function stepCount() {
  return chance(0.85) ? int(1, 6) : pick([0, 32, 63, 64, 65, 70]);
}

// Time expressions of each kind, over the row's ts.
const TIME_KINDS = ['tstz', 'ts', 'date', 'bigint'];
function timeExpr(kind) {
  if (chance(0.05)) return pick(['NULL', "'infinity'::timestamptz", "'-infinity'::date", '9223372036854775807', "'x'"]);
  switch (kind) {
    case 'tstz': return pick(['ts', 'ts', "ts + interval '1 microsecond' * actor_id"]);
    case 'ts': return pick(['ts::timestamp', "(ts AT TIME ZONE 'UTC')"]);
    case 'date': return 'ts::date';
    default: return pick(['(extract(epoch from ts) * 1000)::bigint', 'actor_id', "-9223372036854775807 + (extract(epoch from ts))::bigint"]);
  }
}
function windowExpr(kind) {
  if (chance(0.05)) return pick(['NULL', "'x'", '1.5', "'1 hour'::text"]);
  if (kind === 'bigint')
    return pick(['1', '1000', '3600000', '86400000', '0', '-1', '9223372036854775807', '-9223372036854775808', 'NULL::bigint']);
  return pick(["interval '1 hour'", "interval '30 minutes'", "interval '1 day'", "interval '7 days'", "interval '0 seconds'",
    "interval '-1 day'", "interval '1 month'", "interval '1 year'", "interval '1 microsecond'", "interval '1 day 23:59:59.999999'",
    "interval '2147483647 days'", "interval '-2147483648 days 1 second'", "interval '178000000 years'",
    "interval '106751991 days 4 hours'", "'infinity'::interval", 'NULL::interval']);
}

const MODE_NAMES = ['strict_deduplication', 'strict_order', 'strict_increase', 'strict_once', 'allow_reentry', 'any_order',
  'strict', 'STRICT_ORDER', ' strict_once ', 'bogus', ''];
function modesExpr() {
  switch (int(0, 9)) {
    case 0: return 'NULL';
    case 1: return 'NULL::text';
    case 2: return q(',');
    case 3: return q(Array.from({ length: int(1, 300) }, () => pick(MODE_NAMES)).join(','));
    case 4: return randomText();
    default: return q(Array.from({ length: int(0, 3) }, () => pick(MODE_NAMES)).join(pick([',', ', ', ' ,'])));
  }
}

function patternExpr(nConds) {
  const elem = () => {
    switch (int(0, 9)) {
      case 0: case 1: case 2: case 3: return '(?' + int(chance(0.9) ? 1 : 0, chance(0.9) ? Math.max(1, nConds) : 100) + ')';
      case 4: return '.';
      case 5: case 6: return '.*';
      default:
        return '(?t' + pick(['<=', '<', '>=', '>', '==', '!=', '=']) +
          pick([String(int(0, 100000)), '18446744073709551615', '18446744073709551616', '9223372036854775807', '-1', '']) + ')';
    }
  };
  switch (int(0, 9)) {
    case 0: return 'NULL';
    case 1: return randomText();
    case 2: return q(Array.from({ length: pick([256, 257, 1000]) }, () => '.').join(''));
    case 3: return q('(?1)'.repeat(int(100, 300)));
    default: return q(Array.from({ length: int(1, 8) }, elem).join(chance(0.05) ? ' ' : ''));
  }
}

function intExpr() {
  return pick(['NULL', 'NULL::int', '0', '1', '2', '3', '5', '-1', '64', '65', '2147483647', '-2147483648', "'3'", '2.5']);
}
function numericExpr() {
  return pick(['revenue', 'revenue', 'NULL', "'NaN'::numeric", "'Infinity'::numeric", "'-Infinity'::numeric", '-1', '0',
    '0.000000000000000000001', "('1e' || " + int(1, 131071) + ')::numeric', '9' .repeat(int(1, 40)), "'x'", 'revenue * -1']);
}

// ---- sources and contexts ------------------------------------------------------------

function source() {
  switch (int(0, 9)) {
    case 0: return 'edge_events';
    case 1: return '(SELECT * FROM events WHERE actor_id <= ' + int(0, 50) + ') e';
    case 2: return '(SELECT * FROM events UNION ALL SELECT * FROM edge_events) e';
    case 3: return '(SELECT * FROM events ORDER BY random()) e';
    default: return 'events';
  }
}

// Wraps a query so that its rows are consumed (a result is computed for every
// row) but only one short line comes back.
function consume(sql) {
  return 'SELECT count(*), md5(string_agg(r::text, \',\' ORDER BY r::text)) FROM (' + sql + ') r';
}

// An aggregate call in one of the contexts an aggregate can run in.
function aggContext(call, src, filter) {
  const f = filter && chance(0.2) ? ' FILTER (WHERE ' + boolExpr() + ')' : '';
  const c = call + f;
  switch (int(0, 9)) {
    case 0: return 'SELECT ' + c + ' FROM ' + src;
    case 1: return consume('SELECT actor_id, ' + c + ' OVER (PARTITION BY actor_id ORDER BY ts) FROM ' + src);
    case 2: return consume('SELECT actor_id, ' + c + ' OVER (PARTITION BY actor_id ORDER BY ts ROWS BETWEEN ' + int(0, 3) + ' PRECEDING AND CURRENT ROW) FROM ' + src);
    case 3: return consume('SELECT actor_id, session_no, ' + c + ' FROM ' + src + ' GROUP BY ROLLUP (actor_id, session_no)');
    case 4: return consume('SELECT actor_id, product_id, ' + c + ' FROM ' + src + ' GROUP BY actor_id, product_id');
    default: return consume('SELECT actor_id, ' + c + ' FROM ' + src + ' GROUP BY actor_id');
  }
}

// ---- one statement per family ----------------------------------------------------------

function funnelCall(name) {
  const kind = pick(TIME_KINDS);
  const modes = chance(0.6) ? modesExpr() + ', ' : '';
  const order = chance(0.1) ? ' ORDER BY ts DESC' : '';
  return name + '(' + timeExpr(kind) + ', ' + windowExpr(kind) + ', ' + modes + steps(stepCount()) + order + ')';
}

const FAMILIES = {
  funnel_steps: () => aggContext(funnelCall('funnel_steps'), source(), true),
  funnel_times: () => {
    const call = funnelCall('funnel_times');
    if (chance(0.3)) return consume('SELECT actor_id, t[2] - t[1], array_length(t, 1) FROM (SELECT actor_id, ' + call + ' AS t FROM ' + source() + ' GROUP BY actor_id) x');
    return aggContext(call, source(), true);
  },
  time_between: () => {
    const kind = pick(TIME_KINDS);
    const call = 'time_between(' + timeExpr(kind) + ', ' + boolExpr() + ', ' + boolExpr() + ')';
    if (chance(0.2)) return consume('SELECT actor_id, ' + call + ' <= interval \'30 days\' FROM ' + source() + ' GROUP BY actor_id');
    return aggContext(call, source(), true);
  },
  retention: () => aggContext('retention(' + steps(stepCount()) + ')', source(), true),
  sequence_match: () => sequenceCall('sequence_match'),
  sequence_count: () => sequenceCall('sequence_count'),
  sequence_match_times: () => sequenceCall('sequence_match_times'),
  sequence_next_node: () => {
    const kind = pick(TIME_KINDS);
    const dir = pick(["'forward'", "'backward'", "'FORWARD'", "' backward '", "'sideways'", 'NULL', "''"]);
    const base = pick(["'head'", "'tail'", "'first_match'", "'last_match'", "'Head'", "'middle'", 'NULL']);
    const value = pick(['event', 'event', 'channel', 'campaign', 'NULL', 'NULL::text', "''", "repeat(event, 1000)", 'actor_id::text']);
    const st = chance(0.8) ? ', ' + steps(int(0, 4)) : '';
    return aggContext('sequence_next_node(' + dir + ', ' + base + ', ' + timeExpr(kind) + ', ' + value + ', ' + boolExpr() + st + ')', source(), true);
  },
  sessionize: () => {
    const kind = pick(TIME_KINDS);
    let gap = '';
    if (chance(0.8)) gap = ', ' + (kind === 'bigint' ? pick(['1800000', '0', '-1', '9223372036854775807', 'NULL::bigint']) : windowExpr(kind));
    const over = pick(['OVER (PARTITION BY actor_id ORDER BY ts)', 'OVER (PARTITION BY actor_id ORDER BY ts DESC)',
      'OVER (ORDER BY ts)', 'OVER ()', 'OVER (PARTITION BY actor_id ORDER BY ts ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING)',
      'OVER (PARTITION BY actor_id ORDER BY event)', '']);
    return consume('SELECT actor_id, sessionize(' + timeExpr(kind) + gap + ') ' + over + ' FROM ' + source());
  },
  dropoff_by_stage: () => {
    const n = intExpr();
    if (chance(0.4)) {
      const levels = chance(0.7) ? 'SELECT actor_id, ' + funnelCall('funnel_steps') + ' AS lv FROM ' + source() + ' GROUP BY actor_id'
        : 'SELECT g AS actor_id, ' + pick(['g % 7 - 1', 'NULL::int', 'g', '(g % 4)']) + ' AS lv FROM generate_series(1, ' + int(0, 3000) + ') g';
      return 'SELECT dropoff_by_stage(lv, ' + n + ') FROM (' + levels + ') x';
    }
    const times = pick([
      'SELECT actor_id, ' + funnelCall('funnel_times') + ' AS t FROM ' + source() + ' GROUP BY actor_id',
      "SELECT 1 AS actor_id, ARRAY['infinity', now()]::timestamptz[] AS t",
      "SELECT 1 AS actor_id, ARRAY[now(), NULL]::timestamptz[] AS t",
      "SELECT 1 AS actor_id, '{{1,2},{3,4}}'::bigint[] AS t",
      "SELECT g AS actor_id, ARRAY[-9223372036854775807, 9223372036854775807]::bigint[] AS t FROM generate_series(1, 3) g",
      "SELECT 1 AS actor_id, ARRAY['4713-01-01 BC', '5874897-12-31']::date[] AS t",
      "SELECT 1 AS actor_id, ARRAY['4714-11-24 00:00:00+00 BC', '294276-12-31 23:59:59+00']::timestamptz[] AS t",
      "SELECT 1 AS actor_id, '{}'::timestamp[] AS t",
      'SELECT 1 AS actor_id, NULL::date[] AS t',
    ]);
    return 'SELECT dropoff_by_stage(t, ' + n + ') FROM (' + times + ') x';
  },
  dropoff_rows: () => {
    const inner = pick([
      'SELECT dropoff_by_stage(lv, ' + pick(['3', '5', '64']) + ') AS s FROM (SELECT actor_id, ' + funnelCall('funnel_steps') + ' AS lv FROM events GROUP BY actor_id) x',
      'SELECT dropoff_by_stage(t, ' + pick(['3', '5']) + ') AS s FROM (SELECT actor_id, ' + funnelCall('funnel_times') + ' AS t FROM events GROUP BY actor_id) x',
      'SELECT NULL::funnel_stage[] AS s',
      "SELECT ARRAY[NULL::funnel_stage, (1, 2, 3, NULL, 'NaN', 'Infinity', NULL, NULL)::funnel_stage] AS s",
      "SELECT ARRAY[(2, -1, 9223372036854775807, 1, 1, 1, 1.5, NULL)::funnel_stage_bigint] AS s",
      "SELECT '{}'::funnel_stage[] AS s",
    ]);
    return consume('SELECT r.* FROM (' + inner + ') i, LATERAL dropoff_rows(i.s) r');
  },
  micro_value: () => aggContext('micro_value(' + boolExpr() + ', ' + boolExpr() + ', ' + numericExpr() + ')', source(), true),
  micro_stats: () => {
    const args = boolExpr() + ', ' + boolExpr() + (chance(0.5) ? ', ' + numericExpr() : '');
    if (chance(0.3)) return 'SELECT (micro_stats(' + args + ')).* FROM ' + source();
    return aggContext('micro_stats(' + args + ')', source(), true);
  },
  micro_correlations: () => correlationsQuery(false),
  micro_correlation_rows: () => correlationsQuery(true),
  funnel_report: () => {
    const call = funnelReportCall();
    switch (int(0, 3)) {
      case 0: return consume('SELECT channel, ' + call + ' FROM ' + source() + ' GROUP BY channel');
      case 1: return consume('SELECT ' + call + ' FROM ' + source());
      case 2: return consume('SELECT device, campaign, ' + call + ' FROM ' + source() + ' GROUP BY ROLLUP (device, campaign)');
      default: return consume('SELECT ' + call + ' OVER (PARTITION BY channel) FROM ' + source());
    }
  },
  funnel_report_rows: () => consume('SELECT * FROM funnel_report_rows(' + reportExpr() + ')'),
  funnel_report_stages: () => consume('SELECT * FROM dropoff_rows(funnel_report_stages(' + reportExpr() + '))'),
  funnel_report_check: () => consume('SELECT funnel_report_check(' + reportExpr() + ')'),
  generate_events: () => {
    const args = [pick(['0', '1', '-1', String(int(1, 300)), 'NULL', '9223372036854775807']),
      pick(['42', '0', '-9223372036854775808', 'NULL', String(int(0, 1e9))]),
      pick(["'2026-01-05'", "'infinity'", "'-infinity'", "'4713-01-01 BC'", "'294276-12-31'", 'NULL', 'now()']),
      pick(['28', '0', '-1', '1', '2147483647', 'NULL', '365'])];
    const n = int(1, 4);
    return consume('SELECT * FROM generate_events(' + args.slice(0, n).join(', ') + ')');
  },
};

function funnelReportCall() {
  const kind = pick(TIME_KINDS);
  const actor = pick(['actor_id', 'actor_id::int', 'actor_id::smallint', 'actor_id::text', "(actor_id % 7)::text COLLATE \"C\"",
    'md5(actor_id::text)::uuid', 'actor_id::text::bytea', 'NULL::bigint', 'channel', 'actor_id::numeric', 'event::varchar',
    "repeat('x', 3000) || actor_id"]);
  const modes = chance(0.6) ? modesExpr() + ', ' : '';
  return 'funnel_report(' + actor + ', ' + timeExpr(kind) + ', ' + windowExpr(kind) + ', ' + modes + steps(stepCount()) + ')';
}

// A report: from funnel_report, or an odd array (wrong shapes, NULLs, negatives, overflow).
function reportExpr() {
  if (chance(0.6)) return '(SELECT ' + funnelReportCall() + ' FROM ' + source() + ')';
  return pick(["'{5,3,2}'::bigint[]", "'{1}'::bigint[]", "'{1,NULL}'::bigint[]", "'{1,-2}'::bigint[]", "'{{1,2},{3,4}}'::bigint[]",
    "'{}'::bigint[]", 'NULL::bigint[]', "'{9223372036854775807,1}'::bigint[]", "'[5:7]={1,2,3}'::bigint[]",
    'array_fill(1::bigint, ARRAY[66])', 'array_fill(0::bigint, ARRAY[65])']);
}

function sequenceCall(name) {
  const kind = pick(TIME_KINDS);
  const n = stepCount();
  return aggContext(name + '(' + patternExpr(n) + ', ' + timeExpr(kind) + ', ' + steps(n) + ')', source(), true);
}

function correlationsQuery(flat) {
  const perActor = 'SELECT actor_id, ' + pick(['array_agg(DISTINCT event)', 'array_agg(event)', 'array_agg(channel)',
    "array_agg(NULLIF(event, 'page_view'))", "array_agg(event) || ARRAY[NULL, '']", "'{{a,b},{c,d}}'::text[]", 'NULL::text[]',
    "array_agg(repeat(event, 300))", "array_agg(event || actor_id::text)"]) +
    " AS evs, bool_or(event = 'purchase') AS macro, sum(revenue) AS value FROM " + source() + ' GROUP BY actor_id';
  let args = 'evs, ' + pick(['macro', 'NULL::boolean', 'NOT macro', 'random() < 0.1']);
  switch (int(0, 3)) {
    case 0: break;
    case 1: args += ', ' + pick(['0', '1', '25', '-1', 'NULL', '9223372036854775807']) + '::bigint'; break;
    default: args += ', ' + pick(['value', 'NULL::numeric', "'NaN'::numeric", '-value', "'Infinity'::numeric", 'value * 1e100']) + ', ' +
      pick(['0', '1', '-5', 'NULL', '3']) + '::bigint';
  }
  const call = 'micro_correlations(' + args + ')';
  if (flat) return consume('SELECT r.* FROM (SELECT ' + call + ' AS c FROM (' + perActor + ') p) i, LATERAL micro_correlation_rows(i.c) r');
  if (chance(0.3)) return consume('SELECT ' + call + ' OVER (ORDER BY actor_id ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) FROM (' + perActor + ') p');
  return 'SELECT ' + call + ' FROM (' + perActor + ') p';
}

// Session settings that change the plan: parallel partial aggregation (combine,
// serialize, deserialize), spilling hash aggregation, sorted aggregation.
function settings() {
  return pick([
    'SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0',
    'SET force_parallel_mode = ' + pick(['on', 'off', 'regress']),
    "SET work_mem = '" + pick(['64kB', '4MB']) + "'",
    'SET enable_hashagg = ' + pick(['on', 'off']),
    'SET enable_sort = ' + pick(['on', 'off']),
    'SET max_parallel_workers_per_gather = 0',
    "SET TIME ZONE '" + pick(['UTC', 'America/St_Johns', 'Pacific/Kiritimati']) + "'",
    'RESET ALL',
  ]);
}

const names = Object.keys(FAMILIES);
const out = [];
for (let i = 0; i < count; ++i) {
  if (chance(0.08)) {
    out.push('/*family:settings*/ ' + settings() + ';');
    continue;
  }
  const family = pick(names);
  // One line per statement: the server log shows it whole, family tag included.
  out.push('/*family:' + family + '*/ ' + FAMILIES[family]().replace(/\s*\n\s*/g, ' ') + ';');
}
console.log(out.join('\n'));
