import type { CheckResult } from '../check-types.js';
import { findingsWithNotAssessed, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import type { Severity } from '../types.js';

/**
 * Baselines, as ESLint's and Spectral's: a file listing the findings a project already knows, so that
 * a CI job fails on new findings only. A finding is known by Member State, rule and provision, not by
 * line: editing a measure file moves findings, it does not make them new. A known finding whose
 * outcome changed is still known (the same open question) unless its severity rose: a provision
 * baselined as not assessed (a warning) that is then recorded as not transposed (an error) is a new
 * ground, and fails the run.
 */

export const BASELINE_FORMAT = 'conformity-baseline/1';

export interface BaselineEntry {
  member_state: string;
  rule: string;
  provision: string;
  outcome: string;
  severity: Severity;
}

export interface BaselineFile {
  format: typeof BASELINE_FORMAT;
  ruleset: string;
  findings: BaselineEntry[];
}

const BASELINE_SEVERITIES: readonly Severity[] = ['info', 'warning', 'error'];

/** The key a finding of `severity` is known by. */
export function findingKey(memberState: string, ruleId: string, provision: string, severity: Severity): string {
  return `${memberState}\u0000${ruleId}\u0000${provision}\u0000${severity}`;
}

/** Whether `finding` of `state` is in the baseline at its severity or a higher one. */
export function isKnown(known: ReadonlySet<string> | undefined, state: Pick<MemberStateResult, 'memberState'>, finding: Pick<RuleResult, 'rule' | 'severity'>): boolean {
  return !!known?.has(findingKey(state.memberState, finding.rule.id, finding.rule.provision, finding.severity));
}

/**
 * Every finding that can fail a run (of severity info or above, provisions not assessed included),
 * sorted so that the file diffs well.
 */
export function baselineOf(result: CheckResult): BaselineFile {
  const findings = result.results.flatMap((state) =>
    findingsWithNotAssessed(state)
      .filter((f) => f.severity === 'error' || f.severity === 'warning' || f.severity === 'info')
      .map((f): BaselineEntry => ({ member_state: state.memberState, rule: f.rule.id, provision: f.rule.provision, outcome: f.outcome, severity: f.severity })),
  );
  findings.sort((a, b) => (a.member_state + a.rule).localeCompare(b.member_state + b.rule));
  return { format: BASELINE_FORMAT, ruleset: `${result.ruleset.id} ${result.ruleset.version}`, findings };
}

/** The keys of a baseline file's text; a message (no location: the file is ours, not a measure file) when it is not one. */
export function parseBaseline(text: string): Set<string> | string {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const file = data as Partial<BaselineFile> | null;
  if (!file || typeof file !== 'object' || file.format !== BASELINE_FORMAT || !Array.isArray(file.findings)) {
    return `not a baseline file (expected "format": "${BASELINE_FORMAT}" and "findings": [...]; write one with --write-baseline)`;
  }
  const keys = new Set<string>();
  for (const [i, entry] of file.findings.entries()) {
    const { member_state, rule, provision, severity } = (entry ?? {}) as Partial<BaselineEntry>;
    const rank = BASELINE_SEVERITIES.indexOf(severity as Severity);
    if (typeof member_state !== 'string' || typeof rule !== 'string' || typeof provision !== 'string' || rank < 0) {
      return `findings[${i}] needs member_state, rule and provision as strings, and severity "error", "warning" or "info"`;
    }
    // Known at its severity and any lower one: a finding that got worse is new.
    for (const lower of BASELINE_SEVERITIES.slice(0, rank + 1)) keys.add(findingKey(member_state, rule, provision, lower));
  }
  return keys;
}

export const formatBaseline = (result: CheckResult): string => `${JSON.stringify(baselineOf(result), null, 2)}\n`;
