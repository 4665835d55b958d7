import { findingsWithNotAssessed, type MemberStateResult, type RuleResult } from './result.js';
import type { Outcome } from '../types.js';

/**
 * Keeps of a result only what reports list: rules not conform or touched by an assessment, without
 * their check traces. Summaries and per-provision outcomes stay whole.
 */
export function compactResult(result: MemberStateResult, sharing: ResultSharing): MemberStateResult {
  return sharing.share({ ...result, rules: findingsWithNotAssessed(result).map((r) => compactRule(r)) });
}

/** Of a rule's traces, only the penalty comparisons reports print (JSON `penalty_comparisons`), without the facts read. */
function comparisonsOnly(checks: RuleResult['checks']): RuleResult['checks'] {
  if (!checks.some((c) => c.comparisons)) return NONE;
  return checks
    .filter((c) => c.comparisons)
    // The finding's message already says what the trace's does: only the comparisons are kept.
    .map((c) => ({ kind: c.kind, status: c.status, message: '', expected: '', read: NONE, comparisons: c.comparisons, at: undefined }));
}

/**
 * A rule result without its traces (but its penalty comparisons), built field by field in one order: an object spread made each
 * copy a hidden class of its own (2,700 files: 420,000 classes, 75 MB of heap).
 */
export function compactRule(r: RuleResult, checks: RuleResult['checks'] = comparisonsOnly(r.checks)): RuleResult {
  return {
    rule: r.rule,
    outcome: r.outcome,
    computedOutcome: r.computedOutcome,
    severity: r.severity,
    message: r.message,
    at: r.at,
    national: r.national,
    checks,
    assessment: r.assessment,
    status: r.status,
    notes: r.notes,
  };
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
    // Labels are built from slices of the file's text ("CC " + article): copies of their own.
    for (const check of result.checks) {
      for (const c of check.comparisons ?? []) {
        c.national = this.string(c.national);
        c.group = this.string(c.group);
        c.at.file = this.string(c.at.file);
      }
    }
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
