// pg_funnel benchmark driver. Run through scripts/bench.sh, which builds the
// extension and starts a throwaway PostgreSQL 15 cluster (the PG* variables point
// at it); this script then
//   1. loads the data sets: generate_events (or a uniform generator if it is
//      missing) and a uniform-random table with the same number of rows;
//   2. exports the same rows to ClickHouse (embedded, chdb) through COPY files;
//   3. times every workload (median of several runs, after one EXPLAIN (ANALYZE,
//      BUFFERS) run that warms the caches and reports the memory of each plan node);
//   4. checks that every formulation of a report gives the same answer as
//      pg_funnel (and fails loudly if not);
//   5. prints a results table with the ratios to pg_funnel and the targets, and
//      writes results.json, results.md, the plans and (with --profile) perf reports.
//
// Options: --events N (rows, default 1e7; actors = N / 10), --runs R (default 3),
// --quick (2e5 rows, 1 run), --out DIR, --no-clickhouse, --profile, --whatif
// (also time funnel_steps re-declared with SSPACE), --max-seconds S (stop
// repeating a query once its runs have used S seconds; default 20),
// --statement-timeout S (default 1800).
// The last line is "bench: N passed, M failed": N answer checks that agreed, M
// that did not plus workloads that failed to run; the exit status is 1 if M > 0.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

import pg from 'pg';

const here = path.dirname(fileURLToPath(import.meta.url));
const sqlDir = path.join(here, 'sql');

// ------------------------------------------------------------------ options

function parseArgs(argv) {
  const o = {
    events: 10_000_000,
    runs: 3,
    quick: false,
    out: null,
    clickhouse: true,
    profile: false,
    whatif: false,
    maxSeconds: 20,
    statementTimeout: 1800,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--events') o.events = Math.round(Number(val()));
    else if (a === '--runs') o.runs = Number(val());
    else if (a === '--quick') o.quick = true;
    else if (a === '--out') o.out = val();
    else if (a === '--no-clickhouse') o.clickhouse = false;
    else if (a === '--profile') o.profile = true;
    else if (a === '--whatif') o.whatif = true;
    else if (a === '--max-seconds') o.maxSeconds = Number(val());
    else if (a === '--statement-timeout') o.statementTimeout = Number(val());
    else throw new Error(`unknown option ${a}`);
  }
  if (o.quick) {
    if (!argv.includes('--events')) o.events = 200_000;
    if (!argv.includes('--runs')) o.runs = 1;
  }
  if (!(o.events >= 1000)) throw new Error('--events must be at least 1000');
  if (!(o.runs >= 1)) throw new Error('--runs must be at least 1');
  o.actors = Math.max(100, Math.round(o.events / 10));
  o.out = path.resolve(o.out || path.join(here, '..', '..', 'build', 'bench-results', String(o.events)));
  return o;
}

const opt = parseArgs(process.argv.slice(2));
fs.mkdirSync(path.join(opt.out, 'plans'), { recursive: true });
fs.mkdirSync(path.join(opt.out, 'queries'), { recursive: true });

const log = (...a) => console.log(...a);
const fmtS = (s) => (s == null ? '-' : s < 10 ? s.toFixed(3) : s.toFixed(2));
const fmtX = (x) => (x == null || !Number.isFinite(x) ? '-' : `${x.toFixed(2)}x`);
const fmtMB = (kb) => (kb == null ? '-' : kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${Math.round(kb)} kB`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function template(text, vars) {
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}
function readSql(rel, vars) {
  return template(fs.readFileSync(path.join(sqlDir, rel), 'utf8'), vars);
}
// Statements of a file, split at semicolons that end a line (our files only).
function statements(text) {
  return text
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

// ------------------------------------------------------------------ PostgreSQL

const client = new pg.Client();
await client.connect();
await client.query('SET client_min_messages = warning');
await client.query('CREATE EXTENSION IF NOT EXISTS pg_funnel');

const pgVersion = (await client.query('SHOW server_version')).rows[0].server_version;
const extVersion = (await client.query("SELECT extversion FROM pg_extension WHERE extname = 'pg_funnel'")).rows[0]
  .extversion;
const settingsShown = {};
for (const g of [
  'shared_buffers',
  'work_mem',
  'hash_mem_multiplier',
  'maintenance_work_mem',
  'max_parallel_workers_per_gather',
  'max_parallel_workers',
  'parallel_leader_participation',
  'jit',
  'effective_cache_size',
  'random_page_cost',
]) {
  settingsShown[g] = (await client.query(`SHOW ${g}`)).rows[0][g];
}
const backendPid = (await client.query('SELECT pg_backend_pid() AS p')).rows[0].p;
// The installed library is shared with other work on the machine: if it is
// replaced during the run, parallel workers (which load it afresh) may run
// another build than the leader. Checked again at the end.
const libdir = execFileSync('pg_config', ['--pkglibdir'], { encoding: 'utf8' }).trim();
const libSum = () => execFileSync('md5sum', [path.join(libdir, 'pg_funnel.so')], { encoding: 'utf8' }).split(' ')[0];
const libAtStart = libSum();

const available = {};
for (const fn of ['generate_events', 'funnel_steps', 'dropoff_by_stage', 'micro_correlations', 'sequence_match',
                  'retention', 'sessionize', 'funnel_report']) {
  const r = await client.query('SELECT count(*)::int AS n FROM pg_proc WHERE proname = $1', [fn]);
  available[fn] = r.rows[0].n > 0;
}

log(`bench: PostgreSQL ${pgVersion}, pg_funnel ${extVersion}; ${os.cpus().length} cores, ` +
    `${Math.round(os.totalmem() / 2 ** 30)} GiB; ${opt.events} events requested, ${opt.runs} run(s)`);
log(`bench: settings ${Object.entries(settingsShown).map(([k, v]) => `${k}=${v}`).join(' ')}`);
log(`bench: functions ${Object.entries(available).map(([k, v]) => `${k}:${v ? 'yes' : 'NOT AVAILABLE'}`).join(' ')}`);

async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

// ------------------------------------------------------------------ data sets

const datasets = [
  { id: 'gen', table: 'events_gen', label: 'generate_events' },
  { id: 'uniform', table: 'events_uniform', label: 'uniform random' },
];
const loadTimes = {};

for (const t of ['events_gen', 'events_uniform']) await client.query(`DROP TABLE IF EXISTS ${t}`);
if (available.generate_events) {
  loadTimes.gen = await timed(() =>
    client.query(readSql('load_generated.sql', { table: 'events_gen', actors: opt.actors })));
} else {
  log('bench: generate_events is NOT AVAILABLE: the first data set is uniform random too (another seed)');
  datasets[0].label = 'uniform random (generate_events not available)';
  loadTimes.gen = await timed(async () => {
    const sql = readSql('load_uniform.sql', { table: 'events_gen', actors: opt.actors, rows: opt.events })
      .replace('setseed(0.42)', 'setseed(0.17)');
    for (const s of statements(sql)) await client.query(s);
  });
}
const genRows = Number((await client.query('SELECT count(*) AS n FROM events_gen')).rows[0].n);
loadTimes.uniform = await timed(async () => {
  for (const s of statements(readSql('load_uniform.sql', { table: 'events_uniform', actors: opt.actors, rows: genRows })))
    await client.query(s);
});
for (const d of datasets) {
  loadTimes[`${d.id}_prepare`] = await timed(async () => {
    for (const s of statements(readSql('prepare.sql', { table: d.table }))) await client.query(s);
  });
  const r = (
    await client.query(`SELECT count(*) AS rows, count(DISTINCT actor_id) AS actors,
        count(*) FILTER (WHERE event IN ('product_view', 'add_to_cart', 'begin_checkout', 'purchase')) AS f4_rows,
        count(*) FILTER (WHERE event IN ('page_view', 'product_view', 'add_to_cart', 'begin_checkout', 'purchase')) AS f8_rows,
        pg_table_size('${d.table}') AS table_bytes,
        pg_indexes_size('${d.table}') AS index_bytes
      FROM ${d.table}`)
  ).rows[0];
  for (const k of Object.keys(r)) d[k] = Number(r[k]);
  for (const st of statements(readSql('tied.sql', { table: d.table }))) await client.query(st);
  d.tied_actors = Number((await client.query(`SELECT count(*) AS n FROM ${d.table}_tied`)).rows[0].n);
  log(`bench: ${d.table}: ${d.rows} rows, ${d.actors} actors, table ${(d.table_bytes / 2 ** 20).toFixed(0)} MB, ` +
      `index ${(d.index_bytes / 2 ** 20).toFixed(0)} MB; rows matching a step: 4-step ${d.f4_rows}, 8-step ${d.f8_rows}; ` +
      `${d.tied_actors} actors with rows of equal time; ` +
      `load ${fmtS(loadTimes[d.id])} s, index + vacuum ${fmtS(loadTimes[`${d.id}_prepare`])} s`);
}

// ------------------------------------------------------------------ ClickHouse

let ch = null;
let chVersion = null;
let chThreads = null;
if (opt.clickhouse) {
  const { Session } = await import('chdb');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pgf-bench-'));
  fs.chmodSync(dataDir, 0o777);  // the server (user postgres) writes the COPY files
  ch = new Session(path.join(dataDir, 'chdb'));
  chVersion = ch.query('SELECT version()', 'TSV').trim();
  chThreads = ch.query("SELECT getSetting('max_threads')", 'TSV').trim();
  for (const d of datasets) {
    const file = path.join(dataDir, `${d.table}.tsv`);
    loadTimes[`${d.id}_export`] = await timed(() => client.query(readSql('export.sql', { table: d.table, file })));
    loadTimes[`${d.id}_clickhouse`] = await timed(async () => {
      ch.query(`DROP TABLE IF EXISTS ${d.table}`);
      for (const s of statements(readSql('clickhouse/load.sql', { table: d.table, file }))) ch.query(s);
    });
    const n = Number(ch.query(`SELECT count() FROM ${d.table}`, 'TSV').trim());
    if (n !== d.rows) throw new Error(`ClickHouse has ${n} rows of ${d.table}, PostgreSQL ${d.rows}`);
    fs.rmSync(file);
    log(`bench: ClickHouse ${chVersion} (chdb, max_threads=${chThreads}): ${d.table} loaded, ${n} rows ` +
        `(export ${fmtS(loadTimes[`${d.id}_export`])} s, load ${fmtS(loadTimes[`${d.id}_clickhouse`])} s)`);
  }
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
} else {
  log('bench: ClickHouse skipped (--no-clickhouse)');
}

// ------------------------------------------------------------------ measuring

// Session settings of a configuration. "parallel" is the cluster's default
// (max_parallel_workers_per_gather = 2, the planner decides); "forced" also makes
// parallel plans free, so the planner picks one whenever it can.
const configs = {
  serial: { max_parallel_workers_per_gather: 0 },
  parallel: { max_parallel_workers_per_gather: 2 },
  forced: { max_parallel_workers_per_gather: 2, parallel_setup_cost: 0, parallel_tuple_cost: 0,
            min_parallel_table_scan_size: 0 },
};

async function applyConfig(name) {
  await client.query('RESET ALL');
  await client.query('SET client_min_messages = warning');
  await client.query(`SET statement_timeout = '${opt.statementTimeout}s'`);
  for (const [k, v] of Object.entries(configs[name])) await client.query(`SET ${k} = ${v}`);
}

// Memory and parallelism of a plan, from EXPLAIN (ANALYZE, FORMAT JSON).
function planFacts(plan) {
  const facts = { workers: 0, largest: null, spilled: false, nodes: [], shape: [] };
  const visit = (node) => {
    if (!['Gather', 'Gather Merge', 'Result', 'Subquery Scan'].includes(node['Node Type']))
      facts.shape.push(`${node['Node Type']}${node.Strategy ? ` ${node.Strategy}` : ''}`);
    facts.workers += node['Workers Launched'] || 0;
    const mem = [];
    for (const src of [node, ...(node.Workers || [])]) {
      if (src['Peak Memory Usage'] != null) mem.push(src['Peak Memory Usage']);
      if (src['Sort Space Type'] === 'Memory' && src['Sort Space Used'] != null) mem.push(src['Sort Space Used']);
      if (src['Sort Space Type'] === 'Disk' || (src['Disk Usage'] || 0) > 0 || (src['HashAgg Batches'] || 1) > 1)
        facts.spilled = true;
    }
    if (mem.length) {
      const kb = Math.max(...mem);
      const what = `${node['Node Type']}${node.Strategy ? ` (${node.Strategy})` : ''}`;
      facts.nodes.push({ node: what, kb, batches: node['HashAgg Batches'] || null, disk_kb: node['Disk Usage'] || null,
                         group_key: node['Group Key'] || null });
      if (!facts.largest || kb > facts.largest.kb) facts.largest = { node: what, kb };
    }
    for (const c of node.Plans || []) visit(c);
  };
  visit(plan.Plan);
  facts.shape = facts.shape.join(' > ');
  return facts;
}

const results = [];  // one per (data set, workload, config)
let failures = 0;    // answers that differ
let runErrors = 0;   // workloads that failed to run

function normalize(rows) {
  // Drop zero-count rows so "level 0: 0 actors" equals no level-0 row.
  return JSON.stringify(rows.map((r) => r.map(String)).filter((r) => !(r.length === 2 && r[1] === '0')));
}

// A workload's SQL; w.rename = [from, to] swaps one function name (the what-if
// experiments run the shipped queries against another declaration).
function workloadSql(d, w) {
  const sql = readSql(`pg/${w.file}`, { table: d.table });
  return w.rename ? sql.replaceAll(`${w.rename[0]}(`, `${w.rename[1]}(`) : sql;
}

async function runPg(d, w, config) {
  const sql = workloadSql(d, w);
  fs.writeFileSync(path.join(opt.out, 'queries', `${d.id}-${w.file}`), sql);
  const res = { dataset: d.id, workload: w.id, label: w.label, engine: 'postgresql', config, runs: [], error: null,
                load_before: os.loadavg()[0] };
  results.push(res);
  try {
    await applyConfig(config);
    if (w.noIndex)
      for (const g of ['enable_indexscan', 'enable_indexonlyscan', 'enable_bitmapscan']) await client.query(`SET ${g} = off`);
    res.index = !w.noIndex;
    const body = sql.replace(/;\s*$/, '');
    if (w.explain && config === 'serial') {
      const ex = await client.query(`EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) ${body}`);
      const plan = ex.rows[0]['QUERY PLAN'][0];
      fs.writeFileSync(path.join(opt.out, 'plans', `${d.id}-${w.id}-${config}.json`), JSON.stringify(plan, null, 1));
      res.plan = planFacts(plan);
      res.explain_s = plan['Execution Time'] / 1000;
    } else {
      const ex = await client.query(`EXPLAIN (FORMAT JSON) ${body}`);
      const plan = ex.rows[0]['QUERY PLAN'][0];
      fs.writeFileSync(path.join(opt.out, 'plans', `${d.id}-${w.id}-${config}.json`), JSON.stringify(plan, null, 1));
      res.planned_workers = 0;
      const visit = (n) => { res.planned_workers += n['Workers Planned'] || 0; for (const c of n.Plans || []) visit(c); };
      visit(plan.Plan);
    }
    let spent = 0;
    for (let i = 0; i < opt.runs; i++) {
      const t0 = performance.now();
      const r = await client.query({ text: body, rowMode: 'array' });
      const s = (performance.now() - t0) / 1000;
      res.runs.push(s);
      spent += s;
      if (i === 0) res.answer = normalize(r.rows);
      if (spent > opt.maxSeconds && i + 1 < opt.runs) break;
    }
    res.median_s = median(res.runs);
  } catch (e) {
    res.error = e.message.split('\n')[0];
    res.optional = !!w.optional;
    if (!w.optional) runErrors++;
    log(`bench: ${d.id} ${w.id} ${config}: ERROR ${res.error}${w.optional ? ' (optional workload: not a failure)' : ''}`);
  }
  report(res);
  return res;
}

function runCh(d, w, threads) {
  const sql = readSql(`clickhouse/${w.file}`, { table: d.table });
  const res = { dataset: d.id, workload: w.id, label: w.label, engine: 'clickhouse', config: `${threads} thread${threads > 1 ? 's' : ''}`,
                runs: [], error: null, load_before: os.loadavg()[0] };
  results.push(res);
  try {
    const q = `${sql} SETTINGS max_threads = ${threads}`;
    ch.query(q, 'TSV');  // warm-up
    let spent = 0;
    for (let i = 0; i < opt.runs; i++) {
      const t0 = performance.now();
      const out = ch.query(q, 'TSV');
      const s = (performance.now() - t0) / 1000;
      res.runs.push(s);
      spent += s;
      if (i === 0) res.answer = normalize(out.trim().split('\n').filter((l) => l).map((l) => l.split('\t')));
      if (spent > opt.maxSeconds && i + 1 < opt.runs) break;
    }
    res.median_s = median(res.runs);
  } catch (e) {
    res.error = e.message.split('\n')[0];
    runErrors++;
    log(`bench: ${d.id} ${w.id} ClickHouse: ERROR ${res.error}`);
  }
  report(res);
  return res;
}

function report(r) {
  const mem = r.plan?.largest ? ` peak ${fmtMB(r.plan.largest.kb)} (${r.plan.largest.node})${r.plan.spilled ? ' SPILLED' : ''}` : '';
  const par = (r.plan ? ` workers ${r.plan.workers}` : '') + ` load ${r.load_before.toFixed(1)}` +
    (r.runs.length > 1 ? ` min ${fmtS(Math.min(...r.runs))} max ${fmtS(Math.max(...r.runs))}` : '');
  log(`  ${r.dataset.padEnd(7)} ${r.workload.padEnd(22)} ${r.engine === 'clickhouse' ? 'CH ' : 'PG '}${r.config.padEnd(9)} ` +
      (r.error ? `ERROR ${r.error}` : `${fmtS(r.median_s)} s (${r.runs.length} run${r.runs.length > 1 ? 's' : ''})${par}${mem}`));
}

// The answers that must agree: every formulation of a report against pg_funnel's.
const checks = [];
function check(what, ref, other) {
  // Not run (a configuration skipped, a function not available) or failed to run
  // (counted in runErrors): nothing to compare.
  if (!ref || !other || ref.error || other.error || ref.answer == null || other.answer == null) return;
  const ok = ref.answer === other.answer;
  checks.push({ what, ok, expected: ref.answer, got: other.answer });
  other.check = ok ? 'same answer' : 'DIFFERENT ANSWER';
  if (!ok) {
    failures++;
    log(`bench: MISMATCH ${what}:\n  pg_funnel: ${ref.answer}\n  other:     ${other.answer}`);
  }
}

const find = (ds, wl, engine, config) =>
  results.find((r) => r.dataset === ds && r.workload === wl && r.engine === engine && (!config || r.config === config));

// ------------------------------------------------------------------ workloads

// explain: false skips the EXPLAIN ANALYZE run (slow comparators whose memory is
// not a target; the table is already in shared_buffers, so no warm-up is needed).
// noIndex: the analyst's index exists for the plain-SQL formulations; pg_funnel's
// queries, the floor and row_number() are measured without it (index scans off),
// so a funnel query and its floor always have the same plan shape (a scan of the
// table under the per-actor aggregate), whatever the planner's cost estimates.
const W = (id, file, label, more = {}) => ({ id, file, label, explain: true, noIndex: !file.startsWith('plain_'), ...more });
const plain = { explain: false };
const core = [
  [W('floor', 'floor.sql', 'floor: count(*) GROUP BY actor'), ['serial', 'forced']],
  [W('funnel4', 'funnel4.sql', 'funnel_steps 4 steps'), ['serial', 'forced']],
  [W('funnel8', 'funnel8.sql', 'funnel_steps 8 steps'), ['serial', 'forced']],
  [W('stepnames4', 'funnel_steps_names4.sql', 'funnel_steps 4 steps by event name'), ['serial', 'forced']],
  [W('stepnames8', 'funnel_steps_names8.sql', 'funnel_steps 8 steps by event name'), ['serial', 'forced']],
  [W('plain_window4', 'plain_window4.sql', 'plain SQL, window functions, 4 steps', plain), ['parallel']],
  [W('plain_lateral4', 'plain_lateral4.sql', 'plain SQL, LATERAL + index, 4 steps', plain), ['parallel']],
  [W('plain_window8', 'plain_window8.sql', 'plain SQL, window functions, 8 steps', plain), ['parallel']],
  [W('plain_lateral8', 'plain_lateral8.sql', 'plain SQL, LATERAL + index, 8 steps', plain), ['parallel']],
];
// Where the time of funnel_steps goes, step by step above the floor (first data set).
const ablations = [
  [W('ablation_ts', 'ablation_ts.sql', 'floor + max(ts)'), ['serial']],
  [W('ablation_array4', 'ablation_array4.sql', 'floor + max(ts) + 4-step VARIADIC array'), ['serial']],
];
const chWorkloads = [
  W('ch_floor', 'floor.sql', 'ClickHouse floor: count() GROUP BY actor'),
  W('ch_funnel4', 'funnel4.sql', 'ClickHouse windowFunnel 4 steps'),
  W('ch_funnel8', 'funnel8.sql', 'ClickHouse windowFunnel 8 steps'),
];

// The fast-path report aggregate, when the installed pg_funnel has one: measured
// like funnel_steps, its answers compared to funnel_steps'. Its SQL lives in
// sql/pg/funnel_report{4,8}.sql; if the call there does not fit the installed
// signature the run says so and goes on (it is not a comparator of the targets).
const fastPath = [];
if (available.funnel_report) {
  const sig = (await client.query(
    `SELECT p.oid::regprocedure::text AS sig, pg_get_function_result(p.oid) AS result
       FROM pg_proc p WHERE proname = 'funnel_report' ORDER BY 1`)).rows;
  log(`bench: funnel_report found: ${sig.map((r) => `${r.sig} -> ${r.result}`).join('; ')}`);
  for (const n of [4, 8])
    fastPath.push([W(`report${n}`, `funnel_report${n}.sql`, `funnel_report ${n} steps (fast path)`, { optional: true }),
                   ['serial', 'forced']]);
  // The same aggregate with the steps as event names (one lookup per row instead
  // of a boolean per step and the array of them).
  for (const n of [4, 8])
    fastPath.push([W(`names${n}`, `funnel_names${n}.sql`, `funnel_report ${n} steps by event name`),
                   ['serial', 'forced']]);
}

for (const d of datasets) {
  log(`bench: workloads on ${d.table} (${d.label})`);
  for (const [w, cfgs] of [...core, ...(d === datasets[0] ? ablations : []), ...fastPath])
    for (const c of cfgs) await runPg(d, w, c);
  check(`${d.id}: floor forced parallel = serial`, find(d.id, 'floor', 'postgresql', 'serial'),
        find(d.id, 'floor', 'postgresql', 'forced'));
  for (const n of [4, 8]) {
    const ref = find(d.id, `funnel${n}`, 'postgresql', 'serial');
    check(`${d.id}: funnel${n} forced parallel = serial`, ref, find(d.id, `funnel${n}`, 'postgresql', 'forced'));
    for (const c of ['serial', 'forced'])
      check(`${d.id}: funnel_steps by event name = with boolean steps, ${n} steps (${c})`, ref,
            find(d.id, `stepnames${n}`, 'postgresql', c));
    check(`${d.id}: plain window functions = pg_funnel, ${n} steps`, ref, find(d.id, `plain_window${n}`, 'postgresql'));
    check(`${d.id}: plain LATERAL = pg_funnel, ${n} steps`, ref, find(d.id, `plain_lateral${n}`, 'postgresql'));
    for (const c of ['serial', 'parallel', 'forced']) {
      check(`${d.id}: funnel_report = funnel_steps, ${n} steps (${c})`, ref,
            find(d.id, `report${n}`, 'postgresql', c));
      check(`${d.id}: funnel_report by event name = funnel_steps, ${n} steps (${c})`, ref,
            find(d.id, `names${n}`, 'postgresql', c));
    }
  }
  if (ch) {
    for (const w of chWorkloads) for (const th of [2, 1]) runCh(d, w, th);
    for (const th of ['2 threads', '1 thread'])
      check(`${d.id}: ClickHouse floor = PostgreSQL floor (${th})`,
            find(d.id, 'floor', 'postgresql', 'serial'), find(d.id, 'ch_floor', 'clickhouse', th));
    for (const n of [4, 8])
      for (const th of ['2 threads', '1 thread'])
        check(`${d.id}: ClickHouse windowFunnel = pg_funnel, ${n} steps (${th})`,
              find(d.id, `funnel${n}`, 'postgresql', 'serial'), find(d.id, `ch_funnel${n}`, 'clickhouse', th));
  }
}

// What-if experiments (--whatif): pg_funnel's own C functions under another
// declaration, to measure an optimization before it is made (reported apart,
// never a target).
let whatIf = false;
if (opt.whatif) {
  log('bench: what-if experiments (same C functions, another CREATE AGGREGATE)');
  try {
    await applyConfig('serial');
    await client.query(readSql('pg/whatif_sspace_setup.sql', {}));
    whatIf = true;
  } catch (e) {
    log(`  what-if SSPACE: not available (${e.message.split('\n')[0]})`);
  }
  if (whatIf)
    for (const d of datasets)
      for (const n of [4, 8]) {
        const w = W(`whatif_sspace${n}`, `funnel${n}.sql`, `what-if: funnel_steps ${n} steps declared with SSPACE = 512`,
                    { rename: ['funnel_steps', 'bench_funnel_steps_sspace'] });
        for (const c of ['serial', 'forced']) await runPg(d, w, c);
        for (const c of ['serial', 'forced'])
          check(`${d.id}: what-if SSPACE = pg_funnel, ${n} steps (${c})`, find(d.id, `funnel${n}`, 'postgresql', 'serial'),
                find(d.id, `whatif_sspace${n}`, 'postgresql', c));
      }
}

// The reports and journeys, each when its function exists. The stage report and
// the micro-conversion ranking on the generated data (their questions need its
// channels and real signal); sequence_match and retention on both data sets.
const gen = datasets[0];
log(`bench: other workloads on ${gen.table}`);
const notAvailable = [];
const skip = (what, fn) => {
  const line = `${what}: not available (function ${fn} does not exist in pg_funnel ${extVersion})`;
  notAvailable.push(line);
  log(`  ${line}`);
};
if (available.dropoff_by_stage) {
  await runPg(gen, W('dropoff_by_channel', 'dropoff_by_channel.sql', 'dropoff_by_stage per channel'), 'serial');
  await runPg(gen, W('dropoff_by_channel', 'dropoff_by_channel.sql', 'dropoff_by_stage per channel'), 'forced');
  await runPg(gen, W('plain_dropoff_by_channel', 'plain_dropoff_by_channel.sql',
                     'same stages, funnel_steps + count(*) FILTER', plain), 'parallel');
  const ref = find('gen', 'dropoff_by_channel', 'postgresql', 'serial');
  check('gen: dropoff_by_stage parallel = serial', ref, find('gen', 'dropoff_by_channel', 'postgresql', 'forced'));
  check('gen: count(*) FILTER stages = dropoff_by_stage', ref, find('gen', 'plain_dropoff_by_channel', 'postgresql'));
  if (ch) {
    for (const th of [2, 1]) runCh(gen, W('ch_dropoff_by_channel', 'dropoff_by_channel.sql', 'ClickHouse windowFunnel stages per channel'), th);
    for (const th of ['2 threads', '1 thread'])
      check(`gen: ClickHouse stages per channel = dropoff_by_stage (${th})`, ref,
            find('gen', 'ch_dropoff_by_channel', 'clickhouse', th));
  }
} else skip('dropoff_by_stage by channel', 'dropoff_by_stage');
if (available.micro_correlations) {
  for (const c of ['serial', 'forced'])
    await runPg(gen, W('micro_correlations', 'micro_correlations.sql', 'micro_correlations over all actors'), c);
  await runPg(gen, W('plain_micro_counts', 'plain_micro_counts.sql', 'plain SQL 2x2 counts per event (no statistics)', plain),
              'parallel');
  const ref = find('gen', 'micro_correlations', 'postgresql', 'serial');
  check('gen: micro_correlations parallel = serial', ref, find('gen', 'micro_correlations', 'postgresql', 'forced'));
  check('gen: plain SQL 2x2 tables = micro_correlations', ref, find('gen', 'plain_micro_counts', 'postgresql'));
} else skip('micro_correlations', 'micro_correlations');

// Answers that ClickHouse defines differently for rows of equal time are compared
// on the actors without such rows, by an untimed query on each side.
async function checkTieFree(d, what, pgFile, chFile) {
  const ours = await client.query({ text: readSql(`pg/${pgFile}`, { table: d.table }), rowMode: 'array' });
  const theirs = ch.query(readSql(`clickhouse/${chFile}`, { table: d.table }), 'TSV');
  const a = { answer: normalize(ours.rows) };
  const b = { answer: normalize(theirs.trim().split('\n').filter((l) => l).map((l) => l.split('\t'))) };
  check(`${d.id}: ${what}, the ${d.actors - d.tied_actors} actors without rows of equal time`, a, b);
}
for (const d of datasets) {
  if (available.sequence_match) {
    for (const c of ['serial', 'forced'])
      await runPg(d, W('sequence_match', 'sequence_match.sql', 'sequence_match with (?t<=1800)'), c);
    const ref = find(d.id, 'sequence_match', 'postgresql', 'serial');
    check(`${d.id}: sequence_match parallel = serial`, ref, find(d.id, 'sequence_match', 'postgresql', 'forced'));
    if (ch) {
      for (const th of [2, 1]) runCh(d, W('ch_sequence_match', 'sequence_match.sql', 'ClickHouse sequenceMatch'), th);
      if (d.tied_actors === 0) {
        for (const th of ['2 threads', '1 thread'])
          check(`${d.id}: ClickHouse sequenceMatch = sequence_match (${th})`, ref,
                find(d.id, 'ch_sequence_match', 'clickhouse', th));
      } else {
        await checkTieFree(d, 'ClickHouse sequenceMatch = sequence_match', 'check_sequence_match.sql',
                           'check_sequence_match.sql');
        for (const th of ['2 threads', '1 thread']) {
          const r = find(d.id, 'ch_sequence_match', 'clickhouse', th);
          if (r && !r.error) r.check = r.answer === ref?.answer ? 'same answer'
            : `differs: ${d.tied_actors} actors have rows of equal time (compared without them)`;
        }
      }
    }
  } else if (d === gen) skip('sequence_match vs ClickHouse sequenceMatch', 'sequence_match');
  if (available.retention) {
    for (const c of ['serial', 'forced']) await runPg(d, W('retention', 'retention.sql', 'retention, 3 conditions'), c);
    await runPg(d, W('plain_retention', 'plain_retention.sql', 'plain SQL: bool_or per actor', plain), 'parallel');
    const ref = find(d.id, 'retention', 'postgresql', 'serial');
    check(`${d.id}: retention parallel = serial`, ref, find(d.id, 'retention', 'postgresql', 'forced'));
    check(`${d.id}: plain SQL bool_or = retention`, ref, find(d.id, 'plain_retention', 'postgresql'));
    if (ch) {
      for (const th of [2, 1]) runCh(d, W('ch_retention', 'retention.sql', 'ClickHouse retention'), th);
      for (const th of ['2 threads', '1 thread'])
        check(`${d.id}: ClickHouse retention = retention (${th})`, ref, find(d.id, 'ch_retention', 'clickhouse', th));
    }
  } else if (d === gen) skip('retention vs ClickHouse retention', 'retention');
}
await runPg(gen, W('row_number', 'row_number.sql', 'row_number() OVER (actor, ts)'), 'parallel');
await runPg(gen, W('plain_sessionize', 'plain_sessionize.sql', 'plain SQL sessions: lag + running sum', plain), 'parallel');
if (available.sessionize) {
  await runPg(gen, W('sessionize', 'sessionize.sql', 'sessionize(ts, 30 min) OVER (actor, ts)'), 'parallel');
  check('gen: plain SQL sessions = sessionize', find('gen', 'sessionize', 'postgresql'), find('gen', 'plain_sessionize', 'postgresql'));
} else skip('sessionize vs row_number()', 'sessionize');

// ------------------------------------------------------------------ profile

const profiles = [];
async function profile(d, w, name) {
  if (typeof w === 'string') w = W(name, w, name);
  const sql = workloadSql(d, w).replace(/;\s*$/, '');
  await applyConfig('serial');
  if (w.noIndex)
    for (const g of ['enable_indexscan', 'enable_indexonlyscan', 'enable_bitmapscan']) await client.query(`SET ${g} = off`);
  const data = path.join(opt.out, `perf-${name}.data`);
  const perf = spawn('perf', ['record', '-e', 'cpu-clock', '-F', '1999', '-p', String(backendPid), '-o', data],
                     { stdio: ['ignore', 'ignore', 'pipe'] });
  let perfErr = '';
  perf.stderr.on('data', (b) => (perfErr += b));
  await new Promise((r) => setTimeout(r, 500));
  const t = await timed(async () => {
    for (let i = 0; i < 2; i++) await client.query(sql);
  });
  perf.kill('SIGINT');
  await new Promise((r) => perf.on('exit', r));
  let text;
  try {
    text = execFileSync('perf', ['report', '-i', data, '--stdio', '--no-children', '--sort', 'dso,symbol',
                                 '--percent-limit', '0.4'], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  } catch (e) {
    text = `perf report failed: ${e.message}\n${perfErr}`;
  }
  fs.writeFileSync(path.join(opt.out, `perf-${name}.txt`), text);
  fs.rmSync(data, { force: true });
  const top = text.split('\n').filter((l) => /^\s+\d+\.\d+%/.test(l)).slice(0, 25)
    .map((l) => l.trim().replace(/\s+/g, ' '));
  // Where the time goes by plan node (EXPLAIN ANALYZE with timing; the clock
  // reads add per-row overhead to the scan and the transitions, not to the final
  // functions, which run once per group when the hash table is emitted).
  const ex = (await client.query(`EXPLAIN (ANALYZE, TIMING ON, FORMAT JSON) ${sql}`)).rows[0]['QUERY PLAN'][0];
  let scan = null, agg = null;
  const visit = (n) => {
    if (n['Node Type'] === 'Seq Scan') scan = n;
    if (n['Node Type'] === 'Aggregate' && (n['Group Key'] || []).some((k) => /actor_id/.test(k))) agg = n;
    for (const c of n.Plans || []) visit(c);
  };
  visit(ex.Plan);
  const split = agg && scan ? {
    total_ms: ex['Execution Time'],
    scan_ms: scan['Actual Total Time'],
    transitions_and_hashing_ms: agg['Actual Startup Time'] - scan['Actual Total Time'],
    final_functions_ms: agg['Actual Total Time'] - agg['Actual Startup Time'],
  } : null;
  profiles.push({ name, dataset: d.id, file: w.file, seconds_two_runs: t, top, split });
  if (split)
    log(`bench: ${name} by plan node (EXPLAIN ANALYZE, timing on): total ${split.total_ms.toFixed(0)} ms = ` +
        `scan ${split.scan_ms.toFixed(0)} + hashing and transition functions ${split.transitions_and_hashing_ms.toFixed(0)} + ` +
        `final functions (sort + funnel scan per actor) ${split.final_functions_ms.toFixed(0)} + rest`);
  log(`bench: profile ${name} (serial, 2 runs, ${fmtS(t)} s): top symbols`);
  for (const l of top.slice(0, 15)) log(`    ${l}`);
}
if (opt.profile) {
  let ok = true;
  try {
    execFileSync('perf', ['--version'], { stdio: 'ignore' });
  } catch {
    ok = false;
    log('bench: --profile: perf is not installed, no profiles');
  }
  if (ok) {
    await profile(gen, 'floor.sql', 'gen-floor');
    await profile(gen, 'funnel4.sql', 'gen-funnel4');
    await profile(gen, 'funnel8.sql', 'gen-funnel8');
    if (whatIf) await profile(gen, W('whatif_sspace4', 'funnel4.sql', '', { rename: ['funnel_steps', 'bench_funnel_steps_sspace'] }),
                              'gen-whatif-sspace4');
    if (find('gen', 'report4', 'postgresql', 'serial')?.median_s != null) await profile(gen, 'funnel_report4.sql', 'gen-report4');
    await profile(datasets[1], 'floor.sql', 'uniform-floor');
    await profile(datasets[1], 'funnel4.sql', 'uniform-funnel4');
  }
}

// ------------------------------------------------------------------ summary

const med = (ds, wl, engine, config) => {
  const r = find(ds, wl, engine, config);
  return r && !r.error ? r.median_s : null;
};
const bestOf = (...xs) => {
  const v = xs.filter((x) => x != null);
  return v.length ? Math.min(...v) : null;
};

// pg_funnel's best time for an n-step funnel report on a data set: funnel_steps
// or, when installed and correct, the fast path, in any configuration.
const oursBest = (ds, n, configs = ['serial', 'parallel', 'forced']) => {
  let best = null;
  const label = { funnel: 'funnel_steps', report: 'funnel_report', names: 'funnel_report by event name' };
  for (const wl of [`funnel${n}`, `report${n}`, `names${n}`])
    for (const c of configs) {
      const r = find(ds, wl, 'postgresql', c);
      if (!r || r.error || r.median_s == null || r.check === 'DIFFERENT ANSWER') continue;
      if (!best || r.median_s < best.s) best = { s: r.median_s, how: `${label[wl.slice(0, -1)]} ${c}` };
    }
  return best;
};
// The planner's parallel choice, or the forced parallel plan when the planner
// stayed serial (the forced run exists only then).
const parallelMed = (ds, wl) => med(ds, wl, 'postgresql', 'forced') ?? med(ds, wl, 'postgresql', 'parallel');

// Ratio shown next to each measurement.
for (const r of results) {
  if (r.error || r.median_s == null) continue;
  const ds = r.dataset;
  const wl = r.workload;
  const pgOf = (name) => med(ds, name, 'postgresql', r.config);
  if (/^(funnel|report|names|stepnames)\d$/.test(wl)) {
    const floor = med(ds, 'floor', 'postgresql', r.config);
    r.ratio = { value: r.median_s / floor, text: `${fmtX(r.median_s / floor)} of floor` };
    if (r.config !== 'serial') r.ratio.text += `, ${fmtX(med(ds, wl, 'postgresql', 'serial') / r.median_s)} speed-up`;
    if (wl.startsWith('report') || wl.startsWith('names'))
      r.ratio.text += `, ${fmtX(med(ds, `funnel${wl.slice(-1)}`, 'postgresql', r.config) / r.median_s)} faster than funnel_steps`;
    if (wl.startsWith('stepnames'))
      r.ratio.text += `, ${fmtX(med(ds, `funnel${wl.slice(-1)}`, 'postgresql', r.config) / r.median_s)} faster than with boolean steps`;
  } else if (/^plain_(window|lateral)\d$/.test(wl)) {
    const ours = oursBest(ds, wl.slice(-1));
    r.ratio = { value: r.median_s / ours.s, text: `${fmtX(r.median_s / ours.s)} slower than pg_funnel (${ours.how})` };
  } else if (/^ch_funnel\d$/.test(wl)) {
    const ours = r.config.startsWith('1') ? oursBest(ds, wl.slice(-1), ['serial']) : oursBest(ds, wl.slice(-1));
    r.ratio = { value: ours.s / r.median_s, text: `pg_funnel ${fmtX(ours.s / r.median_s)} of ClickHouse (${ours.how})` };
  } else if (/^whatif_sspace\d$/.test(wl)) {
    const floor = pgOf('floor');
    const shipped = pgOf(`funnel${wl.slice(-1)}`);
    r.ratio = { value: r.median_s / floor,
                text: `${fmtX(r.median_s / floor)} of floor, ${fmtX(shipped / r.median_s)} faster than as shipped` };
  } else if (wl === 'ch_floor') {
    r.ratio = { value: null, text: '' };
  } else if (/^ch_/.test(wl)) {
    const mine = wl.slice(3);
    const ours = r.config.startsWith('1') ? med(ds, mine, 'postgresql', 'serial')
      : bestOf(med(ds, mine, 'postgresql', 'serial'), med(ds, mine, 'postgresql', 'forced'));
    r.ratio = { value: ours / r.median_s, text: `pg_funnel ${fmtX(ours / r.median_s)} of ClickHouse` };
  } else if (wl === 'sessionize' || wl === 'plain_sessionize') {
    const rn = pgOf('row_number');
    r.ratio = { value: r.median_s / rn, text: `${fmtX(r.median_s / rn)} of row_number()` };
  } else if (wl.startsWith('ablation') || wl === 'sequence_match' || wl === 'retention') {
    const floor = med(ds, 'floor', 'postgresql', r.config);
    r.ratio = { value: r.median_s / floor, text: `${fmtX(r.median_s / floor)} of floor` };
    if (r.config !== 'serial') r.ratio.text += `, ${fmtX(med(ds, wl, 'postgresql', 'serial') / r.median_s)} speed-up`;
  } else if (wl === 'plain_retention') {
    r.ratio = { value: r.median_s / pgOf('retention'), text: `${fmtX(r.median_s / pgOf('retention'))} of retention()` };
  } else if (['dropoff_by_channel', 'plain_dropoff_by_channel', 'micro_correlations', 'plain_micro_counts'].includes(wl)) {
    const f4 = med(ds, 'funnel4', 'postgresql', r.config === 'parallel' ? 'forced' : r.config);
    r.ratio = { value: r.median_s / f4, text: `${fmtX(r.median_s / f4)} of the funnel4 report` };
    if (r.config === 'forced' && !wl.startsWith('plain'))
      r.ratio.text += `, ${fmtX(med(ds, wl, 'postgresql', 'serial') / r.median_s)} speed-up`;
  }
}

// Bytes of aggregate state per buffered row: the per-actor HashAggregate's peak
// memory beyond the floor's (PostgreSQL's own hash entry and group per actor,
// same groups) over the rows that match a step (the only rows funnel_steps keeps).
const actorHashNode = (r) => r?.plan?.nodes.find((x) => x.group_key && x.group_key.some((k) => /actor_id/.test(k)));
const stateBytes = [];
for (const d of datasets)
  for (const n of [4, 8]) {
    const r = find(d.id, `funnel${n}`, 'postgresql', 'serial');
    const node = actorHashNode(r);
    const floorKb = actorHashNode(find(d.id, 'floor', 'postgresql', 'serial'))?.kb ?? 0;
    if (node) {
      const rowsKept = n === 4 ? d.f4_rows : d.f8_rows;
      const stateKb = Math.max(0, node.kb - floorKb);
      stateBytes.push({ dataset: d.id, steps: n, hashagg_kb: node.kb, floor_kb: floorKb, rows_kept: rowsKept,
                        actors: d.actors, bytes_per_row: (stateKb * 1024) / rowsKept,
                        bytes_per_actor: (stateKb * 1024) / d.actors, spilled: r.plan.spilled });
    }
  }

// Targets of the benchmark issue.
const div = (a, b) => (a == null || b == null ? null : a / b);
const targets = [];
function target(name, value, goal, okFn, detail) {
  if (value == null || !Number.isFinite(value)) {
    targets.push({ name, value: null, goal, met: null, detail: detail || 'not measured' });
    return;
  }
  targets.push({ name, value, goal, met: okFn(value), detail });
}
for (const d of datasets) {
  const floorS = med(d.id, 'floor', 'postgresql', 'serial');
  for (const n of [4, 8]) {
    const s = med(d.id, `funnel${n}`, 'postgresql', 'serial');
    const fs1 = find(d.id, 'floor', 'postgresql', 'serial')?.plan?.shape;
    const fs2 = find(d.id, `funnel${n}`, 'postgresql', 'serial')?.plan?.shape;
    target(`${d.id}: funnel_steps ${n} steps / floor (serial)`, div(s, floorS),
           '<= 1.2x', (v) => v <= 1.2, `${fmtS(s)} s vs ${fmtS(floorS)} s; plans: floor ${fs1}, funnel ${fs2}`);
    const sn = med(d.id, `stepnames${n}`, 'postgresql', 'serial');
    target(`${d.id}: funnel_steps by event name ${n} steps / floor (serial)`, div(sn, floorS),
           '<= 1.2x', (v) => v <= 1.2, `${fmtS(sn)} s vs ${fmtS(floorS)} s`);
    const rs = med(d.id, `report${n}`, 'postgresql', 'serial');
    if (rs != null)
      target(`${d.id}: funnel_report ${n} steps / floor (serial)`, div(rs, floorS),
             '<= 1.2x', (v) => v <= 1.2, `${fmtS(rs)} s vs ${fmtS(floorS)} s`);
    const ns = med(d.id, `names${n}`, 'postgresql', 'serial');
    if (ns != null)
      target(`${d.id}: funnel_report by event name ${n} steps / floor (serial)`, div(ns, floorS),
             '<= 1.2x', (v) => v <= 1.2, `${fmtS(ns)} s vs ${fmtS(floorS)} s`);
  }
  for (const n of [4, 8]) {
    const ours = oursBest(d.id, n);
    const w = med(d.id, `plain_window${n}`, 'postgresql', 'parallel');
    const l = med(d.id, `plain_lateral${n}`, 'postgresql', 'parallel');
    const best = bestOf(w, l);
    target(`${d.id}: best plain SQL / pg_funnel, ${n} steps`, div(best, ours?.s), n === 4 ? '>= 3x' : '>= 10x',
           (v) => v >= (n === 4 ? 3 : 10),
           `best plain ${fmtS(best)} s (${best === w ? 'window functions' : 'LATERAL'}) vs ${fmtS(ours?.s)} s (${ours?.how})`);
  }
  if (ch) {
    const ours = oursBest(d.id, 4);
    const c = med(d.id, 'ch_funnel4', 'clickhouse', '2 threads');
    target(`${d.id}: pg_funnel / ClickHouse, 4 steps (both 2 cores)`, div(ours?.s, c), '<= 4x (stretch 2x)', (v) => v <= 4,
           `${fmtS(ours?.s)} s (${ours?.how}) vs ${fmtS(c)} s${ours && ours.s / c <= 2 ? ', stretch met' : ''}`);
    const o1 = oursBest(d.id, 4, ['serial']);
    const c1 = med(d.id, 'ch_funnel4', 'clickhouse', '1 thread');
    target(`${d.id}: pg_funnel / ClickHouse, 4 steps (both 1 core)`, div(o1?.s, c1), '<= 4x (stretch 2x)', (v) => v <= 4,
           `${fmtS(o1?.s)} s (${o1?.how}) vs ${fmtS(c1)} s`);
  }
  const speedups = [['funnel4', 'funnel_steps 4 steps'], ['funnel8', 'funnel_steps 8 steps'],
                    ['report4', 'funnel_report 4 steps'], ['report8', 'funnel_report 8 steps'],
                    ['names4', 'funnel_report by event name 4 steps'], ['names8', 'funnel_report by event name 8 steps']];
  if (d === datasets[0])
    speedups.push(['dropoff_by_channel', 'dropoff_by_stage per channel'], ['micro_correlations', 'micro_correlations']);
  speedups.push(['sequence_match', 'sequence_match'], ['retention', 'retention']);
  for (const [wl, what] of speedups) {
    const s = med(d.id, wl, 'postgresql', 'serial');
    if (s == null && !/^funnel/.test(wl)) continue;
    const p = parallelMed(d.id, wl);
    const pr = find(d.id, wl, 'postgresql', 'forced') ?? find(d.id, wl, 'postgresql', 'parallel');
    target(`${d.id}: parallel speed-up, ${what}`, div(s, p), '>= 1.5x', (v) => v >= 1.5,
           `${fmtS(s)} s serial vs ${fmtS(p)} s ${pr?.config === 'forced' ? 'forced parallel plan' : "planner's plan"}, ` +
           `${pr?.plan?.workers ?? pr?.planned_workers ?? 0} workers ${pr?.plan ? 'launched' : 'planned'}`);
  }
}
for (const sb of stateBytes)
  target(`${sb.dataset}: state per buffered row in PostgreSQL, ${sb.steps} steps`, sb.bytes_per_row, '<= 16 B', (v) => v <= 16,
         `HashAggregate ${fmtMB(sb.hashagg_kb)} less the floor's ${fmtMB(sb.floor_kb)} for ${sb.rows_kept} rows ` +
         `of ${sb.actors} actors (${sb.bytes_per_actor.toFixed(0)} B per actor)`);
if (available.sessionize) {
  const s = med('gen', 'sessionize', 'postgresql', 'parallel');
  const rn = med('gen', 'row_number', 'postgresql', 'parallel');
  target('gen: sessionize / row_number()', s / rn, '<= 1.2x', (v) => v <= 1.2, `${fmtS(s)} s vs ${fmtS(rn)} s`);
} else {
  targets.push({ name: 'gen: sessionize / row_number()', value: null, goal: '<= 1.2x', met: null,
                 detail: 'not available (no sessionize)' });
}

// ------------------------------------------------------------------ output

const libChanged = libSum() !== libAtStart;
if (libChanged) log('bench: WARNING: pg_funnel.so was reinstalled during the run; parallel workers may have run another build');
const lines = [];
lines.push(`PostgreSQL ${pgVersion}, pg_funnel ${extVersion}${ch ? `, ClickHouse ${chVersion} (chdb)` : ''}; ` +
           `${os.cpus().length} cores (${os.cpus()[0].model}), ${Math.round(os.totalmem() / 2 ** 30)} GiB; ` +
           `median of ${opt.runs} run(s) after one EXPLAIN ANALYZE run. "load" = the machine's 1-minute load ` +
           `average before the measurement (other work on the machine makes a time less reliable above ~1).`);
if (libChanged) lines.push('', '**pg_funnel.so was reinstalled during this run** (other work on the machine): ' +
                           'parallel workers may have run another build than the leader.');
lines.push('');
for (const d of datasets)
  lines.push(`- \`${d.table}\` (${d.label}): ${d.rows} rows, ${d.actors} actors, ${(d.table_bytes / 2 ** 20).toFixed(0)} MB ` +
             `+ index ${(d.index_bytes / 2 ** 20).toFixed(0)} MB`);
lines.push('');
lines.push('| data | workload | engine / config | median s | runs | workers | largest node memory | ratio | answer | load |');
lines.push('|---|---|---|---:|---:|---:|---|---|---|---:|');
for (const r of results) {
  const eng = r.engine === 'clickhouse' ? `ClickHouse ${r.config}` : `PG ${r.config}`;
  const mem = r.plan?.largest ? `${fmtMB(r.plan.largest.kb)} ${r.plan.largest.node}${r.plan.spilled ? ' (spilled)' : ''}` : '';
  lines.push(`| ${r.dataset} | ${r.label} | ${eng} | ${r.error ? 'ERROR' : fmtS(r.median_s)} | ${r.runs.length} | ` +
             `${r.plan ? r.plan.workers : r.planned_workers != null ? `${r.planned_workers} planned` : ''} | ${mem} | ${r.error ? r.error.replace(/\|/g, '/') : r.ratio?.text ?? ''} | ${r.check ?? ''} | ` +
             `${r.load_before.toFixed(1)} |`);
}
lines.push('');
lines.push('| target | measured | goal | met |');
lines.push('|---|---:|---|---|');
for (const t of targets)
  lines.push(`| ${t.name} | ${t.value == null ? '-' : t.name.includes('state') ? `${t.value.toFixed(1)} B` : fmtX(t.value)} ` +
             `| ${t.goal} | ${t.met == null ? 'n/a' : t.met ? 'yes' : 'NO'} — ${t.detail} |`);
if (notAvailable.length) {
  lines.push('');
  for (const l of notAvailable) lines.push(`- ${l}`);
}
for (const pr of profiles.filter((x) => x.split)) {
  if (pr === profiles.find((x) => x.split)) lines.push('', 'Where the time goes (serial, EXPLAIN ANALYZE with timing):', '');
  const sp = pr.split;
  lines.push(`- ${pr.name}: total ${sp.total_ms.toFixed(0)} ms = scan ${sp.scan_ms.toFixed(0)} ms + hashing and transition ` +
             `functions ${sp.transitions_and_hashing_ms.toFixed(0)} ms + final functions ${sp.final_functions_ms.toFixed(0)} ms ` +
             `+ the rest; perf top: ${pr.top.slice(0, 6).join('; ')}`);
}
lines.push('');
lines.push(`Answer checks: ${checks.filter((c) => c.ok).length} same, ${checks.filter((c) => !c.ok).length} different.`);
const md = lines.join('\n') + '\n';
fs.writeFileSync(path.join(opt.out, 'results.md'), md);
fs.writeFileSync(path.join(opt.out, 'results.json'), JSON.stringify({
  options: opt, postgresql: pgVersion, pg_funnel: extVersion, clickhouse: chVersion, clickhouse_threads: chThreads,
  settings: settingsShown, available, load_seconds: loadTimes, datasets, results, checks, targets, state_bytes: stateBytes,
  profiles, cpu: os.cpus()[0].model, cores: os.cpus().length,
  passed: checks.filter((c) => c.ok).length, failed: failures + runErrors,
}, null, 1));
log('');
log(md);
log(`bench: results in ${opt.out}`);
await client.end();
if (failures > 0) log(`bench: FAILED: ${failures} answer(s) differ from pg_funnel's (see MISMATCH above)`);
if (runErrors > 0) log(`bench: FAILED: ${runErrors} workload(s) did not run (see ERROR above)`);
log(`bench: ${checks.filter((c) => c.ok).length} passed, ${failures + runErrors} failed`);
process.exit(failures + runErrors > 0 ? 1 : 0);
