// Inputs a hostile submitter can send, one generator per class, each within the limits a CI job
// enforces (5 MB a file, 200,000 values, 64 levels). Shared by `npm run bench:attacks` (time and
// peak memory per class, whole process) and test/attack-bounds.test.ts (a generous ceiling each, so
// that a blow-up fails CI).

const HEADER = 'format: 1\ndirective: 2011/93/EU\nmember_state: DE\nas_of: 2024-06-30\nsources:\n  code: { title: Code }\n';
const MB = 1024 * 1024;

/** Bytes from a seeded generator: the same noise on every run. */
function noise(length, seed, pick) {
  let state = seed >>> 0;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out[i] = pick(state >>> 16);
  }
  return out;
}

/**
 * Each class: a name, a note of what it once cost, and the input (text or bytes). `stdin` marks the
 * one read from standard input: an endless stream, of which at most `streamBytes` are offered.
 */
export const ATTACK_CLASSES = [
  {
    name: 'national list of 130,000 integers (260 KB)',
    before: 'every command: internal error: Maximum call stack size exceeded',
    input: () => `${HEADER}provisions:\n  "3(4)": { status: transposed, national: [${Array(130_000).fill('1').join(',')}] }\n`,
  },
  {
    name: 'binary noise (3.5 MB)',
    before: 'one error per byte: 44-48 s, 3 GB (now refused by its first bad byte)',
    input: () => noise(3.5 * MB, 7, (x) => x & 0xff),
  },
  {
    name: '!!binary payload (3.5 MB)',
    before: 'one error per byte',
    input: () => `${HEADER}notes: !!binary |\n${`  ${Buffer.from(noise(57, 3, (x) => x & 0xff)).toString('base64')}\n`.repeat(45_000)}provisions: {}\n`,
  },
  {
    name: 'flow closers, one YAML error each (3.5 MB)',
    before: '3.5 million errors, each with a stack: tens of seconds, gigabytes',
    input: () => `${HEADER}notes: ${']'.repeat(3.5 * MB)}\nprovisions: {}\n`,
  },
  {
    name: 'flow closers under the full-parse size (250 KB)',
    before: '250,000 errors listed',
    input: () => `${HEADER}notes: ${'}'.repeat(250 * 1024)}\nprovisions: {}\n`,
  },
  {
    name: 'flow list of 2.5 million values, no aliases (5 MB)',
    before: '36 s and 2.7 GB, then "too many aliases?"',
    input: () => `${HEADER}notes: [${Array(2_500_000).fill('1').join(',')}]\nprovisions: {}\n`,
  },
  {
    name: 'flow map of 2.5 million keys without values (5 MB)',
    before: 'js-yaml events for every key and empty value: 800 MB',
    input: () => `${HEADER}notes: {${Array.from({ length: 2_400_000 }, (_, i) => (i % 26 === 0 ? 'a' : String.fromCharCode(97 + (i % 26)))).join(',')}}\nprovisions: {}\n`,
  },
  {
    name: 'block list of 2.5 million empty items (5 MB)',
    before: 'an event per item with no lexeme of its own',
    input: () => `${HEADER}notes:\n${'-\n'.repeat(2_490_000)}provisions: {}\n`,
  },
  {
    name: 'block list of 1.2 million values (5 MB)',
    before: 'the full parse: 6 s, 900 MB',
    input: () => `${HEADER}notes:\n${'- 1\n'.repeat(1_240_000)}provisions: {}\n`,
  },
  {
    name: 'flow list of 2.5 million values behind a tag (5 MB)',
    before: 'a tag sends the file to the full parse',
    input: () => `${HEADER}notes: !!seq [${Array(2_500_000).fill('1').join(',')}]\nprovisions: {}\n`,
  },
  {
    name: 'flow list of 125,000 values with a syntax error at its end (250 KB)',
    before: 'the full parse, within its size',
    input: () => `${HEADER}notes: [${Array(125_000).fill('1').join(',')}\nprovisions: {}\n`,
  },
  {
    name: 'flow list of 450,000 values and a tab (900 KB, under the count)',
    before: 'a tab sent the file to the full parse: 2 s, 460 MB',
    input: () => `${HEADER}notes:\t[${Array(450_000).fill('1').join(',')}]\nprovisions: {}\n`,
  },
  {
    name: 'a second document of 450,000 values (900 KB)',
    before: 'several documents sent the file to the full parse',
    input: () => `${HEADER}provisions: {}\n---\n[${Array(450_000).fill('1').join(',')}]\n`,
  },
  {
    name: 'nesting 5 million levels deep (5 MB)',
    before: 'recursion in the parsers',
    input: () => `${HEADER}notes: ${'['.repeat(5 * MB - 1024)}\nprovisions: {}\n`,
  },
  {
    name: 'alias bomb (12 levels)',
    before: 'refused at 200,000 values',
    input: () => {
      const lines = [HEADER.trimEnd(), 'notes_bomb:', '  a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i <= 12; i++) lines.push(`  a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
      return `${lines.join('\n')}\nprovisions: {}\n`;
    },
  },
  {
    name: '190,000 values under keys 4,000 characters long',
    before: 'each position keyed by a 4 KB pointer',
    input: () => {
      const nested = Array.from({ length: 4 }, (_, i) => `${' '.repeat(2 * i)}${String.fromCharCode(97 + i).repeat(995)}:`).join('\n');
      return `${HEADER}${nested}\n${`${' '.repeat(8)}- 1\n`.repeat(190_000)}provisions: {}\n`;
    },
  },
  {
    name: 'a map of 199,000 keys (3 MB)',
    before: '',
    input: () => `${HEADER}notes_map:\n${Array.from({ length: 199_000 }, (_, i) => `  k${i}: ${i}\n`).join('')}provisions: {}\n`,
  },
  {
    name: 'long strings (5 MB in two values)',
    before: '',
    input: () => `${HEADER}notes: "${'a'.repeat(2.4 * MB)}"\nnotes2: |\n  ${'b '.repeat(1.2 * MB)}\nprovisions: {}\n`,
  },
  {
    name: 'check - reading an endless stream of zeros',
    before: '4 GB in 5 s: --max-file-size applied after reading all of stdin',
    stdin: true,
    streamBytes: 256 * MB,
  },
];
