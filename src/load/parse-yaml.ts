import type { Document, Node } from 'yaml';
import { TOO_MANY_ERRORS, type Diagnostic, type SourceLocation } from '../types.js';
import { parseYamlFast } from './fast-yaml.js';
import { MapPositions } from './map-positions.js';
import { pointerSegment } from './json-pointer.js';
import { yamlLibrary } from './yaml-library.js';
import { lexemesAtMost, valuesSurelyOverLimit } from './yaml-precount.js';
import { DEFAULT_PARSE_LIMITS, FULL_PARSE_MAX_CHARS, FULL_PARSE_MAX_LEXEMES, keyPathsTooLongInAll, keyPathTooLong, tooDeep, tooManyValues, type ParseLimits } from './yaml-limits.js';
import type { ParsedYaml, PositionIndex } from './yaml-types.js';

export type { NodePosition, ParsedYaml, PositionIndex } from './yaml-types.js';
export { DEFAULT_PARSE_LIMITS, type ParseLimits } from './yaml-limits.js';

class LimitExceeded extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export { pointerSegment } from './json-pointer.js';

/** Above this size the values are counted before any parser builds them (see yaml-precount.ts). */
export const PRECOUNT_MIN_CHARS = 1024 * 1024;

/** The full parse lists this many syntax errors, then counts the rest in one more diagnostic. */
export const MAX_SYNTAX_ERRORS = 100;

/** How many texts took each path, in this process: the benchmark reads them. */
export const parsePathCounts = { fast: 0, full: 0, syntaxErrorAsIs: 0, refusedByCount: 0 };

/**
 * Parses YAML 1.2 (core schema: dates stay strings) into plain data, remembering where every key and
 * value stands. Syntax errors, duplicate keys, unknown tags, several documents and exceeded limits
 * become diagnostics; nothing throws.
 */
export function parseYaml(file: string, text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedYaml {
  const over = text.length > PRECOUNT_MIN_CHARS ? valuesSurelyOverLimit(text, limits.maxNodes) : undefined;
  if (over) {
    parsePathCounts.refusedByCount++;
    return { file, data: undefined, positions: new MapPositions(), diagnostics: [{ file, ...locateOffset(text, over.offset), code: 'yaml-limit', message: tooManyValues(limits.maxNodes, over.aliases) }] };
  }
  const fast = parseYamlFast(file, text, limits);
  if (!('stepAside' in fast)) {
    parsePathCounts.fast++;
    return fast;
  }
  if (fast.syntaxError && text.length > FULL_PARSE_MAX_CHARS && !lexemesAtMost(text, FULL_PARSE_MAX_LEXEMES)) {
    parsePathCounts.syntaxErrorAsIs++;
    const { line, column } = locateOffset(text, fast.syntaxError.offset);
    return { file, data: undefined, positions: new MapPositions(), diagnostics: [{ file, line, column, code: 'yaml-syntax', message: fast.syntaxError.message }] };
  }
  parsePathCounts.full++;
  return parseYamlFully(file, text, limits);
}

/** Line and column (1-based, in UTF-16 units as the yaml library counts) of an offset. */
function locateOffset(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** The full parse through the yaml library's document model: every error, located. */
export function parseYamlFully(file: string, text: string, limits: ParseLimits = DEFAULT_PARSE_LIMITS): ParsedYaml {
  const { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument } = yamlLibrary();
  const lineCounter = new LineCounter();
  // The library makes an Error per problem; their stacks, unused, cost most of the time on noise.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter,
      prettyErrors: false,
      uniqueKeys: true,
      strict: true,
      schema: 'core',
      merge: false,
    });
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const diagnostics: Diagnostic[] = [];
  const problems = [...doc.errors, ...doc.warnings];
  for (const problem of problems) {
    if (diagnostics.length === MAX_SYNTAX_ERRORS) {
      const more = problems.length - MAX_SYNTAX_ERRORS;
      diagnostics.push({ ...at(problem.pos[0]), code: TOO_MANY_ERRORS, message: `${more} more YAML error${more === 1 ? '' : 's'} in ${file}, not listed` });
      break;
    }
    // The parser notices an unclosed quote or bracket only where the file (or block) ends; point at the opener.
    const opener = problem.code === 'MISSING_CHAR' || /flow (sequence|map)|closing/i.test(problem.message) ? findUnclosed(text, problem.pos[0]) : undefined;
    if (opener) {
      diagnostics.push({ ...at(opener.offset), code: 'yaml-syntax', message: `this ${opener.what} is never closed` });
      break;
    }
    diagnostics.push({ ...at(problem.pos[0]), code: 'yaml-syntax', message: describeYamlError(problem.code, problem.message) });
  }
  const positions = new MapPositions();
  if (diagnostics.length > 0) return { file, data: undefined, positions, diagnostics };

  let nodes = 0;
  let aliasesExpanded = 0;
  let keyPathTotal = 0;
  const indexed = (pointer: string, offset: number) => {
    if ((keyPathTotal += pointer.length) > limits.maxKeyPathTotal) throw new LimitExceeded(keyPathsTooLongInAll(limits.maxKeyPathTotal), offset);
  };
  const convert = (node: Node | null | undefined, pointer: string, depth: number, seen: Set<Node>): unknown => {
    if (node == null) return null;
    if (++nodes > limits.maxNodes) {
      throw new LimitExceeded(tooManyValues(limits.maxNodes, aliasesExpanded > 0), node.range?.[0] ?? 0);
    }
    if (depth > limits.maxDepth) {
      throw new LimitExceeded(tooDeep(limits.maxDepth), node.range?.[0] ?? 0);
    }
    if (isAlias(node)) {
      const target = node.resolve(doc as Document);
      if (!target || seen.has(target)) throw new LimitExceeded(`alias *${node.source} refers to itself`, node.range?.[0] ?? 0);
      aliasesExpanded++;
      const inner = new Set(seen).add(target);
      return convert(target, pointer, depth, inner);
    }
    if (isScalar(node)) {
      if (typeof node.value === 'number' && Number.isNaN(node.value)) throw new LimitExceeded('.nan is not a number a measure file can use', node.range?.[0] ?? 0);
      return node.value;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        if (keyNode != null && !isScalar(keyNode)) {
          throw new LimitExceeded('a key must be a plain value, not a map or a list', keyNode.range?.[0] ?? 0);
        }
        const key = keyNode == null || keyNode.value == null ? '' : String(keyNode.value);
        const childPointer = `${pointer}/${pointerSegment(key)}`;
        if (childPointer.length > limits.maxKeyPathLength) {
          throw new LimitExceeded(keyPathTooLong(limits.maxKeyPathLength), keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
        }
        const valueNode = pair.value as Node | null;
        const keyAt = at(keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
        indexed(childPointer, valueNode?.range?.[0] ?? keyNode?.range?.[0] ?? node.range?.[0] ?? 0);
        const valueAt = valueNode?.range ? at(valueNode.range[0]) : keyAt;
        positions.set(childPointer, { key: keyAt, value: valueAt });
        // defineProperty, so that keys such as __proto__ stay plain data and never touch prototypes.
        Object.defineProperty(out, key, {
          value: convert(valueNode, childPointer, depth + 1, seen),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    if (isSeq(node)) {
      return node.items.map((item, index) => {
        const childPointer = `${pointer}/${index}`;
        const itemNode = item as Node | null;
        indexed(childPointer, itemNode?.range?.[0] ?? node.range?.[0] ?? 0);
        positions.set(childPointer, { value: at(itemNode?.range?.[0] ?? node.range?.[0] ?? 0) });
        return convert(itemNode, childPointer, depth + 1, seen);
      });
    }
    return null;
  };

  const root = doc.contents as Node | null;
  positions.set('', { value: at(root?.range?.[0] ?? 0) });
  try {
    const data = root == null ? undefined : convert(root, '', 0, new Set());
    return { file, data, positions, diagnostics };
  } catch (error) {
    if (!(error instanceof LimitExceeded)) throw error;
    diagnostics.push({ ...at(error.offset), code: 'yaml-limit', message: error.message });
    return { file, data: undefined, positions: new MapPositions(), diagnostics };
  }
}

const CLOSER: Record<string, string> = { '[': ']', '{': '}' };

/**
 * The last quote or flow bracket opened before `end` and not closed, by a light scan that knows
 * quotes and comments. Only used to place a syntax error the parser reports at the end.
 */
function findUnclosed(text: string, end: number): { offset: number; what: string } | undefined {
  const open: { char: string; offset: number }[] = [];
  let quote: { char: string; offset: number } | undefined;
  for (let i = 0; i < Math.min(end, text.length); i++) {
    const c = text[i]!;
    if (quote) {
      if (quote.char === '"' && c === '\\') i++;
      else if (c === quote.char) {
        if (c === "'" && text[i + 1] === "'") i++;
        else quote = undefined;
      }
      continue;
    }
    const previous = text[i - 1];
    const startsToken = i === 0 || previous === ' ' || previous === '\n' || previous === '\t' || previous === '[' || previous === '{' || previous === ',';
    if (c === '#' && startsToken) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if ((c === '"' || c === "'") && (startsToken || previous === ':')) {
      quote = { char: c, offset: i };
    } else if ((c === '[' || c === '{') && (startsToken || previous === ':')) {
      open.push({ char: c, offset: i });
    } else if ((c === ']' || c === '}') && open.length && CLOSER[open[open.length - 1]!.char] === c) {
      open.pop();
    }
  }
  if (quote) return { offset: quote.offset, what: `${quote.char === '"' ? 'double' : 'single'}-quoted string` };
  const last = open.pop();
  return last ? { offset: last.offset, what: last.char === '[' ? '[ list' : '{ map' } : undefined;
}

/** The yaml library's message without its own position suffix, in our words where it helps. */
function describeYamlError(code: string, message: string): string {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'duplicate key: a key may appear only once in a map';
    case 'MULTIPLE_DOCS':
      return 'the file holds several YAML documents; a measure file is one document';
    case 'TAB_AS_INDENT':
      return 'tab characters cannot indent YAML; use spaces';
    case 'MULTIPLE_ANCHORS':
    case 'BAD_ALIAS':
      return message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').trim();
    default:
      if (/call stack/i.test(message)) return 'the document is nested too deeply to parse';
      return message.replace(/\s+at line \d+, column \d+:?[\s\S]*$/, '').trim();
  }
}

/** The position of the node at `pointer` or of its nearest ancestor that has one. */
export function locate(positions: PositionIndex, pointer: string, prefer: 'key' | 'value' = 'value'): SourceLocation | undefined {
  let current = pointer;
  for (;;) {
    const found = positions.get(current);
    if (found) return prefer === 'key' ? (found.key ?? found.value) : found.value;
    if (current === '') return undefined;
    current = current.slice(0, current.lastIndexOf('/'));
  }
}
