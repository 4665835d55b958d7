import { describe, expect, it } from 'vitest';
import { checkInputs } from '../src/check.js';
import type { RuleResult } from '../src/evaluate/result.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { rawInput } from './helpers.js';

const ruleset = await loadRuleSet();

/** A one-file measure set: header, one source, then the given provisions block (YAML, indented 2). */
function measure(provisions: string, top = ''): string {
  return [
    'format: 1',
    'directive: 2011/93/EU',
    'member_state: DE',
    'as_of: 2024-06-30',
    top,
    'sources:',
    '  code: { title: Criminal Code (illustrative), abbreviation: CC, references_directive: true }',
    '  act: { title: Victims Act (illustrative), references_directive: false }',
    'provisions:',
    provisions,
  ].join('\n');
}

function evaluate(text: string, asOf?: string) {
  const result = checkInputs([rawInput('m.yaml', text)], ruleset, { asOf });
  expect(result.diagnostics).toEqual([]);
  return result.results[0]!;
}

function rule(text: string, provision: string, asOf?: string): RuleResult {
  return evaluate(text, asOf).rules.find((r) => r.rule.provision === provision)!;
}

const ref = '[{ source: code, article: "1" }]';

describe('penalty thresholds ("a maximum term of imprisonment of at least N years")', () => {
  it.each([
    // provision, recorded maximum, expected outcome, message fragment
    ['3(4)', '5', 'conform', ''],
    ['3(4)', '4', 'not-conform', 'maximum penalty 4 years is below the required 5 years'],
    ['3(4)', '4.5', 'not-conform', 'below the required 5 years'],
    ['3(4)', 'life', 'conform', ''],
    ['3(4)', '{ below_consent: 6, above_consent: 1 }', 'conform', ''],
    ['3(4)', '{ above_consent: 9 }', 'incomplete', 'no figure for a child below the age of sexual consent'],
    ['3(5)(i)', '8', 'conform', ''],
    ['3(5)(i)', '{ below_consent: 8, above_consent: 3 }', 'conform', ''],
    ['3(5)(i)', '{ below_consent: 8, above_consent: 2 }', 'not-conform', 'maximum penalty 2 years (child at or above the age of sexual consent) is below the required 3 years'],
    ['3(5)(i)', '{ below_consent: 7, above_consent: 3 }', 'not-conform', '(child below the age of sexual consent) is below the required 8 years'],
    ['3(5)(i)', '5', 'not-conform', 'maximum penalty 5 years (child below the age of sexual consent) is below the required 8 years'],
    ['5(6)', '3', 'conform', ''],
    ['5(6)', '{ below_consent: 10, above_consent: 2 }', 'not-conform', 'maximum penalty 2 years (child at or above the age of sexual consent) is below the required 3 years'],
    ['4(4)', '{ below_consent: 2, above_consent: 1 }', 'conform', ''],
  ])('%s with max_penalty_years %s → %s', (provision, value, outcome, message) => {
    const result = rule(measure(`  "${provision}": { status: transposed, national: ${ref}, max_penalty_years: ${value} }`), provision);
    expect(result.outcome).toBe(outcome);
    expect(result.message).toContain(message);
  });

  it('is incomplete without max_penalty_years, and says which figure is needed', () => {
    const result = rule(measure(`  "3(4)": { status: transposed, national: ${ref} }`), '3(4)');
    expect(result.outcome).toBe('incomplete');
    expect(result.severity).toBe('warning');
    expect(result.message).toContain('at least 5 years');
  });

  it('points a failing penalty at the figure in the file', () => {
    const result = rule(measure(`  "3(4)":\n    status: transposed\n    national: ${ref}\n    max_penalty_years: 2`), '3(4)');
    expect(result.at).toEqual({ file: 'm.yaml', line: 13, column: 24 });
  });
});

describe('dates: national references in force, reforms, --as-of', () => {
  const reform = measure(
    [
      '  "3(4)":',
      '    status: transposed',
      '    national:',
      '      - { source: code, article: "100 (old)", in_force_until: 2021-06-30, max_penalty_years: 3 }',
      '      - { source: code, article: "100 (new)", in_force_from: 2021-07-01, max_penalty_years: 15 }',
    ].join('\n'),
  );

  it.each([
    [undefined, 'conform', ['CC 100 (new)']],
    ['2021-07-01', 'conform', ['CC 100 (new)']],
    ['2021-06-30', 'not-conform', ['CC 100 (old)']],
    ['2019-07-25', 'not-conform', ['CC 100 (old)']],
  ])('on %s the outcome is %s', (asOf, outcome, national) => {
    const result = rule(reform, '3(4)', asOf);
    expect(result.outcome).toBe(outcome);
    expect(result.national).toEqual(national);
  });

  it('is not-transposed on a date no national reference is in force', () => {
    const text = measure(`  "3(4)": { status: transposed, national: [{ source: code, article: "1", in_force_from: 2022-01-01 }], max_penalty_years: 10 }`);
    const result = rule(text, '3(4)', '2021-12-31');
    expect(result.outcome).toBe('not-transposed');
    expect(result.message).toContain('in force on 2021-12-31');
  });

  it('takes the most favourable figure where several references are in force', () => {
    const text = measure(
      `  "3(4)":\n    status: transposed\n    national:\n      - { source: code, article: "1", max_penalty_years: 2 }\n      - { source: code, article: "2", max_penalty_years: 6 }`,
    );
    expect(rule(text, '3(4)').outcome).toBe('conform');
  });

  it('checks 27(1) against the transposition deadline', () => {
    const late = measure(`  "27(1)": { status: transposed, national: [{ source: code, article: "1", in_force_from: 2015-03-01 }] }`);
    expect(rule(late, '27(1)')).toMatchObject({ outcome: 'not-conform', message: expect.stringContaining('2015-03-01, after 2013-12-18') });
    const onTime = measure(`  "27(1)": { status: transposed, national: [{ source: code, article: "1", in_force_from: 2013-12-18 }] }`);
    expect(rule(onTime, '27(1)').outcome).toBe('conform');
    const undated = measure(`  "27(1)": { status: transposed, national: ${ref} }`);
    expect(rule(undated, '27(1)').outcome).toBe('incomplete');
  });
});

describe('statuses, optional provisions and conditions', () => {
  it.each([
    ['"3(1)": { status: transposed, national: [{ source: code, article: "1" }] }', '3(1)', 'conform', 'none'],
    ['"3(1)": { status: partial, national: [{ source: code, article: "1" }] }', '3(1)', 'partially-conform', 'warning'],
    ['"3(1)": { status: not-transposed }', '3(1)', 'not-transposed', 'error'],
    ['"3(2)": { status: transposed, national: [{ source: code, article: "1" }], max_penalty_years: 1 }', '3(1)', 'not-transposed', 'error'],
    ['"25(2)": { status: not-transposed }', '25(2)', 'not-applicable', 'info'],
    ['"3(1)": { status: transposed, national: [{ source: code, article: "1" }] }', '25(2)', 'not-applicable', 'info'],
    ['"25(2)": { status: transposed, national: [{ source: code, article: "1" }], transparent_procedure: true, users_informed_of_reason: true, judicial_redress: false }', '25(2)', 'not-conform', 'info'],
    ['"17(1)(a)": { status: transposed, national: [{ source: code, article: "1" }] }', '17(2)', 'not-applicable', 'info'],
    ['"17(2)(a)": { status: transposed, national: [{ source: code, article: "1" }] }', '17(2)', 'not-transposed', 'error'],
    ['"17(2)(a)": { status: transposed, national: [{ source: code, article: "1" }] }\n  "17(2)": { status: transposed, national: [{ source: code, article: "2" }], commission_informed: true }', '17(2)', 'conform', 'none'],
    ['"17(4)": { status: transposed, national: [{ source: code, article: "1" }], double_criminality_required: true }', '17(4)', 'not-conform', 'error'],
    ['"17(4)": { status: partial, national: [{ source: code, article: "1" }], double_criminality_required: true }', '17(4)', 'not-conform', 'error'],
    ['"15(2)": { status: transposed, national: [{ source: code, article: "1" }], limitation_years_after_majority: 0 }', '15(2)', 'not-conform', 'error'],
    ['"15(2)": { status: transposed, national: [{ source: code, article: "1" }], limitation_years_after_majority: unlimited }', '15(2)', 'conform', 'none'],
    ['"2(a)": { status: transposed, national: [{ source: code, article: "1" }], child_age_limit: 16 }', '2(a)', 'not-conform', 'error'],
  ])('%s → rule of %s is %s (%s)', (provisions, provision, outcome, severity) => {
    const result = rule(measure(`  ${provisions}`), provision);
    expect(result.outcome).toBe(outcome);
    expect(result.severity).toBe(severity);
  });

  it('reads Member-State facts from the top of the file (2(b))', () => {
    const entry = '  "2(b)": { status: transposed, national: [{ source: code, article: "1" }] }';
    expect(rule(measure(entry), '2(b)').outcome).toBe('incomplete');
    expect(rule(measure(entry, 'age_of_sexual_consent: 14'), '2(b)').outcome).toBe('conform');
  });

  it('checks that every cited act refers to the Directive (27(3))', () => {
    const cites = (source: string) => measure(`  "27(3)": { status: transposed, national: [{ source: ${source}, article: "1" }] }`);
    expect(rule(cites('code'), '27(3)').outcome).toBe('conform');
    expect(rule(cites('act'), '27(3)')).toMatchObject({ outcome: 'not-conform', message: expect.stringContaining('act') });
  });

  it('gives a provision of two rules the worst of their outcomes (25(1))', () => {
    const result = evaluate(measure('  "3(1)": { status: transposed, national: [{ source: code, article: "1" }] }'));
    expect(result.rules.filter((r) => r.rule.provision === '25(1)').map((r) => r.rule.modality)).toEqual(['shall', 'shall-endeavour']);
    expect(result.provisions.find((p) => p.provision === '25(1)')!.outcome).toBe('not-transposed');
    expect(result.provisions).toHaveLength(115);
    expect(Object.values(result.summary).reduce((a, b) => a + b, 0)).toBe(115);
  });
});

describe('analyst assessments', () => {
  const assessed = (assessment: string) =>
    measure(`  "9(c)":\n    status: transposed\n    national: ${ref}\n    assessment: ${assessment}`);

  it.each([
    ['{ outcome: partially-conform, reason: r }', 'partially-conform', 'applied', 'warning'],
    ['{ outcome: conform, reason: r }', 'conform', 'unnecessary', 'info'],
    ['{ outcome: not-conform, reason: r, date: 2024-01-01, expires: 2024-06-30 }', 'conform', 'expired', 'info'],
    ['{ outcome: not-conform, reason: r, date: 2024-01-01, expires: 2024-07-01 }', 'not-conform', 'applied', 'error'],
    ['{ outcome: not-conform, reason: r, date: 2024-07-01 }', 'conform', 'not-yet-valid', 'info'],
  ])('%s → %s (%s)', (assessment, outcome, state, severity) => {
    const result = rule(assessed(assessment), '9(c)');
    expect(result).toMatchObject({ outcome, computedOutcome: 'conform', severity, assessment: { state, reason: 'r' } });
  });

  it('counts assessments per state, apart from the outcomes', () => {
    const result = evaluate(assessed('{ outcome: partially-conform, reason: r }'));
    expect(result.assessments).toEqual({ applied: 1, unnecessary: 0, expired: 0, 'not-yet-valid': 0 });
    expect(result.summary['partially-conform']).toBe(1);
  });
});

describe('infringement procedures', () => {
  it('are kept with the result, grounds normalised, by date', () => {
    const text = measure(`  "3(1)": { status: transposed, national: ${ref} }`, [
      'procedures:',
      '  - { stage: reasoned-opinion, date: 2021-02-18, grounds: ["22"] }',
      '  - { stage: letter-of-formal-notice, date: 2019-07-25, reference: INFR(2019)0001, grounds: ["Art. 22", "art 3 (4)"] }',
    ].join('\n'));
    expect(evaluate(text).procedures.map((p) => [p.stage, p.date, p.grounds])).toEqual([
      ['letter-of-formal-notice', '2019-07-25', ['22', '3(4)']],
      ['reasoned-opinion', '2021-02-18', ['22']],
    ]);
  });
});
