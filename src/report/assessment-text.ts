import type { RuleResult } from '../evaluate/result.js';

/**
 * An analyst's assessment of a finding, in words, without its reason: "Assessed conform by A. Analyst,
 * 2024-01-01", "Assessment expired on 2023-12-31 (not applied)". `safe` makes measure-file text safe for
 * the medium; `withComputed` also names the computed outcome where the assessment does not stand for it.
 */
export function assessmentText(finding: RuleResult, safe: (text: string) => string = (text) => text, withComputed = false): string {
  const assessment = finding.assessment!;
  const computed = withComputed ? `; computed: ${finding.computedOutcome}` : '';
  const who = [assessment.by, assessment.date].filter(Boolean).map((s) => safe(s!)).join(', ');
  const state = {
    applied: `Assessed ${assessment.outcome}${withComputed ? ` (computed: ${finding.computedOutcome})` : ''}`,
    unnecessary: `Assessment unnecessary (equals the computed ${finding.computedOutcome})`,
    expired: `Assessment expired on ${safe(assessment.expires ?? '')} (not applied${computed})`,
    'not-yet-valid': `Assessment dated ${safe(assessment.date ?? '')} (not applied before then${computed})`,
  }[assessment.state];
  return `${state}${who ? ` by ${who}` : ''}`;
}
