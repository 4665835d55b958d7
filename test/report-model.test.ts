import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check, checkInputs, type CheckResult } from '../src/check.js';
import { CheckerError } from '../src/errors.js';
import { buildReview, articleRanges, selectVersions, type ReviewFilter, type ReviewModel } from '../src/report/build-review.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, rawInput } from './helpers.js';

const ruleset = await loadRuleSet();
const measures = await check({ paths: [fixture('measures')], rules: ruleset });

function inputs(files: Record<string, string>) {
  return Object.entries(files).map(([name, text]) => rawInput(name, text));
}

const review = (result: CheckResult, filter?: ReviewFilter): ReviewModel => buildReview({ result, ruleset, filter });

/**
 * A Member State with an infringement procedure: a letter of formal notice (2019) citing four
 * grounds, a reasoned opinion (2021) citing two, and a referral dated after the measures.
 * 3(4) was reformed on 2021-07-01 (3 → 15 years); 19(3) is recorded as not transposed; 25(2) is an
 * option not taken up; 22 has been in force since 2015; 23(1), a ground of the letter, is not described
 * (not assessed: information missing, neither open nor closed).
 */
const PROCEDURE_FILE = `format: 1
directive: 2011/93/EU
member_state: AT
as_of: 2024-06-30
sources:
  code: { title: Criminal Code (illustrative), abbreviation: StC, references_directive: true }
  prev: { title: Prevention Act (illustrative), references_directive: true }
procedures:
  - stage: letter-of-formal-notice
    date: 2019-07-25
    reference: INFR(2019)0001
    grounds: ["Art. 3(4)", "22", "19(3)", "25(2)", "23(1)"]
  - stage: reasoned-opinion
    date: 2021-02-18
    reference: INFR(2019)0001
    grounds: ["3(4)", "19(3)"]
  - stage: referral
    date: 2030-01-01
    grounds: ["19(3)"]
provisions:
  "3(4)":
    status: transposed
    national:
      - { source: code, article: "art. 100 (old)", in_force_until: 2021-06-30, max_penalty_years: 3 }
      - { source: code, article: "art. 100 (new)", in_force_from: 2021-07-01, max_penalty_years: 15 }
  "22":
    status: transposed
    national: [{ source: prev, article: "s. 1", in_force_from: 2015-01-01 }]
  "19(3)": { status: not-transposed }
  "25(2)": { status: not-transposed }
`;

describe('EU matrix totals on fixtures/measures (DE in two files, FI, MT)', () => {
  const model = review(measures);
  const state = (code: string) => model.memberStates.find((s) => s.code === code)!;

  it('titles topics as the Directive words them (ruleset.yaml topics)', () => {
    const title = (id: string) => model.topics.find((t) => t.id === id)?.title;
    expect(title('incitement-attempt')).toBe('Incitement, aiding and abetting, and attempt');
    expect(title('non-prosecution-of-victims')).toBe('Non-prosecution of, and non-application of penalties to, the victim');
  });

  it('has one column per Member State in protocol order, DE merged from its two files', () => {
    expect(model.memberStates.map((s) => s.code)).toEqual(['DE', 'MT', 'FI']);
    expect(state('DE').files).toHaveLength(2);
    expect(model.provisions).toHaveLength(115);
  });

  it('counts each Member State per outcome (hand-checked against the fixtures)', () => {
    // 112 provisions counted: the chapeaux 3(1), 4(1), 5(1) are derived from their paragraphs. FI: 2(f)
    // and 12(3) impose no duty of their own (not applicable), everything else conform.
    expect(state('FI').counts).toEqual({ conform: 110, 'partially-conform': 0, 'not-conform': 0, 'not-transposed': 0, incomplete: 0, 'not-assessed': 0, 'not-applicable': 2 });
    expect(state('FI').notConform).toBe(0);
    // DE: NT only where written (10(3), 14); the provisions its two files leave out are not assessed;
    // 24(1) recorded as partial stays partially conform although a fact is missing.
    expect(state('DE').counts).toEqual({ conform: 68, 'partially-conform': 9, 'not-conform': 11, 'not-transposed': 2, incomplete: 4, 'not-assessed': 11, 'not-applicable': 7 });
    expect(state('DE').notConform).toBe(9 + 11 + 2);
    expect(state('DE').informationMissing).toBe(4 + 11);
    // MT: a sparse description; its 71 provisions without an entry are not assessed, not "not transposed".
    expect(state('MT').counts).toEqual({ conform: 1, 'partially-conform': 1, 'not-conform': 27, 'not-transposed': 2, incomplete: 7, 'not-assessed': 71, 'not-applicable': 3 });
    expect(state('MT').notConform).toBe(30);
    expect(model.totals).toEqual({ conform: 179, 'partially-conform': 10, 'not-conform': 38, 'not-transposed': 4, incomplete: 11, 'not-assessed': 82, 'not-applicable': 12 });
    // The same counts as the evaluation's summary.
    for (const s of model.memberStates) expect(s.counts).toEqual(measures.results.find((r) => r.memberState === s.code)!.summary);
  });

  it('shows the chapeaux 3(1), 4(1), 5(1) in the matrix, derived, and never counts or lists them as grounds', () => {
    expect(state('DE').outcomes.get('3(1)')).toBe('not-conform');
    expect(model.provisionByKey.get('4(1)')!.derivedFrom).toEqual(['4(2)', '4(3)', '4(4)', '4(5)', '4(6)', '4(7)']);
    for (const key of ['3(1)', '4(1)', '5(1)']) {
      expect(model.provisionTotals.get(key)).toMatchObject({ derived: true, notConform: 0, memberStates: [] });
      for (const s of model.memberStates) expect(s.grounds.map((g) => g.provision)).not.toContain(key);
      expect(model.mostFrequentGrounds.map((g) => g.provision)).not.toContain(key);
    }
    const offences = model.topicSummaries.find((t) => t.id === 'offences')!;
    expect(offences.provisions).not.toContain('3(1)');
  });

  it('counts Member States not conform per provision', () => {
    const total = (key: string) => model.provisionTotals.get(key)!;
    // 22: DE partial (its second file), MT no entry (not assessed, not a ground), FI conform.
    expect(total('22')).toMatchObject({ notConform: 1, memberStates: ['DE'] });
    expect(total('22').counts).toMatchObject({ conform: 1, 'partially-conform': 1, 'not-assessed': 1, 'not-transposed': 0 });
    // 3(4): DE 15 years, MT below the minimum, FI conform.
    expect(total('3(4)')).toMatchObject({ notConform: 1, memberStates: ['MT'] });
    // 5(6): DE 2 years (below 3); MT exactly 3, but its 5(7) exemption is wider than allowed.
    expect(total('5(6)')).toMatchObject({ notConform: 2, memberStates: ['DE', 'MT'] });
    // 5(7): MT took the option up wider than allowed (its conditions bind); DE has no entry.
    expect(total('5(7)')).toMatchObject({ notConform: 1, memberStates: ['MT'] });
    expect(total('5(7)').counts).toMatchObject({ conform: 1, 'not-conform': 1, 'not-assessed': 1 });
    expect(total('3(5)(i)').counts).toMatchObject({ conform: 1, 'not-conform': 1, 'not-assessed': 1, 'not-transposed': 0 });
    // The sum over provisions equals the sum over Member States.
    const byProvision = [...model.provisionTotals.values()].reduce((n, t) => n + t.notConform, 0);
    expect(byProvision).toBe(22 + 30);
  });

  it('lists grounds per Member State with requirement, finding, national provisions, assessment and link', () => {
    const de = state('DE');
    expect(de.grounds).toHaveLength(22);
    expect(de.grounds.every((x) => ['not-transposed', 'not-conform', 'partially-conform'].includes(x.outcome))).toBe(true);
    const g = de.grounds.find((x) => x.provision === '5(6)')!;
    expect(g.outcome).toBe('not-conform');
    expect(g.rules[0]!.message).toMatch(/s\. 132 .*: 2 years, below the 3 years required/);
    expect(g.rules[0]!.national.length).toBeGreaterThan(0);
    expect(model.provisionByKey.get('5(6)')!.url).toMatch(/^https:\/\/eur-lex\.europa\.eu\/.*#art_5$/);
    expect(de.grounds.some((x) => x.rules.some((r) => r.assessment))).toBe(true);
    expect(de.assessments.applied + de.assessments.unnecessary + de.assessments['review-due']).toBeGreaterThan(0);
    expect(state('FI').grounds).toEqual([]);
  });

  it("summarises each topic and the rule set's three priority areas (COM(2020) 607, from ruleset.yaml)", () => {
    expect(model.topicSummaries.map((t) => t.id)).toEqual(expect.arrayContaining(['offences', 'prevention', 'intervention-programmes', 'victim-assistance']));
    expect(model.topicSummaries[0]!.id).toBe('definitions');
    expect(model.priorityAreas.map((a) => [a.id, a.articles])).toEqual([
      ['prevention', 'Arts 22–24'],
      ['offences-and-penalties', 'Arts 3–6'],
      ['victims', 'Arts 18–20'],
    ]);
    expect(model.priorityAreas.map((a) => a.area.source)).toEqual(['COM(2020) 607', 'COM(2020) 607', 'COM(2020) 607']);
    expect(model.priorityAreas[0]!.area.description).toMatch(/^Preventive intervention programmes/);
    const prevention = model.priorityAreas[0]!;
    expect(prevention.provisions).toContain('22');
    // MT: 24(1) and 24(5)(b) not conform; the rest of Arts 22–24 not assessed.
    expect(prevention.memberStatesWith['not-conform']).toEqual(['MT']);
    expect(prevention.memberStatesWith['not-transposed']).toEqual([]);
    expect(prevention.memberStatesWith['not-assessed']).toEqual(['DE', 'MT']);
    expect(prevention.allConform).toEqual(['FI']);
    // Art. 7: DE and FI conform; MT does not describe it, and what is not assessed is not conform.
    const incitement = model.topicSummaries.find((t) => t.id === 'incitement-attempt')!;
    expect(incitement.cells).toMatchObject({ conform: 4, 'not-assessed': 2 });
    expect(incitement.allConform).toEqual(['DE', 'FI']);
    expect(incitement.sentences).toContain('Conform on every provision that applies: 2 of 3 (DE, FI).');
    expect(prevention.sentences.join(' ')).toMatch(/Member States with at least one provision/);
    const offences = model.topicSummaries.find((t) => t.id === 'offences')!;
    expect(offences.group).toBe('offences-and-penalties');
    expect(offences.worst.length).toBeLessThanOrEqual(3);
    expect(offences.worst[0]!.notConform).toBe(2);
    // Penalties area: Arts 3–6 only, without Art. 8 of the same topic.
    expect(model.priorityAreas[1]!.provisions.every((p) => Number(p.split('(')[0]) <= 6)).toBe(true);
    expect(model.mostFrequentGrounds[0]!.notConform).toBe(2);
  });

  it('carries provenance: tool, rule-set hash, inputs with SHA-256, disclaimer', () => {
    expect(model.ruleset.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(model.inputs).toHaveLength(4);
    for (const input of model.inputs) expect(input.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(model.disclaimer).toMatch(/not the law itself/);
    expect(model.dateLabel).toMatch(/2019-07-25, 2024-06-30/);
  });
});

describe('filters', () => {
  it('--member-state restricts the columns and the totals (case-insensitive)', () => {
    const model = review(measures, { memberStates: ['de', 'FI'] });
    expect(model.memberStates.map((s) => s.code)).toEqual(['DE', 'FI']);
    expect(model.provisionTotals.get('22')!.notConform).toBe(1);
    expect(model.totals.conform).toBe(68 + 110);
  });

  it('--topic restricts provisions, topics, summaries and counts', () => {
    const model = review(measures, { topics: ['prevention', 'intervention-programmes'] });
    expect(new Set(model.provisions.map((p) => p.topic))).toEqual(new Set(['prevention', 'intervention-programmes']));
    expect(model.topics.map((t) => t.id)).toEqual(['intervention-programmes', 'prevention']);
    expect(model.priorityAreas.map((a) => a.id)).toEqual(['prevention']);
    const de = model.memberStates.find((s) => s.code === 'DE')!;
    expect(Object.values(de.counts).reduce((a, b) => a + b, 0)).toBe(model.provisions.length);
    expect(de.grounds.every((g) => ['prevention', 'intervention-programmes'].includes(model.provisionByKey.get(g.provision)!.topic))).toBe(true);
  });

  it('--provision accepts Art. forms and keeps Directive order', () => {
    const model = review(measures, { provisions: ['Art. 22', '3(4)', 'article 5(6)'] });
    expect(model.provisions.map((p) => p.key)).toEqual(['3(4)', '5(6)', '22']);
    // MT: 3(4) and 5(6) not conform; 22 not described, so not assessed.
    expect(model.memberStates.find((s) => s.code === 'MT')!.counts).toMatchObject({ conform: 0, 'not-conform': 2, 'not-assessed': 1, 'not-transposed': 0 });
  });

  it.each<[ReviewFilter, RegExp]>([
    [{ memberStates: ['FR'] }, /--member-state FR: not among the Member States evaluated; choose from DE, MT, FI/],
    [{ memberStates: ['GR'] }, /the EU code for Greece is EL/],
    [{ topics: ['preventon'] }, /--topic preventon: unknown topic; did you mean prevention\?; choose from definitions, offences/],
    [{ provisions: ['3(9)'] }, /--provision 3\(9\): unknown provision; did you mean .*; choose from 2\(a\)/],
    [{ provisions: ['nonsense'] }, /--provision nonsense: unknown provision/],
  ])('rejects %j with the valid choices', (filter, message) => {
    expect(() => review(measures, filter)).toThrow(CheckerError);
    expect(() => review(measures, filter)).toThrow(message);
  });
});

describe('procedure follow-up', () => {
  const raw = inputs({ 'at.yaml': PROCEDURE_FILE });

  it('follows up the latest step on or before the evaluation date: open and now-conform grounds', () => {
    const model = review(checkInputs(raw, ruleset));
    const at = model.memberStates[0]!;
    expect(at.procedure.map((s) => [s.stage, s.afterEvaluation])).toEqual([
      ['letter-of-formal-notice', false],
      ['reasoned-opinion', false],
      ['referral', true],
    ]);
    // Grounds were normalised ("Art. 3(4)" → "3(4)").
    expect(at.procedure[0]!.grounds).toEqual(['3(4)', '22', '19(3)', '25(2)', '23(1)']);
    const f = at.followUp!;
    expect(f.step.stage).toBe('reasoned-opinion');
    expect(f.isLatest).toBe(true);
    expect(f.open).toEqual([{ provision: '19(3)', outcome: 'not-transposed' }]);
    expect(f.conform).toEqual([{ provision: '3(4)', outcome: 'conform' }]);
    expect(f.informationMissing).toEqual([]);
  });

  it('on an earlier --as-of date, follows up the letter of formal notice, before the reform', () => {
    const model = review(checkInputs(raw, ruleset, { evaluationDate: '2020-01-01' }));
    const f = model.memberStates[0]!.followUp!;
    expect(f.step.stage).toBe('letter-of-formal-notice');
    expect(f.open.map((g) => [g.provision, g.outcome])).toEqual([
      ['3(4)', 'not-conform'],
      ['19(3)', 'not-transposed'],
    ]);
    expect(f.conform.map((g) => g.provision)).toEqual(['22']);
    expect(f.notApplicable.map((g) => g.provision)).toEqual(['25(2)']);
    // Not described: information missing, neither still open nor closed.
    expect(f.informationMissing).toEqual([{ provision: '23(1)', outcome: 'not-assessed' }]);
    expect(model.memberStates[0]!.procedure.map((s) => s.afterEvaluation)).toEqual([false, true, true]);
  });

  it('counts grounds outside a provision filter instead of showing them', () => {
    const model = review(checkInputs(raw, ruleset), { provisions: ['19(3)'] });
    expect(model.memberStates[0]!.followUp).toMatchObject({ open: [{ provision: '19(3)' }], conform: [], outsideSelection: 1 });
  });

  it('has no follow-up when no procedure is recorded', () => {
    expect(review(measures).memberStates.every((s) => s.procedure.length === 0 && !s.followUp)).toBe(true);
  });
});

describe('timeline', () => {
  it('evaluates on each date and tracks the counts per outcome', () => {
    const raw = inputs({ 'at.yaml': PROCEDURE_FILE });
    const dates = ['2022-01-01', '2016-01-01', '2020-01-01'];
    const model = buildReview({
      result: checkInputs(raw, ruleset),
      ruleset,
      timeline: dates.map((date) => ({ date, result: checkInputs(raw, ruleset, { evaluationDate: date }) })),
    });
    expect(model.timeline!.dates).toEqual(['2016-01-01', '2020-01-01', '2022-01-01']);
    const points = model.memberStates[0]!.timeline!;
    expect(points.map((p) => p.date)).toEqual(['2016-01-01', '2020-01-01', '2022-01-01']);
    // The reform of 3(4) on 2021-07-01 turns it from not-conform to conform.
    expect(points[1]!.counts['not-conform'] - points[2]!.counts['not-conform']).toBe(1);
    expect(points[2]!.notConform).toBe(points[1]!.notConform - 1);
    expect(points[2]!.counts.conform).toBe(points[1]!.counts.conform + 1);
    // 115 provisions, the three derived chapeaux not counted.
    for (const p of points) expect(Object.values(p.counts).reduce((a, b) => a + b, 0)).toBe(112);
    expect(model.timeline!.eu[2]).toEqual(points[2]!.counts);
  });

  it('uses, on each date, the latest version of a Member State dated on or before it', () => {
    const early = PROCEDURE_FILE.replace('as_of: 2024-06-30', 'as_of: 2018-01-01').replace(/procedures:[\s\S]*?provisions:/, 'provisions:');
    const late = PROCEDURE_FILE.replace(/procedures:[\s\S]*?provisions:/, 'provisions:').replace('"22":\n    status: transposed', '"22":\n    status: partial');
    const raw = inputs({ 'at-2018.yaml': early, 'at-2024.yaml': late });
    const result = checkInputs(raw, ruleset);
    expect(result.results).toHaveLength(2);
    const model = buildReview({
      result,
      ruleset,
      timeline: ['2019-01-01', '2025-01-01'].map((date) => ({ date, result: checkInputs(raw, ruleset, { evaluationDate: date }) })),
    });
    const at = model.memberStates[0]!;
    expect(model.memberStates).toHaveLength(1);
    expect(at.declaredAsOf).toBe('2024-06-30');
    expect(at.otherVersions).toEqual(['2018-01-01']);
    expect(at.outcomes.get('22')).toBe('partially-conform');
    expect(at.timeline!.map((p) => p.version)).toEqual(['2018-01-01', '2024-06-30']);
    expect(selectVersions(result.results, '2020-01-01')[0]!.chosen.declaredAsOf).toBe('2018-01-01');
    expect(selectVersions(result.results, '2010-01-01')[0]!.chosen.declaredAsOf).toBe('2018-01-01');
  });
});

describe('helpers', () => {
  it('writes article ranges', () => {
    expect(articleRanges(['3', '4', '5', '6', '8'])).toBe('Arts 3–6, 8');
    expect(articleRanges(['22'])).toBe('Art. 22');
    expect(articleRanges(['24', '22'])).toBe('Arts 22, 24');
  });

  it('is deterministic: the same input gives the same model', () => {
    const text = readFileSync(fixture('measures/mt.yaml'), 'utf8');
    const a = review(checkInputs(inputs({ 'mt.yaml': text }), ruleset));
    const b = review(checkInputs(inputs({ 'mt.yaml': text }), ruleset));
    expect(a.topicSummaries.map((t) => t.sentences)).toEqual(b.topicSummaries.map((t) => t.sentences));
    expect(a.memberStates[0]!.grounds).toEqual(b.memberStates[0]!.grounds);
  });
});
