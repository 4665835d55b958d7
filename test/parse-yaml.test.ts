import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseYamlFast } from '../src/load/fast-yaml.js';
import { DEFAULT_PARSE_LIMITS, parseYamlFully } from '../src/load/parse-yaml.js';
import { fixture } from './helpers.js';

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name));
}

/** The fast path must give exactly the full parse's data and positions, or step aside. */
function agrees(text: string): 'fast' | 'fallback' {
  const fast = parseYamlFast('f.yaml', text, DEFAULT_PARSE_LIMITS);
  const full = parseYamlFully('f.yaml', text, DEFAULT_PARSE_LIMITS);
  if (!fast) return 'fallback';
  expect(full.diagnostics).toEqual([]);
  expect(fast.data).toEqual(full.data);
  expect(Object.fromEntries(fast.positions)).toEqual(Object.fromEntries(full.positions));
  return 'fast';
}

describe('the fast YAML path against parseDocument', () => {
  const files = [...yamlFiles(fixture('measures')), ...yamlFiles(fixture('invalid')), ...yamlFiles(fixture('hostile')), ...yamlFiles(fixture('.')).filter((f) => f.includes('eu27'))];

  it.each(files.map((f) => [path.relative(fixture('.'), f), f]))('%s', (_, file) => {
    const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
    agrees(text);
  });

  it('takes the fast path on every valid fixture', () => {
    for (const file of yamlFiles(fixture('measures'))) expect(agrees(readFileSync(file, 'utf8'))).toBe('fast');
  });

  it.each([
    ['empty values', 'a:\nb: 1\nc:\n  d:\n'],
    ['flow collections', 'a: [1, "two", { b: c, d: [] }, {}]\nz: {x: , y: 2}\n'],
    ['scalars of the core schema', 'a: [~, null, true, False, 0o17, 0x1F, -12, 1.5, .5, 1e3, .inf, -.Inf, "1", \'it\'\'s\', plain text]\n'],
    ['block scalars', 'a: |\n  line one\n  line two\nb: >-\n  folded\n  text\n'],
    ['comments everywhere', '# head\na: 1 # trailing\n# between\nb: # after key\n  - x # item\n'],
    ['a document start marker', '---\na: 1\n'],
    ['CRLF', 'a: 1\r\nb:\r\n  - c\r\n'],
    ['anchors (fall back)', 'a: &x 1\nb: *x\n'],
    ['tags (fall back)', 'a: !!str 1\n'],
    ['duplicate keys (fall back)', 'a: 1\na: 2\n'],
    ['explicit keys (fall back)', '? a\n: 1\n'],
    ['tab indentation (fall back)', 'a:\n\tb: 1\n'],
    ['two documents (fall back)', 'a: 1\n---\nb: 2\n'],
    ['an unclosed flow map (fall back)', 'a: { b: 1\n'],
    ['a map in a flow sequence (fall back)', 'a: [b: 1]\n'],
  ])('%s', (_, text) => {
    agrees(text);
  });

  it('agrees on random documents', () => {
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('map')),
      leaf: fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null)),
      list: fc.array(tie('node'), { maxLength: 4 }),
      map: fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 4 }),
    }));
    fc.assert(
      fc.property(value.map, fc.constantFrom('block', 'flow'), (data, style) => {
        agrees(stringify(data, { collectionStyle: style === 'flow' ? 'flow' : 'any' }));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });

  it('agrees on random byte mutations of a fixture', () => {
    const base = readFileSync(fixture('measures/mt.yaml'), 'utf8');
    fc.assert(
      fc.property(fc.nat(base.length - 1), fc.nat(base.length - 1), fc.constantFrom(' ', '\n', ':', '-', '"', "'", '[', '{', '#', 'x', ''), (from, to, insert) => {
        const [a, b] = from < to ? [from, to] : [to, from];
        agrees(base.slice(0, a) + insert + base.slice(Math.min(b, a + 20)));
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });
});
