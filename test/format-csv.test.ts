import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/check.js';
import { findingsOf, type RuleResult } from '../src/evaluate/result.js';
import type { ReportContext } from '../src/formats/context.js';
import { formatCsv } from '../src/formats/csv.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { EMPTY_RESULT, fixture, measureHead, checkTexts } from './helpers.js';

const ruleset = await loadRuleSet();
const context: ReportContext = { all: false, color: false, columns: 120 };
const HOSTILE = readFileSync(fixture('hostile/lu.yaml'));
const HEADER = ['member_state', 'as_of', 'provision', 'article_title', 'rule', 'outcome', 'severity', 'national_provisions', 'message', 'file', 'line', 'status', 'notes'];

const run = (name: string, text: string | Uint8Array, asOf?: string): CheckResult => checkTexts(ruleset, [[name, text]], asOf);

const VALID = `${measureHead()}provisions:
  "3(4)": { status: transposed, national: [{ source: code, article: "§ 1" }, { source: code, article: "§ 1a" }], max_penalty_years: 3 }
  "3(1)": { status: partial, national: [{ source: code, article: "§ 2" }] }
`;

const EMPTY = EMPTY_RESULT;

/**
 * A strict RFC 4180 parser: records end in CRLF (the last one too), a field is either quoted (with
 * `""` for a quote, and anything else inside, line breaks included) or free of `"`, `,`, CR and LF.
 * Anything else throws.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let i = 0;
  while (i < text.length) {
    const row: string[] = [];
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i += 1;
        for (;;) {
          if (i >= text.length) throw new Error('unterminated quoted field');
          if (text[i] === '"') {
            if (text[i + 1] !== '"') break;
            field += '"';
            i += 2;
          } else {
            field += text[i];
            i += 1;
          }
        }
        i += 1;
      } else {
        while (i < text.length && !'",\r\n'.includes(text[i]!)) field += text[(i += 1) - 1];
      }
      row.push(field);
      if (text[i] === ',') {
        i += 1;
        continue;
      }
      if (text.startsWith('\r\n', i)) {
        i += 2;
        break;
      }
      throw new Error(`expected a comma or CRLF at offset ${i}: ${JSON.stringify(text.slice(i, i + 20))}`);
    }
    rows.push(row);
  }
  return rows;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** What a text cell must read: the value, with a leading ' where it would start a formula. */
const neutralised = (value: string) => (FORMULA_START.test(value) ? `'${value}` : value);

describe('the test parser', () => {
  it.each([
    ['a,b\r\n', [['a', 'b']]],
    ['"a,""b""\r\nc",\r\n', [['a,"b"\r\nc', '']]],
    ['x\r\ny\r\n', [['x'], ['y']]],
  ])('parses %j', (text, rows) => expect(parseCsv(text)).toEqual(rows));

  it.each(['a,b', 'a\nb\r\n', 'a"b\r\n', '"a"b\r\n', '"a\r\n'])('rejects %j', (text) => expect(() => parseCsv(text)).toThrow());
});

describe('csv over the pipeline', () => {
  const hostile = run('fixtures/hostile/lu.yaml', HOSTILE);
  const cases: [string, CheckResult][] = [
    ['hostile fixture', hostile],
    ['valid inline file', run('measures/de.yaml', VALID)],
    ['valid inline file at an earlier date', run('measures/de.yaml', VALID, '2019-07-25')],
    ['hostile fixture under a hostile file name', run('=cmd|" /C calc"!A0,\r\n-x.yaml', HOSTILE)],
  ];

  it.each(cases)('%s: a header and one row per finding, every cell as recorded', (_, result) => {
    expect(result.diagnostics).toEqual([]);
    for (const all of [false, true]) {
      const output = formatCsv(result, { ...context, all });
      expect(output.endsWith('\r\n')).toBe(true);
      const [header, ...rows] = parseCsv(output);
      expect(header).toEqual(HEADER);
      const findings = result.results.flatMap((r) => findingsOf(r, all).map((f) => [r, f] as const));
      expect(rows).toHaveLength(findings.length);
      rows.forEach((row, index) => {
        const [r, f] = findings[index]!;
        expect(row).toHaveLength(HEADER.length);
        for (const cell of row) expect(cell).not.toMatch(FORMULA_START);
        expect(row.slice(0, 8)).toEqual(
          [r.memberState, r.evaluatedAt, f.rule.provision, f.rule.articleTitle, f.rule.id, f.outcome, f.severity, f.national.join('; ')].map(neutralised),
        );
        expect(row[8]!.startsWith(neutralised(f.message))).toBe(true);
        expect(row.slice(9, 11)).toEqual([neutralised(f.at.file), String(f.at.line)]);
        expect(['transposed', 'partial', 'not-transposed', 'not-assessed', '']).toContain(row[11]);
      });
    }
  });

  it('round-trips the hostile cells with only a leading quote added', () => {
    const rows = parseCsv(formatCsv(hostile, context)).slice(1);
    const row = (provision: string) => rows.find((r) => r[2] === provision)!;
    expect(row('3(4)')).toEqual([
      'LU', '2024-06-30', '3(4)', 'Offences concerning sexual abuse', expect.any(String), 'not-conform', 'error',
      `'=HYPERLINK("http://example.invalid","x") art. 1 <b>bold</b> ]]><!-- %0A -->`,
      expect.stringContaining('2 years, below the 5 years required'), 'fixtures/hostile/lu.yaml', '22', 'transposed', '',
    ]);
    expect(row('3(5)(i)')[7]).toBe("'@cmd|' /C calc'!A0 -2+3 | col \r\n::warning::forged too");
    expect(row('9(c)')[7]).toBe(`'=HYPERLINK("http://example.invalid","x") § 1, title=forged: 100%`);
    expect(row('9(c)')[8]).toBe(
      'transposed; assessed not-conform (computed: conform) by <img src=x onerror=alert(1)>, 2024-01-01: ' +
        '</td></tr><script>alert(1)</script>\n::error::forged\\x07link | ` ** _x_ [l](javascript:alert(1))',
    );
  });

  it('quotes exactly the fields that need it, with CRLF between records', () => {
    const output = formatCsv(run('measures/de.yaml', VALID), context);
    const lines = output.split('\r\n');
    expect(lines[0]).toBe(HEADER.join(','));
    const line = lines.find((l) => l.startsWith('DE,2024-06-30,3(4),'));
    expect(line).toMatch(
      new RegExp(
        `^DE,2024-06-30,3\\(4\\),Offences concerning sexual abuse,${ruleset.rulesByProvision.get('3(4)')![0]!.id},not-conform,error,CC § 1; CC § 1a,` +
          '"[^"]*3 years[^"]*",measures/de.yaml,8,transposed,$',
      ),
    );
    expect(lines.at(-1)).toBe('');
  });

  it('writes the as_of the law was evaluated at', () => {
    const rows = parseCsv(formatCsv(run('m.yaml', VALID, '2019-07-25'), context)).slice(1);
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['2019-07-25']));
  });
});

describe('csv over hand-built results', () => {
  it('writes only the header when there is nothing to report', () => {
    expect(formatCsv(EMPTY, context)).toBe(`${HEADER.join(',')}\r\n`);
    expect(formatCsv(EMPTY, { ...context, all: true })).toBe(`${HEADER.join(',')}\r\n`);
  });

  const base = run('m.yaml', VALID);
  const template = base.results[0]!.rules.find((r) => r.rule.provision === '3(4)')!;
  const withFinding = (overrides: Partial<RuleResult>): CheckResult => ({
    ...base,
    results: [{ ...base.results[0]!, rules: [{ ...template, assessment: undefined, national: [], status: undefined, ...overrides }] }],
  });
  const prefix = `DE,2024-06-30,3(4),Offences concerning sexual abuse,${template.rule.id},not-conform,error,,`;

  it.each([
    // message, raw field, parsed cell
    ['plain text', 'plain text', 'plain text'],
    ['=1+1', "'=1+1", "'=1+1"],
    ['+1', "'+1", "'+1"],
    ['-1', "'-1", "'-1"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)", "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1", "'\t=1"],
    ['\r=1', `"'\r=1"`, "'\r=1"],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`, `'=HYPERLINK("http://x","y")`],
    ['a,b', '"a,b"', 'a,b'],
    ['say "hi"', '"say ""hi"""', 'say "hi"'],
    ['a\nb', '"a\nb"', 'a\nb'],
    ['a\r\nb', '"a\r\nb"', 'a\r\nb'],
    ['1=1', '1=1', '1=1'],
    [' =1', ' =1', ' =1'],
    ["'already", "'already", "'already"],
    ['', '', ''],
  ])('writes message %j as %j', (message, raw, cell) => {
    const output = formatCsv(withFinding({ message }), context);
    expect(output).toBe(`${HEADER.join(',')}\r\n${prefix}${raw},m.yaml,${template.at.line},,\r\n`);
    expect(parseCsv(output)[1]![8]).toBe(cell);
  });

  it('neutralises every text cell, not only the message', () => {
    const hostileRule = { ...template.rule, provision: '=P', articleTitle: '+T', id: '-R' };
    const result: CheckResult = {
      ...base,
      results: [
        {
          ...base.results[0]!,
          memberState: '@MS',
          evaluatedAt: '=D',
          rules: [{ ...template, rule: hostileRule, national: ['=N', '+M'], message: '-M', at: { file: '@F', line: 3, column: 1 }, status: undefined }],
        },
      ],
    };
    const [, row] = parseCsv(formatCsv(result, context));
    expect(row).toEqual(["'@MS", "'=D", "'=P", "'+T", "'-R", 'not-conform', 'error', "'=N; +M", "'-M", "'@F", '3', '', '']);
  });

  it.each([
    ['applied', 'msg; assessed not-conform (computed: conform) by AB, 2024-01-01: why'],
    ['unnecessary', 'msg; assessment unnecessary (equals the computed conform) by AB, 2024-01-01: why'],
    ['review-due', 'msg; assessment review due: expired on 2024-02-01 (not applied; computed: conform) by AB, 2024-01-01: why'],
    ['out-of-date', 'msg; assessment not applied: the national provisions in force on the evaluation date differ from those of the description it was written for (computed: conform) by AB, 2024-01-01: why'],
  ] as const)('puts a %s assessment beside the computed outcome in the message', (state, message) => {
    const at = { file: 'm.yaml', line: 1, column: 1 };
    const output = formatCsv(
      withFinding({
        message: 'msg',
        computedOutcome: 'conform',
        assessment: { outcome: 'not-conform', reason: 'why', by: 'AB', date: '2024-01-01', expires: '2024-02-01', state, at },
      }),
      context,
    );
    expect(parseCsv(output)[1]![8]).toBe(message);
  });
});
