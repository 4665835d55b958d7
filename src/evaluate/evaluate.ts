import type { Rule, RuleSet } from '../ruleset/types.js';
import type { MeasureSet, Outcome, ProvisionEntry, Severity, SourceLocation } from '../types.js';
import { isInForce, runCheck } from './checks.js';
import {
  emptyAssessmentCounts,
  emptyCounts,
  worstOutcome,
  type AssessmentResult,
  type AssessmentState,
  type CheckTrace,
  type MemberStateResult,
  type RuleResult,
} from './result.js';

function isTransposedOn(entry: ProvisionEntry | undefined, date: string): boolean {
  return !!entry && entry.status.value !== 'not-transposed' && entry.national.some((ref) => isInForce(ref, date));
}

/** Severity per the contract: errors for mandatory provisions not conform or not transposed. */
export function severityOf(rule: Rule, outcome: Outcome, assessed: boolean): Severity {
  if (outcome === 'conform') return assessed ? 'info' : 'none';
  if (rule.modality === 'may' || outcome === 'not-applicable') return 'info';
  if (outcome === 'not-conform' || outcome === 'not-transposed') return 'error';
  return 'warning';
}

function nationalLabels(set: MeasureSet, entry: ProvisionEntry | undefined, date: string): string[] {
  if (!entry) return [];
  const inForce = entry.national.filter((ref) => isInForce(ref, date));
  return (inForce.length ? inForce : entry.national).map((ref) => {
    const source = set.sources.get(ref.source);
    return `${source?.abbreviation ?? source?.title ?? ref.source} ${ref.article}`;
  });
}

interface Computed {
  outcome: Outcome;
  message: string;
  at: SourceLocation;
  checks: CheckTrace[];
}

function computeOutcome(rule: Rule, set: MeasureSet, ruleset: RuleSet, date: string): Computed {
  const entry = set.provisions.get(rule.provision);
  const optional = rule.modality === 'may';
  const absent = optional ? 'not-applicable' : 'not-transposed';
  if (rule.appliesWhen && !rule.appliesWhen.anyTransposed.some((key) => isTransposedOn(set.provisions.get(key), date))) {
    return {
      outcome: 'not-applicable',
      message: `applies only where ${rule.appliesWhen.anyTransposed.join(', ')} is transposed, and none is`,
      at: entry?.at ?? set.at,
      checks: [],
    };
  }
  if (!entry) {
    return { outcome: absent, message: optional ? 'optional provision not taken up' : 'no national measure is recorded for this provision', at: set.at, checks: [] };
  }
  if (entry.status.value === 'not-transposed') {
    return { outcome: absent, message: optional ? 'optional provision not taken up' : 'recorded as not transposed', at: entry.status.at, checks: [] };
  }
  const inForce = entry.national.filter((ref) => isInForce(ref, date));
  if (inForce.length === 0) {
    return { outcome: absent, message: `no national provision recorded for it is in force on ${date}`, at: entry.at, checks: [] };
  }
  const checks = rule.checks.map((check) => runCheck(check, { entry, inForce, set, facts: ruleset.facts, date }));
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length) return { outcome: 'not-conform', message: failed.map((c) => c.message).join('; '), at: failed[0]!.at ?? entry.at, checks };
  const missing = checks.filter((c) => c.status === 'missing');
  if (missing.length) return { outcome: 'incomplete', message: missing.map((c) => c.message).join('; '), at: missing[0]!.at ?? entry.at, checks };
  if (entry.status.value === 'partial') {
    return { outcome: 'partially-conform', message: 'recorded as partially transposed', at: entry.status.at, checks };
  }
  return { outcome: 'conform', message: checks.length ? checks.map((c) => c.message).join('; ') : 'transposed', at: entry.at, checks };
}

function assessmentOn(entry: ProvisionEntry | undefined, computed: Outcome, date: string): AssessmentResult | undefined {
  const assessment = entry?.assessment;
  if (!assessment) return undefined;
  let state: AssessmentState;
  if (assessment.expires && date >= assessment.expires) state = 'review-due';
  else if (assessment.outcome === computed) state = 'unnecessary';
  else state = 'applied';
  const { outcome, reason, by, date: madeOn, expires, at } = assessment;
  return { outcome, reason, by, date: madeOn, expires, state, at };
}

/** Evaluates one rule for one measure set on `date`. Pure. */
export function evaluateRule(rule: Rule, set: MeasureSet, ruleset: RuleSet, date: string): RuleResult {
  const entry = set.provisions.get(rule.provision);
  const computed = computeOutcome(rule, set, ruleset, date);
  const assessment = assessmentOn(entry, computed.outcome, date);
  const outcome = assessment?.state === 'applied' ? assessment.outcome : computed.outcome;
  return {
    rule,
    outcome,
    computedOutcome: computed.outcome,
    severity: severityOf(rule, outcome, !!assessment),
    message: computed.message,
    at: computed.at,
    national: nationalLabels(set, entry, date),
    checks: computed.checks,
    assessment,
  };
}

/**
 * Evaluates every rule of the rule set against one Member State's measure set, on `asOf` if given
 * (the law as it stood that day) or else on the set's own `as_of`. Pure: no I/O.
 */
export function evaluateMeasureSet(ruleset: RuleSet, set: MeasureSet, asOf?: string): MemberStateResult {
  const date = asOf ?? set.asOf;
  const rules = ruleset.rules.map((rule) => evaluateRule(rule, set, ruleset, date));
  const outcomesByProvision = new Map<string, Outcome[]>();
  for (const result of rules) {
    const list = outcomesByProvision.get(result.rule.provision);
    if (list) list.push(result.outcome);
    else outcomesByProvision.set(result.rule.provision, [result.outcome]);
  }
  const summary = emptyCounts();
  const provisions: MemberStateResult['provisions'] = [];
  for (const key of ruleset.provisions) {
    const outcome = worstOutcome(outcomesByProvision.get(key) ?? []);
    provisions.push({ provision: key, outcome });
    summary[outcome]++;
  }
  const assessments: Record<AssessmentState, number> = emptyAssessmentCounts();
  // Count assessments per provision, not per rule: one judgement may cover a provision of two rules.
  const counted = new Set<string>();
  for (const result of rules) {
    if (!result.assessment || counted.has(result.rule.provision)) continue;
    counted.add(result.rule.provision);
    assessments[result.assessment.state]++;
  }
  return { memberState: set.memberState, evaluatedAt: date, asOf: set.asOf, files: set.files, provisions, summary, assessments, rules, procedures: set.procedures, notices: [] };
}
