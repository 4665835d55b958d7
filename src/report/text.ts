import { Chalk, type ChalkInstance } from 'chalk';
import Table from 'cli-table3';
import type { CheckResult } from '../check.js';
import { findingsOf, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import { OUTCOMES, type Outcome, type Severity } from '../types.js';
import { assessmentText } from './assessment-text.js';
import { DISCLAIMER, reportDate, type Reporter } from './context.js';
import { terminalSafe } from './terminal-safe.js';

function outcomeColour(chalk: ChalkInstance, severity: Severity): (text: string) => string {
  switch (severity) {
    case 'error':
      return chalk.red;
    case 'warning':
      return chalk.yellow;
    case 'info':
      return chalk.cyan;
    default:
      return chalk.green;
  }
}

function outcomeCell(chalk: ChalkInstance, finding: RuleResult): string {
  const colour = outcomeColour(chalk, finding.severity);
  const lines = [colour(finding.outcome)];
  if (finding.assessment?.state === 'applied') lines.push(chalk.dim(`assessed; computed: ${finding.computedOutcome}`));
  return lines.join('\n');
}

function messageCell(finding: RuleResult): string {
  const lines = [terminalSafe(finding.message)];
  if (finding.assessment) lines.push(`${assessmentText(finding, terminalSafe)}: ${terminalSafe(finding.assessment.reason)}`);
  return lines.join('\n');
}

function summaryLine(result: MemberStateResult): string {
  const parts = OUTCOMES.filter((o) => result.summary[o] > 0).map((o) => `${result.summary[o]} ${o}`);
  const total = result.provisions.length;
  const assessed = result.assessments.applied;
  const extra = [
    assessed ? `${assessed} assessed` : '',
    result.assessments.unnecessary ? `${result.assessments.unnecessary} unnecessary assessment(s)` : '',
    result.assessments['review-due'] ? `${result.assessments['review-due']} assessment(s) due for review` : '',
    result.assessments['out-of-date'] ? `${result.assessments['out-of-date']} assessment(s) not applied (law changed since)` : '',
  ].filter(Boolean);
  return `${result.memberState}: ${total} provisions — ${parts.join(', ')}${extra.length ? `; ${extra.join(', ')}` : ''}`;
}

function breakLongWords(text: string, width: number): string {
  return text.replace(new RegExp(`\\S{${width + 1},}`, 'g'), (word) => word.match(new RegExp(`.{1,${width}}`, 'g'))!.join('\n'));
}

/** Column widths fitted to the content; the finding takes what is left of the terminal. */
function columnWidths(rows: string[][], columns: number): number[] {
  const longest = (index: number) => Math.max(...rows.map((row) => Math.max(...row[index]!.split('\n').map((l) => l.length))));
  const caps = [12, 20, 20, 0, 24, 60];
  const widths = caps.map((cap, index) => (index === 3 ? 0 : Math.min(cap, longest(index)) + 2));
  const rest = Math.max(columns, 100) - widths.reduce((a, b) => a + b, 0) - 7;
  widths[3] = Math.max(30, Math.min(rest, longest(3) + 2));
  return widths;
}

function memberStateTable(chalk: ChalkInstance, result: MemberStateResult, all: boolean, columns: number, quiet = false): string {
  // Optional provisions not taken up are counted in the summary; listing them all would bury the findings.
  const findings = findingsOf(result, all).filter((f) => (quiet ? f.severity === 'error' : all || f.outcome !== 'not-applicable' || f.assessment));
  const hidden = quiet ? 0 : findingsOf(result, all).length - findings.length;
  const header = chalk.bold(`${result.memberState} — law as of ${result.evaluatedAt} — ${result.files.map(terminalSafe).join(', ')}`);
  if (findings.length === 0) return `${header}\n${chalk.green('every provision conform')}\n${summaryLine(result)}`;
  const head = ['Provision', 'Article', 'Outcome', 'Finding', 'National provision', 'Location'];
  const rows = findings.map((finding) => [
    finding.rule.provision,
    finding.rule.articleTitle,
    outcomeCell(chalk, finding),
    messageCell(finding),
    finding.national.map(terminalSafe).join('\n'),
    `${terminalSafe(finding.at.file)}:${finding.at.line}`,
  ]);
  const plainRows = findings.map((finding, i) => rows[i]!.map((cell, j) => (j === 2 ? finding.outcome + (finding.assessment?.state === 'applied' ? `\nassessed; computed: ${finding.computedOutcome}` : '') : cell)));
  const widths = columnWidths([head, ...plainRows], columns);
  // cli-table3 cuts a word longer than its column; break such words so nothing is lost.
  for (const row of rows) row.forEach((cell, j) => (row[j] = j === 2 ? cell : breakLongWords(cell, widths[j]! - 2)));
  const table = new Table({
    head,
    colWidths: widths,
    wordWrap: true,
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    style: { head: chalk.level > 0 ? ['bold'] : [], border: chalk.level > 0 ? ['grey'] : [] },
  });
  table.push(...rows);
  const note = hidden ? `\n${chalk.dim(`${hidden} not-applicable rule(s) not listed; --all lists every rule`)}` : '';
  return `${header}\n${table.toString()}\n${summaryLine(result)}${note}`;
}

/** Terminal view: a table per Member State, summary lines, provenance and the disclaimer. */
export const formatText: Reporter = (result: CheckResult, context) => {
  const chalk = new Chalk({ level: context.color ? 1 : 0 });
  const sections = result.results.map((r) => memberStateTable(chalk, r, context.all, context.columns, context.quiet));
  // --quiet: the error findings and each Member State's summary line, nothing else.
  if (context.quiet) return sections.length ? `${sections.join('\n\n')}\n` : '';
  const date = reportDate(result);
  const totals: Partial<Record<Outcome, number>> = {};
  for (const r of result.results) for (const o of OUTCOMES) totals[o] = (totals[o] ?? 0) + r.summary[o];
  const footer = [
    `${result.results.length} measure set(s) checked${result.diagnostics.length ? `, ${result.diagnostics.length} input error(s)` : ''}.`,
    chalk.dim(
      `conformity ${result.tool.version} · rules ${result.ruleset.id} ${result.ruleset.version} (sha256 ${result.ruleset.hash.slice(0, 12)}) · ` +
        (date ? `law as of ${date}` : "law as of each file's as_of"),
    ),
    chalk.dim(DISCLAIMER),
  ];
  return `${[...sections, footer.join('\n')].join('\n\n')}\n`;
};
