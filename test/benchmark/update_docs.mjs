// Copies the latest results of scripts/bench.sh into docs/benchmarks.md, between
// the marker comments <!-- bench:NAME --> and <!-- /bench:NAME -->, NAME one of
// core (core_summary.md), results (results.md of the largest size), small
// (results.md of the smallest size) and scaling (scaling.md). Text outside the
// markers (the analysis) is left alone.
// Usage: node update_docs.mjs RESULTS_DIR [SIZE...] (default: every size in RESULTS_DIR)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [dir, ...given] = process.argv.slice(2);
const doc = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'benchmarks.md');
const sizes = (given.length ? given : fs.readdirSync(dir))
  .filter((n) => /^\d+$/.test(n) && fs.existsSync(path.join(dir, n, 'results.md')))
  .map(Number).sort((a, b) => a - b);
const parts = {
  core: path.join(dir, 'core_summary.md'),
  results: sizes.length ? path.join(dir, String(sizes[sizes.length - 1]), 'results.md') : null,
  small: sizes.length > 1 ? path.join(dir, String(sizes[0]), 'results.md') : null,
  scaling: path.join(dir, 'scaling.md'),
};
let text = fs.readFileSync(doc, 'utf8');
for (const [name, file] of Object.entries(parts)) {
  if (!file || !fs.existsSync(file)) continue;
  const re = new RegExp(`(<!-- bench:${name} -->\\n)[\\s\\S]*?(<!-- /bench:${name} -->)`);
  if (!re.test(text)) continue;
  text = text.replace(re, (m, a, b) => `${a}${fs.readFileSync(file, 'utf8').trim()}\n${b}`);
  console.log(`docs/benchmarks.md: ${name} <- ${path.relative(process.cwd(), file)}`);
}
fs.writeFileSync(doc, text);
