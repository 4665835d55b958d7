import type { CheckResult } from '../check.js';
import { findingsOf, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import { OUTCOMES, type Diagnostic, type Outcome } from '../types.js';
import { DISCLAIMER, reportDate, type Reporter } from './context.js';

/**
 * Markdown for pull-request comments and files: GitHub-flavoured tables, lint-clean (markdownlint
 * defaults, line length aside) by construction.
 *
 * Measure files are untrusted, so every piece of text goes through `md()`, which leaves only plain
 * text: no emphasis, code, links, autolinks, HTML, math, @-mentions or #-references, and no line
 * break or pipe that could end a table row or cell.
 */

const TAG: Record<Outcome, string> = {
  conform: 'C',
  'partially-conform': 'PC',
  'not-conform': 'NC',
  'not-transposed': 'NT',
  incomplete: 'I',
  'not-applicable': 'NA',
};

/** C0/C1 controls, DEL, line/paragraph separators and bidirectional controls (CR, LF and tab are handled before). */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  // A zero-width space after @ and # keeps GitHub from turning text into mentions or issue references.
  '@': '@&#8203;',
  '#': '#&#8203;',
};

/**
 * Plain text for a Markdown paragraph, heading or table cell. Line breaks and tabs become spaces;
 * other control characters become a visible `\xNN`; every character with a meaning in GFM, in GitHub
 * math or in autolinks (`:` of `http://`, `.` of `www.`) is backslash-escaped; `&`, `<`, `>` become
 * entities.
 */
function md(text: string): string {
  return text
    .replace(/\r\n|[\r\n\t]/g, ' ')
    .replace(CONTROL, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
    .replace(/[\\`*_[\]|~$:&<>@#]|(?<=www)\./gi, (c) => ESCAPES[c] ?? `\\${c}`)
    .replace(/ +$/, '')
    .replace(/^ +/, '');
}

function outcomeLabel(outcome: Outcome): string {
  return `${outcome} (${TAG[outcome]})`;
}

function outcomeCell(finding: RuleResult): string {
  const label = outcomeLabel(finding.outcome);
  return finding.assessment?.state === 'applied' ? `${label}, assessed; computed: ${outcomeLabel(finding.computedOutcome)}` : label;
}

function findingCell(finding: RuleResult): string {
  const parts = [md(finding.message)];
  const assessment = finding.assessment;
  if (assessment) {
    const who = [assessment.by, assessment.date].filter(Boolean).map((s) => md(s!)).join(', ');
    const state = {
      applied: `Assessed ${assessment.outcome}`,
      unnecessary: `Assessment unnecessary (equals the computed ${finding.computedOutcome})`,
      expired: `Assessment expired on ${md(assessment.expires ?? '')} (not applied)`,
      'not-yet-valid': `Assessment dated ${md(assessment.date ?? '')} (not applied before then)`,
    }[assessment.state];
    parts.push(`${state}${who ? ` by ${who}` : ''}\\: ${md(assessment.reason)}`);
  }
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
  const assessments = a.applied + a.unnecessary + a.expired + a['not-yet-valid'];
  const extra = assessments
    ? `; assessments: ${a.applied} applied, ${a.unnecessary} unnecessary, ${a.expired} expired, ${a['not-yet-valid']} not yet valid`
    : '';
  return `${result.provisions.length} provisions: ${counts}${extra}.`;
}

function memberStateSection(result: MemberStateResult, all: boolean): string[] {
  // As in the text view: optional provisions not taken up are counted, and listed only with --all.
  const listed = findingsOf(result, all);
  const findings = listed.filter((f) => all || f.outcome !== 'not-applicable' || f.assessment);
  const hidden = listed.length - findings.length;
  const law = result.evaluatedAt === result.asOf ? '' : `Law as of ${md(result.evaluatedAt)}. `;
  const blocks = [
    `## ${md(result.memberState)} — measures as of ${md(result.asOf)}`,
    `${law}${result.files.length === 1 ? 'File' : 'Files'}: ${result.files.map(md).join(', ')}.`,
    summaryLine(result),
  ];
  if (findings.length === 0) {
    blocks.push(listed.length === 0 ? 'Every provision conform.' : 'No finding to list.');
  } else {
    blocks.push(
      table(
        ['Provision', 'Article', 'Outcome', 'Finding', 'National provision', 'Location'],
        findings.map((f) => [
          md(f.rule.provision),
          md(f.rule.articleTitle),
          outcomeCell(f),
          findingCell(f),
          f.national.map(md).join('; '),
          `${md(f.at.file)}\\:${f.at.line}`,
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
      diagnostics.map((d) => [`${md(d.file)}\\:${d.line}\\:${d.column}`, md(d.code), md(d.message)]),
    ),
  ];
}

/** A report for a pull-request comment: provenance, a section per Member State, input errors, inputs, disclaimer. */
export const formatMarkdown: Reporter = (result: CheckResult, context) => {
  const date = reportDate(result);
  const { tool, ruleset } = result;
  const blocks = [
    `# Conformity report: ${md(ruleset.directive)}`,
    `${md(tool.name)} ${md(tool.version)} · rules ${md(ruleset.id)} ${md(ruleset.version)} (sha256 ${md(ruleset.hash.slice(0, 12))}) · ` +
      (date ? `law as of ${md(date)}` : "law as of each file's as\\_of"),
    `${result.results.length} measure set(s) checked, ${result.diagnostics.length} input error(s).`,
  ];
  for (const r of result.results) blocks.push(...memberStateSection(r, context.all));
  blocks.push(...diagnosticsSection(result.diagnostics));
  if (result.inputs.length) {
    blocks.push('## Inputs', result.inputs.map((i) => `- ${md(i.name)} (sha256 ${md(i.sha256 || 'not read')})`).join('\n'));
  }
  blocks.push(md(DISCLAIMER));
  return `${blocks.join('\n\n')}\n`;
};
