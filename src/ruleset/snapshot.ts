import { fs } from '../node-fs.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Rule, RuleSet } from './types.js';

/** What a rule set's hash is taken over: its files' names and texts, in name order. */
export function hashedText(texts: readonly { name: string; text: string }[]): string {
  return texts.map(({ name, text }) => `${name}\0${text}\0`).join('');
}

/** SHA-256 over a rule set's files (hashedText): its identity in reports and snapshots. */
export function hashRuleFiles(texts: readonly { name: string; text: string }[]): string {
  // Loaded only when a hash must be worked out: node:crypto is a tenth of `rules`' and `explain`'s start-up.
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(hashedText(texts)).digest('hex');
}

/**
 * The snapshot's companion file: its hash on the first line, then the text it was taken over. Files
 * identical to that text have that hash, known without working it out.
 */
export function snapshotFilesText(ruleset: RuleSet, texts: readonly { name: string; text: string }[]): string {
  return `${ruleset.hash}\n${hashedText(texts)}`;
}

/** The hash of `texts` when they are exactly those a companion file records; else undefined. */
export function knownHash(companion: string | undefined, texts: readonly { name: string; text: string }[]): string | undefined {
  if (companion === undefined) return undefined;
  const newline = companion.indexOf('\n');
  return newline === 64 && companion.slice(newline + 1) === hashedText(texts) ? companion.slice(0, newline) : undefined;
}

/** Folder of a rule set's data files (real procedures): hashed with the rules, never parsed as rules. */
export const DATA_FOLDER = 'data';

/** `data/*.yaml` of a rule-set folder, as names relative to it, sorted; none when there is no such folder. */
export function dataFileNames(dir: string): string[] {
  try {
    return fs.readdirSync(path.join(dir, DATA_FOLDER)).filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => `${DATA_FOLDER}/${n}`);
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
