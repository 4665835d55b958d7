import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { isMap, isScalar, parse, parseDocument } from 'yaml';
import { detectDelimiter, importTable, parseColumns, TABLE_SOURCE_TITLE, type ImportOptions } from '../src/analyst/import-table.js';
import { localToday } from '../src/analyst/init-template.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, runCli, tempFolders } from './helpers.js';

const newTempFolder = tempFolders('import');

const tempDir = () => newTempFolder();

interface NationalRef {
  source: string;
  article: string;
}
interface Entry {
  status: string;
  national?: NationalRef[];
  notes?: string;
}
interface Imported {
  format: number;
  directive: string;
  member_state: string;
  as_of: string;
  sources?: Record<string, { title: string }>;
  provisions: Record<string, Entry>;
}

/** `conformity import` into a fresh file; returns the run, the file and its data. */
async function importFile(table: string, args: string[] = ['--member-state', 'DE', '--as-of', '2024-06-30']) {
  const file = path.join(tempDir(), 'imported.yaml');
  const run = await runCli(['import', table, ...args, '--output', file]);
  const text = readFileSync(file, 'utf8');
  return { ...run, file, text, data: parse(text) as Imported };
}

/** The pure import of CSV text with the built-in rule set. */
async function importText(csv: string, options: Partial<ImportOptions> = {}) {
  const ruleset = await loadRuleSet();
  const result = importTable(csv, { file: 'table.csv', memberState: 'DE', asOf: '2024-06-30', today: '2024-07-01', ruleset, ...options });
  return { ...result, data: parse(result.yaml) as Imported };
}

const articles = (entry: Entry | undefined) => (entry?.national ?? []).map((n) => n.article);

describe('conformity import: reading the table', () => {
  it('reads `;` separators, a BOM, CRLF, quoted cells with `;`, quotes and line breaks, several rows per provision', async () => {
    const bytes = readFileSync(fixture('import/semicolon-bom-crlf.csv'));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('\r\n');
    const { code, stdout, stderr, data, text } = await importFile(fixture('import/semicolon-bom-crlf.csv'));
    expect(stderr).not.toMatch(/:\d+:1: /);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(data).toMatchObject({ format: 1, directive: '2011/93/EU', member_state: 'DE', as_of: '2024-06-30' });
    expect(data.sources).toEqual({ table: { title: TABLE_SOURCE_TITLE } });
    // Keys in Directive order, whatever the table's order; `Art.`, `Article` and `art 3 (4)` all map.
    const node = parseDocument(text).get('provisions');
    expect(isMap(node) && node.items.map((i) => (isScalar(i.key) ? i.key.value : undefined))).toEqual(['3(4)', '3(5)(i)', '5(2)', '10(3)', '22', '25(2)', '27(2)']);
    const p = data.provisions;
    // Two rows for 3(4): two national entries, both comments, in table order.
    expect(p['3(4)']).toEqual({
      status: 'transposed',
      national: [
        { source: 'table', article: 'Criminal Code art. 100' },
        { source: 'table', article: 'Criminal Code art. 100a' },
      ],
      notes: 'Penalty raised in 2021; see the explanatory memorandum\nsecond row for the same provision',
    });
    // Two national provisions in one quoted cell, separated by `;` and a line break.
    expect(articles(p['3(5)(i)'])).toEqual(['Criminal Code art. 101(1)', 'Criminal Code art. 101(2)']);
    // A comma inside a cell stays; doubled quotes are one quote.
    expect(p['5(2)']).toEqual({ status: 'partial', national: [{ source: 'table', article: 'Criminal Code art. 130, first sentence' }], notes: 'only possession, not "procuring"' });
    expect(p['10(3)']).toEqual({ status: 'not-transposed', notes: 'no exchange of conviction records yet\nbill pending' });
    expect(p['22']!.status).toBe('transposed');
    // "—" means no national provision; "no" means not transposed.
    expect(p['25(2)']).toEqual({ status: 'not-transposed', notes: 'optional: not taken up' });
    // No status given, a national provision given: transposed.
    expect(p['27(2)']!.status).toBe('transposed');
  });

  it('detects the separator from the header line', () => {
    expect(detectDelimiter('provision;national;comment\r\n3(4);"a, b";c')).toBe(';');
    expect(detectDelimiter('provision,national\n3(4);x;y;z')).toBe(',');
    expect(detectDelimiter('"provision;x",national,status\n')).toBe(',');
    expect(detectDelimiter('provision\tnational\n')).toBe('\t');
    expect(detectDelimiter('Title of the table\nprovision;national\n')).toBe(';');
  });

  it('reads comma-separated tables with quoted commas and line breaks, LF or CRLF, with or without a BOM', async () => {
    const csv = 'Directive provision,National provision,Comment\n"Art. 3(4)","Criminal Code, art. 100\nCriminal Code, art. 100a","a, b"\n';
    for (const variant of [csv, csv.replace(/\n/g, '\r\n'), `\ufeff${csv}`]) {
      const { data, problems, delimiter } = await importText(variant);
      expect(delimiter).toBe(',');
      expect(problems).toEqual([]);
      expect(data.provisions['3(4)']).toEqual({
        status: 'transposed',
        national: [
          { source: 'table', article: 'Criminal Code, art. 100' },
          { source: 'table', article: 'Criminal Code, art. 100a' },
        ],
        notes: 'a, b',
      });
    }
  });

  it('groups national provisions by a source column; rows without a source go under "table"', async () => {
    const { code, data } = await importFile(fixture('import/with-sources.csv'));
    expect(code).toBe(0);
    expect(data.sources).toEqual({
      table: { title: TABLE_SOURCE_TITLE },
      strafgesetzbuch: { title: 'Strafgesetzbuch' },
      'child-and-youth-welfare-act': { title: 'Child and Youth Welfare Act' },
      'code-of-criminal-procedure': { title: 'Code of Criminal Procedure' },
    });
    expect(data.provisions['3(4)']!.national).toEqual([{ source: 'strafgesetzbuch', article: '§ 176(1)' }]);
    expect(data.provisions['19(1)']).toMatchObject({ status: 'partial', national: [{ source: 'child-and-youth-welfare-act', article: 's. 27' }] });
    expect(data.provisions['25(1)']!.national).toEqual([{ source: 'table', article: 's. 10' }]);
  });

  it.each([
    ['transposed', 'transposed'],
    ['Yes', 'transposed'],
    ['FULL', 'transposed'],
    ['conform', 'transposed'],
    ['partial', 'partial'],
    ['Partially', 'partial'],
    ['partially-conform', 'partial'],
    ['no', 'not-transposed'],
    ['Not transposed', 'not-transposed'],
    ['not-transposed', 'not-transposed'],
    // Outcomes that say nothing about the status, and no status: the default (transposed with a national provision).
    ['not-conform', 'transposed'],
    ['incomplete', 'transposed'],
    ['not-applicable', 'transposed'],
    ['', 'transposed'],
  ])('status %j → %s', async (status, expected) => {
    const { data, problems } = await importText(`provision,national,status\n3(4),Criminal Code art. 100,${status}\n`);
    expect(problems).toEqual([]);
    expect(data.provisions['3(4)']!.status).toBe(expected);
  });

  it('the default status is not-transposed where no national provision is given', async () => {
    const { data, problems } = await importText('provision,national,status\n3(4),,\n3(2),—,not-applicable\n');
    expect(problems).toEqual([]);
    expect(data.provisions).toEqual({ '3(2)': { status: 'not-transposed' }, '3(4)': { status: 'not-transposed' } });
  });

  it('where rows of one provision disagree, the least transposed status wins', async () => {
    const { data } = await importText('provision,national,status\n3(4),CC art. 1,transposed\n3(4),CC art. 2,partial\n3(2),CC art. 3,transposed\n3(2),CC art. 3,not transposed\n');
    expect(data.provisions['3(4)']).toEqual({ status: 'partial', national: [{ source: 'table', article: 'CC art. 1' }, { source: 'table', article: 'CC art. 2' }] });
    // The same national provision twice is listed once.
    expect(data.provisions['3(2)']).toEqual({ status: 'not-transposed', national: [{ source: 'table', article: 'CC art. 3' }] });
  });
});

describe('conformity import: rows that cannot be mapped', () => {
  it('reports each with its row number (the header is row 1) and did-you-mean, leaves it out, writes the rest, exits 1', async () => {
    const table = fixture('import/unknown-keys.csv');
    const { code, stderr, data, text } = await importFile(table);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith(`${table}:`))).toEqual([
      `${table}:3:1: unknown provision "3(99)" of Directive 2011/93/EU: the row is left out; did you mean 3(1), 3(2) or 3(3)?`,
      `${table}:4:1: no Directive provision in column "provision"; the row is left out`,
      `${table}:5:1: unknown status "done-ish" (use transposed, partial, not-transposed or not-assessed); 5(6) takes the default status`,
      `${table}:7:1: unknown provision "Recital 12" of Directive 2011/93/EU: the row is left out`,
      `${table}:8:1: 18(3) is recorded as transposed but no national provision is given; it is imported as not-transposed`,
    ]);
    expect(lines.at(-1)).toMatch(/^conformity: wrote \S+imported\.yaml: 4 provision\(s\) of Directive 2011\/93\/EU for DE from 7 row\(s\); 5 row\(s\) not mapped in full$/);
    expect(Object.keys(data.provisions)).toEqual(['3(4)', '5(6)', '9(c)', '18(3)']);
    expect(data.provisions['9(c)']!.status).toBe('partial');
    expect(data.provisions['18(3)']).toEqual({ status: 'not-transposed', notes: 'status without a national provision' });
    // The header comment lists them too.
    expect(text).toContain('# Rows not mapped (left out, or kept only in part): 5\n');
    expect(text).toContain('#   row 3: unknown provision "3(99)" of Directive 2011/93/EU: the row is left out; did you mean 3(1), 3(2) or 3(3)?\n');
    expect(text).toContain('#   row 7: unknown provision "Recital 12"');
    expect(text).toMatch(new RegExp(`^# from ${table.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} on ${localToday()}: 7 row\\(s\\), 4 provision\\(s\\)\\.$`, 'm'));
  });

  it('a key in another spelling is reported with its canonical form', async () => {
    const { problems } = await importText('provision,national\nArticle 3 (99),CC art. 1\nArt. 9(h),CC art. 2\n');
    expect(problems).toEqual([
      { row: 2, message: 'unknown provision "Article 3 (99)" (3(99)) of Directive 2011/93/EU: the row is left out; did you mean 3(1), 3(2) or 3(3)?' },
      { row: 3, message: expect.stringMatching(/^unknown provision "Art\. 9\(h\)" \(9\(h\)\) of Directive 2011\/93\/EU: the row is left out; did you mean 9\(a\)/) },
    ]);
  });

  it('row numbers count blank rows and the rows a quoted line break spans as one', async () => {
    const { problems } = await importText('provision,national,comment\n3(4),CC art. 1,"two\nlines"\n\n3(99),CC art. 2,\n');
    expect(problems.map((p) => p.row)).toEqual([4]);
  });

  it('writes a file and exits 0 when every row maps', async () => {
    const { code, stderr } = await importFile(fixture('import/semicolon-bom-crlf.csv'));
    expect(code).toBe(0);
    expect(stderr).toMatch(/^conformity: wrote .*imported\.yaml: 7 provision\(s\) of Directive 2011\/93\/EU for DE from 8 row\(s\)\n$/);
  });
});

describe('conformity import: --columns', () => {
  it('without it, headers no default knows are a usage error naming them', async () => {
    const { code, stdout, stderr } = await runCli(['import', fixture('import/custom-headers.csv'), '--member-state', 'DE']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${fixture('import/custom-headers.csv')}:3:1: found no provision column`);
    expect(stderr).toContain('"Vorgabe", "Fundstelle", "Lage", "Hinweis", "Quelle"');
    expect(stderr).toContain('--columns provision=HEADER,national=HEADER');
  });

  it('names the columns (case-insensitively), and finds the header below a title row', async () => {
    const { code, stderr, data } = await importFile(fixture('import/custom-headers.csv'), [
      '--member-state',
      'de',
      '--columns',
      'provision=vorgabe,national=FUNDSTELLE,status=Lage,comment=Hinweis,source=Quelle',
    ]);
    expect(stderr).not.toMatch(/:\d+:1: /);
    expect(code).toBe(0);
    expect(data.member_state).toBe('DE');
    expect(data.as_of).toBe(localToday());
    expect(data.sources).toEqual({ strafgesetzbuch: { title: 'Strafgesetzbuch' }, 'kinder-und-jugendhilfegesetz': { title: 'Kinder- und Jugendhilfegesetz' } });
    expect(data.provisions).toEqual({
      '3(4)': { status: 'transposed', national: [{ source: 'strafgesetzbuch', article: '§ 176(1)' }] },
      '3(5)(iii)': { status: 'transposed', national: [{ source: 'strafgesetzbuch', article: '§ 177(5)' }] },
      '19(1)': { status: 'partial', national: [{ source: 'kinder-und-jugendhilfegesetz', article: '§ 27' }], notes: 'ends with the judgment' },
    });
  });

  it('overrides a default: another column as the comment, or a column by number', async () => {
    const csv = 'provision,national,comment,remarks\n3(4),CC art. 1,not this,this one\n';
    expect((await importText(csv)).data.provisions['3(4)']!.notes).toBe('not this');
    expect((await importText(csv, { columns: parseColumns('comment=Remarks') })).data.provisions['3(4)']!.notes).toBe('this one');
    expect((await importText(csv, { columns: parseColumns('comment=4') })).data.provisions['3(4)']!.notes).toBe('this one');
  });

  it.each([
    ['provisio=x', '--columns: unknown column "provisio=x"'],
    ['provision=', '--columns: provision= needs a header name'],
    ['provision=Vorgabe,national=Fundstelle,source=Nope', 'found no column "Nope" (--columns source=)'],
  ])('a wrong mapping is a usage error: %s', async (columns, message) => {
    const { code, stderr } = await runCli(['import', fixture('import/custom-headers.csv'), '--member-state', 'DE', '--columns', columns]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});

describe('conformity import: the measure file', () => {
  it.each(['semicolon-bom-crlf.csv', 'unknown-keys.csv', 'with-sources.csv'])('imported from %s, it passes validate (exit 0)', async (name) => {
    const { file } = await importFile(fixture(`import/${name}`));
    const validated = await runCli(['validate', file]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
  });

  it('starts with a comment naming the table and the date, and prints to standard output without --output', async () => {
    const { code, stdout, stderr } = await runCli(['import', fixture('import/with-sources.csv'), '--member-state', 'AT', '--as-of', '2023-01-31']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('# Measure file for AT under Directive 2011/93/EU, imported by `conformity import`');
    expect(lines[1]).toBe(`# from ${fixture('import/with-sources.csv')} on ${localToday()}: 5 row(s), 5 provision(s).`);
    expect(lines[2]).toBe('# Every row was mapped.');
    expect(parse(stdout)).toMatchObject({ member_state: 'AT', as_of: '2023-01-31' });
  });

  it('keeps any cell text exactly, safely quoted (YAML syntax, formulas, comment markers); drops control characters', async () => {
    const hostile = [
      'a: b',
      '- x',
      '# not a comment',
      '&anchor *alias',
      '!!binary x',
      '{ x: 1 }',
      '[1, 2]',
      '"quoted"',
      "'single'",
      '%TAG',
      'yes',
      'null',
      '12',
      '2024-01-01',
      '@sum',
      '|',
      '>',
      '`tick`',
      'trailing space',
    ];
    const rows = hostile.map((text, i) => [`3(${i < 3 ? 2 : 4})`, text, `note ${text}`]);
    const csv = ['provision,national,comment', ...rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(','))].join('\n');
    const { data, problems, yaml } = await importText(`${csv}\n3(3),"=HYPERLINK(""x"")\u001b[31m\u0007","x\ny: injected\n# comment"\n`);
    expect(problems).toEqual([]);
    expect(articles(data.provisions['3(2)'])).toEqual(hostile.slice(0, 3));
    expect(articles(data.provisions['3(4)'])).toEqual(hostile.slice(3));
    expect(data.provisions['3(3)']).toEqual({ status: 'transposed', national: [{ source: 'table', article: '=HYPERLINK("x")[31m' }], notes: 'x\ny: injected\n# comment' });
    // Only the keys the import writes.
    expect(Object.keys(data)).toEqual(['format', 'directive', 'member_state', 'as_of', 'sources', 'provisions']);
    expect(yaml).not.toMatch(/^y: injected/m);
    const file = path.join(tempDir(), 'hostile.yaml');
    writeFileSync(file, yaml);
    const validated = await runCli(['validate', file]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
  });

  it('a cell that check --format csv neutralised with a leading quote gets it back', async () => {
    const { data } = await importText("provision,national_provisions,outcome,message\n3(4),'=CC art. 1,conform,'-5 years\n3(2),'s-Hertogenbosch Act,conform,\n");
    expect(articles(data.provisions['3(4)'])).toEqual(['=CC art. 1']);
    expect(data.provisions['3(4)']!.notes).toBe('-5 years');
    // A quote before anything else is the text's own.
    expect(articles(data.provisions['3(2)'])).toEqual(["'s-Hertogenbosch Act"]);
  });

  it('--output refuses to replace an existing file unless --force, and never the table itself', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'de.yaml');
    writeFileSync(file, 'keep me\n');
    const refused = await runCli(['import', fixture('import/with-sources.csv'), '--member-state', 'DE', '--output', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('refusing to overwrite');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(file, 'utf8')).toBe('keep me\n');
    const forced = await runCli(['import', fixture('import/with-sources.csv'), '--member-state', 'DE', '--output', file, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toMatch(/^# Measure file for DE/);
    const table = path.join(dir, 'table.csv');
    writeFileSync(table, 'provision,national\n3(4),CC art. 1\n');
    const onto = await runCli(['import', table, '--member-state', 'DE', '--output', table, '--force']);
    expect(onto.code).toBe(2);
    expect(onto.stderr).toContain('refusing to overwrite an input file');
    expect(readFileSync(table, 'utf8')).toBe('provision,national\n3(4),CC art. 1\n');
  });

  it('reads standard input for -', async () => {
    const { code, stdout } = await runCli(['import', '-', '--member-state', 'FR'], { stdin: 'provision;national\n3(4);Code pénal art. 222-22\n' });
    expect(code).toBe(0);
    expect((parse(stdout) as Imported).provisions['3(4)']!.national).toEqual([{ source: 'table', article: 'Code pénal art. 222-22' }]);
  });

  it.each([
    [['import', 'x.csv'], "required option '-m, --member-state <code>' not specified"],
    [['import', 'FIXTURE', '--member-state', 'GR'], 'the EU code for Greece is EL'],
    [['import', 'FIXTURE', '--member-state', 'UK'], 'left the EU'],
    [['import', 'FIXTURE', '--member-state', 'DE', '--as-of', '2024-02-30'], '--as-of must be a real date'],
    [['import', '/no/such/table.csv', '--member-state', 'DE'], '/no/such/table.csv: cannot read'],
    [['import', 'FIXTURE', '--member-state', 'DE', '--rules', '/no/such/rules'], 'cannot read the rule-set folder'],
    [['import', 'FIXTURE', '--member-state', 'DE', '--max-file-size', '10'], 'bytes, above the limit (--max-file-size)'],
    [['import', 'FIXTURE', '--member-state', 'DE', '--columns', 'colour=x'], '--columns: unknown column "colour=x"'],
  ])('exits 2 on bad usage: %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(argv.map((a) => (a === 'FIXTURE' ? fixture('import/with-sources.csv') : a)));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });

  it.each([
    ['empty.csv', '', 'empty.csv:1:1: the table is empty'],
    ['bom-only.csv', '\ufeff\r\n', 'bom-only.csv:1:1: the table is empty'],
    ['latin1.csv', Buffer.from('provision;national\n3(4);Strafgesetzbuch \xa7 176\n', 'latin1'), 'latin1.csv: the table is not valid UTF-8'],
    ['unclosed.csv', 'provision,national\n3(4),"CC art. 1\n3(2),CC art. 2\n', 'unclosed.csv:2:1: not a readable CSV table: the quoted cell that starts on this line is never closed'],
  ])('exits 2 on an unreadable table: %s', async (name, content, message) => {
    const table = path.join(tempDir(), name);
    writeFileSync(table, content);
    const { code, stdout, stderr } = await runCli(['import', table, '--member-state', 'DE']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
  });
});

describe('conformity import: round trip through check --format csv', () => {
  interface CsvRow {
    member_state: string;
    provision: string;
    rule: string;
    outcome: string;
    national_provisions: string;
    status: string;
    notes: string;
  }
  interface Finding {
    provision: string;
    rule: string;
    outcome: string;
    national: string[];
  }
  const unquote = (cell: string) => (/^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell);
  const split = (cell: string) => (unquote(cell) ? unquote(cell).split('; ') : []);
  /** The transposition status a check outcome stands for (outcomes that say nothing: by the national provisions). */
  const statusOf = (outcome: string, national: readonly string[]) =>
    outcome === 'not-assessed'
      ? 'not-assessed'
      : outcome === 'partially-conform'
        ? 'partial'
        : outcome === 'not-transposed' || national.length === 0
          ? 'not-transposed'
          : 'transposed';
  const rank = ['not-transposed', 'partial', 'transposed', 'not-assessed'];

  async function roundTrip(extra: string[]) {
    const dir = tempDir();
    const exported = await runCli(['check', fixture('measures/de'), '--format', 'csv', ...extra]);
    expect(exported.code).toBe(1);
    const table = path.join(dir, 'de.csv');
    writeFileSync(table, exported.stdout);
    const rows = (parseCsv(exported.stdout, { columns: true }) as CsvRow[]).filter((r) => r.member_state === 'DE');
    expect(rows.length).toBeGreaterThan(20);

    const imported = path.join(dir, 'de-imported.yaml');
    const run = await runCli(['import', table, '--member-state', 'DE', '--as-of', '2024-06-30', '--output', imported]);
    expect(run.stderr).not.toMatch(/:\d+:1: /);
    expect(run.code).toBe(0);
    const data = parse(readFileSync(imported, 'utf8')) as Imported;
    const checked = await runCli(['check', imported, '--format', 'json', '--all']);
    expect(checked.stderr).toBe('');
    const result = JSON.parse(checked.stdout).results[0] as { provisions: Record<string, string>; findings: Finding[] };
    return { rows, data, result };
  }

  it.each([[[] as string[]], [['--all']]])('check %j → csv → import → check: same provisions, statuses and national provisions', async (extra) => {
    const ruleset = await loadRuleSet();
    const { rows, data, result } = await roundTrip(extra);

    // The set of provisions.
    const provisions = [...new Set(rows.map((r) => r.provision))];
    expect(Object.keys(data.provisions).sort()).toEqual([...provisions].sort());

    let compared = 0;
    for (const key of provisions) {
      const ofKey = rows.filter((r) => r.provision === key);
      // National provision texts: the table's, each once, and check cites them from the imported file.
      const national = [...new Set(ofKey.flatMap((r) => split(r.national_provisions)))];
      expect(articles(data.provisions[key]), key).toEqual(national);
      for (const finding of result.findings.filter((f) => f.provision === key)) {
        expect(finding.national.map((n) => n.replace(`${TABLE_SOURCE_TITLE} `, '')), key).toEqual(national);
      }
      // The transposition status.
      // The status column as check wrote it (a status needing a national provision without one is imported as not-transposed).
      const recorded = (r: CsvRow) => (national.length === 0 && ['transposed', 'partial'].includes(r.status) ? 'not-transposed' : r.status || statusOf(r.outcome, national));
      const status = rank.find((s) => ofKey.some((r) => recorded(r) === s));
      expect(`${key} ${data.provisions[key]!.status}`).toBe(`${key} ${status}`);
      // Where the outcome depends on nothing but the status (a rule without checks or conditions), it is the same.
      for (const row of ofKey) {
        const rule = ruleset.rules.find((r) => r.id === row.rule)!;
        if (rule.checks.length || rule.appliesWhen || !['conform', 'partially-conform', 'not-transposed', 'not-applicable'].includes(row.outcome)) continue;
        // An assessed outcome (an assessment is not imported) is not the status's.
        if (row.outcome !== 'not-applicable' && statusOf(row.outcome, national) !== recorded(row)) continue;
        const finding = result.findings.find((f) => f.rule === row.rule);
        expect(`${row.rule} ${finding?.outcome}`).toBe(`${row.rule} ${row.outcome}`);
        compared++;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(extra.length ? 40 : 10);
    // Provisions the table did not name are not in the file; chapeaux are derived from their paragraphs, whatever they are.
    const chapeaux = new Set(ruleset.rules.filter((r) => r.derivedFrom).map((r) => r.provision));
    for (const key of ruleset.provisions) if (!provisions.includes(key) && !chapeaux.has(key)) expect(result.provisions[key], key).toMatch(/^not-transposed$|^not-applicable$|^not-assessed$|^incomplete$/);
  });

  it('a table of several Member States: only the chosen one\'s rows are imported, the others skipped with a note', async () => {
    const exported = await runCli(['check', fixture('measures'), '--format', 'csv']);
    const table = path.join(tempDir(), 'all.csv');
    writeFileSync(table, exported.stdout);
    const { code, stderr, data } = await importFile(table, ['--member-state', 'MT', '--as-of', '2024-06-30']);
    expect(code).toBe(0);
    expect(stderr).toMatch(/^conformity: skipped \d+ row\(s\) for DE(, \d+ row\(s\) for [A-Z]{2})* \(only MT's rows are imported\)$/m);
    expect(data.member_state).toBe('MT');
    const mt = (parseCsv(exported.stdout, { columns: true }) as CsvRow[]).filter((r) => r.member_state === 'MT');
    expect(Object.keys(data.provisions).sort()).toEqual([...new Set(mt.map((r) => r.provision))].sort());
    // None of the table's rows is for this Member State: a problem, exit 1.
    const none = await runCli(['import', table, '--member-state', 'SE']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/:2:1: no row of the table is for SE; its rows are for DE, (FI, )?MT/);
  });
});
