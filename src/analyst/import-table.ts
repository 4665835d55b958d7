import { parse } from 'csv-parse/sync';
import { Document, isMap, isScalar } from 'yaml';
import { CheckerError } from '../errors.js';
import { unsafeIn } from '../text/characters.js';
import { compareProvisionKeys } from '../ruleset/order.js';
import { didYouMean, normaliseProvisionKey } from '../ruleset/provision.js';
import type { RuleSet } from '../ruleset/types.js';

/**
 * `conformity import`: a correlation table (a Member State's table of correspondence, or the CSV
 * that `conformity check --format csv` writes) turned into a measure file. Pure: CSV text and
 * options in, YAML text and the rows that could not be mapped out.
 *
 * The table is untrusted: every cell reaches the YAML only through the yaml library's serializer
 * (which quotes whatever needs quoting), and reaches a comment only on one line, without control
 * characters.
 */

/** The columns the import reads. */
export const COLUMN_ROLES = ['provision', 'national', 'comment', 'status', 'source', 'member_state'] as const;
export type ColumnRole = (typeof COLUMN_ROLES)[number];

/** Header names recognised for each column (compared case-insensitively, `_` and `-` read as spaces), best first. */
export const DEFAULT_HEADERS: Record<ColumnRole, readonly string[]> = {
  provision: [
    'provision', 'directive provision', 'provision of the directive', 'directive article', 'article of the directive', 'eu provision', 'article', 'directive',
    // German, French, Italian, Spanish, Dutch
    'bestimmung der richtlinie', 'artikel der richtlinie', 'vorschrift der richtlinie', 'richtlinie',
    'disposition de la directive', 'article de la directive', 'directive ue',
    'disposizione della direttiva', 'articolo della direttiva', 'direttiva',
    'disposición de la directiva', 'artículo de la directiva', 'directiva', 'bepaling van de richtlijn', 'richtlijn',
  ],
  national: [
    'national', 'national provision', 'national provisions', 'transposing measure', 'transposing measures', 'national measure', 'national measures', 'national law',
    'nationale vorschrift', 'nationale vorschriften', 'nationale bestimmung', 'umsetzung', 'umsetzungsvorschrift', 'umsetzungsmaßnahme', 'deutsches recht',
    'disposition nationale', 'dispositions nationales', 'mesure nationale', 'mesures nationales', 'mesure de transposition', 'droit national',
    'disposizione nazionale', 'disposizioni nazionali', 'norma nazionale', 'norme nazionali', 'misura di recepimento', 'misure di recepimento', 'diritto nazionale',
    'disposición nacional', 'medida nacional', 'medida de transposición', 'nationale bepaling', 'omzettingsmaatregel',
  ],
  comment: [
    'comment', 'comments', 'notes', 'note', 'message', 'remarks',
    'bemerkung', 'bemerkungen', 'anmerkung', 'anmerkungen', 'kommentar', 'commentaire', 'commentaires', 'remarques', 'observations',
    'osservazioni', 'commento', 'commenti', 'observaciones', 'comentarios', 'opmerkingen',
  ],
  status: ['status', 'outcome', 'transposition status', 'umsetzungsstand', 'stand der umsetzung', 'statut', 'état de la transposition', 'stato', 'stato del recepimento', 'estado'],
  source: ['source', 'national act', 'act', 'gesetz', 'rechtsakt', 'acte', 'acte national', 'loi', 'atto', 'atto nazionale', 'legge', 'ley', 'wet'],
  member_state: ['member state', 'member_state', 'country', 'mitgliedstaat', 'état membre', 'stato membro'],
};

/** The status a table may give, or `undefined`: the default (transposed with a national provision, else not-transposed). */
export type Status = 'transposed' | 'partial' | 'not-transposed' | 'not-assessed';

const STATUS_WORDS: Record<string, Status | undefined> = {
  transposed: 'transposed',
  yes: 'transposed',
  y: 'transposed',
  full: 'transposed',
  fully: 'transposed',
  'fully transposed': 'transposed',
  complete: 'transposed',
  conform: 'transposed',
  compliant: 'transposed',
  partial: 'partial',
  partially: 'partial',
  partly: 'partial',
  'partially transposed': 'partial',
  'partially conform': 'partial',
  no: 'not-transposed',
  n: 'not-transposed',
  'not transposed': 'not-transposed',
  none: 'not-transposed',
  missing: 'not-transposed',
  'not assessed': 'not-assessed',
  unknown: 'not-assessed',
  'to do': 'not-assessed',
  todo: 'not-assessed',
  '?': 'not-assessed',
  // German, French, Italian
  umgesetzt: 'transposed',
  'vollständig umgesetzt': 'transposed',
  ja: 'transposed',
  teilweise: 'partial',
  'teilweise umgesetzt': 'partial',
  'nicht umgesetzt': 'not-transposed',
  nein: 'not-transposed',
  'nicht geprüft': 'not-assessed',
  transposé: 'transposed',
  transposée: 'transposed',
  oui: 'transposed',
  partiel: 'partial',
  partielle: 'partial',
  partiellement: 'partial',
  'partiellement transposé': 'partial',
  'non transposé': 'not-transposed',
  non: 'not-transposed',
  'non évalué': 'not-assessed',
  recepito: 'transposed',
  trasposto: 'transposed',
  sì: 'transposed',
  si: 'transposed',
  parziale: 'partial',
  parzialmente: 'partial',
  'parzialmente recepito': 'partial',
  'non recepito': 'not-transposed',
  'non trasposto': 'not-transposed',
  'non valutato': 'not-assessed',
  // Outcomes of `check --format csv` that say nothing about the status: the default applies.
  'not conform': undefined,
  incomplete: undefined,
  'not applicable': undefined,
  'n/a': undefined,
  na: undefined,
  '': undefined,
  '-': undefined,
  '—': undefined,
  '–': undefined,
};

/** National-provision cells that mean "none". */
const NO_NATIONAL = new Set(['-', '—', '–', '/', 'n/a', 'na', 'none', '']);

/** Worst first: where rows of one provision disagree, the least transposed status wins; not-assessed only when no row says more. */
const STATUS_ORDER: Status[] = ['not-transposed', 'partial', 'transposed', 'not-assessed'];

/** The one source every national reference goes under when the table has no source column. */
export const TABLE_SOURCE_ID = 'table';
export const TABLE_SOURCE_TITLE = 'Correlation table (imported)';

/** The measure-file schema's limits (src/ruleset/measure-schema.ts). */
const MAX_SHORT_TEXT = 500;
const MAX_TEXT = 10_000;
const MAX_NATIONAL = 500;

export interface ImportProblem {
  /** 1-based row number of the table, the header counting as row 1 (as a spreadsheet numbers rows). */
  row: number;
  message: string;
}

export interface ImportOptions {
  /** The table's name, for the header comment and error messages. */
  file: string;
  /** EU Member State code, upper case, already validated. */
  memberState: string;
  /** The measure file's `as_of` (YYYY-MM-DD). */
  asOf: string;
  /** The date of the import (YYYY-MM-DD), for the header comment. */
  today: string;
  ruleset: Pick<RuleSet, 'directive' | 'provisions'>;
  /** Header names (or 1-based column numbers) that override the defaults. */
  columns?: Partial<Record<ColumnRole, string>>;
}

export interface ImportResult {
  yaml: string;
  problems: ImportProblem[];
  /** Data rows read (not counting the header and blank rows). */
  rows: number;
  /** Rows skipped because their member_state column names another Member State: count by code. */
  otherMemberStates: Record<string, number>;
  /** Provisions written. */
  provisions: number;
  /** The column each role was read from (header text as the table writes it). */
  columns: Partial<Record<ColumnRole, string>>;
  delimiter: string;
}

/** `provision=Art.,national=Measure` → `{ provision: 'Art.', national: 'Measure' }`, or a usage error. */
export function parseColumns(value: string): Partial<Record<ColumnRole, string>> {
  const columns: Partial<Record<ColumnRole, string>> = {};
  for (const part of value.split(',')) {
    if (!part.trim()) continue;
    const at = part.indexOf('=');
    const role = (at === -1 ? part : part.slice(0, at)).trim().toLowerCase().replace(/-/g, '_') as ColumnRole;
    const header = at === -1 ? '' : part.slice(at + 1).trim();
    if (!COLUMN_ROLES.includes(role)) {
      throw new CheckerError('usage', `--columns: unknown column "${part.trim()}"; use ${COLUMN_ROLES.map((r) => `${r}=HEADER`).join(', ')}`);
    }
    if (!header) throw new CheckerError('usage', `--columns: ${role}= needs a header name or a column number, e.g. ${role}=${DEFAULT_HEADERS[role][0]}`);
    columns[role] = header;
  }
  return columns;
}

/** A header as compared: lower case, `_`/`-`/runs of spaces read as one space. */
const headerKey = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, ' ').trim();

/** Controls and bidi controls have no place in a citation: removed (line breaks and tabs kept, they separate values; src/text/characters.ts, MEDIA.importedCell). */
const CONTROL = new RegExp(unsafeIn('importedCell', 'removed'), 'g');
/** One line of a comment or message: controls, line breaks and bidi controls become spaces (MEDIA.yamlComment). */
const LINE_BREAKS_AND_CONTROLS = new RegExp(`(?:${unsafeIn('yamlComment', 'space')})+`, 'g');

/**
 * A cell's text: `check --format csv` puts `'` before a cell that a spreadsheet would read as a
 * formula (`=`, `+`, `-`, `@`, tab, CR); that `'` is removed again. Control characters are dropped.
 */
export function cellText(value: string | undefined): string {
  const text = (value ?? '').replace(/\r\n?/g, '\n').replace(CONTROL, '');
  return (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text).trim();
}

/** One line of comment or message text: no line breaks or controls, at most `max` characters. */
export function oneLine(text: string, max = 200): string {
  const line = text.replace(LINE_BREAKS_AND_CONTROLS, ' ').replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** A cell quoted in a message. */
const quote = (text: string) => JSON.stringify(oneLine(text, 80));

/** `,`, `;` or tab: whichever occurs most often, outside quotes, in the first line that has any. */
export function detectDelimiter(text: string): string {
  let inQuotes = false;
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (c === '\n' || c === '\r')) {
      if (counts[',']! + counts[';']! + counts['\t']! > 0) break;
    } else if (!inQuotes && c in counts) counts[c]!++;
  }
  if (counts[';']! > counts[',']! && counts[';']! >= counts['\t']!) return ';';
  if (counts['\t']! > counts[',']!) return '\t';
  return ',';
}

/** The line where the last quoted cell opened, when it is never closed. */
function unclosedQuoteLine(text: string): number | undefined {
  let line = 1;
  let openedAt: number | undefined;
  for (const c of text) {
    if (c === '"') openedAt = openedAt === undefined ? line : undefined;
    else if (c === '\n') line++;
  }
  return openedAt;
}

/** The column of each role in `header`, or undefined where the table has none. */
function findColumns(header: readonly string[], overrides: Partial<Record<ColumnRole, string>>): Partial<Record<ColumnRole, number>> {
  const keys = header.map((h) => headerKey(cellText(h)));
  const found: Partial<Record<ColumnRole, number>> = {};
  for (const role of COLUMN_ROLES) {
    const wanted = overrides[role];
    if (wanted !== undefined) {
      let index = keys.indexOf(headerKey(wanted));
      if (index === -1 && /^[1-9][0-9]*$/.test(wanted.trim()) && Number(wanted) <= header.length) index = Number(wanted) - 1;
      if (index !== -1) found[role] = index;
      continue;
    }
    // A header as named, else one that starts with the name ("Richtlinie 2011/93/EU", "Umsetzung im deutschen Recht").
    const taken = new Set(Object.values(found));
    const matches = (exact: boolean) =>
      DEFAULT_HEADERS[role].map((name) => keys.findIndex((key, i) => !taken.has(i) && (key === name || (!exact && key.startsWith(`${name} `))))).find((i) => i !== -1);
    const index = matches(true) ?? matches(false);
    if (index !== undefined) found[role] = index;
  }
  return found;
}

/** Rows searched for the header: a table may start with a title or a blank row. */
const HEADER_SEARCH_ROWS = 20;

interface ProvisionDraft {
  statuses: { status: Status; row: number }[];
  national: { source: string; article: string; row: number }[];
  /** `source` NUL `article` of every national reference, to drop repeats in constant time. */
  cited: Set<string>;
  notes: Set<string>;
  firstRow: number;
}

/** FNV-1a, 32 bits, as 8 hex digits: a short stable id for a name no Latin letters can spell. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/**
 * Source ids from acts' names, unique: `Criminal Code` → `criminal-code`, `Strafgesetzbuch` →
 * `strafgesetzbuch`. A name in another script (Greek, Cyrillic, CJK) gets `act-` and a hash of the
 * name, so names do not all collide on one id. Linear: each base remembers its next free suffix.
 */
class SourceIds {
  private readonly taken = new Set<string>();
  private readonly next = new Map<string, number>();
  constructor(reserved: readonly string[]) {
    for (const id of reserved) this.taken.add(id);
  }
  idFor(title: string): string {
    const latin = title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
    // Mostly Latin letters: a readable slug; else (another script, or only numbers) a hash.
    const letters = title.replace(/[\s\p{P}\p{S}\d]/gu, '').length;
    const readable = letters === 0 ? latin.length > 0 : latin.replace(/[-\d]/g, '').length >= letters / 2;
    const base = readable ? latin.slice(0, 40).replace(/-+$/, '') : `act-${shortHash(title)}`;
    let id = base;
    for (let n = this.next.get(base) ?? 2; this.taken.has(id); n++) {
      id = `${base}-${n}`;
      this.next.set(base, n + 1);
    }
    this.taken.add(id);
    return id;
  }
}

/** `text`, cut to `max` characters with an ellipsis. */
const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Turns a correlation table into a measure file. Bad usage (no header, a missing column, a CSV
 * syntax error) throws a CheckerError; rows that cannot be mapped are returned as problems and left
 * out of the file (or, where only part of a row could be kept, kept in part and reported).
 */
export function importTable(csv: string, options: ImportOptions): ImportResult {
  const text = csv.startsWith('\ufeff') ? csv.slice(1) : csv;
  const delimiter = detectDelimiter(text);
  let records: string[][];
  try {
    records = parse(text, { bom: true, delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (error) {
    const e = error as { code?: string; message?: string; lines?: number };
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
      throw new CheckerError('input', `${options.file}:${unclosedQuoteLine(text) ?? e.lines ?? 1}:1: not a readable CSV table: the quoted cell that starts on this line is never closed`);
    }
    throw new CheckerError('input', `${options.file}:${e.lines ?? 1}:1: not a readable CSV table: ${oneLine(e.message ?? String(error))}`);
  }

  // The header: the first row (of the first few) that names a provision column and a national one.
  const overrides = options.columns ?? {};
  let headerIndex = -1;
  let columns: Partial<Record<ColumnRole, number>> = {};
  // The roles a header must have: provision, national, and every column --columns names.
  const required = COLUMN_ROLES.filter((role) => role === 'provision' || role === 'national' || overrides[role] !== undefined);
  for (let i = 0; i < Math.min(records.length, HEADER_SEARCH_ROWS); i++) {
    const found = findColumns(records[i]!, overrides);
    if (required.every((role) => found[role] !== undefined)) {
      headerIndex = i;
      columns = found;
      break;
    }
  }
  if (headerIndex === -1) {
    // The likeliest header: of the first rows, the one with the most cells filled in.
    const filled = (r: readonly string[]) => r.filter((c) => cellText(c)).length;
    const first = records.slice(0, HEADER_SEARCH_ROWS).reduce<string[] | undefined>((best, r) => (filled(r) > (best ? filled(best) : 0) ? r : best), undefined);
    if (!first) throw new CheckerError('input', `${options.file}:1:1: the table is empty: it needs a header row and one row per provision`);
    const found = findColumns(first, overrides);
    const missing = required.filter((role) => found[role] === undefined);
    const named = first.map((h) => JSON.stringify(oneLine(cellText(h), 60))).join(', ');
    const hint = missing.map((role) =>
      overrides[role] !== undefined
        ? `no column "${oneLine(overrides[role]!, 60)}" (--columns ${role}=)`
        : `no ${role} column (a header such as ${DEFAULT_HEADERS[role].slice(0, 4).map((h) => `"${h}"`).join(', ')})`,
    );
    const advice = missing.some((role) => overrides[role] === undefined) ? '; name the columns with --columns provision=HEADER,national=HEADER' : '';
    throw new CheckerError('usage', `${options.file}:${records.indexOf(first) + 1}:1: found ${hint.join(' and ')} among the headers ${named}${advice}`);
  }
  const headerRow = records[headerIndex]!;
  const nameOf = (role: ColumnRole) => (columns[role] === undefined ? undefined : cellText(headerRow[columns[role]!]) || `column ${columns[role]! + 1}`);

  const known = new Set(options.ruleset.provisions);
  const problems: ImportProblem[] = [];
  const drafts = new Map<string, ProvisionDraft>();
  const sourceIds = new Map<string, string>();
  const ids = new SourceIds([TABLE_SOURCE_ID]);
  let usesTableSource = false;
  let dataRows = 0;
  const otherStates = new Map<string, { count: number; row: number }>();
  const outcomeIndex = headerRow.findIndex((h) => headerKey(cellText(h)) === 'outcome');
  const outcomeColumn = outcomeIndex !== -1 && outcomeIndex !== columns.status ? outcomeIndex : undefined;
  const cell = (record: readonly string[], role: ColumnRole) => (columns[role] === undefined ? '' : cellText(record[columns[role]!]));

  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i]!;
    const row = i + 1;
    if (!record.some((c) => cellText(c))) continue; // a blank row
    dataRows++;
    const problem = (message: string) => problems.push({ row, message });

    // A table of several Member States (check --format csv over a folder): only this one's rows count.
    const state = cell(record, 'member_state');
    if (state && state.toUpperCase() !== options.memberState) {
      const code = oneLine(state.toUpperCase(), 20);
      const other = otherStates.get(code);
      if (other) other.count++;
      else otherStates.set(code, { count: 1, row });
      continue;
    }

    const rawKey = cell(record, 'provision');
    if (!rawKey) {
      problem(`no Directive provision in column ${quote(nameOf('provision')!)}; the row is left out`);
      continue;
    }
    const key = normaliseProvisionKey(rawKey);
    if (!key || !known.has(key)) {
      const shown = key && key !== rawKey ? `${quote(rawKey)} (${key})` : quote(rawKey);
      problem(`unknown provision ${shown} of Directive ${options.ruleset.directive}: the row is left out${didYouMean(key ?? rawKey, options.ruleset.provisions)}`);
      continue;
    }

    let draft = drafts.get(key);
    if (!draft) drafts.set(key, (draft = { statuses: [], national: [], cited: new Set(), notes: new Set(), firstRow: row }));

    // An empty status beside an outcome column (check --format csv without the recorded status): the outcome word.
    const rawStatus = cell(record, 'status') || (outcomeColumn === undefined ? '' : cellText(record[outcomeColumn]));
    const statusWord = headerKey(rawStatus);
    if (statusWord in STATUS_WORDS) {
      const status = STATUS_WORDS[statusWord];
      if (status) draft.statuses.push({ status, row });
    } else {
      problem(`unknown status ${quote(rawStatus)} (use transposed, partial, not-transposed or not-assessed); ${key} takes the default status`);
    }

    const sourceTitle = cell(record, 'source');
    let source = TABLE_SOURCE_ID;
    if (sourceTitle) {
      const title = cut(oneLine(sourceTitle, Infinity), MAX_SHORT_TEXT);
      source = sourceIds.get(title) ?? ids.idFor(title);
      sourceIds.set(title, source);
    }
    for (const item of cell(record, 'national').split(/\s*(?:;|\r\n|\r|\n)\s*/)) {
      const article = item.replace(/\t/g, ' ').trim();
      if (NO_NATIONAL.has(article.toLowerCase())) continue;
      const citation = `${source}\u0000${cut(article, MAX_SHORT_TEXT)}`;
      if (draft.cited.has(citation)) continue;
      if (article.length > MAX_SHORT_TEXT) problem(`the national provision ${quote(article)} is longer than ${MAX_SHORT_TEXT} characters; it is cut short`);
      if (draft.national.length === MAX_NATIONAL) {
        problem(`${key} has more than ${MAX_NATIONAL} national provisions; ${quote(article)} is left out`);
        continue;
      }
      draft.cited.add(citation);
      draft.national.push({ source, article: cut(article, MAX_SHORT_TEXT), row });
      if (source === TABLE_SOURCE_ID) usesTableSource = true;
    }

    const comment = cell(record, 'comment');
    if (comment) draft.notes.add(comment);
  }

  // The measure file: provisions in Directive order.
  const provisions = new Map<string, Record<string, unknown>>();
  for (const key of [...drafts.keys()].sort(compareProvisionKeys)) {
    const draft = drafts.get(key)!;
    let status: Status = draft.national.length ? 'transposed' : 'not-transposed';
    if (draft.statuses.length) {
      status = STATUS_ORDER.find((s) => draft.statuses.some((d) => d.status === s))!;
    }
    if ((status === 'transposed' || status === 'partial') && draft.national.length === 0) {
      const row = draft.statuses.find((d) => d.status === status)?.row ?? draft.firstRow;
      problems.push({ row, message: `${key} is recorded as ${status} but no national provision is given; it is imported as not-transposed` });
      status = 'not-transposed';
    }
    const entry: Record<string, unknown> = { status };
    if (draft.national.length) entry.national = draft.national.map(({ source, article }) => ({ source, article }));
    if (draft.notes.size) {
      const notes = [...draft.notes].join('\n');
      if (notes.length > MAX_TEXT) problems.push({ row: draft.firstRow, message: `the comments on ${key} are longer than ${MAX_TEXT} characters; they are cut short` });
      entry.notes = cut(notes, MAX_TEXT);
    }
    provisions.set(key, entry);
  }
  const skipped = [...otherStates.values()].reduce((sum, o) => sum + o.count, 0);
  if (skipped && skipped === dataRows) {
    const first = Math.min(...[...otherStates.values()].map((o) => o.row));
    problems.push({ row: first, message: `no row of the table is for ${options.memberState}; its rows are for ${[...otherStates.keys()].join(', ')}` });
  }
  problems.sort((a, b) => a.row - b.row);

  const sources = new Map<string, { title: string }>();
  if (usesTableSource) sources.set(TABLE_SOURCE_ID, { title: TABLE_SOURCE_TITLE });
  const cited = new Set([...drafts.values()].flatMap((d) => d.national.map((n) => n.source)));
  for (const [title, id] of sourceIds) if (cited.has(id)) sources.set(id, { title });

  const data = new Map<string, unknown>([
    ['format', 1],
    ['directive', options.ruleset.directive],
    ['member_state', options.memberState],
    ['as_of', options.asOf],
  ]);
  if (sources.size) data.set('sources', sources);
  data.set('provisions', provisions);
  const doc = new Document(data);
  const provisionsNode = doc.get('provisions');
  if (isMap(provisionsNode)) for (const item of provisionsNode.items) if (isScalar(item.key)) item.key.type = 'QUOTE_DOUBLE';
  const otherMemberStates = Object.fromEntries([...otherStates].map(([code, o]) => [code, o.count]));
  doc.commentBefore = headerComment(options, { rows: dataRows, provisions: provisions.size, problems, usesTableSource, otherMemberStates });
  return {
    yaml: doc.toString({ lineWidth: 0 }),
    problems,
    rows: dataRows,
    otherMemberStates,
    provisions: provisions.size,
    columns: Object.fromEntries(COLUMN_ROLES.filter((r) => columns[r] !== undefined).map((r) => [r, nameOf(r)!])),
    delimiter,
  };
}

/** The comment at the top of the imported file: where it came from, and what did not make it. */
function headerComment(
  options: ImportOptions,
  counts: { rows: number; provisions: number; problems: readonly ImportProblem[]; usesTableSource: boolean; otherMemberStates: Record<string, number> },
): string {
  const lines = [
    `Measure file for ${options.memberState} under Directive ${oneLine(options.ruleset.directive)}, imported by \`conformity import\``,
    `from ${oneLine(options.file, 300)} on ${options.today}: ${counts.rows} row(s), ${counts.provisions} provision(s).`,
  ];
  const others = Object.entries(counts.otherMemberStates);
  if (others.length) lines.push(`Rows for other Member States, skipped: ${others.map(([code, n]) => `${code} ${n}`).join(', ')}.`);
  if (counts.problems.length) {
    lines.push(`Rows not mapped (left out, or kept only in part): ${counts.problems.length}`);
    for (const p of counts.problems) lines.push(`  row ${p.row}: ${oneLine(p.message, 300)}`);
  } else {
    lines.push('Every row was mapped.');
  }
  lines.push(
    'Provisions the table does not name are absent: check reports a mandatory one as not-transposed.',
    counts.usesTableSource
      ? `National references are the table's text, under the source "${TABLE_SOURCE_ID}": move each to the act`
      : "National references are the table's text, under the sources the table names: check the acts'",
    counts.usesTableSource
      ? 'it cites (under sources), and add the facts the rules read (conformity init and explain list them).'
      : 'titles, and add the facts the rules read (conformity init and explain list them).',
  );
  return lines.map((line) => ` ${line}`).join('\n');
}
