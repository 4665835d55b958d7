import type { CheckResult } from '../check-types.js';
import type { FailOn } from './fail-on.js';

/** What every reporter gets besides the result. Reporters are pure: `(result, context) => string`. */
export interface ReportContext {
  /** Include conform findings too (`--all`). */
  all: boolean;
  /** List only error-severity findings (`--quiet`). */
  quiet?: boolean;
  /** Emit colour (text only). */
  color: boolean;
  /** Terminal width for tables (text only). */
  columns: number;
  /** The `--fail-on` threshold: JUnit fails the cases at or above it (default `error`). */
  failOn?: FailOn;
  /** Keys (`findingKey`) of the findings a `--baseline` file already knows: reported as known, never failing. */
  known?: ReadonlySet<string>;
  /** SARIF: the folder `%SRCROOT%` stands for, `automationDetails.id`, and the folder the run was made in. */
  sarif?: { root?: string; category?: string; workingDirectory?: string };
}

export type Reporter = (result: CheckResult, context: ReportContext) => string;

export const DISCLAIMER =
  'This report assesses the facts recorded in the measure files, not the law itself. ' +
  'Only the Court of Justice of the European Union interprets EU law authoritatively.';

/** The evaluation date to show: `--as-of`, the one date all results share, or undefined. */
export function reportDate(result: CheckResult): string | undefined {
  if (result.evaluationDate) return result.evaluationDate;
  const dates = new Set(result.results.map((r) => r.evaluatedAt));
  return dates.size === 1 ? [...dates][0] : undefined;
}
