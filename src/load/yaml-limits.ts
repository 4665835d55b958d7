/** The limits a parse enforces, and their messages: shared by the fast and the full path, which must word them alike. */

export interface ParseLimits {
  /** Most nodes the plain data may hold once aliases are expanded (an alias bomb stops here). */
  maxNodes: number;
  /** Deepest nesting of maps and lists. */
  maxDepth: number;
  /**
   * Longest path of keys to a value (its JSON pointer). Real ones are under 100 characters; very long
   * ones (long keys, nested) would make the position index slow to fill.
   */
  maxKeyPathLength: number;
  /**
   * Most characters the paths to all values may hold together. Each value's path is hashed into the
   * position index: 190,000 values under keys 4,000 characters long took 5 s. Real files: under 5 MB.
   */
  maxKeyPathTotal: number;
}

/**
 * The full parse (the yaml library: some 2 µs and 450 bytes a lexeme) runs on any text up to this
 * size, and on a larger one only where it makes at most FULL_PARSE_MAX_LEXEMES lexemes: a few
 * megabytes of `]` or of flow list cost it seconds and gigabytes. Past both, a syntax error gets the
 * fast parser's message, and a limit the fast path finds is reported even where it was unsure of
 * something before. Measure files are far under both.
 */
export const FULL_PARSE_MAX_CHARS = 256 * 1024;
export const FULL_PARSE_MAX_LEXEMES = 600_000;

export const DEFAULT_PARSE_LIMITS: ParseLimits = { maxNodes: 200_000, maxDepth: 64, maxKeyPathLength: 4096, maxKeyPathTotal: 50_000_000 };

export function tooManyValues(maxNodes: number, aliases: boolean): string {
  return aliases ? `the document expands to more than ${maxNodes} values (too many aliases?)` : `the document holds more than ${maxNodes} values`;
}

export function tooDeep(maxDepth: number): string {
  return `nesting deeper than ${maxDepth} levels`;
}

export function keyPathTooLong(maxKeyPathLength: number): string {
  return `the keys leading here are longer than ${maxKeyPathLength} characters in all`;
}

export function keyPathsTooLongInAll(maxKeyPathTotal: number): string {
  return `the paths of keys to the values add up to more than ${maxKeyPathTotal} characters`;
}
