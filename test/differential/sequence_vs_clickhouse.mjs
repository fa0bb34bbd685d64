// Differential test: pg_funnel sequence_match / sequence_count /
// sequence_match_times / sequence_next_node against ClickHouse sequenceMatch /
// sequenceCount / sequenceMatchEvents / sequenceNextNode (embedded ClickHouse
// from the chdb package), through SQL on both sides.
//
// Random groups (actors) are loaded, identically, into PostgreSQL and into
// ClickHouse MergeTree tables (rows in a random order). Patterns come from a
// small grammar: (?N), ., .*, (?t<=S) (?t<S) (?t>=S) (?t>S) (?t==S). Times are
// bigint (ClickHouse UInt64) or timestamptz (ClickHouse DateTime), with ties and
// repeated rows; some groups have NULL conditions.
//
// Every pg_funnel answer must equal the contract of docs/journeys.md, computed
// here by an independent brute force (PatternRef, nextNodeRef). A ClickHouse
// answer that differs is classified as one of the divergences listed in
// docs/journeys.md, each precisely checked and counted:
//
//   div 1   equal times: ClickHouse's order of equal-time events is undefined;
//           fed the rows in our tie order (time, condition mask) it must give our
//           answer;
//   div 6   no-ops at the end of the events, where ClickHouse's behaviour is
//           undefined (its answer changes between queries): our answer depends
//           on that rule (the brute force without it answers otherwise) and
//           ClickHouse gives the answer without it;
//   div 7   sequence_match_times: ClickHouse's chain is not the times of any
//           partial match of a prefix of the pattern (issue 118120; seen with
//           and without a match, counted separately);
//   div 8   sequence_match_times with a match: ClickHouse returns the first chain
//           of (?N) events its search completed, although the match failed after
//           it (modelled exactly by the brute force);
//   div 10  sequence_next_node, equal (time, value): ClickHouse keeps arrival
//           order; fed in our order (time, value, steps, base) it gives ours;
//   div 12  NULL conditions: ClickHouse drops the whole row; our answer over the
//           group without those rows must equal ClickHouse's.
//
// Anything else is a FAILURE, printed with the group's rows. The other
// documented divergences (2-5, 9, 11, and one example of each above) are pinned
// by fixed cases at the end, both answers asserted. sequence_match_times is
// compared on every pattern; divergences 7 and 8 are accepted only on patterns
// outside the set where they cannot occur (every (?N) after the first directly
// follows .*, nothing but .* after the last one).
//
// Environment: PG* (connection), DIFF_SEED (integer, or "random"),
// DIFF_SEQ_GROUPS (groups per time type for the sequence functions, default
// 12000; sequence_next_node uses half as many), DIFF_VERBOSE=1 (print every
// classified case).

import { Session } from 'chdb';
import os from 'node:os';

import pg from 'pg';

import { makeRng } from './reference.mjs';
import { pgValues, queryValue } from './pinned_helpers.mjs';

const t0 = Date.now();
const seedEnv = process.env.DIFF_SEED;
const SEED =
  seedEnv === undefined || seedEnv === ''
    ? 20240601
    : seedEnv === 'random'
      ? Math.floor(Math.random() * 2 ** 31)
      : Number.parseInt(seedEnv, 10) >>> 0;
const GROUPS = Number.parseInt(process.env.DIFF_SEQ_GROUPS || '12000', 10);
const VERBOSE = process.env.DIFF_VERBOSE === '1';
const MAX_PRINTED_FAILURES = 10;
const SCHEMA = `pgf_seqdiff_${process.pid}`;

let passed = 0;
let failed = 0;
let finished = false;
process.on('exit', (code) => {
  if (finished) return;
  console.log('sequence differential: run aborted (see the error above)');
  console.log(`differential: ${passed} passed, ${failed + 1} failed`);
  process.exitCode = code || 1;
});
function record(ok) {
  if (ok) passed++;
  else failed++;
}

console.log(`sequence differential: seed ${SEED} (DIFF_SEED=${SEED} to replay), ${GROUPS} groups per time type`);

const rng = makeRng(SEED);

// ------------------------------------------------------------------ contract

// A pattern as a list of elements: { op: 'step', n } (0-based condition),
// { op: 'any' }, { op: 'star' }, { op: 'time', cmp, s }.
function patternText(els) {
  return els
    .map((e) => (e.op === 'step' ? `(?${e.n + 1})` : e.op === 'any' ? '.' : e.op === 'star' ? '.*' : `(?t${e.cmp}${e.s})`))
    .join('');
}

function noopAtEnd(e) {
  return e.op === 'star' || (e.op === 'time' && (e.cmp === '<=' || e.cmp === '<' || (e.cmp === '>=' && e.s === 0)));
}

function timeHolds(cmp, d, s) {
  switch (cmp) {
    case '<=': return d <= s;
    case '<': return d < s;
    case '>=': return d >= s;
    case '>': return d > s;
    default: return d === s;
  }
}

// The path semantics of docs/journeys.md ("Matching, precisely"), by plain
// depth-first search with choices in increasing order: the first path found is
// the first match. `ev`: stored events { t, mask } in (t, mask) order.
class PatternRef {
  // noEnd: a variant without the end-of-events rule (no element is a no-op at
  // the end, no "all no-ops" exception), to tell whether an answer depends on it.
  constructor(els, ev, noEnd = false) {
    this.act = [{ op: 'star' }, ...els];
    this.ev = ev;
    this.noEnd = noEnd;
    this.allNoop = !noEnd && els.every(noopAtEnd);
    this.steps = [];
    this.act.forEach((e, a) => {
      if (e.op === 'step') this.steps.push(a);
    });
  }

  // First path from (action a, position i, base) to action `target`; returns
  // { times, end } or null. `want`: optional times the (?N) events must have.
  path(a, i, base, target, times, want) {
    if (a === target) return { times: times.slice(), end: i };
    const x = this.act[a];
    const n = this.ev.length;
    if (i === n) return !this.noEnd && noopAtEnd(x) ? this.path(a + 1, n, base, target, times, want) : null;
    switch (x.op) {
      case 'step': {
        if (!((this.ev[i].mask >> x.n) & 1)) return null;
        if (want && want[times.length] !== this.ev[i].t) return null;
        times.push(this.ev[i].t);
        const r = this.path(a + 1, i + 1, this.ev[i].t, target, times, want);
        times.pop();
        return r;
      }
      case 'any':
        return this.path(a + 1, i + 1, this.ev[i].t, target, times, want);
      case 'star':
        for (let j = i; j < n; j++) {
          const r = this.path(a + 1, j, this.ev[j].t, target, times, want);
          if (r) return r;
        }
        return null;
      default:
        for (let j = i; j < n; j++) {
          if (!timeHolds(x.cmp, this.ev[j].t - base, x.s)) continue;
          const r = this.path(a + 1, j, this.ev[j].t, target, times, want);
          if (r) return r;
        }
        return null;
    }
  }

  first(from, target) {
    const saved = this.ev;
    this.ev = saved.slice(from);
    const r = this.path(0, 0, 0, target, [], null);
    this.ev = saved;
    return r ? { times: r.times, end: r.end + from } : null;
  }

  match() {
    return this.first(0, this.act.length) !== null || this.allNoop;
  }

  count() {
    let c = 0;
    let s = 0;
    while (s < this.ev.length) {
      const p = this.first(s, this.act.length);
      if (!p) {
        if (this.allNoop) c++;
        break;
      }
      c++;
      s = p.end > s ? p.end : s + 1;
    }
    return c;
  }

  times() {
    const p = this.first(0, this.act.length);
    if (p) return p.times;
    for (let k = this.steps.length; k > 0; k--) {
      const q = this.first(0, this.steps[k - 1] + 1);
      if (q) return q.times;
    }
    return [];
  }

  // ClickHouse's sequenceMatchEvents with a match (divergence 8): the times of
  // the first path (in search order) through the last (?N) element.
  firstChainThroughLastStep() {
    if (!this.steps.length) return [];
    const q = this.first(0, this.steps[this.steps.length - 1] + 1);
    return q ? q.times : [];
  }

  // Is `chain` the (?N) times of some partial path through the first
  // chain.length (?N) elements?
  isPrefixChain(chain) {
    if (chain.length === 0) return true;
    if (chain.length > this.steps.length) return false;
    return this.path(0, 0, 0, this.steps[chain.length - 1] + 1, [], chain) !== null;
  }
}

// sequence_next_node (docs/journeys.md): rows { t, v, mask, b } with v !== null.
function bytesCmp(a, b) {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return Buffer.compare(x, y);
}
function nodeOrder(rows) {
  return rows.slice().sort((x, y) => x.t - y.t || bytesCmp(x.v, y.v) || x.mask - y.mask || Number(x.b) - Number(y.b));
}
function nextNodeRef(dir, base, n, rows) {
  const r = nodeOrder(rows);
  if (r.length <= n) return null;
  let k = -1;
  if (base === 'head') k = r[0].b ? 0 : -1;
  else if (base === 'tail') k = r[r.length - 1].b ? r.length - 1 : -1;
  else if (base === 'first_match') k = r.findIndex((x) => x.b && x.mask & 1);
  else for (let i = r.length - 1; i >= 0; i--) if (r[i].b && r[i].mask & 1) { k = i; break; }
  if (k < 0) return null;
  const d = dir === 'forward' ? 1 : -1;
  for (let i = 0; i < n; i++) {
    const x = r[k + d * i];
    if (!x || !((x.mask >> i) & 1)) return null;
  }
  const ans = r[k + d * n];
  return ans ? ans.v : null;
}

// ------------------------------------------------------------------ data

const TIME_TYPES = ['bigint', 'timestamptz'];
const CMPS = ['<=', '<', '>=', '>', '=='];

function randomPattern() {
  const k = 1 + rng.int(7);
  const els = [];
  for (let i = 0; i < k; i++) {
    const prevTime = i === 0 || els[i - 1].op === 'time';
    const r = rng.float();
    if (r < 0.4) els.push({ op: 'step', n: rng.int(3) });
    else if (r < 0.5) els.push({ op: 'any' });
    else if (r < 0.7 || prevTime) els.push({ op: 'star' });
    else els.push({ op: 'time', cmp: rng.pick(CMPS), s: rng.int(9) });
  }
  return els;
}

// Patterns where ClickHouse's sequenceMatchEvents is not documented wrong:
// every (?N) after the first directly follows .*, nothing but .* after the last.
function timesEligible(els) {
  const steps = els.map((e, i) => (e.op === 'step' ? i : -1)).filter((i) => i >= 0);
  if (!steps.length) return true;
  for (const i of steps.slice(1)) if (els[i - 1].op !== 'star') return false;
  return els.slice(steps[steps.length - 1] + 1).every((e) => e.op === 'star');
}

const PATTERNS = [];
{
  const seen = new Set();
  while (PATTERNS.length < 500) {
    const els = randomPattern();
    const text = patternText(els);
    if (seen.has(text)) continue;
    seen.add(text);
    PATTERNS.push({ pid: PATTERNS.length, els, text, eligible: timesEligible(els) });
  }
}

const maskOf = (c) => (c[0] === 1 ? 1 : 0) | (c[1] === 1 ? 2 : 0) | (c[2] === 1 ? 4 : 0);

// Sequence groups: { g, tt, pattern, rows: [{ t, c: [0|1|null x3], key }], ties, nulls }.
const SEQ = [];
for (const tt of TIME_TYPES) {
  for (let i = 0; i < GROUPS; i++) {
    const pattern = PATTERNS[rng.int(PATTERNS.length)];
    const tieMode = rng.float() < 0.4;
    const nullMode = !tieMode && rng.float() < 0.15;
    const n = 1 + rng.int(12);
    let t = (tt === 'bigint' ? 1000 : 1_600_000_000) + rng.int(1000);
    const rows = [];
    for (let k = 0; k < n; k++) {
      t += tieMode ? rng.int(3) : 1 + rng.int(3);
      let m = rng.int(8);
      if (m && rng.float() < 0.3) m &= m - 1;
      const c = [m & 1, (m >> 1) & 1, (m >> 2) & 1];
      rows.push({ t, c });
      if (tieMode && rng.float() < 0.15) rows.push({ t, c: c.slice() }); // a repeated row
    }
    if (nullMode) {
      const r = rows[rng.int(rows.length)];
      r.c[rng.int(3)] = null;
    }
    rows.forEach((r) => {
      r.key = rng.u32();
    });
    SEQ.push({ g: SEQ.length, tt, pattern, rows, nulls: nullMode });
  }
}

const NN_CONFIGS = [];
for (const [dir, base] of [
  ['forward', 'head'], ['backward', 'tail'], ['forward', 'first_match'],
  ['backward', 'first_match'], ['forward', 'last_match'], ['backward', 'last_match'],
])
  for (let n = base === 'head' || base === 'tail' ? 0 : 1; n <= 3; n++) NN_CONFIGS.push({ dir, base, n });

const VALUES = ['A', 'B', 'AB', 'b', '', 'a b', 'é'];
const NN = [];
for (const tt of TIME_TYPES) {
  for (let i = 0; i < Math.ceil(GROUPS / 2); i++) {
    const tieMode = rng.float() < 0.4;
    const nullMode = !tieMode && rng.float() < 0.15;
    const n = 1 + rng.int(10);
    let t = (tt === 'bigint' ? 1000 : 1_600_000_000) + rng.int(1000);
    const rows = [];
    for (let k = 0; k < n; k++) {
      t += tieMode ? rng.int(2) : 1 + rng.int(3);
      const v = rng.float() < 0.04 ? null : rng.pick(VALUES);
      const m = rng.int(8);
      rows.push({ t, v, b: rng.float() < 0.75 ? 1 : 0, s: [m & 1, (m >> 1) & 1, (m >> 2) & 1], key: rng.u32() });
    }
    if (nullMode) {
      const r = rows[rng.int(rows.length)];
      if (rng.float() < 0.3) r.b = null;
      else r.s[rng.int(3)] = null;
    }
    NN.push({ g: NN.length, tt, rows, nulls: nullMode });
  }
}

// Our view of a sequence group: stored events in (t, mask) order, NULL = false.
function storedEvents(rows, dropNullRows) {
  return rows
    .filter((r) => !dropNullRows || !r.c.includes(null))
    .map((r) => ({ t: r.t, mask: maskOf(r.c) }))
    .filter((e) => e.mask !== 0)
    .sort((a, b) => a.t - b.t || a.mask - b.mask);
}
function hasTies(rows) {
  const ev = storedEvents(rows, false);
  for (let i = 1; i < ev.length; i++) if (ev[i].t === ev[i - 1].t && ev[i].mask !== ev[i - 1].mask) return true;
  return false;
}
function nodeRows(rows, dropNullRows) {
  return rows
    .filter((r) => r.v !== null && (!dropNullRows || (r.b !== null && !r.s.includes(null))))
    .map((r) => ({ t: r.t, v: r.v, b: r.b === 1, smask: (r.s[0] === 1 ? 1 : 0) | (r.s[1] === 1 ? 2 : 0) | (r.s[2] === 1 ? 4 : 0) }));
}
function nodeRowsFor(rows, n, dropNullRows) {
  return nodeRows(rows, dropNullRows).map((r) => ({ ...r, mask: r.smask & ((1 << n) - 1) }));
}
function hasNodeTies(rows, n) {
  const r = nodeOrder(nodeRowsFor(rows, n, false));
  for (let i = 1; i < r.length; i++)
    if (r[i].t === r[i - 1].t && r[i].v === r[i - 1].v && (r[i].mask !== r[i - 1].mask || r[i].b !== r[i - 1].b)) return true;
  return false;
}

function fmtSeqRows(grp) {
  return grp.rows
    .slice()
    .sort((a, b) => a.t - b.t || maskOf(a.c) - maskOf(b.c))
    .map((r) => `${r.t}:${r.c.map((x) => (x === null ? 'N' : x)).join('')}`)
    .join(' ');
}
function fmtNodeRows(grp) {
  return grp.rows
    .slice()
    .sort((a, b) => a.t - b.t)
    .map((r) => `${r.t}:${r.v === null ? 'NULL' : JSON.stringify(r.v)}[b=${r.b === null ? 'N' : r.b} s=${r.s.map((x) => (x === null ? 'N' : x)).join('')}]`)
    .join(' ');
}

// ------------------------------------------------------------------ ClickHouse

const ch = new Session();
const chVersion = ch.query('SELECT version()', 'CSV').trim().replace(/"/g, '');
ch.query(`CREATE TABLE seq (g UInt32, pid UInt32, tt UInt8, t UInt64, c1 Nullable(UInt8), c2 Nullable(UInt8),
            c3 Nullable(UInt8), mask UInt8, k UInt32,
            dt DateTime MATERIALIZED if(tt = 1, toDateTime(t), toDateTime(0)))
          ENGINE = MergeTree ORDER BY (pid, g, k)`);
ch.query(`CREATE TABLE nn (g UInt32, tt UInt8, t UInt64, v Nullable(String), b Nullable(UInt8), s1 Nullable(UInt8),
            s2 Nullable(UInt8), s3 Nullable(UInt8), k UInt32,
            dt DateTime MATERIALIZED if(tt = 1, toDateTime(t), toDateTime(0)))
          ENGINE = MergeTree ORDER BY (g, k)`);
const csvNull = (x) => (x === null ? '\\N' : String(x));
const csvStr = (s) => (s === null ? '\\N' : `"${s.replace(/"/g, '""')}"`);
{
  const lines = [];
  for (const grp of SEQ)
    for (const r of grp.rows)
      lines.push(
        `${grp.g},${grp.pattern.pid},${grp.tt === 'bigint' ? 0 : 1},${r.t},${r.c.map(csvNull).join(',')},${maskOf(r.c)},${r.key}`,
      );
  await ch.insert({ table: 'seq', values: lines.join('\n') + '\n', format: 'CSV', columns: ['g', 'pid', 'tt', 't', 'c1', 'c2', 'c3', 'mask', 'k'] });
  const nl = [];
  for (const grp of NN)
    for (const r of grp.rows)
      nl.push(`${grp.g},${grp.tt === 'bigint' ? 0 : 1},${r.t},${csvStr(r.v)},${csvNull(r.b)},${r.s.map(csvNull).join(',')},${r.key}`);
  await ch.insert({ table: 'nn', values: nl.join('\n') + '\n', format: 'CSV', columns: ['g', 'tt', 't', 'v', 'b', 's1', 's2', 's3', 'k'] });
}

function chRows(sql) {
  const out = ch.query(sql, 'JSONCompactEachRow').trim();
  return out ? out.split('\n').map((l) => JSON.parse(l)) : [];
}

const CH_SEQ_ARGS = '(tcol, c1 = 1, c2 = 1, c3 = 1)';
// sequenceMatch / Count / MatchEvents per group, for the groups of the given
// patterns and time type. order: null (table order: random) or 'ours' (rows fed
// in our tie order: time, then condition mask). gFilter: optional list of groups.
function chSequence(tt, pids, order, gFilter) {
  const ttNo = tt === 'bigint' ? 0 : 1;
  const args = CH_SEQ_ARGS.replace('tcol', tt === 'bigint' ? 't' : 'dt');
  const parts = pids.map((pid) => {
    const p = PATTERNS[pid].text;
    const where = `pid = ${pid} AND tt = ${ttNo}${gFilter ? ` AND g IN (${gFilter.join(',')})` : ''}`;
    const src = `(SELECT *, dt FROM seq WHERE ${where}${order ? ' ORDER BY g, t, mask' : ''})`;
    return `SELECT g, sequenceMatch('${p}')${args} AS m, sequenceCount('${p}')${args} AS c,
                   arrayMap(x -> toUInt64(x), sequenceMatchEvents('${p}')${args}) AS ts
            FROM ${src} GROUP BY g`;
  });
  const settings = order ? ' SETTINGS max_threads = 1, query_plan_remove_redundant_sorting = 0' : '';
  const out = new Map();
  for (const [g, m, c, ts] of chRows(parts.join(' UNION ALL ') + settings))
    out.set(Number(g), { m: Number(m) === 1, c: Number(c), times: (ts || []).map(Number) });
  return out;
}

// sequenceNextNode for every configuration, per group of one time type: g ->
// array (one answer per NN_CONFIGS entry). order: null (table order) or 'ours'
// (rows fed in our order: time, value, mask of the N steps passed, base).
function chNextNode(tt, order) {
  const ttNo = tt === 'bigint' ? 0 : 1;
  const tcol = tt === 'bigint' ? 't' : 'dt';
  const out = new Map();
  const agg = (c) =>
    `sequenceNextNode('${c.dir}', '${c.base}')(${tcol}, v, b = 1${[1, 2, 3].slice(0, c.n).map((k) => `, s${k} = 1`).join('')})`;
  for (const n of order ? [0, 1, 2, 3] : [null]) {
    const idx = NN_CONFIGS.map((c, i) => i).filter((i) => n === null || NN_CONFIGS[i].n === n);
    const maskN = ['s1', '2 * s2', '4 * s3'].slice(0, n || 0).join(' + ') || 'toUInt8(0)';
    const src = `(SELECT *, dt FROM nn WHERE tt = ${ttNo}${order ? ` ORDER BY g, t, v, ${maskN}, b` : ''})`;
    const sql = `SELECT g, ${idx.map((i) => `${agg(NN_CONFIGS[i])} AS a${i}`).join(', ')} FROM ${src} GROUP BY g
                 SETTINGS allow_experimental_funnel_functions = 1${order ? ', max_threads = 1, query_plan_remove_redundant_sorting = 0' : ''}`;
    for (const row of chRows(sql)) {
      const g = Number(row[0]);
      if (!out.has(g)) out.set(g, new Array(NN_CONFIGS.length).fill(undefined));
      idx.forEach((i, k) => {
        out.get(g)[i] = row[1 + k];
      });
    }
  }
  return out;
}

// ------------------------------------------------------------------ PostgreSQL

const client = new pg.Client({ user: process.env.PGUSER || os.userInfo().username });
await client.connect();
await client.query('SET client_min_messages = warning');
await client.query('CREATE EXTENSION IF NOT EXISTS pg_funnel');
const pgVersion = (await client.query('SELECT version() AS v')).rows[0].v.split(',')[0];
const extVersion = (await client.query("SELECT extversion FROM pg_extension WHERE extname = 'pg_funnel'")).rows[0].extversion;
console.log(`sequence differential: ${pgVersion}, pg_funnel ${extVersion}; ClickHouse ${chVersion} (chdb)`);

await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
await client.query(`CREATE SCHEMA ${SCHEMA}`);
await client.query(`CREATE TABLE ${SCHEMA}.pat (pid int PRIMARY KEY, pattern text)`);
await client.query(`CREATE TABLE ${SCHEMA}.seq (g int, pid int, tt int, t bigint, ts timestamptz, c1 boolean, c2 boolean, c3 boolean, k bigint)`);
await client.query(`CREATE TABLE ${SCHEMA}.nn (g int, tt int, t bigint, ts timestamptz, v text, b boolean, s1 boolean, s2 boolean, s3 boolean, k bigint)`);
await client.query(`INSERT INTO ${SCHEMA}.pat SELECT * FROM unnest($1::int[], $2::text[])`, [
  PATTERNS.map((p) => p.pid),
  PATTERNS.map((p) => p.text),
]);
const boolOf = (x) => (x === null ? null : x === 1);
{
  const cols = [[], [], [], [], [], [], [], []];
  for (const grp of SEQ)
    for (const r of grp.rows) {
      cols[0].push(grp.g);
      cols[1].push(grp.pattern.pid);
      cols[2].push(grp.tt === 'bigint' ? 0 : 1);
      cols[3].push(String(r.t));
      cols[4].push(boolOf(r.c[0]));
      cols[5].push(boolOf(r.c[1]));
      cols[6].push(boolOf(r.c[2]));
      cols[7].push(String(r.key));
    }
  // Rows go in in a random order (the table's physical order is the input order).
  const idx = rng.shuffle([...cols[0].keys()]);
  await client.query(
    `INSERT INTO ${SCHEMA}.seq SELECT g, pid, tt, t, CASE WHEN tt = 1 THEN to_timestamp(t) END, c1, c2, c3, k
     FROM unnest($1::int[], $2::int[], $3::int[], $4::bigint[], $5::boolean[], $6::boolean[], $7::boolean[], $8::bigint[])
       AS u(g, pid, tt, t, c1, c2, c3, k)`,
    cols.map((c) => idx.map((i) => c[i])),
  );
  const nc = [[], [], [], [], [], [], [], [], []];
  for (const grp of NN)
    for (const r of grp.rows) {
      nc[0].push(grp.g);
      nc[1].push(grp.tt === 'bigint' ? 0 : 1);
      nc[2].push(String(r.t));
      nc[3].push(r.v);
      nc[4].push(boolOf(r.b));
      nc[5].push(boolOf(r.s[0]));
      nc[6].push(boolOf(r.s[1]));
      nc[7].push(boolOf(r.s[2]));
      nc[8].push(String(r.key));
    }
  const nidx = rng.shuffle([...nc[0].keys()]);
  await client.query(
    `INSERT INTO ${SCHEMA}.nn SELECT g, tt, t, CASE WHEN tt = 1 THEN to_timestamp(t) END, v, b, s1, s2, s3, k
     FROM unnest($1::int[], $2::int[], $3::bigint[], $4::text[], $5::boolean[], $6::boolean[], $7::boolean[], $8::boolean[], $9::bigint[])
       AS u(g, tt, t, v, b, s1, s2, s3, k)`,
    nc.map((c) => nidx.map((i) => c[i])),
  );
}
await client.query(`ANALYZE ${SCHEMA}.seq`);
await client.query(`ANALYZE ${SCHEMA}.nn`);

async function setParallel(on) {
  if (on)
    await client.query(
      'SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2',
    );
  else
    await client.query(
      'RESET parallel_setup_cost; RESET parallel_tuple_cost; RESET min_parallel_table_scan_size; SET max_parallel_workers_per_gather = 0',
    );
}

// Our answers per group, over all rows and (for NULL groups) without the rows
// that have a NULL condition.
async function pgSequence(tt) {
  const tcol = tt === 'bigint' ? 's.t' : 's.ts';
  const conv = (x) => (tt === 'bigint' ? `array_to_string(${x}, ',')` : `array_to_string(ARRAY(SELECT extract(epoch FROM u)::bigint FROM unnest(${x}) WITH ORDINALITY AS a(u, o) ORDER BY o), ',')`);
  const args = `p.pattern, ${tcol}, s.c1, s.c2, s.c3`;
  const nonull = 'FILTER (WHERE s.c1 IS NOT NULL AND s.c2 IS NOT NULL AND s.c3 IS NOT NULL)';
  const res = await client.query(
    `SELECT g, m, c, ${conv('ts')} AS ts, m2, c2, ${conv('ts2')} AS ts2 FROM (
       SELECT s.g, sequence_match(${args}) AS m, sequence_count(${args}) AS c, sequence_match_times(${args}) AS ts,
              sequence_match(${args}) ${nonull} AS m2, sequence_count(${args}) ${nonull} AS c2,
              sequence_match_times(${args}) ${nonull} AS ts2
       FROM ${SCHEMA}.seq s JOIN ${SCHEMA}.pat p USING (pid) WHERE s.tt = $1 GROUP BY s.g, p.pattern) x`,
    [tt === 'bigint' ? 0 : 1],
  );
  const arr = (s) => (s === '' ? [] : s.split(',').map(Number));
  const out = new Map();
  for (const r of res.rows)
    out.set(r.g, {
      m: r.m, c: Number(r.c), times: arr(r.ts),
      nonull: { m: r.m2, c: Number(r.c2), times: arr(r.ts2) },
    });
  return out;
}

async function pgNextNode(tt) {
  const tcol = tt === 'bigint' ? 't' : 'ts';
  const nonull = 'FILTER (WHERE b IS NOT NULL AND s1 IS NOT NULL AND s2 IS NOT NULL AND s3 IS NOT NULL)';
  const agg = (c) => `sequence_next_node('${c.dir}', '${c.base}', ${tcol}, v, b${['s1', 's2', 's3'].slice(0, c.n).map((s) => `, ${s}`).join('')})`;
  const res = await client.query(
    `SELECT g, ${NN_CONFIGS.map((c, i) => `${agg(c)} AS a${i}, ${agg(c)} ${nonull} AS z${i}`).join(', ')}
     FROM ${SCHEMA}.nn WHERE tt = $1 GROUP BY g`,
    [tt === 'bigint' ? 0 : 1],
  );
  const out = new Map();
  for (const r of res.rows)
    out.set(r.g, { all: NN_CONFIGS.map((_, i) => r[`a${i}`]), nonull: NN_CONFIGS.map((_, i) => r[`z${i}`]) });
  return out;
}

// ------------------------------------------------------------------ sequence functions

const seqTotals = {
  groups: 0, contract: 0,
  match: { equal: 0, div1: 0, div6: 0, div12: 0, fail: 0 },
  count: { equal: 0, div1: 0, div6: 0, div12: 0, fail: 0 },
  times: { equal: 0, div1: 0, div7: 0, div7WithMatch: 0, div8: 0, div12: 0, fail: 0, eligibleCompared: 0 },
};
let printedFailures = 0;
function seqFailure(grp, what) {
  if (printedFailures++ < MAX_PRINTED_FAILURES)
    console.log(`  FAILURE ${what}\n    ${grp.tt} group ${grp.g} pattern ${grp.pattern.text}\n    rows (time:c1c2c3): ${fmtSeqRows(grp)}`);
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

for (const tt of TIME_TYPES) {
  await setParallel(tt === 'timestamptz');
  const ours = await pgSequence(tt);
  const groups = SEQ.filter((s) => s.tt === tt);
  const pids = [...new Set(groups.map((s) => s.pattern.pid))];
  const theirs = new Map();
  const theirsOrdered = new Map();
  for (let i = 0; i < pids.length; i += 40) {
    for (const [g, v] of chSequence(tt, pids.slice(i, i + 40), null)) theirs.set(g, v);
    for (const [g, v] of chSequence(tt, pids.slice(i, i + 40), 'ours')) theirsOrdered.set(g, v);
  }
  const before = JSON.stringify(seqTotals);
  for (const grp of groups) {
    seqTotals.groups++;
    const o = ours.get(grp.g);
    const h = theirs.get(grp.g) || { m: false, c: 0, times: [] }; // no stored row: no ClickHouse group
    const hOrd = theirsOrdered.get(grp.g) || { m: false, c: 0, times: [] };
    if (!o) {
      seqTotals.match.fail++;
      seqFailure(grp, 'missing pg_funnel result');
      continue;
    }
    // 1. Ours equals the contract (over all rows, and without the NULL rows).
    const ref = new PatternRef(grp.pattern.els, storedEvents(grp.rows, false));
    const want = { m: ref.match(), c: ref.count(), times: ref.times() };
    const refNN = grp.nulls ? new PatternRef(grp.pattern.els, storedEvents(grp.rows, true)) : ref;
    // Over no rows at all (FILTER removed every row) an aggregate has no pattern
    // to apply: false, 0, {} (docs/journeys.md).
    const noRowsLeft = grp.rows.every((r) => r.c.includes(null));
    const wantNN = !grp.nulls ? want : noRowsLeft ? { m: false, c: 0, times: [] } : { m: refNN.match(), c: refNN.count(), times: refNN.times() };
    if (!same({ m: o.m, c: o.c, times: o.times }, want) || (grp.nulls && !same(o.nonull, wantNN))) {
      seqTotals.contract++;
      seqFailure(grp, `OURS DIFFERS FROM THE CONTRACT: ours=${JSON.stringify(o)} contract=${JSON.stringify(want)} contract without NULL rows=${JSON.stringify(wantNN)}`);
      continue;
    }
    const ties = hasTies(grp.rows);
    // What ClickHouse should answer if only the documented divergences applied:
    // our answer over the rows it sees (without the rows that have a NULL
    // condition), which it gets in our tie order in hOrd.
    const oursCH = grp.nulls ? o.nonull : o;
    const refCH = grp.nulls ? refNN : ref;
    const hCH = ties ? hOrd : h;
    const label = (differsByNull, differsByTies) => (differsByNull ? 'div12' : differsByTies ? 'div1' : null);
    // Divergence 6: the answer without the end-of-events rule.
    const refNoEnd = new PatternRef(grp.pattern.els, refCH.ev, true);
    const noEnd = { m: refNoEnd.match(), c: refNoEnd.count() };
    // 2. sequence_match and sequence_count.
    for (const fn of ['match', 'count']) {
      const key = fn === 'match' ? 'm' : 'c';
      const tally = seqTotals[fn];
      if (o[key] === h[key]) {
        tally.equal++;
        continue;
      }
      if (hCH[key] === oursCH[key] && label(oursCH[key] !== o[key], hCH[key] !== h[key])) {
        const l = label(oursCH[key] !== o[key], hCH[key] !== h[key]);
        tally[l]++;
        if (VERBOSE) console.log(`  ${l} ${fn}: ${grp.pattern.text} ${fmtSeqRows(grp)} ours=${o[key]} ClickHouse=${h[key]}`);
        continue;
      }
      // The answer depends on the end-of-events no-ops, where ClickHouse's
      // behaviour is undefined; it gives ours or the answer without the rule.
      if (noEnd[key] !== oursCH[key] && (hCH[key] === oursCH[key] || hCH[key] === noEnd[key])) {
        tally.div6++;
        if (VERBOSE) console.log(`  div 6 ${fn}: ${grp.pattern.text} ${fmtSeqRows(grp)} ours=${o[key]} ClickHouse=${h[key]} without the end rule=${noEnd[key]}`);
        continue;
      }
      tally.fail++;
      seqFailure(grp, `${fn}: ours=${o[key]} ClickHouse=${h[key]} ClickHouse(our tie order)=${hOrd[key]} ours without NULL rows=${oursCH[key]} ties=${ties}`);
    }
    // 3. sequence_match_times.
    {
      const tally = seqTotals.times;
      if (grp.pattern.eligible) tally.eligibleCompared++;
      if (same(o.times, h.times)) {
        tally.equal++;
      } else if (same(hCH.times, oursCH.times) && label(!same(oursCH.times, o.times), !same(hCH.times, h.times))) {
        tally[label(!same(oursCH.times, o.times), !same(hCH.times, h.times))]++;
      } else if (!grp.pattern.eligible && !refCH.isPrefixChain(hCH.times)) {
        // Issue 118120: a chain that is no (partial) match of the pattern.
        tally.div7++;
        if (oursCH.m) tally.div7WithMatch++;
        if (VERBOSE) console.log(`  div 7: ${grp.pattern.text} ${fmtSeqRows(grp)} ours=[${o.times}] ClickHouse=[${h.times}] match=${o.m}`);
      } else if (!grp.pattern.eligible && oursCH.m && same(hCH.times, refCH.firstChainThroughLastStep())) {
        tally.div8++;
        if (VERBOSE) console.log(`  div 8: ${grp.pattern.text} ${fmtSeqRows(grp)} ours=[${o.times}] ClickHouse=[${h.times}]`);
      } else {
        tally.fail++;
        seqFailure(grp, `times: ours=[${o.times}] ClickHouse=[${h.times}] ClickHouse(our tie order)=[${hOrd.times}] ours without NULL rows=[${oursCH.times}] match=${o.m} eligible=${grp.pattern.eligible} ties=${ties}`);
      }
    }
  }
  const now = seqTotals;
  const b = JSON.parse(before);
  const d = (f, k) => now[f][k] - b[f][k];
  const ok =
    now.contract === b.contract && d('match', 'fail') === 0 && d('count', 'fail') === 0 && d('times', 'fail') === 0;
  record(ok);
  console.log(
    `[seq] ${tt.padEnd(11)} ${groups.length} groups, ${pids.length} patterns, ${tt === 'timestamptz' ? 'parallel' : 'serial'}: ` +
      `contract ${groups.length - (now.contract - b.contract)}/${groups.length}; ` +
      `match equal=${d('match', 'equal')} div1=${d('match', 'div1')} div6=${d('match', 'div6')} div12=${d('match', 'div12')} fail=${d('match', 'fail')}; ` +
      `count equal=${d('count', 'equal')} div1=${d('count', 'div1')} div6=${d('count', 'div6')} div12=${d('count', 'div12')} fail=${d('count', 'fail')}; ` +
      `times equal=${d('times', 'equal')} div1=${d('times', 'div1')} div7=${d('times', 'div7')} div8=${d('times', 'div8')} div12=${d('times', 'div12')} fail=${d('times', 'fail')} ` +
      `${ok ? 'ok' : 'FAILED'}`,
  );
}

// ------------------------------------------------------------------ sequence_next_node

const nnTotals = { compared: 0, contract: 0, equal: 0, div10: 0, div12: 0, fail: 0 };
let nnPrinted = 0;
for (const tt of TIME_TYPES) {
  await setParallel(tt === 'bigint');
  const ours = await pgNextNode(tt);
  const theirs = chNextNode(tt, null);
  const theirsOrdered = chNextNode(tt, 'ours');
  const groups = NN.filter((s) => s.tt === tt);
  const b = { ...nnTotals };
  const fail = (grp, i, detail) => {
    nnTotals.fail++;
    const c = NN_CONFIGS[i];
    if (nnPrinted++ < MAX_PRINTED_FAILURES)
      console.log(`  FAILURE sequence_next_node('${c.dir}', '${c.base}') N=${c.n} ${tt} group ${grp.g}: ${detail}\n    rows: ${fmtNodeRows(grp)}`);
  };
  for (const grp of groups) {
    const o = ours.get(grp.g);
    const h = theirs.get(grp.g);
    const hOrd = theirsOrdered.get(grp.g);
    NN_CONFIGS.forEach((c, i) => {
      nnTotals.compared++;
      const want = nextNodeRef(c.dir, c.base, c.n, nodeRowsFor(grp.rows, c.n, false));
      const wantNN = nextNodeRef(c.dir, c.base, c.n, nodeRowsFor(grp.rows, c.n, true));
      if (!o || o.all[i] !== want || o.nonull[i] !== wantNN) {
        nnTotals.contract++;
        fail(grp, i, `OURS DIFFERS FROM THE CONTRACT: ours=${o && o.all[i]} contract=${want} (without NULL rows: ours=${o && o.nonull[i]} contract=${wantNN})`);
        return;
      }
      const their = h ? h[i] : null;
      if (their === o.all[i]) {
        nnTotals.equal++;
        return;
      }
      if (grp.nulls && their === wantNN) {
        nnTotals.div12++;
        return;
      }
      if (hasNodeTies(grp.rows, c.n) && hOrd && hOrd[i] === o.all[i]) {
        nnTotals.div10++;
        if (VERBOSE) console.log(`  div 10 ${c.dir}/${c.base}/${c.n}: ${fmtNodeRows(grp)} ours=${o.all[i]} ClickHouse=${their}`);
        return;
      }
      fail(grp, i, `ours=${JSON.stringify(o.all[i])} ClickHouse=${JSON.stringify(their)} ClickHouse(our tie order)=${JSON.stringify(hOrd && hOrd[i])}`);
    });
  }
  const d = (k) => nnTotals[k] - b[k];
  const ok = d('fail') === 0;
  record(ok);
  console.log(
    `[next_node] ${tt.padEnd(11)} ${groups.length} groups x ${NN_CONFIGS.length} (direction, base, N), ${tt === 'bigint' ? 'parallel' : 'serial'}: ` +
      `contract ${d('compared') - d('contract')}/${d('compared')}; equal=${d('equal')} div10=${d('div10')} div12=${d('div12')} fail=${d('fail')} ${ok ? 'ok' : 'FAILED'}`,
  );
}

// ------------------------------------------------------------------ pinned cases

const ourValue = (sql) => queryValue(client, sql);
function chValue(sql) {
  try {
    const out = ch.query(`${sql} SETTINGS allow_experimental_funnel_functions = 1`, 'JSONCompactEachRow').trim();
    return JSON.parse(out)[0];
  } catch (e) {
    return `ERROR: ${String(e.message).split('\n')[0]}`;
  }
}
function pin(name, oursGot, oursWant, chGot, chWant) {
  const check = (got, want) => (typeof want === 'function' ? want(got) : JSON.stringify(got) === JSON.stringify(want));
  const ok = check(oursGot, oursWant) && check(chGot, chWant);
  record(ok);
  console.log(
    `[pin] ${name}: ours=${JSON.stringify(oursGot)} ClickHouse=${JSON.stringify(chGot)} ${ok ? 'ok' : `FAILED (expected ours=${typeof oursWant === 'function' ? 'see test' : JSON.stringify(oursWant)} ClickHouse=${typeof chWant === 'function' ? 'see test' : JSON.stringify(chWant)})`}`,
  );
}
const isError = (re) => (v) => typeof v === 'string' && v.startsWith('ERROR') && re.test(v);

// rows: [t, c1, c2, c3] (0/1); the ClickHouse side gets them in the given order.
const seqPg = (fn, pattern, rows) =>
  `SELECT ${fn}('${pattern}', t, c1 = 1, c2 = 1, c3 = 1) AS v FROM ${pgValues(rows.map((r) => [`${r[0]}::bigint`, ...r.slice(1)]), 't, c1, c2, c3')}`;
const seqCh = (fn, pattern, rows) =>
  `SELECT ${fn}('${pattern}')(t, c1 = 1, c2 = 1, c3 = 1) FROM (SELECT * FROM values('o UInt32, t UInt64, c1 UInt8, c2 UInt8, c3 UInt8', ${rows.map((r, i) => `(${i}, ${r.join(', ')})`).join(', ')}) ORDER BY o)`;
const orderSettings = ' SETTINGS max_threads = 1, query_plan_remove_redundant_sorting = 0';

{
  // div 1: equal times. b@5 arrives before a@5; we order a (mask 1) before b.
  const rows = [[5, 0, 1, 0], [5, 1, 0, 0]];
  pin('div 1 equal times, (?1)(?2) over b@5, a@5 (b first)', await ourValue(seqPg('sequence_match', '(?1)(?2)', rows)), true,
    chValue(seqCh('sequenceMatch', '(?1)(?2)', rows) + orderSettings), 0);
}
{
  // div 2: the empty pattern.
  const rows = [[1, 1, 0, 0], [2, 0, 1, 0]];
  pin('div 2 empty pattern', await ourValue(seqPg('sequence_count', '', rows)), isError(/pattern is empty/),
    chValue(seqCh('sequenceCount', '', rows)), 2);
}
{
  // div 3: a time condition first: ClickHouse reads (?t<=5)(?1) as .*(?t<=5)(?1).
  const rows = [[1, 0, 1, 0], [4, 1, 0, 0]];
  pin('div 3 time condition first', { first: await ourValue(seqPg('sequence_match', '(?t<=5)(?2)', rows)), star: await ourValue(seqPg('sequence_match', '.*(?t<=5)(?2)', rows)) },
    (v) => /cannot start the pattern/.test(v.first) && v.star === true,
    chValue(seqCh('sequenceMatch', '(?t<=5)(?2)', rows)), 1);
}
{
  // div 4: (?0).
  const rows = [[1, 1, 0, 0]];
  pin('div 4 (?0)', await ourValue(seqPg('sequence_match', '(?0)', rows)), isError(/out of range/),
    chValue(seqCh('sequenceMatch', '(?0)', rows)), isError(/./));
}
{
  // div 5: one condition: accepted here, ClickHouse needs two.
  const o = await ourValue(`SELECT sequence_match('(?1)', t, c = 1) AS v FROM ${pgValues([['1::bigint', 1]], 't, c')}`);
  const h = chValue(`SELECT sequenceMatch('(?1)')(t, c = 1) FROM values('t UInt64, c UInt8', (1, 1))`);
  pin('div 5 a single condition', o, true, h, isError(/argument/i));
}
{
  // div 6: trailing no-ops at the end of the events (ClickHouse's answer is
  // undefined behaviour; asserted only for us).
  const rows = [[1, 1, 0, 0]];
  pin('div 6 .(?t<=6) over one event', await ourValue(seqPg('sequence_count', '.(?t<=6)', rows)), '1',
    chValue(seqCh('sequenceCount', '.(?t<=6)', rows)), (v) => v === 0 || v === 1);
}
{
  // div 7: issue 118120: (?1)(?t<=10)(?2)(?3) over a@0, b@5, b@100, c@101.
  const rows = [[0, 1, 0, 0], [5, 0, 1, 0], [100, 0, 1, 0], [101, 0, 0, 1]];
  pin('div 7 sequence_match_times without a match (issue 118120)', await ourValue(seqPg('sequence_match_times', '(?1)(?t<=10)(?2)(?3)', rows)), ['0', '5'],
    chValue(seqCh('sequenceMatchEvents', '(?1)(?t<=10)(?2)(?3)', rows)), [0, 100, 101]);
}
{
  // div 8: (?3)(?t<=1) over c3@1, c3@3, c1@4: the match is c3@3.
  const rows = [[1, 0, 0, 1], [3, 0, 0, 1], [4, 1, 0, 0]];
  pin('div 8 sequence_match_times with a match', await ourValue(seqPg('sequence_match_times', '(?3)(?t<=1)', rows)), ['3'],
    chValue(seqCh('sequenceMatchEvents', '(?3)(?t<=1)', rows)), [1]);
}
{
  // div 9: date time conditions are in seconds here, in days in ClickHouse.
  const o = await ourValue(
    `SELECT sequence_match('(?1)(?t<=1)(?2)', d, e = 'a', e = 'b') AS v FROM ${pgValues([["'2026-01-01'::date", "'a'"], ["'2026-01-02'", "'b'"]], 'd, e')}`,
  );
  const o2 = await ourValue(
    `SELECT sequence_match('(?1)(?t<=86400)(?2)', d, e = 'a', e = 'b') AS v FROM ${pgValues([["'2026-01-01'::date", "'a'"], ["'2026-01-02'", "'b'"]], 'd, e')}`,
  );
  const h = chValue(`SELECT sequenceMatch('(?1)(?t<=1)(?2)')(d, e = 'a', e = 'b') FROM values('d Date, e String', ('2026-01-01', 'a'), ('2026-01-02', 'b'))`);
  pin('div 9 date: (?t<=1) is one second here, one day in ClickHouse', { s1: o, s86400: o2 }, { s1: false, s86400: true }, h, 1);
}
{
  // div 10: equal (time, value): steps break the tie here, arrival order in ClickHouse.
  // Rows x@1 (no step), x@1 (step 1), y@2; forward/first_match with step 1.
  const q = (rows) => `SELECT sequenceNextNode('forward', 'first_match')(t, v, 1, s = 1) FROM (SELECT * FROM values('o UInt32, t UInt64, v String, s UInt8', ${rows.map((r, i) => `(${i}, ${r[0]}, '${r[1]}', ${r[2]})`).join(', ')}) ORDER BY o)`;
  const rowsA = [[1, 'x', 1], [1, 'x', 0], [2, 'y', 0]];
  const rowsB = [[1, 'x', 0], [1, 'x', 1], [2, 'y', 0]];
  const o = await ourValue(
    `SELECT sequence_next_node('forward', 'first_match', t, v, true, s = 1) AS v FROM ${pgValues(rowsA.map((r) => [`${r[0]}::bigint`, `'${r[1]}'`, r[2]]), 't, v, s')}`,
  );
  pin('div 10 equal (time, value) in two arrival orders', o, 'y',
    { stepRowFirst: chValue(q(rowsA) + orderSettings), stepRowSecond: chValue(q(rowsB) + orderSettings) }, { stepRowFirst: 'x', stepRowSecond: 'y' });
}
{
  // div 11: times beyond UInt32: ClickHouse truncates them (2^32 + 1 becomes 1).
  const big = 2 ** 32 + 1;
  const o = await ourValue(
    `SELECT sequence_next_node('forward', 'head', t, v, true) AS v FROM ${pgValues([[`${big}::bigint`, "'late'"], ['2', "'early'"]], 't, v')}`,
  );
  const h = chValue(`SELECT sequenceNextNode('forward', 'head')(t, v, 1) FROM values('t UInt64, v String', (${big}, 'late'), (2, 'early'))`);
  const oc = await ourValue(`SELECT sequence_next_node('Forward', 'HEAD', t, v, true) AS v FROM ${pgValues([['1::bigint', "'a'"]], 't, v')}`);
  const hc = chValue(`SELECT sequenceNextNode('Forward', 'HEAD')(t, v, 1) FROM values('t UInt64, v String', (1, 'a'))`);
  pin('div 11 UInt32 truncation, case of direction/base', { big: o, caseInsensitive: oc }, { big: 'early', caseInsensitive: 'a' },
    { big: h, caseInsensitive: hc }, (v) => v.big === 'late' && /^ERROR/.test(v.caseInsensitive));
}
{
  // div 12: a NULL condition: the row stays (false for that condition) here,
  // ClickHouse drops it.
  const o = await ourValue(
    `SELECT sequence_match('(?1)(?2)', t, c1 = 1, c2 = 1) AS v FROM ${pgValues([['1::bigint', 1, 0], ['2', 'NULL', 1], ['3', 0, 1]], 't, c1, c2')}`,
  );
  const h = chValue(`SELECT sequenceMatch('(?1)(?2)')(t, c1 = 1, c2 = 1) FROM values('t UInt64, c1 Nullable(UInt8), c2 UInt8', (1, 1, 0), (2, NULL, 1), (3, 0, 1))`);
  pin('div 12 NULL condition (a@1, NULL/b@2, b@3)', o, true, h, 1);
  const o2 = await ourValue(
    `SELECT sequence_next_node('forward', 'head', t, v, true, s = 1) AS v FROM ${pgValues([['1::bigint', "'a'", 1], ['2', "'b'", 'NULL'], ['3', "'c'", 0]], 't, v, s')}`,
  );
  const h2 = chValue(`SELECT sequenceNextNode('forward', 'head')(t, v, 1, s = 1) FROM values('t UInt64, v String, s Nullable(UInt8)', (1, 'a', 1), (2, 'b', NULL), (3, 'c', 0))`);
  pin('div 12 NULL step in sequence_next_node (a@1, b@2 with NULL step, c@3)', o2, 'b', h2, 'c');
}

// ------------------------------------------------------------------ summary

await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
await client.end();
ch.close();

const st = seqTotals;
console.log(
  `sequence differential: ${st.groups} sequence groups (contract failures ${st.contract}): ` +
    `sequence_match ${st.match.equal} equal, ${st.match.div1} div 1 (ties), ${st.match.div6} div 6 (end no-ops), ${st.match.div12} div 12 (NULL), ${st.match.fail} unexplained; ` +
    `sequence_count ${st.count.equal} equal, ${st.count.div1} div 1, ${st.count.div6} div 6, ${st.count.div12} div 12, ${st.count.fail} unexplained; ` +
    `sequence_match_times ${st.times.equal} equal (${st.times.eligibleCompared} on patterns outside divergences 7/8), ${st.times.div1} div 1, ${st.times.div7} div 7 (${st.times.div7WithMatch} of them with a match), ${st.times.div8} div 8, ${st.times.div12} div 12, ${st.times.fail} unexplained; ` +
    `sequence_next_node ${nnTotals.compared} comparisons (contract failures ${nnTotals.contract}): ${nnTotals.equal} equal, ${nnTotals.div10} div 10 (ties), ${nnTotals.div12} div 12 (NULL), ${nnTotals.fail - nnTotals.contract} unexplained; ` +
    `${((Date.now() - t0) / 1000).toFixed(1)} s`,
);
console.log(`differential: ${passed} passed, ${failed} failed`);
finished = true;
process.exit(failed > 0 ? 1 : 0);
