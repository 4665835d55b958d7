import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, runCli, tempFolders } from './helpers.js';

/**
 * Every command follows `--rules DIR`: proved with a second rule set for an invented directive,
 * "Directive 2099/1/EU on illustrative widget safety" (fixtures/rulesets/invented-directive, test
 * data only), and two invented measure files for it.
 */

const RULES = fixture('rulesets/invented-directive');
const tempDir = tempFolders('second-ruleset');

/**
 * Art. 6(2) of the invented directive, like Art. 27(3) of 2011/93/EU, checks only the acts ADOPTED to
 * transpose it. The Widget Safety Act is the invented transposing act: copies of the invented measure
 * files say so (`adopted_to_transpose: true`), so that 6(2) is decided, not left incomplete.
 */
function adoptedToTranspose(file: string): string {
  const text = readFileSync(file, 'utf8');
  const copy = path.join(tempDir(), path.basename(file));
  writeFileSync(copy, text.includes('adopted_to_transpose') ? text : text.replace('    abbreviation: WSA\n', '    abbreviation: WSA\n    adopted_to_transpose: true\n'));
  return copy;
}
const CONFORM_AS_RECORDED = fixture('rulesets/invented-measures/xa-conform.yaml');
const CONFORM = adoptedToTranspose(CONFORM_AS_RECORDED);
const FINDINGS = adoptedToTranspose(fixture('rulesets/invented-measures/xa-findings.yaml'));
const INVENTED_PROVISIONS = ['2(1)', '2(2)', '3', '4(1)', '5(a)', '6(2)'];
const INVENTED_RULES = [
  'widgets-safe-by-design',
  'safety-label-in-official-language',
  'option-recall-register',
  'penalty-unsafe-widgets',
  'competent-authority-designated',
  'transposing-acts-cite-directive',
];

/** Keys of a YAML mapping in file order (a JS object puts integer-like keys such as "3" first). */
function keysInOrder(text: string, ...at: string[]): unknown[] {
  const node = parseDocument(text).getIn(at);
  return isMap(node) ? node.items.map((i) => (isScalar(i.key) ? i.key.value : undefined)) : [];
}

interface JsonResult {
  ruleset: { id: string; directive: string; version: string; hash: string };
  results: { member_state: string; provisions: Record<string, string>; findings: { provision: string; rule: string; outcome: string; url: string; message: string }[] }[];
}

describe('a second rule set (invented Directive 2099/1/EU) with --rules', () => {
  it('loads: 6 rules over 2 topics, a penalty check, a fact check, an optional provision', async () => {
    const ruleset = await loadRuleSet(RULES);
    expect(ruleset).toMatchObject({ id: 'invented-widget-safety', directive: '2099/1/EU', provisions: INVENTED_PROVISIONS });
    expect(ruleset.rules.map((r) => r.id)).toEqual(INVENTED_RULES);
    expect(new Set(ruleset.rules.map((r) => r.topic))).toEqual(new Set(['safety', 'enforcement']));
    const kinds = ruleset.rules.flatMap((r) => r.checks.map((c) => c.kind));
    expect(kinds).toEqual(expect.arrayContaining(['min-max-penalty', 'fact-equals', 'fact-present', 'sources-cite-directive']));
    expect(ruleset.rules.filter((r) => r.modality === 'may').map((r) => r.provision)).toEqual(['3']);
    expect([...ruleset.facts.keys()]).toEqual(['max_penalty_years', 'label_in_official_language', 'competent_authority', 'register_url']);
  });

  it('check: evaluates with the invented rules (outcomes, JSON ruleset.directive, exit status)', async () => {
    const ok = await runCli(['check', CONFORM, '--rules', RULES, '--format', 'json', '--all']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const okJson = JSON.parse(ok.stdout) as JsonResult;
    expect(okJson.ruleset).toMatchObject({ id: 'invented-widget-safety', directive: '2099/1/EU', version: '0.1.0' });
    expect(okJson.results[0]!.provisions).toEqual({ '2(1)': 'conform', '2(2)': 'conform', '3': 'not-applicable', '4(1)': 'conform', '5(a)': 'conform', '6(2)': 'conform' });
    expect(okJson.results[0]!.findings.map((f) => f.url)).toContain('https://example.invalid/directive-2099-1-eu#art_4');

    const bad = await runCli(['check', FINDINGS, '--rules', RULES, '--format', 'json']);
    expect(bad.stderr).toBe('');
    expect(bad.code).toBe(1);
    const badJson = JSON.parse(bad.stdout) as JsonResult;
    expect(badJson.ruleset.directive).toBe('2099/1/EU');
    expect(badJson.results[0]!.member_state).toBe('LU');
    expect(badJson.results[0]!.provisions).toEqual({ '2(1)': 'conform', '2(2)': 'not-conform', '3': 'conform', '4(1)': 'not-conform', '5(a)': 'incomplete', '6(2)': 'not-conform' });

    const text = await runCli(['check', FINDINGS, '--rules', RULES], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(text.stdout).toContain('rules invented-widget-safety 0.1.0');
    expect(text.stdout).toMatch(/│ 4\(1\) +│ Penalties +│ not-conform +│ lowest maximum below the/);
    expect(badJson.results[0]!.findings.find((f) => f.provision === '4(1)')).toMatchObject({
      message: "lowest maximum below the Directive's: WSA art. 10 (figure recorded for the provision): 1 year, below the 2 years required",
    });
    expect(text.stdout).not.toContain('2011-93-eu');

    // As recorded, no act is marked adopted to transpose: 6(2) cannot be decided (a warning, exit 0).
    const recorded = await runCli(['check', CONFORM_AS_RECORDED, '--rules', RULES, '--format', 'json', '--all']);
    expect(recorded.code).toBe(0);
    const finding = (JSON.parse(recorded.stdout) as { results: { findings: { provision: string; outcome: string; message: string }[] }[] }).results[0]!.findings.find((f) => f.provision === '6(2)')!;
    expect(finding).toMatchObject({ outcome: 'incomplete', message: expect.stringContaining('no cited act is marked adopted_to_transpose: true') });
  });

  it('validate: the invented measure files are valid against the invented rules', async () => {
    const { code, stdout, stderr } = await runCli(['validate', CONFORM, FINDINGS, '--rules', RULES]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe('2 measure file(s) valid against rule set invented-widget-safety 0.1.0\n');
  });

  it('schema: the invented provision keys and facts, none of 2011/93/EU', async () => {
    const { code, stdout } = await runCli(['schema', '--rules', RULES]);
    expect(code).toBe(0);
    const schema = JSON.parse(stdout) as {
      title: string;
      properties: { directive: { const: string }; provisions: { properties: Record<string, { $ref: string }> } };
      $defs: Record<string, { properties: Record<string, unknown> }>;
    };
    expect(schema.title).toBe('conformity measure file for Directive 2099/1/EU');
    expect(schema.properties.directive.const).toBe('2099/1/EU');
    // As a set: the schema is a JSON object, where integer-like keys ("3") come first.
    expect(Object.keys(schema.properties.provisions.properties).sort()).toEqual([...INVENTED_PROVISIONS].sort());
    for (const key of ['3(4)', '2(a)', '25(2)']) expect(schema.properties.provisions.properties[key]).toBeUndefined();
    expect(stdout).not.toContain('age_of_sexual_consent');
    const shape = (key: string) => schema.$defs[schema.properties.provisions.properties[key]!.$ref.split('/').pop()!]!;
    expect(Object.keys(shape('2(2)').properties)).toContain('label_in_official_language');
    expect(Object.keys(shape('4(1)').properties)).toContain('max_penalty_years');
    expect(Object.keys(shape('3').properties)).toContain('register_url');
  });

  it('init: lists the invented provisions in order; the template validates and checks with the invented rules', async () => {
    const { code, stdout } = await runCli(['init', 'LU', '--rules', RULES, '--as-of', '2100-07-01']);
    expect(code).toBe(0);
    const data = parse(stdout) as { directive: string; provisions: Record<string, unknown> };
    expect(data.directive).toBe('2099/1/EU');
    expect(keysInOrder(stdout, 'provisions')).toEqual(INVENTED_PROVISIONS);
    expect(stdout).toContain('# Art. 4(1) — Penalties (shall)');
    expect(stdout).toContain('# A Member State may keep a public register of recalled widgets.');
    expect(stdout).toContain('conformity schema --rules');
    // The worked example in the header is a provision of this rule set, not of Directive 2011/93/EU.
    expect(stdout).toContain('#        "4(1)":\n');
    expect(stdout).toContain('conformity explain 4(1) --measures THIS_FILE');
    expect(stdout).toContain('references_directive: false      # Art. 6(2): does the act refer to the Directive?');
    expect(stdout).not.toMatch(/3\(4\)|27\(3\)/);

    const file = path.join(tempDir(), 'lu.yaml');
    writeFileSync(file, stdout);
    const validated = await runCli(['validate', file, '--rules', RULES]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
    const checked = await runCli(['check', file, '--rules', RULES, '--format', 'json']);
    // A fresh template is not researched yet: every provision not assessed (a warning), so exit 0.
    expect(checked.code).toBe(0);
    expect((JSON.parse(checked.stdout) as JsonResult).results[0]!.provisions).toEqual({
      '2(1)': 'not-assessed',
      '2(2)': 'not-assessed',
      '3': 'not-assessed',
      '4(1)': 'not-assessed',
      '5(a)': 'not-assessed',
      '6(2)': 'not-assessed',
    });
  });

  it('explain: one invented provision, in any spelling, with and without --measures; a 2011/93 key is unknown', async () => {
    const plain = await runCli(['explain', 'Art. 4(1)', '--rules', RULES]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('Art. 4(1) — Penalties');
    expect(plain.stdout).toContain('Directive 2099/1/EU · rule set invented-widget-safety 0.1.0');
    expect(plain.stdout).toContain('Rule penalty-unsafe-widgets');
    expect(plain.stdout).toContain('https://example.invalid/directive-2099-1-eu#art_4');

    const traced = await runCli(['explain', '4(1)', '--rules', RULES, '--measures', FINDINGS]);
    expect(traced.code).toBe(0);
    expect(traced.stdout).toContain('read: max_penalty_years = 1');
    expect(traced.stdout).toContain("lowest maximum below the Directive's: WSA art. 10 (figure recorded for the provision): 1 year, below the 2 years required");

    const unknown = await runCli(['explain', '3(4)', '--rules', RULES]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown provision "3(4)"; did you mean');
  });

  it('rules: the invented rules, and nothing of 2011/93/EU', async () => {
    const text = await runCli(['rules', '--rules', RULES]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Rule set invented-widget-safety 0.1.0 (Directive 2099/1/EU): 6 rules.');
    for (const id of INVENTED_RULES) expect(text.stdout).toContain(id);
    expect(text.stdout).toContain('max penalty ≥ 2 years');
    expect(text.stdout).not.toContain('sexual-activity-below-consent');

    const json = await runCli(['rules', '--rules', RULES, '--format', 'json']);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((r) => r.id)).toEqual(INVENTED_RULES);
    const topic = await runCli(['rules', '--rules', RULES, '--topic', 'enforcement', '--format', 'json']);
    expect((JSON.parse(topic.stdout) as { provision: string }[]).map((r) => r.provision)).toEqual(['4(1)', '5(a)', '6(2)']);
    const wrongTopic = await runCli(['rules', '--rules', RULES, '--topic', 'offences']);
    expect(wrongTopic.code).toBe(2);
  });

  it('report: no priority areas, procedures or age-group wording inherited from 2011/93/EU', async () => {
    const ruleset = await loadRuleSet(RULES);
    expect(ruleset.priorityAreas).toEqual([]);
    for (const format of ['markdown', 'html']) {
      const { code, stdout, stderr } = await runCli(['report', CONFORM, FINDINGS, '--rules', RULES, '--format', format]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toContain('Directive 2099/1/EU');
      for (const inherited of ['COM(2020) 607', 'Priority area', 'priorities', 'Infringement procedures', 'INFR(', 'sexual consent', 'age of consent']) {
        expect(stdout).not.toContain(inherited);
      }
    }
    // Even with a topic named like 2011/93/EU's penalties area and an Article 3, nothing is inherited.
    const dir = tempDir();
    for (const name of ['ruleset.yaml', 'safety.yaml', 'enforcement.yaml']) {
      writeFileSync(path.join(dir, name), readFileSync(path.join(RULES, name), 'utf8').replace(/topic: safety/g, 'topic: offences'));
    }
    const renamed = await runCli(['report', FINDINGS, '--rules', dir, '--format', 'markdown']);
    expect(renamed.code).toBe(0);
    expect(renamed.stdout).toContain('## Topics\n\n### Offences');
    expect(renamed.stdout).not.toMatch(/priority|COM\(2020\)/i);
  });

  it('diff: compares the two invented versions with the invented rules', async () => {
    const { code, stdout, stderr } = await runCli(['diff', CONFORM, FINDINGS, '--rules', RULES, '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const diff = JSON.parse(stdout) as { ruleset: { directive: string }; changes: { provision: string; old: string; new: string; direction: string }[] };
    expect(diff.ruleset.directive).toBe('2099/1/EU');
    expect(diff.changes.map((c) => `${c.provision} ${c.old} → ${c.new} ${c.direction}`)).toEqual([
      '2(2) conform → not-conform worse',
      '3 not-applicable → conform changed',
      '4(1) conform → not-conform worse',
      '5(a) conform → incomplete worse',
      '6(2) conform → not-conform worse',
    ]);
    const back = await runCli(['diff', FINDINGS, CONFORM, '--rules', RULES]);
    expect(back.code).toBe(0);
  });

  it('import: maps a table onto the invented provisions (round trip through check --format csv)', async () => {
    const dir = tempDir();
    const exported = await runCli(['check', FINDINGS, '--rules', RULES, '--format', 'csv', '--all']);
    const table = path.join(dir, 'lu.csv');
    writeFileSync(table, exported.stdout);
    const file = path.join(dir, 'lu.yaml');
    const run = await runCli(['import', table, '--member-state', 'LU', '--rules', RULES, '--as-of', '2101-01-01', '--output', file]);
    expect(run.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect((parse(text) as { directive: string }).directive).toBe('2099/1/EU');
    expect(keysInOrder(text, 'provisions')).toEqual(INVENTED_PROVISIONS);
    const validated = await runCli(['validate', file, '--rules', RULES]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
    // A 2011/93 key is not a provision of the invented directive.
    const wrong = await runCli(['import', fixture('import/with-sources.csv'), '--member-state', 'LU', '--rules', RULES]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('unknown provision "3(4)" of Directive 2099/1/EU: the row is left out; did you mean');
  });

  it('report: the review follows the invented rules', async () => {
    const { code, stdout } = await runCli(['report', CONFORM, FINDINGS, '--rules', RULES, '--format', 'markdown']);
    expect(code).toBe(0);
    expect(stdout).toContain('Directive 2099/1/EU');
    expect(stdout).toContain('invented-widget-safety 0.1.0');
  });

  it('a 2011/93/EU measure file checked with the invented rules: a clear directive mismatch, exit 2', async () => {
    for (const command of ['check', 'validate']) {
      const { code, stdout, stderr } = await runCli([command, fixture('measures/mt.yaml'), '--rules', RULES]);
      expect(code).toBe(2);
      expect(stderr).toMatch(/mt\.yaml:\d+:\d+: directive must be "2099\/1\/EU", not "2011\/93\/EU"/);
      expect(stdout).not.toContain('conform ');
    }
    // And the other way round: an invented measure file under the built-in rules.
    const { code, stderr } = await runCli(['check', CONFORM]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/xa-conform\.yaml:\d+:\d+: directive must be "2011\/93\/EU", not "2099\/1\/EU"/);
  });
});
