import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { CheckerError } from '../errors.js';
import { parseYaml, locate, type ParsedYaml } from '../load/parse-yaml.js';
import { createAjv, validateParsed } from '../validate/ajv.js';
import type { Diagnostic, Modality, SourceLocation } from '../types.js';
import { articleOf, isCanonicalProvisionKey } from './provision.js';
import { compareProvisionKeys } from './order.js';
import { DATA_FOLDER, dataFileNames, hashRuleFiles } from './snapshot.js';
import { factOfCheck, type Check, type FactDefinition, type FactType, type Rule, type RuleSet } from './types.js';
import rulesetSchema from './ruleset.schema.json' with { type: 'json' };
import ruleFileSchema from './rule-file.schema.json' with { type: 'json' };

export const METADATA_FILE = 'ruleset.yaml';

interface RawFact {
  type: FactType;
  scope?: 'provision' | 'member-state';
  title: string;
  description: string;
  unit?: string;
}
interface RawMetadata {
  id: string;
  version: string;
  directive: string;
  title: string;
  celex?: string;
  eli?: string;
  adopted?: string;
  transposition_deadline?: string;
  official_text?: string;
  article_url: string;
  facts: Record<string, RawFact>;
  addressees?: Record<string, { bound: boolean; from?: string; until?: string; reason: string; former_member_state?: boolean }>;
  priority_areas?: { id: string; title: string; articles: string[]; description: string; source: string }[];
  age_groups?: { below_consent: string; above_consent: string };
  procedures?: string;
  topics?: Record<string, string>;
}
type RawCheck = { kind: Check['kind']; years?: number; below_consent?: number; above_consent?: number; fact?: string; value?: unknown; date?: string; question?: string; settled_by?: { fact: string; value: boolean | string | number } };
interface RawRule {
  id: string;
  provision: string;
  obligation?: string;
  article_title: string;
  topic: string;
  modality: Modality;
  requirement: string;
  url?: string;
  facts?: string[];
  applies_when?: { any_transposed: string[]; or_fact?: string };
  derived_from?: string[];
  recorded_only?: string;
  information_only?: boolean;
  exempts_from?: string[];
  checks?: RawCheck[];
}

/** Which fact types each check can compare. */
const CHECK_FACT_TYPES: Partial<Record<Check['kind'], FactType[]>> = {
  'min-max-penalty': ['penalty-years'],
  'fact-at-least': ['age', 'years', 'years-or-unlimited'],
  'fact-greater-than': ['age', 'years', 'years-or-unlimited'],
};

function toCheck(raw: RawCheck): Check {
  switch (raw.kind) {
    case 'min-max-penalty':
      return { kind: raw.kind, years: raw.years, belowConsent: raw.below_consent, aboveConsent: raw.above_consent };
    case 'fact-equals':
      return { kind: raw.kind, fact: raw.fact!, value: raw.value as boolean | string };
    case 'fact-at-least':
    case 'fact-greater-than':
      return { kind: raw.kind, fact: raw.fact!, value: raw.value as number };
    case 'fact-present':
      return { kind: raw.kind, fact: raw.fact! };
    case 'in-force-by':
      return { kind: raw.kind, date: raw.date! };
    case 'sources-cite-directive':
      return { kind: raw.kind };
    case 'analyst-judgement':
      return { kind: raw.kind, question: raw.question!.trim(), settledBy: raw.settled_by };
    case 'transposition-complete-by':
      return { kind: raw.kind, date: raw.date! };
  }
}

function formatDiagnostics(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n');
}

/** Reads and builds a rule set without snapshots or caches (for the build step that makes the snapshot). */
export async function buildRuleSetFromDir(dir: string): Promise<RuleSet> {
  const names = [...(await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort(), ...dataFileNames(dir)];
  return buildRuleSet(await Promise.all(names.map(async (name) => ({ name, file: path.join(dir, name), text: await readFile(path.join(dir, name), 'utf8') }))));
}

/** Builds a rule set from file texts already read; exported so that tests can feed broken rule files. */
export function buildRuleSet(texts: readonly { name: string; file: string; text: string }[]): RuleSet {
  const ajv = createAjv();
  const validateMetadata = ajv.compile(rulesetSchema);
  const validateRuleFile = ajv.compile(ruleFileSchema);
  const diagnostics: Diagnostic[] = [];
  let metadata: RawMetadata | undefined;
  const ruleFiles: { parsed: ParsedYaml; rules: RawRule[] }[] = [];

  for (const { name, file, text } of texts) {
    if (name.startsWith(`${DATA_FOLDER}/`)) continue;
    const parsed = parseYaml(file, text);
    if (parsed.diagnostics.length) {
      diagnostics.push(...parsed.diagnostics);
      continue;
    }
    const isMetadata = name === METADATA_FILE;
    const problems = validateParsed(isMetadata ? validateMetadata : validateRuleFile, parsed);
    if (problems.length) {
      diagnostics.push(...problems);
      continue;
    }
    if (isMetadata) metadata = parsed.data as RawMetadata;
    else ruleFiles.push({ parsed, rules: (parsed.data as { rules: RawRule[] }).rules });
  }
  if (!metadata) {
    throw new CheckerError('ruleset', formatDiagnostics(diagnostics) || 'the rule set has no valid ruleset.yaml');
  }

  const facts = new Map<string, FactDefinition>();
  for (const [name, raw] of Object.entries(metadata.facts)) {
    facts.set(name, { name, type: raw.type, scope: raw.scope ?? 'provision', title: raw.title, description: raw.description, unit: raw.unit });
  }

  const rules: Rule[] = [];
  const ids = new Map<string, SourceLocation>();
  const obligations = new Map<string, SourceLocation>();
  for (const { parsed, rules: rawRules } of ruleFiles) {
    rawRules.forEach((raw, index) => {
      const pointer = `/rules/${index}`;
      const at = locate(parsed.positions, pointer)!;
      const problem = (field: string, message: string) => {
        const where = locate(parsed.positions, `${pointer}/${field}`) ?? at;
        diagnostics.push({ ...where, code: 'ruleset', message: `rule ${raw.id}: ${message}` });
      };
      const previous = ids.get(raw.id);
      if (previous) problem('id', `the id is already used at ${previous.file}:${previous.line}`);
      ids.set(raw.id, at);
      if (!isCanonicalProvisionKey(raw.provision)) problem('provision', `"${raw.provision}" is not a canonical provision key such as 3(4) or 20(3)(b)`);
      const obligation = raw.obligation ?? raw.provision;
      const earlier = obligations.get(obligation);
      if (earlier) problem('provision', `obligation ${obligation} is already covered at ${earlier.file}:${earlier.line}; give each rule of a shared provision its own "obligation"`);
      obligations.set(obligation, at);

      const checks = (raw.checks ?? []).map(toCheck);
      const readFacts: string[] = [];
      checks.forEach((check, checkIndex) => {
        const fact = factOfCheck(check);
        if (!fact) return;
        const definition = facts.get(fact);
        const field = `checks/${checkIndex}`;
        if (!definition) return problem(field, `the check reads fact "${fact}", which ruleset.yaml does not declare`);
        const allowed = CHECK_FACT_TYPES[check.kind];
        if (allowed && !allowed.includes(definition.type)) problem(field, `a ${check.kind} check cannot compare fact "${fact}" of type ${definition.type}`);
        if (check.kind === 'fact-equals' && (definition.type === 'boolean') !== (typeof check.value === 'boolean')) {
          problem(field, `fact "${fact}" is of type ${definition.type}, which cannot equal ${JSON.stringify(check.value)}`);
        }
        if (definition.scope === 'provision' && !readFacts.includes(fact)) readFacts.push(fact);
      });
      for (const fact of raw.facts ?? []) {
        const definition = facts.get(fact);
        if (!definition) problem('facts', `fact "${fact}" is not declared in ruleset.yaml`);
        else if (definition.scope === 'member-state') problem('facts', `fact "${fact}" is recorded for the Member State, not per provision`);
        else if (!readFacts.includes(fact)) readFacts.push(fact);
      }
      const article = articleOf(raw.provision);
      rules.push({
        id: raw.id,
        provision: raw.provision,
        obligation,
        article,
        articleTitle: raw.article_title,
        topic: raw.topic,
        modality: raw.modality,
        requirement: raw.requirement.trim(),
        url: raw.url ?? metadata!.article_url.replace('{article}', article),
        facts: readFacts,
        checks,
        appliesWhen: raw.applies_when ? { anyTransposed: raw.applies_when.any_transposed, orFact: raw.applies_when.or_fact } : undefined,
        derivedFrom: raw.derived_from,
        recordedOnly: raw.recorded_only?.trim(),
        informationOnly: raw.information_only || undefined,
        exemptsFrom: raw.exempts_from,
        at,
      });
    });
  }

  const known = new Set(rules.map((r) => r.provision));
  for (const rule of rules) {
    const named: [string, readonly string[]][] = [
      ['applies_when', rule.appliesWhen?.anyTransposed ?? []],
      ['derived_from', rule.derivedFrom ?? []],
      ['exempts_from', rule.exemptsFrom ?? []],
    ];
    for (const [field, keys] of named) {
      for (const key of keys) {
        if (!known.has(key)) diagnostics.push({ ...rule.at, code: 'ruleset', message: `rule ${rule.id}: ${field} names ${key}, which no rule covers` });
      }
    }
    if (rule.derivedFrom?.includes(rule.provision)) diagnostics.push({ ...rule.at, code: 'ruleset', message: `rule ${rule.id}: derived_from names its own provision` });
    const orFact = rule.appliesWhen?.orFact;
    if (orFact && !rule.facts.includes(orFact)) {
      diagnostics.push({ ...rule.at, code: 'ruleset', message: `rule ${rule.id}: applies_when.or_fact "${orFact}" must be listed in the rule's facts` });
    }
  }
  if (diagnostics.length) throw new CheckerError('ruleset', formatDiagnostics(diagnostics));
  if (rules.length === 0) throw new CheckerError('ruleset', `${texts[0]?.file ?? 'rule set'}: the rule set has no rules`);

  rules.sort((a, b) => compareProvisionKeys(a.provision, b.provision));
  const rulesByProvision = new Map<string, Rule[]>();
  for (const rule of rules) {
    const list = rulesByProvision.get(rule.provision);
    if (list) list.push(rule);
    else rulesByProvision.set(rule.provision, [rule]);
  }
  return {
    id: metadata.id,
    version: metadata.version,
    directive: metadata.directive,
    title: metadata.title.trim(),
    celex: metadata.celex,
    eli: metadata.eli,
    adopted: metadata.adopted,
    transpositionDeadline: metadata.transposition_deadline,
    officialText: metadata.official_text,
    addressees: Object.entries(metadata.addressees ?? {}).map(([memberState, a]) => ({ memberState, bound: a.bound, from: a.from, until: a.until, reason: a.reason.trim() })),
    formerMemberStates: Object.entries(metadata.addressees ?? {}).filter(([, a]) => a.former_member_state).map(([code]) => code),
    priorityAreas: (metadata.priority_areas ?? []).map((a) => ({ ...a, description: a.description.trim() })),
    // Without words of its own, a rule set names the groups by their keys: no directive's wording is inherited.
    ageGroups: metadata.age_groups
      ? { belowConsent: metadata.age_groups.below_consent, aboveConsent: metadata.age_groups.above_consent }
      : { belowConsent: 'below_consent', aboveConsent: 'above_consent' },
    proceduresFile: metadata.procedures,
    topics: metadata.topics ?? {},
    facts,
    rules,
    provisions: [...rulesByProvision.keys()],
    rulesByProvision,
    hash: hashRuleFiles(texts),
    files: texts.map((t) => t.file),
  };
}
