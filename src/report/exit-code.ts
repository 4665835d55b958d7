import type { CheckResult } from '../check.js';
import type { Severity } from '../types.js';
import { findingsWithNotAssessed } from '../evaluate/result.js';

import type { FailOn } from './fail-on.js';

const RANK: Record<Severity, number> = { none: 0, info: 1, warning: 2, error: 3 };

/** 2 for input errors; 1 for a finding at or above `failOn`; else 0. */
export function exitCodeFor(result: CheckResult, failOn: FailOn): 0 | 1 | 2 {
  if (result.diagnostics.length) return 2;
  if (failOn === 'never') return 0;
  const threshold = RANK[failOn];
  const failing = result.results.some((r) => findingsWithNotAssessed(r).some((f) => RANK[f.severity] >= threshold && f.severity !== 'none'));
  return failing ? 1 : 0;
}
