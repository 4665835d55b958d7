import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import { localToday } from '../src/analyst/init-template.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { runCli, tempFolders } from './helpers.js';

const newTempFolder = tempFolders('init');

const tempDir = () => newTempFolder();

/** Writes `conformity init` output to a fresh folder and returns the file. */
async function initFile(args: string[] = ['DE']): Promise<string> {
  const file = path.join(tempDir(), 'de.yaml');
  const { code, stderr } = await runCli(['init', ...args, '--output', file]);
  expect(stderr).toContain(`wrote ${file}`);
  expect(code).toBe(0);
  return file;
}

describe('conformity init', () => {
  it('prints a template: modeline first, header keys, every provision in Directive order, not-assessed', async () => {
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
    for (const value of Object.values(provisions)) expect(value).toEqual({ status: 'not-assessed' });
  });

  it('precedes each provision with its article title, modality, requirement and facts', async () => {
    const ruleset = await loadRuleSet();
    const { stdout } = await runCli(['init', 'DE']);
    const lines = stdout.split('\n');
    for (const key of ruleset.provisions) {
      const rules = ruleset.rulesByProvision.get(key)!;
      const at = lines.indexOf(`  ${JSON.stringify(key)}: { status: not-assessed }`);
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

  it('init → validate (exit 0) → check: every provision not assessed or not applicable, warnings only (exit 0)', async () => {
    const ruleset = await loadRuleSet();
    const file = await initFile(['DE', '--as-of', '2024-06-30']);
    const validated = await runCli(['validate', file]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
    const checked = await runCli(['check', file, '--format', 'json']);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(0);
    const [result] = JSON.parse(checked.stdout).results as { provisions: Record<string, string>; summary: Record<string, number> }[];
    for (const key of ruleset.provisions) expect(`${key} ${result!.provisions[key]}`).toMatch(/ (not-assessed|not-applicable|conform)$/);
    expect(result!.summary['not-assessed']).toBeGreaterThan(90);
    expect(result!.summary['not-transposed']).toBe(0);
  });

  it('a provision filled in as the comments say is checked', async () => {
    const file = await initFile(['DE', '--as-of', '2024-06-30']);
    const text = readFileSync(file, 'utf8')
      .replace('sources: {}', 'sources:\n  cc: { title: Criminal Code, references_directive: true }')
      .replace(
        '  "3(4)": { status: not-assessed }',
        '  "3(4)":\n    status: transposed\n    national: [{ source: cc, article: "art. 100", in_force_from: 2021-07-01 }]\n    max_penalty_years: 10',
      );
    writeFileSync(file, text);
    const { code, stdout } = await runCli(['check', file, '--format', 'json']);
    // The rest is not assessed: warnings, not errors.
    expect(code).toBe(0);
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

describe('conformity init for part of the work', () => {
  const keysOf = (text: string) => {
    const node = parseDocument(text).get('provisions');
    return isMap(node) ? node.items.map((item) => (isScalar(item.key) ? String(item.key.value) : '')) : [];
  };

  it.each([
    [['--topic', 'offences,penalties']],
    [['--provision', '3(4),Art. 5 Abs. 2']],
    [['--topic', 'offences', '--provision', '22']],
  ])('init DE %j writes only those provisions, and the template validates and checks', async (extra) => {
    const ruleset = await loadRuleSet();
    const file = await initFile(['DE', '--as-of', '2024-06-30', ...extra]);
    const text = readFileSync(file, 'utf8');
    const topics = extra[0] === '--topic' ? extra[1]!.split(',') : [];
    const wanted = ruleset.provisions.filter(
      (key) => ruleset.rulesByProvision.get(key)!.some((r) => topics.includes(r.topic)) || extra.includes('22') && key === '22' || (extra.includes('3(4),Art. 5 Abs. 2') && ['3(4)', '5(2)'].includes(key)),
    );
    expect(wanted.length).toBeGreaterThan(1);
    expect(keysOf(text)).toEqual(wanted);
    expect(text.replace(/\n# /g, ' ')).toContain(`It lists ${wanted.length} of the rule set's ${ruleset.provisions.length} provisions`);
    const validated = await runCli(['validate', file]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
    const checked = await runCli(['check', file, '--format', 'json']);
    expect(checked.stderr).toBe('');
  });

  it.each([
    [['--topic', 'ofences'], '--topic ofences: no rule has this topic; did you mean offences?'],
    [['--provision', '3(5)'], '--provision 3(5): unknown provision; did you mean 3(5)(i), 3(5)(ii) or 3(5)(iii)?'],
  ])('an unknown topic or provision is a usage error: %j', async (extra, message) => {
    const { code, stdout, stderr } = await runCli(['init', 'DE', ...extra]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it.each(['x\nprovisions: {}', 'a b', 'x\u2028y', 'x\u001b]8;;y'])('--schema %j, which would inject YAML or escape the comment, is refused', async (schema) => {
    const { code, stdout, stderr } = await runCli(['init', 'DE', '--schema', schema]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('--schema must be a path or URL without spaces, line breaks or control characters');
  });

  it('--from FILE: a new dated version with the same sources and references, a new as_of', async () => {
    const dir = tempDir();
    const old = path.join(dir, 'de-2024.yaml');
    const text = `# yaml-language-server: $schema=measures.schema.json
format: 1
directive: 2011/93/EU
member_state: DE
as_of: 2024-06-30   # the date this description is accurate for
sources:
  cc: { title: Criminal Code }
provisions:
  "3(4)": { status: transposed, national: [{ source: cc, article: "§ 176" }], max_penalty_years: 10 }   # kept comment
`;
    writeFileSync(old, text);
    const next = path.join(dir, 'de-2025.yaml');
    const { code, stderr } = await runCli(['init', '--from', old, '--as-of', '2025-01-01', '--output', next]);
    expect(code).toBe(0);
    expect(stderr).toContain(`wrote ${next}: DE as of 2025-01-01`);
    const written = readFileSync(next, 'utf8');
    expect(written.split('\n')[0]).toBe('# yaml-language-server: $schema=measures.schema.json');
    expect(written).toContain('# kept comment');
    const data = parse(written) as { as_of: string; sources: unknown; provisions: unknown };
    const before = parse(text) as typeof data;
    expect(data.as_of).toBe('2025-01-01');
    expect(data.sources).toEqual(before.sources);
    expect(data.provisions).toEqual(before.provisions);
    expect(readFileSync(old, 'utf8')).toBe(text);
    // Both versions together: the folder checks, each at its own date.
    expect((await runCli(['validate', dir])).code).toBe(0);
    // Not earlier than (or the same as) the version it starts from.
    const same = await runCli(['init', '--from', old, '--as-of', '2024-06-30']);
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('must be later than');
  });
});
