#!/usr/bin/env node
const argv = process.argv.slice(2);
const { installProcessHandlers, isShortCommandLine, main } = await import('../dist/cli.js');
// A run over many files: V8 optimises a function once it has run a budget of bytecode, and for a run
// of a second or two its default budget optimises too early, on type feedback not yet settled, then
// again (docs/performance.md: 270 files about 9 % faster). Set before any command's modules load; not
// for the short command lines, whose start-up loading node:v8 would lengthen.
if (!isShortCommandLine(argv)) (await import('node:v8')).setFlagsFromString('--interrupt-budget=300000');

installProcessHandlers();
process.exitCode = await main(argv);
