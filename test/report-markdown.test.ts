import { readFileSync } from 'node:fs';
import { lint } from 'markdownlint/promise';
import { describe, expect, it } from 'vitest';
import { check, checkInputs } from '../src/check.js';
import { buildReview } from '../src/report/build-review.js';
import { md, mdLink, renderReviewMarkdown } from '../src/report/markdown.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, rawInput, measureHead } from './helpers.js';

const ruleset = await loadRuleSet();

const PROCEDURE = `${measureHead('AT', '2024-06-30', null)}procedures:
  - { stage: letter-of-formal-notice, date: 2019-07-25, reference: INFR(2019)0001, grounds: ["3(4)", "19(3)", "25(2)"] }
  - { stage: reasoned-opinion, date: 2021-02-18, grounds: ["3(4)", "19(3)"] }
provisions:
  "3(4)":
    status: transposed
    national:
      - { source: code, article: "art. 1 (old)", in_force_until: 2021-06-30, max_penalty_years: 3 }
      - { source: code, article: "art. 1 (new)", in_force_from: 2021-07-01, max_penalty_years: 15 }
  "19(3)": { status: not-transposed }
`;

function raw(files: Record<string, string | Uint8Array>) {
  return Object.entries(files).map(([name, text]) => rawInput(name, text));
}

async function problems(markdown: string): Promise<string[]> {
  const results = await lint({ strings: { report: markdown }, config: { default: true, MD013: false } });
  return results.report!.map((e) => `${e.lineNumber}: ${e.ruleNames.join('/')} ${e.ruleDescription} ${e.errorDetail ?? ''} ${e.errorContext ?? ''}`);
}

const measures = await check({ paths: [fixture('measures')], rules: ruleset });
const markdown = renderReviewMarkdown(buildReview({ result: measures, ruleset }));

const inputs = raw({ 'at.yaml': PROCEDURE, 'lu.yaml': readFileSync(fixture('hostile/lu.yaml')) });
const full = renderReviewMarkdown(
  buildReview({
    result: checkInputs(inputs, ruleset),
    ruleset,
    timeline: ['2015-01-01', '2020-01-01', '2024-01-01'].map((date) => ({ date, result: checkInputs(inputs, ruleset, { evaluationDate: date }) })),
  }),
);

describe('Markdown review', () => {
  it('is lint-clean (markdownlint defaults, MD013 off) on the fixtures', async () => {
    expect(await problems(markdown)).toEqual([]);
  });

  it('is lint-clean with procedures, a timeline, input errors and hostile text', async () => {
    expect(await problems(full)).toEqual([]);
    const withErrors = renderReviewMarkdown(buildReview({ result: checkInputs([...inputs, ...raw({ 'bad.yaml': 'format: 1\nmember_state: [' })], ruleset), ruleset }));
    expect(withErrors).toContain('## Input errors');
    expect(await problems(withErrors)).toEqual([]);
  });

  it('has the structure of the HTML report', () => {
    const headings = [...markdown.matchAll(/^(#+) (.*)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(headings.slice(0, 5)).toEqual(['# Infringement review: Directive 2011/93/EU', '## Provenance', '## Overview', '### Most frequent grounds', '## Priority areas']);
    expect(headings).toEqual(expect.arrayContaining(['## EU matrix', '### Matrix: Offences (Arts 3–6, 8)', '## Topics', '## Member States', '### DE — Germany', '#### DE: grounds', '## Disclaimer']));
    expect(markdown).toContain('not the law itself');
    expect(markdown).toContain(measures.ruleset.hash);
    for (const input of measures.inputs) expect(markdown).toContain(input.sha256);
  });

  it('shows the matrix with letter codes and totals', () => {
    expect(markdown).toContain('| Provision | DE | MT | FI | Not conform |');
    // MT does not describe 22: not assessed, not a ground.
    expect(markdown).toMatch(/^\| 22 \| PC \| NAS \| C \| 1 \(PC 1\) \|$/m);
    // A chapeau: the worst of its paragraphs, shown but not counted.
    expect(markdown).toMatch(/^\| 3\(1\) \| NC \| NC \| C \| derived from 3\(2\)–3\(6\), not counted \|$/m);
    expect(markdown).toMatch(/^\| 3\(4\) \| C \| NC \| C \| 1 \(NC 1\) \|$/m);
    expect(markdown).toMatch(/^\| 9\(c\) \| PC\\\* \|/m);
    // C, PC, NC, NT, I, NAS, NA; not conform (PC + NC + NT); information missing (I + NAS); assessments
    // applied: 9(c), and 15(2), whose assessment dated after as_of still applies (a figure cannot settle 15(2)).
    expect(markdown).toMatch(/^\| DE \(Germany\) \| 2024-06-30 \| 68 \| 9 \| 11 \| 2 \| 4 \| 11 \| 7 \| 22 \| 15 \| 2 \|$/m);
  });

  it('follows up the procedure and shows the timeline', () => {
    expect(full).toContain('#### AT: infringement procedure');
    expect(full).toContain('Latest step: Reasoned opinion of 2021-02-18. Of its 2 grounds shown, 1 is still open and 1 is now conform on 2024-06-30.');
    expect(full).toMatch(/^\| Art\. 19\(3\) \| not transposed \(NT\) \| still open \|$/m);
    expect(full).toMatch(/^\| Art\. 3\(4\) \| conform \(C\) \| now conform \|$/m);
    expect(full).toContain('#### AT: timeline');
    expect(full).toMatch(/^\| Member State \| 2015-01-01 \| 2020-01-01 \| 2024-01-01 \|$/m);
  });

  it('escapes table cells: no markup from measure files', () => {
    const lu = full.slice(full.indexOf('### LU'));
    expect(lu).not.toMatch(/<script|<img|<b>/i);
    expect(lu).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(lu).toContain('\\[l\\](javascript\\:alert(1))'.replace('\\:', ':'));
    expect(lu).not.toMatch(/[^\\]\[l\]\(/);
    // Every table row of the hostile section keeps its cell count.
    const rows = lu.split('\n').filter((l) => l.startsWith('|'));
    const cells = (l: string) => l.replace(/\\\|/g, '').split('|').length;
    for (const row of rows.filter((r) => r.startsWith('| Art. 9(c)'))) expect(cells(row)).toBe(cells('| a | b | c | d | e | f | g |'));
  });

  it('md() escapes | ` * _ [ ] < > & and line breaks; mdLink() links only http(s)', () => {
    expect(md('a|b`c*d_e[f]g<h>i&j\nk')).toBe('a\\|b\\`c\\*d\\_e\\[f\\]g&lt;h&gt;i&amp;j k');
    expect(md('see https://x.example and www.x.example @me #1')).toBe('see https\\://x.example and www\\.x.example @&#8203;me #&#8203;1');
    expect(mdLink('javascript:alert(1)', 'x')).toBe('x');
    expect(mdLink('https://eur-lex.europa.eu/a b)(c|d', 'Art. 3')).toBe('[Art. 3](https://eur-lex.europa.eu/a%20b%29%28c%7Cd)');
  });
});
