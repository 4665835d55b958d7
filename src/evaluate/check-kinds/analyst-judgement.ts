import type { AnalystJudgementCheck } from '../../ruleset/types.js';
import { entryAt, type CheckContext } from '../check-context.js';
import type { CheckTrace } from '../result.js';

/**
 * What no recorded figure can settle (Art. 15(2): "a sufficient period … commensurate with the gravity
 * of the offence"): the outcome stays incomplete until an analyst's assessment decides it.
 */
export function analystJudgement(check: AnalystJudgementCheck, context: CheckContext): CheckTrace {
  return {
    kind: check.kind,
    expected: 'an assessment by an analyst',
    read: [],
    status: 'missing',
    message: `an analyst must assess ${check.question} (record an assessment)`,
    at: entryAt(context),
  };
}
