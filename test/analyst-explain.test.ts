import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

const DE = fixture('measures/de');
const DE_OFFENCES = path.join(DE, 'offences.yaml');

/** 1-based line of the first line of `file` that contains `text`. */
function lineOf(file: string, text: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  expect(index, text).toBeGreaterThanOrEqual(0);
  return index + 1;
}

describe('conformity explain PROVISION (the rule)', () => {
  it('shows id, article, topic, modality, requirement, checks in plain words, facts and the EUR-Lex link', async () => {
    const { code, stdout, stderr } = await runCli(['explain', '3(4)']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Art. 3(4) — Offences concerning sexual abuse');
    expect(stdout).toContain('Rule sexual-activity-below-consent');
    expect(stdout).toContain('Topic:         offences');
    expect(stdout).toContain('Modality:      shall (mandatory)');
    expect(stdout).toContain('Requirement:   It must be punishable to engage in sexual activities with a child under the age of sexual consent.');
    expect(stdout).toContain('min-max-penalty: the national maximum term of imprisonment (max_penalty_years) must be at least 5 years for a child below the age of sexual consent');
    expect(stdout).toMatch(/max_penalty_years \(penalty-years, years\): Maximum term of imprisonment\./);
    expect(stdout).toContain('https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0093#art_3');
    expect(stdout).not.toContain('Trace');
  });

  it.each(['Art. 3(4)', 'Article 3(4)', 'art 3 (4)', ' 3(4) '])('accepts the spelling %j', async (spelling) => {
    const canonical = await runCli(['explain', '3(4)']);
    const { code, stdout } = await runCli(['explain', spelling]);
    expect(code).toBe(0);
    expect(stdout).toBe(canonical.stdout);
  });

  it('lists every rule of a provision that has several (25(1)), and optional facts', async () => {
    const several = await runCli(['explain', '25(1)']);
    expect(several.stdout).toContain('Rule removal-of-pages-hosted-inside');
    expect(several.stdout).toContain('Rule removal-of-pages-hosted-outside');
    expect(several.stdout).toContain('shall-endeavour (mandatory: best efforts)');
    expect(several.stdout).toContain('2 rules');
    const optional = await runCli(['explain', '15(2)']);
    expect(optional.stdout).toContain('limitation_years_after_majority must be more than 0 years (unlimited passes)');
    expect(optional.stdout).toMatch(/Optional facts \(recorded for the analyst, not checked\):\n {4}- limitation_starts_at_majority \(boolean\)/);
    const conditional = await runCli(['explain', '17(2)']);
    expect(conditional.stdout).toContain('Applies when:  at least one of 17(2)(a), 17(2)(b), 17(2)(c) is transposed');
  });

  it.each([
    ['3(9)', 'unknown provision "3(9)"; did you mean 3(1), 3(2) or 3(3)?'],
    ['Art. 3(9)', 'unknown provision "Art. 3(9)" (3(9)); did you mean'],
    ['frobnicate', 'unknown provision "frobnicate": provision keys look like 3(4)'],
  ])('exits 2 for an unknown provision %j, with did-you-mean', async (provision, message) => {
    const { code, stdout, stderr } = await runCli(['explain', provision]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('gives JSON with --format json', async () => {
    const { code, stdout } = await runCli(['explain', 'Art. 3(5)(i)', '--format', 'json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ provision: '3(5)(i)', input: 'Art. 3(5)(i)', ruleset: { id: '2011-93-eu', directive: '2011/93/EU' } });
    expect(json.rules[0]).toMatchObject({
      id: 'sexual-activity-abusing-position-of-trust',
      topic: 'offences',
      modality: 'shall',
      checks: [{ kind: 'min-max-penalty', below_consent: 8, above_consent: 3 }],
      facts: [{ name: 'max_penalty_years', use: 'read', type: 'penalty-years', unit: 'years' }],
    });
    expect(json.member_states).toBeUndefined();
  });
});

describe('conformity explain PROVISION --measures (the trace)', () => {
  it('3(4) for DE: the fact value read, its FILE:LINE, the threshold, references in and out of force', async () => {
    const { code, stdout, stderr } = await runCli(['explain', '3(4)', '--measures', DE]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const newLine = lineOf(DE_OFFENCES, 's. 111 (new)');
    const oldLine = lineOf(DE_OFFENCES, 's. 111 (old)');
    expect(stdout).toContain('DE — law as of 2024-06-30 (the files\' as_of)');
    expect(stdout).toContain('Rule sexual-activity-below-consent: conform (computed: conform)');
    expect(stdout).toContain(`read: max_penalty_years = 10 at ${DE_OFFENCES}:${newLine}:`);
    expect(stdout).toContain('expected: at least 5 years');
    expect(stdout).toContain('Check min-max-penalty: pass');
    expect(stdout).toMatch(new RegExp(`National provisions in force on 2024-06-30:\\n\\s+- CC s\\. 111 \\(new\\) \\[from 2021-07-01\\] at .*offences\\.yaml:${newLine}:`));
    expect(stdout).toMatch(new RegExp(`Not in force on 2024-06-30 \\(not counted\\):\\n\\s+- CC s\\. 111 \\(old\\) \\[until 2021-06-30\\] at .*offences\\.yaml:${oldLine}:`));
  });

  it('--today decides whether an assessment is due for review (with or without commander)', async () => {
    const file = fixture('outcomes/assessment-review-due.yaml');
    const before = await runCli(['explain', '15(2)', '--measures', file, '--today', '2025-01-01']);
    const after = await runCli(['explain', '15(2)', '--today', '2026-01-01', '--measures', file]);
    expect(before.stdout).toContain('state: applied: the reported outcome is conform');
    expect(after.stdout).toContain('state: review due: expired on 2025-08-01, not applied');
  });

  it('--as-of evaluates the law of that date, and a failing check still exits 0', async () => {
    const { code, stdout } = await runCli(['explain', 'Art. 3(4)', '--measures', DE, '--as-of', '2020-01-01']);
    expect(code).toBe(0);
    const oldLine = lineOf(DE_OFFENCES, 's. 111 (old)');
    expect(stdout).toContain('Trace on 2020-01-01:');
    expect(stdout).toContain('DE — law as of 2020-01-01 (--as-of; the files are as of 2024-06-30)');
    expect(stdout).toContain('Rule sexual-activity-below-consent: not-conform (computed: not-conform)');
    expect(stdout).toContain(`read: max_penalty_years = 3 at ${DE_OFFENCES}:${oldLine}:`);
    expect(stdout.replace(/\s+/g, ' ')).toContain("result: lowest maximum below the Directive's: CC s. 111 (old): 3 years, below the 5 years required");
    expect(stdout).toContain('Not in force on 2020-01-01 (not counted):');
  });

  it('JSON trace: value, position and comparison of each check', async () => {
    const { code, stdout } = await runCli(['explain', '3(5)(i)', '--measures', DE, '--format', 'json']);
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    const [state] = json.member_states;
    expect(state).toMatchObject({ member_state: 'DE', evaluated_at: '2024-06-30', evaluated_at_from: 'as_of', outcome: 'not-conform' });
    const [rule] = state.rules;
    expect(rule).toMatchObject({ rule: 'sexual-activity-abusing-position-of-trust', outcome: 'not-conform', computed_outcome: 'not-conform', severity: 'error' });
    expect(rule.entry).toMatchObject({ status: 'transposed' });
    const [trace] = rule.checks;
    expect(trace).toMatchObject({
      kind: 'min-max-penalty',
      status: 'fail',
      expected: expect.stringContaining('at least 3 years'),
      message: "lowest maximum below the Directive's: CC s. 112(1) (figure recorded for the provision): 2 years, below the 3 years required (child at or above the age of sexual consent)",
    });
    const figureAt = { file: DE_OFFENCES, line: lineOf(DE_OFFENCES, 'below_consent: 10, above_consent: 2'), column: expect.any(Number) };
    expect(trace.read).toEqual([
      { fact: 'max_penalty_years', value: { below_consent: 10, above_consent: 2 }, at: figureAt, reference: 'CC s. 112(1) (figure recorded for the provision)' },
    ]);
    // Each age group's binding figure against the Directive's.
    expect(trace.comparisons).toEqual([
      { group: 'child below the age of sexual consent', national: 'CC s. 112(1) (figure recorded for the provision)', national_years: 10, required_years: 8, verdict: 'above', at: figureAt },
      { group: 'child at or above the age of sexual consent', national: 'CC s. 112(1) (figure recorded for the provision)', national_years: 2, required_years: 3, verdict: 'below', at: figureAt },
    ]);
    expect(rule.national_references).toEqual([expect.objectContaining({ label: 'CC s. 112(1)', in_force: true })]);
    expect(json.diagnostics).toEqual([]);
  });

  it('shows an assessment with its state and reason beside the computed outcome', async () => {
    const { code, stdout } = await runCli(['explain', '9(c)', '--measures', DE]);
    expect(code).toBe(0);
    expect(stdout).toContain('Rule aggravation-several-offenders: partially-conform (computed: conform)');
    expect(stdout).toMatch(/Assessment: partially-conform \(by team A, on 2024-05-02\) at .*offences\.yaml:\d+:\d+/);
    expect(stdout).toContain('state: applied: the reported outcome is partially-conform');
    expect(stdout).toContain('reason: the aggravation applies only where three or more offenders acted together');
  });

  it('traces every Member State given, including one with no entry', async () => {
    const { code, stdout } = await runCli(['explain', '9(c)', '--measures', fixture('measures')]);
    expect(code).toBe(0);
    expect(stdout.match(/^[A-Z]{2} — law as of/gm)).toEqual(['DE — law as of', 'FI — law as of', 'MT — law as of']);
    expect(stdout).toContain('Recorded: no entry for this provision in the measure files');
  });

  it('bad input: diagnostics as FILE:LINE:COLUMN and exit 2', async () => {
    const bad = fixture('invalid/negative-penalty.yaml');
    const { code, stderr } = await runCli(['explain', '3(4)', '--measures', bad]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${bad}:16:24: `);
    expect(stderr).toContain('input error(s)');
    const missing = await runCli(['explain', '3(4)', '--measures', '/no/such/file.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no such file or folder');
    expect((await runCli(['explain', '3(4)', '--measures', DE, '--as-of', '2024-13-01'])).code).toBe(2);
    expect((await runCli(['explain', '3(4)', '--format', 'yaml'])).code).toBe(2);
  });

  it('reads standard input for -', async () => {
    const text = readFileSync(fixture('measures/fi.yaml'), 'utf8');
    const { code, stdout } = await runCli(['explain', '3(4)', '--measures', '-'], { stdin: text });
    expect(code).toBe(0);
    expect(stdout).toMatch(/read: max_penalty_years = .* at <stdin>:\d+:\d+/);
  });

  it('keeps hostile text from driving the terminal', async () => {
    const { code, stdout } = await runCli(['explain', '3(5)(i)', '--measures', fixture('hostile/lu.yaml')]);
    expect(code).toBe(0);
    expect(stdout).not.toContain('\u001b');
    expect(stdout).not.toContain('\r');
    expect(stdout).not.toMatch(/^::warning::/m);
  });
});
