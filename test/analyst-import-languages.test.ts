import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { importTable } from '../src/analyst/import-table.js';
import { checkInputs } from '../src/check.js';
import { formatCsv } from '../src/formats/csv.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, rawInput, runCli } from './helpers.js';

const ruleset = await loadRuleSet();
const dir = mkdtempSync(path.join(tmpdir(), 'conformity-import-lang-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Imported {
  sources?: Record<string, { title: string }>;
  provisions: Record<string, { status: string; national?: { source: string; article: string }[]; notes?: string }>;
}

const importCsv = (csv: string, file = 'table.csv') => {
  const result = importTable(csv, { file, memberState: 'DE', asOf: '2024-06-30', today: '2024-07-01', ruleset });
  return { ...result, data: parse(result.yaml) as Imported };
};

describe('correlation tables in the Member States\' languages', () => {
  it.each([
    ['de-entsprechungstabelle.csv', 9, { '2(a)': 'transposed', '2(c)(i)': 'transposed', '3(1)': 'transposed', '3(4)': 'transposed', '3(5)(ii)': 'partial', '5(2)': 'transposed', '6(1)': 'transposed', '19(1)': 'partial', '25(2)': 'not-transposed' }],
    ['fr-tableau-de-correspondance.csv', 8, { '2(a)': 'transposed', '3(1)': 'transposed', '3(4)': 'transposed', '3(5)(ii)': 'partial', '5(2)': 'transposed', '6(1)': 'transposed', '19(1)': 'transposed', '25(1)': 'transposed' }],
    ['it-tavola-di-concordanza.csv', 8, { '2(a)': 'transposed', '3(1)': 'transposed', '3(4)': 'transposed', '3(5)(ii)': 'partial', '5(2)': 'transposed', '6(1)': 'transposed', '19(1)': 'transposed', '25(1)': 'not-assessed' }],
  ])('%s: every row mapped, with its status', (name, rows, statuses) => {
    const { problems, data, rows: read } = importCsv(readFileSync(fixture(`import/${name}`), 'utf8'), name);
    expect(problems).toEqual([]);
    expect(read).toBe(rows);
    expect(Object.fromEntries(Object.entries(data.provisions).map(([key, entry]) => [key, entry.status]))).toEqual(statuses);
    for (const [key, entry] of Object.entries(data.provisions)) if (entry.status !== 'not-transposed') expect(entry.national?.length, key).toBeGreaterThan(0);
  });

  it.each(['de-entsprechungstabelle.csv', 'fr-tableau-de-correspondance.csv'])('%s: the imported file validates', async (name) => {
    const out = path.join(dir, `${name}.yaml`);
    const imported = await runCli(['import', fixture(`import/${name}`), '--member-state', 'DE', '--as-of', '2024-06-30', '--output', out]);
    expect(imported.code).toBe(0);
    const validated = await runCli(['validate', out]);
    expect(validated.stderr).toBe('');
    expect(validated.code).toBe(0);
  });

  it('keeps the German notes and the acts as sources', () => {
    const { data } = importCsv(readFileSync(fixture('import/de-entsprechungstabelle.csv'), 'utf8'));
    expect(data.provisions['6(1)']!.notes).toBe('Cybergrooming, auch "Versuch" strafbar');
    expect(Object.values(data.sources ?? {}).map((s) => s.title)).toEqual(['Strafgesetzbuch', 'Sozialgesetzbuch Achtes Buch']);
  });
});

describe('act names in any script', () => {
  const table = (names: readonly string[]) =>
    ['provision,national,source', ...names.map((name, i) => `3(4),art. ${i + 1},"${name}"`)].join('\n');

  it('gives Greek, Bulgarian and CJK act names distinct, stable ids', () => {
    const names = ['Ποινικός Κώδικας', 'Наказателен кодекс', '刑法', '刑事訴訟法', 'Code pénal'];
    const { data } = importCsv(table(names));
    const ids = Object.keys(data.sources!);
    expect(new Set(ids).size).toBe(5);
    expect(ids).toContain('code-penal');
    for (const id of ids.filter((id) => id !== 'code-penal')) expect(id).toMatch(/^act-[0-9a-f]{8}$/);
    expect(Object.keys(importCsv(table(names)).data.sources!)).toEqual(ids);
  });

  it('imports 180 KB of rows naming distinct non-Latin acts in linear time', () => {
    const names = Array.from({ length: 4000 }, (_, i) => `Νόμος ${'α'.repeat(10)} ${String.fromCodePoint(0x4e00 + i)} Закон`);
    const csv = table(names);
    expect(csv.length).toBeGreaterThan(150_000);
    const started = performance.now();
    const { data, problems } = importCsv(csv);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(problems.filter((p) => !/more than 500 national provisions/.test(p.message))).toEqual([]);
    expect(new Set(Object.keys(data.sources!)).size).toBe(Object.keys(data.sources!).length);
  });

  it('resolves colliding slugs with the next free suffix', () => {
    const { data } = importCsv(table(['Criminal Code', 'CRIMINAL CODE', 'criminal code!', 'Criminal-Code']));
    expect(Object.keys(data.sources!)).toEqual(['criminal-code', 'criminal-code-2', 'criminal-code-3', 'criminal-code-4']);
  });
});

describe('check --format csv → import keeps status and notes', () => {
  it('partial, not-assessed, transposed and not-transposed, with notes (line breaks and commas included)', () => {
    const result = checkInputs(
      [
        rawInput(
          'de.yaml',
          `format: 1
directive: 2011/93/EU
member_state: DE
as_of: 2024-06-30
sources:
  cc: { title: Criminal Code }
provisions:
  "3(2)":
    status: partial
    national: [{ source: cc, article: "§ 1" }]
    notes: |-
      only where the offender is an adult,
      see the commentary
  "3(4)": { status: transposed, national: [{ source: cc, article: "§ 2" }], notes: "=SUM(A1) kept as text" }
  "3(3)": { status: not-transposed }
  "3(6)": { status: not-assessed, notes: to research }
`,
        ),
      ],
      ruleset,
    );
    expect(result.diagnostics).toEqual([]);
    // What the measure file records travels with each finding (src/evaluate passes it on).
    const recorded: Record<string, { status: string; notes?: string }> = {
      '3(2)': { status: 'partial', notes: 'only where the offender is an adult,\nsee the commentary' },
      '3(4)': { status: 'transposed', notes: '=SUM(A1) kept as text' },
      '3(3)': { status: 'not-transposed' },
      '3(6)': { status: 'not-assessed', notes: 'to research' },
    };
    const csv = formatCsv(result, { all: true, color: false, columns: 80 });
    const { data, problems } = importCsv(csv);
    expect(problems).toEqual([]);
    for (const [key, { status, notes }] of Object.entries(recorded)) {
      expect(data.provisions[key]?.status, key).toBe(status);
      expect(data.provisions[key]?.notes, key).toBe(notes);
    }
  });

  it('without the recorded status, the outcome column gives it (partial from partially-conform)', () => {
    const result = checkInputs(
      [rawInput('de.yaml', 'format: 1\ndirective: 2011/93/EU\nmember_state: DE\nas_of: 2024-06-30\nsources:\n  cc: { title: CC }\nprovisions:\n  "19(1)": { status: partial, national: [{ source: cc, article: "§ 1" }] }\n')],
      ruleset,
    );
    const { data } = importCsv(formatCsv(result, { all: false, color: false, columns: 80 }));
    expect(data.provisions['19(1)']!.status).toBe('partial');
  });
});
