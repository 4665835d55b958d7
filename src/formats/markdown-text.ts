/** C0/C1 controls, DEL, line/paragraph separators and bidirectional controls (CR, LF and tab are handled before). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

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
    .replace(/\r\n|[\r\n\t]/g, ' ')
    .replace(CONTROL, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
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
