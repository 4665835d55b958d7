import { readFileSync } from 'node:fs';
import type { MicromarkToken, Rule } from 'markdownlint';
import { lint } from 'markdownlint/promise';
import { describe, expect, it } from 'vitest';
import { checkInputs, type CheckResult } from '../src/check.js';
import { findingsOf, type RuleResult } from '../src/evaluate/result.js';
import { DISCLAIMER, type ReportContext } from '../src/formats/context.js';
import { formatMarkdown } from '../src/formats/markdown.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, rawInput, measureHead, checkTexts } from './helpers.js';

const ruleset = await loadRuleSet();
const context: ReportContext = { all: false, color: false, columns: 120 };
const HOSTILE = readFileSync(fixture('hostile/lu.yaml'));

const run = (name: string, text: string | Uint8Array): CheckResult => checkTexts(ruleset, [[name, text]]);

const VALID = `${measureHead()}provisions:
  "3(4)": { status: transposed, national: [{ source: code, article: "§ 1" }], max_penalty_years: 3 }
  "3(2)": { status: transposed, national: [{ source: code, article: "§ 2" }] }
`;
// 3(4): 3 years against the Directive's 5 → not-conform; 3(2) with no figure → incomplete; the rest is
// not assessed (counted in the summary line, listed with --all), 2(f) and 12(3) not applicable, and
// 3(1) derived from 3(2)-3(6) (listed only with --all).

const EMPTY: CheckResult = {
  tool: { name: 'conformity', version: '0.0.0' },
  ruleset: { id: 'r', directive: '2011/93/EU', version: '1', hash: 'abcdef0123456789', title: 't' },
  inputs: [],
  results: [],
  diagnostics: [],
};

/**
 * Constructs that only markup can create. The report's own text uses none of them, so any one found
 * was made from input text. (Tables, headings, paragraphs, the inputs list and entities are ours.)
 */
const MARKUP = new Set<string>([
  'autolink', 'literalAutolink', 'literalAutolinkEmail', 'literalAutolinkHttp', 'literalAutolinkWww',
  'link', 'image', 'definition', 'labelStart', 'labelImageMarker',
  'htmlText', 'htmlFlow',
  'emphasis', 'strong', 'strikethrough', 'codeText', 'codeFenced', 'codeIndented',
  'mathText', 'mathFlow', 'directiveText', 'directiveLeaf', 'directiveContainer',
  'gfmFootnoteCall', 'gfmFootnoteDefinition', 'hardBreakEscape', 'hardBreakTrailing',
  'blockQuote', 'setextHeading', 'thematicBreak', 'listOrdered',
]);

interface Structure {
  markup: { type: string; line: number; text: string }[];
  h1: number;
  h2: string[];
  /** Cells per table row (header, delimiter and data rows). */
  rowCells: [line: number, cells: number][];
}

function walk(tokens: MicromarkToken[], visit: (t: MicromarkToken) => void): void {
  for (const token of tokens) {
    visit(token);
    walk(token.children, visit);
  }
}

/** Lints with markdownlint's defaults (line length aside) plus a rule that reports the report's structure as micromark parsed it. */
async function check(markdown: string): Promise<{ errors: string[]; structure: Structure }> {
  const structure: Structure = { markup: [], h1: 0, h2: [], rowCells: [] };
  const inspect: Rule = {
    names: ['report-structure'],
    description: 'collects markup and table structure',
    tags: ['test'],
    parser: 'micromark',
    function: (params) => {
      walk(params.parsers.micromark.tokens, (t) => {
        if (MARKUP.has(t.type)) structure.markup.push({ type: t.type, line: t.startLine, text: t.text });
        if (t.type === 'atxHeading') {
          const level = t.children.find((c) => c.type === 'atxHeadingSequence')!.text.length;
          if (level === 1) structure.h1 += 1;
          if (level === 2) structure.h2.push(t.text);
        }
        // GFM table token types are not in micromark's TokenTypeMap here: compare as strings.
        const type: string = t.type;
        if (type === 'tableRow' || type === 'tableDelimiterRow') {
          const cells = t.children.filter((c) => ['tableData', 'tableHeader', 'tableDelimiter'].includes(c.type));
          structure.rowCells.push([t.startLine, cells.length]);
        }
      });
    },
  };
  const results = await lint({ strings: { report: markdown }, config: { default: true, MD013: false }, customRules: [inspect] });
  const errors = (results.report ?? []).map((e) => `${e.lineNumber}: ${e.ruleNames.join('/')} ${e.ruleDescription} ${e.errorDetail ?? ''} ${e.errorContext ?? ''}`);
  return { errors, structure };
}

/** Lint-clean, no markup made from input, one H1, and every table row exactly as wide as its header. */
async function expectClean(markdown: string): Promise<Structure> {
  const { errors, structure } = await check(markdown);
  expect(errors).toEqual([]);
  expect(structure.markup).toEqual([]);
  expect(structure.h1).toBe(1);
  expect(markdown).not.toMatch(/[<>]/);
  expect(markdown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  expect(markdown).not.toMatch(/ \n/);
  expect(markdown.endsWith('\n') && !markdown.endsWith('\n\n')).toBe(true);
  // No @-mention or #-reference that GitHub would link: the only '#' are our headings.
  expect(markdown.replace(/^#{1,2} /gm, '').replace(/&#8203;/g, '\u200b')).not.toMatch(/[@#](?!\u200b)/);
  const widths = new Map<number, number>();
  const lines = markdown.split('\n');
  for (const [line, cells] of structure.rowCells) {
    // A table's width is that of its header row, the first row after a blank line.
    let start = line;
    while (start > 1 && lines[start - 2] !== '') start -= 1;
    if (!widths.has(start)) widths.set(start, cells);
    expect(cells, `row on line ${line}`).toBe(widths.get(start));
  }
  return structure;
}

describe('markdown over the pipeline', () => {
  const hostile = run('fixtures/hostile/lu.yaml', HOSTILE);
  const valid = run('measures/de.yaml', VALID);
  const cases: [string, CheckResult, boolean][] = [
    ['hostile fixture', hostile, false],
    ['hostile fixture, --all', hostile, true],
    ['valid inline file', valid, false],
    ['valid inline file, --all', valid, true],
    ['hostile fixture under a hostile file name', run('a|b <i>`x`</i> [l](http://x.y) @me #1.yaml', HOSTILE), false],
    ['two Member States', checkInputs([
      { name: 'lu.yaml', bytes: HOSTILE, size: HOSTILE.length },
      { name: 'de.yaml', bytes: new TextEncoder().encode(VALID), size: VALID.length },
    ], ruleset), false],
  ];

  it.each(cases)('%s: lints clean, no markup from input, tables intact', async (_, result, all) => {
    expect(result.diagnostics).toEqual([]);
    const markdown = formatMarkdown(result, { ...context, all });
    const structure = await expectClean(markdown);
    expect(structure.h2).toEqual([...result.results.map((r) => `## ${r.memberState} — measures as of ${r.declaredAsOf}`), '## Inputs']);
    // One row per listed finding (header and delimiter rows aside).
    const listed = result.results.flatMap((r) => findingsOf(r, all).filter((f) => all || f.outcome !== 'not-applicable' || f.assessment));
    expect(structure.rowCells.length).toBe(listed.length + 2 * result.results.length);
    expect(markdown.endsWith(`\n\n${DISCLAIMER}\n`)).toBe(true);
  });

  it('starts with the title and the provenance line', () => {
    const lines = formatMarkdown(valid, context).split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '# Conformity report: 2011/93/EU',
      '',
      `conformity ${valid.tool.version} · rules 2011-93-eu ${valid.ruleset.version} (sha256 ${valid.ruleset.hash.slice(0, 12)}) · law as of 2024-06-30`,
      '',
      '1 measure set(s) checked, 0 input error(s).',
    ]);
  });

  it('writes a summary line of counts per outcome, and a row per finding with its location', () => {
    const markdown = formatMarkdown(valid, context);
    const { summary } = valid.results[0]!;
    expect(markdown).toContain(
      `${valid.results[0]!.provisions.filter((p) => !p.derived).length} provisions (${summary['not-transposed'] + summary['not-conform'] + summary['partially-conform']} not conform, ` +
        `${summary['not-assessed']} not assessed, ${summary.incomplete} incomplete): ${summary.conform} conform (C), ${summary['partially-conform']} partially-conform (PC), ` +
        `${summary['not-conform']} not-conform (NC), ${summary['not-transposed']} not-transposed (NT), ${summary.incomplete} incomplete (I), ` +
        `${summary['not-assessed']} not-assessed (NAS), ${summary['not-applicable']} not-applicable (NA).`,
    );
    expect(markdown).toContain('| Provision | Article | Outcome | Finding | National provision | Location |\n| --- | --- | --- | --- | --- | --- |\n');
    const rows = markdown.split('\n').filter((l) => /^\| \d/.test(l));
    expect(rows).toEqual([
      "| 3(2) | Offences concerning sexual abuse | incomplete (I) | max\\_penalty\\_years is not recorded; the Directive requires a maximum term of at least 1 year (child below the age of sexual consent) | CC § 2 | measures/de.yaml\\:9 |",
      "| 3(4) | Offences concerning sexual abuse | not-conform (NC) | lowest maximum below the Directive's\\: CC § 1 (figure recorded for the provision)\\: 3 years, below the 5 years required (child below the age of sexual consent) | CC § 1 | measures/de.yaml\\:8 |",
    ]);
    expect(summary['not-assessed']).toBeGreaterThan(100);
    expect(markdown).toContain('(1 not conform, ');
    // 2(f) and 12(3) impose no duty of their own: not findings, so not even counted as hidden.
    expect(markdown).not.toContain('not-applicable rule(s) not listed');
    const all = formatMarkdown(valid, { ...context, all: true });
    expect(all).not.toContain('not listed');
    expect(all).toContain('| 3(1) | Offences concerning sexual abuse | not-conform (NC) | derived from 3(2), 3(3), 3(4)');
    expect(all).toContain('| 3(3) | Offences concerning sexual abuse | not-assessed (NAS) | no description is recorded for this provision (not assessed) |');
  });

  it('escapes the hostile text so that it reads as it was written', () => {
    const markdown = formatMarkdown(hostile, context);
    const row = (provision: string) => markdown.split('\n').find((l) => l.startsWith(`| ${provision} |`))!;
    expect(row('3(4)')).toBe(
      "| 3(4) | Offences concerning sexual abuse | not-conform (NC) | lowest maximum below the Directive's\\: " +
        '=HYPERLINK("http\\://example.invalid","x") art. 1 &lt;b&gt;bold&lt;/b&gt; \\]\\]&gt;&lt;!-- %0A --&gt; (figure recorded for the provision)\\: 2 years, below the 5 years required (child below the age of sexual consent) | ' +
        '=HYPERLINK("http\\://example.invalid","x") art. 1 &lt;b&gt;bold&lt;/b&gt; \\]\\]&gt;&lt;!-- %0A --&gt; | fixtures/hostile/lu.yaml\\:22 |',
    );
    expect(row('3(5)(i)')).toBe(
      "| 3(5)(i) | Offences concerning sexual abuse | partially-conform (PC) | recorded as partially transposed | @&#8203;cmd\\|' /C calc'!A0 -2+3 \\| col  \\:\\:warning\\:\\:forged too | fixtures/hostile/lu.yaml\\:24 |",
    );
    expect(row('9(c)')).toBe(
      '| 9(c) | Aggravating circumstances | not-conform (NC), assessed; computed: conform (C) | transposed — Assessed not-conform by &lt;img src=x onerror=alert(1)&gt;, 2024-01-01\\: ' +
        '&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(1)&lt;/script&gt; \\:\\:error\\:\\:forged\\\\x07\\\\x1b\\]8;;http\\://evil.invalid\\\\x07link\\\\x1b\\]8;;\\\\x07 \\| \\` \\*\\* \\_x\\_ \\[l\\](javascript\\:alert(1)) | ' +
        '=HYPERLINK("http\\://example.invalid","x") § 1, title=forged\\: 100% | fixtures/hostile/lu.yaml\\:29 |',
    );
    expect(markdown).toContain('assessments: 1 applied, 0 unnecessary, 0 review due, 0 out of date.');
  });

  it('lists each input with its SHA-256', () => {
    expect(formatMarkdown(valid, context)).toContain(`## Inputs\n\n- measures/de.yaml (sha256 ${valid.inputs[0]!.sha256})\n`);
  });

  it('reports input errors in a table of their own', async () => {
    const result = run('bad.yaml', VALID.replace('member_state: DE', 'member_state: XX'));
    expect(result.diagnostics.length).toBeGreaterThan(0);
    const markdown = formatMarkdown(result, context);
    const structure = await expectClean(markdown);
    expect(structure.h2).toEqual(['## Input errors', '## Inputs']);
    expect(markdown).toContain('| Location | Code | Message |');
    expect(markdown).toMatch(/\| bad\.yaml\\:3\\:\d+ \| /);
  });
});

describe('markdown over hand-built results', () => {
  it('reports an empty result, lint-clean', async () => {
    const markdown = formatMarkdown(EMPTY, context);
    await expectClean(markdown);
    expect(markdown).toBe(
      [
        '# Conformity report: 2011/93/EU',
        '',
        "conformity 0.0.0 · rules r 1 (sha256 abcdef012345) · law as of each file's as\\_of",
        '',
        '0 measure set(s) checked, 0 input error(s).',
        '',
        DISCLAIMER,
        '',
      ].join('\n'),
    );
  });

  it('reports hostile input errors, lint-clean', async () => {
    const result: CheckResult = {
      ...EMPTY,
      inputs: [{ name: 'x|y\n# z.yaml', sha256: '' }],
      diagnostics: [{ file: 'x|y\n# z.yaml', line: 2, column: 5, code: 'schema', message: 'bad value "<b>|\n---\n| x |"' }],
    };
    const markdown = formatMarkdown(result, context);
    await expectClean(markdown);
    expect(markdown).toContain('| x\\|y #&#8203; z.yaml\\:2\\:5 | schema | bad value "&lt;b&gt;\\| --- \\| x \\|" |');
  });

  const base = run('m.yaml', VALID);
  const template = base.results[0]!.rules.find((r) => r.rule.provision === '3(4)')!;
  const withFinding = (overrides: Partial<RuleResult>): CheckResult => ({
    ...base,
    results: [{ ...base.results[0]!, rules: [{ ...template, assessment: undefined, national: [], ...overrides }] }],
  });

  it.each([
    // message, cell
    ['a|b', 'a\\|b'],
    ['a\\|b', 'a\\\\\\|b'],
    ['back\\slash', 'back\\\\slash'],
    ['`code`', '\\`code\\`'],
    ['*em* **strong**', '\\*em\\* \\*\\*strong\\*\\*'],
    ['_em_ __strong__', '\\_em\\_ \\_\\_strong\\_\\_'],
    ['~~struck~~', '\\~\\~struck\\~\\~'],
    ['[link](http://evil.invalid)', '\\[link\\](http\\://evil.invalid)'],
    ['![img](x.png)', '!\\[img\\](x.png)'],
    ['[ref]: http://evil.invalid', '\\[ref\\]\\: http\\://evil.invalid'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<http://evil.invalid>', '&lt;http\\://evil.invalid&gt;'],
    ['a & b &amp; c', 'a &amp; b &amp;amp; c'],
    ['see www.evil.invalid or WWW.evil.invalid', 'see www\\.evil.invalid or WWW\\.evil.invalid'],
    ['_www.evil.invalid (www.evil.invalid) awww.x', '\\_www\\.evil.invalid (www\\.evil.invalid) awww\\.x'],
    ['mail x@evil.invalid', 'mail x@&#8203;evil.invalid'],
    ['ping @octocat', 'ping @&#8203;octocat'],
    ['fixes #1 and o/r#2', 'fixes #&#8203;1 and o/r#&#8203;2'],
    ['$x^2$ and $$y$$', '\\$x^2\\$ and \\$\\$y\\$\\$'],
    [':name[x]{y}', '\\:name\\[x\\]{y}'],
    ['line\nbreak', 'line break'],
    ['crlf\r\nbreak\rcr', 'crlf break cr'],
    ['tab\there', 'tab here'],
    ['\u001b[31mred\u001b[0m', '\\\\x1b\\[31mred\\\\x1b\\[0m'],
    ['rtl \u202e override', 'rtl \\\\u202e override'],
    ['  padded  ', 'padded'],
    ['', '—'],
    ['|', '\\|'],
    ['# not a heading\n---\n| a | b |', '#&#8203; not a heading --- \\| a \\| b \\|'],
  ])('escapes %j as %j', async (message, cell) => {
    const markdown = formatMarkdown(withFinding({ message }), context);
    await expectClean(markdown);
    expect(markdown).toContain(`\n| 3(4) | Offences concerning sexual abuse | not-conform (NC) | ${cell} | — | m.yaml\\:${template.at.line} |\n`);
  });

  it.each([
    ['applied', 'not-conform (NC), assessed; computed: conform (C)', 'msg — Assessed not-conform by AB, 2024-01-01\\: why'],
    ['unnecessary', 'not-conform (NC)', 'msg — Assessment unnecessary (equals the computed conform) by AB, 2024-01-01\\: why'],
    ['review-due', 'not-conform (NC)', 'msg — Assessment review due: expired on 2024-02-01 (not applied; computed: conform) by AB, 2024-01-01\\: why'],
    ['out-of-date', 'not-conform (NC)', 'msg — Assessment not applied: the national provisions in force on the evaluation date differ from those of the description it was written for (computed: conform) by AB, 2024-01-01\\: why'],
  ] as const)('shows a %s assessment beside the computed outcome', async (state, outcome, finding) => {
    const at = { file: 'm.yaml', line: 1, column: 1 };
    const markdown = formatMarkdown(
      withFinding({
        message: 'msg',
        outcome: 'not-conform',
        computedOutcome: 'conform',
        assessment: { outcome: 'not-conform', reason: 'why', by: 'AB', date: '2024-01-01', expires: '2024-02-01', state, at },
      }),
      context,
    );
    await expectClean(markdown);
    expect(markdown).toContain(`| 3(4) | Offences concerning sexual abuse | ${outcome} | ${finding} | — |`);
  });
});

describe('markdown for pull-request comments stays under GitHub limit', () => {
  it('folds each Member State into <details> past the limit, then leaves out what does not fit, with a pointer', async () => {
    const { COMMENT_LIMIT } = await import('../src/formats/markdown.js');
    const one = checkInputs([rawInput('measures/de.yaml', VALID)], ruleset);
    const state = one.results[0]!;
    const codes = Array.from({ length: 80 }, (_, i) => `X${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26)}`);
    const big: CheckResult = { ...one, results: codes.map((memberState) => ({ ...state, memberState })) };
    // With --all every rule is a row: a half-researched file's section is then as long as a full one.
    const all = { ...context, all: true };
    const whole = formatMarkdown({ ...one, results: big.results.slice(0, 2) }, all);
    expect(whole).not.toContain('<details>');
    const markdown = formatMarkdown(big, all);
    expect(markdown.length).toBeLessThan(COMMENT_LIMIT);
    expect(markdown).toContain('<details>\n<summary>XA0 — measures as of 2024-06-30</summary>');
    expect(markdown.split('<details>').length - 1).toBe(markdown.split('</details>').length - 1);
    const shown = markdown.split('<details>').length - 1;
    expect(shown).toBeLessThan(80);
    expect(markdown).toContain(`${80 - shown} more Member State section(s) left out`);
    expect(markdown).toContain('see the full report');
  });
});
