#!/usr/bin/env node
// Rewrites the rule reference in README.md (between <!-- rules:start --> and <!-- rules:end -->)
// from `node bin/conformity.js rules --format markdown`. Build first: `npm run build`.
// `--check` changes nothing and exits 1 when the README's copy is out of date.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const readmePath = `${root}README.md`;
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

const table = execFileSync(process.execPath, ['bin/conformity.js', 'rules', '--format', 'markdown'], { cwd: root, encoding: 'utf8' });
const readme = readFileSync(readmePath, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start === -1 || end === -1 || end < start) {
  console.error(`README.md: the markers ${START} and ${END} are missing; add them where the rule reference goes`);
  process.exit(2);
}
const updated = `${readme.slice(0, start + START.length)}\n${table.trimEnd()}\n${readme.slice(end)}`;
if (process.argv.includes('--check')) {
  if (updated !== readme) {
    console.error('README.md: the rule reference is out of date; run node scripts/update-readme-rules.mjs');
    process.exit(1);
  }
  console.log('README.md: the rule reference is up to date');
} else if (updated === readme) {
  console.log('README.md: the rule reference is already up to date');
} else {
  writeFileSync(readmePath, updated);
  console.log('README.md: rule reference rewritten');
}
