import type { MinMaxPenaltyCheck } from '../../ruleset/types.js';
import type { SourceLocation } from '../../types.js';
import { asNumber, entryAt, readOf, referenceLabel, staleFactHint, type CheckContext, type FactValue } from '../check-context.js';
import type { CheckTrace, PenaltyComparison } from '../result.js';

type AgeGroup = 'below_consent' | 'above_consent';
const FACT = 'max_penalty_years';

/** "15 years", "1 year", "6 months", "life". */
export function penaltyWords(n: number): string {
  if (n === Infinity) return 'life';
  if (n < 1 && n > 0) {
    const months = Math.round(n * 12);
    return `${months} month${months === 1 ? '' : 's'}`;
  }
  return `${n} year${n === 1 ? '' : 's'}`;
}

function groupWords(context: CheckContext, group: AgeGroup): string {
  return group === 'below_consent' ? context.ruleset.ageGroups.belowConsent : context.ruleset.ageGroups.aboveConsent;
}

/** One comparison in words: "StGB § 176(1): 15 years, above the 5 years required (child below …)". */
export function comparisonWords(c: PenaltyComparison): string {
  const verdict = { below: 'below the', 'at-minimum': 'at the minimum:', above: 'above the' }[c.verdict];
  return `${c.national}: ${penaltyWords(c.nationalYears)}, ${verdict} ${penaltyWords(c.requiredYears)} required${c.group ? ` (${c.group})` : ''}`;
}

/**
 * The Directive's "maximum term of imprisonment of at least N years". Where several national
 * provisions in force cover the conduct (by the child's age, by the means used, basic and aggravated
 * forms), each part of the conduct must carry the minimum, so the LOWEST maximum binds. A reference in
 * force without a figure leaves the comparison open (incomplete) unless it says `sets_penalty: false`.
 */
export function minMaxPenalty(check: MinMaxPenaltyCheck, context: CheckContext): CheckTrace {
  const wanted: [AgeGroup, number][] = [];
  if (check.years !== undefined) wanted.push(['below_consent', check.years], ['above_consent', check.years]);
  if (check.belowConsent !== undefined) wanted.push(['below_consent', check.belowConsent]);
  if (check.aboveConsent !== undefined) wanted.push(['above_consent', check.aboveConsent]);
  // Name the child's age group only where the Directive sets a figure per group.
  const split = check.years === undefined;
  const expected = [...new Set(wanted.map(([g, n]) => `at least ${penaltyWords(n)}${split ? ` (${groupWords(context, g)})` : ''}`))].join(', ');

  const figures: FactValue[] = [];
  const unrecorded: string[] = [];
  for (const ref of context.inForce) {
    if (ref.setsPenalty === false) continue;
    const value = ref.facts[FACT];
    if (value) figures.push({ ...value, fact: FACT, reference: referenceLabel(context.set, ref) });
    else unrecorded.push(referenceLabel(context.set, ref));
  }
  const own = context.entry?.facts[FACT];
  const ownHolds = own && context.provisionFactsHold;
  // A figure for the provision as a whole stands for references that carry none.
  if (ownHolds) {
    const covered = unrecorded.length ? unrecorded.join(', ') : context.inForce.map((r) => referenceLabel(context.set, r)).join(', ');
    figures.push({ ...own, fact: FACT, reference: `${covered || context.rule.provision} (figure recorded for the provision)` });
    unrecorded.length = 0;
  }
  const base = { kind: check.kind, expected, read: readOf(figures) };
  if (figures.length === 0) {
    const why = context.inForce.length && context.inForce.every((r) => r.setsPenalty === false) ? ' (every national provision in force is marked sets_penalty: false)' : '';
    return {
      ...base,
      status: 'missing',
      message: `${FACT} is not recorded${why}; the Directive requires a maximum term of ${expected}${staleFactHint(FACT, context)}`,
      at: entryAt(context),
    };
  }

  const comparisons: PenaltyComparison[] = [];
  const gaps: string[] = [];
  let blame: SourceLocation | undefined;
  for (const [group, required] of wanted) {
    let lowest: { n: number; figure: FactValue } | undefined;
    for (const figure of figures) {
      const perGroup = typeof figure.value === 'object' && figure.value !== null;
      const n = perGroup ? (figure.value as Partial<Record<AgeGroup, unknown>>)[group] : figure.value;
      if (n === undefined) continue;
      const years = asNumber(n);
      if (!lowest || years < lowest.n) lowest = { n: years, figure };
    }
    const groupName = split || figures.some((f) => typeof f.value === 'object') ? groupWords(context, group) : undefined;
    if (!lowest) {
      gaps.push(`no maximum is recorded for a ${groupWords(context, group)}`);
      blame ??= figures[0]!.at;
      continue;
    }
    const verdict = lowest.n < required ? 'below' : lowest.n === required ? 'at-minimum' : 'above';
    // Always the same fields in the same order: thousands of these are kept (one hidden class).
    const comparison: PenaltyComparison = {
      group: groupName,
      national: lowest.figure.reference ?? context.rule.provision,
      nationalYears: lowest.n,
      requiredYears: required,
      verdict,
      at: lowest.figure.at,
    };
    // A figure that applies to both groups is compared once when the Directive sets one figure for both.
    if (!comparisons.some((c) => c.national === comparison.national && c.nationalYears === comparison.nationalYears && c.requiredYears === comparison.requiredYears && c.group === comparison.group)) {
      comparisons.push(comparison);
    }
    if (verdict === 'below') blame ??= lowest.figure.at;
  }
  const said = comparisons.map(comparisonWords);
  const failed = comparisons.filter((c) => c.verdict === 'below');
  if (failed.length) return { ...base, status: 'fail', message: `lowest maximum below the Directive's: ${failed.map(comparisonWords).join('; ')}`, at: blame, comparisons };
  if (unrecorded.length) {
    gaps.unshift(`no maximum recorded for ${unrecorded.join(', ')} (record max_penalty_years, or sets_penalty: false where it sets no penalty)`);
  }
  if (gaps.length) {
    return { ...base, status: 'missing', message: [...gaps, ...said].join('; '), at: blame ?? entryAt(context), comparisons };
  }
  const atMinimum = comparisons.some((c) => c.verdict === 'at-minimum');
  return { ...base, status: 'pass', message: `${atMinimum ? 'at the minimum: ' : ''}lowest maximum ${said.join('; ')}`, at: comparisons[0]?.at ?? figures[0]!.at, comparisons };
}
