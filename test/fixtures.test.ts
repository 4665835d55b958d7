import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../src/check.js';
import type { RuleResult } from '../src/evaluate/result.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, runCli } from './helpers.js';

/** Expectations written inside each fixture: `# expect: 3(4) not-conform`, `# expect-all: conform`, `# expect-exit: 1`. */
function expectations(file: string) {
  const text = readFileSync(file, 'utf8');
  const outcomes = [...text.matchAll(/^# expect: (\S+) (\S+)\s*$/gm)].map((m) => [m[1]!, m[2]!] as const);
  const all = /^# expect-all: (\S+)\s*$/m.exec(text)?.[1];
  const exit = Number(/^# expect-exit: (\d)\s*$/m.exec(text)?.[1]);
  const errors = [...text.matchAll(/^# expect-error: (\d+):(\d+) (.+?)\s*$/gm)].map((m) => ({ line: Number(m[1]), column: Number(m[2]), words: m[3]! }));
  return { outcomes, all, exit, errors };
}

/** Valid fixtures: a file, or a folder whose files form one Member State (expectations in its first file). */
const measureDir = fixture('measures');
const validCases = readdirSync(measureDir)
  .sort()
  .map((name) => {
    const target = path.join(measureDir, name);
    const first = statSync(target).isDirectory() ? path.join(target, readdirSync(target).sort()[0]!) : target;
    return [name, target, expectations(first)] as const;
  });

describe('valid fixtures give the outcomes they state', () => {
  it.each(validCases)('%s', async (_, target, expected) => {
    expect(expected.outcomes.length > 0 || expected.all).toBeTruthy();
    const { code, stdout, stderr } = await runCli(['check', target, '--format', 'json']);
    expect(stderr).toBe('');
    expect(code).toBe(expected.exit);
    const [result] = JSON.parse(stdout).results as { provisions: Record<string, string> }[];
    for (const [provision, outcome] of expected.outcomes) expect(`${provision} ${result!.provisions[provision]}`).toBe(`${provision} ${outcome}`);
    // `expect-all` holds for every provision not named by its own `expect` line.
    const named = new Set(expected.outcomes.map(([p]) => p));
    if (expected.all) for (const [provision, outcome] of Object.entries(result!.provisions)) if (!named.has(provision)) expect(`${provision} ${outcome}`).toBe(`${provision} ${expected.all}`);
  });
});

const invalidDir = fixture('invalid');
const invalidCases = readdirSync(invalidDir)
  .sort()
  .map((name) => {
    const target = path.join(invalidDir, name);
    const files = statSync(target).isDirectory() ? readdirSync(target).sort().map((f) => path.join(target, f)) : [target];
    return [name, target, files] as const;
  });

describe('invalid fixtures: one per kind of input error, each located', () => {
  it.each(invalidCases)('%s', async (name, target, files) => {
    const { code, stdout, stderr } = await runCli(['validate', target]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).not.toMatch(/internal error|\n\s+at /);
    const wanted = files.flatMap((file) => expectations(file).errors.map((e) => ({ ...e, file })));
    if (name === 'empty.yaml') wanted.push({ file: target, line: 1, column: 1, words: 'the file is empty' });
    expect(wanted.length).toBeGreaterThan(0);
    for (const { file, line, column, words } of wanted) {
      const lines = stderr.split('\n').filter((l) => l.startsWith(`${file}:${line}:${column}: `));
      expect(lines.join('\n'), `${file}:${line}:${column} in\n${stderr}`).toContain(words);
    }
  });
});

describe('rule coverage across the fixtures', () => {
  it('every rule is conform in at least one fixture and not conform in at least one', async () => {
    const ruleset = await loadRuleSet();
    const results = (await check({ paths: [measureDir], rules: ruleset })).results;
    const seen = new Map<string, Set<RuleResult['outcome']>>();
    for (const result of results) for (const r of result.rules) (seen.get(r.rule.id) ?? seen.set(r.rule.id, new Set()).get(r.rule.id)!).add(r.outcome);
    // A provision with no duty of its own is always not-applicable.
    const lacking = ruleset.rules.filter((rule) => !rule.recordedOnly).filter((rule) => {
      const outcomes = seen.get(rule.id) ?? new Set();
      return !outcomes.has('conform') || [...outcomes].every((o) => o === 'conform');
    });
    expect(lacking.map((r) => `${r.provision} ${r.id}: ${[...(seen.get(r.id) ?? [])].join(', ')}`)).toEqual([]);
  });

  it('every rule with checks fails a check (not-conform or incomplete) in at least one fixture', async () => {
    const ruleset = await loadRuleSet();
    const results = (await check({ paths: [measureDir], rules: ruleset })).results;
    const failing = new Set(results.flatMap((r) => r.rules.filter((x) => x.checks.some((c) => c.status !== 'pass')).map((x) => x.rule.id)));
    expect(ruleset.rules.filter((r) => r.checks.length && !failing.has(r.id)).map((r) => r.id)).toEqual([]);
  });
});

describe('the validator the build compiled (dist/generated) says what the run-time one says', () => {
  it.each(invalidCases)('%s', async (_, target) => {
    const dist = (await import(new URL('../dist/check.js', import.meta.url).href)) as typeof import('../src/check.js');
    const fromDist = await dist.check({ paths: [target], validateOnly: true });
    const fromSource = await check({ paths: [target], validateOnly: true });
    expect(fromDist.diagnostics).toEqual(fromSource.diagnostics);
  });
});
