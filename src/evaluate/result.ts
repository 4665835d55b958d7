import type { Rule } from '../ruleset/types.js';
import { isNonConformity, type Outcome, type ProcedureStep, type Severity, type SourceLocation, type TranspositionStatus } from '../types.js';

/** One national maximum compared with the Directive's minimum maximum, for one age group. */
export interface PenaltyComparison {
  /** The child's age group, where the Directive or the national figure distinguishes them. */
  group?: string;
  /** The national provision whose figure binds (the lowest): "StGB § 176(1)". */
  national: string;
  nationalYears: number;
  requiredYears: number;
  /** `at-minimum`: exactly the Directive's figure (analysts look for those first). */
  verdict: 'below' | 'at-minimum' | 'above';
  at: SourceLocation;
}

/** What one check of a rule found: the facts it read, what it compared, and how that came out. */
export interface CheckTrace {
  kind: string;
  /** `missing`: a fact the check needs is not recorded. */
  status: 'pass' | 'fail' | 'missing';
  /** Plain words: "maximum penalty 3 years is below the required 5 years". */
  message: string;
  /** What the Directive requires, in plain words: "at least 5 years". */
  expected: string;
  /** The facts read, with where they stand and the national reference they were recorded on. */
  read: { fact: string; value: unknown; at: SourceLocation; reference?: string }[];
  /** For penalty checks: the binding national figure per age group, against the Directive's. */
  comparisons?: PenaltyComparison[];
  /** Where a failure or gap is best shown. */
  at?: SourceLocation;
}

/**
 * `applied`: it decides the outcome; `unnecessary`: it equals the computed outcome; `review-due`: its
 * `expires` date has passed on the day of the run (not applied); `out-of-date`: evaluated on a date when
 * the national provisions in force differ from those of the description it is written in (not applied).
 */
export type AssessmentState = 'applied' | 'unnecessary' | 'review-due' | 'out-of-date';

export interface AssessmentResult {
  outcome: Outcome;
  reason: string;
  by?: string;
  date?: string;
  expires?: string;
  state: AssessmentState;
  at: SourceLocation;
}

/** The outcome of one rule for one Member State. */
export interface RuleResult {
  rule: Rule;
  /** The outcome reported: the analyst's where an assessment applies, else the computed one. */
  outcome: Outcome;
  /** The outcome the checks alone give. */
  computedOutcome: Outcome;
  severity: Severity;
  message: string;
  at: SourceLocation;
  /** National provisions behind the outcome, as cited: "StGB § 176(1)". */
  national: string[];
  checks: CheckTrace[];
  assessment?: AssessmentResult;
  /** The status the measure file records for the provision (none where it is not described). */
  status?: TranspositionStatus;
  /** The analyst's notes on the provision, as recorded. */
  notes?: string;
}

export type OutcomeCounts = Record<Outcome, number>;

export interface MemberStateResult {
  memberState: string;
  /** The date the law was evaluated at: `--as-of`, else the files' `as_of`. */
  evaluatedAt: string;
  /** The `as_of` the files declare. */
  declaredAsOf: string;
  files: string[];
  /**
   * Per provision (the worst of its rules), in Directive order. `derived`: a chapeau whose outcome is
   * the worst of its paragraphs; it is not counted in `summary`, so nothing is counted twice.
   */
  provisions: { provision: string; outcome: Outcome; derived?: boolean }[];
  /** Provisions per outcome (chapeaux derived from their paragraphs left out). */
  summary: OutcomeCounts;
  /** Assessments per state, counted separately from the outcomes they change. */
  assessments: Record<AssessmentState, number>;
  /** Every rule's result, in Directive order. */
  rules: RuleResult[];
  /** Infringement procedure steps recorded for this Member State, by date. */
  procedures: ProcedureStep[];
  /**
   * Set when the Directive does not bind the Member State on the evaluation date: the reason, as the
   * rule set words it ("not bound by Directive 2011/93/EU (Protocol No 22)"). Such a result has no rules.
   */
  notBound?: string;
  /** Things a reader must know to read the outcomes right, e.g. that the description postdates the evaluation date. */
  notices: string[];
}

/** Rank for "worst of": lower is worse. */
const RANK: Record<Outcome, number> = {
  'not-transposed': 0,
  'not-conform': 1,
  'partially-conform': 2,
  incomplete: 3,
  'not-assessed': 4,
  conform: 5,
  'not-applicable': 6,
};

/**
 * Severity of an outcome. Non-conformity (NT, NC, PC) is an error whatever the modality: once an
 * option is taken up its conditions bind, and an option not taken up is `not-applicable`. Missing
 * information is a warning (an info for an option, which can never ground a finding).
 */
export function severityOf(rule: Pick<Rule, 'modality'>, outcome: Outcome, assessed: boolean): Severity {
  if (outcome === 'conform') return assessed ? 'info' : 'none';
  if (outcome === 'not-applicable') return 'info';
  if (isNonConformity(outcome)) return 'error';
  return rule.modality === 'may' ? 'info' : 'warning';
}

/** The worst outcome; `not-applicable` only when every outcome is. */
export function worstOutcome(outcomes: readonly Outcome[]): Outcome {
  let worst: Outcome = 'not-applicable';
  for (const outcome of outcomes) if (RANK[outcome] < RANK[worst]) worst = outcome;
  return worst;
}

export function emptyCounts(): OutcomeCounts {
  return { conform: 0, 'partially-conform': 0, 'not-conform': 0, 'not-transposed': 0, incomplete: 0, 'not-assessed': 0, 'not-applicable': 0 };
}

export function emptyAssessmentCounts(): Record<AssessmentState, number> {
  return { applied: 0, unnecessary: 0, 'review-due': 0, 'out-of-date': 0 };
}

/**
 * Every rule result that is a finding: not conform, touched by an assessment, or missing information
 * (what the exit status and `--fail-on` look at). Chapeaux repeat their paragraphs and are left out.
 */
export function findingsWithNotAssessed(result: MemberStateResult): RuleResult[] {
  // Provisions with no duty of their own (2(f), 12(3)) are never findings, unless an analyst assessed them.
  return result.rules.filter((r) => !r.rule.derivedFrom && (r.rule.recordedOnly ? r.assessment : r.outcome !== 'conform' || r.computedOutcome !== 'conform' || r.assessment));
}

/**
 * The rule results a report lists: the findings, except provisions not assessed (counted in the
 * summary: a half-researched file would otherwise list a hundred of them); with `all` every rule.
 */
export function findingsOf(result: MemberStateResult, all = false): RuleResult[] {
  return all ? result.rules : findingsWithNotAssessed(result).filter((r) => r.outcome !== 'not-assessed' || r.assessment);
}
