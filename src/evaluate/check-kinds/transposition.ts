import type { InForceByCheck, Rule, RuleSet, SourcesCiteDirectiveCheck, TranspositionCompleteByCheck } from '../../ruleset/types.js';
import type { SourceLocation } from '../../types.js';
import { entryAt, isInForce, type CheckContext } from '../check-context.js';
import type { CheckTrace } from '../result.js';

export function inForceBy(check: InForceByCheck, context: CheckContext): CheckTrace {
  const refs = context.entry?.national ?? [];
  const dated = refs.filter((r) => r.inForceFrom);
  const base = { kind: check.kind, expected: `in force by ${check.date}`, read: dated.map((r) => ({ fact: 'in_force_from', value: r.inForceFrom, at: r.at })) };
  const inTime = dated.find((r) => r.inForceFrom! <= check.date && (!r.inForceUntil || r.inForceUntil >= check.date));
  if (inTime) return { ...base, status: 'pass', message: `in force from ${inTime.inForceFrom}, by ${check.date}`, at: inTime.at };
  if (dated.length === 0) {
    return { ...base, status: 'missing', message: `in_force_from is not recorded on any national reference (needed to compare with ${check.date})`, at: entryAt(context) };
  }
  const earliest = dated.reduce((a, b) => (b.inForceFrom! < a.inForceFrom! ? b : a));
  return { ...base, status: 'fail', message: `the earliest national provision entered into force on ${earliest.inForceFrom}, after ${check.date}`, at: earliest.at };
}

const DAY = 86_400_000;

/** The mandatory rules transposition must cover (not the transposition article's own), once per rule set. */
interface Mandatory {
  provisions: string[];
  /** Provisions described only by Member-State facts (2(b)): nothing dated to read. */
  byMemberStateFacts: ReadonlySet<string>;
}
const mandatoryByRuleSet = new WeakMap<RuleSet, Mandatory>();
function mandatoryOf(ruleset: RuleSet, ownArticle: string): Mandatory {
  let cached = mandatoryByRuleSet.get(ruleset);
  if (!cached) {
    const mandatory = ruleset.rules.filter((r) => r.modality === 'shall' && !r.derivedFrom && !r.recordedOnly && !r.informationOnly && r.article !== ownArticle && !r.appliesWhen);
    const byMemberStateFacts = (r: Rule) => r.checks.length > 0 && r.checks.every((c) => c.kind === 'fact-present' && ruleset.facts.get(c.fact)?.scope === 'member-state');
    cached = { provisions: [...new Set(mandatory.map((r) => r.provision))], byMemberStateFacts: new Set(mandatory.filter(byMemberStateFacts).map((r) => r.provision)) };
    mandatoryByRuleSet.set(ruleset, cached);
  }
  return cached;
}
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/**
 * When transposition was complete: the day the last mandatory provision got a national provision in
 * force (the earliest `in_force_from` of each, the latest of those). Late transposition is past, not
 * lasting, non-conformity (non-communication cases close once it is complete), so this is information:
 * it passes with the date, or is missing what it needs; it never fails.
 */
export function transpositionCompleteBy(check: TranspositionCompleteByCheck, context: CheckContext): CheckTrace {
  const base = { kind: check.kind, expected: `transposition complete (deadline ${check.date})`, read: [] as CheckTrace['read'] };
  const { provisions, byMemberStateFacts } = mandatoryOf(context.ruleset, context.rule.article);
  const notTransposed: string[] = [];
  const notAssessed: string[] = [];
  const undated: string[] = [];
  let complete = '';
  let blame: SourceLocation | undefined;
  for (const key of provisions) {
    const entry = context.set.provisions.get(key);
    if (!entry && byMemberStateFacts.has(key)) continue;
    if (!entry || entry.status.value === 'not-assessed') {
      notAssessed.push(key);
      continue;
    }
    const inForce = entry.status.value === 'not-transposed' ? [] : entry.national.filter((r) => isInForce(r, context.date));
    if (inForce.length === 0) {
      notTransposed.push(key);
      continue;
    }
    const dates = inForce.map((r) => r.inForceFrom).filter((d): d is string => !!d);
    if (dates.length === 0) {
      undated.push(key);
      blame ??= entry!.at;
      continue;
    }
    const first = dates.reduce((a, b) => (b < a ? b : a));
    base.read.push({ fact: `${key} in_force_from`, value: first, at: entry!.at });
    if (first > complete) complete = first;
  }
  const list = (keys: string[]) => (keys.length > 8 ? `${keys.slice(0, 8).join(', ')} and ${keys.length - 8} more` : keys.join(', '));
  if (notTransposed.length) {
    return { ...base, status: 'missing', message: `transposition is not complete on ${context.date} as described: no national provision in force is recorded for ${list(notTransposed)}`, at: entryAt(context) };
  }
  if (notAssessed.length) {
    return { ...base, status: 'missing', message: `the date transposition was complete cannot be derived: ${list(notAssessed)} not assessed`, at: entryAt(context) };
  }
  let recordedHere = '';
  if (undated.length) {
    // The transposing acts' entry into force, as recorded under this provision, stands in for undated ones.
    const own = (context.entry?.national ?? []).map((r) => r.inForceFrom).filter((d): d is string => !!d);
    if (own.length === 0) {
      return {
        ...base,
        status: 'missing',
        message: `in_force_from is not recorded for the national provisions of ${list(undated)}, nor for the transposing acts under ${context.rule.provision}: the date transposition was complete cannot be derived`,
        at: blame,
      };
    }
    const last = own.reduce((a, b) => (b > a ? b : a));
    if (last > complete) complete = last;
    recordedHere = ` (from the transposing acts recorded under ${context.rule.provision}: ${undated.length} provision(s) have no in_force_from of their own)`;
  }
  const late = daysBetween(check.date, complete);
  const when = late > 0 ? `${late} days after the deadline of ${check.date}` : `by the deadline of ${check.date}`;
  return {
    ...base,
    status: 'pass',
    message: `transposition complete on ${complete}${recordedHere}, ${when} (information; a late transposition is not a lasting non-conformity)`,
    at: entryAt(context),
  };
}

/**
 * Art. 27(3): the measures a Member State ADOPTS to transpose the Directive must refer to it. Older
 * acts cited for a provision (a criminal code of 1871) need not, so only sources marked
 * `adopted_to_transpose: true` are checked.
 */
export function sourcesCiteDirective(check: SourcesCiteDirectiveCheck, context: CheckContext): CheckTrace {
  const cited = new Set<string>();
  for (const entry of context.set.provisions.values()) {
    if (entry.status.value === 'not-transposed' || entry.status.value === 'not-assessed') continue;
    for (const ref of entry.national) if (isInForce(ref, context.date)) cited.add(ref.source);
  }
  const read: CheckTrace['read'] = [];
  const failing: string[] = [];
  const unknown: string[] = [];
  const unflagged: string[] = [];
  let transposing = 0;
  let blame: SourceLocation | undefined;
  for (const id of [...cited].sort()) {
    const source = context.set.sources.get(id);
    if (!source) continue;
    if (!source.adoptedToTranspose) {
      unflagged.push(id);
      continue;
    }
    read.push({ fact: `sources.${id}.adopted_to_transpose`, value: source.adoptedToTranspose.value, at: source.adoptedToTranspose.at });
    if (!source.adoptedToTranspose.value) continue;
    transposing++;
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
  const base = { kind: check.kind, expected: 'every act adopted to transpose the Directive refers to it', read };
  if (failing.length) return { ...base, status: 'fail', message: `these acts were adopted to transpose the Directive but do not refer to it: ${failing.join(', ')}`, at: blame };
  if (unknown.length) {
    return { ...base, status: 'missing', message: `references_directive is not recorded for these acts adopted to transpose the Directive: ${unknown.join(', ')}`, at: context.set.sources.get(unknown[0]!)?.at };
  }
  if (transposing === 0) {
    return {
      ...base,
      status: 'missing',
      message: cited.size === 0
        ? 'no national act is cited'
        : `no cited act is marked adopted_to_transpose: true; record it on the acts adopted to transpose the Directive (${unflagged.length} act(s) unmarked)`,
      at: unflagged.length ? context.set.sources.get(unflagged[0]!)?.at : entryAt(context),
    };
  }
  return { ...base, status: 'pass', message: `all ${transposing} act(s) adopted to transpose the Directive refer to it` };
}
