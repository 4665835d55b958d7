import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { lint } from 'markdownlint/promise';
import { describe, expect, it } from 'vitest';
import { classify, compareResults, type DiffResult } from '../src/diff/compare.js';
import { formatDiffMarkdown, formatDiffText, toDiffJson } from '../src/diff/format.js';
import type { Outcome } from '../src/types.js';
import { fixture, runCli, tempFolders } from './helpers.js';

const newTempFolder = tempFolders('diff');

// ---------------------------------------------------------------------------------------------
// Workspaces: OLD and NEW are copies of fixtures/measures/de, edited per case.

const OFFENCES = 'offences.yaml';
const VICTIMS = 'victims-and-prevention.yaml';

interface Workspace {
  root: string;
  old: string;
  new: string;
}

function workspace(): Workspace {
  const root = newTempFolder();
  const ws = { root, old: path.join(root, 'old'), new: path.join(root, 'new') };
  cpSync(fixture('measures/de'), ws.old, { recursive: true });
  cpSync(fixture('measures/de'), ws.new, { recursive: true });
  return ws;
}

/** Replaces `from` by `to` in a file, and fails loudly if `from` is not there (a fixture changed). */
function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
  writeFileSync(file, text.replace(from, to));
}

const RAISE_3_6 = ['max_penalty_years: 5          # below the 10 years required for younger children', 'max_penalty_years: 10'] as const;
const LOWER_3_4 = ['in_force_from: 2021-07-01, max_penalty_years: 10 }', 'in_force_from: 2021-07-01, max_penalty_years: 3 }'] as const;
// 5(7) is absent from the DE fixture (not assessed): these write it as not taken up, or taken up.
const OPTION_5_7 = '  # 5(7) and 5(8): not described (not assessed)\n';
const NOT_TAKEN_UP_5_7 = [OPTION_5_7, '  "5(7)": { status: not-transposed }\n'] as const;
const TAKE_UP_5_7 = [OPTION_5_7, '  "5(7)": { status: transposed, national: [{ source: cc, article: "s. 133" }], exemption_within_conditions: true }\n'] as const;
const DESCRIBE_5_7_WITHOUT_CONDITION = [OPTION_5_7, '  "5(7)": { status: transposed, national: [{ source: cc, article: "s. 133" }] }\n'] as const;

interface JsonChange {
  member_state: string;
  provision: string;
  rule: string;
  old: Outcome | null;
  new: Outcome | null;
  direction: string;
  message: string;
}

async function diffJson(args: string[]) {
  const run = await runCli(['diff', ...args, '--format', 'json']);
  return { ...run, json: run.stdout ? (JSON.parse(run.stdout) as ReturnType<typeof toDiffJson>) : undefined };
}

const pick = (changes: JsonChange[]) => changes.map((c) => [c.member_state, c.provision, c.old, c.new, c.direction]);

// ---------------------------------------------------------------------------------------------

describe('classify: worst to best, not-applicable off the scale', () => {
  it.each<[Outcome, Outcome, string]>([
    ['not-transposed', 'not-conform', 'better'],
    ['not-conform', 'incomplete', 'better'],
    ['incomplete', 'partially-conform', 'better'],
    ['partially-conform', 'conform', 'better'],
    ['not-transposed', 'conform', 'better'],
    ['conform', 'partially-conform', 'worse'],
    ['partially-conform', 'incomplete', 'worse'],
    ['incomplete', 'not-conform', 'worse'],
    ['not-conform', 'not-transposed', 'worse'],
    ['conform', 'not-transposed', 'worse'],
    ['not-applicable', 'conform', 'changed'],
    ['conform', 'not-assessed', 'worse'],
    ['not-conform', 'not-assessed', 'better'],
    ['incomplete', 'not-assessed', 'changed'],
    ['not-assessed', 'incomplete', 'changed'],
    ['not-applicable', 'not-conform', 'changed'],
    ['conform', 'not-applicable', 'changed'],
    ['not-transposed', 'not-applicable', 'changed'],
    ['conform', 'conform', 'unchanged'],
    ['not-applicable', 'not-applicable', 'unchanged'],
  ])('%s → %s is %s', (old, now, direction) => {
    expect(classify(old, now)).toBe(direction);
  });
});

describe('diff directions and exit status (CLI, DE fixture copies)', () => {
  interface Case {
    name: string;
    setup: (ws: Workspace) => void;
    changes: (string | null)[][];
    code: number;
  }
  const cases: Case[] = [
    { name: 'identical sides: nothing listed, exit 0', setup: () => {}, changes: [], code: 0 },
    {
      name: 'better: 3(6) penalty raised to the threshold, exit 0',
      setup: (ws) => edit(path.join(ws.new, OFFENCES), ...RAISE_3_6),
      changes: [['DE', '3(6)', 'not-conform', 'conform', 'better']],
      code: 0,
    },
    {
      name: 'worse: 3(4) penalty lowered below the threshold, exit 1',
      setup: (ws) => edit(path.join(ws.new, OFFENCES), ...LOWER_3_4),
      changes: [['DE', '3(4)', 'conform', 'not-conform', 'worse']],
      code: 1,
    },
    {
      name: 'better and worse together: exit 1',
      setup: (ws) => {
        edit(path.join(ws.new, OFFENCES), ...RAISE_3_6);
        edit(path.join(ws.new, OFFENCES), ...LOWER_3_4);
      },
      changes: [
        ['DE', '3(4)', 'conform', 'not-conform', 'worse'],
        ['DE', '3(6)', 'not-conform', 'conform', 'better'],
      ],
      code: 1,
    },
    {
      name: 'worse, read the other way round, is better',
      setup: (ws) => edit(path.join(ws.old, OFFENCES), ...LOWER_3_4),
      changes: [['DE', '3(4)', 'not-conform', 'conform', 'better']],
      code: 0,
    },
    {
      name: 'changed: an optional provision taken up leaves not-applicable, exit 0',
      setup: (ws) => {
        edit(path.join(ws.old, OFFENCES), ...NOT_TAKEN_UP_5_7);
        edit(path.join(ws.new, OFFENCES), ...TAKE_UP_5_7);
      },
      changes: [['DE', '5(7)', 'not-applicable', 'conform', 'changed']],
      code: 0,
    },
    {
      name: 'changed: an optional provision dropped becomes not-applicable, exit 0',
      setup: (ws) => {
        edit(path.join(ws.old, OFFENCES), ...TAKE_UP_5_7);
        edit(path.join(ws.new, OFFENCES), ...NOT_TAKEN_UP_5_7);
      },
      changes: [['DE', '5(7)', 'conform', 'not-applicable', 'changed']],
      code: 0,
    },
    {
      // Not described, then described without whether the exemption stays within its conditions:
      // information missing on both sides, neither better nor worse.
      name: 'changed: an option first described without its condition goes from not assessed to incomplete, exit 0',
      setup: (ws) => edit(path.join(ws.new, OFFENCES), ...DESCRIBE_5_7_WITHOUT_CONDITION),
      changes: [['DE', '5(7)', 'not-assessed', 'incomplete', 'changed']],
      code: 0,
    },
    {
      name: 'appeared: NEW also describes FI, exit 0',
      setup: (ws) => cpSync(fixture('measures/fi.yaml'), path.join(ws.new, 'fi.yaml')),
      changes: [['FI', '2(a)', null, 'conform', 'appeared']],
      code: 0,
    },
    {
      name: 'disappeared: OLD described FI, NEW does not, exit 1',
      setup: (ws) => cpSync(fixture('measures/fi.yaml'), path.join(ws.old, 'fi.yaml')),
      changes: [['FI', '2(a)', 'conform', null, 'disappeared']],
      code: 1,
    },
  ];

  it.each(cases)('$name', async ({ setup, changes, code }) => {
    const ws = workspace();
    setup(ws);
    const run = await diffJson([ws.old, ws.new]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(code);
    const listed = pick(run.json!.changes);
    if (changes[0]?.[4] === 'appeared' || changes[0]?.[4] === 'disappeared') {
      // Every rule of the Member State is listed, and no other change.
      expect(listed[0]).toEqual(changes[0]);
      expect(listed.every((c) => c[0] === 'FI' && c[4] === changes[0]![4])).toBe(true);
      const counts = run.json!.summary;
      expect(counts[changes[0]![4] as 'appeared' | 'disappeared']).toBe(listed.length);
      expect(listed.length).toBeGreaterThan(100);
      expect(run.json!.member_states.map((m) => [m.member_state, m.status])).toEqual([
        ['DE', 'compared'],
        ['FI', changes[0]![4]],
      ]);
    } else {
      expect(listed).toEqual(changes);
    }
    expect(run.json!.summary.regression).toBe(code === 1);
  });

  it('text: per Member State, provision, old → new, direction, the NEW message, and a summary line', async () => {
    const ws = workspace();
    edit(path.join(ws.new, OFFENCES), ...RAISE_3_6);
    edit(path.join(ws.new, OFFENCES), ...LOWER_3_4);
    const { code, stdout, stderr } = await runCli(['diff', ws.old, ws.new]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    // The lowest national maximum in force, named, against the Directive's figure.
    expect(stdout).toMatch(/^ {2}3\(4\) +conform → not-conform +worse +lowest maximum below the Directive's: CC s\. 111 \(new\): 3 years, below the 5 years required \(child below the age of sexual consent\)$/m);
    expect(stdout).toMatch(/^ {2}3\(6\) +not-conform → conform +better/m);
    expect(stdout).toContain('\nDE: 1 worse, 1 better\n');
    expect(stdout).toContain('Regression: 1 outcome(s) worse');
    expect(stdout).toContain('not the law itself');
    expect(stdout).not.toContain('\u001b[');
  });

  it('lists a raised maximum behind an unchanged outcome and exits 0 (a diff differing only in a penalty)', async () => {
    const ws = workspace();
    edit(path.join(ws.new, OFFENCES), 'in_force_from: 2021-07-01, max_penalty_years: 10 }', 'in_force_from: 2021-07-01, max_penalty_years: 15 }');
    const { code, stdout, stderr } = await runCli(['diff', ws.old, ws.new]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('  Law changes:\n    3(4): CC s. 111 (new) maximum 10 → 15 years; conform → conform\n');
    expect(stdout).toContain('DE: no outcome changed');
    const { json } = await diffJson([ws.old, ws.new]);
    expect(json!.changes).toEqual([]);
    expect((json as unknown as { law_changes: unknown[] }).law_changes).toEqual([
      { member_state: 'DE', provision: '3(4)', kind: 'penalty-raised', text: 'CC s. 111 (new) maximum 10 → 15 years', old: 'conform', new: 'conform' },
    ]);
    const markdown = (await runCli(['diff', ws.old, ws.new, '--format', 'markdown'])).stdout;
    expect(markdown).toContain('| 3(4) | CC s. 111 (new) maximum 10 → 15 years | conform | conform |');
  });

  it('lists references added, removed and renumbered, a lowered maximum, and assessments added', async () => {
    const ws = workspace();
    // Renumbered: s. 112(1) becomes s. 112a(1); removed: the old 3(4) reference; added: a new one.
    edit(path.join(ws.new, OFFENCES), 'national: [{ source: cc, article: "s. 112(1)" }]', 'national: [{ source: cc, article: "s. 112a(1)" }]');
    edit(
      path.join(ws.new, OFFENCES),
      '      - { source: cc, article: "s. 111 (old)", in_force_until: 2021-06-30, max_penalty_years: 3 }\n      - { source: cc, article: "s. 111 (new)", in_force_from: 2021-07-01, max_penalty_years: 10 }',
      '      - { source: cc, article: "s. 111 (new)", in_force_from: 2021-07-01, max_penalty_years: 8 }\n      - { source: ccp, article: "s. 9", max_penalty_years: 12 }',
    );
    edit(
      path.join(ws.new, OFFENCES),
      '  "3(5)(i)":\n    status: transposed',
      '  "3(5)(i)":\n    assessment: { outcome: conform, reason: Checked against the case law., by: analyst, date: 2024-01-01 }\n    status: transposed',
    );
    const { json, code } = await diffJson([ws.old, ws.new]);
    const laws = (json as unknown as { law_changes: { provision: string; kind: string; text: string }[] }).law_changes;
    expect(laws.filter((c) => c.provision === '3(4)' || c.provision === '3(5)(i)').map((c) => `${c.provision} ${c.kind}: ${c.text}`)).toEqual([
      '3(4) penalty-lowered: CC s. 111 (new) maximum 10 → 8 years',
      '3(4) reference-removed: reference removed: CC s. 111 (old) (maximum 3 years)',
      '3(4) reference-added: reference added: CCP s. 9 (maximum 12 years)',
      '3(5)(i) reference-renumbered: CC s. 112(1) renumbered as s. 112a(1)',
      '3(5)(i) assessment-added: assessment added: conform (2024-01-01)',
    ]);
    // Law changes alone never make a regression.
    expect(json!.summary.regression).toBe(code === 1);
  });

  it('names the rule where a provision has several (25(1))', async () => {
    const ws = workspace();
    edit(path.join(ws.new, VICTIMS), '  "25(1)":\n    status: transposed', '  "25(1)":\n    status: partial');
    const { json, code } = await diffJson([ws.old, ws.new]);
    expect(code).toBe(1);
    expect(json!.changes.map((c) => [c.provision, c.rule, c.direction])).toEqual([
      ['25(1)', 'removal-of-pages-hosted-inside', 'worse'],
      ['25(1)', 'removal-of-pages-hosted-outside', 'worse'],
    ]);
    const text = (await runCli(['diff', ws.old, ws.new])).stdout;
    expect(text).toContain('25(1) (removal-of-pages-hosted-inside)');
    expect(text).toContain('DE: 2 worse');
  });

  it('colours the text only on request, never into --output', async () => {
    const ws = workspace();
    edit(path.join(ws.new, OFFENCES), ...LOWER_3_4);
    expect((await runCli(['diff', ws.old, ws.new], { env: { FORCE_COLOR: '1' } })).stdout).toContain('\u001b[31m');
    const out = path.join(ws.root, 'diff.txt');
    await runCli(['diff', ws.old, ws.new, '--output', out], { env: { FORCE_COLOR: '1' } });
    expect(readFileSync(out, 'utf8')).not.toContain('\u001b[');
  });
});

describe('bad input on either side: exit 2, the side named, no diff', () => {
  const UNKNOWN_PROVISION = ['  "2(a)":', '  "2(z)":'] as const;
  it.each<[string, 'old' | 'new', string]>([
    ['OLD has an unknown provision', 'old', 'conformity: OLD ('],
    ['NEW has an unknown provision', 'new', 'conformity: NEW ('],
  ])('%s', async (_name, side, header) => {
    const ws = workspace();
    edit(path.join(ws[side], OFFENCES), ...UNKNOWN_PROVISION);
    const out = path.join(ws.root, 'diff.json');
    const { code, stdout, stderr } = await runCli(['diff', ws.old, ws.new, '--format', 'json', '--output', out]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`${header}${ws[side]}) has input errors`);
    expect(stderr).toMatch(new RegExp(`${path.join(ws[side], OFFENCES).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: unknown provision "2\\(z\\)"`));
    expect(stderr).toContain('input error(s) in 1 file(s)');
    expect(stderr).not.toContain(side === 'old' ? 'conformity: NEW (' : 'conformity: OLD (');
    expect(existsSync(out)).toBe(false);
  });

  it('reports both sides when both are bad', async () => {
    const ws = workspace();
    edit(path.join(ws.old, OFFENCES), ...UNKNOWN_PROVISION);
    edit(path.join(ws.new, VICTIMS), 'status: transposed', 'status: done');
    const { code, stderr } = await runCli(['diff', ws.old, ws.new]);
    expect(code).toBe(2);
    expect(stderr).toContain('conformity: OLD (');
    expect(stderr).toContain('conformity: NEW (');
  });

  it('reports OLD\'s input errors even when NEW is missing', async () => {
    const ws = workspace();
    edit(path.join(ws.old, OFFENCES), ...UNKNOWN_PROVISION);
    const { code, stderr } = await runCli(['diff', ws.old, path.join(ws.root, 'nope')]);
    expect(code).toBe(2);
    expect(stderr).toContain(`conformity: OLD (${ws.old}) has input errors`);
    expect(stderr).toContain('unknown provision "2(z)"');
    expect(stderr).toContain(`conformity: NEW: ${path.join(ws.root, 'nope')}: no such file or folder`);
  });

  it.each<[string, (ws: Workspace) => string[], string]>([
    ['a missing OLD', (ws) => [path.join(ws.root, 'nope'), ws.new], 'conformity: OLD: '],
    ['a missing NEW', (ws) => [ws.old, path.join(ws.root, 'nope')], 'conformity: NEW: '],
    ['a glob that matches nothing', (ws) => [ws.old, path.join(ws.root, '*.yml')], 'conformity: NEW: '],
    ['stdin on both sides', () => ['-', '-'], 'standard input (-) can be only one side'],
    ['one argument', (ws) => [ws.old], 'missing required argument'],
    ['an unknown format', (ws) => [ws.old, ws.new, '--format', 'sarif'], 'sarif'],
    ['an impossible --as-of', (ws) => [ws.old, ws.new, '--as-of', '2023-02-30'], '--as-of must be a real date'],
    ['a missing rule set', (ws) => [ws.old, ws.new, '--rules', path.join(ws.root, 'no-rules')], 'no-rules'],
  ])('exits 2 for %s', async (_name, args, message) => {
    const { code, stdout, stderr } = await runCli(['diff', ...args(workspace())]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});

describe('json', () => {
  it('has a stable shape', async () => {
    const ws = workspace();
    edit(path.join(ws.new, OFFENCES), ...LOWER_3_4);
    const { json } = await diffJson([ws.old, ws.new]);
    expect(Object.keys(json!)).toEqual(['tool', 'ruleset', 'as_of', 'old', 'new', 'member_states', 'changes', 'law_changes', 'summary', 'notes']);
    expect(json!.tool.name).toBe('conformity');
    expect(json!.as_of).toBeNull();
    expect(json!.old).toEqual({
      files: [path.join(ws.old, OFFENCES), path.join(ws.old, VICTIMS)],
      as_of: '2024-06-30',
      inputs: [
        { file: path.join(ws.old, OFFENCES), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
        { file: path.join(ws.old, VICTIMS), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ],
    });
    expect(json!.new.files).toEqual([path.join(ws.new, OFFENCES), path.join(ws.new, VICTIMS)]);
    expect(json!.member_states).toEqual([
      {
        member_state: 'DE',
        status: 'compared',
        old: { as_of: '2024-06-30', declared_as_of: '2024-06-30', files: json!.old.files },
        new: { as_of: '2024-06-30', declared_as_of: '2024-06-30', files: json!.new.files },
        summary: { better: 0, worse: 1, changed: 0, appeared: 0, disappeared: 0, unchanged: 115 },
      },
    ]);
    expect(json!.changes).toEqual([
      {
        member_state: 'DE',
        provision: '3(4)',
        rule: expect.any(String),
        article_title: expect.any(String),
        old: 'conform',
        new: 'not-conform',
        direction: 'worse',
        message: "lowest maximum below the Directive's: CC s. 111 (new): 3 years, below the 5 years required (child below the age of sexual consent)",
      },
    ]);
    expect(json!.summary).toEqual({ better: 0, worse: 1, changed: 0, appeared: 0, disappeared: 0, unchanged: 115, regression: true });
    expect(json!.notes).toEqual([]);
  });

  it('compares the latest version where a side holds several, and says so', async () => {
    const ws = workspace();
    // An older DE version on the OLD side, with a worse 3(4): it must not be the one compared.
    for (const name of [OFFENCES, VICTIMS]) {
      const copy = path.join(ws.old, `2020-${name}`);
      cpSync(path.join(ws.old, name), copy);
      edit(copy, 'as_of: 2024-06-30', 'as_of: 2020-01-01');
    }
    edit(path.join(ws.old, `2020-${OFFENCES}`), ...LOWER_3_4);
    const { json, code } = await diffJson([ws.old, ws.new]);
    expect(code).toBe(0);
    expect(json!.changes).toEqual([]);
    expect(json!.member_states[0]!.old!.declared_as_of).toBe('2024-06-30');
    expect(json!.notes).toEqual([
      {
        side: 'old',
        member_state: 'DE',
        compared_as_of: '2024-06-30',
        skipped_as_of: ['2020-01-01'],
        message: 'OLD has 2 versions of DE (as_of 2020-01-01, 2024-06-30); compared the latest, 2024-06-30.',
      },
    ]);
    expect((await runCli(['diff', ws.old, ws.new])).stdout).toContain('Note: OLD has 2 versions of DE');
  });
});

describe('--as-of evaluates both sides at one date', () => {
  // NEW records a reform of 3(6): the old section until the end of 2024, a conform one from 2025.
  // NEW's as_of is 2025-06-30, so without --as-of it is evaluated after the reform.
  function reform(): Workspace {
    const ws = workspace();
    for (const name of [OFFENCES, VICTIMS]) edit(path.join(ws.new, name), 'as_of: 2024-06-30', 'as_of: 2025-06-30');
    edit(
      path.join(ws.new, OFFENCES),
      '    national: [{ source: cc, article: "s. 114" }]\n    max_penalty_years: 5          # below the 10 years required for younger children',
      [
        '    national:',
        '      - { source: cc, article: "s. 114 (old)", in_force_until: 2024-12-31, max_penalty_years: 5 }',
        '      - { source: cc, article: "s. 114 (new)", in_force_from: 2025-01-01, max_penalty_years: 12 }',
      ].join('\n'),
    );
    return ws;
  }

  it.each<[string, string[], string | null, string, string, (string | null)[][], number]>([
    ['each side at its own as_of', [], null, '2024-06-30', '2025-06-30', [['DE', '3(6)', 'not-conform', 'conform', 'better']], 0],
    ['both before the reform', ['--as-of', '2024-12-31'], '2024-12-31', '2024-12-31', '2024-12-31', [], 0],
    ['both after the reform', ['--as-of', '2025-01-01'], '2025-01-01', '2025-01-01', '2025-01-01', [['DE', '3(6)', 'not-conform', 'conform', 'better']], 0],
    // On 2021-01-01 both sides have s. 111 (old), 3 years, for 3(4), and 3(6) before its reform: nothing changed.
    ['both before 3(4) was in force', ['--as-of', '2021-01-01'], '2021-01-01', '2021-01-01', '2021-01-01', [], 0],
  ])('%s', async (_name, flags, asOf, oldDate, newDate, changes, code) => {
    const ws = reform();
    const { json, code: exit, stderr } = await diffJson([ws.old, ws.new, ...flags]);
    expect(stderr).toBe('');
    expect(exit).toBe(code);
    expect(json!.as_of).toBe(asOf);
    expect([json!.old.as_of, json!.new.as_of]).toEqual([oldDate, newDate]);
    expect([json!.member_states[0]!.old!.as_of, json!.member_states[0]!.new!.as_of]).toEqual([oldDate, newDate]);
    expect(json!.member_states[0]!.new!.declared_as_of).toBe('2025-06-30');
    expect(pick(json!.changes)).toEqual(changes);
  });

  it('a description recording nothing in force on --as-of leaves the provision not assessed on that date: worse than conform', async () => {
    // NEW, as of 2024-06-30, records for 3(4) only a provision in force from 2024-01-01 and nothing
    // before it. On 2023-06-30 it does not say what the law was: not assessed, never "not transposed".
    const ws = workspace();
    edit(path.join(ws.new, OFFENCES), 'in_force_from: 2021-07-01, max_penalty_years: 10 }', 'in_force_from: 2024-01-01, max_penalty_years: 10 }');
    edit(path.join(ws.new, OFFENCES), '- { source: cc, article: "s. 111 (old)", in_force_until: 2021-06-30, max_penalty_years: 3 }\n', '');
    expect((await diffJson([ws.old, ws.new])).json!.changes).toEqual([]);
    const { json, code } = await diffJson([ws.old, ws.new, '--as-of', '2023-06-30']);
    expect(code).toBe(1);
    expect(pick(json!.changes)).toEqual([['DE', '3(4)', 'conform', 'not-assessed', 'worse']]);
    expect(json!.changes[0]!.message).toBe('CC s. 111 (new) in force from 2024-01-01, with no earlier provision recorded; the description is as of 2024-06-30');
  });
});

describe('--output and standard input', () => {
  it('writes the whole diff to --output and nothing to standard output', async () => {
    const ws = workspace();
    edit(path.join(ws.new, OFFENCES), ...LOWER_3_4);
    const out = path.join(ws.root, 'diff.md');
    const { code, stdout } = await runCli(['diff', ws.old, ws.new, '--format', 'markdown', '--output', out]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^# Conformity diff/);
    expect(readdirSync(ws.root).sort()).toEqual(['diff.md', 'new', 'old']);
  });

  it('refuses to overwrite an input of either side', async () => {
    const ws = workspace();
    const input = path.join(ws.old, OFFENCES);
    const before = readFileSync(input, 'utf8');
    const { code, stderr } = await runCli(['diff', ws.old, ws.new, '--output', input]);
    expect(code).toBe(2);
    expect(stderr).toContain('refusing to overwrite an input file');
    expect(readFileSync(input, 'utf8')).toBe(before);
  });

  it('reads one side from standard input', async () => {
    const fi = readFileSync(fixture('measures/fi.yaml'), 'utf8');
    const { code, json } = await (async () => {
      const run = await runCli(['diff', '-', fixture('measures/fi.yaml'), '--format', 'json'], { stdin: fi });
      return { ...run, json: JSON.parse(run.stdout) as ReturnType<typeof toDiffJson> };
    })();
    expect(code).toBe(0);
    expect(json.old.files).toEqual(['<stdin>']);
    expect(json.summary.unchanged).toBeGreaterThan(100);
  });
});

// ---------------------------------------------------------------------------------------------
// Formats over a hand-made diff with hostile text (measure files are untrusted).

const HOSTILE = 'x\u001b[31mRED\u001b[0m | <script>alert(1)</script>\n::error::forged @someone #12 *em* [l](javascript:x) www.evil.invalid';

function hostileDiff(): DiffResult {
  const counts = { better: 1, worse: 1, changed: 0, appeared: 0, disappeared: 0, unchanged: 114 };
  return {
    tool: { name: 'conformity', version: '0.0.0' },
    ruleset: { id: '2011-93-eu', directive: '2011/93/EU', version: '1', hash: 'abcdef0123456789', title: 't' },
    old: { inputs: [{ name: `old/${HOSTILE}.yaml`, sha256: 'a'.repeat(64) }], evaluatedAt: '2024-06-30' },
    new: { inputs: [{ name: 'new/de.yaml', sha256: 'b'.repeat(64) }] },
    memberStates: [
      {
        memberState: 'DE',
        status: 'compared',
        old: { declaredAsOf: '2024-06-30', evaluatedAt: '2024-06-30', files: [`old/${HOSTILE}.yaml`] },
        new: { declaredAsOf: '2025-01-01', evaluatedAt: '2025-01-01', files: ['new/de.yaml'] },
        counts,
      },
      {
        memberState: 'FI',
        status: 'disappeared',
        old: { declaredAsOf: '2024-06-30', evaluatedAt: '2024-06-30', files: ['old/fi.yaml'] },
        counts: { ...counts, better: 0, worse: 0, unchanged: 0, disappeared: 1 },
      },
    ],
    changes: [
      { memberState: 'DE', provision: '3(4)', rule: 'r1', articleTitle: 'Offences | abuse', provisionRules: 1, old: 'conform', new: 'not-conform', direction: 'worse', message: HOSTILE },
      { memberState: 'DE', provision: '25(1)', rule: 'r2', articleTitle: 'Websites', provisionRules: 2, old: 'not-conform', new: 'conform', direction: 'better', message: '' },
      { memberState: 'FI', provision: '2(a)', rule: 'r3', articleTitle: 'Definitions', provisionRules: 1, old: 'conform', new: null, direction: 'disappeared', message: 'ok' },
    ],
    lawChanges: [{ memberState: 'DE', provision: '3(4)', kind: 'penalty-raised', text: `${HOSTILE} maximum 10 → 15 years`, old: 'conform', new: 'conform' }],
    summary: { better: 1, worse: 1, changed: 0, appeared: 0, disappeared: 1, unchanged: 114 },
    notes: [{ side: 'new', memberState: 'DE', compared: '2025-01-01', skipped: ['2024-01-01'] }],
    regression: true,
  };
}

async function lintMarkdown(markdown: string): Promise<string[]> {
  const results = await lint({ strings: { diff: markdown }, config: { default: true, MD013: false } });
  return (results.diff ?? []).map((e) => `${e.lineNumber}: ${e.ruleNames.join('/')} ${e.ruleDescription} ${e.errorDetail ?? ''}`);
}

describe('markdown', () => {
  it('is lint-clean and escapes untrusted text (hand-made diff)', async () => {
    const markdown = formatDiffMarkdown(hostileDiff());
    expect(await lintMarkdown(markdown)).toEqual([]);
    expect(markdown).not.toMatch(/[<>\u001b]/);
    expect(markdown).not.toContain('\n::error');
    expect(markdown).toContain('@&#8203;someone');
    expect(markdown).toContain('\\*em\\*');
    // Every table row has as many cells as its header: no pipe from the input ends a cell.
    for (const table of markdown.split('\n\n').filter((b) => b.startsWith('|'))) {
      const widths = table.split('\n').map((line) => line.replace(/\\\|/g, '').split('|').length);
      expect(new Set(widths).size).toBe(1);
    }
    expect(markdown.endsWith('\n') && !markdown.endsWith('\n\n')).toBe(true);
  });

  it.each<[string, (ws: Workspace) => void]>([
    ['no change', () => {}],
    ['better and worse', (ws) => {
      edit(path.join(ws.new, OFFENCES), ...RAISE_3_6);
      edit(path.join(ws.new, OFFENCES), ...LOWER_3_4);
    }],
    ['a Member State appeared', (ws) => cpSync(fixture('measures/fi.yaml'), path.join(ws.new, 'fi.yaml'))],
    ['a Member State disappeared', (ws) => cpSync(fixture('measures/fi.yaml'), path.join(ws.old, 'fi.yaml'))],
  ])('is lint-clean from the CLI: %s', async (_name, setup) => {
    const ws = workspace();
    setup(ws);
    const { stdout } = await runCli(['diff', ws.old, ws.new, '--format', 'markdown']);
    expect(await lintMarkdown(stdout)).toEqual([]);
    expect(stdout).toMatch(/^# Conformity diff: 2011\/93\/EU\n/);
    expect(stdout).toContain('## Summary');
  });
});

describe('text', () => {
  it('passes untrusted text through terminalSafe', () => {
    const text = formatDiffText(hostileDiff());
    expect(text).not.toContain('\u001b');
    expect(text).not.toMatch(/^::error/m);
    expect(text).toContain('25(1) (r2)');
    expect(text).toContain('DE: 1 worse, 1 better');
    expect(text).toContain('FI: 1 disappeared');
    expect(text).toContain('Note: NEW has 2 versions of DE (as_of 2024-01-01, 2025-01-01); compared the latest, 2025-01-01.');
  });
});

describe('compareResults (pure)', () => {
  it('does not depend on the order of results within a side', async () => {
    const ws = workspace();
    cpSync(fixture('measures/fi.yaml'), path.join(ws.old, 'fi.yaml'));
    const { check } = await import('../src/check.js');
    const old = await check({ paths: [ws.old] });
    const now = await check({ paths: [ws.new] });
    const forward = compareResults(old, now);
    const reversed = compareResults({ ...old, results: [...old.results].reverse() }, now);
    expect(toDiffJson(reversed)).toEqual(toDiffJson(forward));
    expect(forward.memberStates.map((m) => m.status)).toEqual(['compared', 'disappeared']);
    expect(forward.regression).toBe(true);
  });
});
