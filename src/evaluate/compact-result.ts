import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { findingsWithNotAssessed, type AssessmentResult, type CheckTrace, type MemberStateResult, type PenaltyComparison, type RuleResult } from './result.js';
import type { Rule } from '../ruleset/types.js';
import { OUTCOMES, type Outcome, type SourceLocation } from '../types.js';

/**
 * Keeps of a result only what reports list: rules not conform or touched by an assessment, without
 * their check traces. Summaries and per-provision outcomes stay whole. With `sharing` (a large run),
 * what results have in common is kept once.
 */
export function compactResult(result: MemberStateResult, sharing?: ResultSharing): MemberStateResult {
  const compacted = { ...result, rules: findingsWithNotAssessed(result).map((r) => compactRule(r)) };
  return sharing ? sharing.share(compacted, true) : compacted;
}

/** Of a rule's traces, only the penalty comparisons reports print (JSON `penalty_comparisons`), without the facts read. */
function comparisonsOnly(checks: RuleResult['checks']): RuleResult['checks'] {
  if (!checks.some((c) => c.comparisons)) return NONE;
  return checks.filter((c) => c.comparisons).map((c) => comparisonTrace(c.kind, c.status, c.comparisons));
}

// The finding's message already says what the trace's does: only the comparisons are kept.
const comparisonTrace = (kind: string, status: CheckTrace['status'], comparisons: CheckTrace['comparisons']): CheckTrace => ({ kind, status, message: '', expected: '', read: NONE, comparisons, at: undefined });

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
const outcomeCodes = new Map<string, number>(OUTCOMES.map((o, i) => [o, i]));
const provisionOutcomes = new Map<string, ProvisionOutcome>();

/** One frozen object per (provision, outcome, derived) triple, shared by every result: 115 pointers a result. */
export function sharedProvisionOutcome(provision: string, outcome: Outcome, derived?: boolean): ProvisionOutcome {
  const key = `${provision}\0${outcome}\0${derived ? 1 : 0}`;
  let shared = provisionOutcomes.get(key);
  if (!shared) provisionOutcomes.set(key, (shared = Object.freeze(derived ? { provision, outcome, derived } : { provision, outcome })));
  return shared;
}

/*
 * Packed rules. A compact result of a large run keeps its rules as deflated UTF-8 bytes (JSON of arrays: strings
 * many results repeat — messages, outcomes, file names, national provisions — as numbers into the run's
 * ResultSharing table; notes and reasons, each a file's own, inline), and `rules` unpacks them when read.
 * As objects they cost ~37 KB a result (2,700 files: 100 MB of heap, 10,000 files peaking above 850 MB):
 * ~170,000 rule objects for provisions not assessed alone, and notes written with a letter beyond
 * Latin-1 (Łódź, Ελλάδα) held as UTF-16, two bytes a character.
 */
type PackedLocation = [file: number, line: number, column: number];
type PackedComparison = [group: number, national: number, nationalYears: number, requiredYears: number, verdict: number, ...at: PackedLocation];
type PackedCheck = [kind: number, status: number, comparisons: PackedComparison[] | 0];
type PackedAssessment = [outcome: number, reason: string, by: number, date: number, expires: number, state: number, ...at: PackedLocation];
type PackedRule = [
  rule: number,
  outcome: number,
  computedOutcome: number,
  severity: number,
  message: number,
  ...at: PackedLocation,
  national: number[] | 0,
  checks: PackedCheck[] | 0,
  assessment: PackedAssessment | 0,
  status: number,
  notes: string | null,
];

const PACKED = Symbol('packed rules');
interface Packed {
  bytes: Buffer;
  sharing: ResultSharing;
}
type PackedResult = MemberStateResult & { [PACKED]?: Packed };


/**
 * The arrays unpacked last, by result: a reporter that reads `rules` twice (JUnit matches findings with
 * the rules by identity) gets the same objects. A few, held strongly: a WeakRef's target stays alive
 * until the synchronous job ends, and a report written in one job would keep every result's rules.
 */
const RECENT = 4;
const recent: { result: object; rules: RuleResult[] }[] = [];

function readRules(this: PackedResult): RuleResult[] {
  const hit = recent.find((r) => r.result === this);
  if (hit) return hit.rules;
  const { bytes, sharing } = this[PACKED]!;
  const rules = sharing.unpackRules(bytes);
  if (recent.unshift({ result: this, rules }) > RECENT) recent.pop();
  return rules;
}

/** Assigning `rules` makes them a plain array again. */
function writeRules(this: PackedResult, rules: RuleResult[]): void {
  Object.defineProperty(this, 'rules', { value: rules, writable: true, enumerable: true, configurable: true });
}

const LATIN1 = /^[\0-\xff]*$/;

/**
 * A string of its own: one read from a measure file can be a slice of the file's whole text and keep all
 * of it alive. A file with one letter beyond Latin-1 is held as UTF-16, and so are its slices and their
 * structured clones: text that fits is copied as Latin-1, one byte a character.
 */
function ownCopy(value: string): string {
  return LATIN1.test(value) ? Buffer.from(value, 'latin1').toString('latin1') : structuredClone(value);
}

/**
 * What thousands of results of one run have in common, kept once: repeated strings (messages,
 * national provisions, file names, dates) and identical per-provision outcome lists. Results
 * are read-only once shared.
 */
export class ResultSharing {
  /**
   * With `packRules`, compacted results keep their rules packed: for the thousands of results of a run
   * shared among worker threads. Smaller runs keep them as objects, read without unpacking.
   */
  constructor(private readonly packRules = false) {}

  private readonly strings = new Map<string, string>();
  private readonly provisionLists = new Map<string, readonly ProvisionOutcome[]>();
  private readonly table: string[] = [];
  private readonly tableIndex = new Map<string, number>();
  private readonly rules: Rule[] = [];
  private readonly ruleIndex = new Map<Rule, number>();

  string<T extends string | undefined>(value: T): T {
    if (value === undefined) return value;
    let shared = this.strings.get(value);
    if (shared === undefined) {
      shared = ownCopy(value as string);
      this.strings.set(shared, shared);
    }
    return shared as T;
  }

  /**
   * Shares the parts of `result` in place and returns it; with `compacted` (its rules are compactRule's)
   * and `packRules`, returns it with its rules packed.
   */
  share(result: MemberStateResult, compacted = false): MemberStateResult {
    result.evaluatedAt = this.string(result.evaluatedAt);
    result.declaredAsOf = this.string(result.declaredAsOf);
    result.files = result.files.map((f) => this.string(f));
    result.provisions = this.provisions(result.provisions);
    result.procedures = result.procedures.map((step) => ({
      ...step,
      stage: this.string(step.stage),
      date: this.string(step.date),
      reference: this.string(step.reference),
      grounds: step.grounds.map((g) => this.string(g)),
      at: { ...step.at, file: this.string(step.at.file) },
    }));
    if (compacted && this.packRules && result.rules.length) return this.pack(result);
    for (const rule of result.rules) this.shareRule(rule);
    return result;
  }

  /** The same result with its rules packed: `rules` reads them back, a new array each time they were let go. */
  private pack(result: MemberStateResult): MemberStateResult {
    // Deflated (level 1: the fastest), the notes and reasons analysts write take about a third of the bytes.
    // Copied: the deflated bytes are a view of zlib's 16 KB output chunk.
    const bytes = Buffer.from(deflateRawSync(JSON.stringify(result.rules.map((r) => this.packRule(r))), { level: 1 }));
    const packed: PackedResult = {
      memberState: result.memberState,
      evaluatedAt: result.evaluatedAt,
      declaredAsOf: result.declaredAsOf,
      files: result.files,
      procedures: result.procedures,
      provisions: result.provisions,
      summary: result.summary,
      assessments: result.assessments,
      rules: NONE,
      ...(result.notBound !== undefined && { notBound: result.notBound }),
      notices: result.notices,
      [PACKED]: { bytes, sharing: this },
    };
    Object.defineProperty(packed, 'rules', { get: readRules, set: writeRules, enumerable: true, configurable: true });
    return packed;
  }

  private ref(value: string | undefined): number {
    if (value === undefined) return -1;
    let index = this.tableIndex.get(value);
    if (index === undefined) {
      const copy = ownCopy(value);
      index = this.table.push(copy) - 1;
      this.tableIndex.set(copy, index);
    }
    return index;
  }

  private str<T extends string | undefined>(index: number): T {
    return (index < 0 ? undefined : this.table[index]) as T;
  }

  private location(at: SourceLocation): PackedLocation {
    return [this.ref(at.file), at.line, at.column];
  }

  private packRule(r: RuleResult): PackedRule {
    let rule = this.ruleIndex.get(r.rule);
    if (rule === undefined) this.ruleIndex.set(r.rule, (rule = this.rules.push(r.rule) - 1));
    const a = r.assessment;
    return [
      rule,
      this.ref(r.outcome),
      this.ref(r.computedOutcome),
      this.ref(r.severity),
      this.ref(r.message),
      ...this.location(r.at),
      r.national.length ? r.national.map((n) => this.ref(n)) : 0,
      // Compact rules keep of their traces only the penalty comparisons (see comparisonsOnly).
      r.checks.length
        ? r.checks.map((c): PackedCheck => [
            this.ref(c.kind),
            this.ref(c.status),
            c.comparisons ? c.comparisons.map((p): PackedComparison => [this.ref(p.group), this.ref(p.national), p.nationalYears, p.requiredYears, this.ref(p.verdict), ...this.location(p.at)]) : 0,
          ])
        : 0,
      a ? [this.ref(a.outcome), a.reason, this.ref(a.by), this.ref(a.date), this.ref(a.expires), this.ref(a.state), ...this.location(a.at)] : 0,
      this.ref(r.status),
      r.notes ?? null,
    ];
  }

  /** Rule results as compactRule makes them, from packed bytes. */
  unpackRules(bytes: Buffer): RuleResult[] {
    const packed = JSON.parse(inflateRawSync(bytes).toString('utf8')) as PackedRule[];
    return packed.map(([rule, outcome, computedOutcome, severity, message, file, line, column, national, checks, assessment, status, notes]) => ({
      rule: this.rules[rule]!,
      outcome: this.str(outcome),
      computedOutcome: this.str(computedOutcome),
      severity: this.str(severity),
      message: this.str(message),
      at: { file: this.str(file), line, column },
      national: national ? national.map((n) => this.str<string>(n)) : NONE,
      checks: checks ? checks.map(([kind, status, comparisons]) => comparisonTrace(this.str(kind), this.str(status), comparisons ? comparisons.map((p) => this.comparison(p)) : undefined)) : NONE,
      assessment: assessment ? this.assessment(assessment) : undefined,
      status: this.str(status),
      notes: notes ?? undefined,
    }));
  }

  private comparison([group, national, nationalYears, requiredYears, verdict, file, line, column]: PackedComparison): PenaltyComparison {
    return { group: this.str(group), national: this.str(national), nationalYears, requiredYears, verdict: this.str(verdict), at: { file: this.str(file), line, column } };
  }

  private assessment([outcome, reason, by, date, expires, state, file, line, column]: PackedAssessment): AssessmentResult {
    return { outcome: this.str(outcome), reason, by: this.str(by), date: this.str(date), expires: this.str(expires), state: this.str(state), at: { file: this.str(file), line, column } };
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
    // One character per provision (its outcome, and whether it is derived): a key built with `+=` is a
    // rope of hundreds of pieces (18 KB a result), and the provisions are checked on a hit.
    const key = String.fromCharCode(...list.map((p) => (outcomeCodes.get(p.outcome) ?? 15) * 2 + (p.derived ? 1 : 0) + 65));
    const shared = this.provisionLists.get(key);
    if (shared?.every((p, i) => p.provision === list[i]!.provision)) return shared as MemberStateResult['provisions'];
    const made = Object.freeze(list.map((p) => sharedProvisionOutcome(p.provision, this.string(p.outcome), p.derived)));
    if (!shared) this.provisionLists.set(key, made);
    return made as MemberStateResult['provisions'];
  }
}
