import type { CheckResult } from '../check-types.js';
import { findingsOf, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import { isInformationMissing, isNonConformity, OUTCOME_CODES, OUTCOMES, type Diagnostic, type Outcome } from '../types.js';
import { assessmentText } from './assessment-text.js';
import { DISCLAIMER, reportDate, type Reporter } from './context.js';
import { markdownTable as table, markdownText } from './markdown-text.js';

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

function summaryLine(result: MemberStateResult): string {
  // "Not conform" (possible infringement grounds) and "not assessed" (no research yet) are never one figure.
  const count = (test: (o: Outcome) => boolean) => OUTCOMES.filter(test).reduce((sum, o) => sum + result.summary[o], 0);
  const lead = `${count(isNonConformity)} not conform, ${result.summary['not-assessed']} not assessed, ${count((o) => isInformationMissing(o) && o !== 'not-assessed')} incomplete`;
  const counts = OUTCOMES.map((o) => `${result.summary[o]} ${outcomeLabel(o)}`).join(', ');
  const a = result.assessments;
  const assessments = a.applied + a.unnecessary + a['review-due'] + a['out-of-date'];
  const extra = assessments
    ? `; assessments: ${a.applied} applied, ${a.unnecessary} unnecessary, ${a['review-due']} review due, ${a['out-of-date']} out of date`
    : '';
  return `${result.provisions.filter((p) => !p.derived).length} provisions (${lead}): ${counts}${extra}.`;
}

function memberStateSection(result: MemberStateResult, all: boolean): string[] {
  // As in the text view: optional provisions not taken up are counted, and listed only with --all.
  const listed = findingsOf(result, all);
  const findings = listed.filter((f) => all || f.outcome !== 'not-applicable' || f.assessment);
  const hidden = listed.length - findings.length;
  const law = result.evaluatedAt === result.declaredAsOf ? '' : `Law as of ${markdownText(result.evaluatedAt)}. `;
  const blocks = [
    `## ${markdownText(result.memberState)} — measures as of ${markdownText(result.declaredAsOf)}`,
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

/** GitHub's limit for a pull-request comment (characters); the report keeps below it, with room to spare for a heading. */
export const COMMENT_LIMIT = 65_536;
const BUDGET = COMMENT_LIMIT - 1_536;

/** A Member State's section folded into `<details>`: its heading is the summary line. */
function collapsed(section: string[]): string {
  const [heading, ...rest] = section;
  return `<details>\n<summary>${heading!.replace(/^## /, '')}</summary>\n\n${rest.join('\n\n')}\n\n</details>`;
}

/**
 * A report for a pull-request comment: provenance, a section per Member State, input errors, inputs,
 * disclaimer. Past GitHub's comment limit, each Member State's section is folded into `<details>`,
 * and the sections that still do not fit are left out with a line pointing to the full report.
 */
export const formatMarkdown: Reporter = (result: CheckResult, context) => {
  const date = reportDate(result);
  const { tool, ruleset } = result;
  const head = [
    `# Conformity report: ${markdownText(ruleset.directive)}`,
    `${markdownText(tool.name)} ${markdownText(tool.version)} · rules ${markdownText(ruleset.id)} ${markdownText(ruleset.version)} (sha256 ${markdownText(ruleset.hash.slice(0, 12))}) · ` +
      (date ? `law as of ${markdownText(date)}` : "law as of each file's as\\_of"),
    `${result.results.length} measure set(s) checked, ${result.diagnostics.length} input error(s).`,
  ];
  const sections = result.results.map((r) => memberStateSection(r, context.all));
  const tail = [...diagnosticsSection(result.diagnostics)];
  if (result.inputs.length) {
    tail.push('## Inputs', result.inputs.map((i) => `- ${markdownText(i.name)} (sha256 ${markdownText(i.sha256 || 'not read')})`).join('\n'));
  }
  tail.push(markdownText(DISCLAIMER));
  const whole = `${[...head, ...sections.flat(), ...tail].join('\n\n')}\n`;
  if (whole.length <= BUDGET) return whole;
  // Too long for a comment: fold each Member State, keep what fits, and say where the rest is.
  const folded = sections.map(collapsed);
  const fixed = [...head, ...tail].join('\n\n').length + 400;
  const kept: string[] = [];
  let size = fixed;
  for (const section of folded) {
    if (size + section.length + 2 > BUDGET) break;
    kept.push(section);
    size += section.length + 2;
  }
  const left = folded.length - kept.length;
  const pointer = left
    ? [`${left} more Member State section(s) left out to keep this comment under GitHub's ${COMMENT_LIMIT} characters: see the full report (the job's artifacts, or run conformity check with --format json or --format markdown=FILE).`]
    : [];
  let text = `${[...head, ...kept, ...pointer, ...tail].join('\n\n')}\n`;
  // The input-error table can be long on its own: cut it at a row boundary.
  if (text.length > BUDGET) {
    const cut = text.lastIndexOf('\n', BUDGET - 300);
    text = `${text.slice(0, cut)}\n\nReport cut short to keep under GitHub's ${COMMENT_LIMIT} characters: see the full report (the job's artifacts, or --format json).\n`;
  }
  return text;
};
