import type { Rule, RuleSet } from '../ruleset/types.js';
import type { MeasureSet, NationalReference, Outcome, ProvisionEntry, Severity, SourceLocation } from '../types.js';
import { isInForce, referenceLabel, type CheckContext } from './check-context.js';
import { runCheck } from './checks.js';
import {
  emptyAssessmentCounts,
  emptyCounts,
  severityOf,
  worstOutcome,
  type AssessmentResult,
  type AssessmentState,
  type CheckTrace,
  type MemberStateResult,
  type RuleResult,
} from './result.js';

export { severityOf } from './result.js';

/** How one evaluation is run. */
export interface EvaluationOptions {
  /** The date the law is evaluated on (`--as-of`); default: the description's own `as_of`. */
  evaluationDate?: string;
  /** The day of the run (`--today`), against which assessments' `expires` dates are compared. */
  today?: string;
}

/** Today's date in UTC, YYYY-MM-DD: the default for `--today`. */
export const todayUtc = (): string => new Date().toISOString().slice(0, 10);

function isTransposedOn(entry: ProvisionEntry | undefined, date: string): boolean {
  return !!entry && (entry.status.value === 'transposed' || entry.status.value === 'partial') && entry.national.some((ref) => isInForce(ref, date));
}

function nationalLabels(set: MeasureSet, entry: ProvisionEntry | undefined, date: string): string[] {
  if (!entry) return [];
  const inForce = entry.national.filter((ref) => isInForce(ref, date));
  return (inForce.length ? inForce : entry.national).map((ref) => referenceLabel(set, ref));
}

/** Why the Directive does not bind `memberState` on `date`, in the rule set's words; undefined when it does. */
export function notBoundReason(ruleset: RuleSet, memberState: string, date: string): string | undefined {
  const addressee = ruleset.addressees.find((a) => a.memberState === memberState);
  if (!addressee) return undefined;
  const directive = `Directive ${ruleset.directive}`;
  if (!addressee.bound) return `not bound by ${directive} (${addressee.reason})`;
  if (addressee.until && date > addressee.until) return `not bound by ${directive} after ${addressee.until} (${addressee.reason})`;
  if (addressee.from && date < addressee.from) return `not bound by ${directive} before ${addressee.from} (${addressee.reason})`;
  return undefined;
}

interface Computed {
  outcome: Outcome;
  message: string;
  at: SourceLocation;
  checks: CheckTrace[];
  /** Whether what the description says at provision level (facts, assessment) holds on the evaluation date. */
  descriptionHolds: boolean;
}

const sameReferences = (a: readonly NationalReference[], b: readonly NationalReference[]) => a.length === b.length && a.every((ref, i) => ref === b[i]);

/** Worked out once per rule: every file asks for every rule. */
const wholeSetReaders = new WeakMap<Rule, boolean>();

/**
 * Checks that read the whole description, not the provision's entry: Member-State facts (2(b), the age
 * of sexual consent), the acts cited (27(3)), the dates of every provision (27(1)).
 */
function readsWholeSet(rule: Rule, ruleset: RuleSet): boolean {
  let reads = wholeSetReaders.get(rule);
  if (reads === undefined) {
    reads =
      rule.checks.length > 0 &&
      rule.checks.every((c) => c.kind === 'sources-cite-directive' || c.kind === 'transposition-complete-by' || ('fact' in c && ruleset.facts.get(c.fact)?.scope === 'member-state'));
    wholeSetReaders.set(rule, reads);
  }
  return reads;
}

function computeOutcome(rule: Rule, set: MeasureSet, ruleset: RuleSet, date: string): Computed {
  const entry = set.provisions.get(rule.provision);
  const optional = rule.modality === 'may';
  const at = entry?.at ?? set.at;
  const result = (outcome: Outcome, message: string, where: SourceLocation = at, checks: CheckTrace[] = [], descriptionHolds = true): Computed => ({
    outcome,
    message,
    at: where,
    checks,
    descriptionHolds,
  });
  if (rule.recordedOnly) return result('not-applicable', `no duty of its own: ${rule.recordedOnly}`);
  if (rule.appliesWhen) {
    const { anyTransposed, orFact } = rule.appliesWhen;
    const fact = orFact ? entry?.facts[orFact]?.value : undefined;
    const factSays = fact === true || (Array.isArray(fact) && fact.length > 0);
    if (!factSays && !anyTransposed.some((key) => isTransposedOn(set.provisions.get(key), date))) {
      const unknown = anyTransposed.filter((key) => !set.provisions.has(key) || set.provisions.get(key)!.status.value === 'not-assessed');
      const condition = `applies where ${anyTransposed.join(', ')} is transposed${orFact ? ` or ${orFact} is recorded` : ''}`;
      return unknown.length
        ? result('not-assessed', `${condition}; ${unknown.join(', ')} not assessed`)
        : result('not-applicable', `${condition}, and none is`);
    }
  }
  // What the whole description settles (2(b) by the recorded age of consent) needs no entry, whatever it says.
  if (readsWholeSet(rule, ruleset)) {
    const context: CheckContext = { rule, entry, inForce: [], set, ruleset, date, provisionFactsHold: true };
    const checks = rule.checks.map((check) => runCheck(check, context));
    const failed = checks.find((c) => c.status === 'fail');
    if (failed) return result('not-conform', failed.message, failed.at ?? at, checks);
    if (checks.every((c) => c.status === 'pass')) return result('conform', checks.map((c) => c.message).join('; '), checks[0]!.at ?? at, checks);
    if (!entry || entry.status.value === 'not-assessed') {
      const gaps = checks.filter((c) => c.status === 'missing').map((c) => c.message);
      return result('not-assessed', `not assessed: ${gaps.join('; ')}`, entry?.status.at ?? at, checks);
    }
  }
  if (!entry || entry.status.value === 'not-assessed') {
    return result('not-assessed', entry ? 'recorded as not assessed' : 'no description is recorded for this provision (not assessed)', entry?.status.at ?? at);
  }
  if (entry.status.value === 'not-transposed') {
    return result(optional ? 'not-applicable' : 'not-transposed', optional ? 'optional provision not taken up' : 'recorded as not transposed', entry.status.at);
  }
  const inForce = entry.national.filter((ref) => isInForce(ref, date));
  const described = date === set.asOf ? inForce : entry.national.filter((ref) => isInForce(ref, set.asOf));
  const descriptionHolds = date === set.asOf || sameReferences(inForce, described);
  // National provisions of the description that are not in force on the evaluation date, with none in
  // their place: what the law was then is not described, so it is not assessed (never "not transposed").
  const lost = described.filter((ref) => !inForce.includes(ref));
  if (lost.length && inForce.every((ref) => described.includes(ref))) {
    const later = date > set.asOf;
    const refs = lost.map((ref) => `${referenceLabel(set, ref)} ${later ? `expired on ${ref.inForceUntil}` : `in force from ${ref.inForceFrom}`}`);
    const successor = later ? ' with no successor recorded' : ', with no earlier provision recorded';
    return result('not-assessed', `${refs.join('; ')}${successor}; the description is as of ${set.asOf}`, entry.at, [], false);
  }
  if (inForce.length === 0) return result(optional ? 'not-applicable' : 'not-transposed', `no national provision recorded for it is in force on ${date}`);
  const context: CheckContext = { rule, entry, inForce, set, ruleset, date, provisionFactsHold: descriptionHolds };
  const checks = rule.checks.map((check) => runCheck(check, context));
  const failed = checks.filter((c) => c.status === 'fail');
  if (failed.length) return result('not-conform', failed.map((c) => c.message).join('; '), failed[0]!.at ?? entry.at, checks, descriptionHolds);
  // Partial transposition recorded by the analyst is a non-conformity, whatever facts are still missing.
  const missing = checks.filter((c) => c.status === 'missing');
  if (entry.status.value === 'partial') {
    const gaps = missing.length ? `; also: ${missing.map((c) => c.message).join('; ')}` : '';
    return result('partially-conform', `recorded as partially transposed${gaps}`, entry.status.at, checks, descriptionHolds);
  }
  if (missing.length) return result('incomplete', missing.map((c) => c.message).join('; '), missing[0]!.at ?? entry.at, checks, descriptionHolds);
  return result('conform', checks.length ? checks.map((c) => c.message).join('; ') : 'transposed', entry.at, checks, descriptionHolds);
}

/**
 * An analyst's assessment applies to the description it is written in, whatever the evaluation date,
 * unless the national provisions in force then differ (out of date) or it has expired on the day of
 * the run (review due). Its `date` only says when the judgement was made.
 */
function assessmentOn(entry: ProvisionEntry | undefined, computed: Computed, today: string): AssessmentResult | undefined {
  const assessment = entry?.assessment;
  if (!assessment) return undefined;
  let state: AssessmentState;
  if (!computed.descriptionHolds) state = 'out-of-date';
  else if (assessment.expires && today >= assessment.expires) state = 'review-due';
  else if (assessment.outcome === computed.outcome) state = 'unnecessary';
  else state = 'applied';
  const { outcome, reason, by, date: madeOn, expires, at } = assessment;
  return { outcome, reason, by, date: madeOn, expires, state, at };
}

function finish(rule: Rule, computed: Computed, assessment: AssessmentResult | undefined, national: string[], entry?: ProvisionEntry): RuleResult {
  const outcome = assessment?.state === 'applied' ? assessment.outcome : computed.outcome;
  // No duty of its own: never a finding, whatever --fail-on.
  const severity = ruleSeverity(rule, outcome, !!assessment);
  // Every field always set, in one order: one hidden class for all rule results.
  return {
    rule,
    outcome,
    computedOutcome: computed.outcome,
    severity,
    message: computed.message,
    at: computed.at,
    national,
    checks: computed.checks,
    assessment,
    status: entry?.status.value,
    notes: entry?.notes,
  };
}

/** No duty of its own: never a finding. Information and chapeaux: never more than info. Else by outcome. */
function ruleSeverity(rule: Rule, outcome: Outcome, assessed: boolean): Severity {
  if (rule.recordedOnly) return 'none';
  if (rule.informationOnly || rule.derivedFrom) return outcome === 'conform' ? 'none' : 'info';
  return severityOf(rule, outcome, assessed);
}

/** Evaluates one rule for one measure set on `date`. Pure. Derived rules (chapeaux) need the others' results: see evaluateMeasureSet. */
export function evaluateRule(rule: Rule, set: MeasureSet, ruleset: RuleSet, date: string, today: string = todayUtc()): RuleResult {
  const entry = set.provisions.get(rule.provision);
  const computed = computeOutcome(rule, set, ruleset, date);
  return finish(rule, computed, assessmentOn(entry, computed, today), nationalLabels(set, entry, date), entry);
}

/**
 * An option that exempts conduct from an offence (5(7), 5(8), 8(1)-(3)), taken up wider than the
 * Directive allows, leaves part of that offence unpunished: the offence gets a finding naming the option.
 */
function applyExemptions(results: RuleResult[]): void {
  const byProvision = new Map<string, RuleResult[]>();
  for (const r of results) (byProvision.get(r.rule.provision) ?? byProvision.set(r.rule.provision, []).get(r.rule.provision)!).push(r);
  for (const option of results) {
    if (!option.rule.exemptsFrom || option.outcome !== 'not-conform') continue;
    for (const key of option.rule.exemptsFrom) {
      for (const base of byProvision.get(key) ?? []) {
        if (base.computedOutcome === 'not-transposed' || base.computedOutcome === 'not-conform') continue;
        const trace: CheckTrace = {
          kind: 'exemption-within-limits',
          status: 'fail',
          message: `the exemption taken up under ${option.rule.provision} is wider than the Directive allows (${option.national.join(', ') || option.message})`,
          expected: `no exemption beyond ${option.rule.provision}`,
          read: [],
          at: option.at,
        };
        base.checks = [...base.checks, trace];
        base.computedOutcome = 'not-conform';
        base.message = `${trace.message}; ${base.message}`;
        if (base.assessment?.state !== 'applied') {
          base.outcome = 'not-conform';
          base.severity = severityOf(base.rule, 'not-conform', !!base.assessment);
        }
        if (base.assessment?.state === 'unnecessary' && base.assessment.outcome !== 'not-conform') base.assessment.state = 'applied';
      }
    }
  }
}

/** A chapeau ("…shall ensure that the conduct of paragraphs 2 to N is punishable"): the worst of its paragraphs. */
function deriveChapeau(rule: Rule, set: MeasureSet, results: readonly RuleResult[], date: string): RuleResult {
  const from = new Set(rule.derivedFrom);
  const parts = results.filter((r) => from.has(r.rule.provision));
  const outcome = worstOutcome(parts.map((r) => r.outcome));
  const worst = [...new Set(parts.filter((r) => r.outcome === outcome).map((r) => r.rule.provision))];
  const own = set.provisions.get(rule.provision);
  const ignored = own && own.status.value !== 'not-assessed' ? `; the entry recorded for ${rule.provision} (${own.status.value}) is not used: a chapeau follows its paragraphs` : '';
  const computed: Computed = {
    outcome,
    message: `derived from ${rule.derivedFrom!.join(', ')}: ${outcome}${outcome === 'conform' ? '' : ` for ${worst.join(', ')}`} (not counted as a finding of its own)${ignored}`,
    at: set.provisions.get(rule.provision)?.at ?? set.at,
    checks: [],
    descriptionHolds: true,
  };
  return finish(rule, computed, undefined, nationalLabels(set, set.provisions.get(rule.provision), date));
}

/**
 * Evaluates every rule of the rule set against one Member State's measure set, on the evaluation date
 * if given (the law as it stood that day) or else on the set's own `as_of`. Pure: no I/O.
 */
export function evaluateMeasureSet(ruleset: RuleSet, set: MeasureSet, { evaluationDate, today = todayUtc() }: EvaluationOptions = {}): MemberStateResult {
  const date = evaluationDate ?? set.asOf;
  const base = { memberState: set.memberState, evaluatedAt: date, declaredAsOf: set.asOf, files: set.files, procedures: set.procedures };
  // A description that postdates the date gets its notice where versions are chosen (versions.ts).
  const notices: string[] = [];
  const notBound = notBoundReason(ruleset, set.memberState, date);
  if (notBound) {
    return { ...base, provisions: [], summary: emptyCounts(), assessments: emptyAssessmentCounts(), rules: [], notBound, notices };
  }

  const results = ruleset.rules.map((rule) => (rule.derivedFrom ? undefined : evaluateRule(rule, set, ruleset, date, today)));
  applyExemptions(results.filter((r): r is RuleResult => !!r));
  const rules = ruleset.rules.map((rule, i) => results[i] ?? deriveChapeau(rule, set, results.filter((r): r is RuleResult => !!r), date));
  for (const r of rules) if (r.rule.informationOnly && r.outcome === 'conform') notices.push(`${r.rule.provision}: ${r.message}`);

  const outcomesByProvision = new Map<string, Outcome[]>();
  for (const result of rules) (outcomesByProvision.get(result.rule.provision) ?? outcomesByProvision.set(result.rule.provision, []).get(result.rule.provision)!).push(result.outcome);
  const derived = new Set(ruleset.rules.filter((r) => r.derivedFrom).map((r) => r.provision));
  const summary = emptyCounts();
  const provisions: MemberStateResult['provisions'] = [];
  for (const key of ruleset.provisions) {
    const outcome = worstOutcome(outcomesByProvision.get(key) ?? []);
    if (derived.has(key)) {
      provisions.push({ provision: key, outcome, derived: true });
      continue;
    }
    provisions.push({ provision: key, outcome });
    summary[outcome]++;
  }
  const assessments = emptyAssessmentCounts();
  // Count assessments per provision, not per rule: one judgement may cover a provision of two rules.
  const counted = new Set<string>();
  for (const result of rules) {
    if (!result.assessment || counted.has(result.rule.provision)) continue;
    counted.add(result.rule.provision);
    assessments[result.assessment.state]++;
  }
  return { ...base, provisions, summary, assessments, rules, notices };
}
