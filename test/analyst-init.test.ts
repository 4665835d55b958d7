import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import { localToday } from '../src/analyst/init-template.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { runCli } from './helpers.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'conformity-init-'));

/** Writes `conformity init` output to a fresh folder and returns the file. */
async function initFile(args: string[] = ['DE']): Promise<string> {
  const file = path.join(tempDir(), 'de.yaml');
  const { code, stderr } = await runCli(['init', ...args, '--output', file]);
  expect(stderr).toContain(`wrote ${file}`);
  expect(code).toBe(0);
  return file;
}

describe('conformity init', () => {
  it('prints a template: modeline first, header keys, every provision in Directive order, not-transposed', async () => {
    const ruleset = await loadRuleSet();
    const { code, stdout, stderr } = await runCli(['init', 'de', '--as-of', '2024-06-30']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('# yaml-language-server: $schema=measures.schema.json');
    expect(stdout).toContain('#   conformity schema --output measures.schema.json');
    const data = parse(stdout) as Record<string, unknown>;
    expect(data).toMatchObject({ format: 1, directive: ruleset.directive, member_state: 'DE', as_of: '2024-06-30', sources: {} });
    const provisions = data.provisions as Record<string, unknown>;
    // Keys in file order (a JS object would put "11" before "2(a)").
    const node = parseDocument(stdout).get('provisions');
    expect(isMap(node) && node.items.map((item) => (isScalar(item.key) ? item.key.value : undefined))).toEqual(ruleset.provisions);
    for (const value of Object.values(provisions)) expect(value).toEqual({ status: 'not-transposed' });
  });

  it('precedes each provision with its article title, modality, requirement and facts', async () => {
    const ruleset = await loadRuleSet();
    const { stdout } = await runCli(['init', 'DE']);
    const lines = stdout.split('\n');
    for (const key of ruleset.provisions) {
      const rules = ruleset.rulesByProvision.get(key)!;
      const at = lines.indexOf(`  ${JSON.stringify(key)}: { status: not-transposed }`);
      expect(at, key).toBeGreaterThan(0);
      // The comment block right above the key starts with the title line.
      let start = at - 1;
      while (lines[start - 1]?.startsWith('  #') && !lines[start]!.startsWith('  # Art. ')) start--;
      expect(lines[start]).toBe(`  # Art. ${key} — ${rules[0]!.articleTitle} (${[...new Set(rules.map((r) => r.modality))].join(' / ')})`);
      const block = lines.slice(start, at).join(' ').replace(/\s*#\s*/g, ' ');
      expect(block).toContain(rules[0]!.requirement.split(' ').slice(0, 6).join(' '));
      for (const fact of new Set(rules.flatMap((r) => r.facts))) expect(lines.slice(start, at).some((l) => l.startsWith(`  #   ${fact}:`)), `${key} ${fact}`).toBe(true);
    }
    expect(stdout).toContain('  #   max_penalty_years: 0   # years; the Directive requires at least 5 years (child below the age of sexual consent)\n  "3(4)"');
    expect(stdout).toContain('#   max_penalty_years: { below_consent: 0, above_consent: 0 }   # years');
    expect(stdout).toContain('  #   child_age_limit: 0   # whole years; the Directive requires at least 18');
    // The Member-State fact is a commented placeholder at the top.
    expect(stdout).toMatch(/^# age_of_sexual_consent: 0 {3}# whole years/m);
    expect(stdout).toContain('#   cc:\n#     title: Criminal Code');
  });

  it('as_of defaults to today', async () => {
    const { stdout } = await runCli(['init', 'FR']);
    expect(stdout).toContain(`\nas_of: ${localToday()}   #`);
    expect(stdout).toContain('\nmember_state: FR\n');
  });

  it('init → validate (exit 0) → check: every mandatory provision not-transposed (exit 1)', async () => {
    const ruleset = await loadRuleSet();
    const file = await initFile(['DE', '--as-of', '2024-06-30']);
    const validated = await runCli(['validate', file]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
    const checked = await runCli(['check', file, '--format', 'json']);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(1);
    const [result] = JSON.parse(checked.stdout).results as { provisions: Record<string, string>; summary: Record<string, number> }[];
    for (const key of ruleset.provisions) {
      const rules = ruleset.rulesByProvision.get(key)!;
      // Mandatory: every rule shall / shall-endeavour, applying unconditionally.
      const mandatory = rules.some((r) => r.modality !== 'may' && !r.appliesWhen);
      expect(`${key} ${result!.provisions[key]}`).toBe(`${key} ${mandatory ? 'not-transposed' : 'not-applicable'}`);
    }
    expect(result!.summary['not-transposed']).toBeGreaterThan(90);
    expect(result!.summary.conform).toBe(0);
  });

  it('a provision filled in as the comments say is checked', async () => {
    const file = await initFile(['DE', '--as-of', '2024-06-30']);
    const text = readFileSync(file, 'utf8')
      .replace('sources: {}', 'sources:\n  cc: { title: Criminal Code, references_directive: true }')
      .replace(
        '  "3(4)": { status: not-transposed }',
        '  "3(4)":\n    status: transposed\n    national: [{ source: cc, article: "art. 100", in_force_from: 2021-07-01 }]\n    max_penalty_years: 10',
      );
    writeFileSync(file, text);
    const { code, stdout } = await runCli(['check', file, '--format', 'json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).results[0].provisions['3(4)']).toBe('conform');
  });

  it('--output refuses to overwrite an existing file unless --force', async () => {
    const file = path.join(tempDir(), 'de.yaml');
    writeFileSync(file, 'keep me\n');
    const refused = await runCli(['init', 'DE', '--output', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to overwrite');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
    const forced = await runCli(['init', 'DE', '--output', file, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toMatch(/^# yaml-language-server: \$schema=/);
  });

  it('--schema sets the modeline', async () => {
    const { stdout } = await runCli(['init', 'DE', '--schema', '../measures.schema.json']);
    expect(stdout.split('\n')[0]).toBe('# yaml-language-server: $schema=../measures.schema.json');
  });

  it.each([
    [['init', 'GR'], 'the EU code for Greece is EL'],
    [['init', 'UK'], 'left the EU'],
    [['init', 'XX'], 'is not an EU Member State code'],
    [['init', 'DE', '--as-of', '2024-02-30'], '--as-of must be a real date'],
    [['init'], 'missing required argument'],
    [['init', 'DE', '--rules', '/no/such/rules'], 'cannot read the rule-set folder'],
  ])('exits 2 on bad input: %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });
});
