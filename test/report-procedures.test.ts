import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkInputs, checkLoaded, loadInputs, type CheckResult } from '../src/check.js';
import { CheckerError } from '../src/errors.js';
import type { MemberStateResult } from '../src/evaluate/result.js';
import { buildReview } from '../src/report/build-review.js';
import { renderReviewHtml } from '../src/report/html.js';
import { renderReviewMarkdown } from '../src/report/markdown.js';
import { procedureOverview } from '../src/report/procedures.js';
import { versionsLoadedOn } from '../src/report/report-inputs.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { loadProcedures, parseProcedures } from '../src/ruleset/procedures.js';
import { fixture, rawInput, runCli, tempFolders, measureHead } from './helpers.js';

const ruleset = await loadRuleSet();
const procedures = loadProcedures(ruleset)!;

const tempDir = tempFolders('procedures');

/** Germany with a recorded letter of formal notice (the real one's date, with grounds) and a later step of its own. */
const DE_FILE = (reference = '') => `${measureHead('DE', '2024-06-30', null)}procedures:
  - stage: letter-of-formal-notice
    date: 2019-07-25
    grounds: ["3(4)", "3(2)", "19(3)"]
  - stage: reasoned-opinion
    date: 2030-01-01${reference ? `\n    reference: ${reference}` : ''}
    grounds: ["3(2)"]
provisions:
  "3(4)":
    status: transposed
    national: [{ source: code, article: "art. 1" }]
  "3(2)":
    status: transposed
    national: [{ source: code, article: "art. 2", max_penalty_years: 15 }]
  "19(3)": { status: not-transposed }
`;

const review = (result: CheckResult) => buildReview({ result, ruleset, procedures });

describe('real procedures shipped as rule-set data (rules/2011-93-eu/data/infringements.yaml)', () => {
  it('loads and validates the 24 procedures with their source, snapshots and press-only steps', () => {
    expect(procedures.procedures).toHaveLength(24);
    expect(procedures.snapshots).toEqual({ first: '2020-08-24', last: '2024-04-24', count: 22 });
    expect(procedures.source).toMatch(/register of infringement decisions/);
    const de = procedures.procedures.find((p) => p.memberState === 'DE')!;
    expect(de).toMatchObject({ reference: 'INFR(2019)2190', lastSeen: '2023-01-11', notListedFrom: '2024-04-24' });
    expect(de.steps.map((s) => [s.stage, s.date, s.press])).toEqual([['letter-of-formal-notice', '2019-07-25', false]]);
    const es = procedures.procedures.find((p) => p.memberState === 'ES')!;
    expect(es.steps.map((s) => [s.stage, s.press])).toEqual([
      ['letter-of-formal-notice', false],
      ['additional-letter', false],
      ['reasoned-opinion', true],
    ]);
  });

  it('computes the EU overview from the data: opened when, no longer listed, press-only steps', () => {
    const overview = procedureOverview(procedures);
    expect(overview.opened.map((o) => [o.date, o.memberStates.length])).toEqual([
      ['2019-01-24', 3],
      ['2019-07-25', 7],
      ['2019-10-10', 13],
      ['2022-07-15', 1],
    ]);
    expect(overview.opened[3]!.memberStates).toEqual(['IE']);
    expect(overview.noLongerListed.map((p) => `${p.memberState} ${p.notListedFrom}`)).toEqual(['FR 2021-06-22', 'LT 2021-06-22', 'DE 2024-04-24', 'SE 2024-04-24']);
    expect(overview.press).toEqual([{ date: '2025-10-08', stage: 'reasoned-opinion', memberStates: ['BG', 'IE', 'ES'] }]);
    expect(overview.sentences.join(' ')).toContain('Opened by a letter of formal notice: 3 on 2019-01-24 (ES, IT, PT); 7 on 2019-07-25');
    // Not hard-coded: other data, other figures.
    const one = parseProcedures(
      'x.yaml',
      `source: s\ndirective: 2011/93/EU\nregister_snapshots: { first: 2020-01-01, last: 2020-02-01, count: 2 }\nprocedures:\n  - { reference: "INFR(2020)0001", member_state: AT, subject: s, steps: [{ date: 2020-01-05, step: letter-of-formal-notice }], active_in_register: { first_seen: 2020-01-01, last_seen: 2020-02-01 } }\n`,
      ruleset,
    );
    expect(procedureOverview(one).sentences.join(' ')).toContain('Opened by a letter of formal notice: 1 on 2020-01-05 (AT). Every procedure was still listed as active in the last snapshot (2020-02-01).');
  });

  it.each([
    ['an unknown step', 'steps: [{ date: 2020-01-05, step: warning }]', /^bad\.yaml:7:\d+: /],
    ['a malformed reference', 'reference: "2020/1"', /^bad\.yaml:\d+:\d+: .*pattern|^bad\.yaml:\d+:\d+: .*reference/],
  ])('rejects %s with FILE:LINE:COLUMN', (_, change, message) => {
    const base = `source: s
directive: 2011/93/EU
register_snapshots: { first: 2020-01-01, last: 2020-02-01, count: 2 }
procedures:
  - reference: "INFR(2020)0001"
    member_state: AT
    steps: [{ date: 2020-01-05, step: letter-of-formal-notice }]
    subject: s
    active_in_register: { first_seen: 2020-01-01, last_seen: 2020-02-01 }
`;
    const text = change.startsWith('steps') ? base.replace(/steps: .*/, change) : base.replace(/reference: .*/, change);
    expect(() => parseProcedures('bad.yaml', text, ruleset)).toThrowError(message);
  });

  it('rejects a duplicate reference and another directive, each at its place', () => {
    const text = `source: s
directive: 2099/1/EU
register_snapshots: { first: 2020-01-01, last: 2020-02-01, count: 2 }
procedures:
  - { reference: "INFR(2020)0001", member_state: AT, subject: s, steps: [{ date: 2020-01-05, step: letter-of-formal-notice }], active_in_register: { first_seen: 2020-01-01, last_seen: 2020-02-01 } }
  - { reference: "INFR(2020)0001", member_state: XX, subject: s, steps: [{ date: 2020-01-05, step: letter-of-formal-notice }], active_in_register: { first_seen: 2020-01-01, last_seen: 2020-02-01 } }
`;
    let error: unknown;
    try {
      parseProcedures('dup.yaml', text, ruleset);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CheckerError);
    const lines = (error as Error).message.split('\n');
    expect(lines[0]).toMatch(/^dup\.yaml:2:\d+: the procedures are for Directive 2099\/1\/EU, the rule set for 2011\/93\/EU$/);
    expect(lines).toContainEqual(expect.stringMatching(/^dup\.yaml:6:\d+: unknown Member State "XX"$/));
    expect(lines).toContainEqual(expect.stringMatching(/^dup\.yaml:6:\d+: INFR\(2020\)0001 is listed already at line 5$/));
  });

  it('a rule set without procedures data ships none', async () => {
    expect(loadProcedures(await loadRuleSet(fixture('rulesets/invented-directive')))).toBeUndefined();
  });
});

describe('report: each Member State with its real procedure', () => {
  const result = checkInputs([rawInput('de.yaml', DE_FILE())], ruleset);
  const model = review(result);
  const de = model.memberStates[0]!;

  it('shows the real procedure with its listing, whether or not the file records one', () => {
    expect(de.realProcedures).toEqual([
      expect.objectContaining({ reference: 'INFR(2019)2190', listing: 'last listed as active on 2023-01-11; not listed since 2024-04-24' }),
    ]);
    const bare = review(checkInputs([rawInput('de.yaml', DE_FILE().replace(/procedures:[\s\S]*?provisions:/, 'provisions:'))], ruleset)).memberStates[0]!;
    expect(bare.realProcedures.map((p) => p.reference)).toEqual(['INFR(2019)2190']);
    expect(bare.procedure.map((s) => [s.stage, s.date, s.source.kind])).toEqual([['letter-of-formal-notice', '2019-07-25', 'register']]);
  });

  it("adds the file's grounds to the register's step of the same stage and date, and its own steps after", () => {
    expect(de.procedure.map((s) => [s.stage, s.date, s.reference, s.source, s.grounds])).toEqual([
      ['letter-of-formal-notice', '2019-07-25', 'INFR(2019)2190', { kind: 'register' }, ['3(4)', '3(2)', '19(3)']],
      ['reasoned-opinion', '2030-01-01', undefined, { kind: 'measures', file: 'de.yaml' }, ['3(2)']],
    ]);
    expect(de.procedure[0]!.groundsFrom).toBe('de.yaml');
  });

  it('follows up grounds: information missing (incomplete) apart from still open and now conform', () => {
    const f = de.followUp!;
    expect(f.step.date).toBe('2019-07-25');
    expect(f.open.map((g) => g.provision)).toEqual(['19(3)']);
    expect(f.conform.map((g) => g.provision)).toEqual(['3(2)']);
    expect(f.informationMissing).toEqual([{ provision: '3(4)', outcome: 'incomplete' }]);
    const md = renderReviewMarkdown(model);
    expect(md).toContain('| Art. 3(4) | incomplete (a fact is missing) (I) | information missing |');
    expect(md).not.toMatch(/Art\. 3\(4\) \|[^\n]*still open/);
    expect(md).toContain('for 1 the information is missing (not assessed or incomplete)');
    expect(renderReviewHtml(model)).toContain('<td class="">information missing</td>');
  });

  it('counts information missing apart from not conform, and never lists it as a ground', () => {
    expect(de.informationMissing).toBe(de.counts.incomplete + de.counts['not-assessed']);
    expect(de.notConform).toBe(de.counts['not-conform'] + de.counts['not-transposed'] + de.counts['partially-conform']);
    expect(de.grounds.map((g) => g.provision)).not.toContain('3(4)');
    expect(renderReviewMarkdown(model)).toContain(`not conform; ${de.informationMissing} information missing (${de.counts['not-assessed']} not assessed, ${de.counts.incomplete} incomplete)`);
  });

  it('renders the real procedure, the source of each step, press-only steps and the EU overview in both formats', () => {
    const es = checkInputs([rawInput('es.yaml', DE_FILE().replace('member_state: DE', 'member_state: ES'))], ruleset);
    // The HTML escapes the apostrophe; the text is the same.
    for (const out of [renderReviewMarkdown(review(es)), renderReviewHtml(review(es)).replace(/&#39;/g, "'")]) {
      expect(out).toContain("ES: procedure INFR(2018)2197 (incorrect implementation (non-conformity)), from the rule set's procedures data: last listed as active on 2024-04-24.");
      expect(out).toContain('press report only (not in the register)');
      expect(out).toContain('Infringement procedures');
      expect(out).toMatch(/7 on 2019-07-25 \([A-Z, ]+\); 13 on 2019-10-10 \([A-Z, ]+\); 1 on 2022-07-15 \(IE\)/);
      expect(out).toContain('DE INFR(2019)2190 (last listed 2023-01-11, not listed since 2024-04-24)');
    }
  });

  it('without the data, shows only what the files record and no overview', () => {
    const plain = buildReview({ result, ruleset });
    expect(plain.procedureOverview).toBeUndefined();
    expect(plain.memberStates[0]!.realProcedures).toEqual([]);
    expect(renderReviewMarkdown(plain)).not.toContain('## Infringement procedures');
  });
});

describe('a recorded reference that differs from the real one', () => {
  it('is an input error at the reference (FILE:LINE:COLUMN), exit 2, no report', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'de.yaml');
    writeFileSync(file, DE_FILE('INFR(2019)0001'));
    const out = path.join(dir, 'report.md');
    const { code, stdout, stderr } = await runCli(['report', file, '--format', 'markdown', '--output', out]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    // Line 13, column 16: where `INFR(2019)0001` stands.
    expect(stderr).toContain(`${file}:13:16: procedure reference INFR(2019)0001 differs from DE's procedure INFR(2019)2190`);
    expect(stderr).not.toMatch(/\n\s+at /);
    const { existsSync } = await import('node:fs');
    expect(existsSync(out)).toBe(false);
  });

  it('the real reference itself is accepted', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'de.yaml');
    writeFileSync(file, DE_FILE('INFR(2019)2190'));
    const { code, stdout } = await runCli(['report', file, '--format', 'markdown']);
    expect(code).toBe(0);
    expect(stdout).toContain('#### DE: infringement procedure');
  });

  it('the eu27 fixtures carry no reference of their own: no conflict', async () => {
    const { code, stderr } = await runCli(['report', fixture('eu27'), '--format', 'markdown']);
    expect(stderr).not.toContain('differs from');
    expect(code).not.toBe(2);
  });
});

describe('Member States not bound, and notices', () => {
  const base = checkInputs([rawInput('de.yaml', DE_FILE())], ruleset);
  const dk: MemberStateResult = {
    ...base.results[0]!,
    memberState: 'DK',
    files: ['dk.yaml'],
    rules: [],
    provisions: [],
    procedures: [],
    summary: { ...base.results[0]!.summary, conform: 0, 'partially-conform': 0, 'not-conform': 0, 'not-transposed': 0, incomplete: 0, 'not-assessed': 0, 'not-applicable': 0 },
    notBound: 'not bound by Directive 2011/93/EU (Protocol No 22 on the position of Denmark)',
    notices: [],
  };
  const withNotice: MemberStateResult = { ...base.results[0]!, notices: ['the description is as of 2024-06-30, after the evaluation date 2020-01-01'] };
  const model = review({ ...base, results: [withNotice, dk] });

  it('a not-bound Member State has no outcomes, a "not bound" matrix column and one line with the reason', () => {
    const state = model.memberStates.find((s) => s.code === 'DK')!;
    expect(state.notBound).toMatch(/Protocol No 22/);
    expect(state.outcomes.size).toBe(0);
    // Area summaries count only the Member States bound.
    expect(model.topicSummaries[0]!.sentences[0]).toMatch(/^1 Member State × /);
    const md = renderReviewMarkdown(model);
    expect(md).toMatch(/^\| Provision \| DK not bound \| DE \| Not conform \|$/m);
    expect(md).toContain('DK: not bound by Directive 2011/93/EU (Protocol No 22 on the position of Denmark) (law as of');
    expect(md).not.toContain('#### DK: grounds');
    const html = renderReviewHtml(model);
    expect(html).toContain('<span class="small">not bound</span>');
    expect(html).toContain('<td class="o nb"></td>');
  });

  it("shows a result's notices", () => {
    expect(model.memberStates.find((s) => s.code === 'DE')!.notices).toEqual(withNotice.notices);
    expect(renderReviewMarkdown(model)).toContain('- Note: the description is as of 2024-06-30, after the evaluation date 2020-01-01');
    expect(renderReviewHtml(model)).toContain('<li><strong>Note:</strong> the description is as of 2024-06-30, after the evaluation date 2020-01-01</li>');
  });
});

describe('timeline: one description per Member State and date (versionsOn)', () => {
  const version = (asOf: string, years: number) =>
    rawInput(
      `at-${asOf}.yaml`,
      `format: 1\ndirective: 2011/93/EU\nmember_state: AT\nas_of: ${asOf}\nsources:\n  code: { title: Code, references_directive: true }\nprovisions:\n  "3(4)":\n    status: transposed\n    national: [{ source: code, article: "art. 1", max_penalty_years: ${years} }]\n`,
    );
  const loaded = loadInputs([version('2021-06-30', 3), version('2024-06-01', 15)], ruleset);

  it('evaluates only the chosen description on each date, flagging one that postdates it', () => {
    const dates = ['2020-01-01', '2021-07-01', '2024-06-01'];
    const atDates = dates.map((date) => ({ date, result: checkLoaded(versionsLoadedOn(loaded, date), ruleset, { evaluationDate: date }) }));
    expect(atDates.map((d) => d.result.results.map((r) => r.declaredAsOf))).toEqual([['2021-06-30'], ['2021-06-30'], ['2024-06-01']]);
    const model = buildReview({ result: checkLoaded(loaded, ruleset), ruleset, timeline: atDates });
    const points = model.memberStates[0]!.timeline!;
    expect(points.map((p) => p.version)).toEqual(['2021-06-30', '2021-06-30', '2024-06-01']);
    expect(points[0]!.notices).toEqual([expect.stringMatching(/^the description is as of 2021-06-30, after the evaluation date 2020-01-01/)]);
    expect(points[1]!.notices).toEqual([]);
    expect(renderReviewMarkdown(model)).toContain('- Note: 2020-01-01: the description is as of 2021-06-30');
  });
});
