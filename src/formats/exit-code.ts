import type { CheckResult } from '../check-types.js';
import type { Severity } from '../types.js';
import { findingsWithNotAssessed } from '../evaluate/result.js';
import { isKnown } from './baseline.js';
import type { FailOn } from './fail-on.js';

export const SEVERITY_RANK: Record<Severity, number> = { none: 0, info: 1, warning: 2, error: 3 };

/** Whether a finding of `severity` fails a run under `--fail-on failOn`. */
export function failsAt(severity: Severity, failOn: FailOn = 'error'): boolean {
  return failOn !== 'never' && severity !== 'none' && SEVERITY_RANK[severity] >= SEVERITY_RANK[failOn];
}

export interface ExitOptions {
  /** Findings a `--baseline` knows: they never fail the run. */
  known?: ReadonlySet<string>;
  /** `--max-warnings N`: more than N new warnings fail the run. */
  maxWarnings?: number;
}

/** New findings (not in the baseline) of each severity. */
export function newFindingCounts(result: CheckResult, known?: ReadonlySet<string>): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, none: 0 };
  for (const state of result.results) {
    for (const finding of findingsWithNotAssessed(state)) if (!isKnown(known, state, finding)) counts[finding.severity]++;
  }
  return counts;
}

/** 2 for input errors; 1 for a new finding at or above `failOn`, or more new warnings than `maxWarnings`; else 0. */
export function exitCodeFor(result: CheckResult, failOn: FailOn, options: ExitOptions = {}): 0 | 1 | 2 {
  if (result.diagnostics.length) return 2;
  const counts = newFindingCounts(result, options.known);
  if ((['error', 'warning', 'info'] as const).some((severity) => counts[severity] > 0 && failsAt(severity, failOn))) return 1;
  if (options.maxWarnings !== undefined && counts.warning > options.maxWarnings) return 1;
  return 0;
}
