/**
 * The characters untrusted text (measure files, rule sets, correlation tables) must not carry raw
 * into an output, named once with the reason, and what every medium does with each of them. Each
 * medium builds its cleaner from this table (`unsafeIn(medium, treatment)`), so this file is the one
 * place that says what a terminal, Markdown, HTML, XML, … remove or show, and why.
 *
 * Depends on nothing: every stage (load included) may import it.
 */

/** A named set of characters: `body` goes inside a regex character class (`[…]`, no `u` flag); `alone` is a pattern of its own. */
interface CharacterClass {
  readonly body?: string;
  readonly alone?: string;
  readonly why: string;
}

export const CHARACTER_CLASSES = {
  c0Controls: {
    body: '\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f',
    why: 'C0 controls (tab and line breaks aside): ESC starts terminal escape sequences, BEL rings, BS overwrites; XML 1.0 and YAML forbid them',
  },
  tab: { body: '\\u0009', why: 'separates values (CSV, a YAML file); ends a cell or forges alignment where a line must stay one line' },
  lineFeed: { body: '\\u000a', why: 'ends a line: in a one-line medium it forges a line of its own (a table row, a workflow command)' },
  carriageReturn: { body: '\\u000d', why: 'ends a line, or on a terminal returns to its start and overwrites it' },
  delete: { body: '\\u007f', why: 'DEL: a control, invisible; XML discourages it, YAML forbids it' },
  c1Controls: {
    body: '\\u0080-\\u0084\\u0086-\\u009f',
    why: 'C1 controls: U+009B is a one-character CSI that terminals obey; XML discourages them, YAML forbids them',
  },
  nextLine: { body: '\\u0085', why: 'NEL, the C1 line break: YAML allows it, other media read it as a control or a line break' },
  lineSeparators: { body: '\\u2028\\u2029', why: 'line and paragraph separators: break lines in editors and viewers where a line must stay one line' },
  bidiControls: {
    body: '\\u061c\\u200e\\u200f\\u202a-\\u202e\\u2066-\\u2069',
    why: 'bidirectional marks, embeddings, overrides and isolates (Unicode Bidi_Control): reorder what a reader sees, so text reads otherwise than it is (Trojan Source, CVE-2021-42574)',
  },
  invisible: {
    body: '\\u00ad\\u034f\\u115f\\u1160\\u17b4\\u17b5\\u180e\\u200b-\\u200d\\u2060-\\u2064\\u206a-\\u206f\\u3164\\uffa0\\ufff9-\\ufffb',
    why: 'zero-width, filler and other invisible characters: two texts that look the same differ',
  },
  byteOrderMark: { body: '\\ufeff', why: 'byte-order mark (zero-width no-break space) inside text: invisible; a leading one is dropped on reading' },
  noncharacters: { body: '\\ufffe\\uffff', why: 'noncharacters: XML 1.0 and YAML forbid them; U+FFFE reads as a byte-swapped byte-order mark' },
  loneSurrogates: {
    alone: '[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]',
    why: 'half of a UTF-16 pair: no character at all; invalid in UTF-8, XML and JSON consumers',
  },
} as const satisfies Record<string, CharacterClass>;

export type CharacterClassName = keyof typeof CHARACTER_CLASSES;

/**
 * - kept: passes as is.
 * - escaped: written in the medium's own escape (`%0A`, `&#13;`), so it survives without acting.
 * - line-feed: CR and CRLF become LF.
 * - space: becomes a space, so one line stays one line.
 * - visible: shown as `\xNN` / `\uNNNN` (see `visibleEscape`), so a reader sees it was there.
 * - removed: dropped without a trace (the medium cannot carry it, or it has no place there).
 * - refused: the input is an error.
 */
export type Treatment = 'kept' | 'escaped' | 'line-feed' | 'space' | 'visible' | 'removed' | 'refused';

interface MediumRules {
  readonly where: string;
  readonly treat: Readonly<Record<CharacterClassName, Treatment>>;
}

/** Display media show every control, separator, bidi control and invisible character; a terminal line has no line break or tab. */
const TERMINAL_LINE = {
  c0Controls: 'visible',
  tab: 'space',
  lineFeed: 'space',
  carriageReturn: 'space',
  delete: 'visible',
  c1Controls: 'visible',
  nextLine: 'visible',
  lineSeparators: 'visible',
  bidiControls: 'visible',
  invisible: 'visible',
  byteOrderMark: 'visible',
  noncharacters: 'kept',
  loneSurrogates: 'visible',
} as const satisfies Record<CharacterClassName, Treatment>;

/** What each medium does with each class; every medium must decide about every class. */
export const MEDIA = {
  terminalLine: {
    where: 'terminalSafe: one line of text on a terminal (escape sequences are removed whole before)',
    treat: TERMINAL_LINE,
  },
  terminalBlock: {
    where: 'controlSafe: text on a terminal or in a CSV cell that keeps its line breaks and tabs',
    treat: { ...TERMINAL_LINE, tab: 'kept', lineFeed: 'kept', carriageReturn: 'kept' },
  },
  markdown: {
    where: 'markdownText: a Markdown paragraph, heading or table cell (check, report, diff, rules)',
    treat: { ...TERMINAL_LINE, invisible: 'kept', byteOrderMark: 'kept', loneSurrogates: 'kept' },
  },
  githubCommand: {
    where: 'a GitHub workflow command (::error …::message): a line break would start a command of its own',
    treat: { ...TERMINAL_LINE, tab: 'visible', lineFeed: 'escaped', carriageReturn: 'escaped', invisible: 'kept', byteOrderMark: 'kept', loneSurrogates: 'kept' },
  },
  webMessage: {
    where: 'webText: SARIF messages and GitLab Code Quality descriptions, which code scanning and merge requests show in a web page (JSON escapes the C0 controls itself)',
    treat: { ...TERMINAL_LINE, tab: 'kept', lineFeed: 'kept', carriageReturn: 'kept', invisible: 'kept', byteOrderMark: 'kept' },
  },
  html: {
    where: 'esc: HTML element text and quoted attribute values (the review report)',
    treat: { ...TERMINAL_LINE, tab: 'kept', lineFeed: 'kept', carriageReturn: 'line-feed', invisible: 'kept', byteOrderMark: 'kept', loneSurrogates: 'kept' },
  },
  xml: {
    where: 'xmlText: JUnit XML text (attributes also write tab and LF as references); what XML 1.0 cannot carry is removed, what a CI viewer would render is shown',
    treat: {
      c0Controls: 'removed',
      tab: 'kept',
      lineFeed: 'kept',
      carriageReturn: 'escaped',
      delete: 'removed',
      c1Controls: 'removed',
      nextLine: 'removed',
      lineSeparators: 'visible',
      bidiControls: 'visible',
      invisible: 'kept',
      byteOrderMark: 'kept',
      noncharacters: 'removed',
      loneSurrogates: 'removed',
    },
  },
  yamlInput: {
    where: 'decodeUtf8: a measure file as read; YAML 1.2 allows only printable characters (5.1)',
    treat: {
      c0Controls: 'refused',
      tab: 'kept',
      lineFeed: 'kept',
      carriageReturn: 'kept',
      delete: 'refused',
      c1Controls: 'refused',
      nextLine: 'kept',
      lineSeparators: 'kept',
      bidiControls: 'kept',
      invisible: 'kept',
      byteOrderMark: 'kept',
      noncharacters: 'refused',
      loneSurrogates: 'refused',
    },
  },
  importedCell: {
    where: 'import: a correlation-table cell written into a measure file (citations keep their line breaks and tabs)',
    treat: {
      c0Controls: 'removed',
      tab: 'kept',
      lineFeed: 'kept',
      carriageReturn: 'line-feed',
      delete: 'removed',
      c1Controls: 'removed',
      nextLine: 'removed',
      lineSeparators: 'removed',
      bidiControls: 'removed',
      invisible: 'kept',
      byteOrderMark: 'removed',
      noncharacters: 'removed',
      loneSurrogates: 'kept',
    },
  },
  yamlComment: {
    where: 'one line of a YAML comment (init: rule-set text; import: the table\'s name and problems) or of a message',
    treat: {
      c0Controls: 'space',
      tab: 'space',
      lineFeed: 'space',
      carriageReturn: 'space',
      delete: 'space',
      c1Controls: 'space',
      nextLine: 'space',
      lineSeparators: 'space',
      bidiControls: 'space',
      invisible: 'kept',
      byteOrderMark: 'space',
      noncharacters: 'kept',
      loneSurrogates: 'kept',
    },
  },
  commentFlag: {
    where: 'init: a --schema or --rules value written into a YAML comment (spaces, NBSP and BOM are refused too, as white space)',
    treat: {
      c0Controls: 'refused',
      tab: 'refused',
      lineFeed: 'refused',
      carriageReturn: 'refused',
      delete: 'refused',
      c1Controls: 'refused',
      nextLine: 'refused',
      lineSeparators: 'refused',
      bidiControls: 'refused',
      invisible: 'kept',
      byteOrderMark: 'refused',
      noncharacters: 'kept',
      loneSurrogates: 'kept',
    },
  },
} as const satisfies Record<string, MediumRules>;

export type Medium = keyof typeof MEDIA;

/** A regex source matching one character of the given classes. */
export function characterPattern(names: readonly CharacterClassName[]): string {
  const classes: CharacterClass[] = names.map((name) => CHARACTER_CLASSES[name]);
  const body = classes.map((c) => c.body ?? '').join('');
  const alone = classes.flatMap((c) => (c.alone ? [c.alone] : []));
  return [...(body ? [`[${body}]`] : []), ...alone].join('|') || '(?!)';
}

/** The classes a medium treats a given way. */
export function classesTreated(medium: Medium, treatment: Treatment): CharacterClassName[] {
  const treat: Readonly<Record<CharacterClassName, Treatment>> = MEDIA[medium].treat;
  return (Object.keys(CHARACTER_CLASSES) as CharacterClassName[]).filter((name) => treat[name] === treatment);
}

/** A regex source matching one character that `medium` treats as `treatment` (or as any of several treatments). */
export function unsafeIn(medium: Medium, ...treatments: Treatment[]): string {
  return characterPattern(treatments.flatMap((t) => classesTreated(medium, t)));
}

/** A character shown as text: `\xNN` up to U+00FF, else `\uNNNN` (a lone surrogate too). */
export function visibleEscape(character: string): string {
  const code = character.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
