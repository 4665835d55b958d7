import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './helpers.js';

/**
 * Every output format pinned whole on one fixture set, as readable Markdown files under
 * test/snapshots/, so that a reporter change shows up in review. After an intended change:
 * `npm run test:snapshots` rewrites them (UPDATE_SNAPSHOTS=1).
 */
const UPDATE = process.env.UPDATE_SNAPSHOTS === '1';
const FIXED = ['--today', '2026-12-01'];
const CASES: [name: string, argv: string[]][] = [
  ['check-text', ['check', 'fixtures/measures', ...FIXED]],
  ['check-text-all', ['check', 'fixtures/measures/mt.yaml', '--all', ...FIXED]],
  ['check-json', ['check', 'fixtures/measures', '--format', 'json', ...FIXED]],
  ['check-sarif', ['check', 'fixtures/measures', '--format', 'sarif', ...FIXED]],
  ['check-junit', ['check', 'fixtures/measures', '--format', 'junit', ...FIXED]],
  ['check-github', ['check', 'fixtures/measures', '--format', 'github', ...FIXED]],
  ['check-markdown', ['check', 'fixtures/measures', '--format', 'markdown', ...FIXED]],
  ['check-csv', ['check', 'fixtures/measures', '--format', 'csv', ...FIXED]],
  ['check-codequality', ['check', 'fixtures/measures', '--format', 'codequality', ...FIXED]],
  ['check-outcomes-not-bound', ['check', 'fixtures/outcomes/denmark-not-bound.yaml', 'fixtures/outcomes/penalty-lowest-binds.yaml', ...FIXED]],
  ['report-markdown', ['report', 'fixtures/measures', '--format', 'markdown', ...FIXED]],
  ['diff-text', ['diff', 'examples/de/2021-06-30.yaml', 'examples/de/2024-06-01.yaml', ...FIXED]],
  ['explain-3-4', ['explain', '3(4)', '--measures', 'examples/de/2024-06-01.yaml', ...FIXED]],
  ['rules-text', ['rules', '--topic', 'offences']],
];

const file = (name: string) => fileURLToPath(new URL(`./snapshots/${name}.md`, import.meta.url));

function render(argv: string[], run: { code: number; stdout: string; stderr: string }): string {
  const block = (label: string, text: string) => (text ? `## ${label}\n\n\`\`\`\`text\n${text.endsWith('\n') ? text : `${text}\n`}\`\`\`\`\n\n` : '');
  return `# conformity ${argv.join(' ')}\n\n${block('stdout', run.stdout)}${block('stderr', run.stderr)}Exit code: ${run.code}\n`;
}

describe('output snapshots (test/snapshots/*.md)', () => {
  it.each(CASES)('%s', async (name, argv) => {
    // The version changes with every release; the snapshot pins everything else.
    const run = await runCli(argv, { env: { NO_COLOR: '1', COLUMNS: '100' } });
    // Where the repository is checked out is no part of the output's shape.
    const text = render(argv, run).replaceAll(ROOT, '<ROOT>/').replaceAll(/conformity(["\s]+(?:version["\s:]+)?)\d+\.\d+\.\d+/g, 'conformity$1X.Y.Z').replaceAll(/"version": "\d+\.\d+\.\d+"/g, '"version": "X.Y.Z"');
    if (!UPDATE && !existsSync(file(name)) && process.env.CI) throw new Error(`test/snapshots/${name}.md is missing: run npm run test:snapshots and commit it`);
    if (UPDATE || !existsSync(file(name))) writeFileSync(file(name), text);
    expect(text).toBe(readFileSync(file(name), 'utf8'));
  });
});
