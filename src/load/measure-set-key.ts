/** Which measure set a measure file belongs to: files with the same key are merged. */

/** The identity of a measure set: files with the same one are merged. */
export const setKey = (doc: { memberState: string; directive: string; asOf: string }) => `${doc.memberState}\0${doc.directive}\0${doc.asOf}`;

// Keys quoted or not (`"member_state": DE` is as common as `member_state: DE` in files people write).
const HEADER = {
  memberState: /^(["']?)member_state\1:[ \t]*(["']?)([A-Za-z]{2})\2[ \t]*(?:#.*)?\r?$/m,
  directive: /^(["']?)directive\1:[ \t]*(["']?)([^"'\s#]+)\2[ \t]*(?:#.*)?\r?$/m,
  asOf: /^(["']?)as_of\1:[ \t]*(["']?)(\d{4}-\d{2}-\d{2})\2[ \t]*(?:#.*)?\r?$/m,
};

/** Bytes as Latin-1 text: the header keys and the mark are ASCII, so no decoding is needed to find them. */
export const latin1 = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');

/**
 * Which measure set a file describes, read from its top-level lines without parsing it. Only a
 * guess, to process files set by set; the parsed values decide, and a wrong guess is put right.
 * Takes the file's bytes, or their `latin1` text where the caller has it already.
 */
export function predictSetKey(bytes: Uint8Array | string): string | undefined {
  const text = typeof bytes === 'string' ? bytes : latin1(bytes);
  const memberState = HEADER.memberState.exec(text)?.[3];
  const directive = HEADER.directive.exec(text)?.[3];
  const asOf = HEADER.asOf.exec(text)?.[3];
  return memberState && directive && asOf ? setKey({ memberState, directive, asOf }) : undefined;
}

/** A `format` or `directive` key, however written (indented, quoted, in a flow map): the mark of a measure file. */
const MARK = /(?:^|[{,])[ \t]*["']?(?:format|directive)["']?[ \t]*:/m;

/** True when the text has what every measure file starts with; other YAML (docker-compose.yml) has not. */
export const hasMeasureMark = (text: string) => MARK.test(text);

/** True when parsed data is a map with a `format` or `directive` key. */
export const isMeasureData = (data: unknown) =>
  typeof data === 'object' && data !== null && !Array.isArray(data) && (Object.hasOwn(data, 'format') || Object.hasOwn(data, 'directive'));

/**
 * The sets a failed file may belong to: each part left undefined is unknown, so a guess of `{}`
 * may belong to any set. A Member State is never evaluated while such a file may be part of it.
 */
export interface SetGuess {
  file: string;
  memberState?: string;
  directive?: string;
  asOf?: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The set named by data parsed from a file that then failed validation. */
export function guessFromData(file: string, data: unknown): SetGuess {
  const raw = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const text = (name: string) => (Object.hasOwn(raw, name) && typeof raw[name] === 'string' ? raw[name] : undefined);
  const memberState = text('member_state');
  const asOf = text('as_of');
  // A value of the wrong form names no set at all: '' matches none.
  return {
    file,
    memberState: memberState === undefined ? undefined : /^[A-Za-z]{2}$/.test(memberState.trim()) ? memberState.trim().toUpperCase() : '',
    directive: text('directive')?.trim(),
    asOf: asOf === undefined ? undefined : DATE.test(asOf.trim()) ? asOf.trim() : '',
  };
}

/** `key: value` anywhere in the text, after quotes, anchors or tags; undefined unless exactly one value is written. */
function loose(text: string, key: string, value: string): string | undefined {
  const pattern = new RegExp(`(?:^|[\\s{,])["']?${key}["']?[ \\t]*:[ \\t]*(?:[&!][^\\s,}]*[ \\t]+)*["']?(${value})(?=["']?[ \\t]*(?:[,}#\\r\\n]|$))`, 'gm');
  const values = new Set<string>();
  for (const match of text.matchAll(pattern)) if (values.add(match[1]!).size > 1) return undefined;
  return values.size === 1 ? [...values][0] : undefined;
}

/** The set a file that could not be parsed seems to name, from its text: what is not clear stays unknown. */
export function guessFromText(file: string, text: string): SetGuess {
  const memberState = loose(text, 'member_state', '[A-Za-z]{2}');
  return {
    file,
    memberState: memberState?.toUpperCase(),
    directive: loose(text, 'directive', `[^"'\\s#,}]+`),
    asOf: loose(text, 'as_of', '\\d{4}-\\d{2}-\\d{2}'),
  };
}

export const guessFromBytes = (file: string, bytes: Uint8Array) => guessFromText(file, latin1(bytes));

/** True when a file of guess `guess` may belong to the set `key`. */
export function mayBelongTo(guess: SetGuess, key: string): boolean {
  const [memberState, directive, asOf] = key.split('\0');
  return (
    (guess.memberState === undefined || guess.memberState === memberState) &&
    (guess.directive === undefined || guess.directive === directive) &&
    (guess.asOf === undefined || guess.asOf === asOf)
  );
}

/** Words for what a guess leaves open, or undefined when it names one set. */
export function openness(guess: SetGuess): string | undefined {
  if (guess.memberState === '' || guess.asOf === '') return undefined;
  if (guess.memberState !== undefined && guess.asOf !== undefined) return undefined;
  if (guess.memberState !== undefined) return `which description of ${guess.memberState} (as_of) this file belongs to cannot be told, so no description of ${guess.memberState} is evaluated`;
  return `which Member State this file describes cannot be told, so no Member State${guess.asOf ? ` as of ${guess.asOf}` : ''} is evaluated until it is fixed`;
}
