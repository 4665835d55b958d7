import type { Rule, RuleSet } from '../ruleset/types.js';
import type { Located, MeasureSet, NationalReference, ProvisionEntry, SourceLocation } from '../types.js';
import type { CheckTrace } from './result.js';

/** What a check can see: the provision's entry, its national references in force, the whole set. */
export interface CheckContext {
  rule: Rule;
  /** Absent where the provision is not described but the check needs only Member-State facts (2(b)). */
  entry?: ProvisionEntry;
  inForce: NationalReference[];
  set: MeasureSet;
  ruleset: RuleSet;
  /** The evaluation date. */
  date: string;
  /**
   * Whether what the description says at provision level holds on the evaluation date: it does on the
   * description's own date, and on any date when the same national provisions are in force.
   */
  provisionFactsHold: boolean;
}

/** A fact's value with where it stands and, when read from a national reference, which one. */
export interface FactValue extends Located<unknown> {
  fact: string;
  /** "StGB § 176(1)", or undefined for a value recorded for the provision or the Member State. */
  reference?: string;
}

/** How findings cite a national reference: "StGB § 176(1)". */
export function referenceLabel(set: MeasureSet, ref: NationalReference): string {
  const source = set.sources.get(ref.source);
  return `${source?.abbreviation ?? source?.title ?? ref.source} ${ref.article}`;
}

/**
 * Values of a fact: for Member-State facts, the one at the top of the file; otherwise the value recorded
 * for the provision (while it holds) and the value on each national reference in force.
 */
export function valuesOf(fact: string, context: CheckContext): FactValue[] {
  if (context.ruleset.facts.get(fact)?.scope === 'member-state') {
    const value = context.set.memberStateFacts[fact];
    return value ? [{ ...value, fact }] : [];
  }
  const values: FactValue[] = [];
  const own = context.entry?.facts[fact];
  if (own && context.provisionFactsHold) values.push({ ...own, fact });
  for (const ref of context.inForce) {
    const value = ref.facts[fact];
    if (value) values.push({ ...value, fact, reference: referenceLabel(context.set, ref) });
  }
  return values;
}

/** The message for a fact that is missing only because provision-level facts do not hold on this date. */
export function staleFactHint(fact: string, context: CheckContext): string {
  const own = context.entry?.facts[fact];
  return own && !context.provisionFactsHold
    ? `; ${fact} is recorded for the provision as of ${context.set.asOf}, but the national provisions in force on ${context.date} differ: record it on each national reference`
    : '';
}

export const readOf = (values: readonly FactValue[]): CheckTrace['read'] =>
  values.map(({ fact, value, at, reference }) => (reference ? { fact, value, at, reference } : { fact, value, at }));

/** Where a gap in the provision is best shown: the entry, else the set's `provisions` key. */
export const entryAt = (context: CheckContext): SourceLocation => context.entry?.at ?? context.set.at;

export const show = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** "life" and "unlimited" compare as infinitely long. */
export const asNumber = (value: unknown): number => (value === 'life' || value === 'unlimited' ? Infinity : (value as number));

/** Whether a national reference applies on `date` (both bounds inclusive). */
export function isInForce(ref: NationalReference, date: string): boolean {
  return (!ref.inForceFrom || ref.inForceFrom <= date) && (!ref.inForceUntil || date <= ref.inForceUntil);
}
