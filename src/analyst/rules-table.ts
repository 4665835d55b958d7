import { CheckerError } from '../errors.js';
import { terminalSafe } from '../formats/terminal-safe.js';
import { displayWidth, renderTable, wrapText } from '../formats/text-layout.js';
import { didYouMean } from '../ruleset/provision.js';
import { factOfCheck, type Check, type FactDefinition, type FactType, type Rule, type RuleSet } from '../ruleset/types.js';

/**
 * The rule set in plain words: the `rules` table (text, JSON, Markdown), and the descriptions of
 * checks and facts that `explain` and `init` share with it.
 */

export type RulesFormat = 'text' | 'json' | 'markdown';
export const RULES_FORMATS: readonly RulesFormat[] = ['text', 'json', 'markdown'];

export { describeCheck, FACT_TYPE_WORDS, orList, penaltyWords, thresholdOf, thresholdsOf } from '../ruleset/check-words.js';
import { describeCheck, thresholdsOf } from '../ruleset/check-words.js';

export interface FactUse {
  name: string;
  /** `read`: a check reads it; `optional`: recorded for the analyst only. */
  use: 'read' | 'optional';
  type: FactType | 'date' | 'boolean';
  scope: FactDefinition['scope'] | 'national-reference' | 'source';
  title: string;
  description: string;
  unit?: string;
}

/** The facts a rule reads (checks first), then those an analyst may record without a check reading them. */
export function factsOf(rule: Rule, ruleset: RuleSet): FactUse[] {
  const uses: FactUse[] = [];
  const seen = new Set<string>();
  const add = (name: string, use: FactUse['use']) => {
    const fact = ruleset.facts.get(name);
    if (!fact || seen.has(name)) return;
    seen.add(name);
    uses.push({ name, use, type: fact.type, scope: fact.scope, title: fact.title, description: fact.description, unit: fact.unit });
  };
  for (const check of rule.checks) {
    const fact = factOfCheck(check);
    if (fact) add(fact, 'read');
    else if (check.kind === 'in-force-by' && !seen.has('in_force_from')) {
      seen.add('in_force_from');
      uses.push({ name: 'in_force_from', use: 'read', type: 'date', scope: 'national-reference', title: 'In force from', description: 'First day a national provision applies, on each national reference.' });
    } else if (check.kind === 'sources-cite-directive' && !seen.has('references_directive')) {
      seen.add('references_directive');
      uses.push({ name: 'references_directive', use: 'read', type: 'boolean', scope: 'source', title: 'Refers to the Directive', description: 'Whether a national act cites the Directive, on each entry under sources.' });
    }
  }
  for (const name of rule.facts) add(name, 'optional');
  return uses;
}

/** A rule as the JSON of `rules` and `explain` gives it. */
export function ruleJson(rule: Rule, ruleset: RuleSet) {
  return {
    id: rule.id,
    provision: rule.provision,
    obligation: rule.obligation,
    article: rule.article,
    article_title: rule.articleTitle,
    topic: rule.topic,
    modality: rule.modality,
    requirement: rule.requirement,
    thresholds: thresholdsOf(rule),
    checks: rule.checks.map((check) => ({ ...checkOptions(check), description: describeCheck(check, ruleset) })),
    facts: factsOf(rule, ruleset),
    applies_when: rule.appliesWhen ? { any_transposed: rule.appliesWhen.anyTransposed, or_fact: rule.appliesWhen.orFact ?? null } : null,
    url: rule.url,
  };
}

/** A check's options as rule files write them (snake_case). */
function checkOptions(check: Check): { kind: Check['kind'] } & Record<string, unknown> {
  if (check.kind !== 'min-max-penalty') return { ...check };
  const options: { kind: Check['kind'] } & Record<string, unknown> = { kind: check.kind };
  if (check.years !== undefined) options.years = check.years;
  if (check.belowConsent !== undefined) options.below_consent = check.belowConsent;
  if (check.aboveConsent !== undefined) options.above_consent = check.aboveConsent;
  return options;
}

/** The rules of one topic (every rule without one); an unknown topic is a usage error listing the topics. */
export function selectRules(ruleset: RuleSet, topic?: string): Rule[] {
  if (topic === undefined) return ruleset.rules;
  const topics = [...new Set(ruleset.rules.map((r) => r.topic))].sort();
  if (!topics.includes(topic)) {
    throw new CheckerError('usage', `--topic ${topic}: no rule has this topic${didYouMean(topic, topics)}\ntopics: ${topics.join(', ')}`);
  }
  return ruleset.rules.filter((r) => r.topic === topic);
}

export const HEAD = ['Rule', 'Provision', 'Article', 'Topic', 'Modality', 'Thresholds'];
const NO_THRESHOLD = '—';
export const NO_THRESHOLD_NOTE = `${NO_THRESHOLD}: no threshold; a national measure in force is what the rule checks.`;

export function rows(rules: readonly Rule[]): string[][] {
  return rules.map((r) => {
    const thresholds = thresholdsOf(r);
    return [r.id, r.provision, `Art. ${r.article} — ${r.articleTitle}`, r.topic, r.modality, thresholds.length ? thresholds.join('; ') : NO_THRESHOLD];
  });
}

export function caption(ruleset: RuleSet, rules: readonly Rule[], topic?: string): string {
  const scope = topic ? `${rules.length} of ${ruleset.rules.length} rules, topic ${topic}` : `${rules.length} rules`;
  return `Rule set ${ruleset.id} ${ruleset.version} (Directive ${ruleset.directive}): ${scope}.`;
}

/** The table's column widths at `columns`, or undefined when it would not fit. */
function tableWidths(body: readonly string[][], columns: number): number[] | undefined {
  const longest = (i: number) => Math.max(displayWidth(HEAD[i]!), ...body.map((row) => displayWidth(row[i]!)));
  const caps = [60, 10, 0, 29, 16, 0];
  const widths = caps.map((cap, i) => Math.min(cap, longest(i)));
  const rest = columns - widths.reduce((a, b) => a + b, 0) - (3 * HEAD.length + 1);
  if (rest < 50) return undefined;
  widths[2] = Math.max(20, Math.min(longest(2), Math.floor(rest * 0.45)));
  widths[5] = Math.min(longest(5), rest - widths[2]);
  return widths;
}

/**
 * Text for a terminal or a log, rule-set text made terminal-safe: a table where it fits `columns`,
 * else one block per rule (`PROVISION  modality  topic  id`, then the article and thresholds).
 */
export function rulesText(ruleset: RuleSet, rules: readonly Rule[], columns = 80, topic?: string): string {
  const body = rows(rules).map((row) => row.map(terminalSafe));
  const width = Math.max(columns, 40);
  const widths = tableWidths(body, width);
  const wrap = (text: string, indent = '') => wrapText(text, width, { indent });
  let listing: string[];
  if (widths) {
    listing = [renderTable(HEAD.map((head, i) => ({ head, width: widths[i]! })), body.map((row) => row.map((cell) => ({ lines: [cell] }))))];
  } else {
    const provisionWidth = Math.max(...body.map((row) => row[1]!.length));
    const modalityWidth = Math.max(...body.map((row) => row[4]!.length));
    listing = body.flatMap(([id, provision, article, topicName, modality, thresholds]) => [
      ...wrap(`${provision!.padEnd(provisionWidth)}  ${modality!.padEnd(modalityWidth)}  ${topicName}  ${id}`, '    '),
      ...wrap(`    ${article}`, '      '),
      ...(thresholds === NO_THRESHOLD ? [] : wrap(`    ${thresholds}`, '      ')),
    ]);
  }
  const note = widths ? wrap(NO_THRESHOLD_NOTE) : wrap('Rules without a threshold list none: a national measure in force is what they check.');
  return `${[...wrap(terminalSafe(caption(ruleset, rules, topic))), ...listing, ...note].join('\n')}\n`;
}

export function rulesJson(ruleset: RuleSet, rules: readonly Rule[]): string {
  return `${JSON.stringify(rules.map((rule) => ruleJson(rule, ruleset)), null, 2)}\n`;
}

/** The `rules` listing as text or JSON (Markdown: rules-markdown.ts, loaded only for that format). */
export function renderRules(ruleset: RuleSet, options: { format: Exclude<RulesFormat, 'markdown'>; topic?: string; columns?: number }): string {
  const rules = selectRules(ruleset, options.topic);
  switch (options.format) {
    case 'json':
      return rulesJson(ruleset, rules);
    default:
      return rulesText(ruleset, rules, options.columns, options.topic);
  }
}
