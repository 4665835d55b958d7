import type { CheckResult } from '../check-types.js';
import { findingsOf, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import { isKnown } from './baseline.js';
import { reportDate, type ReportContext, type Reporter } from './context.js';

/** Each binding national maximum against the Directive's, for every age group compared. */
function penaltyComparisons(result: RuleResult) {
  const comparisons = result.checks.flatMap((c) => c.comparisons ?? []);
  return comparisons.length
    ? comparisons.map((c) => ({ group: c.group ?? null, national: c.national, national_years: c.nationalYears, required_years: c.requiredYears, verdict: c.verdict, file: c.at.file, line: c.at.line, column: c.at.column }))
    : undefined;
}

function finding(result: RuleResult) {
  const { rule } = result;
  const comparisons = penaltyComparisons(result);
  return {
    provision: rule.provision,
    rule: rule.id,
    obligation: rule.obligation,
    article_title: rule.articleTitle,
    topic: rule.topic,
    modality: rule.modality,
    outcome: result.outcome,
    computed_outcome: result.computedOutcome,
    severity: result.severity,
    message: result.message,
    file: result.at.file,
    line: result.at.line,
    column: result.at.column,
    national: result.national,
    ...(comparisons && { penalty_comparisons: comparisons }),
    url: rule.url,
    ...(result.assessment && {
      assessment: {
        outcome: result.assessment.outcome,
        state: result.assessment.state,
        reason: result.assessment.reason,
        by: result.assessment.by,
        date: result.assessment.date,
        expires: result.assessment.expires,
        file: result.assessment.at.file,
        line: result.assessment.at.line,
        column: result.assessment.at.column,
      },
    }),
  };
}

/** With `--baseline`, each finding says whether the baseline knows it. */
function jsonResult(r: MemberStateResult, all: boolean, known?: ReadonlySet<string>) {
  return {
    member_state: r.memberState,
    as_of: r.evaluatedAt,
    declared_as_of: r.declaredAsOf,
    files: r.files,
    ...(r.notBound && { not_bound: r.notBound }),
    notices: r.notices,
    summary: r.summary,
    assessments: r.assessments,
    provisions: Object.fromEntries(r.provisions.map((p) => [p.provision, p.outcome])),
    findings: findingsOf(r, all).map((f) => (known ? { ...finding(f), baseline: isKnown(known, r, f) ? 'known' : 'new' } : finding(f))),
  };
}

/** The contract's JSON (CONTRACT.md §6), as a plain object. Keys may be added, never renamed. */
export function toJsonReport(result: CheckResult, all = false, known?: ReadonlySet<string>) {
  return {
    tool: result.tool,
    ruleset: result.ruleset,
    as_of: reportDate(result) ?? null,
    today: result.today ?? null,
    inputs: result.inputs.map((i) => ({ file: i.name, sha256: i.sha256 })),
    results: result.results.map((r) => jsonResult(r, all, known)),
    diagnostics: result.diagnostics,
  };
}

/**
 * `value` as JSON.stringify(…, null, 2) writes it at `depth` levels of nesting: stringified inside
 * `depth` one-item lists, which are then cut away (cheaper than re-indenting every line).
 */
function nested(value: unknown, depth: number): string {
  let wrapped = value;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // Each list adds "[\n" and its items' indent before, and "\n", its own indent and "]" after.
  const before = depth * 2 + depth * (depth + 1);
  const after = depth * 2 + depth * (depth - 1);
  return text.slice(before, text.length - after);
}

/**
 * The same text as formatJson, in pieces: one Member State at a time, so that a run over thousands
 * of files never holds the whole report in memory.
 */
export function* jsonChunks(result: CheckResult, context: ReportContext): Generator<string> {
  const top = {
    tool: result.tool,
    ruleset: result.ruleset,
    as_of: reportDate(result) ?? null,
    today: result.today ?? null,
    inputs: result.inputs.map((i) => ({ file: i.name, sha256: i.sha256 })),
  };
  const opening = nested(top, 0);
  yield `${opening.slice(0, -2)},\n  "results": [`;
  let first = true;
  for (const r of result.results) {
    yield `${first ? '' : ','}\n    ${nested(jsonResult(r, context.all, context.known), 2)}`;
    first = false;
  }
  yield `${first ? '' : '\n  '}],\n  "diagnostics": ${nested(result.diagnostics, 1)}\n}\n`;
}

export const formatJson: Reporter = (result, context) => `${JSON.stringify(toJsonReport(result, context.all, context.known), null, 2)}\n`;
