import type { Check, FactDefinition } from '../ruleset/types.js';
import type { Located, MeasureSet, NationalReference, ProvisionEntry, SourceLocation } from '../types.js';
import type { CheckTrace } from './result.js';

/** What a check can see: the provision's entry, its national references in force, the whole set. */
export interface CheckContext {
  entry: ProvisionEntry;
  inForce: NationalReference[];
  set: MeasureSet;
  facts: Map<string, FactDefinition>;
  date: string;
}

/**
 * Values of a fact: on the provision, on each national reference in force, or, for Member-State
 * facts, at the top of the file. Where several are given, checks use the most favourable to
 * conformity (the contract: e.g. the highest maximum penalty among references in force).
 */
function valuesOf(fact: string, context: CheckContext): (Located<unknown> & { fact: string })[] {
  if (context.facts.get(fact)?.scope === 'member-state') {
    const value = context.set.memberStateFacts[fact];
    return value ? [{ ...value, fact }] : [];
  }
  const values: (Located<unknown> & { fact: string })[] = [];
  const own = context.entry.facts[fact];
  if (own) values.push({ ...own, fact });
  for (const ref of context.inForce) {
    const value = ref.facts[fact];
    if (value) values.push({ ...value, fact });
  }
  return values;
}

const years = (n: number) => (n === Infinity ? 'life' : `${n} year${n === 1 ? '' : 's'}`);
const asNumber = (value: unknown): number => (value === 'life' || value === 'unlimited' ? Infinity : (value as number));
const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

type Category = 'below_consent' | 'above_consent';
const CATEGORY_WORDS: Record<Category, string> = {
  below_consent: 'child below the age of sexual consent',
  above_consent: 'child at or above the age of sexual consent',
};

function minMaxPenalty(check: Extract<Check, { kind: 'min-max-penalty' }>, context: CheckContext): CheckTrace {
  const values = valuesOf('max_penalty_years', context);
  const wanted: [Category, number][] = [];
  if (check.years !== undefined) wanted.push(['below_consent', check.years], ['above_consent', check.years]);
  if (check.belowConsent !== undefined) wanted.push(['below_consent', check.belowConsent]);
  if (check.aboveConsent !== undefined) wanted.push(['above_consent', check.aboveConsent]);
  // Name the child's age group only where the Directive sets two figures.
  const split = check.years === undefined && wanted.length > 1;
  const expected = wanted.map(([c, n]) => `at least ${years(n)}${split ? ` (${CATEGORY_WORDS[c]})` : ''}`).filter((v, i, a) => a.indexOf(v) === i).join(', ');
  const read = values.map(({ fact, value, at }) => ({ fact, value, at }));
  const base = { kind: check.kind, expected, read };
  if (values.length === 0) {
    return { ...base, status: 'missing', message: `max_penalty_years is not recorded; the Directive requires a maximum term of ${expected}`, at: context.entry.at };
  }
  const failures: string[] = [];
  const gaps: string[] = [];
  let blame: SourceLocation | undefined;
  for (const [category, threshold] of wanted) {
    let best: { n: number; at: SourceLocation; perCategory: boolean } | undefined;
    for (const { value, at } of values) {
      const perCategory = typeof value === 'object' && value !== null;
      const n = perCategory ? (value as Partial<Record<Category, unknown>>)[category] : value;
      if (n === undefined) continue;
      const number = asNumber(n);
      if (!best || number > best.n) best = { n: number, at, perCategory };
    }
    if (!best) {
      gaps.push(`max_penalty_years gives no figure for a ${CATEGORY_WORDS[category]}`);
      blame ??= values[0]!.at;
    } else if (best.n < threshold) {
      const who = split || best.perCategory ? ` (${CATEGORY_WORDS[category]})` : '';
      failures.push(`maximum penalty ${years(best.n)}${who} is below the required ${years(threshold)}`);
      blame ??= best.at;
    }
  }
  if (failures.length) return { ...base, status: 'fail', message: [...new Set(failures)].join('; '), at: blame };
  if (gaps.length) return { ...base, status: 'missing', message: [...new Set(gaps)].join('; '), at: blame };
  return { ...base, status: 'pass', message: `maximum penalty meets the required ${expected}`, at: values[0]!.at };
}

function factEquals(check: Extract<Check, { kind: 'fact-equals' }>, context: CheckContext): CheckTrace {
  const values = valuesOf(check.fact, context);
  const expected = `${check.fact}: ${show(check.value)}`;
  const base = { kind: check.kind, expected, read: values.map(({ fact, value, at }) => ({ fact, value, at })) };
  if (values.length === 0) return { ...base, status: 'missing', message: `${check.fact} is not recorded (required: ${show(check.value)})`, at: context.entry.at };
  const match = values.find((v) => v.value === check.value);
  if (match) return { ...base, status: 'pass', message: `${check.fact} is ${show(check.value)}`, at: match.at };
  return { ...base, status: 'fail', message: `${check.fact} is ${show(values[0]!.value)}; the Directive requires ${show(check.value)}`, at: values[0]!.at };
}

function factCompare(check: Extract<Check, { kind: 'fact-at-least' | 'fact-greater-than' }>, context: CheckContext): CheckTrace {
  const values = valuesOf(check.fact, context);
  const relation = check.kind === 'fact-at-least' ? 'at least' : 'more than';
  const expected = `${check.fact} ${relation} ${check.value}`;
  const base = { kind: check.kind, expected, read: values.map(({ fact, value, at }) => ({ fact, value, at })) };
  if (values.length === 0) return { ...base, status: 'missing', message: `${check.fact} is not recorded (required: ${relation} ${check.value})`, at: context.entry.at };
  const best = values.reduce((a, b) => (asNumber(b.value) > asNumber(a.value) ? b : a));
  const n = asNumber(best.value);
  const holds = check.kind === 'fact-at-least' ? n >= check.value : n > check.value;
  return holds
    ? { ...base, status: 'pass', message: `${check.fact} is ${show(best.value)}, ${relation} ${check.value}`, at: best.at }
    : { ...base, status: 'fail', message: `${check.fact} is ${show(best.value)}; the Directive requires ${relation} ${check.value}`, at: best.at };
}

function factPresent(check: Extract<Check, { kind: 'fact-present' }>, context: CheckContext): CheckTrace {
  const values = valuesOf(check.fact, context);
  const base = { kind: check.kind, expected: `${check.fact} recorded`, read: values.map(({ fact, value, at }) => ({ fact, value, at })) };
  return values.length
    ? { ...base, status: 'pass', message: `${check.fact} is ${show(values[0]!.value)}`, at: values[0]!.at }
    : { ...base, status: 'missing', message: `${check.fact} is not recorded`, at: context.entry.at };
}

function inForceBy(check: Extract<Check, { kind: 'in-force-by' }>, context: CheckContext): CheckTrace {
  const refs = context.entry.national;
  const dated = refs.filter((r) => r.inForceFrom);
  const base = { kind: check.kind, expected: `in force by ${check.date}`, read: dated.map((r) => ({ fact: 'in_force_from', value: r.inForceFrom, at: r.at })) };
  const inTime = dated.find((r) => r.inForceFrom! <= check.date && (!r.inForceUntil || r.inForceUntil >= check.date));
  if (inTime) return { ...base, status: 'pass', message: `in force from ${inTime.inForceFrom}, by ${check.date}`, at: inTime.at };
  if (dated.length === 0) {
    return { ...base, status: 'missing', message: `in_force_from is not recorded on any national reference (needed to compare with ${check.date})`, at: context.entry.at };
  }
  const earliest = dated.reduce((a, b) => (b.inForceFrom! < a.inForceFrom! ? b : a));
  return { ...base, status: 'fail', message: `the earliest national provision entered into force on ${earliest.inForceFrom}, after ${check.date}`, at: earliest.at };
}

function sourcesCiteDirective(check: Extract<Check, { kind: 'sources-cite-directive' }>, context: CheckContext): CheckTrace {
  const cited = new Set<string>();
  for (const entry of context.set.provisions.values()) {
    if (entry.status.value === 'not-transposed') continue;
    for (const ref of entry.national) if (isInForce(ref, context.date)) cited.add(ref.source);
  }
  const read: CheckTrace['read'] = [];
  const failing: string[] = [];
  const unknown: string[] = [];
  let blame: SourceLocation | undefined;
  for (const id of [...cited].sort()) {
    const source = context.set.sources.get(id);
    if (!source) continue;
    if (!source.referencesDirective) {
      unknown.push(id);
      continue;
    }
    read.push({ fact: `sources.${id}.references_directive`, value: source.referencesDirective.value, at: source.referencesDirective.at });
    if (!source.referencesDirective.value) {
      failing.push(id);
      blame ??= source.referencesDirective.at;
    }
  }
  const base = { kind: check.kind, expected: 'every cited act refers to the Directive', read };
  if (failing.length) return { ...base, status: 'fail', message: `these acts do not refer to the Directive: ${failing.join(', ')}`, at: blame };
  if (unknown.length || cited.size === 0) {
    return {
      ...base,
      status: 'missing',
      message: cited.size === 0 ? 'no national act is cited' : `references_directive is not recorded for: ${unknown.join(', ')}`,
      at: unknown.length ? context.set.sources.get(unknown[0]!)?.at : context.entry.at,
    };
  }
  return { ...base, status: 'pass', message: `all ${cited.size} cited acts refer to the Directive` };
}

/** Whether a national reference applies on `date` (both bounds inclusive). */
export function isInForce(ref: NationalReference, date: string): boolean {
  return (!ref.inForceFrom || ref.inForceFrom <= date) && (!ref.inForceUntil || date <= ref.inForceUntil);
}

/** Runs one check. Pure: reads only its context. */
export function runCheck(check: Check, context: CheckContext): CheckTrace {
  switch (check.kind) {
    case 'min-max-penalty':
      return minMaxPenalty(check, context);
    case 'fact-equals':
      return factEquals(check, context);
    case 'fact-at-least':
    case 'fact-greater-than':
      return factCompare(check, context);
    case 'fact-present':
      return factPresent(check, context);
    case 'in-force-by':
      return inForceBy(check, context);
    case 'sources-cite-directive':
      return sourcesCiteDirective(check, context);
  }
}
