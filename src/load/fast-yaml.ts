import { FAILSAFE_SCHEMA, loadAll, YAMLException, type LoadOptions, type State } from 'js-yaml';
import { ALIAS, EMPTY, keyOf, LineTable, LIST, MAP, SCALAR, TreePositions, type YamlNode } from './fast-yaml-tree.js';
import { MapPositions } from './map-positions.js';
import { NOT_A_NUMBER, resolvePlainScalar } from './yaml-core-schema.js';
import { FULL_PARSE_MAX_CHARS, FULL_PARSE_MAX_LEXEMES, keyPathsTooLongInAll, keyPathTooLong, tooDeep, tooManyValues, type ParseLimits } from './yaml-limits.js';
import { lexemesAtMost } from './yaml-precount.js';
import type { ParsedYaml } from './yaml-types.js';

/**
 * The fast YAML path: js-yaml 4 reads the text under its failsafe schema (every scalar a string),
 * and its listener's open and close events give a tree of nodes with their places in the source.
 * A second pass, without recursion, builds the plain data and the position index from that tree
 * as the full parse's `convert` (parse-yaml.ts) does: same order, same limits, an alias expanded
 * into a fresh copy of its anchor's value, counted node by node as it is copied (an alias bomb
 * stops at the value limit). The yaml library's `parseDocument` stays the reference, and a
 * differential test holds this path to its data and positions. This path answers only when it is
 * sure: tags, anchors on keys, aliases to an unfinished or redefined anchor, explicit or complex
 * keys, duplicate keys, several documents, tabs, odd line breaks, and any syntax error make it step
 * aside.
 *
 * A limit the document exceeds (values, depth, key paths) is reported here, with the full parse's
 * message and place: the full parse of a million values costs seconds and gigabytes. Where this
 * path was unsure of something, the full parse answers if the text is small enough.
 */

/** Why the fast path stepped aside: the full parse must answer. */
export interface StepAside {
  stepAside: true;
  /** js-yaml's syntax error, if that was the reason: reported as is where the full parse would cost too much. */
  syntaxError?: { offset: number; message: string };
}

/**
 * Tabs, a byte-order mark and line breaks other than LF and CRLF have rules of their own: left to
 * the full parse. So is a `#` right after a quote, bracket, comma or colon: js-yaml reads a comment
 * there, YAML wants white space first (inside a scalar it is harmless, and rare). So is an explicit
 * key (`? ` at a line's start, after a list item's `- `, or after `[`, `{` or `,`): js-yaml drops a lone one and reads `[? b]`
 * as `[b]`. Regular expressions: they look at every character of every file, faster than a loop.
 */
const UNSURE_ANYWHERE = /[\t\x85\ufeff\u2028\u2029]|\r(?!\n)|["',:[\]{}]#/;
/** A `?` before white space, then where it is an explicit key: the second, slower search runs only after the first finds one. */
const QUESTION_MARK = /\?(?=[ \r\n]|$)/;
const EXPLICIT_KEY = /(?:^[ ]*(?:-[ ]+)*|[[{,][ ]*)\?(?=[ \r\n]|$)/m;

/** js-yaml counts a level for every key and for a list item's scalar too; with this slack our limit, whose message the full parse shares, fires first. */
const DEPTH_SLACK = 8;

/** YAML puts the `:` of an implicit key at most 1024 characters after the key's start. */
const MAX_IMPLICIT_KEY_SPAN = 1024;

/** The listener's state, with the fields @types/js-yaml leaves out. */
type ListenerState = State & { anchor: string | null };

/** What the listener keeps of a node between its open and close events. */
interface OpenNode {
  open: number;
  children: YamlNode[] | undefined;
}

export function parseYamlFast(file: string, text: string, limits: ParseLimits): ParsedYaml | StepAside {
  const reader = new TreeReader(file, text, limits, UNSURE_ANYWHERE.test(text) || (QUESTION_MARK.test(text) && EXPLICIT_KEY.test(text)));
  try {
    loadAll(text, null, reader.options);
  } catch (error) {
    if (error instanceof YAMLException) {
      const message = error.reason.includes('maxDepth') ? tooDeep(limits.maxDepth) : error.reason;
      return { stepAside: true, syntaxError: { offset: error.mark?.position ?? 0, message } };
    }
    if (error instanceof RangeError) return { stepAside: true, syntaxError: { offset: 0, message: 'the document is nested too deeply to parse' } };
    throw error;
  }
  // Even where unsure from the start, the tree is read: a limit the document exceeds is reported without the full parse.
  return reader.read();
}

/** Thrown (not an Error: no stack to capture) when the document exceeds a limit. */
class LimitReached {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

/** Thrown where the walk cannot go on (an alias without a finished anchor): the full parse answers. */
const CANNOT_GO_ON = Symbol('step aside');

const SPACE = 32;
const LF = 10;
const CR = 13;
const HASH = 35;
const COLON = 58;
const AMPERSAND = 38;
const BANG = 33;
const ASTERISK = 42;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;
const PIPE = 124;
const GREATER = 62;
const COMMA = 44;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Where an anchor or alias name ends: white space or a flow indicator, as js-yaml reads it. */
function nameEnd(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (Number.isNaN(c) || c === SPACE || c === LF || c === CR || c === 9 || c === COMMA || c === OPEN_BRACKET || c === CLOSE_BRACKET || c === OPEN_BRACE || c === CLOSE_BRACE) return i;
    i++;
  }
}

class TreeReader {
  private readonly lines: LineTable;
  private readonly open: OpenNode[] = [];
  private readonly roots: YamlNode[] = [];
  private nodes = 0;
  private keyPathTotal = 0;
  private aliasesExpanded = 0;
  /** Anchors whose node the walk has finished, by name. */
  private readonly anchors = new Map<string, YamlNode>();
  /** Aliases are being expanded: anchors met there are copies, not definitions. */
  private expanding = 0;
  readonly options: LoadOptions & { maxDepth: number };

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly limits: ParseLimits,
    /** Set once anything is uncertain; the walk then goes on only to find a limit the document exceeds. */
    private unsure: boolean,
  ) {
    this.lines = new LineTable(file, text);
    this.options = {
      schema: FAILSAFE_SCHEMA,
      maxDepth: limits.maxDepth + DEPTH_SLACK,
      listener: (event, state) => this.listen(event, state as ListenerState),
      // js-yaml only warns of what the full parse refuses (a flow collection's line indented too little).
      onWarning: () => void (this.unsure = true),
    };
  }

  private listen(event: 'open' | 'close', state: ListenerState): void {
    if (event === 'open') {
      this.open.push({ open: state.position, children: undefined });
      return;
    }
    const node = this.close(this.open.pop()!, state);
    const parent = this.open[this.open.length - 1];
    if (!parent) this.roots.push(node);
    else if (parent.children) parent.children.push(node);
    else parent.children = [node];
  }

  /**
   * A node read whole. js-yaml reads a list item's or next-line value's scalar by first trying it
   * as a map's key: that node comes back wrapped in one standing at the same place, unwrapped here.
   * A node with an anchor on its line is first tried as a map whose first key bears the anchor: an
   * attempt whose nodes are dropped when it fails.
   */
  private close(opened: OpenNode, state: ListenerState): YamlNode {
    const { text } = this;
    const start = this.skipBlank(opened.open);
    let contentStart = start;
    let c = text.charCodeAt(start);
    const properties = c === AMPERSAND || c === BANG;
    if (properties) {
      // Tags are the full parse's; an anchor read here but not kept went to a key.
      if (c === BANG || state.anchor === null) this.unsure = true;
      const afterName = nameEnd(text, start);
      contentStart = this.skipBlank(afterName);
      c = text.charCodeAt(contentStart);
      // js-yaml differs from the full parse where an anchor touches what follows (`&a[1]`), ends in `:`
      // (`&x: 1`), anchors an alias, or stands alone on its line before a flow collection (`&x` then `[1]`).
      const touching = afterName < text.length && !isBlankAt(text, afterName);
      const lineBreak = text.slice(afterName, contentStart).includes('\n');
      if (c === BANG || c === AMPERSAND || c === ASTERISK || touching || text.charCodeAt(afterName - 1) === COLON || (lineBreak && (c === OPEN_BRACKET || c === OPEN_BRACE))) {
        this.unsure = true;
      }
    }
    const children = opened.children;
    // A block scalar (`- |`) was tried as a key too, but that attempt closed empty: the scalar is this node's.
    if (!properties && children?.length === 1 && children[0]!.start === start && !children[0]!.isKey && !(children[0]!.kind === EMPTY && state.kind === 'scalar')) {
      return children[0]!;
    }
    const node: YamlNode = { kind: SCALAR, start: contentStart, value: null, children: undefined, anchor: state.anchor, isKey: false, keyIndex: undefined };
    const end = state.position;
    switch (state.kind) {
      case 'mapping':
        node.kind = MAP;
        node.children = this.pairsOf(children);
        break;
      case 'sequence':
        node.kind = LIST;
        node.children = children ?? [];
        if ((state.result as unknown[]).length !== node.children.length) this.unsure = true;
        break;
      case 'scalar': {
        const raw = state.result as string;
        if (c === PIPE || c === GREATER) {
          // js-yaml reads some block scalars otherwise than YAML: with an indentation indicator (`|2`), or
          // with a line of nothing but spaces (an editor's leftover indentation) among or after its lines.
          if (blockScalarUnsure(text, contentStart, end)) this.unsure = true;
        } else if (c === DOUBLE_QUOTE) {
          // `\U` beyond U+10FFFF is an error in YAML; js-yaml makes two lone surrogates of it.
          if (text.slice(contentStart, end).includes('\\U')) this.unsure = true;
        }
        if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE || c === PIPE || c === GREATER) node.value = raw;
        else {
          node.value = resolvePlainScalar(raw);
          // `.nan`: the full parse refuses it, with its message.
          if (node.value === NOT_A_NUMBER) {
            this.unsure = true;
            node.value = null;
          }
        }
        break;
      }
      default:
        if (c === ASTERISK && end > contentStart) {
          node.kind = ALIAS;
          const nameStop = nameEnd(text, contentStart + 1);
          node.value = text.slice(contentStart + 1, nameStop);
          // An alias then a line break before a flow closer: js-yaml does not check that line's indent
          // (`e: [[*x` then `]]` at the line's start is an error), unless the document is a flow collection.
          const next = this.skipBlank(nameStop);
          if ((node.value as string).includes(':') || (text.slice(nameStop, next).includes('\n') && FLOW_CLOSERS.has(text.charCodeAt(next)) && this.closerMayBeUnderIndented(next))) this.unsure = true;
        } else {
          // An empty value: after its indicator (`key:`, where the node opened) and spaces.
          node.kind = EMPTY;
          if (properties) this.unsure = true;
          let at = opened.open;
          while (text.charCodeAt(at) === SPACE) at++;
          node.start = at;
          if (text.charCodeAt(at) === COLON) this.unsure = true;
          // In a flow collection (`{b:` then a line break), js-yaml opens the empty value past the line
          // break; the full parse places it after the indicator.
          if (FLOW_CLOSERS.has(text.charCodeAt(at))) {
            let before = opened.open - 1;
            while (text.charCodeAt(before) === SPACE) before--;
            if (text.charCodeAt(before) === LF || text.charCodeAt(before) === CR) this.unsure = true;
          }
          return node;
        }
    }
    let colon = end;
    while (text.charCodeAt(colon) === SPACE) colon++;
    if (text.charCodeAt(colon) === COLON) {
      node.isKey = true;
      if (colon - node.start > MAX_IMPLICIT_KEY_SPAN || node.kind !== SCALAR || node.anchor !== null) this.unsure = true;
    }
    return node;
  }

  /**
   * Whether a flow closer at `at` (after an alias and a line break) may be indented too little: it stands
   * no further right than the line where its collection opens starts, in a document that is not itself a
   * flow collection (stricter than YAML: such a document merely takes the full parse).
   */
  private closerMayBeUnderIndented(at: number): boolean {
    const { text } = this;
    const first = text.charCodeAt(this.afterDocumentStart());
    if (first === OPEN_BRACKET || first === OPEN_BRACE) return false;
    const indentOf = (offset: number) => {
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      let i = lineStart;
      while (text.charCodeAt(i) === SPACE) i++;
      return i - lineStart;
    };
    const parent = this.open[this.open.length - 1];
    return parent === undefined || at - (text.lastIndexOf('\n', at - 1) + 1) <= indentOf(this.skipBlank(parent.open));
  }

  /** Where the document's content starts: after blanks and a document start marker, if any. */
  private afterDocumentStart(): number {
    const at = this.skipBlank(0);
    return this.text.startsWith('---', at) ? this.skipBlank(at + 3) : at;
  }

  /** A map's nodes as key, value, key, value: anything else (an explicit key, a key without a value) is the full parse's. */
  private pairsOf(children: YamlNode[] | undefined): YamlNode[] {
    if (!children) return [];
    let i = 0;
    for (; i + 1 < children.length; i += 2) {
      if (!children[i]!.isKey || children[i + 1]!.isKey) break;
    }
    if (i === children.length) return children;
    // js-yaml tries one more key where a map ends; an empty node it leaves.
    if (i === children.length - 1 && children[i]!.kind === EMPTY) return children.slice(0, i);
    this.unsure = true;
    return children.slice(0, i);
  }

  read(): ParsedYaml | StepAside {
    const { roots } = this;
    const root = roots[0];
    // An empty text or document, several documents: the full parse's.
    if (!root || root.kind === EMPTY) return { stepAside: true };
    if (roots.length > 1) this.unsure = true;
    // Before the root: blanks, perhaps a document start marker, and the root's anchor.
    const marker = this.skipBlank(0);
    if (this.text.startsWith('---', marker)) {
      // Content on the marker's line (`--- a: 1`, `---a: 1`): the full parse's.
      const lineEnd = this.text.indexOf('\n', marker);
      const rest = this.text.slice(marker + 3, lineEnd === -1 ? undefined : lineEnd);
      if (!/^(?:[ ]+(?:#.*)?)?\r?$/.test(rest)) this.unsure = true;
    }
    let at = this.afterDocumentStart();
    if (root.anchor !== null && this.text.charCodeAt(at) === AMPERSAND) at = this.skipBlank(nameEnd(this.text, at));
    if (at !== root.start) this.unsure = true;
    let data: unknown;
    try {
      data = this.convert(root, 0, 0);
      // Further documents: read only for the limits.
      for (let i = 1; i < roots.length; i++) this.convert(roots[i]!, 0, 0);
    } catch (error) {
      if (error === CANNOT_GO_ON) return { stepAside: true };
      if (!(error instanceof LimitReached)) throw error;
      // Unsure of something anywhere in the text (js-yaml has read it all), or holding keys equal in the
      // core schema past the limit, the full parse might have said something else first: let it, where
      // it is affordable.
      if ((this.text.length <= FULL_PARSE_MAX_CHARS || lexemesAtMost(this.text, FULL_PARSE_MAX_LEXEMES)) && (this.unsure || hasEqualKeys(roots))) return { stepAside: true };
      return { file: this.file, data: undefined, positions: new MapPositions(), diagnostics: [{ ...this.lines.at(error.offset), code: 'yaml-limit', message: error.message }] };
    }
    if (this.unsure) return { stepAside: true };
    return { file: this.file, data, positions: new TreePositions(root, this.anchors, this.lines), diagnostics: [] };
  }

  /** Counts a node towards the limits, as the full parse does, before it is built. */
  private enter(node: YamlNode, depth: number): void {
    if (++this.nodes > this.limits.maxNodes) throw new LimitReached(tooManyValues(this.limits.maxNodes, this.aliasesExpanded > 0), node.start);
    if (depth > this.limits.maxDepth) throw new LimitReached(tooDeep(this.limits.maxDepth), node.start);
  }

  /**
   * The full parse's `convert`, with a stack rather than recursion (a list may hold a million items):
   * the same order of counting, checking and indexing, so that a limit is met at the same node.
   */
  private convert(root: YamlNode, rootPointerLength: number, rootDepth: number): unknown {
    interface Frame {
      node: YamlNode;
      out: Record<string, unknown> | unknown[];
      /** The length of the node's JSON pointer: the limits on key paths count it (the pointers themselves are made only when asked for). */
      pointerLength: number;
      depth: number;
      next: number;
      /** An anchor to record once the node is built (not while expanding an alias). */
      anchor: string | null;
      expansion: boolean;
    }
    const stack: Frame[] = [];
    const open = new Set<string>();
    let result: unknown;
    /** Builds a scalar, or opens a map or list (its frame pushed); returns the value to attach. */
    const begin = (given: YamlNode, pointerLength: number, depth: number): unknown => {
      let node = given;
      this.enter(node, depth);
      let expansion = false;
      if (node.kind === ALIAS) {
        const target = this.anchors.get(node.value as string);
        if (!target) throw CANNOT_GO_ON;
        this.aliasesExpanded++;
        node = target;
        this.enter(node, depth);
        expansion = true;
        this.expanding++;
      }
      let anchor: string | null = null;
      if (node.anchor !== null && this.expanding === 0) {
        if (this.anchors.has(node.anchor) || open.has(node.anchor)) throw CANNOT_GO_ON;
        anchor = node.anchor;
      }
      if (node.kind === MAP || node.kind === LIST) {
        const out = node.kind === MAP ? {} : [];
        if (anchor !== null) open.add(anchor);
        stack.push({ node, out, pointerLength, depth, next: 0, anchor, expansion });
        return out;
      }
      if (expansion) this.expanding--;
      if (anchor !== null) this.anchors.set(anchor, node);
      return node.kind === SCALAR ? node.value : null;
    };
    result = begin(root, rootPointerLength, rootDepth);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const { node, pointerLength } = frame;
      const children = node.children!;
      if (frame.next >= children.length) {
        stack.pop();
        if (frame.expansion) this.expanding--;
        if (frame.anchor !== null) {
          open.delete(frame.anchor);
          this.anchors.set(frame.anchor, node);
        }
        continue;
      }
      if (node.kind === LIST) {
        const index = frame.next++;
        const item = children[index]!;
        const childLength = pointerLength + 1 + digits(index);
        this.indexed(childLength, item.start);
        (frame.out as unknown[]).push(begin(item, childLength, frame.depth + 1));
        continue;
      }
      const keyNode = children[frame.next]!;
      const valueNode = children[frame.next + 1]!;
      frame.next += 2;
      const key = keyOf(keyNode);
      const childLength = pointerLength + 1 + segmentLength(key);
      if (childLength > this.limits.maxKeyPathLength) throw new LimitReached(keyPathTooLong(this.limits.maxKeyPathLength), keyNode.start);
      this.indexed(childLength, valueNode.start);
      const out = frame.out as Record<string, unknown>;
      // Keys equal in the core schema (`1` and `01`, `true` and `True`): the full parse reports them.
      if (Object.hasOwn(out, key)) this.unsure = true;
      const value = begin(valueNode, childLength, frame.depth + 1);
      // __proto__ through defineProperty, so that it stays plain data and never touches a prototype
      // (every other key by assignment: defineProperty is slow).
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
    }
    return result;
  }

  private indexed(pointerLength: number, offset: number): void {
    if ((this.keyPathTotal += pointerLength) > this.limits.maxKeyPathTotal) throw new LimitReached(keyPathsTooLongInAll(this.limits.maxKeyPathTotal), offset);
  }

  /**
   * Moves over spaces, line breaks and comments; returns where the next character stands. A `#`
   * not after white space is no comment: unsure.
   */
  private skipBlank(from: number): number {
    const { text } = this;
    let i = from;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === LF || c === CR) i++;
      else if (c === HASH) {
        const before = i === 0 ? LF : text.charCodeAt(i - 1);
        if (before !== SPACE && before !== LF && before !== CR) this.unsure = true;
        const lineEnd = text.indexOf('\n', i);
        i = lineEnd === -1 ? text.length : lineEnd;
      } else return i;
    }
  }
}

const FLOW_CLOSERS = new Set([CLOSE_BRACKET, CLOSE_BRACE, COMMA]);
const SPACES_LINE = /\n +(?=\r?\n|$)/;

/** Whether a map anywhere in the tree has two keys equal in the core schema (`1` and `01`, `~` and `null`). */
function hasEqualKeys(roots: readonly YamlNode[]): boolean {
  const stack = [...roots];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (!node.children) continue;
    if (node.kind === MAP) {
      const keys = new Set<string>();
      for (let i = 0; i + 1 < node.children.length; i += 2) {
        const key = keyOf(node.children[i]!);
        if (keys.has(key)) return true;
        keys.add(key);
      }
    }
    for (const child of node.children) stack.push(child);
  }
  return false;
}

function isBlankAt(text: string, at: number): boolean {
  const c = text.charCodeAt(at);
  return c === SPACE || c === LF || c === CR;
}

/**
 * Whether js-yaml may read the block scalar whose indicator stands at `from` (js-yaml stopped at `end`)
 * otherwise than YAML: an indentation indicator in its header (`|2`), a line of nothing but spaces
 * before its first line of text, or, kept (`|+`), any such line (js-yaml may stop before trailing ones).
 */
function blockScalarUnsure(text: string, from: number, end: number): boolean {
  let i = from + 1;
  let keep = false;
  for (let c = text.charCodeAt(i); i < text.length && c !== SPACE && c !== LF && c !== CR; c = text.charCodeAt(++i)) {
    if (c >= 48 && c <= 57) return true;
    if (c === 43) keep = true;
  }
  for (let line = text.indexOf('\n', from); line !== -1; line = text.indexOf('\n', line + 1)) {
    let j = line + 1;
    while (text.charCodeAt(j) === SPACE) j++;
    const c = text.charCodeAt(j);
    if (j < text.length && c !== LF && c !== CR) break;
    if (j > line + 1) return true;
  }
  if (!keep) return false;
  const lineAfter = text.indexOf('\n', end);
  return SPACES_LINE.test(text.slice(from, lineAfter === -1 ? text.length : lineAfter + 1));
}

/** The length of a list index written in decimal. */
function digits(index: number): number {
  let count = 1;
  for (let rest = index; rest >= 10; rest = Math.floor(rest / 10)) count++;
  return count;
}

/** The length of `key` as a JSON pointer segment (`~` and `/` are written with two characters). */
function segmentLength(key: string): number {
  let length = key.length;
  for (let i = key.indexOf('~'); i !== -1; i = key.indexOf('~', i + 1)) length++;
  for (let i = key.indexOf('/'); i !== -1; i = key.indexOf('/', i + 1)) length++;
  return length;
}
