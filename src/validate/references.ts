import type { Diagnostic, MeasureSet } from '../types.js';
import { ErrorBudget } from './error-cap.js';
import { clip, listNames, Suggester } from './suggest.js';

/**
 * Checks that need the whole measure set rather than one value: every cited source is defined,
 * and date ranges run forwards. At most the first errors of each file are built (see ErrorBudget),
 * and each distinct undefined name is looked up once.
 */
export function checkReferences(set: MeasureSet): Diagnostic[] {
  const budget = new ErrorBudget();
  let suggester: Suggester | undefined;
  let defined: string | undefined;
  const hintFor = (source: string) => {
    suggester ??= new Suggester(set.sources.keys());
    defined ??= set.sources.size ? `; defined: ${listNames([...set.sources.keys()])}` : '; the file defines no sources';
    return suggester.didYouMean(source) || defined;
  };
  for (const entry of set.provisions.values()) {
    for (const ref of entry.national) {
      if (!set.sources.has(ref.source)) {
        budget.addLazily(ref.sourceAt.file, () => ({
          ...ref.sourceAt,
          code: 'undefined-source',
          message: `provision ${entry.key}: source "${clip(ref.source)}" is not defined under sources${hintFor(ref.source)}`,
        }));
      }
      if (ref.inForceFrom && ref.inForceUntil && ref.inForceUntil < ref.inForceFrom) {
        budget.add({
          ...ref.at,
          code: 'date-order',
          message: `provision ${entry.key}: in_force_until ${ref.inForceUntil} is before in_force_from ${ref.inForceFrom}`,
        });
      }
    }
    const assessment = entry.assessment;
    if (assessment?.date && assessment.expires && assessment.expires <= assessment.date) {
      budget.add({
        ...assessment.at,
        code: 'date-order',
        message: `provision ${entry.key}: the assessment expires (${assessment.expires}) on or before the day it was made (${assessment.date})`,
      });
    }
  }
  return budget.result();
}
