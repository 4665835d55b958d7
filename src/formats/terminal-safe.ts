/**
 * Measure files and rule files are untrusted: their text must not drive the terminal. Escape
 * sequences (CSI, OSC, and other ESC forms) are removed; any other control character, bidi control
 * (Trojan Source) or invisible character becomes visible as `\xNN` / `\uNNNN`; a lone surrogate
 * (which would make invalid UTF-8 or JSON downstream) is shown the same way.
 */
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])|\u009b[0-?]*[ -/]*[@-~]/g;
/** C0/C1 controls and DEL, without tab and line breaks (the callers decide about those). */
const CONTROL = '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f';
/** Bidi controls, line/paragraph separators, zero-width and other invisible characters. */
const INVISIBLE = '\\u00ad\\u034f\\u061c\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u206a-\\u206f\\u2066-\\u2069\\u3164\\ufeff\\uffa0\\ufff9-\\ufffb';
const LONE_SURROGATE = '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]';
const UNSAFE = new RegExp(`[${CONTROL}${INVISIBLE}]|${LONE_SURROGATE}`, 'g');

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line of untrusted text for a terminal: line breaks and tabs become spaces, so a value cannot forge a line. */
export function terminalSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(/\r\n|\r|\n|\t/g, ' ').replace(UNSAFE, visible);
}

/** Untrusted text that may keep its line breaks and tabs (a CSV cell), otherwise cleaned as terminalSafe. */
export function controlSafe(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '').replace(UNSAFE, visible);
}

/** The width to lay text out for: the terminal's, else `COLUMNS`, else 80. */
export function terminalWidth(columns: number | undefined, env: Record<string, string | undefined>): number {
  if (columns && columns > 0) return columns;
  const fromEnv = Number(env.COLUMNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : 80;
}
