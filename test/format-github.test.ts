import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/check.js';
import { findingsOf, type RuleResult } from '../src/evaluate/result.js';
import type { ReportContext } from '../src/formats/context.js';
import { findingKey } from '../src/formats/baseline.js';
import { ANNOTATIONS_PER_KIND, formatGithub, githubAnnotations } from '../src/formats/github.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import type { Severity } from '../src/types.js';
import { EMPTY_RESULT, fixture, measureHead, checkTexts } from './helpers.js';

const ruleset = await loadRuleSet();
const context: ReportContext = { all: false, color: false, columns: 120 };
const HOSTILE = readFileSync(fixture('hostile/lu.yaml'));

const run = (name: string, text: string | Uint8Array): CheckResult => checkTexts(ruleset, [[name, text]]);

const VALID = `${measureHead()}provisions:
  "3(4)": { status: transposed, national: [{ source: code, article: "§ 1" }], max_penalty_years: 3 }
  "3(2)": { status: transposed, national: [{ source: code, article: "§ 2" }] }
`;
// 3(4): 3 years against the Directive's 5 → not-conform (error); 3(2) with no figure → incomplete
// (warning); 2(f) and 12(3) (no duty of their own) are not-applicable and, like the provisions not
// assessed and the chapeau 3(1) derived from 3(2)-3(6), annotated only with --all.

const EMPTY = EMPTY_RESULT;

/** The inverse of @actions/core's escaping, as the runner applies it. */
const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const unescapeProperty = (s: string) => unescapeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

interface Annotation {
  command: string;
  properties: Record<string, string>;
  message: string;
}

/** Parses one line the way the runner does: `::command k=v,k=v::message`. */
function parse(line: string): Annotation {
  const match = /^::(\w+) ([^:]*)::(.*)$/s.exec(line);
  if (!match) throw new Error(`not a workflow command: ${JSON.stringify(line)}`);
  const properties: Record<string, string> = {};
  for (const pair of match[2]!.split(',')) {
    const eq = pair.indexOf('='); // the runner splits a property at its first '='; '=' is not escaped
    properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
  }
  return { command: match[1]!, properties, message: unescapeData(match[3]!) };
}

function lines(output: string): string[] {
  if (output === '') return [];
  expect(output.endsWith('\n')).toBe(true);
  return output.slice(0, -1).split('\n');
}

/** Every annotation, before the cap of 10 per kind. */
const uncapped = (result: CheckResult, ctx: ReportContext = context) => githubAnnotations(result, ctx).map((a) => `${a.line}\n`).join('');

const RANK: Record<string, number> = { error: 0, warning: 1, info: 2 };

/** Every line a workflow command of ours, with nothing the runner could read as a second command. */
function expectOnlyAnnotations(output: string): void {
  expect(output).not.toMatch(/\r/);
  for (const line of lines(output)) {
    expect(line).toMatch(/^::(error|warning|notice) file=[^:,]*,line=\d+,col=\d+,title=[^:,]*::/);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  }
}

describe('github annotations over the pipeline', () => {
  const cases: [string, CheckResult][] = [
    ['hostile fixture', run('fixtures/hostile/lu.yaml', HOSTILE)],
    ['valid inline file', run('measures/de.yaml', VALID)],
    ['hostile fixture under a hostile file name', run('evil,dir:x%/lu\n::error file=a::forged.yaml', HOSTILE)],
  ];

  it.each(cases)('%s: one annotation per listed finding of severity error, warning or info (not-applicable ones only with --all)', (_, result) => {
    expect(result.diagnostics).toEqual([]);
    for (const all of [false, true]) {
      const output = uncapped(result, { ...context, all });
      expectOnlyAnnotations(output);
      // By severity, then in the order found.
      const listed = (f: RuleResult) => f.severity !== 'none' && (all || f.outcome !== 'not-applicable' || !!f.assessment);
      const expected = result.results.flatMap((r) => findingsOf(r, all).filter(listed)).sort((a, b) => RANK[a.severity]! - RANK[b.severity]!);
      const annotations = lines(output).map(parse);
      expect(annotations).toHaveLength(expected.length);
      annotations.forEach((a, i) => {
        const f = expected[i]!;
        expect(a.command).toBe({ error: 'error', warning: 'warning', info: 'notice' }[f.severity as Exclude<Severity, 'none'>]);
        expect(a.properties).toEqual({
          file: f.at.file,
          line: String(f.at.line),
          col: String(f.at.column),
          title: `${result.results[0]!.memberState} Art. ${f.rule.provision} ${f.outcome}`,
        });
        expect(a.message.startsWith(f.message)).toBe(true);
      });
    }
  });

  it('escapes forged commands in the hostile text: they appear only after %0A, never at a line start', () => {
    const output = uncapped(cases[0]![1]);
    expectOnlyAnnotations(output);
    for (const forged of ['::error::forged', '::warning::forged too']) {
      const at = [...output.matchAll(new RegExp(forged, 'g'))].map((m) => m.index);
      expect(at.length).toBeGreaterThan(0);
      for (const i of at) expect(output.slice(i - 3, i)).toBe('%0A');
    }
    expect(output).toContain('%0D%0A::warning::forged too');
  });

  it('escapes properties: a hostile file name cannot add or end a property', () => {
    const output = uncapped(cases[2]![1]);
    const first = lines(output)[0]!;
    expect(first).toMatch(/^::error file=evil%2Cdir%3Ax%25\/lu%0A%3A%3Aerror file=a%3A%3Aforged\.yaml,line=\d+,col=\d+,title=LU Art\. /);
  });

  it('shows the national provision and the assessment beside the computed outcome, control characters made visible', () => {
    const annotations = lines(uncapped(cases[0]![1])).map(parse);
    const nineC = annotations.find((a) => a.properties.title === 'LU Art. 9(c) not-conform')!;
    expect(nineC.command).toBe('error');
    expect(nineC.message).toBe(
      [
        'transposed',
        'National provision: =HYPERLINK("http://example.invalid","x") § 1, title=forged: 100%',
        'Assessed not-conform (computed: conform) by <img src=x onerror=alert(1)>, 2024-01-01: </td></tr><script>alert(1)</script>',
        '::error::forged\\x07\\x1b]8;;http://evil.invalid\\x07link\\x1b]8;;\\x07 | ` ** _x_ [l](javascript:alert(1))',
      ].join('\n'),
    );
    const threeFive = annotations.find((a) => a.properties.title === 'LU Art. 3(5)(i) partially-conform')!;
    expect(threeFive.command).toBe('error'); // partial transposition is non-conformity
    expect(threeFive.message).toBe("recorded as partially transposed\nNational provision: @cmd|' /C calc'!A0 -2+3 | col \r\n::warning::forged too");
  });

  it('writes the exact line for a plain finding', () => {
    const output = uncapped(cases[1]![1]);
    expect(lines(output)).toEqual([
      "::error file=measures/de.yaml,line=8,col=98,title=DE Art. 3(4) not-conform::lowest maximum below the Directive's: CC § 1 (figure recorded for the provision): 3 years, below the 5 years required (child below the age of sexual consent)%0ANational provision: CC § 1",
      '::warning file=measures/de.yaml,line=9,col=3,title=DE Art. 3(2) incomplete::max_penalty_years is not recorded; the Directive requires a maximum term of at least 1 year (child below the age of sexual consent)%0ANational provision: CC § 2',
    ]);
  });

  it('a half-researched file: no annotation for what is not assessed, not applicable or derived, unless --all', () => {
    const result = cases[1]![1];
    const state = result.results[0]!;
    expect(state.summary['not-assessed']).toBeGreaterThan(100);
    expect(state.summary['not-applicable']).toBe(2); // 2(f), 12(3)
    expect(lines(uncapped(result))).toHaveLength(2);
    const everything = lines(uncapped(result, { ...context, all: true })).map(parse);
    const titles = everything.map((a) => a.properties.title);
    expect(titles).toEqual(expect.arrayContaining(['DE Art. 3(1) not-conform', 'DE Art. 3(3) not-assessed']));
    // 2(f) imposes no duty of its own: never annotated, even with --all.
    expect(titles).not.toContain('DE Art. 2(f) not-applicable');
    // Capped as GitHub shows them, with the rest counted.
    const kind = (command: string) => everything.filter((a) => a.command === command).length;
    const over = Math.max(0, kind('error') - 10) + Math.max(0, kind('warning') - 10) + Math.max(0, kind('notice') - 9);
    expect(over).toBeGreaterThan(50);
    expect(lines(formatGithub(result, { ...context, all: true })).at(-1)).toContain(`::${over} more finding(s): see the job summary`);
  });
});

describe('github annotations over hand-built results', () => {
  it('writes nothing at all when there is nothing to report', () => {
    expect(formatGithub(EMPTY, context)).toBe('');
    expect(formatGithub(EMPTY, { ...context, all: true })).toBe('');
  });

  const base = run('m.yaml', VALID);
  const template = base.results[0]!.rules.find((r) => r.rule.provision === '3(4)')!;
  const withFinding = (overrides: Partial<RuleResult>): CheckResult => ({
    ...base,
    results: [{ ...base.results[0]!, rules: [{ ...template, assessment: undefined, ...overrides }] }],
  });

  it.each([
    ['error', '::error '],
    ['warning', '::warning '],
    ['info', '::notice '],
  ] as const)('maps severity %s to %s', (severity, prefix) => {
    const output = formatGithub(withFinding({ severity, national: [] }), context);
    expect(output.startsWith(prefix)).toBe(true);
    expect(lines(output)).toHaveLength(1);
  });

  it('leaves out severity none, even with --all', () => {
    expect(formatGithub(withFinding({ severity: 'none', outcome: 'conform', computedOutcome: 'conform' }), { ...context, all: true })).toBe('');
  });

  it.each([
    // message, escaped form
    ['100% sure', '100%25 sure'],
    ['a\nb', 'a%0Ab'],
    ['a\r\nb', 'a%0D%0Ab'],
    ['%0A stays literal', '%250A stays literal'],
    ['key: a, b', 'key: a, b'],
    ['\n::error::forged', '%0A::error::forged'],
    ['\u001b[31mred\u001b[0m', '\\x1b[31mred\\x1b[0m'],
    ['bell\u0007 tab\t nul\u0000', 'bell\\x07 tab\\x09 nul\\x00'],
    ['rtl \u202e override', 'rtl \\u202e override'],
  ])('escapes message %j as %j', (message, escaped) => {
    expect(formatGithub(withFinding({ message, national: [] }), context)).toBe(
      `::error file=m.yaml,line=8,col=${template.at.column},title=DE Art. 3(4) not-conform::${escaped}\n`,
    );
  });

  it.each([
    ['a,b.yaml', 'a%2Cb.yaml'],
    ['c:\\x.yaml', 'c%3A\\x.yaml'],
    ['50%.yaml', '50%25.yaml'],
    ['x\r\n::y.yaml', 'x%0D%0A%3A%3Ay.yaml'],
  ])('escapes file property %j as %j', (file, escaped) => {
    const output = formatGithub(withFinding({ at: { file, line: 3, column: 4 }, national: [] }), context);
    expect(output.startsWith(`::error file=${escaped},line=3,col=4,title=`)).toBe(true);
  });

  it('annotates input errors as errors at their place', () => {
    const result: CheckResult = {
      ...EMPTY,
      diagnostics: [{ file: 'x,y.yaml', line: 2, column: 5, code: 'schema', message: 'bad value "a\n::error::b"' }],
    };
    expect(formatGithub(result, context)).toBe('::error file=x%2Cy.yaml,line=2,col=5,title=input error (schema)::bad value "a%0A::error::b"\n');
  });

  it('annotates a real input error from the pipeline', () => {
    const result = run('bad.yaml', VALID.replace('member_state: DE', 'member_state: XX'));
    expect(result.diagnostics.length).toBeGreaterThan(0);
    const output = formatGithub(result, context);
    expectOnlyAnnotations(output);
    expect(lines(output)).toHaveLength(result.diagnostics.length);
    expect(output).toMatch(/^::error file=bad\.yaml,line=3,col=\d+,title=input error \(\w[\w-]*\)::/);
  });
});

describe('github annotations as GitHub shows them (at most 10 of a kind per step)', () => {
  const base = run('m.yaml', VALID);
  const template = base.results[0]!.rules.find((r) => r.rule.provision === '3(4)')!;
  const many = (counts: Record<'error' | 'warning' | 'info', number>): CheckResult => {
    const rules = (['info', 'warning', 'error'] as const).flatMap((severity) =>
      Array.from({ length: counts[severity] }, (_, i) => ({ ...template, assessment: undefined, national: [], severity, message: `${severity} ${i}` })),
    );
    return { ...base, results: [{ ...base.results[0]!, rules }] };
  };

  it('writes errors first, then warnings, then notices, each kind capped, then one notice counting the rest', () => {
    const annotations = lines(formatGithub(many({ error: 14, warning: 12, info: 3 }), context)).map(parse);
    expect(annotations.map((a) => a.command)).toEqual([
      ...Array(ANNOTATIONS_PER_KIND).fill('error'),
      ...Array(ANNOTATIONS_PER_KIND).fill('warning'),
      'notice',
      'notice',
      'notice',
      'notice',
    ]);
    expect(annotations.at(-1)!.message).toBe('6 more finding(s): see the job summary');
    expect(annotations[0]!.message).toBe('error 0');
  });

  it('adds no summary annotation when everything fits', () => {
    const output = formatGithub(many({ error: 10, warning: 10, info: 9 }), context);
    expect(lines(output)).toHaveLength(29);
    expect(output).not.toContain('more finding');
  });

  it('--quiet: errors only', () => {
    const annotations = lines(formatGithub(many({ error: 2, warning: 3, info: 3 }), { ...context, quiet: true })).map(parse);
    expect(annotations.map((a) => a.command)).toEqual(['error', 'error']);
  });

  it('a finding the baseline knows is a notice saying so, after the new ones', () => {
    const result = run('m.yaml', VALID);
    const threeFour = result.results[0]!.rules.find((r) => r.rule.provision === '3(4)')!;
    const known = new Set([findingKey('DE', threeFour.rule.id, '3(4)', 'error')]);
    const annotations = lines(uncapped(result, { ...context, known })).map(parse);
    expect(annotations.at(-1)).toMatchObject({ command: 'notice', properties: { title: 'DE Art. 3(4) not-conform (known: in the baseline)' } });
    expect(annotations.filter((a) => a.command === 'error').map((a) => a.properties.title)).not.toContain('DE Art. 3(4) not-conform');
  });
});
