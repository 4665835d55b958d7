import type { SourceLocation } from '../types.js';
import type { ParseLimits, ParsedYaml, PositionIndex } from './parse-yaml.js';
import { pointerSegment } from './json-pointer.js';
import { NOT_A_NUMBER, resolvePlainScalar } from './yaml-core-schema.js';

/**
 * The quickest of the three YAML paths, for measure files as people write them: block maps and
 * lists, flow maps and lists closed on their own line, one-line plain and quoted scalars, comments.
 * It scans the text once, with no syntax tree, and records each position as it passes. Whatever it
 * is not sure of (block scalars, multi-line scalars or flow collections, anchors, tags, explicit
 * keys, duplicate keys, document markers past the first line, any error) makes it step aside, and
 * the caller takes the next path. A differential test holds it to `parseDocument`'s data and
 * positions.
 */
export function parseYamlScanned(file: string, text: string, limits: ParseLimits): ParsedYaml | undefined {
  // Tabs, odd line breaks and a byte-order mark have rules of their own: left to the other paths.
  if (UNSURE_ANYWHERE.test(text)) return undefined;
  const scanner = new Scanner(file, text, limits);
  try {
    return scanner.document();
  } catch (error) {
    if (error === STEP_ASIDE) return undefined;
    throw error;
  }
}

const UNSURE_ANYWHERE = /[\t\uFEFF\u0085\u2028\u2029]|\r(?!\n)/;

/** Thrown (never an Error: no stack to capture) when the scanner leaves the file to another path. */
const STEP_ASIDE = { stepAside: true };
const stepAside = (): never => {
  throw STEP_ASIDE;
};

const LF = 10;
const CR = 13;
const SPACE = 32;
const DOUBLE_QUOTE = 34;
const HASH = 35;
const SINGLE_QUOTE = 39;
const COMMA = 44;
const DASH = 45;
const DOT = 46;
const COLON = 58;
const OPEN_BRACKET = 91;
const BACKSLASH = 92;
const CLOSE_BRACKET = 93;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;

/** Characters no plain scalar may start with; `-` is handled apart, and plain scalars starting with `?` or `:` are left to the other paths. */
const INDICATOR = new Set([...',[]{}#&*!|>\'"%@`?:'].map((c) => c.charCodeAt(0)));
const FLOW_INDICATOR = new Set([COMMA, OPEN_BRACKET, CLOSE_BRACKET, OPEN_BRACE, CLOSE_BRACE]);

/** Double-quoted escapes with one-character meanings (YAML 1.2, 5.7). */
const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ',
  '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

class Scanner {
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  /** Indentation of the line the scanner stands on, once at its content; -1 at the end of the text. */
  private indent = 0;
  private nodes = 0;
  private readonly positions: PositionIndex = new Map();

  constructor(
    private readonly file: string,
    private readonly text: string,
    private readonly limits: ParseLimits,
  ) {}

  document(): ParsedYaml | undefined {
    // A document start marker may open the file (on a line of its own); any later marker is left to the other paths.
    if (!this.toContent(true)) return undefined;
    if (this.indent === 0 && this.text.startsWith('---', this.pos) && this.endsToken(this.pos + 3)) {
      this.pos += 3;
      this.restOfLine(false);
      if (!this.toContent()) return undefined;
    }
    this.positions.set('', { value: this.at(this.pos) });
    const data = this.blockNode(this.indent, '', 0);
    if (this.indent !== -1) stepAside();
    return { file: this.file, data, positions: this.positions, diagnostics: [] };
  }

  private at(offset: number): SourceLocation {
    return { file: this.file, line: this.line, column: offset - this.lineStart + 1 };
  }

  private code(offset = this.pos): number {
    return this.text.charCodeAt(offset);
  }

  /** The line ends at `offset` (or the text does). */
  private endOfLine(offset = this.pos): boolean {
    const c = this.text.charCodeAt(offset);
    return c === LF || Number.isNaN(c) || (c === CR && this.text.charCodeAt(offset + 1) === LF);
  }

  /** What stands at `offset` ends a token: a space or the end of the line. */
  private endsToken(offset: number): boolean {
    return this.code(offset) === SPACE || this.endOfLine(offset);
  }

  private skipSpaces(): number {
    const start = this.pos;
    while (this.code() === SPACE) this.pos++;
    return this.pos - start;
  }

  /** Past spaces and a comment (which must follow a space) to the next line. */
  private restOfLine(afterSpace: boolean): void {
    const spaces = this.skipSpaces();
    if (this.code() === HASH && (spaces > 0 || afterSpace)) {
      const end = this.text.indexOf('\n', this.pos);
      this.pos = end === -1 ? this.text.length : end;
    }
    if (!this.endOfLine()) stepAside();
    this.nextLine();
  }

  private nextLine(): void {
    const end = this.text.indexOf('\n', this.pos);
    if (end === -1) {
      this.pos = this.text.length;
      return;
    }
    this.pos = end + 1;
    this.line++;
    this.lineStart = this.pos;
  }

  /** From the start of a line, past blank and comment lines to the next content, setting `indent`; false at the end. */
  private toContent(documentStartAllowed = false): boolean {
    for (;;) {
      if (this.pos >= this.text.length) {
        this.indent = -1;
        return false;
      }
      this.skipSpaces();
      if (this.endOfLine() || this.code() === HASH) {
        this.restOfLine(true);
        continue;
      }
      this.indent = this.pos - this.lineStart;
      if (this.indent === 0) this.refuseDocumentMarker(documentStartAllowed);
      return true;
    }
  }

  private refuseDocumentMarker(documentStartAllowed: boolean): void {
    const c = this.code();
    if (c === DASH && documentStartAllowed) return;
    if ((c === DASH || c === DOT) && this.code(this.pos + 1) === c && this.code(this.pos + 2) === c && this.endsToken(this.pos + 3)) stepAside();
  }

  /** One more value, `depth` levels down: past either limit, the other paths report it. */
  private countNode(depth: number): void {
    if (++this.nodes > this.limits.maxNodes || depth > this.limits.maxDepth) stepAside();
  }

  private childPointer(pointer: string, key: string): string {
    const child = `${pointer}/${pointerSegment(key)}`;
    if (child.length > this.limits.maxKeyPathLength) stepAside();
    return child;
  }

  private atSequenceItem(): boolean {
    return this.code() === DASH && this.endsToken(this.pos + 1);
  }

  /** A map or list starting at the content of this line, at column `indent`. */
  private blockNode(indent: number, pointer: string, depth: number): unknown {
    if (this.atSequenceItem()) return this.blockSequence(indent, pointer, depth);
    if (this.keyAhead()) return this.blockMap(indent, pointer, depth);
    return stepAside();
  }

  private blockMap(indent: number, pointer: string, depth: number): Record<string, unknown> {
    this.countNode(depth);
    const out: Record<string, unknown> = {};
    for (;;) {
      const keyAt = this.at(this.pos);
      const key = this.blockKey();
      if (Object.hasOwn(out, key)) stepAside();
      const child = this.childPointer(pointer, key);
      const spaces = this.skipSpaces();
      let value: unknown = null;
      if (this.endOfLine() || (this.code() === HASH && spaces > 0)) {
        const nullAt = this.at(this.pos);
        this.restOfLine(spaces > 0);
        this.toContent();
        if (this.indent > indent || (this.indent === indent && this.atSequenceItem())) {
          this.positions.set(child, { key: keyAt, value: this.at(this.pos) });
          value = this.blockNode(this.indent, child, depth + 1);
        } else {
          this.countNode(depth + 1);
          this.positions.set(child, { key: keyAt, value: nullAt });
        }
      } else {
        this.positions.set(child, { key: keyAt, value: this.at(this.pos) });
        value = this.inlineValue(child, depth + 1);
        this.toContent();
      }
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      if (this.indent < indent) return out;
      if (this.indent > indent || this.atSequenceItem()) stepAside();
    }
  }

  private blockSequence(indent: number, pointer: string, depth: number): unknown[] {
    this.countNode(depth);
    const out: unknown[] = [];
    for (;;) {
      this.pos++;
      const spaces = this.skipSpaces();
      const child = `${pointer}/${out.length}`;
      if (this.endOfLine() || (this.code() === HASH && spaces > 0)) {
        this.restOfLine(spaces > 0);
        this.toContent();
        if (this.indent <= indent) stepAside();
        this.positions.set(child, { value: this.at(this.pos) });
        out.push(this.blockNode(this.indent, child, depth + 1));
      } else if (this.atSequenceItem()) {
        stepAside();
      } else {
        this.positions.set(child, { value: this.at(this.pos) });
        if (this.keyAhead()) out.push(this.blockMap(this.pos - this.lineStart, child, depth + 1));
        else {
          out.push(this.inlineValue(child, depth + 1));
          this.toContent();
        }
      }
      if (this.indent < indent) return out;
      if (this.indent > indent) stepAside();
      if (!this.atSequenceItem()) return out;
    }
  }

  /** Whether a block map key (`key:` followed by a space or the line's end) starts here. */
  private keyAhead(): boolean {
    const c = this.code();
    let end: number;
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      end = this.quotedEnd(this.pos);
      if (end === -1) return false;
      while (this.code(end) === SPACE) end++;
      return this.code(end) === COLON && this.endsToken(end + 1);
    }
    if (c === OPEN_BRACKET || c === OPEN_BRACE) return false;
    for (end = this.pos; !this.endOfLine(end); end++) {
      const d = this.code(end);
      if (d === COLON && this.endsToken(end + 1)) return true;
      if (d === HASH && this.code(end - 1) === SPACE) return false;
    }
    return false;
  }

  /** Where the quoted scalar starting at `start` ends (past its closing quote), on this line; -1 if it does not. */
  private quotedEnd(start: number): number {
    const quote = this.code(start);
    for (let i = start + 1; !this.endOfLine(i); i++) {
      const c = this.code(i);
      if (quote === DOUBLE_QUOTE && c === BACKSLASH) {
        // An escaped line break continues the scalar on the next line: not one-line, not ours.
        if (this.endOfLine(++i)) return -1;
      } else if (c === quote) {
        if (quote === SINGLE_QUOTE && this.code(i + 1) === SINGLE_QUOTE) i++;
        else return i + 1;
      }
    }
    return -1;
  }

  /** A block map key and its `:`; the scanner stops past the colon. */
  private blockKey(): string {
    const start = this.pos;
    const key = this.key(() => {
      this.refusePlainStart(false);
      let end = start;
      while (!(this.code() === COLON && this.endsToken(this.pos + 1))) {
        if (this.endOfLine() || (this.code() === HASH && this.code(this.pos - 1) === SPACE)) stepAside();
        // Only spaces end a plain scalar: other white space (no-break space, …) belongs to it.
        if (this.code() !== SPACE) end = this.pos + 1;
        this.pos++;
      }
      return this.keyString(this.text.slice(start, end));
    });
    // YAML puts the `:` of an implicit key at most 1024 characters after the key's start.
    if (this.pos - start > 1024 || this.code() !== COLON || !this.endsToken(this.pos + 1)) stepAside();
    this.pos++;
    return key;
  }

  /** A key: quoted (and the spaces before its colon), or plain as `plain` reads it. */
  private key(plain: () => string): string {
    const c = this.code();
    if (c !== DOUBLE_QUOTE && c !== SINGLE_QUOTE) return plain();
    const key = this.quoted();
    this.skipSpaces();
    return key;
  }

  private keyString(plain: string): string {
    const value = this.plain(plain);
    return value == null ? '' : String(value);
  }

  private plain(text: string): unknown {
    const value = resolvePlainScalar(text);
    return value === NOT_A_NUMBER ? stepAside() : value;
  }

  private refusePlainStart(flow: boolean): void {
    const c = this.code();
    if (c === DASH) {
      const next = this.code(this.pos + 1);
      if (this.endsToken(this.pos + 1) || (flow && FLOW_INDICATOR.has(next))) stepAside();
    } else if (INDICATOR.has(c) || c === SPACE || this.endOfLine()) stepAside();
  }

  /** A value on the rest of this line: flow collection, quoted or plain scalar; then on to the next line. */
  private inlineValue(pointer: string, depth: number): unknown {
    const c = this.code();
    let value: unknown;
    if (c === OPEN_BRACKET || c === OPEN_BRACE) value = this.flowCollection(pointer, depth);
    else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      this.countNode(depth);
      value = this.quoted();
    } else {
      this.countNode(depth);
      const start = this.pos;
      this.refusePlainStart(false);
      let end = start;
      for (; !this.endOfLine(); this.pos++) {
        const d = this.code();
        if (d === HASH && this.code(this.pos - 1) === SPACE) break;
        // `a: b: c` is an error; a compact map was told apart before.
        if (d === COLON && this.endsToken(this.pos + 1)) stepAside();
        if (d !== SPACE) end = this.pos + 1;
      }
      value = this.plain(this.text.slice(start, end));
      this.restOfLine(true);
      return value;
    }
    this.restOfLine(false);
    return value;
  }

  private flowCollection(pointer: string, depth: number): unknown {
    this.countNode(depth);
    const isList = this.code() === OPEN_BRACKET;
    const close = isList ? CLOSE_BRACKET : CLOSE_BRACE;
    this.pos++;
    const list: unknown[] = [];
    const map: Record<string, unknown> = {};
    this.skipSpaces();
    if (this.code() === close) {
      this.pos++;
      return isList ? list : map;
    }
    for (;;) {
      if (isList) {
        const child = `${pointer}/${list.length}`;
        this.positions.set(child, { value: this.at(this.pos) });
        list.push(this.flowValue(child, depth + 1));
      } else {
        const keyAt = this.at(this.pos);
        const key = this.key(() => this.keyString(this.plainInFlow(true)));
        if (this.code() !== COLON || this.code(this.pos + 1) !== SPACE || Object.hasOwn(map, key)) stepAside();
        this.pos++;
        this.skipSpaces();
        const child = this.childPointer(pointer, key);
        this.positions.set(child, { key: keyAt, value: this.at(this.pos) });
        Object.defineProperty(map, key, { value: this.flowValue(child, depth + 1), enumerable: true, writable: true, configurable: true });
      }
      this.skipSpaces();
      const c = this.code();
      if (c === COMMA) {
        this.pos++;
        this.skipSpaces();
        if (this.code() === COMMA) stepAside();
      } else if (c !== close) stepAside();
      if (this.code() === close) {
        this.pos++;
        return isList ? list : map;
      }
    }
  }

  private flowValue(pointer: string, depth: number): unknown {
    const c = this.code();
    if (c === OPEN_BRACKET || c === OPEN_BRACE) return this.flowCollection(pointer, depth);
    this.countNode(depth);
    if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) return this.quoted();
    return this.plain(this.plainInFlow(false));
  }

  /** A plain scalar inside a flow collection, trimmed; a key stops at its `: `. */
  private plainInFlow(isKey: boolean): string {
    const start = this.pos;
    this.refusePlainStart(true);
    let end = start;
    for (; !this.endOfLine(); this.pos++) {
      const d = this.code();
      if (FLOW_INDICATOR.has(d)) break;
      if (d === HASH && this.code(this.pos - 1) === SPACE) stepAside();
      if (d === COLON && (this.endsToken(this.pos + 1) || FLOW_INDICATOR.has(this.code(this.pos + 1)))) {
        if (isKey) break;
        stepAside();
      }
      if (d !== SPACE) end = this.pos + 1;
    }
    return this.text.slice(start, end);
  }

  /** A quoted scalar closed on this line; the scanner stops past the closing quote (callers check what follows). */
  private quoted(): string {
    const start = this.pos;
    const end = this.quotedEnd(start);
    if (end === -1) stepAside();
    this.pos = end;
    // A comment straight after the closing quote, with no space between, is an error.
    if (this.code(end) === HASH) stepAside();
    const body = this.text.slice(start + 1, end - 1);
    if (this.code(start) === SINGLE_QUOTE) return body.includes("''") ? body.replace(/''/g, "'") : body;
    return body.includes('\\') ? unescapeDoubleQuoted(body) : body;
  }
}

function unescapeDoubleQuoted(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i]!;
    const simple = ESCAPES[e];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    const digits = HEX_DIGITS[e];
    if (digits === undefined) return stepAside();
    const hex = body.slice(i + 1, i + 1 + digits);
    if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== digits) return stepAside();
    const codePoint = parseInt(hex, 16);
    // Surrogates and code points past Unicode: left to the full parse.
    if ((codePoint >= 0xd800 && codePoint <= 0xdfff) || codePoint > 0x10ffff) return stepAside();
    out += String.fromCodePoint(codePoint);
    i += digits;
  }
  return out;
}
