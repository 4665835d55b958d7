import { COLLECTION_STYLE, EVENT_ID, getScalarValue, parseEvents, SCALAR_STYLE, YAMLException, type Event, type ScalarEvent } from 'js-yaml';
import type { SourceLocation } from '../types.js';
import { pointerSegment } from './json-pointer.js';
import { NOT_A_NUMBER, resolvePlainScalar } from './yaml-core-schema.js';
import { FULL_PARSE_MAX_CHARS, FULL_PARSE_MAX_LEXEMES, keyPathsTooLongInAll, keyPathTooLong, tooDeep, tooManyValues, type ParseLimits } from './yaml-limits.js';
import { lexemesAtMost } from './yaml-precount.js';
import type { ParsedYaml, PositionIndex } from './yaml-types.js';

/**
 * The fast YAML path: js-yaml's event parser (a flat list of events with source offsets), read here
 * into plain data and a position index, one pass, no recursion. The yaml library's `parseDocument`
 * stays the reference, and a differential test holds this path to its data and positions. This path
 * answers only when it is sure: anchors, aliases, tags, explicit or complex keys, duplicate keys,
 * several documents, tabs, odd line breaks, a gap between nodes holding anything but spaces,
 * comments and the indicators expected there, and any syntax error make it step aside.
 *
 * A limit the document exceeds (values, depth, key paths) is reported here, with the full parse's
 * message and place: the full parse of a million values costs seconds and gigabytes. Where the walk
 * was unsure of something before the limit, the full parse answers if the text is small enough.
 */

/** Why the fast path stepped aside: the full parse must answer. */
export interface StepAside {
  stepAside: true;
  /** js-yaml's syntax error, if that was the reason: reported as is where the full parse would cost too much. */
  syntaxError?: { offset: number; message: string };
}

/**
 * Tabs, a byte-order mark and line breaks other than LF and CRLF have rules of their own (and
 * js-yaml 5.5 refuses a tab before a flow collection, `a:\t[1]`, which is valid): left to the full
 * parse. A loop, not a regular expression: this looks at every character of every file.
 */
function unsureAnywhere(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 9 || (c === 13 && text.charCodeAt(i + 1) !== 10) || c === 0x85 || c === 0xfeff || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** js-yaml counts depth its own way; with this slack our limit, whose message the full parse shares, fires first. */
const DEPTH_SLACK = 8;

/** YAML puts the `:` of an implicit key at most 1024 characters after the key's start. */
const MAX_IMPLICIT_KEY_SPAN = 1024;

export function parseYamlFast(file: string, text: string, limits: ParseLimits): ParsedYaml | StepAside {
  let events: Event[];
  try {
    events = parseEvents(text, { maxDepth: limits.maxDepth + DEPTH_SLACK });
  } catch (error) {
    if (error instanceof YAMLException) {
      const message = error.reason.includes('maxDepth') ? tooDeep(limits.maxDepth) : error.reason;
      return { stepAside: true, syntaxError: { offset: error.mark?.position ?? 0, message } };
    }
    if (error instanceof RangeError) return { stepAside: true, syntaxError: { offset: 0, message: 'the document is nested too deeply to parse' } };
    throw error;
  }
  // Even where unsure from the start, the events are read: a limit the document exceeds is reported without the full parse.
  return new EventReader(file, text, events, limits, unsureAnywhere(text)).read();
}

/** Thrown (not an Error: no stack to capture) when the document exceeds a limit. */
class LimitReached {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

type NodeEvent = Exclude<Event, { type: typeof EVENT_ID.POP | typeof EVENT_ID.DOCUMENT }>;

interface Frame {
  map: boolean;
  flow: boolean;
  value: Record<string, unknown> | unknown[];
  pointer: string;
  depth: number;
  items: number;
  /** A map or list written as a key: read only to stay in step (the full parse refuses it). */
  isKey: boolean;
  /** For a map: the key waiting for its value (undefined when a key comes next), its pointer, where it stands. */
  key?: string;
  keyPointer?: string;
  keyAt?: SourceLocation;
}

const SPACE = 32;
const LF = 10;
const CR = 13;
const HASH = 35;
const DASH = 45;
const COMMA = 44;
const COLON = 58;
const PIPE = 124;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const GREATER = 62;

class EventReader {
  private readonly positions: PositionIndex = new Map();
  private lineStarts: number[] | undefined;
  private readonly stack: Frame[] = [];
  /** Where the text read so far ends; the gap from here to the next node is checked. */
  private cursor = 0;
  private nodes = 0;
  private keyPathTotal = 0;
  private aliasesSeen = false;

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly events: Event[],
    private readonly limits: ParseLimits,
    /** Set once anything is uncertain; the walk then goes on only to find a limit the document exceeds. */
    private unsure: boolean,
  ) {}

  read(): ParsedYaml | StepAside {
    const { events } = this;
    const first = events[0];
    // An empty text, an empty document, directives and end markers: the full parse's.
    if (!first || first.type !== EVENT_ID.DOCUMENT || events.length <= 3) return { stepAside: true };
    if (first.directives.length > 0 || first.explicitEnd) this.unsure = true;
    if (first.explicitStart) {
      const marker = this.skipBlank();
      if (!this.text.startsWith('---', marker)) this.unsure = true;
      this.cursor = marker + 3;
    }
    let root: unknown;
    try {
      root = this.walk();
    } catch (error) {
      if (!(error instanceof LimitReached)) throw error;
      // Unsure of something before the limit, the full parse might have said something else first: let it, where it is affordable.
      if (this.unsure && (this.text.length <= FULL_PARSE_MAX_CHARS || lexemesAtMost(this.text, FULL_PARSE_MAX_LEXEMES))) return { stepAside: true };
      return { file: this.file, data: undefined, positions: new Map(), diagnostics: [{ ...this.at(error.offset), code: 'yaml-limit', message: error.message }] };
    }
    if (!this.unsure && this.skipBlank() !== this.text.length) this.unsure = true;
    if (this.unsure) return { stepAside: true };
    return { file: this.file, data: root, positions: this.positions, diagnostics: [] };
  }

  /** One pass over the events, with a stack rather than recursion: a list may hold a million items. */
  private walk(): unknown {
    const { events, stack } = this;
    let root: unknown;
    for (let index = 1; index < events.length; index++) {
      const event = events[index]!;
      if (event.type === EVENT_ID.DOCUMENT) {
        // A second document: the full parse reports it, with its place.
        this.unsure = true;
        continue;
      }
      if (event.type === EVENT_ID.POP) {
        const frame = stack.pop();
        if (!frame) continue;
        if (frame.flow) this.closeFlow(frame);
        if (frame.map && frame.key !== undefined) this.unsure = true;
        const parent = stack[stack.length - 1];
        if (frame.isKey) this.keyRead(parent!, '', this.cursor, this.cursor);
        else if (parent) this.attach(parent, frame.value);
        else root = frame.value;
        continue;
      }
      const parent = stack[stack.length - 1];
      if (parent?.map && parent.key === undefined) {
        this.readKey(parent, event);
        continue;
      }
      const pointer = parent ? (parent.map ? parent.keyPointer! : `${parent.pointer}/${parent.items}`) : '';
      const depth = parent ? parent.depth + 1 : 0;
      const start = this.nodeStart(parent, event);
      if ((this.keyPathTotal += pointer.length) > this.limits.maxKeyPathTotal) throw new LimitReached(keyPathsTooLongInAll(this.limits.maxKeyPathTotal), start);
      if (++this.nodes > this.limits.maxNodes) throw new LimitReached(tooManyValues(this.limits.maxNodes, this.aliasesSeen), start);
      if (depth > this.limits.maxDepth) throw new LimitReached(tooDeep(this.limits.maxDepth), start);
      if (!parent?.isKey) this.positions.set(pointer, parent?.map ? { key: parent.keyAt, value: this.at(start) } : { value: this.at(start) });
      if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
        const map = event.type === EVENT_ID.MAPPING;
        const flow = event.style === COLLECTION_STYLE.FLOW;
        stack.push({ map, flow, value: map ? {} : [], pointer, depth, items: 0, isKey: false });
        const opener = flow ? (map ? OPEN_BRACE : OPEN_BRACKET) : map ? undefined : DASH;
        if (opener !== undefined && this.text.charCodeAt(event.start) !== opener) this.unsure = true;
        // A block list's first dash is read as the gap before its first item.
        this.cursor = Math.max(this.cursor, flow ? event.start + 1 : event.start);
        continue;
      }
      let value: unknown = null;
      if (event.type === EVENT_ID.SCALAR) {
        value = this.scalarValue(event);
        if (event.valueStart !== -1) this.cursor = Math.max(this.cursor, this.scalarEnd(event, start));
      } else {
        this.unsure = true;
        this.aliasesSeen = true;
        this.cursor = Math.max(this.cursor, event.anchorEnd);
      }
      if (parent) this.attach(parent, value);
      else root = value;
    }
    return root;
  }

  private attach(parent: Frame, value: unknown): void {
    if (!parent.map) {
      (parent.value as unknown[]).push(value);
    } else {
      const key = parent.key!;
      // __proto__ through defineProperty, so that it stays plain data and never touches a prototype
      // (every other key by assignment: defineProperty costs a tenth of the whole walk).
      if (key === '__proto__') Object.defineProperty(parent.value, key, { value, enumerable: true, writable: true, configurable: true });
      else (parent.value as Record<string, unknown>)[key] = value;
      parent.key = undefined;
    }
    parent.items++;
  }

  private readKey(map: Frame, event: NodeEvent): void {
    if (event.type === EVENT_ID.MAPPING || event.type === EVENT_ID.SEQUENCE) {
      // A map or list as a key: the full parse refuses it; its events are read only to stay in step.
      this.unsure = true;
      this.stack.push({ map: event.type === EVENT_ID.MAPPING, flow: event.style === COLLECTION_STYLE.FLOW, value: [], pointer: map.pointer, depth: map.depth, items: 0, isKey: true });
      this.cursor = Math.max(this.cursor, event.style === COLLECTION_STYLE.FLOW ? event.start + 1 : event.start);
      return;
    }
    if (event.type !== EVENT_ID.SCALAR || event.anchorStart !== -1 || event.tagStart !== -1 || event.valueStart === -1) {
      // Aliases, anchors or tags on keys, empty keys: the full parse's.
      this.unsure = true;
      const end = event.type === EVENT_ID.SCALAR ? Math.max(event.valueEnd, event.anchorEnd, event.tagEnd) : event.anchorEnd;
      this.keyRead(map, '', Math.max(this.cursor, end), Math.max(this.cursor, end));
      return;
    }
    if (map.flow && map.items > 0) this.expectIndicator(COMMA);
    const start = this.skipBlank();
    const quoted = event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED;
    if (start !== (quoted ? event.valueStart - 1 : event.valueStart) || (!quoted && event.style !== SCALAR_STYLE.PLAIN)) this.unsure = true;
    let colon = quoted ? event.valueEnd + 1 : event.valueEnd;
    while (this.text.charCodeAt(colon) === SPACE) colon++;
    if (this.text.charCodeAt(colon) !== COLON || colon - start > MAX_IMPLICIT_KEY_SPAN) this.unsure = true;
    const raw = getScalarValue(this.text, event);
    const resolved = quoted ? raw : resolvePlainScalar(raw);
    const key = resolved === NOT_A_NUMBER ? 'NaN' : resolved == null ? '' : String(resolved);
    if (Object.hasOwn(map.value, key)) this.unsure = true;
    this.keyRead(map, key, start, colon);
  }

  private keyRead(map: Frame, key: string, start: number, colon: number): void {
    const pointer = `${map.pointer}/${pointerSegment(key)}`;
    if (pointer.length > this.limits.maxKeyPathLength) {
      throw new LimitReached(keyPathTooLong(this.limits.maxKeyPathLength), start);
    }
    map.key = key;
    map.keyPointer = pointer;
    map.keyAt = this.at(start);
    this.cursor = Math.max(this.cursor, colon + 1);
  }

  /** Where the full parse places a node: its first character, after any anchor or tag; an empty value after its indicator and spaces. */
  private nodeStart(parent: Frame | undefined, event: NodeEvent): number {
    if (parent && !parent.map) {
      if (!parent.flow) this.expectIndicator(DASH);
      else if (parent.items > 0) this.expectIndicator(COMMA);
    }
    if (event.type === EVENT_ID.SCALAR && event.valueStart === -1) {
      if (event.anchorStart !== -1 || event.tagStart !== -1) {
        this.unsure = true;
        this.cursor = Math.max(this.cursor, event.anchorEnd, event.tagEnd);
      }
      // After `key:` or `-`; the cursor stands just past that indicator.
      if (!parent || (parent.flow && !parent.map)) this.unsure = true;
      let offset = this.cursor;
      while (this.text.charCodeAt(offset) === SPACE) offset++;
      return offset;
    }
    if (event.type !== EVENT_ID.ALIAS && (event.anchorStart !== -1 || event.tagStart !== -1)) {
      this.unsure = true;
      this.cursor = Math.max(this.cursor, event.anchorEnd, event.tagEnd);
    }
    const start = this.skipBlank();
    let expected: number;
    if (event.type === EVENT_ID.SCALAR) {
      if (event.style === SCALAR_STYLE.PLAIN) expected = event.valueStart;
      else if (event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED) expected = event.valueStart - 1;
      else {
        // A block scalar stands at its header (`|`, `>-`, …); its text starts on a later line.
        const header = this.text.charCodeAt(start);
        expected = (header === PIPE || header === GREATER) && start < event.valueStart ? start : event.valueStart;
      }
    } else if (event.type === EVENT_ID.ALIAS) {
      expected = event.anchorStart - 1;
    } else {
      expected = event.start;
    }
    if (start !== expected) {
      this.unsure = true;
      this.cursor = Math.max(this.cursor, expected);
    }
    return expected;
  }

  private scalarValue(event: ScalarEvent): unknown {
    if (event.valueStart === -1) return event.style === SCALAR_STYLE.PLAIN ? null : '';
    const raw = getScalarValue(this.text, event);
    if (event.style !== SCALAR_STYLE.PLAIN) return raw;
    const value = resolvePlainScalar(raw);
    if (value !== NOT_A_NUMBER) return value;
    // `.nan`: the full parse refuses it, with its message.
    this.unsure = true;
    return null;
  }

  /** Where the source of a scalar ends. */
  private scalarEnd(event: ScalarEvent, start: number): number {
    if (event.style === SCALAR_STYLE.SINGLE_QUOTED || event.style === SCALAR_STYLE.DOUBLE_QUOTED) return event.valueEnd + 1;
    return Math.max(event.valueEnd, start + 1);
  }

  /**
   * Moves the cursor over spaces, line breaks and comments; returns where the next character
   * stands. A `#` not after white space is no comment: unsure.
   */
  private skipBlank(): number {
    const { text } = this;
    let i = this.cursor;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === SPACE || c === LF || c === CR) i++;
      else if (c === HASH) {
        const before = i === 0 ? LF : text.charCodeAt(i - 1);
        if (before !== SPACE && before !== LF && before !== CR) this.unsure = true;
        const lineEnd = text.indexOf('\n', i);
        i = lineEnd === -1 ? text.length : lineEnd;
      } else break;
    }
    this.cursor = i;
    return i;
  }

  /** The indicator that must come next (a list's `-` or a flow collection's `,`), after blanks. */
  private expectIndicator(indicator: number): void {
    const at = this.skipBlank();
    const after = this.text.charCodeAt(at + 1);
    if (this.text.charCodeAt(at) !== indicator || (indicator === DASH && !(after === SPACE || after === LF || after === CR || Number.isNaN(after)))) {
      this.unsure = true;
      return;
    }
    this.cursor = at + 1;
  }

  /** The end of a flow collection: an optional comma after its last item, then its closing bracket. */
  private closeFlow(frame: Frame): void {
    let at = this.skipBlank();
    if (frame.items > 0 && this.text.charCodeAt(at) === COMMA) {
      this.cursor = at + 1;
      at = this.skipBlank();
    }
    if (this.text.charCodeAt(at) !== (frame.map ? CLOSE_BRACE : CLOSE_BRACKET)) this.unsure = true;
    else this.cursor = at + 1;
  }

  private at(offset: number): SourceLocation {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { file: this.file, line: low + 1, column: offset - starts[low]! + 1 };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}
