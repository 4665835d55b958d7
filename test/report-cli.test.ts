import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli, tempFolders, measureHead } from './helpers.js';

const newTempFolder = tempFolders('review');

const PROCEDURE = `${measureHead('AT', '2024-06-30', null)}procedures:
  - { stage: letter-of-formal-notice, date: 2019-07-25, grounds: ["3(4)", "19(3)"] }
provisions:
  "3(4)":
    status: transposed
    national:
      - { source: code, article: "art. 1 (old)", in_force_until: 2021-06-30, max_penalty_years: 3 }
      - { source: code, article: "art. 1 (new)", in_force_from: 2021-07-01, max_penalty_years: 15 }
  "19(3)": { status: not-transposed }
`;

function tempDir(): string {
  return newTempFolder();
}

describe('conformity report', () => {
  it('reads inputs as check does: YAML that is no measure file in a folder is skipped with a notice', async () => {
    const dir = newTempFolder();
    writeFileSync(path.join(dir, 'fi.yaml'), readFileSync(fixture('measures/fi.yaml')));
    writeFileSync(path.join(dir, 'docker-compose.yml'), 'services:\n  web:\n    image: nginx\n');
    for (const argv of [['report', dir, '--format', 'markdown'], ['diff', dir, dir], ['explain', '3(4)', '--measures', dir]]) {
      const { code, stdout, stderr } = await runCli(argv);
      expect(code, argv.join(' ')).toBe(0);
      expect(stdout).toContain('FI');
      if (argv[0] !== 'explain') expect(stderr).toMatch(/skipped .*docker-compose\.yml: /);
      expect(stderr).not.toMatch(/docker-compose\.yml:\d+:\d+/);
    }
  });

  it('writes an HTML report and exits 0 although the fixtures have findings', async () => {
    const { code, stdout, stderr } = await runCli(['report', fixture('measures'), '--format', 'html']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^<!DOCTYPE html>/);
    expect(stdout).toContain('<h3 id="ms-MT">MT — Malta</h3>');
  });

  it('writes Markdown to --output whole, and exits 0', async () => {
    const out = path.join(tempDir(), 'review.md');
    const { code, stdout } = await runCli(['report', fixture('measures'), '--format', 'markdown', '--output', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^# Infringement review: Directive 2011\/93\/EU\n/);
  });

  it('applies --member-state, --topic and --provision', async () => {
    const { code, stdout } = await runCli([
      'report', fixture('measures'), '--format', 'markdown', '--member-state', 'de,MT', '--topic', 'offences,prevention', '--provision', 'Art. 3(4),22,23(1)',
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('- Member States: 2 — DE, MT');
    expect(stdout).toContain('- Provisions: 2');
    expect(stdout).toContain('| 3(4) | C | NC | 1 (NC 1) |');
  });

  it.each([
    [['--member-state', 'FR'], '--member-state FR: not among the Member States evaluated; choose from DE, MT, FI'],
    [['--topic', 'victims'], '--topic victims: unknown topic'],
    [['--provision', '3(99)'], '--provision 3(99): unknown provision'],
    [['--timeline', '2020-01-01,2020-02-30'], '--timeline must be a real date'],
    [['--as-of', 'yesterday'], '--as-of must be a real date'],
  ])('exits 2 for %j, names the valid choices, and writes nothing', async (flags, message) => {
    const out = path.join(tempDir(), 'review.html');
    const { code, stderr } = await runCli(['report', fixture('measures'), '--format', 'html', '--output', out, ...flags]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(out)).toBe(false);
  });

  it('exits 2 without --format, or with a format it does not write', async () => {
    expect((await runCli(['report', fixture('measures')])).code).toBe(2);
    const { code, stderr } = await runCli(['report', fixture('measures'), '--format', 'sarif']);
    expect(code).toBe(2);
    expect(stderr).toContain('html, markdown');
  });

  it('exits 2 on bad input, printing diagnostics like check, and still reports the valid Member States', async () => {
    const bad = fixture('invalid/unknown-provision.yaml');
    const { code, stdout, stderr } = await runCli(['report', fixture('measures/fi.yaml'), bad, '--format', 'markdown']);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: unknown provision`));
    expect(stderr).toContain('input error(s) in 1 file(s)');
    expect(stdout).toContain('## Input errors');
    expect(stdout).toContain('### FI — Finland');
  });

  it('writes no report when no Member State could be evaluated', async () => {
    const out = path.join(tempDir(), 'review.html');
    const { code, stderr } = await runCli(['report', fixture('invalid/unknown-provision.yaml'), '--format', 'html', '--output', out]);
    expect(code).toBe(2);
    expect(stderr).toContain('no report written');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses to overwrite an input file with --output', async () => {
    const dir = tempDir();
    const input = path.join(dir, 'at.yaml');
    writeFileSync(input, PROCEDURE);
    const { code, stderr } = await runCli(['report', input, '--format', 'html', '--output', input]);
    expect(code).toBe(2);
    expect(stderr).toContain('refusing to overwrite an input file');
    expect(readFileSync(input, 'utf8')).toBe(PROCEDURE);
  });

  it('evaluates on each --timeline date, reading standard input only once', async () => {
    const { code, stdout } = await runCli(['report', '-', '--format', 'markdown', '--timeline', '2024-01-01,2020-01-01'], { stdin: PROCEDURE });
    expect(code).toBe(0);
    expect(stdout).toContain('- Timeline: 2020-01-01, 2024-01-01');
    const [, before, after] = /^\| AT \| (\d+) \| (\d+) \|$/m.exec(stdout)!;
    // The reform of 3(4) on 2021-07-01: one provision fewer not conform.
    expect(Number(before) - Number(after)).toBe(1);
    expect(stdout).toContain('#### AT: timeline');
    expect(stdout).toContain('Of its 2 grounds shown, 1 is still open and 1 is now conform on 2024-06-30.');
  });

  it('follows up the procedure at --as-of', async () => {
    const { stdout } = await runCli(['report', '-', '--format', 'markdown', '--as-of', '2020-01-01'], { stdin: PROCEDURE });
    expect(stdout).toContain('Of its 2 grounds shown, 2 are still open and 0 are now conform on 2020-01-01.');
  });

  it('shows no false worsening across a recorded reform (fixtures/outcomes/reform-versions)', async () => {
    // Two descriptions of AT: as of 2021-06-30 (§ 10 old, 10 years, until 2021-06-30) and as of
    // 2024-06-01 (§ 10 new, 15 years, from 2021-07-01). On 2021-07-01 the latest description is the
    // older one, whose § 10 expired the day before: 3(4) is not assessed (information missing), not "not
    // transposed"; on 2024-06-01 the newer one describes it: conform.
    const folder = fixture('outcomes/reform-versions');
    const { code, stdout } = await runCli(['report', folder, '--format', 'markdown', '--timeline', '2021-06-30,2021-07-01,2024-06-01']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\| AT \| 0 \| 0 \| 0 \|$/m);
    // Date | measures as of | C | PC | NC | NT | I | NAS | NA | not conform | change: 3(4) (and 2(b), from
    // the recorded age of consent) conform, moved to NAS on 2021-07-01 without a change in "not conform".
    expect(stdout).toMatch(/^\| 2021-06-30 \| 2021-06-30 \| 2 \| 0 \| 0 \| 0 \| 0 \| 108 \| 2 \| 0 \| — \|$/m);
    expect(stdout).toMatch(/^\| 2021-07-01 \| 2021-06-30 \| 1 \| 0 \| 0 \| 0 \| 0 \| 109 \| 2 \| 0 \| 0 \|$/m);
    expect(stdout).toMatch(/^\| 2024-06-01 \| 2024-06-01 \| 2 \| 0 \| 0 \| 0 \| 0 \| 108 \| 2 \| 0 \| 0 \|$/m);
    // Which provision: 3(4) on each date, from the matrix of a report at that date.
    const on = async (date: string) => (await runCli(['report', folder, '--format', 'markdown', '--as-of', date])).stdout;
    expect(await on('2021-07-01')).toMatch(/^\| 3\(4\) \| NAS \| 0 \|$/m);
    expect(await on('2024-06-01')).toMatch(/^\| 3\(4\) \| C \| 0 \|$/m);
    expect(stdout).toMatch(/^\| 3\(4\) \| C \| 0 \|$/m);
  });

  it('lists report in --help with its options', async () => {
    const { code, stdout } = await runCli(['report', '--help']);
    expect(code).toBe(0);
    for (const flag of ['--format', '--output', '--as-of', '--timeline', '--member-state', '--topic', '--provision', '--rules']) expect(stdout).toContain(flag);
  });
});
