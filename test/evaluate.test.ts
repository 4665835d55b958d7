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

function evaluate(text: string, asOf?: string, today = '2024-07-15') {
  const result = checkInputs([rawInput('m.yaml', text)], ruleset, { evaluationDate: asOf, today });
  expect(result.diagnostics).toEqual([]);
  return result.results[0]!;
}

function rule(text: string, provision: string, asOf?: string, today?: string): RuleResult {
  return evaluate(text, asOf, today).rules.find((r) => r.rule.provision === provision)!;
}

const ref = '[{ source: code, article: "1" }]';

describe('penalty thresholds ("a maximum term of imprisonment of at least N years")', () => {
  it.each([
    // provision, recorded maximum, expected outcome, message fragment
    ['3(4)', '5', 'conform', ''],
    ['3(4)', '4', 'not-conform', 'CC 1 (figure recorded for the provision): 4 years, below the 5 years required'],
    ['3(4)', '4.5', 'not-conform', '4.5 years, below the 5 years required'],
    ['3(4)', '0.5', 'not-conform', '6 months, below the 5 years required'],
    ['3(4)', 'life', 'conform', ''],
    ['3(4)', '{ below_consent: 6, above_consent: 1 }', 'conform', ''],
    ['3(4)', '{ above_consent: 9 }', 'incomplete', 'no maximum is recorded for a child below the age of sexual consent'],
    ['3(5)(i)', '8', 'conform', ''],
    ['3(5)(i)', '{ below_consent: 8, above_consent: 3 }', 'conform', ''],
    ['3(5)(i)', '{ below_consent: 8, above_consent: 2 }', 'not-conform', '2 years, below the 3 years required (child at or above the age of sexual consent)'],
    ['3(5)(i)', '{ below_consent: 7, above_consent: 3 }', 'not-conform', '7 years, below the 8 years required (child below the age of sexual consent)'],
    ['3(5)(i)', '5', 'not-conform', '5 years, below the 8 years required (child below the age of sexual consent)'],
    ['5(6)', '3', 'conform', ''],
    ['5(6)', '{ below_consent: 10, above_consent: 2 }', 'not-conform', '2 years, below the 3 years required (child at or above the age of sexual consent)'],
    ['5(6)', '3', 'conform', 'at the minimum: lowest maximum CC 1 (figure recorded for the provision): 3 years, at the minimum: 3 years required'],
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

  it('is not-assessed, not not-transposed, before the description\'s national provisions came into force', () => {
    const text = measure(`  "3(4)": { status: transposed, national: [{ source: code, article: "1", in_force_from: 2022-01-01 }], max_penalty_years: 10 }`);
    const result = rule(text, '3(4)', '2021-12-31');
    expect(result.outcome).toBe('not-assessed');
    expect(result.message).toContain('CC 1 in force from 2022-01-01, with no earlier provision recorded; the description is as of 2024-06-30');
  });

  it('is not-transposed where the description itself records nothing in force on its date', () => {
    const text = measure(`  "3(4)": { status: transposed, national: [{ source: code, article: "1", in_force_from: 2025-01-01 }], max_penalty_years: 10 }`);
    expect(rule(text, '3(4)')).toMatchObject({ outcome: 'not-transposed', message: expect.stringContaining('in force on 2024-06-30') });
  });

  it('takes the LOWEST figure where several references are in force, and names it', () => {
    const text = measure(
      `  "3(4)":\n    status: transposed\n    national:\n      - { source: code, article: "1", max_penalty_years: 2 }\n      - { source: code, article: "2", max_penalty_years: 6 }`,
    );
    expect(rule(text, '3(4)')).toMatchObject({ outcome: 'not-conform', message: expect.stringContaining('CC 1: 2 years, below the 5 years required') });
  });

  it('reports when transposition was complete (27(1)) as information, never as a finding', () => {
    const ruleOf = (inForce: string) => rule(measure(`  "3(2)": { status: transposed, national: [{ source: code, article: "1", in_force_from: ${inForce} }], max_penalty_years: 1 }`), '27(1)');
    // One file rarely covers every mandatory provision: the date cannot be derived.
    expect(ruleOf('2015-03-01')).toMatchObject({ outcome: 'not-assessed', severity: 'info' });
    const inOneFile = rule(measure(`  "27(1)": { status: transposed, national: ${ref} }\n  "3(2)": { status: transposed, national: [{ source: code, article: "1", in_force_from: 2015-03-01 }], max_penalty_years: 1 }`), '27(1)');
    expect(inOneFile).toMatchObject({ outcome: 'incomplete', severity: 'info', message: expect.stringContaining('cannot be derived') });
  });
});

describe('statuses, optional provisions and conditions', () => {
  it.each([
    ['"3(2)": { status: transposed, national: [{ source: code, article: "1" }] }', '3(2)', 'incomplete', 'warning'],
    ['"3(2)": { status: partial, national: [{ source: code, article: "1" }], max_penalty_years: 1 }', '3(2)', 'partially-conform', 'error'],
    ['"3(2)": { status: not-transposed }', '3(2)', 'not-transposed', 'error'],
    ['"3(2)": { status: not-assessed }', '3(2)', 'not-assessed', 'warning'],
    ['"3(3)": { status: transposed, national: [{ source: code, article: "1" }], max_penalty_years: 2 }', '3(2)', 'not-assessed', 'warning'],
    // The chapeau 3(1) is the worst of its paragraphs, never a finding of its own.
    ['"3(2)": { status: not-transposed }', '3(1)', 'not-transposed', 'info'],
    ['"25(2)": { status: not-transposed }', '25(2)', 'not-applicable', 'info'],
    ['"3(2)": { status: transposed, national: [{ source: code, article: "1" }] }', '25(2)', 'not-assessed', 'info'],
    // Once an option is taken up, its conditions bind.
    ['"25(2)": { status: transposed, national: [{ source: code, article: "1" }], transparent_procedure: true, users_informed_of_reason: true, judicial_redress: false }', '25(2)', 'not-conform', 'error'],
    ['"17(2)(a)": { status: not-transposed }\n  "17(2)(b)": { status: not-transposed }\n  "17(2)(c)": { status: not-transposed }', '17(2)', 'not-applicable', 'info'],
    ['"17(1)(a)": { status: transposed, national: [{ source: code, article: "1" }] }', '17(2)', 'not-assessed', 'warning'],
    ['"17(2)(a)": { status: transposed, national: [{ source: code, article: "1" }] }', '17(2)', 'not-assessed', 'warning'],
    ['"17(2)(a)": { status: transposed, national: [{ source: code, article: "1" }] }\n  "17(2)": { status: transposed, national: [{ source: code, article: "2" }] }', '17(2)', 'incomplete', 'warning'],
    // Art. 17(2) lists its grounds "inter alia": another recorded ground triggers the duty too.
    ['"17(2)": { status: transposed, national: [{ source: code, article: "2" }], other_jurisdiction_grounds: [offender habitually resident], commission_informed: false }', '17(2)', 'not-conform', 'error'],
    ['"17(2)(a)": { status: transposed, national: [{ source: code, article: "1" }] }\n  "17(2)": { status: transposed, national: [{ source: code, article: "2" }], commission_informed: true }', '17(2)', 'conform', 'none'],
    ['"17(4)": { status: transposed, national: [{ source: code, article: "1" }], double_criminality_required: true }', '17(4)', 'not-conform', 'error'],
    ['"17(4)": { status: partial, national: [{ source: code, article: "1" }], double_criminality_required: true }', '17(4)', 'not-conform', 'error'],
    ['"15(2)": { status: transposed, national: [{ source: code, article: "1" }], limitation_years_after_majority: 0 }', '15(2)', 'not-conform', 'error'],
    ['"15(2)": { status: transposed, national: [{ source: code, article: "1" }], limitation_years_after_majority: unlimited }', '15(2)', 'conform', 'none'],
    // "Sufficient … commensurate with the gravity": a positive figure alone cannot settle it.
    ['"15(2)": { status: transposed, national: [{ source: code, article: "1" }], limitation_years_after_majority: 20 }', '15(2)', 'incomplete', 'warning'],
    ['"2(f)": { status: not-transposed }', '2(f)', 'not-applicable', 'none'],
    ['"3(2)": { status: not-transposed }', '12(3)', 'not-applicable', 'none'],
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
    // A definition by reference to national law: the recorded age is enough, with or without an entry.
    expect(rule(measure('  "3(2)": { status: not-transposed }', 'age_of_sexual_consent: 14'), '2(b)').outcome).toBe('conform');
    expect(rule(measure('  "2(b)": { status: not-transposed }', 'age_of_sexual_consent: 14'), '2(b)').outcome).toBe('conform');
  });

  it('checks that every act ADOPTED to transpose the Directive refers to it (27(3)); older acts need not', () => {
    const withSources = (sources: string) =>
      measure(`  "3(2)": { status: transposed, national: [{ source: code, article: "1" }, { source: act, article: "2" }], max_penalty_years: 1 }`).replace(
        /^sources:\n(  .*\n)+/m,
        `sources:\n${sources}\n`,
      );
    const old = '  code: { title: Criminal Code (illustrative), references_directive: false }';
    expect(rule(withSources(`${old}\n  act: { title: Amending Act (illustrative), adopted_to_transpose: true, references_directive: true }`), '27(3)').outcome).toBe('conform');
    expect(rule(withSources(`${old}\n  act: { title: Amending Act (illustrative), adopted_to_transpose: true, references_directive: false }`), '27(3)')).toMatchObject({
      outcome: 'not-conform',
      message: expect.stringContaining('adopted to transpose the Directive but do not refer to it: act'),
    });
    // Without a 27(3) entry, what is missing is "not assessed", and says what to record.
    expect(rule(withSources(`${old}\n  act: { title: Amending Act (illustrative), adopted_to_transpose: true }`), '27(3)')).toMatchObject({
      outcome: 'not-assessed',
      message: expect.stringContaining('references_directive is not recorded for these acts adopted to transpose the Directive: act'),
    });
    expect(rule(withSources(`${old}\n  act: { title: Amending Act (illustrative) }`), '27(3)')).toMatchObject({ outcome: 'not-assessed', message: expect.stringContaining('adopted_to_transpose') });
  });

  it('gives a provision of two rules the worst of their outcomes (25(1)), and counts no chapeau', () => {
    const result = evaluate(measure('  "25(1)": { status: not-transposed }'));
    expect(result.rules.filter((r) => r.rule.provision === '25(1)').map((r) => r.rule.modality)).toEqual(['shall', 'shall-endeavour']);
    expect(result.provisions.find((p) => p.provision === '25(1)')!.outcome).toBe('not-transposed');
    expect(result.provisions).toHaveLength(115);
    expect(result.provisions.filter((p) => p.derived).map((p) => p.provision)).toEqual(['3(1)', '4(1)', '5(1)']);
    expect(Object.values(result.summary).reduce((a, b) => a + b, 0)).toBe(112);
  });
});

describe('analyst assessments', () => {
  const assessed = (assessment: string) =>
    measure(`  "9(c)":\n    status: transposed\n    national: ${ref}\n    assessment: ${assessment}`);

  it.each([
    ['{ outcome: partially-conform, reason: r }', 'partially-conform', 'applied', 'error'],
    ['{ outcome: conform, reason: r }', 'conform', 'unnecessary', 'info'],
    // `expires` is compared with the day of the run (--today 2024-07-15 here), not the evaluation date.
    ['{ outcome: not-conform, reason: r, date: 2024-01-01, expires: 2024-07-15 }', 'conform', 'review-due', 'info'],
    ['{ outcome: not-conform, reason: r, date: 2024-01-01, expires: 2024-07-16 }', 'not-conform', 'applied', 'error'],
    // Dated after as_of: the judgement was made later, about this description; it applies.
    ['{ outcome: not-conform, reason: r, date: 2024-07-01 }', 'not-conform', 'applied', 'error'],
  ])('%s → %s (%s)', (assessment, outcome, state, severity) => {
    const result = rule(assessed(assessment), '9(c)');
    expect(result).toMatchObject({ outcome, computedOutcome: 'conform', severity, assessment: { state, reason: 'r' } });
  });

  it('counts assessments per state, apart from the outcomes', () => {
    const result = evaluate(assessed('{ outcome: partially-conform, reason: r }'));
    expect(result.assessments).toEqual({ applied: 1, unnecessary: 0, 'review-due': 0, 'out-of-date': 0 });
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
