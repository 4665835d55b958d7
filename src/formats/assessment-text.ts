import type { AssessmentResult, RuleResult } from '../evaluate/result.js';

/**
 * How an assessment stands, in words, without who made it: the one wording every format uses.
 * "review due" is the word analysts use for an assessment past its `expires` date.
 */
export function assessmentStanding(a: Pick<AssessmentResult, 'state' | 'outcome' | 'expires'>, computed: string, safe: (text: string) => string = (t) => t): string {
  switch (a.state) {
    case 'applied':
      return `assessed ${a.outcome} (computed: ${computed})`;
    case 'unnecessary':
      return `assessment unnecessary (equals the computed ${computed})`;
    case 'review-due':
      return `assessment review due: expired on ${safe(a.expires ?? '')} (not applied; computed: ${computed})`;
    case 'out-of-date':
      return `assessment not applied: the national provisions in force on the evaluation date differ from those of the description it was written for (computed: ${computed})`;
  }
}

/**
 * An analyst's assessment of a finding, in words, without its reason: "Assessed conform by A. Analyst,
 * 2024-01-01", "Assessment expired on 2023-12-31 (not applied)". `safe` makes measure-file text safe for
 * the medium; `withComputed` also names the computed outcome where the assessment does not stand for it.
 */
export function assessmentText(finding: RuleResult, safe: (text: string) => string = (text) => text, withComputed = false): string {
  const assessment = finding.assessment!;
  const who = [assessment.by, assessment.date].filter(Boolean).map((s) => safe(s!)).join(', ');
  let state = assessmentStanding(assessment, finding.computedOutcome, safe);
  if (!withComputed && assessment.state === 'applied') state = `assessed ${assessment.outcome}`;
  return `${state.charAt(0).toUpperCase()}${state.slice(1)}${who ? ` by ${who}` : ''}`;
}
