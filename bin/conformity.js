#!/usr/bin/env node
const argv = process.argv.slice(2);
// A run over many files: V8 optimises a function once it has run a budget of bytecode, and for a run
// of a second or two its default budget optimises too early, on type feedback not yet settled, then
// again (docs/performance.md: 270 files about 9 % faster). Not for the short commands: loading
// node:v8 would lengthen their start-up.
if (!['rules', 'explain', '--version', '-V'].includes(argv[0])) {
  (await import('node:v8')).setFlagsFromString('--interrupt-budget=300000');
}
const { installProcessHandlers, main } = await import('../dist/cli.js');

installProcessHandlers();
process.exitCode = await main(argv);
