import { CheckerError } from '../errors.js';
import type { MemberStateResult } from '../evaluate/result.js';
import { EU_MEMBER_STATES } from '../ruleset/member-states.js';
import type { ProceduresData, RealProcedure } from '../ruleset/procedures.js';
import { PROCEDURE_STAGES, type ProcedureStage, type ProcedureStep, type SourceLocation } from '../types.js';

export interface ProcedureStepView {
  stage: ProcedureStage;
  date: string;
  reference?: string;
  grounds: string[];
  /** Dated after the evaluation date, so not yet taken when the law is evaluated. */
  afterEvaluation: boolean;
  /**
   * Where the step is known from: the rule set's procedures data (`register`; `press` for steps known
   * from press reports only), or a measure file (its name).
   */
  source: { kind: 'register' | 'press' } | { kind: 'measures'; file: string };
  /** A register step whose grounds a measure file records: that file. */
  groundsFrom?: string;
}

/**
 * Infringement procedures in the review: the real ones shipped with the rule set (the register's
 * facts), with the steps the measure files record (and their grounds) added. Pure: no I/O.
 */

export const STAGE_LABELS: Record<ProcedureStage, string> = {
  'letter-of-formal-notice': 'Letter of formal notice',
  'additional-letter': 'Additional letter of formal notice',
  'reasoned-opinion': 'Reasoned opinion',
  referral: 'Referral to the Court of Justice',
  closed: 'Procedure closed',
};

/** A real procedure as a report shows it. */
export interface MergedProcedure {
  reference: string;
  subject: string;
  firstSeen: string;
  lastSeen: string;
  notListedFrom?: string;
  /** "last listed as active on 2024-04-24", or "… ; not listed since 2024-04-24". */
  listing: string;
}

export interface ProcedureOverview {
  directive: string;
  source: string;
  pressSource?: string;
  snapshots: { first: string; last: string; count: number };
  total: number;
  /** By the date of the letter of formal notice that opened them, ascending. */
  opened: { date: string; memberStates: string[] }[];
  noLongerListed: { memberState: string; reference: string; lastSeen: string; notListedFrom: string }[];
  /** Steps known from press reports only. */
  press: { date: string; stage: ProcedureStage; memberStates: string[] }[];
  /** Plain sentences, for both formats. */
  sentences: string[];
}

const protocolIndex = (code: string) => {
  const index = (EU_MEMBER_STATES as readonly string[]).indexOf(code);
  return index === -1 ? EU_MEMBER_STATES.length : index;
};
const inProtocolOrder = (codes: Iterable<string>) => [...codes].sort((a, b) => protocolIndex(a) - protocolIndex(b) || a.localeCompare(b));
const byDateAndStage = (a: { date: string; stage: ProcedureStage }, b: { date: string; stage: ProcedureStage }) =>
  a.date.localeCompare(b.date) || PROCEDURE_STAGES.indexOf(a.stage) - PROCEDURE_STAGES.indexOf(b.stage);

export function listingOf(p: Pick<RealProcedure, 'lastSeen' | 'notListedFrom'>): string {
  return `last listed as active on ${p.lastSeen}${p.notListedFrom ? `; not listed since ${p.notListedFrom}` : ''}`;
}

/**
 * A recorded reference that differs from the Member State's real procedure(s) is an input error: the
 * report would otherwise show two numbers for one case. Every conflict is reported, each at its reference.
 */
export function checkRecordedReferences(
  results: readonly MemberStateResult[],
  data: ProceduresData | undefined,
  referenceAt: ((step: ProcedureStep) => SourceLocation | undefined) | undefined,
): void {
  if (!data) return;
  const problems = new Set<string>();
  for (const result of results) {
    const real = data.procedures.filter((p) => p.memberState === result.memberState).map((p) => p.reference);
    if (real.length === 0) continue;
    for (const step of result.procedures) {
      if (step.reference === undefined || real.includes(step.reference)) continue;
      const at = referenceAt?.(step) ?? step.at;
      problems.add(
        `${at.file}:${at.line}:${at.column}: procedure reference ${step.reference} differs from ${result.memberState}'s procedure ${real.join(', ')} ` +
          `in the rule set's data (${data.file}); correct the reference or leave it out`,
      );
    }
  }
  if (problems.size) throw new CheckerError('input', [...problems].join('\n'));
}

/** The Member State's steps: the real procedure's, then the measure files' (grounds added to a real step of the same stage and date). */
export function mergeProcedure(result: MemberStateResult, data: ProceduresData | undefined): { steps: ProcedureStepView[]; real: MergedProcedure[] } {
  const afterEvaluation = (date: string) => date > result.evaluatedAt;
  const realProcedures = (data?.procedures ?? []).filter((p) => p.memberState === result.memberState);
  const steps: ProcedureStepView[] = realProcedures.flatMap((p) =>
    p.steps.map((s): ProcedureStepView => ({
      stage: s.stage,
      date: s.date,
      reference: p.reference,
      grounds: [],
      afterEvaluation: afterEvaluation(s.date),
      source: { kind: s.press ? 'press' : 'register' },
    })),
  );
  for (const recorded of result.procedures) {
    const same = steps.find((s) => s.source.kind !== 'measures' && s.stage === recorded.stage && s.date === recorded.date);
    if (same) {
      same.grounds = [...new Set([...same.grounds, ...recorded.grounds])];
      same.groundsFrom = recorded.at.file;
      continue;
    }
    steps.push({
      stage: recorded.stage,
      date: recorded.date,
      reference: recorded.reference,
      grounds: [...recorded.grounds],
      afterEvaluation: afterEvaluation(recorded.date),
      source: { kind: 'measures', file: recorded.at.file },
    });
  }
  steps.sort(byDateAndStage);
  const real = realProcedures.map((p) => ({
    reference: p.reference,
    subject: p.subject,
    firstSeen: p.firstSeen,
    lastSeen: p.lastSeen,
    ...(p.notListedFrom ? { notListedFrom: p.notListedFrom } : {}),
    listing: listingOf(p),
  }));
  return { steps, real };
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The EU picture of the real procedures, computed from the data: when they were opened, which are no longer listed. */
export function procedureOverview(data: ProceduresData): ProcedureOverview {
  const opened = new Map<string, string[]>();
  const press = new Map<string, { date: string; stage: ProcedureStage; memberStates: string[] }>();
  for (const p of data.procedures) {
    const letter = p.steps.find((s) => s.stage === 'letter-of-formal-notice') ?? p.steps[0]!;
    (opened.get(letter.date) ?? opened.set(letter.date, []).get(letter.date)!).push(p.memberState);
    for (const s of p.steps.filter((step) => step.press)) {
      const key = `${s.date}\0${s.stage}`;
      (press.get(key) ?? press.set(key, { date: s.date, stage: s.stage, memberStates: [] }).get(key)!).memberStates.push(p.memberState);
    }
  }
  const openedList = [...opened].sort(([a], [b]) => a.localeCompare(b)).map(([date, codes]) => ({ date, memberStates: inProtocolOrder(codes) }));
  const pressList = [...press.values()].sort(byDateAndStage).map((s) => ({ ...s, memberStates: inProtocolOrder(s.memberStates) }));
  const noLongerListed = data.procedures
    .filter((p): p is RealProcedure & { notListedFrom: string } => p.notListedFrom !== undefined)
    .map((p) => ({ memberState: p.memberState, reference: p.reference, lastSeen: p.lastSeen, notListedFrom: p.notListedFrom }))
    .sort((a, b) => a.notListedFrom.localeCompare(b.notListedFrom) || protocolIndex(a.memberState) - protocolIndex(b.memberState));

  const { first, last, count: snapshots } = data.snapshots;
  const sentences = [
    `The rule set's data lists ${count(data.procedures.length, 'infringement procedure', 'infringement procedures')} for Directive ${data.directive} ` +
      `(source: ${data.source}; ${snapshots} register snapshots from ${first} to ${last}).`,
  ];
  if (openedList.length) {
    sentences.push(`Opened by a letter of formal notice: ${openedList.map((o) => `${o.memberStates.length} on ${o.date} (${o.memberStates.join(', ')})`).join('; ')}.`);
  }
  sentences.push(
    noLongerListed.length
      ? `No longer listed as active: ${noLongerListed.length} — ${noLongerListed.map((p) => `${p.memberState} ${p.reference} (last listed ${p.lastSeen}, not listed since ${p.notListedFrom})`).join('; ')}. ` +
          'The register lists active cases only and does not say why a case left it; it was probably closed.'
      : `Every procedure was still listed as active in the last snapshot (${last}).`,
  );
  if (pressList.length) {
    sentences.push(
      `Known from press reports only, not from the register: ${pressList.map((s) => `${STAGE_LABELS[s.stage].toLowerCase()} of ${s.date} (${s.memberStates.join(', ')})`).join('; ')}` +
        `${data.pressSource ? ` (source: ${data.pressSource})` : ''}.`,
    );
  }
  return {
    directive: data.directive,
    source: data.source,
    ...(data.pressSource ? { pressSource: data.pressSource } : {}),
    snapshots: data.snapshots,
    total: data.procedures.length,
    opened: openedList,
    noLongerListed,
    press: pressList,
    sentences,
  };
}

/** Where a step is known from, in words. */
export function stepSource(step: Pick<ProcedureStepView, 'source' | 'groundsFrom'>): string {
  const from = step.source.kind === 'measures' ? `measure file ${step.source.file}` : step.source.kind === 'press' ? 'press report only (not in the register)' : "Commission's register";
  return step.groundsFrom ? `${from}; grounds from ${step.groundsFrom}` : from;
}

/** "Real procedure INFR(2019)2190 (incorrect implementation …): last listed as active on 2023-01-11; not listed since 2024-04-24." */
export function realProcedureLine(state: { code: string }, p: MergedProcedure): string {
  return `${state.code}: procedure ${p.reference} (${p.subject}), from the rule set's procedures data: ${p.listing}.`;
}
