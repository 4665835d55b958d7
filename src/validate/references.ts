import { didYouMean } from '../ruleset/provision.js';
import type { Diagnostic, MeasureSet } from '../types.js';

/**
 * Checks that need the whole measure set rather than one value: every cited source is defined,
 * and date ranges run forwards.
 */
export function checkReferences(set: MeasureSet): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const sourceIds = [...set.sources.keys()];
  for (const entry of set.provisions.values()) {
    for (const ref of entry.national) {
      if (!set.sources.has(ref.source)) {
        const hint = didYouMean(ref.source, sourceIds) || (sourceIds.length ? `; defined: ${sourceIds.join(', ')}` : '; the file defines no sources');
        diagnostics.push({ ...ref.sourceAt, code: 'undefined-source', message: `provision ${entry.key}: source "${ref.source}" is not defined under sources${hint}` });
      }
      if (ref.inForceFrom && ref.inForceUntil && ref.inForceUntil < ref.inForceFrom) {
        diagnostics.push({
          ...ref.at,
          code: 'date-order',
          message: `provision ${entry.key}: in_force_until ${ref.inForceUntil} is before in_force_from ${ref.inForceFrom}`,
        });
      }
    }
    const assessment = entry.assessment;
    if (assessment?.date && assessment.expires && assessment.expires <= assessment.date) {
      diagnostics.push({
        ...assessment.at,
        code: 'date-order',
        message: `provision ${entry.key}: the assessment expires (${assessment.expires}) on or before the day it was made (${assessment.date})`,
      });
    }
  }
  return diagnostics;
}
