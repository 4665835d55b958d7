import type { Check, CheckKind } from '../ruleset/types.js';
import type { CheckContext } from './check-context.js';
import { analystJudgement } from './check-kinds/analyst-judgement.js';
import { factCompare, factEquals, factPresent } from './check-kinds/fact-checks.js';
import { minMaxPenalty } from './check-kinds/min-max-penalty.js';
import { inForceBy, sourcesCiteDirective, transpositionCompleteBy } from './check-kinds/transposition.js';
import type { CheckTrace } from './result.js';

export { isInForce, type CheckContext } from './check-context.js';

type Evaluator<K extends CheckKind> = (check: Extract<Check, { kind: K }>, context: CheckContext) => CheckTrace;

/** One evaluator per check kind: a new kind does not compile until it is evaluated here. */
const EVALUATORS = {
  'min-max-penalty': minMaxPenalty,
  'fact-equals': factEquals,
  'fact-at-least': factCompare,
  'fact-greater-than': factCompare,
  'fact-present': factPresent,
  'in-force-by': inForceBy,
  'sources-cite-directive': sourcesCiteDirective,
  'analyst-judgement': analystJudgement,
  'transposition-complete-by': transpositionCompleteBy,
} satisfies { [K in CheckKind]: Evaluator<K> };

/** Runs one check. Pure: reads only its context. */
export function runCheck(check: Check, context: CheckContext): CheckTrace {
  return (EVALUATORS[check.kind] as Evaluator<CheckKind>)(check as never, context);
}
