import type { CheckResult } from '../check-types.js';
import { CheckerError } from '../errors.js';
import { emptyAssessmentCounts, emptyCounts, type AssessmentResult, type AssessmentState, type MemberStateResult, type OutcomeCounts } from '../evaluate/result.js';
import { DISCLAIMER } from '../formats/context.js';
import { didYouMean, normaliseProvisionKey } from '../ruleset/provision.js';
import { EU_MEMBER_STATES } from '../ruleset/member-states.js';
import type { ProceduresData } from '../ruleset/procedures.js';
import type { PriorityArea, RuleSet } from '../ruleset/types.js';
import { postdatesNotice, versionsOn } from '../evaluate/versions.js';
import { checkRecordedReferences, mergeProcedure, procedureOverview, STAGE_LABELS, type MergedProcedure, type ProcedureOverview, type ProcedureStepView } from './procedures.js';
export { realProcedureLine, stepSource, type ProcedureStepView } from './procedures.js';
import { isInformationMissing, isNonConformity, OUTCOME_CODES, OUTCOMES, type Diagnostic, type Modality, type InputFile, type Outcome, type ProcedureStep, type SourceLocation } from '../types.js';

/**
 * The infringement-review model: everything the HTML and Markdown reports show, computed once from
 * check results and free of presentation. Pure: no I/O, no clock.
 */

/** Letter codes shown in the matrix, always next to a colour. */
export { OUTCOME_CODES };

export const OUTCOME_LABELS: Record<Outcome, string> = {
  conform: 'conform',
  'partially-conform': 'partially conform',
  'not-conform': 'not conform',
  'not-transposed': 'not transposed',
  incomplete: 'incomplete (a fact is missing)',
  'not-assessed': 'not assessed (not yet researched)',
  'not-applicable': 'not applicable (optional, not taken up)',
};

/** Outcomes that make a provision a ground of complaint in this report: NT + NC + PC. Missing information never is. */
export const NOT_CONFORM: readonly Outcome[] = OUTCOMES.filter(isNonConformity);
export const isNotConform = isNonConformity;

export { STAGE_LABELS };

const MEMBER_STATE_NAMES: Record<string, string> = {
  BE: 'Belgium', BG: 'Bulgaria', CZ: 'Czechia', DK: 'Denmark', DE: 'Germany', EE: 'Estonia', IE: 'Ireland',
  EL: 'Greece', ES: 'Spain', FR: 'France', HR: 'Croatia', IT: 'Italy', CY: 'Cyprus', LV: 'Latvia',
  LT: 'Lithuania', LU: 'Luxembourg', HU: 'Hungary', MT: 'Malta', NL: 'Netherlands', AT: 'Austria', PL: 'Poland',
  PT: 'Portugal', RO: 'Romania', SI: 'Slovenia', SK: 'Slovakia', FI: 'Finland', SE: 'Sweden',
};

export interface ReviewFilter {
  memberStates?: readonly string[];
  topics?: readonly string[];
  provisions?: readonly string[];
}

export interface ReviewProvision {
  key: string;
  article: string;
  articleTitle: string;
  topic: string;
  modality: Modality;
  /** The requirement of each rule of the provision (25(1) has two). */
  requirements: string[];
  /** The official text of the article (http(s) only is ever linked). */
  url: string;
  /**
   * A chapeau (3(1), 4(1), 5(1)) whose outcome is the worst of these paragraphs: shown in the matrix,
   * never counted nor listed as a ground, so no non-conformity is counted twice.
   */
  derivedFrom?: string[];
}

export interface ReviewTopic {
  id: string;
  title: string;
  /** "Arts 3–6, 8". */
  articles: string;
  provisions: string[];
  /** The rule set's priority area this topic has provisions in, if any. */
  group?: string;
}

export interface GroundRule {
  ruleId: string;
  obligation: string;
  outcome: Outcome;
  computedOutcome: Outcome;
  message: string;
  national: string[];
  at: SourceLocation;
  assessment?: AssessmentResult;
}

/** A provision of one Member State: a ground where it is not conform, or one an assessment touches. */
export interface Ground {
  provision: string;
  outcome: Outcome;
  rules: GroundRule[];
}


export interface GroundStatus {
  provision: string;
  outcome: Outcome;
}

/** Which grounds of the latest step are still open on the evaluation date. */
export interface ProcedureFollowUp {
  step: ProcedureStepView;
  /** False when the latest step names no grounds and an earlier one is followed up instead. */
  isLatest: boolean;
  open: GroundStatus[];
  conform: GroundStatus[];
  /** Grounds whose outcome is `incomplete` or `not-assessed`: information missing, neither open nor closed. */
  informationMissing: GroundStatus[];
  /** Grounds on optional provisions not taken up. */
  notApplicable: GroundStatus[];
  /** Grounds outside the selected provisions or topics, not shown. */
  outsideSelection: number;
}

export interface TimelinePoint {
  date: string;
  /** The `as_of` of the version evaluated on that date. */
  version: string;
  counts: OutcomeCounts;
  notConform: number;
  /** Lines the reader must see for that date (e.g. the description postdates it). */
  notices: string[];
  /** The Member State was not bound on that date. */
  notBound?: string;
}

export interface ReviewMemberState {
  code: string;
  name: string;
  evaluatedAt: string;
  declaredAsOf: string;
  files: string[];
  /** Other versions (their `as_of`) found in the input and not shown. */
  otherVersions: string[];
  outcomes: Map<string, Outcome>;
  /** Provisions whose outcome an analyst's assessment decides, with the outcome the checks alone give. */
  assessedOutcome: Map<string, Outcome>;
  counts: OutcomeCounts;
  /** NT + NC + PC. */
  notConform: number;
  /** `incomplete` + `not-assessed`: counted apart, never grounds. */
  informationMissing: number;
  /**
   * Set when the Directive does not bind the Member State on the evaluation date: the reason. Such a
   * Member State has no outcomes; reports show one line instead.
   */
  notBound?: string;
  /** Lines a reader must see to read the outcomes right. */
  notices: string[];
  assessments: Record<AssessmentState, number>;
  /** Provisions not conform, in Directive order. */
  grounds: Ground[];
  /** Conform or not-applicable provisions an assessment touches (assessments are never hidden). */
  assessed: Ground[];
  /** Every step: the real procedure's (rule-set data) and those the measure files record, by date. */
  procedure: ProcedureStepView[];
  /** The real procedures the rule set's data lists for this Member State (usually one; none without data). */
  realProcedures: MergedProcedure[];
  followUp?: ProcedureFollowUp;
  timeline?: TimelinePoint[];
}

export interface ProvisionTotal {
  provision: string;
  /** A chapeau derived from its paragraphs: all its counts stay 0. */
  derived?: boolean;
  counts: OutcomeCounts;
  notConform: number;
  /** Member States not conform on it, by code. */
  memberStates: string[];
}

/** A generated summary over a set of provisions (a topic or a priority area). */
export interface AreaSummary {
  id: string;
  title: string;
  articles: string;
  provisions: string[];
  /** Outcomes over every (Member State, provision) cell. */
  cells: OutcomeCounts;
  /** For each outcome, the Member States with at least one provision of the area in it. */
  memberStatesWith: Record<Outcome, string[]>;
  /** Member States conform on every provision of the area that applies to them (none incomplete or not assessed). */
  allConform: string[];
  /** Up to three provisions with most Member States not conform (none when all are conform). */
  worst: { provision: string; notConform: number }[];
  /** Plain sentences, for both formats. */
  sentences: string[];
  group?: string;
}

export interface ReviewModel {
  title: string;
  tool: { name: string; version: string };
  ruleset: CheckResult['ruleset'];
  /** The `--as-of` date, or undefined when each version is evaluated at its own `as_of`. */
  evaluationDate?: string;
  /** "2024-06-30", or a description of the dates. */
  dateLabel: string;
  filter: { memberStates: string[]; topics: string[]; provisions: string[] };
  inputs: InputFile[];
  diagnostics: Diagnostic[];
  disclaimer: string;
  provisions: ReviewProvision[];
  provisionByKey: Map<string, ReviewProvision>;
  topics: ReviewTopic[];
  memberStates: ReviewMemberState[];
  provisionTotals: Map<string, ProvisionTotal>;
  /** Every cell of the matrix, per outcome. */
  totals: OutcomeCounts;
  topicSummaries: AreaSummary[];
  /** The rule set's priority areas (none when it declares none), each with its declaration. */
  priorityAreas: (AreaSummary & { area: PriorityArea })[];
  /** Real procedures over the EU, from the rule set's data; absent when it ships none. */
  procedureOverview?: ProcedureOverview;
  /** Provisions with most Member States not conform, up to ten. */
  mostFrequentGrounds: { provision: string; notConform: number; memberStates: string[] }[];
  timeline?: { dates: string[]; eu: OutcomeCounts[] };
}

export interface ReviewInput {
  /** The main evaluation (at `--as-of`, or at each version's own date). */
  result: CheckResult;
  ruleset: RuleSet;
  filter?: ReviewFilter;
  /** One evaluation per `--timeline` date, ascending. */
  timeline?: { date: string; result: CheckResult }[];
  /** Real procedures shipped with the rule set (src/ruleset/procedures.ts loadProcedures). */
  procedures?: ProceduresData;
  /** Where a measure file's procedure reference stands (for a conflict error); default: where its step stands. */
  referenceAt?: (step: ProcedureStep) => SourceLocation | undefined;
}

// ---------------------------------------------------------------------------------------------

export function memberStateName(code: string): string {
  return MEMBER_STATE_NAMES[code] ?? code;
}

/** "victim-protection-proceedings" → "Victim protection proceedings". */
export function topicTitle(topic: string): string {
  const words = topic.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** How an assessment stands on the review date, in words: "applied", "expired on 2023-12-31: not applied". */
export function assessmentStanding(a: AssessmentResult): string {
  return {
    applied: 'applied',
    unnecessary: 'unnecessary: equals the computed outcome',
    'review-due': `review due: expired${a.expires ? ` on ${a.expires}` : ''}, not applied`,
    'out-of-date': 'not applied: the law in force differs from that of its description',
  }[a.state];
}

/** "Art. 3(4)". */
export function provisionLabel(key: string): string {
  return `Art. ${key}`;
}

/** Article numbers as ranges: [3,4,5,6,8] → "Arts 3–6, 8"; [22] → "Art. 22". */
export function articleRanges(articles: Iterable<string>): string {
  const numbers = [...new Set([...articles].map(Number).filter(Number.isInteger))].sort((a, b) => a - b);
  if (numbers.length === 0) return '';
  const runs: string[] = [];
  let start = numbers[0]!;
  let previous = start;
  for (const n of [...numbers.slice(1), Number.NaN]) {
    if (n === previous + 1) {
      previous = n;
      continue;
    }
    runs.push(start === previous ? String(start) : `${start}–${previous}`);
    start = n;
    previous = n;
  }
  return numbers.length === 1 ? `Art. ${runs[0]}` : `Arts ${runs.join(', ')}`;
}

function choices(values: readonly string[]): string {
  return values.join(', ');
}

/** Topics of a rule set in Directive order (the order of their first rule). */
export function topicsOf(ruleset: RuleSet): string[] {
  return [...new Set(ruleset.rules.map((r) => r.topic))];
}

/** Checks the filter against the rule set and the Member States present; a wrong value is a usage error naming the valid ones. */
/** The filters a report was made with, in words ("Member States DE, FR", "topics offences"), one per filter used. */
export function selectionWords(filter: ReviewModel['filter']): string[] {
  return [
    filter.memberStates.length ? `Member States ${filter.memberStates.join(', ')}` : '',
    filter.topics.length ? `topics ${filter.topics.join(', ')}` : '',
    filter.provisions.length ? `provisions ${filter.provisions.join(', ')}` : '',
  ].filter(Boolean);
}

export function resolveFilter(filter: ReviewFilter, ruleset: RuleSet, memberStatesPresent: readonly string[]): ReviewModel['filter'] {
  const topics = topicsOf(ruleset);
  const problems: string[] = [];
  const memberStates = (filter.memberStates ?? []).map((m) => m.trim().toUpperCase()).filter(Boolean);
  for (const code of memberStates) {
    if (!memberStatesPresent.includes(code)) {
      const hint = code === 'GR' ? ' (the EU code for Greece is EL)' : '';
      problems.push(`--member-state ${code}: not among the Member States evaluated${hint}; choose from ${choices(memberStatesPresent) || '(none)'}`);
    }
  }
  const topicList = (filter.topics ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean);
  for (const topic of topicList) {
    if (!topics.includes(topic)) problems.push(`--topic ${topic}: unknown topic${didYouMean(topic, topics)}; choose from ${choices(topics)}`);
  }
  const provisions: string[] = [];
  for (const raw of filter.provisions ?? []) {
    if (!raw.trim()) continue;
    const key = normaliseProvisionKey(raw);
    if (key && ruleset.provisions.includes(key)) provisions.push(key);
    else problems.push(`--provision ${raw.trim()}: unknown provision${didYouMean(key ?? raw.trim(), ruleset.provisions)}; choose from ${choices(ruleset.provisions)}`);
  }
  if (problems.length) throw new CheckerError('usage', problems.join('\n'));
  return { memberStates: [...new Set(memberStates)], topics: [...new Set(topicList)], provisions: [...new Set(provisions)] };
}

const protocolIndex = (code: string) => {
  const index = (EU_MEMBER_STATES as readonly string[]).indexOf(code);
  return index === -1 ? EU_MEMBER_STATES.length : index;
};
const byProtocolOrder = (a: string, b: string) => protocolIndex(a) - protocolIndex(b) || a.localeCompare(b);

/**
 * One version per Member State. A folder may hold a Member State's history: on `date`, the latest
 * version declared on or before it, else the earliest, flagged `postdates` (versionsOn); without a
 * date, the latest.
 */
export function selectVersions(results: readonly MemberStateResult[], date?: string): { chosen: MemberStateResult; others: string[]; postdates: boolean }[] {
  const latest = '9999-12-31';
  return versionsOn(results, date ?? latest, (r) => r.declaredAsOf)
    .sort((x, y) => byProtocolOrder(x.version.memberState, y.version.memberState))
    .map(({ version, postdates }) => ({
      chosen: version,
      postdates,
      others: results.filter((r) => r.memberState === version.memberState && r !== version).map((r) => r.declaredAsOf).sort(),
    }));
}

/** The result's notices, and the postdates notice when its version was chosen as the earliest. */
function noticesOf(result: MemberStateResult, postdates: boolean): string[] {
  const notice = postdatesNotice(result.declaredAsOf, result.evaluatedAt);
  return postdates && !result.notices.includes(notice) ? [...result.notices, notice] : [...result.notices];
}

function countsOver(outcomes: Map<string, Outcome>, provisions: readonly string[]): OutcomeCounts {
  const counts = emptyCounts();
  for (const key of provisions) {
    const outcome = outcomes.get(key);
    if (outcome) counts[outcome]++;
  }
  return counts;
}

const notConformOf = (counts: OutcomeCounts) => NOT_CONFORM.reduce((sum, o) => sum + counts[o], 0);
const informationMissingOf = (counts: OutcomeCounts) => counts.incomplete + counts['not-assessed'];

function groundRules(result: MemberStateResult, key: string, onlyNotConform: boolean): GroundRule[] {
  const rules = result.rules.filter((r) => r.rule.provision === key);
  const shown = rules.filter((r) => !onlyNotConform || r.outcome !== 'conform' || r.computedOutcome !== 'conform' || r.assessment);
  return (shown.length ? shown : rules).map((r) => ({
    ruleId: r.rule.id,
    obligation: r.rule.obligation,
    outcome: r.outcome,
    computedOutcome: r.computedOutcome,
    message: r.message,
    national: r.national,
    at: r.at,
    assessment: r.assessment,
  }));
}

function followUpOf(steps: ProcedureStepView[], outcomes: Map<string, Outcome>, selected: ReadonlySet<string>): ProcedureFollowUp | undefined {
  const taken = steps.filter((s) => !s.afterEvaluation);
  const latest = taken[taken.length - 1];
  if (!latest) return undefined;
  const step = latest.grounds.length ? latest : [...taken].reverse().find((s) => s.grounds.length);
  if (!step) return undefined;
  const followUp: ProcedureFollowUp = { step, isLatest: step === latest, open: [], conform: [], informationMissing: [], notApplicable: [], outsideSelection: 0 };
  for (const provision of step.grounds) {
    const outcome = outcomes.get(provision);
    if (!selected.has(provision) || !outcome) {
      followUp.outsideSelection++;
      continue;
    }
    const status = { provision, outcome };
    if (isNotConform(outcome)) followUp.open.push(status);
    else if (outcome === 'conform') followUp.conform.push(status);
    else if (isInformationMissing(outcome)) followUp.informationMissing.push(status);
    else followUp.notApplicable.push(status);
  }
  return followUp;
}

function memberStateModel(
  result: MemberStateResult,
  others: string[],
  postdates: boolean,
  provisions: readonly string[],
  counted: readonly string[],
  procedures: ProceduresData | undefined,
): ReviewMemberState {
  const all = new Map(result.provisions.map((p) => [p.provision, p.outcome]));
  const selected = new Set(provisions);
  const outcomes = new Map<string, Outcome>();
  for (const key of provisions) {
    const outcome = all.get(key);
    if (outcome) outcomes.set(key, outcome);
  }
  const counts = countsOver(outcomes, counted);
  const assessments: Record<AssessmentState, number> = emptyAssessmentCounts();
  const grounds: Ground[] = [];
  const assessed: Ground[] = [];
  const assessedOutcome = new Map<string, Outcome>();
  for (const key of counted) {
    const outcome = outcomes.get(key);
    if (!outcome) continue;
    const assessedRule = result.rules.find((r) => r.rule.provision === key && r.assessment);
    const assessment = assessedRule?.assessment;
    if (assessment) assessments[assessment.state]++;
    if (assessment?.state === 'applied') assessedOutcome.set(key, assessedRule!.computedOutcome);
    if (isNotConform(outcome)) grounds.push({ provision: key, outcome, rules: groundRules(result, key, true) });
    else if (assessment) assessed.push({ provision: key, outcome, rules: groundRules(result, key, true).filter((r) => r.assessment) });
  }
  const merged = mergeProcedure(result, procedures);
  const procedure = merged.steps;
  return {
    code: result.memberState,
    name: memberStateName(result.memberState),
    evaluatedAt: result.evaluatedAt,
    declaredAsOf: result.declaredAsOf,
    files: result.files,
    otherVersions: others,
    outcomes,
    assessedOutcome,
    counts,
    notConform: notConformOf(counts),
    informationMissing: informationMissingOf(counts),
    ...(result.notBound !== undefined ? { notBound: result.notBound } : {}),
    notices: noticesOf(result, postdates),
    assessments,
    grounds,
    assessed,
    procedure,
    realProcedures: merged.real,
    followUp: followUpOf(procedure, all, selected),
  };
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function listCodes(codes: readonly string[]): string {
  return codes.length ? ` (${codes.join(', ')})` : '';
}

function areaSummary(
  id: string,
  title: string,
  provisions: readonly string[],
  states: readonly ReviewMemberState[],
  totals: Map<string, ProvisionTotal>,
  provisionByKey: Map<string, ReviewProvision>,
  group?: string,
): AreaSummary {
  const cells = emptyCounts();
  const memberStatesWith = Object.fromEntries(OUTCOMES.map((o) => [o, [] as string[]])) as Record<Outcome, string[]>;
  const allConform: string[] = [];
  for (const state of states) {
    const seen = new Set<Outcome>();
    for (const key of provisions) {
      const outcome = state.outcomes.get(key);
      if (!outcome) continue;
      cells[outcome]++;
      seen.add(outcome);
    }
    for (const outcome of seen) memberStatesWith[outcome].push(state.code);
    // Missing information (incomplete, not assessed) is not conformity: only C and NA count here.
    if (seen.size && [...seen].every((o) => o === 'conform' || o === 'not-applicable')) allConform.push(state.code);
  }
  const worst = provisions
    .map((provision, index) => ({ provision, notConform: totals.get(provision)?.notConform ?? 0, index }))
    .filter((p) => p.notConform > 0)
    .sort((a, b) => b.notConform - a.notConform || a.index - b.index)
    .slice(0, 3)
    .map(({ provision, notConform }) => ({ provision, notConform }));
  const articles = articleRanges(provisions.map((p) => provisionByKey.get(p)?.article ?? ''));
  const n = states.length;
  const sentences: string[] = [];
  if (n === 0 || provisions.length === 0) {
    sentences.push('Nothing to summarise: no Member State or provision is selected.');
  } else {
    sentences.push(
      `${plural(n, 'Member State', 'Member States')} × ${plural(provisions.length, 'provision', 'provisions')} (${articles}) = ${n * provisions.length} outcomes: ` +
        OUTCOMES.map((o) => `${cells[o]} ${OUTCOME_CODES[o]}`).join(', ') +
        '.',
    );
    const withOutcome = NOT_CONFORM.filter((o) => memberStatesWith[o].length).map(
      (o) => `${OUTCOME_LABELS[o].replace(/ \(.*\)$/, '')}: ${memberStatesWith[o].length}${listCodes(memberStatesWith[o])}`,
    );
    sentences.push(
      withOutcome.length
        ? `Member States with at least one provision ${withOutcome.join('; ')}.`
        : 'No Member State has a provision here that is not conform.',
    );
    sentences.push(`Conform on every provision that applies: ${allConform.length} of ${n}${listCodes(allConform)}.`);
    const missing = cells.incomplete + cells['not-assessed'];
    if (missing) {
      sentences.push(
        `Information missing (not grounds): ${plural(cells['not-assessed'], 'provision', 'provisions')} not assessed, ${cells.incomplete} incomplete, ` +
          `in ${plural(new Set([...memberStatesWith.incomplete, ...memberStatesWith['not-assessed']]).size, 'Member State', 'Member States')}.`,
      );
    }
    if (worst.length) {
      sentences.push(
        `Most frequent ${worst.length === 1 ? 'ground' : 'grounds'}: ` +
          worst.map((w) => `${provisionLabel(w.provision)} (${plural(w.notConform, 'Member State', 'Member States')} not conform)`).join(', ') +
          '.',
      );
    }
  }
  return { id, title, articles, provisions: [...provisions], cells, memberStatesWith, allConform, worst, sentences, group };
}

/** Builds the review model. Throws a usage error for a filter value that names nothing. */
export function buildReview(input: ReviewInput): ReviewModel {
  const { result, ruleset } = input;
  const versions = selectVersions(result.results, result.evaluationDate);
  const filter = resolveFilter(input.filter ?? {}, ruleset, versions.map((v) => v.chosen.memberState));

  const provisions: ReviewProvision[] = [];
  for (const key of ruleset.provisions) {
    const rules = ruleset.rulesByProvision.get(key) ?? [];
    const first = rules[0];
    if (!first) continue;
    if (filter.topics.length && !filter.topics.includes(first.topic)) continue;
    if (filter.provisions.length && !filter.provisions.includes(key)) continue;
    provisions.push({
      key,
      article: first.article,
      articleTitle: first.articleTitle,
      topic: first.topic,
      modality: first.modality,
      requirements: rules.map((r) => r.requirement),
      url: first.url,
      ...(first.derivedFrom ? { derivedFrom: first.derivedFrom } : {}),
    });
  }
  const provisionByKey = new Map(provisions.map((p) => [p.key, p]));
  const keys = provisions.map((p) => p.key);
  // Chapeaux derived from their paragraphs are shown, never counted (as in the evaluation's summary).
  const counted = provisions.filter((p) => !p.derivedFrom).map((p) => p.key);

  // A topic belongs to the first priority area naming one of its articles; a rule set without areas has none.
  const groupOf = (articles: readonly string[]) => ruleset.priorityAreas.find((area) => articles.some((a) => area.articles.includes(a)))?.id;
  const topics: ReviewTopic[] = topicsOf(ruleset)
    .map((id) => {
      const inTopic = provisions.filter((p) => p.topic === id);
      return { id, title: ruleset.topics[id] ?? topicTitle(id), articles: articleRanges(inTopic.map((p) => p.article)), provisions: inTopic.map((p) => p.key), group: groupOf(inTopic.map((p) => p.article)) };
    })
    .filter((t) => t.provisions.length > 0);

  const chosen = versions.filter((v) => !filter.memberStates.length || filter.memberStates.includes(v.chosen.memberState));
  // Every version's recorded references are checked against the real procedures, not only those shown.
  checkRecordedReferences(result.results, input.procedures, input.referenceAt);
  const memberStates = chosen.map((v) => memberStateModel(v.chosen, v.others, v.postdates, keys, counted, input.procedures));
  const bound = memberStates.filter((s) => s.notBound === undefined);

  const provisionTotals = new Map<string, ProvisionTotal>();
  const totals = emptyCounts();
  for (const key of keys) {
    const counts = emptyCounts();
    const notConformStates: string[] = [];
    if (provisionByKey.get(key)!.derivedFrom) {
      provisionTotals.set(key, { provision: key, derived: true, counts, notConform: 0, memberStates: [] });
      continue;
    }
    for (const state of memberStates) {
      const outcome = state.outcomes.get(key);
      if (!outcome) continue;
      counts[outcome]++;
      totals[outcome]++;
      if (isNotConform(outcome)) notConformStates.push(state.code);
    }
    provisionTotals.set(key, { provision: key, counts, notConform: notConformStates.length, memberStates: notConformStates });
  }

  const topicSummaries = topics.map((t) => areaSummary(t.id, t.title, t.provisions.filter((p) => !provisionByKey.get(p)!.derivedFrom), bound, provisionTotals, provisionByKey, t.group));
  const priorityAreas = ruleset.priorityAreas.flatMap((area) => {
    const inArea = provisions.filter((p) => !p.derivedFrom && area.articles.includes(p.article)).map((p) => p.key);
    return inArea.length ? [{ ...areaSummary(area.id, area.title, inArea, bound, provisionTotals, provisionByKey, area.id), area }] : [];
  });

  const mostFrequentGrounds = keys
    .map((key, index) => ({ ...provisionTotals.get(key)!, index }))
    .filter((t) => t.notConform > 0)
    .sort((a, b) => b.notConform - a.notConform || a.index - b.index)
    .slice(0, 10)
    .map((t) => ({ provision: t.provision, notConform: t.notConform, memberStates: t.memberStates }));

  let timeline: ReviewModel['timeline'];
  if (input.timeline?.length) {
    const points = [...input.timeline].sort((a, b) => a.date.localeCompare(b.date));
    const eu: OutcomeCounts[] = [];
    for (const state of memberStates) state.timeline = [];
    for (const { date, result: atDate } of points) {
      const euCounts = emptyCounts();
      // On each date, one description per Member State (versionsOn): never every version on every date.
      const byCode = new Map(selectVersions(atDate.results, date).map((v) => [v.chosen.memberState, v]));
      for (const state of memberStates) {
        const chosenOn = byCode.get(state.code);
        if (!chosenOn) continue;
        const version = chosenOn.chosen;
        const counts = countsOver(new Map(version.provisions.map((p) => [p.provision, p.outcome])), counted);
        for (const o of OUTCOMES) euCounts[o] += counts[o];
        state.timeline!.push({
          date,
          version: version.declaredAsOf,
          counts,
          notConform: notConformOf(counts),
          notices: noticesOf(version, chosenOn.postdates),
          ...(version.notBound !== undefined ? { notBound: version.notBound } : {}),
        });
      }
      eu.push(euCounts);
    }
    timeline = { dates: points.map((p) => p.date), eu };
  }

  const evaluated = new Set(memberStates.map((s) => s.evaluatedAt));
  const dateLabel = result.evaluationDate
    ? result.evaluationDate
    : evaluated.size === 1
      ? [...evaluated][0]!
      : evaluated.size === 0
        ? 'no Member State evaluated'
        : `each Member State's own as_of (${[...evaluated].sort().join(', ')})`;

  return {
    title: `Infringement review: Directive ${result.ruleset.directive}`,
    tool: result.tool,
    ruleset: result.ruleset,
    evaluationDate: result.evaluationDate,
    dateLabel,
    filter,
    inputs: result.inputs,
    diagnostics: result.diagnostics,
    disclaimer: DISCLAIMER,
    provisions,
    provisionByKey,
    topics,
    memberStates,
    provisionTotals,
    totals,
    topicSummaries,
    priorityAreas,
    ...(input.procedures ? { procedureOverview: procedureOverview(input.procedures) } : {}),
    mostFrequentGrounds,
    timeline,
  };
}

/** What became of the grounds of the step followed up: open, now conform, information missing. */
export function followUpSentence(state: Pick<ReviewMemberState, 'evaluatedAt'>, f: ProcedureFollowUp, stepLabel: string): string {
  const total = f.open.length + f.conform.length + f.informationMissing.length + f.notApplicable.length;
  const are = (n: number) => `${n} ${n === 1 ? 'is' : 'are'}`;
  return (
    `${f.isLatest ? 'Latest step' : 'Latest step naming grounds'}: ${stepLabel}. ` +
    `Of its ${total} ground${total === 1 ? '' : 's'} shown, ${are(f.open.length)} still open and ${are(f.conform.length)} now conform on ${state.evaluatedAt}` +
    (f.informationMissing.length ? `; for ${f.informationMissing.length} the information is missing (not assessed or incomplete), so whether ${f.informationMissing.length === 1 ? 'it is' : 'they are'} open cannot be said` : '') +
    (f.notApplicable.length ? `; ${f.notApplicable.length} concern optional provisions not taken up` : '') +
    (f.outsideSelection ? `; ${f.outsideSelection} outside the selected provisions are not shown` : '') +
    '.'
  );
}

/** The matrix's last column for a chapeau: "derived from 3(2)–3(6), not counted". */
export function derivedWords(from: readonly string[]): string {
  return `derived from ${from[0]}–${from[from.length - 1]}, not counted`;
}

/** "3 information missing (2 not assessed, 1 incomplete)". */
export function informationMissingPhrase(counts: OutcomeCounts): string {
  return `${counts.incomplete + counts['not-assessed']} information missing (${counts['not-assessed']} not assessed, ${counts.incomplete} incomplete)`;
}

/** A Member State's cell in the timeline's table: provisions not conform, "not bound", or "—" (no description). */
export function timelineCell(point: TimelinePoint | undefined): string {
  return point === undefined ? '—' : point.notBound !== undefined ? 'not bound' : String(point.notConform);
}

/** The one line a Member State the Directive does not bind gets: "DK: not bound by Directive 2011/93/EU (…)". */
export function notBoundLine(state: Pick<ReviewMemberState, 'code' | 'notBound'>): string {
  return `${state.code}: ${state.notBound ?? ''}`;
}

/** The information-missing outcomes, in words, for legends. */
export const INFORMATION_MISSING_LEGEND =
  '"Information missing" counts provisions incomplete (I: a fact is missing) or not assessed (NAS: not yet researched); they are never grounds of complaint.';

/** Outcomes counted as "not conform", in words, for legends. */
export const NOT_CONFORM_LEGEND = `"Not conform" counts every provision whose outcome is ${NOT_CONFORM.map((o) => `${OUTCOME_CODES[o]} (${OUTCOME_LABELS[o].replace(/ \(.*\)$/, '')})`).join(', ')}.`;
