// npm run bench: times conformity against the naive baseline on synthetic corpora of 27, 270,
// 2,700 and 10,000 measure files written as analysts write them (see generate-corpus.js),
// alternating the two in one run (the machines are noisy, so ratios within a run are what count),
// and start-up commands against bare `node -e 0`. Prints medians, min–max, peak RSS and the share of
// files each YAML parse path took, and writes bench/out/results.json. Not a test.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateCorpus } from './generate-corpus.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'bench/out');
// CONFORMITY_BIN runs another build (say, the one before a change) on the same corpus.
const BIN = process.env.CONFORMITY_BIN ?? path.join(ROOT, 'bin/conformity.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const sizes = (process.env.BENCH_SIZES ?? '27,270,2700,10000').split(',').map(Number);
const repeats = (size) => (size <= 27 ? 7 : size <= 270 ? 3 : 1);

if (!existsSync(path.join(ROOT, 'dist/cli.js'))) {
  console.error('bench: run `npm run build` first');
  process.exit(2);
}

/** One timed run: wall seconds and peak resident memory in MB (from /usr/bin/time when present). */
function timed(args) {
  const command = TIME ? [TIME, '-f', '%e %M', process.execPath, ...args] : [process.execPath, ...args];
  const started = process.hrtime.bigint();
  const run = spawnSync(command[0], command.slice(1), { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0 && run.status !== 1) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr.slice(-500)}`);
  const match = TIME ? /(\d+\.\d+) (\d+)\s*$/.exec(run.stderr) : null;
  return { seconds, rssMb: match ? Number(match[2]) / 1024 : undefined };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const summary = (runs) => ({
  median: median(runs.map((r) => r.seconds)),
  min: Math.min(...runs.map((r) => r.seconds)),
  max: Math.max(...runs.map((r) => r.seconds)),
  peakRssMb: runs[0].rssMb === undefined ? undefined : Math.max(...runs.map((r) => r.rssMb)),
});

function compare(name, a, b, n) {
  const runs = { a: [], b: [] };
  for (let i = 0; i < n; i++) {
    runs.a.push(timed(a));
    runs.b.push(timed(b));
  }
  return { name, a: summary(runs.a), b: summary(runs.b) };
}

const { loadRuleSet } = await import('../dist/ruleset/load-ruleset.js');
const { parseYaml, parsePathCounts } = await import('../dist/load/parse-yaml.js');
const ruleset = await loadRuleSet();

function yamlFiles(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => path.join(e.parentPath, e.name));
}

/** Which parse path each file of a corpus takes, by parsing it here with this tree's build (also under CONFORMITY_BIN). */
function parsePathShare(dir) {
  for (const key of Object.keys(parsePathCounts)) parsePathCounts[key] = 0;
  const files = yamlFiles(dir);
  for (const file of files) parseYaml(file, readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  return Object.fromEntries(Object.entries(parsePathCounts).map(([key, count]) => [key, count / files.length]));
}

const fmt = (s) => `${s.median.toFixed(3)}s (${s.min.toFixed(3)}–${s.max.toFixed(3)})${s.peakRssMb ? ` ${s.peakRssMb.toFixed(0)} MB` : ''}`;
const conditions = { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))) };
const results = { date: new Date().toISOString(), node: process.version, conditions, corpora: [], startup: [] };
console.log(`${conditions.cpus} CPUs, load average ${conditions.loadAverage.join(' ')} at the start`);
mkdirSync(OUT, { recursive: true });

for (const size of sizes) {
  const dir = generateCorpus(size, path.join(OUT, `corpus-${size}`), ruleset);
  const share = parsePathShare(dir);
  const r = compare(`corpus ${size}`, ['bench/baseline.js', dir], [BIN, 'check', dir, '--format', 'json', '--fail-on', 'never'], repeats(size));
  const entry = {
    files: size,
    baseline: r.a,
    conformity: r.b,
    ratio: r.b.median / r.a.median,
    msPerFile: { baseline: (r.a.median * 1000) / size, conformity: (r.b.median * 1000) / size },
    parsePathShare: share,
  };
  results.corpora.push(entry);
  console.log(
    `${String(size).padStart(6)} files  baseline ${fmt(r.a)}  conformity ${fmt(r.b)}  ratio ${entry.ratio.toFixed(2)}  ` +
      `${entry.msPerFile.conformity.toFixed(2)} ms/file  parse paths ${Object.entries(share).map(([k, v]) => `${k} ${(v * 100).toFixed(1)}%`).join(', ')}`,
  );
}

for (const command of [['--version'], ['rules'], ['rules', '--format', 'json'], ['explain', '3(4)']]) {
  const r = compare(command.join(' '), ['-e', '0'], [BIN, ...command], 7);
  results.startup.push({ command: command.join(' '), node: r.a, conformity: r.b, ratio: r.b.median / r.a.median });
  console.log(`${command.join(' ').padEnd(22)} node -e 0 ${fmt(r.a)}  conformity ${fmt(r.b)}  ratio ${(r.b.median / r.a.median).toFixed(2)}`);
}

const first = results.corpora[0];
const last = results.corpora.at(-1);
if (first && last && first !== last) {
  console.log(`time per file at ${last.files} vs ${first.files}: ${(last.msPerFile.conformity / first.msPerFile.conformity).toFixed(2)}×`);
}
results.conditions.loadAverageAtEnd = os.loadavg().map((l) => Number(l.toFixed(2)));
writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log(`written: ${path.relative(ROOT, path.join(OUT, 'results.json'))}`);
