// The headline numbers of core_bench (Google Benchmark JSON output), as a small
// Markdown table: the core scan's events per second, single thread, when the scan
// never stops early (the last step never occurs), funnel_report's buffer over
// 10M rows, and the bytes of aggregate state per buffered event. Usage: node core_summary.mjs core_bench.json
import fs from 'node:fs';

const data = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const rows = ['| core measurement | value | target |', '|---|---:|---|'];
for (const b of data.benchmarks) {
  const scan = b.name.match(/^BM_FunnelLevel\/steps:(\d+)\/per_actor:(\d+)\/mode:0\/shape:1$/);
  if (scan)
    rows.push(`| funnel scan, ${scan[1]} steps, ${scan[2]} events per actor, default mode, no early stop ` +
              `| ${(b.items_per_second / 1e6).toFixed(1)} M events/s | >= 150 M events/s |`);
}
for (const b of data.benchmarks) {
  const pipe = b.name.match(/^BM_Pipeline\/steps:(\d+)\/per_actor:(\d+)$/);
  if (pipe)
    rows.push(`| append + sort + scan per actor (the core's share of a GROUP BY actor query), ${pipe[1]} steps, ` +
              `${pipe[2]} events per actor | ${(b.items_per_second / 1e6).toFixed(1)} M events/s | |`);
}
for (const b of data.benchmarks) {
  const rep = b.name.match(/^BM_FunnelReport\/shuffled:(\d)\/uuid:(\d)/);
  if (rep)
    rows.push(`| funnel_report buffer, 10M rows of 1M actors, 4 steps, ${rep[2] === '1' ? '16-byte (uuid)' : 'integer'} keys, rows ` +
              `${rep[1] === '1' ? 'in random order' : 'grouped by actor in key order'} (every row added, then levels) ` +
              `| ${(b.items_per_second / 1e6).toFixed(1)} M rows/s | |`);
}
for (const b of data.benchmarks) {
  const st = b.name.match(/^BM_StateBytes\/events:(\d+)\/steps:(\d+)/);
  if (st && ['10', '1000', '100000'].includes(st[1]) && ['8', '64'].includes(st[2]))
    rows.push(`| funnel_steps state bytes per buffered event, ${st[1]} events per actor, ${st[2]} steps ` +
              `(an arena chunk up to 8 kB, then one palloc chunk) | ${b.state_bytes_per_event.toFixed(1)} B | <= 16 B |`);
}
console.log(`core_bench on ${data.context.host_name}, ${data.context.num_cpus} CPUs at ${data.context.mhz_per_cpu} MHz, ` +
            `${data.context.library_build_type} Google Benchmark library\n`);
console.log(rows.join('\n'));
