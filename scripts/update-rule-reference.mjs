#!/usr/bin/env node
// Rewrites the rule reference in docs/rules.md (between <!-- rules:start --> and <!-- rules:end -->)
// from `node bin/conformity.js rules --format markdown`. Build first: `npm run build`.
// `--check` changes nothing and exits 1 when the page's copy is out of date.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const PAGE = 'docs/rules.md';
const pagePath = `${root}${PAGE}`;
const START = '<!-- rules:start -->';
const END = '<!-- rules:end -->';

const table = execFileSync(process.execPath, ['bin/conformity.js', 'rules', '--format', 'markdown'], { cwd: root, encoding: 'utf8' });
const page = readFileSync(pagePath, 'utf8');
const start = page.indexOf(START);
const end = page.indexOf(END);
if (start === -1 || end === -1 || end < start) {
  console.error(`${PAGE}: the markers ${START} and ${END} are missing; add them where the rule reference goes`);
  process.exit(2);
}
const updated = `${page.slice(0, start + START.length)}\n${table.trimEnd()}\n${page.slice(end)}`;
if (process.argv.includes('--check')) {
  if (updated !== page) {
    console.error(`${PAGE}: the rule reference is out of date; run node scripts/update-rule-reference.mjs`);
    process.exit(1);
  }
  console.log(`${PAGE}: the rule reference is up to date`);
} else if (updated === page) {
  console.log(`${PAGE}: the rule reference is already up to date`);
} else {
  writeFileSync(pagePath, updated);
  console.log(`${PAGE}: rule reference rewritten`);
}
