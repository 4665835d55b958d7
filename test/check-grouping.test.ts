import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, predictSetKey, type PlannedGroup } from '../src/check.js';
import { tempFolders } from './helpers.js';

const newTempFolder = tempFolders('groups');

const SOURCES = 'sources: { code: { title: Code } }';
const entry = (key: string) => `"${key}": { status: transposed, national: [{ source: code, article: "1" }] }`;

function folder(files: Record<string, string>): string {
  const dir = newTempFolder();
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const block = (memberState: string, asOf: string, key: string) =>
  `format: 1\ndirective: 2011/93/EU\nmember_state: ${memberState}\nas_of: ${asOf}\n${SOURCES}\nprovisions:\n  ${entry(key)}\n`;
const flow = (memberState: string, asOf: string, key: string) =>
  `{ format: 1, directive: 2011/93/EU, member_state: ${memberState}, as_of: ${asOf}, ${SOURCES.replace('sources: ', 'sources: ')}, provisions: { ${entry(key)} } }\n`;

describe('processing measure set by measure set', () => {
  it('guesses a set from header lines, and only from plain ones', () => {
    expect(predictSetKey(new TextEncoder().encode(block('DE', '2024-06-30', '3(1)')))).toBe('DE\x002011/93/EU\x002024-06-30');
    expect(predictSetKey(new TextEncoder().encode('member_state: "DE"  # comment\ndirective: 2011/93/EU\nas_of: 2024-06-30\n'))).toBe('DE\x002011/93/EU\x002024-06-30');
    // Quoted keys, as people write them: read from the header lines too.
    expect(predictSetKey(new TextEncoder().encode('"member_state": DE\n\'directive\': "2011/93/EU"\n"as_of": 2024-06-30\n'))).toBe('DE\x002011/93/EU\x002024-06-30');
    expect(predictSetKey(new TextEncoder().encode('"member_state\': DE\ndirective: 2011/93/EU\nas_of: 2024-06-30\n'))).toBeUndefined();
    expect(predictSetKey(new TextEncoder().encode(flow('DE', '2024-06-30', '3(1)')))).toBeUndefined();
  });

  it('merges a file whose header it could not read into its real set, whatever the order', async () => {
    // 7(1): a bare entry is conform (no fact to check); 3(1) would not do, a chapeau derived from its paragraphs.
    const dir = folder({ 'a.yaml': flow('DE', '2024-06-30', '7(1)'), 'b.yaml': block('DE', '2024-06-30', '3(2)'), 'c.yaml': block('FR', '2024-06-30', '3(1)') });
    const result = await check({ paths: [dir] });
    expect(result.diagnostics).toEqual([]);
    expect(result.results.map((r) => [r.memberState, r.files.map((f) => path.basename(f)).sort()])).toEqual([
      ['DE', ['a.yaml', 'b.yaml']],
      ['FR', ['c.yaml']],
    ]);
    const de = result.results[0]!;
    expect(de.provisions.find((p) => p.provision === '7(1)')!.outcome).toBe('conform');
    expect(de.provisions.find((p) => p.provision === '3(2)')!.outcome).toBe('incomplete');
  });

  it('still reports a provision described twice when one of the files was guessed wrong', async () => {
    const dir = folder({ 'a.yaml': flow('DE', '2024-06-30', '3(1)'), 'b.yaml': block('DE', '2024-06-30', '3(1)') });
    const result = await check({ paths: [dir] });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['duplicate-provision']);
    expect(result.results).toEqual([]);
  });

  it('never evaluates a Member State from part of its files: a broken file holds its set back', async () => {
    const dir = folder({ 'a.yaml': block('DE', '2024-06-30', '3(1)'), 'b.yaml': `${block('DE', '2024-06-30', '3(2)')}  "3(9)": { status: transposed }\n`, 'c.yaml': block('FR', '2024-06-30', '3(1)') });
    const result = await check({ paths: [dir] });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-provision']);
    expect(result.results.map((r) => r.memberState)).toEqual(['FR']);
  });

  it('keeps every finding and the whole summary when compact', async () => {
    const dir = folder({ 'a.yaml': block('DE', '2024-06-30', '3(1)') });
    const [full, compact] = await Promise.all([check({ paths: [dir] }), check({ paths: [dir], compact: true })]);
    expect(compact.results[0]!.summary).toEqual(full.results[0]!.summary);
    // Chapeaux repeat their paragraphs, and 2(f) and 12(3) impose no duty: no findings; their outcome stays in `provisions`.
    expect(compact.results[0]!.rules.map((r) => r.rule.id)).toEqual(
      full.results[0]!.rules.filter((r) => r.outcome !== 'conform' && !r.rule.derivedFrom && !r.rule.recordedOnly).map((r) => r.rule.id),
    );
    expect(compact.rules).toHaveLength(116);
  });

  it('shares what compact results have in common, read-only (as a large run does)', async () => {
    const { compactResult, ResultSharing } = await import('../src/evaluate/compact-result.js');
    const dir = folder({ 'a.yaml': block('DE', '2024-06-30', '3(1)'), 'b.yaml': block('DE', '2024-07-31', '3(1)'), 'c.yaml': block('DE', '2024-08-31', '3(2)') });
    const sharing = new ResultSharing();
    const [a, b, c] = (await check({ paths: [dir] })).results.map((r) => compactResult(r, sharing));
    expect(a!.provisions).toBe(b!.provisions);
    expect(c!.provisions).not.toBe(a!.provisions);
    expect(Object.isFrozen(a!.provisions)).toBe(true);
    expect(b!.rules.map((r) => r.message)).toEqual(a!.rules.map((r) => r.message));
    expect(() => (a!.provisions as unknown[]).push(null)).toThrow(TypeError);
  });
});

describe('JSON in pieces', () => {
  it.each([['fixtures/measures'], ['fixtures/eu27'], ['fixtures/hostile'], ['fixtures/invalid']])('gives exactly formatJson’s text for %s', async (dir) => {
    const { formatJson, jsonChunks } = await import('../src/formats/json.js');
    const result = await check({ paths: [path.join(import.meta.dirname, '..', dir)] });
    for (const all of [false, true]) {
      const context = { all, color: false, columns: 80 };
      expect([...jsonChunks(result, context)].join('')).toBe(formatJson(result, context));
    }
  });
});

describe('worker threads (compiled build)', () => {
  it('give exactly the result of one thread, misfiled and broken files included', async () => {
    const dist = (await import(new URL('../dist/check.js', import.meta.url).href)) as typeof import('../src/check.js');
    const { jsonChunks } = (await import(new URL('../dist/formats/json.js', import.meta.url).href)) as typeof import('../src/formats/json.js');
    const dir = folder({ 'a.yaml': flow('DE', '2024-06-30', '3(1)'), 'b.yaml': block('DE', '2024-06-30', '3(2)'), 'z.yaml': `${block('FR', '2024-06-30', '3(2)')}  "3(9)": { status: transposed }\n` });
    const paths = [dir, path.join(import.meta.dirname, '../fixtures/eu27'), path.join(import.meta.dirname, '../fixtures/measures')];
    const { formatJunit } = (await import(new URL('../dist/formats/junit.js', import.meta.url).href)) as typeof import('../src/formats/junit.js');
    const { exitCodeFor, newFindingCounts } = (await import(new URL('../dist/formats/exit-code.js', import.meta.url).href)) as typeof import('../src/formats/exit-code.js');
    // A run shared among workers keeps its compact results packed: every reader must see the same.
    const text = async (workers: number) => {
      const result = await dist.check({ paths, workers, compact: true, today: '2025-06-01' });
      const context = { all: false, color: false, columns: 80 };
      return [[...jsonChunks(result, context)].join(''), formatJunit(result, context), JSON.stringify(newFindingCounts(result)), exitCodeFor(result, 'warning')].join('\n');
    };
    const [one, two] = await Promise.all([text(0), text(2)]);
    expect(two).toBe(one);
    // DE and FR of the temporary folder collide with the fixtures' DE and FR (same date): held back, reported.
    const parsed = JSON.parse(two.slice(0, two.indexOf('\n}\n') + 2)) as { results: { member_state: string }[]; diagnostics: { code: string }[] };
    expect(parsed.results.length).toBeGreaterThan(20);
    expect(two).toContain('<testcase');
    expect(parsed.results.map((r) => r.member_state)).not.toContain('FR');
    expect(parsed.diagnostics.map((d) => d.code)).toEqual(expect.arrayContaining(['duplicate-provision', 'unknown-provision']));
  });

  it('do the run again in this thread when a worker runs out of memory', async () => {
    const dist = (await import(new URL('../dist/check.js', import.meta.url).href)) as typeof import('../src/check.js');
    const pool = (await import(new URL('../dist/check-worker-pool.js', import.meta.url).href)) as typeof import('../src/check-worker-pool.js');
    const { jsonChunks } = (await import(new URL('../dist/formats/json.js', import.meta.url).href)) as typeof import('../src/formats/json.js');
    // A map of 150,000 keys: within every input limit, beyond a worker heap lowered to 16 MB.
    const big = `${block('AT', '2023-01-31', '3(1)').replace('provisions:', `notes_map:\n${Array.from({ length: 150_000 }, (_, i) => `  k${i}: ${i}\n`).join('')}provisions:`)}`;
    const dir = folder({ 'big.yaml': big, 'de.yaml': block('DE', '2023-01-31', '3(2)') });
    const paths = [dir, path.join(import.meta.dirname, '../fixtures/eu27')];
    const text = async (workers: number) => [...jsonChunks(await dist.check({ paths, workers, compact: true, today: '2025-06-01' }), { all: false, color: false, columns: 80 })].join('');
    const one = await text(0);
    const saved = { ...pool.WORKER_LIMITS };
    pool.WORKER_LIMITS.maxOldGenerationSizeMb = 16;
    try {
      const ruleset = await dist.resolveRuleSet();
      const group: PlannedGroup = [`AT\u00002011/93/EU\u00002023-01-31`, [[path.join(dir, 'big.yaml'), 'unchecked']]];
      expect(await pool.processInWorkers([group], 2, ruleset, { paths: [], compact: true })).toBeUndefined();
      expect(await text(2)).toBe(one);
    } finally {
      Object.assign(pool.WORKER_LIMITS, saved);
    }
    expect(one).toContain('"declared_as_of": "2023-01-31"');
  }, 60_000);

  it("read 0.1.0's `asOf` option as `evaluationDate`", async () => {
    const paths = [path.join(import.meta.dirname, '../fixtures/measures/mt.yaml')];
    const [old, now] = await Promise.all([check({ paths, asOf: '2019-01-01' }), check({ paths, evaluationDate: '2019-01-01' })]);
    expect(old.evaluationDate).toBe('2019-01-01');
    expect(old.results.map((r) => r.evaluatedAt)).toEqual(['2019-01-01']);
    expect(old.results).toEqual(now.results);
  });

  it('evaluate on the --as-of date and the --today of the run, as one thread does', async () => {
    const dist = (await import(new URL('../dist/check.js', import.meta.url).href)) as typeof import('../src/check.js');
    const { jsonChunks } = (await import(new URL('../dist/formats/json.js', import.meta.url).href)) as typeof import('../src/formats/json.js');
    const paths = [path.join(import.meta.dirname, '../fixtures/eu27')];
    const options = { paths, compact: true, evaluationDate: '2019-07-25', today: '2024-01-01' };
    const text = async (workers: number) => [...jsonChunks(await dist.check({ ...options, workers }), { all: false, color: false, columns: 80 })].join('');
    const [one, two] = await Promise.all([text(0), text(2)]);
    expect(two).toBe(one);
    const parsed = JSON.parse(two) as { as_of: string; today: string; results: { as_of: string }[] };
    expect([parsed.as_of, parsed.today]).toEqual(['2019-07-25', '2024-01-01']);
    expect(new Set(parsed.results.map((r) => r.as_of))).toEqual(new Set(['2019-07-25']));
  });
});
