import { yamlLibrary } from './yaml-library.js';

/**
 * Both parsers build everything before a limit can be checked: js-yaml its data and the fast path
 * its node tree (some 200 bytes a value), the yaml library several times that. For a large text
 * this pass, over the yaml library's lexer (a generator: nothing is kept), first makes sure the
 * document cannot hold more values than the limit allows, and says where it passed it if it does.
 *
 * It counts lexemes that each stand for at most one node: scalars, aliases, flow collection
 * openers, and the `-` and `:` indicators, which introduce one value each (empty or not). Every
 * value is counted at most twice (its indicator and its own lexeme) and every key once, and a key
 * has a value, so the count is at most three times the number of values: past `3 × maxNodes`, the
 * document surely holds more than `maxNodes` values. Below that, the nodes the fast path makes
 * are a few times the count at most.
 */
export function valuesSurelyOverLimit(text: string, maxNodes: number): { offset: number; aliases: boolean } | undefined {
  const bound = 3 * maxNodes;
  if (lexemeStartsAtMost(text, bound)) return undefined;
  const { Lexer } = yamlLibrary();
  let counted = 0;
  let offset = 0;
  let aliases = false;
  let scalarFollows = false;
  for (const lexeme of new Lexer().lex(text)) {
    if (scalarFollows) {
      // The source of the scalar just counted.
      scalarFollows = false;
    } else if (lexeme === SCALAR) {
      scalarFollows = true;
      if (++counted > bound) return { offset, aliases };
      continue;
    } else if (lexeme === DOCUMENT || lexeme === FLOW_END) {
      continue;
    } else if (COUNTED.has(lexeme) || COUNTED_FIRST.has(lexeme[0]!)) {
      if (lexeme[0] === '*') aliases = true;
      if (++counted > bound) return { offset, aliases };
    }
    offset += lexeme.length;
  }
  return undefined;
}

/** The yaml lexer's control lexemes (not in the source): a plain or block scalar's source follows SCALAR. */
const SCALAR = '\x1f';
const DOCUMENT = '\x02';
const FLOW_END = '\x18';
const COUNTED = new Set(['-', ':', '[', '{']);
const COUNTED_FIRST = new Set(['*', "'", '"']);

/**
 * Whether the yaml library's lexer makes at most `bound` lexemes of the text: the full parse costs
 * some 2 µs and 450 bytes a lexeme (an error per stray `]`, a node per `1,`), so this bounds it.
 */
export function lexemesAtMost(text: string, bound: number): boolean {
  const { Lexer } = yamlLibrary();
  let count = 0;
  for (const _ of new Lexer().lex(text)) if (++count > bound) return false;
  return true;
}

/**
 * A quick look, before the lexer (whose pass costs a second on a few megabytes of noise): whether
 * the text has at most `bound` places where a counted lexeme could start. A scalar starts after
 * white space or an indicator; indicators that open a node count themselves; closers and commas
 * never start one. Over-counting is fine (the lexer then counts exactly).
 */
function lexemeStartsAtMost(text: string, bound: number): boolean {
  let starts = 0;
  let previous = LF;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!NEVER_STARTS[c] && (OPENS[c] || AFTER[previous])) {
      if (++starts > bound) return false;
    }
    previous = c;
  }
  return true;
}

const LF = 10;
const table = (chars: string): Uint8Array => {
  const out = new Uint8Array(128);
  for (const c of chars) out[c.charCodeAt(0)] = 1;
  return out;
};
/** Characters that never start a counted lexeme: white space, closers, commas. */
const NEVER_STARTS = table(' \t\r\n]},');
/** Characters that are counted lexemes (or start one) wherever they stand. */
const OPENS = table('-:[{*\'"');
/** Characters after which a scalar may start. */
const AFTER = table(' \t\r\n[]{},:-?!&"\'');
