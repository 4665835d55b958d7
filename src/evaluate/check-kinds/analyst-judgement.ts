import type { AnalystJudgementCheck } from '../../ruleset/types.js';
import { entryAt, readOf, show, valuesOf, type CheckContext } from '../check-context.js';
import type { CheckTrace } from '../result.js';

/**
 * What no recorded figure can settle (Art. 15(2): "a sufficient period … commensurate with the gravity
 * of the offence"): the outcome stays incomplete until an analyst's assessment decides it, unless every
 * recorded value settles it (no limitation period at all).
 */
export function analystJudgement(check: AnalystJudgementCheck, context: CheckContext): CheckTrace {
  const settling = check.settledBy ? valuesOf(check.settledBy.fact, context) : [];
  const base = { kind: check.kind, expected: 'an assessment by an analyst', read: readOf(settling) };
  if (check.settledBy && settling.length && settling.every((v) => v.value === check.settledBy!.value)) {
    return { ...base, status: 'pass', message: `${check.settledBy.fact} is ${show(check.settledBy.value)}: nothing left to assess`, at: settling[0]!.at };
  }
  return { ...base, status: 'missing', message: `an analyst must assess ${check.question} (record an assessment)`, at: entryAt(context) };
}
