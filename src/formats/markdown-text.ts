import { unsafeIn, visibleEscape } from '../text/characters.js';

/** What Markdown shows rather than renders (src/text/characters.ts, MEDIA.markdown); CR, LF and tab become spaces before. */
const CONTROL = new RegExp(unsafeIn('markdown', 'visible'), 'g');
const LINE_BREAK_OR_TAB = new RegExp(`\\r\\n|${unsafeIn('markdown', 'space')}`, 'g');

export type ColumnAlign = 'left' | 'right' | 'center';

/**
 * A GFM table; cells are Markdown already made safe (markdownText), an empty one is written `—`.
 * `align` sets each column's alignment (left by default).
 */
export function markdownTable(head: readonly string[], rows: readonly (readonly string[])[], align?: readonly ColumnAlign[]): string {
  const row = (cells: readonly string[]) => `| ${cells.map((c) => c || '—').join(' | ')} |`;
  const rule = head.map((_, i) => (align?.[i] === 'right' ? '---:' : align?.[i] === 'center' ? ':---:' : '---'));
  return [row(head), row(rule), ...rows.map(row)].join('\n');
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // A zero-width space after @ and # keeps GitHub from turning text into mentions or issue references.
  '@': '@&#8203;',
  '#': '#&#8203;',
};

/**
 * Plain text for a Markdown paragraph, heading or table cell, for untrusted text. Line breaks and
 * tabs become spaces; other control characters become a visible `\xNN`; every character with a
 * meaning in GFM, in GitHub math or in autolinks (`:` of `http://`, `.` of `www.`) is
 * backslash-escaped; `&`, `<`, `>` become entities. What is left is plain text: no emphasis, code,
 * links, HTML, math, @-mentions or #-references, and no line break or pipe that ends a row or cell.
 */
export function markdownText(text: string | number, style: 'cell' | 'prose' = 'cell'): string {
  const flat = String(text)
    .replace(LINE_BREAK_OR_TAB, ' ')
    .replace(CONTROL, visibleEscape);
  // `prose` (the review report's sentences) leaves a colon alone unless it starts `//`, and folds runs of spaces.
  return style === 'prose'
    ? flat
        .replace(/[\\`*_[\]|~$&<>@#!]|:(?=\/\/)|(?<=www)\./gi, (c) => ESCAPES[c] ?? `\\${c}`)
        .replace(/ +/g, ' ')
        .trim()
    : flat
        .replace(/[\\`*_[\]|~$:&<>@#]|(?<=www)\./gi, (c) => ESCAPES[c] ?? `\\${c}`)
        .replace(/ +$/, '')
        .replace(/^ +/, '');
}
