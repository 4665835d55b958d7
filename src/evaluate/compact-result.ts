import { findingsWithNotAssessed, type MemberStateResult, type RuleResult } from './result.js';
import type { Outcome } from '../types.js';

/**
 * Keeps of a result only what reports list: rules not conform or touched by an assessment, without
 * their check traces. Summaries and per-provision outcomes stay whole.
 */
export function compactResult(result: MemberStateResult, sharing: ResultSharing): MemberStateResult {
  return sharing.share({ ...result, rules: findingsWithNotAssessed(result).map((r) => ({ ...r, checks: NONE })) });
}

type ProvisionOutcome = Readonly<MemberStateResult['provisions'][number]>;

const NONE: never[] = Object.freeze([]) as never[];
const provisionOutcomes = new Map<string, ProvisionOutcome>();

/** One frozen object per (provision, outcome, derived) triple, shared by every result: 115 pointers a result. */
export function sharedProvisionOutcome(provision: string, outcome: Outcome, derived?: boolean): ProvisionOutcome {
  const key = `${provision}\0${outcome}\0${derived ? 1 : 0}`;
  let shared = provisionOutcomes.get(key);
  if (!shared) provisionOutcomes.set(key, (shared = Object.freeze(derived ? { provision, outcome, derived } : { provision, outcome })));
  return shared;
}

/**
 * What thousands of results of one run have in common, kept once: repeated strings (messages,
 * national provisions, file names, dates) and identical per-provision outcome lists. Results
 * are read-only once shared.
 */
export class ResultSharing {
  private readonly strings = new Map<string, string>();
  private readonly provisionLists = new Map<string, readonly ProvisionOutcome[]>();

  string<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    let shared = this.strings.get(value);
    if (shared === undefined) {
      // A string read from a measure file can be a slice of the file's whole text and keep all of it
      // alive: the copy kept is a string of its own (structuredClone copies the characters).
      shared = structuredClone(value as string);
      this.strings.set(shared, shared);
    }
    return shared as T;
  }

  /** Shares the parts of `result` in place and returns it. */
  share(result: MemberStateResult): MemberStateResult {
    result.evaluatedAt = this.string(result.evaluatedAt);
    result.declaredAsOf = this.string(result.declaredAsOf);
    result.files = result.files.map((f) => this.string(f));
    result.provisions = this.provisions(result.provisions);
    for (const rule of result.rules) this.shareRule(rule);
    result.procedures = result.procedures.map((step) => ({
      ...step,
      stage: this.string(step.stage),
      date: this.string(step.date),
      reference: this.string(step.reference),
      grounds: step.grounds.map((g) => this.string(g)),
      at: { ...step.at, file: this.string(step.at.file) },
    }));
    return result;
  }

  private shareRule(result: RuleResult): void {
    result.outcome = this.string(result.outcome);
    result.computedOutcome = this.string(result.computedOutcome);
    result.message = this.string(result.message);
    // Notes are slices of the file's text: a copy of their own, or the whole text stays alive.
    result.notes = this.string(result.notes);
    result.status = this.string(result.status);
    result.at.file = this.string(result.at.file);
    result.national = result.national.length ? result.national.map((n) => this.string(n)) : NONE;
    if (!result.checks.length) result.checks = NONE;
    const assessment = result.assessment;
    if (assessment) {
      assessment.outcome = this.string(assessment.outcome);
      assessment.state = this.string(assessment.state);
      assessment.reason = this.string(assessment.reason);
      assessment.by = this.string(assessment.by);
      assessment.date = this.string(assessment.date);
      assessment.expires = this.string(assessment.expires);
      assessment.at.file = this.string(assessment.at.file);
    }
  }

  private provisions(list: MemberStateResult['provisions']): MemberStateResult['provisions'] {
    let key = '';
    for (const p of list) key += `${p.provision}\0${p.outcome}\0${p.derived ? 1 : 0}\0`;
    let shared = this.provisionLists.get(key);
    if (!shared) this.provisionLists.set(key, (shared = Object.freeze(list.map((p) => sharedProvisionOutcome(p.provision, this.string(p.outcome), p.derived)))));
    return shared as MemberStateResult['provisions'];
  }
}
