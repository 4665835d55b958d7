// After tsc: bundle the CLI (dist/cli.js) and the check worker into CommonJS chunks in dist/bundle/,
// which bin/conformity.js loads. Node 20 loads a few CommonJS files faster than a graph of some 70 ES
// modules (docs/performance.md: `rules` 75 → 65 ms, a 270-file check 903 → 868 ms). Commands stay
// in chunks of their own, loaded when run. The library (dist/index.js) stays ES modules.
// The libraries used only off the common path stay outside, required when needed: yaml (the full
// parse, rule files), csv-parse (import), ajv (a rule set other than the built-in one).
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const OUT = path.join(DIST, 'bundle');

rmSync(OUT, { recursive: true, force: true });
await build({
  input: { cli: path.join(DIST, 'cli.js'), 'check-worker': path.join(DIST, 'check-worker.js') },
  platform: 'node',
  external: [/^(yaml|csv-parse|ajv|ajv-formats)(\/|$)/],
  logLevel: 'warn',
  // The chunks sit one folder below dist/, as dist/ruleset/ does: paths relative to a module
  // (../../rules/, ../generated/) lead to the same places from either. Named .js, as the modules
  // are (the worker is found as ./check-worker.js beside its pool), and CommonJS by the folder's package.json.
  // Strict, as ES modules are (a write to a frozen object throws there, and must here).
  output: { dir: OUT, format: 'cjs', strict: true, entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});
writeFileSync(path.join(OUT, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

// A file a chunk names beside itself (new URL('./check-worker.js', import.meta.url)) must be there:
// a missing worker would not fail, it would quietly run every file in one thread.
const BESIDE = /new URL\(["'`](\.\.?\/[^"'`$]+)["'`], require\("url"\)\.pathToFileURL\(__filename\)\.href\)/g;
const chunks = readdirSync(OUT).filter((name) => name.endsWith('.js'));
for (const name of chunks) {
  for (const [, relative] of readFileSync(path.join(OUT, name), 'utf8').matchAll(BESIDE)) {
    if (!existsSync(path.join(OUT, relative))) throw new Error(`bundle-cli: ${name} names ${relative}, which is not in dist/bundle/`);
  }
}
console.log(`bundled: the CLI in ${chunks.length} CommonJS chunks (dist/bundle/)`);
