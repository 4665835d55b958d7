import { describe, expect, it } from 'vitest';
import { cellText, oneLine as importLine } from '../src/analyst/import-table.js';
import { commentSafe, oneLine as commentLine } from '../src/analyst/init-template.js';
import { escapeData } from '../src/formats/github.js';
import { xmlText } from '../src/formats/junit.js';
import { markdownText } from '../src/formats/markdown-text.js';
import { webText } from '../src/formats/web-text.js';
import { controlSafe, terminalSafe } from '../src/formats/terminal-safe.js';
import { decodeUtf8 } from '../src/load/read-input.js';
import { esc } from '../src/report/html-template.js';
import { CHARACTER_CLASSES, characterPattern, MEDIA, visibleEscape, type CharacterClassName, type Medium, type Treatment } from '../src/text/characters.js';

/**
 * Every dangerous class × every medium: the medium's real cleaner does what MEDIA says (removed,
 * replaced, escaped, shown visibly, refused or kept), for every character of the class.
 */

const REFUSED = Symbol('refused');
type Cleaner = (text: string) => string | typeof REFUSED;

/** UTF-8 bytes, lone surrogates included (TextEncoder would turn them into U+FFFD). */
function wtf8(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const c of text) {
    const code = c.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) bytes.push(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
    else bytes.push(...new TextEncoder().encode(c));
  }
  return Uint8Array.from(bytes);
}

const CLEANERS = {
  terminalLine: terminalSafe,
  terminalBlock: controlSafe,
  markdown: (text) => markdownText(text),
  githubCommand: escapeData,
  webMessage: webText,
  html: esc,
  xml: xmlText,
  yamlInput: (text) => {
    const decoded = decodeUtf8('in.yaml', wtf8(text));
    return decoded.diagnostic ? REFUSED : decoded.text!;
  },
  importedCell: cellText,
  yamlComment: (text) => [importLine(text, Infinity), commentLine(text)].reduce((a, b) => (a === b ? a : `${a} ≠ ${b}`)),
  commentFlag: (text) => {
    try {
      return commentSafe(text, '--schema');
    } catch {
      return REFUSED;
    }
  },
} satisfies Record<Medium, Cleaner>;

/** How each medium writes what it escapes. */
const ESCAPES: Partial<Record<Medium, Record<string, string>>> = {
  githubCommand: { '\n': '%0A', '\r': '%0D' },
  xml: { '\r': '&#13;' },
};

/**
 * What each medium requires, written out independently of MEDIA so that a change there shows up
 * here: K kept, E escaped, L line feed, S space, V visible, R removed, X refused.
 */
const CLASS_ORDER: CharacterClassName[] = ['c0Controls', 'tab', 'lineFeed', 'carriageReturn', 'delete', 'c1Controls', 'nextLine', 'lineSeparators', 'bidiControls', 'invisible', 'byteOrderMark', 'noncharacters', 'loneSurrogates'];
// prettier-ignore
const REQUIRED: Record<Medium, string> = {
  //             C0 tab LF CR DEL C1 NEL sep bidi invisible BOM nonchar lone
  terminalLine:  'V  S   S  S  V   V  V   V   V    V         V   K       V',
  terminalBlock: 'V  K   K  K  V   V  V   V   V    V         V   K       V',
  markdown:      'V  S   S  S  V   V  V   V   V    K         K   K       K',
  githubCommand: 'V  V   E  E  V   V  V   V   V    K         K   K       K',
  webMessage:    'V  K   K  K  V   V  V   V   V    K         K   K       V',
  html:          'V  K   K  L  V   V  V   V   V    K         K   K       K',
  xml:           'R  K   K  E  R   R  R   V   V    K         K   R       R',
  yamlInput:     'X  K   K  K  X   X  K   K   K    K         K   X       X',
  importedCell:  'R  K   K  L  R   R  R   R   R    K         R   R       K',
  yamlComment:   'S  S   S  S  S   S  S   S   S    K         S   K       K',
  commentFlag:   'X  X   X  X  X   X  X   X   X    K         X   K       K',
};
const LETTERS: Record<string, Treatment> = { K: 'kept', E: 'escaped', L: 'line-feed', S: 'space', V: 'visible', R: 'removed', X: 'refused' };
const required = (medium: Medium, name: CharacterClassName): Treatment => LETTERS[REQUIRED[medium].split(/ +/)[CLASS_ORDER.indexOf(name)]!]!;

/** Every UTF-16 code unit of a class (a lone surrogate stands alone). */
function membersOf(name: CharacterClassName): string[] {
  const pattern = new RegExp(`^(?:${characterPattern([name])})$`);
  const members: string[] = [];
  for (let code = 0; code <= 0xffff; code++) {
    const c = String.fromCharCode(code);
    if (pattern.test(c)) members.push(c);
  }
  return members;
}

/** Between guillemets: neither starts nor ends an escape sequence, needs no Markdown escape, is not white space. */
const LEFT = '«';
const RIGHT = '»';

function expectTreated(medium: Medium, treatment: Treatment, c: string): void {
  const out = CLEANERS[medium](`${LEFT}${c}${RIGHT}`);
  const shown = `${medium} on U+${c.charCodeAt(0).toString(16).padStart(4, '0')} (${treatment})`;
  if (treatment === 'refused') return void expect(out, shown).toBe(REFUSED);
  expect(out, shown).not.toBe(REFUSED);
  const text = out as string;
  switch (treatment) {
    case 'kept':
      return void expect(text, shown).toBe(`${LEFT}${c}${RIGHT}`);
    case 'removed':
      return void expect(text, shown).toBe(`${LEFT}${RIGHT}`);
    case 'space':
      return void expect(text, shown).toBe(`${LEFT} ${RIGHT}`);
    case 'line-feed':
      return void expect(text, shown).toBe(`${LEFT}\n${RIGHT}`);
    case 'escaped':
      return void expect(text, shown).toBe(`${LEFT}${ESCAPES[medium]![c]}${RIGHT}`);
    case 'visible':
      // Markdown escapes the backslash of `\u202e` once more (`\\u202e`), which renders as `\u202e`.
      expect(text, shown).not.toContain(c);
      return void expect(text, shown).toMatch(new RegExp(`^${LEFT}\\\\{1,2}${visibleEscape(c).slice(1)}${RIGHT}$`));
  }
}

describe('every character class in every medium', () => {
  it('are listed in the order of the table below', () => {
    expect(Object.keys(CHARACTER_CLASSES)).toEqual(CLASS_ORDER);
  });
  for (const [medium, { treat }] of Object.entries(MEDIA) as [Medium, (typeof MEDIA)[Medium]][]) {
    describe(medium, () => {
      for (const name of CLASS_ORDER) {
        const treatment = required(medium, name);
        it(`${name}: ${treatment}`, () => {
          expect(treat[name], 'MEDIA says otherwise than this test requires').toBe(treatment);
          const members = membersOf(name);
          expect(members.length).toBeGreaterThan(0);
          for (const c of members) expectTreated(medium, treatment, c);
        });
      }
    });
  }
});

describe('the classes', () => {
  it('do not overlap, so that a medium cannot treat one character two ways', () => {
    const seen = new Map<string, CharacterClassName>();
    for (const name of Object.keys(CHARACTER_CLASSES) as CharacterClassName[]) {
      for (const c of membersOf(name)) {
        expect(seen.get(c), `U+${c.charCodeAt(0).toString(16)} in ${seen.get(c)} and ${name}`).toBeUndefined();
        seen.set(c, name);
      }
    }
  });

  it('match a lone surrogate but not half of a pair', () => {
    const lone = new RegExp(characterPattern(['loneSurrogates']), 'g');
    expect('\ud83d\ude00'.match(lone)).toBeNull();
    expect('\ud83d x \ude00'.match(lone)).toEqual(['\ud83d', '\ude00']);
  });
});

describe('bidi controls other media already guarded against (Trojan Source)', () => {
  const override = 'evil\u202egnp.exe';
  it('are shown in JUnit XML, which CI servers render in web pages', () => {
    expect(xmlText(override)).toBe('evil\\u202egnp.exe');
  });
  it('are shown as marks too (LRM, RLM, ALM) in Markdown, HTML and workflow commands', () => {
    expect(esc('a\u200fb')).toBe('a\\u200fb');
    expect(escapeData('a\u061cb')).toBe('a\\u061cb');
    expect(markdownText('a\u200eb')).toBe('a\\\\u200eb');
  });
  it('are dropped from imported citations and from YAML comment lines, and refused in a --schema value', () => {
    expect(cellText(override)).toBe('evilgnp.exe');
    expect(importLine(override)).toBe('evil gnp.exe');
    expect(commentLine(`Art.\u2066 3`)).toBe('Art. 3');
    expect(() => commentSafe('schema\u202e.json', '--schema')).toThrow(/control characters/);
  });
});

describe('a terminal', () => {
  it('loses escape sequences whole, not just their ESC', () => {
    expect(terminalSafe('a\u001b[31mred\u001b[0m\u009b2Jb')).toBe('aredb');
  });
});
