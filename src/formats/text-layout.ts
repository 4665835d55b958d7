import { createRequire } from 'node:module';

/**
 * Plain-text layout for terminals and logs: display width (wide and combining characters count as
 * the terminal draws them), word wrapping and a boxed table, all linear in the text laid out. The
 * text given here is already terminal-safe; colour is applied by callers after layout.
 */

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
/** Scripts whose every character takes one column (Latin, Greek, Cyrillic letters, without combining marks): no need to ask string-width. */
const ONE_COLUMN_EACH = /^[\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u052f\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2200-\u22ff\u2500-\u257f]*$/;

let stringWidth: ((text: string) => number) | undefined;

/**
 * string-width, loaded the first time a text needs it: most output never does, and loading it is a
 * third of `rules`'s start-up. It is an ES module, which Node loads with require() from 20.19 on;
 * on an older Node 20, characters are counted instead (wide characters then under-counted).
 */
function measure(text: string): number {
  if (!stringWidth) {
    try {
      stringWidth = (createRequire(import.meta.url)('string-width') as { default: (text: string) => number }).default;
    } catch {
      stringWidth = (t) => [...t].length;
    }
  }
  return stringWidth(text);
}

/** Columns the text takes on a terminal. */
export function displayWidth(text: string): number {
  return ONE_COLUMN_EACH.test(text) ? text.length : measure(text);
}

let segmenter: Intl.Segmenter | undefined;

/** `word` cut into pieces of at most `width` columns, never inside a character cluster. */
function breakWord(word: string, width: number): string[] {
  if (PRINTABLE_ASCII.test(word)) {
    const pieces: string[] = [];
    for (let i = 0; i < word.length; i += width) pieces.push(word.slice(i, i + width));
    return pieces;
  }
  segmenter ??= new Intl.Segmenter();
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const { segment } of segmenter.segment(word)) {
    const w = displayWidth(segment);
    if (used + w > width && piece) {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += segment;
    used += w;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/** A URL or a path: broken, it could no longer be copied, so it may overrun the width. */
export function isUnbreakable(word: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(word) || /[/\\]/.test(word);
}

export interface WrapOptions {
  /** Prefix of every line after the first (hanging indent). */
  indent?: string;
  /** Words that may overrun the width rather than be broken (default: URLs and paths). */
  keepWhole?: (word: string) => boolean;
}

/**
 * One line of text wrapped to `width` columns at spaces; a word longer than a line is broken,
 * unless `keepWhole` says it must stay whole. Leading spaces of the text are kept on its first line.
 */
export function wrapText(text: string, width: number, options: WrapOptions = {}): string[] {
  const indent = options.indent ?? '';
  const keepWhole = options.keepWhole ?? isUnbreakable;
  if (displayWidth(text) <= width) return [text.trimEnd()];
  const lead = /^ */.exec(text)![0];
  const indentWidth = displayWidth(indent);
  const lines: string[] = [];
  let line = lead;
  let used = lead.length;
  let empty = true;
  // Words with the spaces before each: within a line they are kept as written (aligned labels stay aligned).
  for (const [, gap, word] of text.slice(lead.length).matchAll(/( *)(\S+)/g) as Iterable<[string, string, string]>) {
    const w = displayWidth(word);
    const space = Math.max(1, gap.length);
    if (!empty && used + space + w <= width) {
      line += ' '.repeat(space) + word;
      used += space + w;
      continue;
    }
    if (!empty) {
      lines.push(line);
      line = indent;
      used = indentWidth;
    }
    empty = false;
    const available = Math.max(1, Math.min(width - used, width - indentWidth));
    if (w <= width - used || keepWhole(word)) {
      line += word;
      used += w;
      continue;
    }
    const pieces = breakWord(word, available);
    const last = pieces.pop()!;
    for (const piece of pieces) {
      lines.push(line + piece);
      line = indent;
      used = indentWidth;
    }
    line += last;
    used += displayWidth(last);
  }
  lines.push(line);
  return lines;
}

/** `text` padded with spaces to `width` display columns. */
export function padTo(text: string, width: number): string {
  const w = displayWidth(text);
  return w >= width ? text : text + ' '.repeat(width - w);
}

export interface TableColumn {
  head: string;
  /** Display width of the cell's text (without the one-space margins). */
  width: number;
}

export interface TableCell {
  lines: string[];
  /** Applied to each laid-out line (colour); the layout is measured without it. */
  style?: (line: string) => string;
}

/**
 * A boxed table with a head row, each cell wrapped (every word broken to fit: nothing overruns a
 * cell). Linear in the text of the cells.
 */
export function renderTable(columns: readonly TableColumn[], rows: readonly (readonly TableCell[])[], styleBorder: (s: string) => string = (s) => s, styleHead: (s: string) => string = (s) => s): string {
  const rule = (left: string, mid: string, right: string) => styleBorder(left + columns.map((c) => '─'.repeat(c.width + 2)).join(mid) + right);
  const fit = (cell: TableCell, width: number) => cell.lines.flatMap((l) => wrapText(l, width, { keepWhole: () => false }));
  const out: string[] = [rule('┌', '┬', '┐')];
  const bar = styleBorder('│');
  const emit = (cells: readonly TableCell[], head: boolean) => {
    const laid = cells.map((cell, i) => fit(cell, columns[i]!.width));
    const height = Math.max(1, ...laid.map((l) => l.length));
    for (let row = 0; row < height; row++) {
      const parts = laid.map((lines, i) => {
        const text = lines[row] ?? '';
        const padded = padTo(text, columns[i]!.width);
        const style = head ? styleHead : cells[i]!.style;
        return ` ${style && text ? style(text) + padded.slice(text.length) : padded} `;
      });
      out.push(`${bar}${parts.join(bar)}${bar}`);
    }
  };
  emit(columns.map((c) => ({ lines: [c.head] })), true);
  out.push(rule('├', '┼', '┤'));
  for (const row of rows) emit(row, false);
  out.push(rule('└', '┴', '┘'));
  return out.join('\n');
}

/** Widest line of a cell. */
export function cellWidth(cell: TableCell): number {
  let widest = 0;
  for (const line of cell.lines) widest = Math.max(widest, displayWidth(line));
  return widest;
}
