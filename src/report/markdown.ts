import type { CheckResult } from '../check.js';
import { findingsOf, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import { OUTCOME_CODES, OUTCOMES, type Diagnostic, type Outcome } from '../types.js';
import { assessmentText } from './assessment-text.js';
import { DISCLAIMER, reportDate, type Reporter } from './context.js';
import { markdownText } from './markdown-text.js';

/**
 * Markdown for pull-request comments and files: GitHub-flavoured tables, lint-clean (markdownlint
 * defaults, line length aside) by construction.
 *
 * Measure files are untrusted, so every piece of text goes through `markdownText()`, which leaves only plain
 * text: no emphasis, code, links, autolinks, HTML, math, @-mentions or #-references, and no line
 * break or pipe that could end a table row or cell.
 */

function outcomeLabel(outcome: Outcome): string {
  return `${outcome} (${OUTCOME_CODES[outcome]})`;
}

function outcomeCell(finding: RuleResult): string {
  const label = outcomeLabel(finding.outcome);
  return finding.assessment?.state === 'applied' ? `${label}, assessed; computed: ${outcomeLabel(finding.computedOutcome)}` : label;
}

function findingCell(finding: RuleResult): string {
  const parts = [markdownText(finding.message)];
  if (finding.assessment) parts.push(`${assessmentText(finding, markdownText)}\\: ${markdownText(finding.assessment.reason)}`);
  return parts.filter(Boolean).join(' — ') || '—';
}

function row(cells: string[]): string {
  return `| ${cells.map((c) => c || '—').join(' | ')} |`;
}

function table(head: string[], rows: string[][]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

function summaryLine(result: MemberStateResult): string {
  const counts = OUTCOMES.map((o) => `${result.summary[o]} ${outcomeLabel(o)}`).join(', ');
  const a = result.assessments;
  const assessments = a.applied + a.unnecessary + a['review-due'] + a['out-of-date'];
  const extra = assessments
    ? `; assessments: ${a.applied} applied, ${a.unnecessary} unnecessary, ${a['review-due']} review due, ${a['out-of-date']} out of date`
    : '';
  return `${result.provisions.length} provisions: ${counts}${extra}.`;
}

function memberStateSection(result: MemberStateResult, all: boolean): string[] {
  // As in the text view: optional provisions not taken up are counted, and listed only with --all.
  const listed = findingsOf(result, all);
  const findings = listed.filter((f) => all || f.outcome !== 'not-applicable' || f.assessment);
  const hidden = listed.length - findings.length;
  const law = result.evaluatedAt === result.asOf ? '' : `Law as of ${markdownText(result.evaluatedAt)}. `;
  const blocks = [
    `## ${markdownText(result.memberState)} — measures as of ${markdownText(result.asOf)}`,
    `${law}${result.files.length === 1 ? 'File' : 'Files'}: ${result.files.map((text) => markdownText(text)).join(', ')}.`,
    summaryLine(result),
  ];
  if (findings.length === 0) {
    blocks.push(listed.length === 0 ? 'Every provision conform.' : 'No finding to list.');
  } else {
    blocks.push(
      table(
        ['Provision', 'Article', 'Outcome', 'Finding', 'National provision', 'Location'],
        findings.map((f) => [
          markdownText(f.rule.provision),
          markdownText(f.rule.articleTitle),
          outcomeCell(f),
          findingCell(f),
          f.national.map((text) => markdownText(text)).join('; '),
          `${markdownText(f.at.file)}\\:${f.at.line}`,
        ]),
      ),
    );
  }
  if (hidden) blocks.push(`${hidden} not-applicable rule(s) not listed; --all lists every rule.`);
  return blocks;
}

function diagnosticsSection(diagnostics: Diagnostic[]): string[] {
  if (diagnostics.length === 0) return [];
  return [
    '## Input errors',
    'Member States with an input error are not evaluated.',
    table(
      ['Location', 'Code', 'Message'],
      diagnostics.map((d) => [`${markdownText(d.file)}\\:${d.line}\\:${d.column}`, markdownText(d.code), markdownText(d.message)]),
    ),
  ];
}

/** A report for a pull-request comment: provenance, a section per Member State, input errors, inputs, disclaimer. */
export const formatMarkdown: Reporter = (result: CheckResult, context) => {
  const date = reportDate(result);
  const { tool, ruleset } = result;
  const blocks = [
    `# Conformity report: ${markdownText(ruleset.directive)}`,
    `${markdownText(tool.name)} ${markdownText(tool.version)} · rules ${markdownText(ruleset.id)} ${markdownText(ruleset.version)} (sha256 ${markdownText(ruleset.hash.slice(0, 12))}) · ` +
      (date ? `law as of ${markdownText(date)}` : "law as of each file's as\\_of"),
    `${result.results.length} measure set(s) checked, ${result.diagnostics.length} input error(s).`,
  ];
  for (const r of result.results) blocks.push(...memberStateSection(r, context.all));
  blocks.push(...diagnosticsSection(result.diagnostics));
  if (result.inputs.length) {
    blocks.push('## Inputs', result.inputs.map((i) => `- ${markdownText(i.name)} (sha256 ${markdownText(i.sha256 || 'not read')})`).join('\n'));
  }
  blocks.push(markdownText(DISCLAIMER));
  return `${blocks.join('\n\n')}\n`;
};
