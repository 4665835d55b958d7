#!/usr/bin/env node
import { createRequire } from 'node:module';

const argv = process.argv.slice(2);
// The CLI bundled into CommonJS chunks (scripts/bundle-cli.mjs): Node 20 loads them faster than the
// graph of ES modules in dist/ (docs/performance.md). Same code: dist/cli.js is what was bundled, and
// runs where the bundle was not built (tsc alone).
const require = createRequire(import.meta.url);
const bundled = require('node:fs').existsSync(new URL('../dist/bundle/cli.js', import.meta.url));
const { installProcessHandlers, isShortCommandLine, main } = bundled ? require('../dist/bundle/cli.js') : await import('../dist/cli.js');
// A run over many files: V8 optimises a function once it has run a budget of bytecode, and for a run
// of a second or two its default budget optimises too early, on type feedback not yet settled, then
// again (docs/performance.md: 270 files about 9 % faster). Set before any command's modules load; not
// for the short command lines, whose start-up loading node:v8 would lengthen.
if (!isShortCommandLine(argv)) (await import('node:v8')).setFlagsFromString('--interrupt-budget=300000');

installProcessHandlers();
process.exitCode = await main(argv);
