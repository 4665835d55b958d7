import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult } from '../check-types.js';
import { findingsOf, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import { OUTCOMES, type Severity } from '../types.js';
import { assessmentText } from './assessment-text.js';
import { DISCLAIMER, reportDate, type ReportContext, type Reporter } from './context.js';
import { terminalSafe } from './terminal-safe.js';
import { cellWidth, displayWidth, padTo, renderTable, wrapText, type TableCell, type TableColumn } from './text-layout.js';

/**
 * The terminal view. Two layouts: a table per Member State where it fits the terminal, and a
 * compact one (one line per finding, `FILE:LINE:COL  severity  provision  outcome: message`, grouped
 * by Member State, like ESLint's "stylish") for narrow terminals and for logs. Both are laid out in
 * time linear in the findings, and no line is wider than `columns` except an unbreakable path or URL.
 */

/** `table` where it fits (a terminal), `compact` always (a log: standard output is not a terminal). */
export type TextLayout = 'auto' | 'compact';

export interface TextContext extends ReportContext {
  layout?: TextLayout;
}

function severityColour(chalk: ChalkInstance, severity: Severity): (text: string) => string {
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

function summaryLine(result: MemberStateResult): string {
  const parts = OUTCOMES.filter((o) => result.summary[o] > 0).map((o) => `${result.summary[o]} ${o}`);
  // Chapeaux follow their paragraphs and are not counted: the counts add up to the total said.
  const total = result.provisions.filter((p) => !p.derived).length;
  const assessed = result.assessments.applied;
  const extra = [
    assessed ? `${assessed} assessed` : '',
    result.assessments.unnecessary ? `${result.assessments.unnecessary} unnecessary assessment(s)` : '',
    result.assessments['review-due'] ? `${result.assessments['review-due']} assessment(s) due for review` : '',
    result.assessments['out-of-date'] ? `${result.assessments['out-of-date']} assessment(s) not applied (law changed since)` : '',
  ].filter(Boolean);
  const derived = result.provisions.length - total;
  const chapeaux = derived ? ` (and ${derived} chapeau(x) derived from their paragraphs)` : '';
  return `${result.memberState}: ${total} provisions${chapeaux} — ${parts.join(', ')}${extra.length ? `; ${extra.join(', ')}` : ''}`;
}

/** The findings a Member State's section lists, and how many not-applicable ones it leaves out. */
function listed(result: MemberStateResult, all: boolean, quiet: boolean): { findings: RuleResult[]; hidden: number } {
  const every = findingsOf(result, all);
  // Optional provisions not taken up are counted in the summary; listing them all would bury the findings.
  const findings = every.filter((f) => (quiet ? f.severity === 'error' : all || f.outcome !== 'not-applicable' || f.assessment));
  return { findings, hidden: quiet ? 0 : every.length - findings.length };
}

const assessedLine = (finding: RuleResult) => (finding.assessment?.state === 'applied' ? `assessed; computed: ${finding.computedOutcome}` : undefined);
const assessmentLine = (finding: RuleResult) =>
  finding.assessment ? `${assessmentText(finding, terminalSafe)}: ${terminalSafe(finding.assessment.reason)}` : undefined;
const location = (finding: RuleResult) => `${terminalSafe(finding.at.file)}:${finding.at.line}:${finding.at.column}`;

interface Section {
  chalk: ChalkInstance;
  result: MemberStateResult;
  findings: RuleResult[];
  columns: number;
}

/** Column widths for the table, or undefined when it does not fit the terminal. */
function tableColumns({ findings, columns }: Section, cells: TableCell[][], withArticle: boolean): TableColumn[] | undefined {
  const head = withArticle ? ['Provision', 'Article', 'Outcome', 'Finding', 'National provision', 'Location'] : ['Provision', 'Outcome', 'Finding', 'National provision', 'Location'];
  const finding = head.indexOf('Finding');
  // Caps keep one long cell from taking the width; Finding takes what is left.
  const caps: Record<string, [min: number, cap: number]> = {
    Provision: [9, 12],
    Article: [10, 24],
    Outcome: [7, 22],
    'National provision': [12, 28],
    Location: [12, 30],
  };
  const widths = head.map((name, i) => {
    if (i === finding) return 0;
    const [min, cap] = caps[name]!;
    let widest = displayWidth(name);
    for (const row of cells) widest = Math.max(widest, cellWidth(row[i]!));
    return Math.max(Math.min(min, widest), Math.min(cap, widest));
  });
  const rest = columns - widths.reduce((a, b) => a + b, 0) - (3 * head.length + 1);
  let widestFinding = displayWidth('Finding');
  for (const row of cells) widestFinding = Math.max(widestFinding, cellWidth(row[finding]!));
  if (rest < Math.min(30, widestFinding) || findings.length === 0) return undefined;
  widths[finding] = Math.min(rest, widestFinding);
  return head.map((name, i) => ({ head: name, width: widths[i]! }));
}

function tableOf(section: Section): string | undefined {
  const { chalk, findings, columns } = section;
  const withArticle = columns >= 150;
  const cells = findings.map((f): TableCell[] => {
    const outcome: TableCell = { lines: [f.outcome], style: severityColour(chalk, f.severity) };
    const assessed = assessedLine(f);
    if (assessed) outcome.lines.push(assessed);
    const message = [terminalSafe(f.message), assessmentLine(f)].filter((l): l is string => l !== undefined);
    const row: TableCell[] = [{ lines: [f.rule.provision] }, outcome, { lines: message }, { lines: f.national.map(terminalSafe) }, { lines: [`${terminalSafe(f.at.file)}:${f.at.line}`] }];
    if (withArticle) row.splice(1, 0, { lines: [terminalSafe(f.rule.articleTitle)] });
    return row;
  });
  const widths = tableColumns(section, cells, withArticle);
  if (!widths) return undefined;
  const grey = chalk.level > 0 ? chalk.grey : (s: string) => s;
  const bold = chalk.level > 0 ? chalk.bold : (s: string) => s;
  return renderTable(widths, cells, grey, bold);
}

const widest = (texts: Iterable<string>) => {
  let most = 0;
  for (const text of texts) most = Math.max(most, displayWidth(text));
  return most;
};

/** One line per finding (the message wrapped with a hanging indent), the national provisions and any assessment below it. */
function compactOf({ chalk, findings, columns }: Section): string {
  const locations = findings.map(location);
  const locationWidth = Math.min(widest(locations), Math.floor(columns / 3));
  const provisionWidth = Math.min(widest(findings.map((f) => f.rule.provision)), 12);
  const messageAt = 2 + locationWidth + 2 + 7 + 2 + provisionWidth + 2;
  const hang = messageAt <= columns / 2 ? messageAt : 6;
  const indent = ' '.repeat(hang);
  const lines: string[] = [];
  findings.forEach((f, i) => {
    const colour = severityColour(chalk, f.severity);
    const head = `  ${padTo(locations[i]!, locationWidth)}  ${colour(f.severity)}${' '.repeat(7 - f.severity.length)}  ${padTo(f.rule.provision, provisionWidth)}  `;
    const text = `${f.outcome}: ${terminalSafe(f.message)}`;
    // A location too long for its column gets the line to itself; the message goes below it.
    if (displayWidth(locations[i]!) > locationWidth || messageAt > columns - 20) {
      lines.push(head.trimEnd(), ...wrapText(indent + text, columns, { indent }));
    } else {
      // Laid out behind blanks as wide as the head, which then takes their place.
      const message = wrapText(' '.repeat(messageAt) + text, columns, { indent });
      lines.push(head + message[0]!.slice(messageAt), ...message.slice(1));
    }
    const more = [f.national.length ? `national: ${f.national.map(terminalSafe).join('; ')}` : undefined, assessedLine(f), assessmentLine(f)];
    for (const line of more) if (line) lines.push(...wrapText(line, columns - hang, { indent: '  ' }).map((l) => chalk.dim(indent + l)));
  });
  return lines.join('\n');
}

function memberStateSection(chalk: ChalkInstance, result: MemberStateResult, context: TextContext): string {
  const columns = Math.max(context.columns, 40);
  const wrap = (text: string, indent = '  ') => wrapText(text, columns, { indent }).join('\n');
  if (result.notBound) return wrap(`${result.memberState}: ${terminalSafe(result.notBound)}`);
  const { findings, hidden } = listed(result, context.all, !!context.quiet);
  const header = [chalk.bold(wrap(`${result.memberState} — law as of ${result.evaluatedAt} — ${result.files.map(terminalSafe).join(', ')}`))];
  for (const notice of result.notices) header.push(chalk.yellow(wrap(`note: ${terminalSafe(notice)}`)));
  const summary = wrap(summaryLine(result));
  if (findings.length === 0) {
    // Never "conform" where the file leaves provisions unresearched: say what is not known.
    const open = result.summary['not-assessed'] + result.summary.incomplete;
    const words = context.quiet ? 'no error findings' : open ? `nothing to list: ${result.summary['not-assessed']} provision(s) not assessed (--all lists them)` : 'every provision conform';
    return `${header.join('\n')}\n${open && !context.quiet ? chalk.yellow(wrap(words, '')) : chalk.green(words)}\n${summary}`;
  }
  const section: Section = { chalk, result, findings, columns };
  const body = (context.layout === 'compact' ? undefined : tableOf(section)) ?? compactOf(section);
  const note = hidden ? `\n${chalk.dim(wrap(`${hidden} not-applicable rule(s) not listed; --all lists every rule`))}` : '';
  return `${header.join('\n')}\n${body}\n${summary}${note}`;
}

/** Past this many findings in all, the compact layout even on a terminal: a table that long is read by no one, and costs more to lay out. */
const TABLE_MAX_FINDINGS = 2000;

/** Terminal view: a section per Member State, summary lines, provenance and the disclaimer. */
export const formatText: Reporter = (result: CheckResult, context: TextContext) => {
  const chalk = new Chalk({ level: context.color ? 1 : 0 });
  const columns = Math.max(context.columns, 40);
  let findings = 0;
  for (const r of result.results) findings += r.rules.length;
  const layout = findings > TABLE_MAX_FINDINGS ? 'compact' : context.layout;
  const sections = result.results.map((r) => memberStateSection(chalk, r, { ...context, layout }));
  // --quiet: the error findings and each Member State's summary line, nothing else.
  if (context.quiet) return sections.length ? `${sections.join('\n\n')}\n` : '';
  const date = reportDate(result);
  const wrap = (text: string) => wrapText(text, columns).join('\n');
  const footer = [
    wrap(`${result.results.length} measure set(s) checked${result.diagnostics.length ? `, ${result.diagnostics.length} input error(s)` : ''}.`),
    chalk.dim(
      wrap(
        `conformity ${result.tool.version} · rules ${terminalSafe(result.ruleset.id)} ${terminalSafe(result.ruleset.version)} (sha256 ${result.ruleset.hash.slice(0, 12)}) · ` +
          (date ? `law as of ${date}` : "law as of each file's as_of"),
      ),
    ),
    chalk.dim(wrap(DISCLAIMER)),
  ];
  return `${[...sections, footer.join('\n')].join('\n\n')}\n`;
};
