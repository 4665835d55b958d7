import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

/** The worked example from real law (examples/de): what each command shows on it, pinned. */
const example = (name: string) => fileURLToPath(new URL(`../examples/de/${name}`, import.meta.url));
const OLD = example('2021-06-30.yaml');
const NEW = example('2024-06-01.yaml');
const TODAY = ['--today', '2026-12-01'];

interface Finding {
  provision: string;
  outcome: string;
  message: string;
  penalty_comparisons?: { national: string; national_years: number; required_years: number; verdict: string; group: string | null }[];
}

async function checkJson(file: string) {
  const run = await runCli(['check', file, '--format', 'json', '--all', ...TODAY]);
  expect(run.stderr).toBe('');
  const [result] = JSON.parse(run.stdout).results as [{ provisions: Record<string, string>; findings: Finding[] }];
  return { code: run.code, result, finding: (p: string) => result.findings.find((f) => f.provision === p)! };
}

// Every penalty provision of Articles 3 to 6 the example describes, with the binding national figure
// per age group: [provision, group, national provision, its maximum, the Directive's minimum maximum].
const PENALTIES_2024: [string, 'below' | 'above', string, number, number][] = [
  ['3(2)', 'below', 'StGB § 176a(1) Nr. 1', 10, 1],
  ['3(3)', 'below', 'StGB § 176a(1) Nr. 1', 10, 2],
  ['3(4)', 'below', 'StGB § 176(1) Nr. 1', 15, 5],
  ['3(5)(i)', 'below', 'StGB § 176(1) Nr. 1', 15, 8],
  ['3(5)(i)', 'above', 'StGB § 174(1) Satz 1 Nr. 1-3', 5, 3],
  ['3(5)(iii)', 'above', 'StGB § 177(2) Nr. 5', 5, 5],
  ['4(4)', 'below', 'StGB § 184e(2)', 5, 2],
  ['4(4)', 'above', 'StGB § 184e(2)', 2, 1],
  ['5(2)', 'below', 'StGB § 184b(3)', 5, 1],
  ['5(2)', 'above', 'StGB § 184c(3)', 2, 1],
  ['5(6)', 'below', 'StGB § 184b(1) Satz 1 Nr. 3', 10, 3],
  ['6(1)', 'below', 'StGB § 176b(1) Nr. 1', 5, 1],
];

describe('examples/de: German law before and after the reform of 1 July 2021', () => {
  it('check 2024-06-01: every penalty provision described is conform, each finding naming the figures it compared', async () => {
    const { code, result, finding } = await checkJson(NEW);
    // Not every provision is described (the rest is not assessed): no error, so exit 0.
    expect(code).toBe(0);
    for (const key of ['3(2)', '3(3)', '3(4)', '3(5)(i)', '3(5)(ii)', '3(5)(iii)', '3(6)', '4(2)', '4(4)', '4(5)', '4(7)', '5(2)', '5(3)', '5(4)', '5(5)', '5(6)', '6(1)']) {
      expect(`${key} ${result.provisions[key]}`).toBe(`${key} conform`);
    }
    expect(result.provisions['4(3)']).toBe('not-assessed');
    for (const [key, group, national, years, required] of PENALTIES_2024) {
      const comparison = finding(key).penalty_comparisons!.find((c) => c.group?.startsWith(`child ${group === 'below' ? 'below' : 'at or above'}`));
      expect(comparison, `${key} ${group}`).toMatchObject({ national, national_years: years, required_years: required });
      expect(finding(key).message).toContain(`${national}: ${years} year`);
    }
    // A figure exactly at the Directive's minimum is marked as such.
    expect(finding('3(5)(iii)').message).toContain('StGB § 177(2) Nr. 5: 5 years, at the minimum: 5 years required');
  });

  it('check 2021-06-30: the pre-reform maxima are compared (e.g. § 176(1): 10 years; § 184b(3) a.F.: 3 years)', async () => {
    const { code, result, finding } = await checkJson(OLD);
    expect(code).toBe(0);
    expect(result.provisions['3(4)']).toBe('conform');
    expect(finding('3(4)').message).toContain('StGB § 176(1): 10 years, above the 5 years required');
    expect(finding('5(2)').message).toContain('StGB § 184b(3): 3 years, above the 1 year required');
    // Before the reform, making a child witness sexual abuse was § 176(4) Nr. 1 (up to 5 years).
    expect(finding('3(3)').message).toContain('StGB § 176(4) Nr. 1: 5 years');
  });

  it('diff 2021-06-30 → 2024-06-01 lists the raised maxima even where outcomes do not change, and exits 0', async () => {
    const run = await runCli(['diff', OLD, NEW, ...TODAY]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('3(5)(ii): StGB § 176(1) Nr. 1 maximum (below consent) 10 → 15 years; conform → conform');
    expect(run.stdout).toContain('5(2): StGB § 184b(3) maximum (below consent) 3 → 5 years; conform → conform');
    expect(run.stdout).toContain('No regression');
  });

  it('report --timeline 2021-06-30,2021-07-01,2024-06-01 shows no false worsening on the day the reform entered into force', async () => {
    const run = await runCli(['report', '--timeline', '2021-06-30,2021-07-01,2024-06-01', '--format', 'markdown', '--member-state', 'DE', example(''), ...TODAY]);
    expect(run.code).toBe(0);
    const rows = run.stdout.split('\n').filter((l) => /^\| 20\d\d-\d\d-\d\d \| 20/.test(l));
    expect(rows).toHaveLength(3);
    // Columns: date, measures as of, C, PC, NC, NT, I, NAS, NA, not conform, change.
    const notConform = rows.map((r) => r.split('|').map((c) => c.trim())[10]);
    expect(notConform).toEqual(['0', '0', '0']);
    // On 2021-07-01 the 2021 description is out of date where the reform replaced its provisions: not assessed, never not transposed.
    const [, onReformDay] = rows.map((r) => r.split('|').map((c) => c.trim()));
    expect(onReformDay![2]).toBe('2021-06-30');
    expect(onReformDay![6]).toBe('0');
  });

  it("report shows Germany's real procedure INFR(2019)2190 (letter of formal notice, 25 July 2019) from the shipped data", async () => {
    const run = await runCli(['report', '--format', 'markdown', example(''), ...TODAY]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('DE: procedure INFR(2019)2190');
    expect(run.stdout).toMatch(/\| 2019-07-25 \| Letter of formal notice \| INFR\(2019\)2190 \|/);
  });
});
