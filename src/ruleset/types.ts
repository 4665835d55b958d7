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
export type Check = MinMaxPenaltyCheck | FactEqualsCheck | FactCompareCheck | FactPresentCheck | InForceByCheck | SourcesCiteDirectiveCheck;

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
  /** The rule applies only where at least one of these provisions is transposed. */
  appliesWhen?: { anyTransposed: string[] };
  /** Where the rule is defined. */
  at: SourceLocation;
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
    default:
      return undefined;
  }
}
