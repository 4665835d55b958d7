import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { Rule, RuleSet } from './types.js';

/** SHA-256 over a rule set's files (name and text, in name order): its identity in reports and snapshots. */
export function hashRuleFiles(texts: readonly { name: string; text: string }[]): string {
  const hash = createHash('sha256');
  for (const { name, text } of texts) hash.update(`${name}\0${text}\0`);
  return hash.digest('hex');
}

/** Folder of a rule set's data files (real procedures): hashed with the rules, never parsed as rules. */
export const DATA_FOLDER = 'data';

/** `data/*.yaml` of a rule-set folder, as names relative to it, sorted; none when there is no such folder. */
export function dataFileNames(dir: string): string[] {
  try {
    return readdirSync(path.join(dir, DATA_FOLDER)).filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => `${DATA_FOLDER}/${n}`);
  } catch {
    return [];
  }
}

export interface Snapshot {
  /** The SHA-256 of the rule files the snapshot was made from (hashRuleFiles). */
  hash: string;
  ruleset: Omit<RuleSet, 'facts' | 'rulesByProvision' | 'files'> & { facts: [string, unknown][] };
}

/**
 * The built-in rule set, loaded and checked once at build time, so that a run that uses it needs no
 * YAML parsing and no schema compilation for its own rules. Paths are stored relative to the folder.
 */
export function serializeRuleSet(ruleset: RuleSet, dir: string): string {
  const { facts, rulesByProvision: _, files: __, ...rest } = ruleset;
  const rules = rest.rules.map((rule) => ({ ...rule, at: { ...rule.at, file: path.relative(dir, rule.at.file) } }));
  const snapshot: Snapshot = { hash: ruleset.hash, ruleset: { ...rest, rules, facts: [...facts] } };
  return JSON.stringify(snapshot);
}

/** The rule set of a snapshot, when it was made from files with exactly this hash; else undefined. */
export function reviveRuleSet(json: string, hash: string, dir: string, files: string[]): RuleSet | undefined {
  const snapshot = JSON.parse(json) as Snapshot;
  if (snapshot.hash !== hash) return undefined;
  // Each file joined once, not once per rule: path.join is slow while cold, and start-up is all cold.
  const joined = new Map<string, string>();
  const fileOf = (relative: string) => joined.get(relative) ?? joined.set(relative, path.join(dir, relative)).get(relative)!;
  const rules: Rule[] = snapshot.ruleset.rules.map((rule) => ({ ...rule, at: { ...rule.at, file: fileOf(rule.at.file) } }));
  const rulesByProvision = new Map<string, Rule[]>();
  for (const rule of rules) {
    const list = rulesByProvision.get(rule.provision);
    if (list) list.push(rule);
    else rulesByProvision.set(rule.provision, [rule]);
  }
  return { ...snapshot.ruleset, rules, rulesByProvision, facts: new Map(snapshot.ruleset.facts) as RuleSet['facts'], files };
}
