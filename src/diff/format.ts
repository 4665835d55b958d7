import { DISCLAIMER } from '../formats/context.js';
import { terminalSafe } from '../formats/terminal-safe.js';
import { wrapText } from '../formats/text-layout.js';
import type { Outcome } from '../types.js';
import type { ComparedVersion, DiffChange, DiffCounts, DiffResult, DiffSide, Direction, MemberStateDiff, VersionNote } from './compare.js';
import { markdownTable as table, markdownText } from '../formats/markdown-text.js';
import { lawChangeText, type LawChange } from './law-changes.js';

/** Pure renderers of a DiffResult: text (terminal), json (stable) and markdown (pull-request comments). */

export const DIFF_FORMATS = ['text', 'json', 'markdown'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

export interface DiffFormatOptions {
  /** ANSI colour (text only). */
  color?: boolean;
  /** Terminal width to wrap text to (text only); none: lines are not wrapped (a file). */
  width?: number;
}

/** Directions in the order summaries list them: regressions first. */
const SUMMARY_ORDER: readonly Direction[] = ['worse', 'disappeared', 'better', 'changed', 'appeared'];

function countsPhrase(counts: DiffCounts): string {
  const parts = SUMMARY_ORDER.filter((d) => counts[d] > 0).map((d) => `${counts[d]} ${d}`);
  return parts.length ? parts.join(', ') : 'no outcome changed';
}

function noteText(note: VersionNote): string {
  const side = note.side === 'old' ? 'OLD' : 'NEW';
  return `${side} has ${note.skipped.length + 1} versions of ${note.memberState} (as_of ${[note.compared, ...note.skipped].sort().join(', ')}); compared the latest, ${note.compared}.`;
}

function outcomeText(outcome: Outcome | null): string {
  return outcome ?? '—';
}

/** The provision, and the rule where the provision has several. */
function provisionText(change: DiffChange): string {
  return change.provisionRules > 1 ? `${change.provision} (${change.rule})` : change.provision;
}

function versionText(v: ComparedVersion | undefined): string {
  if (!v) return 'absent';
  const law = v.evaluatedAt === v.declaredAsOf ? '' : `, law as of ${v.evaluatedAt}`;
  return `measures as of ${v.declaredAsOf}${law} (${v.files.join(', ')})`;
}

function sideDateText(side: DiffSide): string {
  return side.evaluatedAt ? `law as of ${side.evaluatedAt}` : "law as of each file's as_of";
}

// ---------------------------------------------------------------------------------------------
// text

const ANSI: Record<'red' | 'green' | 'yellow' | 'cyan' | 'bold' | 'dim', [number, number]> = {
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
  bold: [1, 22],
  dim: [2, 22],
};

type Paint = (style: keyof typeof ANSI, text: string) => string;

const DIRECTION_STYLE: Record<Direction, keyof typeof ANSI> = {
  worse: 'red',
  disappeared: 'red',
  better: 'green',
  changed: 'yellow',
  appeared: 'cyan',
};

function pad(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - [...text].length));
}

function memberStateText(paint: Paint, ms: MemberStateDiff, changes: DiffChange[], laws: LawChange[]): string[] {
  const code = terminalSafe(ms.memberState);
  const safe = (v: ComparedVersion | undefined) => terminalSafe(versionText(v));
  const lines = [paint('bold', `${code} — ${ms.status}`), `  OLD: ${safe(ms.old)}`, `  NEW: ${safe(ms.new)}`];
  if (changes.length) {
    const rows = changes.map((c) => [terminalSafe(provisionText(c)), `${outcomeText(c.old)} → ${outcomeText(c.new)}`, c.direction, terminalSafe(c.message)] as const);
    const w0 = Math.max(...rows.map((r) => [...r[0]].length));
    const w1 = Math.max(...rows.map((r) => [...r[1]].length));
    const w2 = Math.max(...rows.map((r) => r[2].length));
    for (const [provision, move, direction, message] of rows) {
      const line = `  ${pad(provision, w0)}  ${pad(move, w1)}  ${paint(DIRECTION_STYLE[direction], pad(direction, w2))}  ${message}`;
      lines.push(line.trimEnd());
    }
  }
  if (laws.length) {
    lines.push('  Law changes:');
    for (const change of laws) lines.push(`    ${terminalSafe(lawChangeText(change))}`);
  }
  lines.push(`${code}: ${countsPhrase(ms.counts)}`);
  return lines;
}

export function formatDiffText(diff: DiffResult, options: DiffFormatOptions = {}): string {
  const paint: Paint = options.color ? (style, text) => `\u001b[${ANSI[style][0]}m${text}\u001b[${ANSI[style][1]}m` : (_style, text) => text;
  const { tool, ruleset } = diff;
  const blocks: string[][] = [
    [
      paint('bold', terminalSafe(`conformity diff — ${ruleset.directive}, rules ${ruleset.id} ${ruleset.version}`)),
      `OLD: ${diff.old.inputs.length} file(s), ${terminalSafe(sideDateText(diff.old))}`,
      `NEW: ${diff.new.inputs.length} file(s), ${terminalSafe(sideDateText(diff.new))}`,
      ...diff.notes.map((n) => `Note: ${terminalSafe(noteText(n))}`),
    ],
  ];
  for (const ms of diff.memberStates) {
    blocks.push(
      memberStateText(
        paint,
        ms,
        diff.changes.filter((c) => c.memberState === ms.memberState),
        diff.lawChanges.filter((c) => c.memberState === ms.memberState),
      ),
    );
  }
  const total = [`Total: ${countsPhrase(diff.summary)} (${diff.summary.unchanged} unchanged) across ${diff.memberStates.length} Member State(s).`];
  const disappeared = diff.memberStates.filter((m) => m.status === 'disappeared').length;
  total.push(
    diff.regression
      ? paint('red', `Regression: ${diff.summary.worse} outcome(s) worse, ${disappeared} Member State(s) disappeared.`)
      : paint('green', 'No regression: nothing got worse and no Member State disappeared.'),
  );
  blocks.push(total);
  blocks.push([paint('dim', `${terminalSafe(`${tool.name} ${tool.version}`)}. ${DISCLAIMER}`)]);
  const text = blocks.map((b) => b.join('\n')).join('\n\n');
  const { width } = options;
  // Continuation lines go under the line's own text, a little further in.
  const wrapped = width ? text.split('\n').flatMap((line) => wrapText(line, width, { indent: `${/^ */.exec(line)![0]}    ` })) : [text];
  return `${wrapped.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// json

function versionJson(v: ComparedVersion | undefined) {
  return v ? { as_of: v.evaluatedAt, declared_as_of: v.declaredAsOf, files: v.files } : null;
}

function sideJson(side: DiffSide) {
  return {
    files: side.inputs.map((i) => i.name),
    as_of: side.evaluatedAt ?? null,
    inputs: side.inputs.map((i) => ({ file: i.name, sha256: i.sha256 })),
  };
}

/**
 * The stable JSON of `diff`, as a plain object. Keys may be added, never renamed or dropped.
 * `as_of` is an evaluation date: `--as-of`, or the date a side's compared versions share, else null.
 */
export function toDiffJson(diff: DiffResult) {
  const counts = (c: DiffCounts) => ({ better: c.better, worse: c.worse, changed: c.changed, appeared: c.appeared, disappeared: c.disappeared, unchanged: c.unchanged });
  return {
    tool: diff.tool,
    ruleset: diff.ruleset,
    as_of: diff.evaluationDate ?? null,
    old: sideJson(diff.old),
    new: sideJson(diff.new),
    member_states: diff.memberStates.map((m) => ({
      member_state: m.memberState,
      status: m.status,
      old: versionJson(m.old),
      new: versionJson(m.new),
      summary: counts(m.counts),
    })),
    changes: diff.changes.map((c) => ({
      member_state: c.memberState,
      provision: c.provision,
      rule: c.rule,
      article_title: c.articleTitle,
      old: c.old,
      new: c.new,
      direction: c.direction,
      message: c.message,
    })),
    law_changes: diff.lawChanges.map((c) => ({
      member_state: c.memberState,
      provision: c.provision ?? null,
      kind: c.kind,
      text: c.text,
      old: c.old ?? null,
      new: c.new ?? null,
    })),
    summary: { ...counts(diff.summary), regression: diff.regression },
    notes: diff.notes.map((n) => ({ side: n.side, member_state: n.memberState, compared_as_of: n.compared, skipped_as_of: n.skipped, message: noteText(n) })),
  };
}

export function formatDiffJson(diff: DiffResult): string {
  return `${JSON.stringify(toDiffJson(diff), null, 2)}\n`;
}

// ---------------------------------------------------------------------------------------------
// markdown

const COUNT_HEAD = ['Worse', 'Disappeared', 'Better', 'Changed', 'Appeared', 'Unchanged'];
const countCells = (c: DiffCounts) => [c.worse, c.disappeared, c.better, c.changed, c.appeared, c.unchanged].map(String);

export function formatDiffMarkdown(diff: DiffResult): string {
  const { tool, ruleset } = diff;
  const blocks = [
    `# Conformity diff: ${markdownText(ruleset.directive)}`,
    `${markdownText(tool.name)} ${markdownText(tool.version)} · rules ${markdownText(ruleset.id)} ${markdownText(ruleset.version)} (sha256 ${markdownText(ruleset.hash.slice(0, 12))})`,
    table(
      ['Side', 'Files', 'Law as of'],
      [
        ['Old', diff.old.inputs.map((i) => markdownText(i.name)).join(', '), markdownText(diff.old.evaluatedAt ?? "each file's as_of")],
        ['New', diff.new.inputs.map((i) => markdownText(i.name)).join(', '), markdownText(diff.new.evaluatedAt ?? "each file's as_of")],
      ],
    ),
  ];
  if (diff.notes.length) blocks.push(diff.notes.map((n) => `- ${markdownText(noteText(n))}`).join('\n'));
  blocks.push(
    diff.regression
      ? `Regression: ${diff.summary.worse} outcome(s) worse, ${diff.memberStates.filter((m) => m.status === 'disappeared').length} Member State(s) disappeared.`
      : 'No regression: nothing got worse and no Member State disappeared.',
  );
  blocks.push(
    '## Summary',
    table(
      ['Member State', 'Status', ...COUNT_HEAD],
      [...diff.memberStates.map((m) => [markdownText(m.memberState), m.status, ...countCells(m.counts)]), ['Total', '', ...countCells(diff.summary)]],
    ),
  );
  for (const ms of diff.memberStates) {
    const changes = diff.changes.filter((c) => c.memberState === ms.memberState);
    blocks.push(`## ${markdownText(ms.memberState)} (${markdownText(countsPhrase(ms.counts))})`, `Old\\: ${markdownText(versionText(ms.old))}. New\\: ${markdownText(versionText(ms.new))}.`);
    if (changes.length) {
      blocks.push(
        table(
          ['Provision', 'Rule', 'Article', 'Old', 'New', 'Change', 'Message'],
          changes.map((c) => [markdownText(c.provision), markdownText(c.rule), markdownText(c.articleTitle), outcomeText(c.old), outcomeText(c.new), c.direction, markdownText(c.message)]),
        ),
      );
    }
    const laws = diff.lawChanges.filter((c) => c.memberState === ms.memberState);
    if (laws.length) {
      blocks.push(
        'Law changes:',
        table(
          ['Provision', 'Change', 'Old', 'New'],
          laws.map((c) => [markdownText(c.provision ?? 'Member State'), markdownText(c.text), outcomeText(c.old ?? null), outcomeText(c.new ?? null)]),
        ),
      );
    }
  }
  blocks.push(markdownText(DISCLAIMER));
  return `${blocks.join('\n\n')}\n`;
}

export function formatDiff(diff: DiffResult, format: DiffFormat, options: DiffFormatOptions = {}): string {
  switch (format) {
    case 'json':
      return formatDiffJson(diff);
    case 'markdown':
      return formatDiffMarkdown(diff);
    default:
      return formatDiffText(diff, options);
  }
}
