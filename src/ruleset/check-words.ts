import type { AgeGroupWords, Check, FactType, Rule, RuleSet } from './types.js';

/**
 * Checks and facts in plain words: what national law must show for a check to pass, in a sentence
 * (for `rules`, `explain`, `init` and SARIF help) or in a table cell. Kept with the rule set, below
 * every stage that prints them.
 */

const years = (n: number) => `${n} year${n === 1 ? '' : 's'}`;
const show = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** What a fact's values look like, in plain words. */
export const FACT_TYPE_WORDS: Record<FactType, string> = {
  boolean: 'true or false',
  age: 'whole years, 0 to 99',
  years: 'a number of years, 0 to 100',
  'years-or-unlimited': 'a number of years, or unlimited',
  'penalty-years': 'a number of years or life; or { below_consent, above_consent }',
  date: 'a date, YYYY-MM-DD',
  text: 'text',
  'text-list': 'a list of texts',
};

function factUnit(ruleset: RuleSet, fact: string): string {
  const unit = ruleset.facts.get(fact)?.unit;
  return unit ? ` ${unit}` : '';
}

/** The Directive's figures of a penalty check, in plain words; the age groups named as the rule set words them. */
export function penaltyWords(check: Extract<Check, { kind: 'min-max-penalty' }>, groups: AgeGroupWords = DEFAULT_GROUPS): string {
  if (check.years !== undefined) return `at least ${years(check.years)}, whatever the child's age`;
  const parts: string[] = [];
  if (check.belowConsent !== undefined) parts.push(`at least ${years(check.belowConsent)} for a ${groups.belowConsent}`);
  if (check.aboveConsent !== undefined) parts.push(`at least ${years(check.aboveConsent)} for a ${groups.aboveConsent}`);
  return parts.join(', and ');
}

const DEFAULT_GROUPS: AgeGroupWords = { belowConsent: 'below_consent', aboveConsent: 'above_consent' };

/** One check, in a sentence: what national law must show for it to pass. */
export function describeCheck(check: Check, ruleset: RuleSet): string {
  switch (check.kind) {
    case 'min-max-penalty':
      return `the national maximum term of imprisonment (max_penalty_years) must be ${penaltyWords(check, ruleset.ageGroups)}`;
    case 'fact-equals':
      return `${check.fact} must be ${show(check.value)}`;
    case 'fact-at-least':
    case 'fact-greater-than': {
      const relation = check.kind === 'fact-at-least' ? 'at least' : 'more than';
      const unlimited = ruleset.facts.get(check.fact)?.type === 'years-or-unlimited' ? ' (unlimited passes)' : '';
      return `${check.fact} must be ${relation} ${check.value}${factUnit(ruleset, check.fact)}${unlimited}`;
    }
    case 'fact-present':
      return `${check.fact} must be recorded${ruleset.facts.get(check.fact)?.scope === 'member-state' ? ' (at the top of the measure file)' : ''}`;
    case 'in-force-by':
      return `a national provision cited for it must be in force by ${check.date} (in_force_from on or before that date)`;
    case 'sources-cite-directive':
      return 'every act adopted to transpose the Directive (adopted_to_transpose: true under sources) must refer to it (references_directive: true)';
    case 'analyst-judgement':
      return `an analyst must assess ${check.question} (an assessment decides the outcome; without one it is incomplete)`;
    case 'transposition-complete-by':
      return `information: the date transposition was complete (the latest first in_force_from over the mandatory provisions), compared with ${check.date}; never a finding`;
  }
}

/** One check, in a table cell: `max penalty ≥ 5 years`, `child_age_limit ≥ 18`. */
export function thresholdOf(check: Check): string {
  switch (check.kind) {
    case 'min-max-penalty': {
      if (check.years !== undefined) return `max penalty ≥ ${years(check.years)}`;
      const parts: string[] = [];
      if (check.belowConsent !== undefined) parts.push(`≥ ${years(check.belowConsent)} below consent`);
      if (check.aboveConsent !== undefined) parts.push(`≥ ${years(check.aboveConsent)} above consent`);
      return `max penalty ${parts.join(', ')}`;
    }
    case 'fact-equals':
      return `${check.fact} = ${show(check.value)}`;
    case 'fact-at-least':
      return `${check.fact} ≥ ${check.value}`;
    case 'fact-greater-than':
      return `${check.fact} > ${check.value}`;
    case 'fact-present':
      return `${check.fact} recorded`;
    case 'in-force-by':
      return `in force by ${check.date}`;
    case 'sources-cite-directive':
      return 'transposing acts refer to the Directive';
    case 'analyst-judgement':
      return 'assessed by an analyst';
    case 'transposition-complete-by':
      return `complete by ${check.date} (information)`;
  }
}

/** `17(2)(a), 17(2)(b) or 17(2)(c)`. */
export function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`;
}

/** Every condition of a rule, short; empty when a national measure is all it asks. */
export function thresholdsOf(rule: Rule): string[] {
  const list = rule.checks.map(thresholdOf);
  if (rule.appliesWhen) {
    const orFact = rule.appliesWhen.orFact ? ` or ${rule.appliesWhen.orFact} is recorded` : '';
    list.push(`applies only if ${orList(rule.appliesWhen.anyTransposed)} is transposed${orFact}`);
  }
  return list;
}

