import { assessmentStanding } from './assessment-text.js';
import type { CheckResult } from '../check-types.js';
import { findingsOf, type RuleResult } from '../evaluate/result.js';
import type { TranspositionStatus } from '../types.js';
import type { Reporter } from './context.js';
import { controlSafe } from './terminal-safe.js';

/**
 * The correlation table as CSV (RFC 4180): one row per finding, CRLF line endings, a header row.
 *
 * Measure files are untrusted and CSV files are opened in spreadsheets, so every text cell that
 * starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` (OWASP, CSV injection): a spreadsheet
 * then shows it as text and never evaluates it. A CSV may be printed to a terminal: escape sequences
 * are removed and other control, bidi and invisible characters shown as `\xNN`/`\uNNNN` (line breaks
 * and tabs kept). Nothing else in a cell is changed.
 *
 * `status` and `notes` are what the measure file records for the provision (empty where the finding
 * does not carry them), so that `conformity import` reads the table back into the same statuses and notes.
 */

const HEADER = ['member_state', 'as_of', 'provision', 'article_title', 'rule', 'outcome', 'severity', 'national_provisions', 'message', 'file', 'line', 'status', 'notes'];

/** A finding with what the measure file records for its provision, where evaluation passes that on. */
type RecordedFinding = RuleResult & { status?: TranspositionStatus; notes?: string };

/** A text cell: control-safe, formula-neutralised, then quoted when RFC 4180 needs it. */
function text(raw: string): string {
  const value = controlSafe(raw);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The finding's message, with any assessment beside the computed outcome (the contract: an assessment never hides anything). */
function messageOf(finding: RuleResult): string {
  const assessment = finding.assessment;
  if (!assessment) return finding.message;
  const who = [assessment.by, assessment.date].filter(Boolean).join(', ');
  const state = assessmentStanding(assessment, finding.computedOutcome);
  return `${finding.message}; ${state}${who ? ` by ${who}` : ''}: ${assessment.reason}`;
}

export const formatCsv: Reporter = (result: CheckResult, context) => {
  const rows = [HEADER.join(',')];
  for (const r of result.results) {
    for (const finding of findingsOf(r, context.all) as RecordedFinding[]) {
      rows.push(
        [
          text(r.memberState),
          text(r.evaluatedAt),
          text(finding.rule.provision),
          text(finding.rule.articleTitle),
          text(finding.rule.id),
          text(finding.outcome),
          text(finding.severity),
          text(finding.national.join('; ')),
          text(messageOf(finding)),
          text(finding.at.file),
          String(finding.at.line),
          text(finding.status ?? ''),
          text(finding.notes ?? ''),
        ].join(','),
      );
    }
  }
  return rows.map((row) => `${row}\r\n`).join('');
};
