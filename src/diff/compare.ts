import type { CheckResult } from '../check-types.js';
import type { MemberStateResult, RuleResult } from '../evaluate/result.js';
import { compareProvisionKeys } from '../ruleset/order.js';
import type { InputFile, MeasureSet, Outcome } from '../types.js';
import { compareLaw, type LawChange } from './law-changes.js';

/**
 * `conformity diff`: which outcomes changed between two versions of Member States' measures.
 * Pure: two CheckResults in, one DiffResult out; no I/O.
 *
 * What is compared, and what is not:
 *
 * - Rule by rule. A provision usually has one rule, so this is the provision's outcome; where a
 *   provision holds several obligations (25(1)), each of its rules is compared on its own, so a
 *   change of one is not hidden by the other. Counts are therefore of rules.
 * - The outcome reported (an analyst's applied assessment included), as `check` reports it.
 * - Outcome changes count (and decide the exit status). A rule whose outcome is the same on both
 *   sides is unchanged even if its message, national references or assessment changed.
 * - Law changes are listed apart (`lawChanges`, src/diff/law-changes.ts) when the measure sets are
 *   given: a maximum raised or lowered, references added, removed or renumbered, assessments added
 *   or expired, with the provision's outcome on each side. They never count as a regression.
 *
 * Directions:
 *
 * - `better` / `worse`: along the Commission order, worst to best:
 *   not-transposed < not-conform < incomplete = not-assessed < partially-conform < conform.
 * - `changed`: to or from `not-applicable`. That is a change of scope (an optional provision taken
 *   up or dropped, or a rule's condition met or no longer met), not of quality, so it is neither
 *   better nor worse and never fails the exit status.
 * - `appeared`: NEW describes a Member State that OLD does not; every rule of it is listed with
 *   `old: null`.
 * - `disappeared`: OLD describes a Member State that NEW does not; every rule of it is listed with
 *   `new: null`. This counts as a regression, like `worse`: a CI job must not pass because a file
 *   was deleted.
 *
 * The message of a change is the NEW side's (the OLD side's for `disappeared`).
 *
 * A side may hold several versions of one Member State (several `as_of` dates); the latest is
 * compared, and a note says which versions were left out.
 */

export type Direction = 'better' | 'worse' | 'changed' | 'appeared' | 'disappeared';
export type Side = 'old' | 'new';

export const DIRECTIONS: readonly Direction[] = ['worse', 'disappeared', 'better', 'changed', 'appeared'];

/** Rank along the Commission order, worst to best; `not-applicable` is off the scale. */
const RANK: Partial<Record<Outcome, number>> = {
  'not-transposed': 0,
  'not-conform': 1,
  incomplete: 2,
  // Information missing, like `incomplete`: between them nothing got better or worse.
  'not-assessed': 2,
  'partially-conform': 3,
  conform: 4,
};

/** How one rule's outcome moved; `unchanged` when it did not. */
export function classify(old: Outcome, now: Outcome): Direction | 'unchanged' {
  if (old === now) return 'unchanged';
  const a = RANK[old];
  const b = RANK[now];
  if (a === undefined || b === undefined || a === b) return 'changed';
  return b > a ? 'better' : 'worse';
}

export interface DiffChange {
  memberState: string;
  provision: string;
  /** The rule's id. */
  rule: string;
  articleTitle: string;
  /** How many rules the provision has in the rule set (more than one: the formats name the rule). */
  provisionRules: number;
  old: Outcome | null;
  new: Outcome | null;
  direction: Direction;
  /** The NEW side's message; the OLD side's for `disappeared`. */
  message: string;
}

export type DiffCounts = Record<Direction | 'unchanged', number>;

export function emptyDiffCounts(): DiffCounts {
  return { better: 0, worse: 0, changed: 0, appeared: 0, disappeared: 0, unchanged: 0 };
}

/** The version of a Member State compared on one side. */
export interface ComparedVersion {
  /** The `as_of` its files declare. */
  declaredAsOf: string;
  /** The date its law was evaluated at: `--as-of`, else `declaredAsOf`. */
  evaluatedAt: string;
  files: string[];
}

export interface MemberStateDiff {
  memberState: string;
  status: 'compared' | 'appeared' | 'disappeared';
  old?: ComparedVersion;
  new?: ComparedVersion;
  counts: DiffCounts;
}

/** A side held several versions of a Member State; `compared` is the latest, `skipped` the others' `as_of`. */
export interface VersionNote {
  side: Side;
  memberState: string;
  compared: string;
  skipped: string[];
}

export interface DiffSide {
  inputs: InputFile[];
  /** The date the side's law was evaluated at: `--as-of`, or the one date every compared version shares; else undefined. */
  evaluatedAt?: string;
}

export interface DiffResult {
  tool: CheckResult['tool'];
  ruleset: CheckResult['ruleset'];
  /** The `--as-of` date both sides were evaluated at, when one was given. */
  evaluationDate?: string;
  old: DiffSide;
  new: DiffSide;
  /** Every Member State on either side, by code. */
  memberStates: MemberStateDiff[];
  /** Every rule whose outcome changed: by Member State, then in Directive order. */
  changes: DiffChange[];
  /** What changed in the law of Member States on both sides, outcomes changed or not (empty without measure sets). */
  lawChanges: LawChange[];
  summary: DiffCounts;
  notes: VersionNote[];
  /** Something got worse, or a Member State disappeared: `diff` exits 1. */
  regression: boolean;
}

/** The latest version of each Member State on one side, and notes for the versions left out. */
function latestVersions(result: CheckResult, side: Side): { latest: Map<string, MemberStateResult>; notes: VersionNote[] } {
  const versions = new Map<string, MemberStateResult[]>();
  for (const r of result.results) versions.set(r.memberState, [...(versions.get(r.memberState) ?? []), r]);
  const latest = new Map<string, MemberStateResult>();
  const notes: VersionNote[] = [];
  for (const [memberState, list] of versions) {
    // ISO dates order as strings.
    const sorted = [...list].sort((a, b) => (a.declaredAsOf < b.declaredAsOf ? 1 : a.declaredAsOf > b.declaredAsOf ? -1 : 0));
    latest.set(memberState, sorted[0]!);
    if (sorted.length > 1) notes.push({ side, memberState, compared: sorted[0]!.declaredAsOf, skipped: sorted.slice(1).map((r) => r.declaredAsOf) });
  }
  return { latest, notes };
}

function version(r: MemberStateResult): ComparedVersion {
  return { declaredAsOf: r.declaredAsOf, evaluatedAt: r.evaluatedAt, files: r.files };
}

function rulesPerProvision(results: readonly (MemberStateResult | undefined)[]): Map<string, number> {
  const ids = new Map<string, Set<string>>();
  for (const r of results) {
    for (const rule of r?.rules ?? []) ids.set(rule.rule.provision, (ids.get(rule.rule.provision) ?? new Set()).add(rule.rule.id));
  }
  return new Map([...ids].map(([provision, set]) => [provision, set.size]));
}

function compareMemberState(memberState: string, old: MemberStateResult | undefined, now: MemberStateResult | undefined): { diff: MemberStateDiff; changes: DiffChange[] } {
  const counts = emptyDiffCounts();
  const changes: DiffChange[] = [];
  const perProvision = rulesPerProvision([old, now]);
  const oldRules = new Map((old?.rules ?? []).map((r) => [r.rule.id, r]));
  const newRules = new Map((now?.rules ?? []).map((r) => [r.rule.id, r]));
  // Both sides are evaluated with one rule set, so their rules are the same; a rule on one side only is still listed.
  const order: RuleResult[] = [...(now?.rules ?? []), ...(old?.rules ?? []).filter((r) => !newRules.has(r.rule.id))];
  order.sort((a, b) => compareProvisionKeys(a.rule.provision, b.rule.provision));
  for (const rule of order) {
    const before = oldRules.get(rule.rule.id);
    const after = newRules.get(rule.rule.id);
    const direction: Direction | 'unchanged' = !before ? 'appeared' : !after ? 'disappeared' : classify(before.outcome, after.outcome);
    counts[direction] += 1;
    if (direction === 'unchanged') continue;
    changes.push({
      memberState,
      provision: rule.rule.provision,
      rule: rule.rule.id,
      articleTitle: rule.rule.articleTitle,
      provisionRules: perProvision.get(rule.rule.provision) ?? 1,
      old: before?.outcome ?? null,
      new: after?.outcome ?? null,
      direction,
      message: (after ?? before)!.message,
    });
  }
  const status = !old ? 'appeared' : !now ? 'disappeared' : 'compared';
  const diff: MemberStateDiff = { memberState, status, counts };
  if (old) diff.old = version(old);
  if (now) diff.new = version(now);
  return { diff, changes };
}

/** The one evaluation date of a side, when `--as-of` was given or every compared version shares it. */
function sideDate(result: CheckResult, compared: Iterable<MemberStateResult>): string | undefined {
  if (result.evaluationDate) return result.evaluationDate;
  const dates = new Set([...compared].map((r) => r.evaluatedAt));
  return dates.size === 1 ? [...dates][0] : undefined;
}

/** The measure sets each side's results were evaluated from, to compare the law itself. */
export interface DiffMeasureSets {
  old: readonly MeasureSet[];
  new: readonly MeasureSet[];
}

const setOf = (sets: readonly MeasureSet[], result: MemberStateResult) => sets.find((s) => s.memberState === result.memberState && s.asOf === result.declaredAsOf);

/** Compares two checks of the same rule set, Member State by Member State. */
export function compareResults(oldResult: CheckResult, newResult: CheckResult, sets?: DiffMeasureSets): DiffResult {
  const oldSide = latestVersions(oldResult, 'old');
  const newSide = latestVersions(newResult, 'new');
  const codes = [...new Set([...oldSide.latest.keys(), ...newSide.latest.keys()])].sort();
  const memberStates: MemberStateDiff[] = [];
  const changes: DiffChange[] = [];
  const summary = emptyDiffCounts();
  const lawChanges: LawChange[] = [];
  for (const code of codes) {
    const before = oldSide.latest.get(code);
    const after = newSide.latest.get(code);
    const { diff, changes: found } = compareMemberState(code, before, after);
    memberStates.push(diff);
    changes.push(...found);
    const oldSet = sets && before && setOf(sets.old, before);
    const newSet = sets && after && setOf(sets.new, after);
    if (oldSet && newSet) lawChanges.push(...compareLaw(oldSet, newSet, before, after));
    for (const key of Object.keys(summary) as (keyof DiffCounts)[]) summary[key] += diff.counts[key];
  }
  const notes = [...oldSide.notes, ...newSide.notes].sort((a, b) => a.memberState.localeCompare(b.memberState) || (a.side === b.side ? 0 : a.side === 'old' ? -1 : 1));
  const result: DiffResult = {
    tool: newResult.tool,
    ruleset: newResult.ruleset,
    old: { inputs: oldResult.inputs, evaluatedAt: sideDate(oldResult, oldSide.latest.values()) },
    new: { inputs: newResult.inputs, evaluatedAt: sideDate(newResult, newSide.latest.values()) },
    memberStates,
    changes,
    lawChanges,
    summary,
    notes,
    regression: summary.worse > 0 || memberStates.some((m) => m.status === 'disappeared'),
  };
  const evaluationDate = newResult.evaluationDate ?? oldResult.evaluationDate;
  if (evaluationDate) result.evaluationDate = evaluationDate;
  return result;
}

/** 1 when something got worse or a Member State disappeared, else 0. (Input errors, 2, are the command's to decide.) */
export function diffExitCode(diff: DiffResult): 0 | 1 {
  return diff.regression ? 1 : 0;
}
