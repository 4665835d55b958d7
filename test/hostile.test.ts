import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const HEADER = 'format: 1\ndirective: 2011/93/EU\nmember_state: DE\nas_of: 2024-06-30\n';
const SOURCES = 'sources:\n  code: { title: Code }\n';
const VALID = `${HEADER}${SOURCES}provisions:\n  "3(4)": { status: transposed, national: [{ source: code, article: "1" }], max_penalty_years: 5 }\n`;

const dir = mkdtempSync(path.join(tmpdir(), 'conformity-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, content: string | Uint8Array): string {
  const target = path.join(dir, name);
  writeFileSync(target, content);
  return target;
}

function aliasBomb(levels: number): string {
  const lines = [HEADER.trimEnd(), 'notes_bomb:', '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i <= levels; i++) lines.push(`  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\nprovisions: {}\n`;
}

/**
 * The catalogue: each input, the exit status it must end with, and the LINE:COLUMN and words its
 * first message must carry. Nothing may crash or print a stack trace.
 */
const CATALOGUE: [name: string, content: string | Uint8Array, exit: number, where: string | null, words: string][] = [
  ['valid', VALID, 0, null, ''],
  ['a BOM', `\uFEFF${VALID}`, 0, null, ''],
  ['CRLF line ends', VALID.replace(/\n/g, '\r\n'), 0, null, ''],
  ['CRLF with an error', `${HEADER}${SOURCES}provisions:\n  "3(9)": { status: transposed }\n`.replace(/\n/g, '\r\n'), 2, '8:3', 'unknown provision "3(9)"'],
  ['an empty file', '', 2, '1:1', 'the file is empty'],
  ['whitespace only', '  \n\n\t\n', 2, '1:1', 'empty'],
  ['only a comment', '# nothing here\n', 2, '1:1', 'the file is empty'],
  ['a list at the top', '- a\n- b\n', 2, '1:1', 'the document must be a map of keys'],
  ['a scalar at the top', 'hello\n', 2, '1:1', 'the document must be a map of keys'],
  ['an unclosed bracket', `${HEADER}provisions: [\n`, 2, '5:13', 'this [ list is never closed'],
  ['an unclosed quote', `${HEADER}notes: "open\n`, 2, '5:8', 'double-quoted string is never closed'],
  ['an unclosed quote mid-file', `${HEADER}notes: 'it''s open\nprovisions: {}\n`, 2, '5:8', 'single-quoted string is never closed'],
  ['an unclosed map', `${HEADER}provisions: { "3(4)": [a, b]\n`, 2, '5:13', 'this { map is never closed'],
  ['bad indentation', `${HEADER}provisions:\n  "3(4)":\n      status: transposed\n    national: []\n`, 2, '8:', ''],
  ['a tab indent', `${HEADER}provisions:\n\t"3(4)": {}\n`, 2, '6:', ''],
  ['a duplicate key', `${HEADER}member_state: FR\nprovisions: {}\n`, 2, '5:1', 'duplicate key'],
  ['two documents', `${VALID}---\n${VALID}`, 2, '9:1', 'several YAML documents'],
  ['invalid UTF-8', new Uint8Array([...new TextEncoder().encode(`${HEADER}notes: "a`), 0xc3, 0x28, ...new TextEncoder().encode('"\nprovisions: {}\n')]), 2, '5:10', 'not valid UTF-8'],
  ['a raw NUL byte', `${HEADER}notes: "a\u0000b"\nprovisions: {}\n`, 2, '5:10', 'control character U+0000'],
  ['an escaped NUL (allowed; reports neutralise it)', `${VALID}notes: "a\\0b"\n`, 0, null, ''],
  ['a wrong type', `${HEADER}${SOURCES}provisions:\n  "3(4)": { status: transposed, national: "x" }\n`, 2, '8:43', 'must be a list'],
  ['a negative penalty', `${HEADER}${SOURCES}provisions:\n  "3(4)": { status: transposed, national: [{ source: code, article: "1" }], max_penalty_years: -1 }\n`, 2, '8:96', 'from 0 to 100'],
  ['an absurd penalty', `${HEADER}${SOURCES}provisions:\n  "3(4)": { status: transposed, national: [{ source: code, article: "1" }], max_penalty_years: 1e308 }\n`, 2, '8:96', 'from 0 to 100'],
  ['.nan', `${HEADER}${SOURCES}provisions:\n  "3(4)": { status: transposed, national: [{ source: code, article: "1" }], max_penalty_years: .nan }\n`, 2, '8:96', '.nan'],
  ['a date that does not exist', VALID.replace('2024-06-30', '2023-02-30'), 2, '4:8', 'real calendar date'],
  ['an unknown top-level key', `${VALID}colour: blue\n`, 2, '9:1', 'unknown key "colour"'],
  ['an unknown provision', VALID.replace('"3(4)"', '"3(5)(iv)"'), 2, '8:3', 'did you mean 3(5)(i)'],
  ['a normalised provision', VALID.replace('"3(4)"', '"Art. 3(4)"'), 0, null, ''],
  ['a provision twice, in two spellings', `${VALID}  Article 3(4): { status: not-transposed }\n`, 2, '9:3', 'described twice'],
  ['__proto__ as a provision key', `${HEADER}provisions:\n  __proto__: { status: transposed }\n`, 2, '6:3', 'unknown provision "__proto__"'],
  ['__proto__ under a provision', VALID.replace('max_penalty_years: 5', 'max_penalty_years: 5, __proto__: { polluted: true }'), 2, '8:', 'unknown key "__proto__"'],
  ['constructor at the top', `${VALID}constructor: x\n`, 2, '9:1', 'unknown key "constructor"'],
  ['prototype as a source id', VALID.replace('code: { title: Code }', 'code: { title: Code }\n  prototype: { title: P, constructor: 1 }'), 2, '7:', 'unknown key "constructor"'],
  ['an unknown provision in grounds', `${VALID}procedures: [{ stage: referral, date: 2022-01-01, grounds: ["3(99)"] }]\n`, 2, '9:', 'unknown provision "3(99)" in grounds'],
  ['an unknown procedure stage', `${VALID}procedures: [{ stage: judgment, date: 2022-01-01 }]\n`, 2, '9:', 'letter-of-formal-notice'],
  ['an undefined source', VALID.replace('source: code', 'source: cod'), 2, '8:', 'source "cod" is not defined under sources; did you mean code?'],
  ['an unknown directive', VALID.replace('2011/93/EU', '2011/92/EU'), 2, '2:12', 'directive must be "2011/93/EU"'],
  ['GR for Greece', VALID.replace('member_state: DE', 'member_state: GR'), 2, '3:15', 'the EU code for Greece is EL'],
  ['a country outside the EU', VALID.replace('member_state: DE', 'member_state: CH'), 2, '3:15', 'member_state is "CH"'],
  ['an assessment without a reason', VALID.replace('max_penalty_years: 5', 'max_penalty_years: 5, assessment: { outcome: conform }'), 2, '8:', 'is missing "reason"'],
  ['an assessment with a blank reason', VALID.replace('max_penalty_years: 5', 'max_penalty_years: 5, assessment: { outcome: conform, reason: "  " }'), 2, '8:', 'reason'],
  ['transposed without national', `${HEADER}provisions:\n  "3(1)": { status: transposed }\n`, 2, '6:3', 'is missing "national"'],
  ['dates running backwards', VALID.replace('article: "1" }', 'article: "1", in_force_from: 2020-01-01, in_force_until: 2019-01-01 }'), 2, '8:', 'is before in_force_from'],
  ['an alias bomb', aliasBomb(9), 2, '6:', 'more than 200000 values'],
  ['a self-referencing alias', `${HEADER}a: &a [*a]\nprovisions: {}\n`, 2, '5:', ''],
  ['very deep nesting', `${HEADER}x: ${'['.repeat(3000)}${']'.repeat(3000)}\nprovisions: {}\n`, 2, '5:', ''],
  ['a complex key', `${HEADER}? [a, b]\n: c\nprovisions: {}\n`, 2, '5:', ''],
  ['keys nested too long', `${HEADER}x: { ${'a'.repeat(5000)}: 1 }\nprovisions: {}\n`, 2, '5:', 'longer than 4096 characters'],
  ['an unknown tag', `${HEADER}notes: !shell rm -rf /\nprovisions: {}\n`, 2, '5:', ''],
  ['a YAML file that is no measure file', 'services:\n  web:\n    image: nginx\n', 2, '1:1', 'not a measure file: it has no format or directive key'],
  ['unparseable text that is no measure file', 'root:x:0:0:[secret\n', 2, '1:1', 'not a measure file'],
  ['an unknown key 1,000 characters long', `${VALID}${'k'.repeat(1000)}: 1\n`, 2, '9:1', `unknown key "${'k'.repeat(60)}…" in the document`],
  ['notes and reasons as block scalars', `${HEADER}${SOURCES}notes: |+\n  kept\n\nprovisions:\n  "3(4)":\n    status: transposed\n    national: [{ source: code, article: "1" }]\n    max_penalty_years: 5\n    notes: >-\n      folded\n      text\n    assessment:\n      outcome: conform\n      reason: |\n        literal\n        reason\n`, 0, null, ''],
  ['too many values and no alias', `${HEADER}notes: [${Array(200_001).fill('1').join(',')}]\nprovisions: {}\n`, 2, '5:', 'the document holds more than 200000 values'],
  ['binary noise with NUL bytes', new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), 2, '1:', 'looks like a binary file'],
  ['a thousand stray closers', `${HEADER}notes: x\n${'}'.repeat(1000)}\nprovisions: {}\n`, 2, '6:1', ''],
  ['nesting past the depth limit', `${HEADER}x: ${'['.repeat(70)}${']'.repeat(70)}\nprovisions: {}\n`, 2, '5:', 'nesting deeper than 64 levels'],
];

describe('hostile and broken input', () => {
  it.each(CATALOGUE)('%s', async (name, content, exit, where, words) => {
    const target = file(`${name.replace(/\W+/g, '-')}.yaml`, content);
    const before = readFileSync(target);
    const { code, stderr } = await runCli(['check', target, '--format', 'json', '--fail-on', 'never']);
    expect(code).toBe(exit);
    expect(stderr).not.toMatch(/\n\s+at |internal error/);
    if (where !== null) {
      const first = stderr.split('\n')[0]!;
      expect(first.startsWith(`${target}:${where}`), first).toBe(true);
      expect(first).toContain(words);
    }
    // Inputs are never modified.
    expect(readFileSync(target).equals(before)).toBe(true);
  });

  it('refuses a 60 MB file by its size before reading it', async () => {
    const big = file('big.yaml', `${HEADER}notes: "${'a'.repeat(60 * 1024 * 1024)}"\nprovisions: {}\n`);
    const started = performance.now();
    const { code, stderr } = await runCli(['check', big]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${big}:1:1: the file is`);
    expect(stderr).toContain('--max-file-size');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses the alias bomb without expanding it', async () => {
    const started = performance.now();
    const { code } = await runCli(['check', file('bomb.yaml', aliasBomb(12))]);
    expect(code).toBe(2);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('refuses long nested keys before indexing the values under them', async () => {
    // Long key paths all hash alike in V8, which made filling the position index quadratic (48 s for this).
    const nested = Array.from({ length: 17 }, (_, i) => `${' '.repeat(2 * i)}${String.fromCharCode(97 + i).repeat(1000)}:`).join('\n');
    const list = `${' '.repeat(34)}- 1\n`.repeat(8000);
    const started = performance.now();
    const { code, stderr } = await runCli(['check', file('long-keys.yaml', `${HEADER}${nested}\n${list}provisions: {}\n`)]);
    expect(code).toBe(2);
    expect(stderr).toContain('longer than 4096 characters');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('lists at most 100 YAML errors of a file, then how many more', async () => {
    const { code, stderr } = await runCli(['check', file('closers.yaml', `${HEADER}notes: x\n${'}'.repeat(1000)}\nprovisions: {}\n`)]);
    expect(code).toBe(2);
    const lines = stderr.split('\n').filter((line) => line.includes('closers.yaml:'));
    expect(lines).toHaveLength(101);
    expect(lines[100]).toMatch(/: 9\d\d more errors in .*closers\.yaml$/);
  });

  it('never lets __proto__ in a file touch Object.prototype', async () => {
    await runCli(['check', file('proto.yaml', `${HEADER}__proto__: { polluted: true }\nprovisions: {}\n`)]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
