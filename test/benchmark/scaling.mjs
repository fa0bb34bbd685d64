// The scaling table over the sizes of one bench.sh run: the median time of every
// PostgreSQL and ClickHouse workload at each size, and the growth per 10x rows
// (10x = linear). Also sums the answer checks of every size into the last line,
// "bench: N passed, M failed" (a size without results counts as one failure).
// Usage: node scaling.mjs RESULTS_DIR SIZE...
import fs from 'node:fs';
import path from 'node:path';

const [dir, ...sizes] = process.argv.slice(2);
let passed = 0;
let failed = 0;
const runs = [];
for (const n of sizes) {
  const file = path.join(dir, n, 'results.json');
  if (!fs.existsSync(file)) {
    console.log(`scaling: no results for ${n} rows`);
    failed++;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += r.passed ?? 0;
  failed += r.failed ?? 1;
  runs.push({ n: Number(n), r });
}
if (runs.length > 1) {
  runs.sort((a, b) => a.n - b.n);
  const key = (x) => `${x.dataset}|${x.label}|${x.engine === 'clickhouse' ? 'ClickHouse' : 'PG'} ${x.config}`;
  const keys = [];
  for (const { r } of runs) for (const x of r.results) if (!keys.includes(key(x))) keys.push(key(x));
  const head = ['data', 'workload', 'engine / config', ...runs.map(({ n }) => `${n.toExponential(0)} rows, s`)];
  for (let i = 1; i < runs.length; i++) head.push(`growth ${runs[i - 1].n.toExponential(0)} -> ${runs[i].n.toExponential(0)}`);
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 3 ? '---' : '---:')).join('|')}|`];
  for (const k of keys) {
    const t = runs.map(({ r }) => r.results.find((x) => key(x) === k && !x.error)?.median_s ?? null);
    const cells = [...k.split('|'), ...t.map((v) => (v == null ? '-' : v.toFixed(3)))];
    for (let i = 1; i < t.length; i++)
      cells.push(t[i] != null && t[i - 1] != null
        ? `${(t[i] / t[i - 1]).toFixed(1)}x for ${(runs[i].n / runs[i - 1].n).toFixed(0)}x rows` : '-');
    lines.push(`| ${cells.join(' | ')} |`);
  }
  const md = lines.join('\n') + '\n';
  fs.writeFileSync(path.join(dir, 'scaling.md'), md);
  console.log('\nScaling (median seconds per size):\n');
  console.log(md);
}
console.log(`bench: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
