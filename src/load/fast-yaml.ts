import type { CST } from 'yaml';
import type { SourceLocation } from '../types.js';
import type { ParseLimits, ParsedYaml, PositionIndex } from './parse-yaml.js';
import { NOT_A_NUMBER, resolvePlainScalar } from './yaml-core-schema.js';
import { pointerSegment } from './json-pointer.js';
import { yamlLibrary } from './yaml-library.js';

/**
 * A fast path for the common case: a clean, single YAML document of maps, lists and scalars. It
 * reads the yaml library's concrete syntax tree directly and skips its document model, which is
 * most of the cost of `parseDocument`. Anything unusual (anchors, aliases, tags, explicit keys,
 * directives, several documents, duplicate keys, any syntax error) returns undefined, and the caller
 * parses the file the full way, which gives the located messages. A differential test holds this
 * path to `parseDocument`'s data and positions.
 */

class Unusual extends Error {}
const unusual = (): never => {
  throw new Unusual();
};

function resolvePlain(text: string): unknown {
  const value = resolvePlainScalar(text);
  return value === NOT_A_NUMBER ? unusual() : value;
}

const BLANK = new Set(['space', 'newline', 'comment']);

let currentText = '';

function checkSourceTokens(tokens: readonly CST.SourceToken[] | undefined, allowed: ReadonlySet<string>): void {
  for (const token of tokens ?? []) {
    if (!BLANK.has(token.type) && !allowed.has(token.type)) unusual();
    // A comment must follow white space (`a: b#c` is an error the composer reports).
    if (token.type === 'comment' && token.offset > 0 && !/\s/.test(currentText[token.offset - 1]!)) unusual();
  }
}

const NONE = new Set<string>();
const SEQ_ITEM = new Set(['seq-item-ind']);
const MAP_SEP = new Set(['map-value-ind']);
const FLOW_ITEM = new Set(['comma']);

export function parseYamlFast(file: string, text: string, limits: ParseLimits): ParsedYaml | undefined {
  // Tabs in indentation are errors the parser leaves to the composer; leave them to the full parse.
  if (text.includes('\t')) return undefined;
  currentText = text;
  const { CST: cst, LineCounter, Parser } = yamlLibrary();
  const lineCounter = new LineCounter();
  const tokens: CST.Token[] = [];
  for (const token of new Parser(lineCounter.addNewLine).parse(text)) tokens.push(token);
  const documents = tokens.filter((t) => t.type === 'document') as CST.Document[];
  if (documents.length !== 1) return undefined;
  for (const token of tokens) if (token.type !== 'document' && !BLANK.has(token.type) && token.type !== 'byte-order-mark') return undefined;
  const document = documents[0]!;
  const at = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col };
  };
  const positions: PositionIndex = new Map();
  let nodes = 0;

  const scalar = (token: CST.FlowScalar | CST.BlockScalar): unknown => {
    if (token.type === 'alias') unusual();
    // Multi-line flow scalars carry rules (implicit keys on one line, folding) left to the full parse.
    if (token.type !== 'block-scalar' && token.source.includes('\n')) unusual();
    if (token.type === 'block-scalar' && token.props.some((p) => !BLANK.has(p.type) && p.type !== 'block-scalar-header')) unusual();
    const resolved = cst.resolveAsScalar(token, true, unusual);
    if (!resolved) return unusual();
    if (token.type === 'scalar') {
      checkSourceTokens((token as CST.FlowScalar).end, NONE);
      return resolvePlain(resolved.value);
    }
    if (token.type !== 'block-scalar') checkSourceTokens((token as CST.FlowScalar).end, NONE);
    return resolved.value;
  };

  const keyOf = (token: CST.Token | null | undefined): string => {
    if (!token) return unusual();
    if (token.type !== 'scalar' && token.type !== 'single-quoted-scalar' && token.type !== 'double-quoted-scalar') return unusual();
    const value = scalar(token);
    return value == null ? '' : String(value);
  };

  const convert = (token: CST.Token | undefined, pointer: string, depth: number, fallbackOffset: number): unknown => {
    if (++nodes > limits.maxNodes || depth > limits.maxDepth) unusual();
    if (!token) return null;
    switch (token.type) {
      case 'scalar':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
      case 'block-scalar':
        return scalar(token);
      case 'block-map':
      case 'flow-collection': {
        const isFlow = token.type === 'flow-collection';
        if (isFlow && token.start.source === '[') return sequence(token.items, pointer, depth, isFlow, token);
        if (isFlow) closedFlow(token, 'flow-map-end');
        const out: Record<string, unknown> = {};
        let column = -1;
        for (const item of token.items) {
          if ('explicitKey' in item && item.explicitKey) unusual();
          checkSourceTokens(item.start, isFlow ? FLOW_ITEM : NONE);
          if (isFlow && count(item.start, 'comma') > (item === token.items[0] ? 0 : 1)) unusual();
          // An item of only comments (at the end of a map) holds nothing.
          if (!item.key && !item.sep) {
            if (item.value) unusual();
            continue;
          }
          const key = keyOf(item.key);
          // All keys of a block map start at one column; the composer, not the parser, checks it.
          if (!isFlow) {
            const keyColumn = lineCounter.linePos(item.key!.offset).col;
            if (column === -1) column = keyColumn;
            else if (keyColumn !== column) unusual();
          }
          if (Object.hasOwn(out, key)) unusual();
          checkSourceTokens(item.sep, MAP_SEP);
          if (count(item.sep, 'map-value-ind') !== 1) unusual();
          // YAML puts the `:` of an implicit block key at most 1024 characters after the key's start.
          if (!isFlow && item.sep!.find((t) => t.type === 'map-value-ind')!.offset - item.key!.offset > 1024) unusual();
          // A block collection as a value starts on a line of its own (`a: b: c` is an error).
          if ((item.value?.type === 'block-map' || item.value?.type === 'block-seq') && !item.sep!.some((t) => t.type === 'newline')) unusual();
          const child = `${pointer}/${pointerSegment(key)}`;
          if (child.length > limits.maxKeyPathLength) unusual();
          const keyOffset = item.key!.offset;
          const valueOffset = item.value ? item.value.offset : valueOffsetOfNull(item.sep!, keyOffset);
          positions.set(child, { key: at(keyOffset), value: at(valueOffset) });
          Object.defineProperty(out, key, { value: convert(item.value, child, depth + 1, valueOffset), enumerable: true, writable: true, configurable: true });
        }
        return out;
      }
      case 'block-seq':
        return sequence(token.items, pointer, depth, false, token);
      default:
        void fallbackOffset;
        return unusual();
    }
  };

  const sequence = (items: readonly CST.CollectionItem[], pointer: string, depth: number, isFlow: boolean, token: CST.FlowCollection | CST.BlockSequence): unknown[] => {
    if (isFlow) closedFlow(token as CST.FlowCollection, 'flow-seq-end');
    const out: unknown[] = [];
    let column = -1;
    for (const item of items) {
      checkSourceTokens(item.start, isFlow ? FLOW_ITEM : SEQ_ITEM);
      // A flow list's first item has no comma before it (`[, a]` is an error).
      if (count(item.start, isFlow ? 'comma' : 'seq-item-ind') > (isFlow && item === items[0] ? 0 : 1)) unusual();
      if (!isFlow) {
        const dash = item.start.find((t) => t.type === 'seq-item-ind');
        if (!dash) unusual();
        const dashColumn = lineCounter.linePos(dash!.offset).col;
        if (column === -1) column = dashColumn;
        else if (dashColumn !== column) unusual();
      }
      if (item.key || item.sep) unusual();
      if (isFlow && !item.value) continue;
      if (!item.value) unusual();
      const child = `${pointer}/${out.length}`;
      positions.set(child, { value: at(item.value!.offset) });
      out.push(convert(item.value, child, depth + 1, item.value!.offset));
    }
    return out;
  };

  try {
    checkSourceTokens(document.start, new Set(['doc-start']));
    checkSourceTokens(document.end, NONE);
    if (!document.value) return undefined;
    positions.set('', { value: at(document.value.offset) });
    const data = convert(document.value, '', 0, document.value.offset);
    return { file, data, positions, diagnostics: [] };
  } catch (error) {
    if (error instanceof Unusual) return undefined;
    throw error;
  }
}

function count(tokens: readonly CST.SourceToken[] | undefined, type: string): number {
  return (tokens ?? []).filter((t) => t.type === type).length;
}

/** A flow collection must end with its own closing bracket, and nothing odd after it. */
function closedFlow(token: CST.FlowCollection, closer: 'flow-map-end' | 'flow-seq-end'): void {
  const index = token.end.findIndex((t) => t.type === closer);
  if (index === -1) unusual();
  checkSourceTokens(token.end.slice(0, index), FLOW_ITEM);
  checkSourceTokens(token.end.slice(index + 1), NONE);
}

/** Where `parseDocument` places an empty value: after the `:` and the spaces that follow it. */
function valueOffsetOfNull(sep: readonly CST.SourceToken[], keyOffset: number): number {
  const index = sep.findIndex((t) => t.type === 'map-value-ind');
  if (index === -1) return keyOffset;
  let offset = sep[index]!.offset + 1;
  for (const token of sep.slice(index + 1)) {
    if (token.type !== 'space') break;
    offset = token.offset + token.source.length;
  }
  return offset;
}
