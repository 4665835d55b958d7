import type { CheckResult } from '../check-types.js';
import { findingsOf, type RuleResult } from '../evaluate/result.js';
import type { Severity } from '../types.js';
import { assessmentText } from './assessment-text.js';
import { isKnown } from './baseline.js';
import type { ReportContext, Reporter } from './context.js';
import { unsafeIn, visibleEscape } from '../text/characters.js';

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), one per line.
 *
 * Measure files are untrusted. Values are escaped exactly as GitHub's toolkit does (@actions/core
 * `escapeData` / `escapeProperty`), so a line break in a value can never start a workflow command of
 * its own; and control characters other than CR and LF (ANSI escapes, BEL, bidirectional overrides)
 * are first made visible as `\xNN` / `\uNNNN`, so that nothing drives the log viewer either.
 */

const COMMAND: Record<Exclude<Severity, 'none'>, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** What a workflow command shows rather than obeys (src/text/characters.ts, MEDIA.githubCommand); CR and LF are escaped after. */
const CONTROL = new RegExp(unsafeIn('githubCommand', 'visible'), 'g');

/** @actions/core `escapeData`. */
export function escapeData(text: string): string {
  return text.replace(CONTROL, visibleEscape).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** @actions/core `escapeProperty`. */
function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function annotation(command: string, properties: [string, string | number][], message: string): string {
  const props = properties.map(([key, value]) => `${key}=${escapeProperty(String(value))}`).join(',');
  return `::${command} ${props}::${escapeData(message)}`;
}

/** The annotation's text: the finding, the national provisions behind it, and any assessment beside the computed outcome. */
function messageOf(finding: RuleResult): string {
  const lines = [finding.message];
  if (finding.national.length) lines.push(`National provision: ${finding.national.join('; ')}`);
  if (finding.assessment) lines.push(`${assessmentText(finding, undefined, true)}: ${finding.assessment.reason}`);
  return lines.join('\n');
}

/** GitHub shows at most 10 annotations of each kind per step; the rest would be dropped without a word. */
export const ANNOTATIONS_PER_KIND = 10;

const ORDER: Record<string, number> = { error: 0, warning: 1, notice: 2 };

/**
 * Every line is an annotation: input errors first (as `::error`, at the place in the file), then the
 * findings by severity (errors, warnings, notices; with `--quiet` errors only; not-applicable and
 * not-assessed provisions only with `--all`, as in the other reports; findings a baseline knows come
 * last, as notices). At most 10 of each kind; if any are left out, one last notice says
 * how many and points to the job summary. No findings, no output.
 */
export const formatGithub: Reporter = (result: CheckResult, context) => capped(githubAnnotations(result, context));

/** Every annotation, in the order written, before the cap: input errors, then findings by severity, then known ones. */
export function githubAnnotations(result: CheckResult, context: Pick<ReportContext, 'all' | 'quiet' | 'known'>): { command: string; line: string }[] {
  const annotations: { command: string; line: string }[] = [];
  for (const d of result.diagnostics) {
    annotations.push({ command: 'error', line: annotation('error', [['file', d.file], ['line', d.line], ['col', d.column], ['title', `input error (${d.code})`]], d.message) });
  }
  const known: { command: string; line: string }[] = [];
  for (const r of result.results) {
    for (const finding of findingsOf(r, context.all)) {
      if (finding.severity === 'none' || (context.quiet && finding.severity !== 'error')) continue;
      // As in the text and Markdown reports: what is not applicable (2(f), 12(3), an option not taken up) is listed only with --all.
      if (finding.outcome === 'not-applicable' && !finding.assessment && !context.all) continue;
      const isOld = isKnown(context.known, r, finding);
      const command = isOld ? 'notice' : COMMAND[finding.severity];
      const line = annotation(
        command,
        [
          ['file', finding.at.file],
          ['line', finding.at.line],
          ['col', finding.at.column],
          ['title', `${r.memberState} Art. ${finding.rule.provision} ${finding.outcome}${isOld ? ' (known: in the baseline)' : ''}`],
        ],
        messageOf(finding),
      );
      (isOld ? known : annotations).push({ command, line });
    }
  }
  // Stable sort: by kind, then in the order found (input errors, then Member States in order).
  return [...annotations.sort((a, b) => ORDER[a.command]! - ORDER[b.command]!), ...known];
}

/** At most ANNOTATIONS_PER_KIND of each kind, then one notice counting the rest. */
function capped(ordered: readonly { command: string; line: string }[]): string {
  const shown: string[] = [];
  const perKind = new Map<string, number>();
  let omitted = 0;
  for (const { command, line } of ordered) {
    const count = perKind.get(command) ?? 0;
    // One notice is kept for the summary annotation.
    const limit = command === 'notice' ? ANNOTATIONS_PER_KIND - 1 : ANNOTATIONS_PER_KIND;
    if (count >= limit) {
      omitted++;
      continue;
    }
    perKind.set(command, count + 1);
    shown.push(line);
  }
  if (omitted) shown.push(annotation('notice', [['title', 'conformity']], `${omitted} more finding(s): see the job summary`));
  return shown.map((line) => `${line}\n`).join('');
};
