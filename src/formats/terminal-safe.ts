import { unsafeIn, visibleEscape } from '../text/characters.js';

/**
 * Measure files and rule files are untrusted: their text must not drive the terminal. Escape
 * sequences (CSI, OSC, and other ESC forms) are removed; any other control character, bidi control
 * (Trojan Source) or invisible character becomes visible as `\xNN` / `\uNNNN`; a lone surrogate
 * (which would make invalid UTF-8 or JSON downstream) is shown the same way.
 */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]/g;
/** Everything a terminal must show rather than obey (src/text/characters.ts, MEDIA.terminalLine). */
const UNSAFE = new RegExp(unsafeIn('terminalLine', 'visible'), 'g');
const UNSAFE_IN_BLOCK = new RegExp(unsafeIn('terminalBlock', 'visible'), 'g');
const LINE_BREAK_OR_TAB = new RegExp(`\\r\\n|${unsafeIn('terminalLine', 'space')}`, 'g');

/** One line of untrusted text for a terminal: line breaks and tabs become spaces, so a value cannot forge a line. */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(LINE_BREAK_OR_TAB, ' ').replace(UNSAFE, visibleEscape);
}

/** Untrusted text that may keep its line breaks and tabs (a CSV cell), otherwise cleaned as terminalSafe. */
export function controlSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(UNSAFE_IN_BLOCK, visibleEscape);
}

/** The width to lay text out for: the terminal's, else `COLUMNS`, else 80. */
export function terminalWidth(columns: number | undefined, env: Record<string, string | undefined>): number {
  if (columns && columns > 0) return columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
}
