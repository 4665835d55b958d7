import type { Modality, SourceLocation } from '../types.js';

export type FactType = 'boolean' | 'age' | 'years' | 'years-or-unlimited' | 'penalty-years' | 'date' | 'text' | 'text-list';

/** A fact a measure file may record, declared once in `ruleset.yaml`. */
export interface FactDefinition {
  name: string;
  type: FactType;
  /** `member-state`: written at the top of a measure file; `provision`: under a provision. */
  scope: 'provision' | 'member-state';
  title: string;
  description: string;
  unit?: string;
}

/** Thresholds are "a maximum term of imprisonment of at least N years". */
export interface MinMaxPenaltyCheck {
  kind: 'min-max-penalty';
  /** Applies whatever the child's age. */
  years?: number;
  belowConsent?: number;
  aboveConsent?: number;
}
export interface FactEqualsCheck {
  kind: 'fact-equals';
  fact: string;
  value: boolean | string;
}
export interface FactCompareCheck {
  kind: 'fact-at-least' | 'fact-greater-than';
  fact: string;
  value: number;
}
export interface FactPresentCheck {
  kind: 'fact-present';
  fact: string;
}
export interface InForceByCheck {
  kind: 'in-force-by';
  date: string;
}
export interface SourcesCiteDirectiveCheck {
  kind: 'sources-cite-directive';
}
/** A question only an analyst can answer (e.g. whether a period is "sufficient"): without an assessment, incomplete. */
export interface AnalystJudgementCheck {
  kind: 'analyst-judgement';
  question: string;
  /** A recorded value that settles the question without an analyst (no limitation period at all). */
  settledBy?: { fact: string; value: boolean | string | number };
}
/** When every mandatory provision was transposed, compared with a deadline: information, never a finding. */
export interface TranspositionCompleteByCheck {
  kind: 'transposition-complete-by';
  date: string;
}
export type Check =
  | MinMaxPenaltyCheck
  | FactEqualsCheck
  | FactCompareCheck
  | FactPresentCheck
  | InForceByCheck
  | SourcesCiteDirectiveCheck
  | AnalystJudgementCheck
  | TranspositionCompleteByCheck;
export type CheckKind = Check['kind'];

export interface Rule {
  /** Stable kebab-case id, unique in the rule set. */
  id: string;
  /** Canonical provision key. */
  provision: string;
  /** The inventory's obligation id; equals `provision` unless one provision holds several obligations. */
  obligation: string;
  article: string;
  articleTitle: string;
  topic: string;
  modality: Modality;
  requirement: string;
  /** Link to the article in the official text. */
  url: string;
  /** Every fact a measure file may record for this rule's provision: those the checks read first. */
  facts: string[];
  checks: Check[];
  /** The rule applies only where at least one of these provisions is transposed, or `orFact` is recorded for its provision. */
  appliesWhen?: { anyTransposed: string[]; orFact?: string };
  /** A chapeau: the worst outcome of these provisions; not counted or listed as a finding of its own. */
  derivedFrom?: string[];
  /** The provision imposes no duty of its own (why, in words): always not-applicable. */
  recordedOnly?: string;
  /** The rule reports information only: never a finding. */
  informationOnly?: boolean;
  /** An option exempting conduct from these provisions: taken up wider than allowed, they get a finding too. */
  exemptsFrom?: string[];
  /** Where the rule is defined. */
  at: SourceLocation;
}

/** Whether, and from and until when, the Directive binds a Member State; declared in `ruleset.yaml`. */
export interface Addressee {
  memberState: string;
  bound: boolean;
  /** First day bound (inclusive); none: from the Directive's adoption. */
  from?: string;
  /** Last day bound (inclusive), e.g. 2020-01-31 for the United Kingdom. */
  until?: string;
  /** Why, in words a report can print: "Protocol No 22 on the position of Denmark". */
  reason?: string;
}

/** A group of articles the Commission singles out (e.g. COM(2020) 607's areas where implementation lags). */
export interface PriorityArea {
  id: string;
  title: string;
  /** Article numbers, as strings: ["22", "23", "24"]. */
  articles: string[];
  /** One paragraph a report prints above the area. */
  description: string;
  /** The document that names the area. */
  source: string;
}

/** How findings name the child's age groups where the Directive sets two penalty figures. */
export interface AgeGroupWords {
  belowConsent: string;
  aboveConsent: string;
}

export interface RuleSet {
  id: string;
  version: string;
  directive: string;
  title: string;
  celex?: string;
  eli?: string;
  adopted?: string;
  transpositionDeadline?: string;
  officialText?: string;
  facts: Map<string, FactDefinition>;
  /**
   * Member States whose position differs from "bound since adoption": not bound (Denmark), bound until
   * a date (the United Kingdom), or bound by opting in (Ireland, recorded for the reader). Any other EU
   * Member State is bound.
   */
  addressees: Addressee[];
  /** Codes accepted as `member_state` beyond the EU-27 (e.g. UK, for dates while it was bound). */
  formerMemberStates: string[];
  priorityAreas: PriorityArea[];
  ageGroups: AgeGroupWords;
  /** Topic titles as the Directive words them, by topic id (a topic without one is titled from its id). */
  topics: Record<string, string>;
  /** Real infringement procedures shipped with the rule set, relative to its folder (`procedures` in ruleset.yaml). */
  proceduresFile?: string;
  /** Rules in Directive order. */
  rules: Rule[];
  /** Provision keys in Directive order, each once. */
  provisions: string[];
  rulesByProvision: Map<string, Rule[]>;
  /** SHA-256 over the rule set's files, so that a report names exactly the rules it applied. */
  hash: string;
  /** Files the rule set was read from. */
  files: string[];
}

/** The fact a check reads, if any. */
export function factOfCheck(check: Check): string | undefined {
  switch (check.kind) {
    case 'min-max-penalty':
      return 'max_penalty_years';
    case 'fact-equals':
    case 'fact-at-least':
    case 'fact-greater-than':
    case 'fact-present':
      return check.fact;
    case 'analyst-judgement':
      return check.settledBy?.fact;
    default:
      return undefined;
  }
}
