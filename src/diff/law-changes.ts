import type { MemberStateResult } from '../evaluate/result.js';
import { compareProvisionKeys } from '../ruleset/order.js';
import type { Located, MeasureSet, NationalReference, Outcome, ProvisionEntry } from '../types.js';

/**
 * What changed in the law between two descriptions of one Member State, whatever the outcomes did:
 * a national maximum raised or lowered, a reference added, removed or renumbered, a fact or status
 * changed, an assessment added, removed or expired. Read from the loaded measure sets (references by
 * source and article), so a change behind an unchanged outcome is listed too. Pure.
 */

export type LawChangeKind =
  | 'penalty-raised'
  | 'penalty-lowered'
  | 'fact-changed'
  | 'status-changed'
  | 'reference-added'
  | 'reference-removed'
  | 'reference-renumbered'
  | 'assessment-added'
  | 'assessment-removed'
  | 'assessment-changed'
  | 'assessment-expired';

export interface LawChange {
  memberState: string;
  /** The provision, or undefined for a Member State fact (e.g. the age of sexual consent). */
  provision?: string;
  kind: LawChangeKind;
  /** "StGB § 176(1) maximum 10 → 15 years". */
  text: string;
  /** The provision's outcome on each side (worst of its rules), when it has one. */
  old?: Outcome;
  new?: Outcome;
}

type Penalty = number | 'life' | { below_consent?: number | 'life'; above_consent?: number | 'life' };

const PENALTY_FACT = 'max_penalty_years';

function show(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const years = (v: number | 'life' | undefined) => (v === undefined ? '—' : v === 'life' ? 'life' : `${v}`);
const rank = (v: number | 'life' | undefined) => (v === 'life' ? Number.POSITIVE_INFINITY : (v ?? Number.NaN));

/** Penalty changes, one per age group where the figure is split: "maximum 10 → 15 years". */
function penaltyChanges(label: string, before: Penalty | undefined, after: Penalty | undefined): { kind: LawChangeKind; text: string }[] {
  const split = (p: Penalty | undefined) => (typeof p === 'object' ? p : { all: p });
  const a = split(before) as Record<string, number | 'life' | undefined>;
  const b = split(after) as Record<string, number | 'life' | undefined>;
  const groups = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const out: { kind: LawChangeKind; text: string }[] = [];
  for (const group of groups) {
    const x = a[group];
    const y = b[group];
    if (x === y) continue;
    const which = group === 'all' ? '' : ` (${group.replace('_', ' ')})`;
    const kind: LawChangeKind = rank(y) > rank(x) ? 'penalty-raised' : rank(y) < rank(x) ? 'penalty-lowered' : 'fact-changed';
    out.push({ kind, text: `${label} maximum${which} ${years(x)} → ${years(y)} years`.replace(/^ /, '') });
  }
  return out;
}

function factChanges(label: string, before: Record<string, Located<unknown>>, after: Record<string, Located<unknown>>): { kind: LawChangeKind; text: string }[] {
  const out: { kind: LawChangeKind; text: string }[] = [];
  for (const fact of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const x = before[fact]?.value;
    const y = after[fact]?.value;
    if (JSON.stringify(x) === JSON.stringify(y)) continue;
    if (fact === PENALTY_FACT) out.push(...penaltyChanges(label, x as Penalty | undefined, y as Penalty | undefined));
    else out.push({ kind: 'fact-changed', text: `${label ? `${label} ` : ''}${fact} ${show(x)} → ${show(y)}` });
  }
  return out;
}

function referenceLabel(set: MeasureSet, ref: NationalReference): string {
  const source = set.sources.get(ref.source);
  return `${source?.abbreviation ?? ref.source} ${ref.article}`;
}

/** What a reference says, for an added or removed one: "(maximum 15 years)". */
function referenceFacts(ref: NationalReference): string {
  const penalty = ref.facts[PENALTY_FACT]?.value as Penalty | undefined;
  if (penalty === undefined) return '';
  return typeof penalty === 'object'
    ? ` (maximum ${Object.entries(penalty).map(([g, v]) => `${g.replace('_', ' ')} ${years(v)}`).join(', ')} years)`
    : ` (maximum ${years(penalty)} years)`;
}

const inForce = (ref: NationalReference) => ({ in_force_from: ref.inForceFrom, in_force_until: ref.inForceUntil });

function referenceChanges(oldSet: MeasureSet, newSet: MeasureSet, before: NationalReference[], after: NationalReference[]): { kind: LawChangeKind; text: string }[] {
  const key = (ref: NationalReference) => `${ref.source}\0${ref.article}`;
  const afterByKey = new Map(after.map((r) => [key(r), r]));
  const beforeByKey = new Map(before.map((r) => [key(r), r]));
  const out: { kind: LawChangeKind; text: string }[] = [];
  const removed = before.filter((r) => !afterByKey.has(key(r)));
  const added = after.filter((r) => !beforeByKey.has(key(r)));
  const compareFacts = (x: NationalReference, y: NationalReference, label: string) => {
    out.push(...factChanges(label, x.facts, y.facts));
    for (const [name, value] of Object.entries(inForce(y))) {
      const was = inForce(x)[name as keyof ReturnType<typeof inForce>];
      if (was !== value) out.push({ kind: 'fact-changed', text: `${label} ${name} ${show(was)} → ${show(value)}` });
    }
  };
  for (const x of before) {
    const y = afterByKey.get(key(x));
    if (y) compareFacts(x, y, referenceLabel(newSet, y));
  }
  // One reference of a source replaced by one other of the same source: the same provision renumbered.
  for (const x of [...removed]) {
    const sameSource = added.filter((y) => y.source === x.source);
    const fromSource = removed.filter((r) => r.source === x.source);
    if (sameSource.length !== 1 || fromSource.length !== 1) continue;
    const y = sameSource[0]!;
    out.push({ kind: 'reference-renumbered', text: `${referenceLabel(oldSet, x)} renumbered as ${y.article}` });
    compareFacts(x, y, referenceLabel(newSet, y));
    removed.splice(removed.indexOf(x), 1);
    added.splice(added.indexOf(y), 1);
  }
  for (const x of removed) out.push({ kind: 'reference-removed', text: `reference removed: ${referenceLabel(oldSet, x)}${referenceFacts(x)}` });
  for (const y of added) out.push({ kind: 'reference-added', text: `reference added: ${referenceLabel(newSet, y)}${referenceFacts(y)}` });
  return out;
}

function assessmentChanges(
  key: string,
  before: ProvisionEntry | undefined,
  after: ProvisionEntry | undefined,
  oldResult: MemberStateResult | undefined,
  newResult: MemberStateResult | undefined,
): { kind: LawChangeKind; text: string }[] {
  const x = before?.assessment;
  const y = after?.assessment;
  if (!x && !y) return [];
  if (!x) return [{ kind: 'assessment-added', text: `assessment added: ${y!.outcome}${y!.date ? ` (${y!.date})` : ''}` }];
  if (!y) return [{ kind: 'assessment-removed', text: `assessment removed: ${x.outcome}` }];
  if (x.outcome !== y.outcome || x.reason !== y.reason) return [{ kind: 'assessment-changed', text: `assessment ${x.outcome} → ${y.outcome}` }];
  const stateOf = (r: MemberStateResult | undefined) => r?.rules.find((rule) => rule.rule.provision === key && rule.assessment)?.assessment?.state;
  const was = stateOf(oldResult);
  const now = stateOf(newResult);
  if (was !== 'review-due' && now === 'review-due') return [{ kind: 'assessment-expired', text: `assessment expired${y.expires ? ` on ${y.expires}` : ''}: review due, not applied` }];
  return [];
}

const outcomeOf = (result: MemberStateResult | undefined, provision: string) => result?.provisions.find((p) => p.provision === provision)?.outcome;

/** The law changes of one Member State between two of its descriptions, in Directive order. */
export function compareLaw(
  oldSet: MeasureSet,
  newSet: MeasureSet,
  oldResult: MemberStateResult | undefined,
  newResult: MemberStateResult | undefined,
): LawChange[] {
  const memberState = newSet.memberState;
  const changes: LawChange[] = factChanges('', oldSet.memberStateFacts, newSet.memberStateFacts).map((c) => ({ memberState, kind: c.kind, text: c.text }));
  const keys = [...new Set([...oldSet.provisions.keys(), ...newSet.provisions.keys()])].sort(compareProvisionKeys);
  for (const key of keys) {
    const before = oldSet.provisions.get(key);
    const after = newSet.provisions.get(key);
    const found: { kind: LawChangeKind; text: string }[] = [];
    if (before?.status.value !== after?.status.value) found.push({ kind: 'status-changed', text: `status ${before?.status.value ?? 'absent'} → ${after?.status.value ?? 'absent'}` });
    found.push(...referenceChanges(oldSet, newSet, before?.national ?? [], after?.national ?? []));
    found.push(...factChanges('', before?.facts ?? {}, after?.facts ?? {}));
    found.push(...assessmentChanges(key, before, after, oldResult, newResult));
    const old = outcomeOf(oldResult, key);
    const now = outcomeOf(newResult, key);
    for (const f of found) changes.push({ memberState, provision: key, ...f, ...(old ? { old } : {}), ...(now ? { new: now } : {}) });
  }
  return changes;
}

/** "3(4): StGB § 176(1) maximum 10 → 15 years; conform → conform". */
export function lawChangeText(change: LawChange): string {
  const outcomes = change.old || change.new ? `; ${change.old ?? '—'} → ${change.new ?? '—'}` : '';
  return `${change.provision ?? 'Member State'}: ${change.text}${outcomes}`;
}
