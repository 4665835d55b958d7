import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mdCell } from '../src/analyst/rules-markdown.js';
import { DEFAULT_RULESET_DIR, loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { ROOT, runCli, tempFolders } from './helpers.js';

const newTempFolder = tempFolders('rules');

describe('conformity rules', () => {
  it('prints every rule as a text table with its thresholds', async () => {
    const ruleset = await loadRuleSet();
    const { code, stdout, stderr } = await runCli(['rules']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`Rule set 2011-93-eu ${ruleset.version} (Directive 2011/93/EU): ${ruleset.rules.length} rules.`);
    expect(stdout).toMatch(/│ Rule +│ Provision +│ Article +│ Topic +│ Modality +│ Thresholds +│/);
    for (const rule of ruleset.rules) expect(stdout).toContain(rule.id);
    expect(stdout).toMatch(/│ sexual-activity-below-consent +│ 3\(4\) +│ Art\. 3 — Offences concerning[^│]*│ offences +│ shall +│ max penalty ≥ 5 years below consent/);
    expect(stdout).not.toContain('\u001b');
  });

  it('--topic offences lists exactly the offences rules', async () => {
    const ruleset = await loadRuleSet();
    const offences = ruleset.rules.filter((r) => r.topic === 'offences');
    expect(offences.length).toBe(28);
    const json = await runCli(['rules', '--topic', 'offences', '--format', 'json']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as { id: string; topic: string }[];
    expect(rows.map((r) => r.id)).toEqual(offences.map((r) => r.id));
    const text = await runCli(['rules', '--topic', 'offences']);
    expect(text.stdout).toContain(`28 of ${ruleset.rules.length} rules, topic offences.`);
    expect(text.stdout.match(/│ offences +│/g)).toHaveLength(28);
    const markdown = await runCli(['rules', '--topic', 'offences', '--format', 'markdown']);
    expect(markdown.stdout.split('\n').filter((l) => l.startsWith('| `'))).toHaveLength(28);
  });

  it('JSON: one object per rule, with checks, facts, thresholds and link', async () => {
    const { stdout } = await runCli(['rules', '--format', 'json']);
    const rows = JSON.parse(stdout);
    expect(rows).toHaveLength((await loadRuleSet()).rules.length);
    expect(rows.find((r: { id: string }) => r.id === 'sexual-activity-using-coercion')).toMatchObject({
      provision: '3(5)(iii)',
      article_title: 'Offences concerning sexual abuse',
      topic: 'offences',
      modality: 'shall',
      thresholds: ['max penalty ≥ 10 years below consent, ≥ 5 years above consent'],
      checks: [{ kind: 'min-max-penalty', below_consent: 10, above_consent: 5 }],
      url: expect.stringContaining('#art_3'),
    });
    expect(rows.find((r: { provision: string }) => r.provision === '17(2)').thresholds).toEqual([
      'commission_informed = true',
      'applies only if 17(2)(a), 17(2)(b) or 17(2)(c) is transposed or other_jurisdiction_grounds is recorded',
    ]);
  });

  it('Markdown: a GFM table, six cells a row, pipes escaped', async () => {
    const { code, stdout } = await runCli(['rules', '--format', 'markdown']);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContain('| Rule | Provision | Article | Topic | Modality | Thresholds |');
    expect(lines).toContain('| --- | --- | --- | --- | --- | --- |');
    expect(lines).toContain('| `sexual-activity-below-consent` | 3(4) | Art. 3 — Offences concerning sexual abuse | offences | shall | max penalty ≥ 5 years below consent |');
    expect(mdCell('a | b \\ c\nd <e>')).toBe('a \\| b \\\\ c d &lt;e&gt;');
    // A rule set whose text holds a pipe still gives six cells per row.
    const dir = newTempFolder();
    cpSync(DEFAULT_RULESET_DIR, dir, { recursive: true });
    const file = path.join(dir, 'offences.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll('article_title: Offences concerning sexual abuse', 'article_title: "Offences | sexual abuse"'));
    const piped = await runCli(['rules', '--format', 'markdown', '--rules', dir, '--topic', 'offences']);
    expect(piped.code).toBe(0);
    const row = piped.stdout.split('\n').find((l) => l.includes('`sexual-activity-below-consent`'))!;
    expect(row).toContain('Art. 3 — Offences \\| sexual abuse');
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
  });

  it.each([
    [['rules', '--topic', 'offense'], 'did you mean offences?'],
    [['rules', '--topic', 'nope'], 'topics: advertising-sex-tourism, aggravating-circumstances'],
    [['rules', '--format', 'html'], 'html'],
    [['rules', '--rules', '/no/such/rules'], 'cannot read the rule-set folder'],
  ])('exits 2 on bad input: %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });
});

describe('the rule reference in docs/rules.md', () => {
  it('equals `conformity rules --format markdown`', async () => {
    const page = readFileSync(path.join(ROOT, 'docs/rules.md'), 'utf8');
    const match = /<!-- rules:start -->\n([\s\S]*?)<!-- rules:end -->/.exec(page);
    expect(match, 'docs/rules.md has no <!-- rules:start --> … <!-- rules:end --> block').not.toBeNull();
    const { stdout } = await runCli(['rules', '--format', 'markdown']);
    expect(
      match![1]!.trim(),
      'docs/rules.md rule reference is out of date: regenerate it with `npm run build && node scripts/update-rule-reference.mjs` ' +
        '(it writes the output of `node bin/conformity.js rules --format markdown` between the markers)',
    ).toBe(stdout.trim());
  });
});
