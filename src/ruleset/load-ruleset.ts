import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckerError } from '../errors.js';
import { hashRuleFiles, reviveRuleSet } from './snapshot.js';
import type { RuleSet } from './types.js';

/** The built-in rule set: Directive 2011/93/EU. */
export const DEFAULT_RULESET_DIR = fileURLToPath(new URL('../../rules/2011-93-eu/', import.meta.url));

const METADATA_FILE = 'ruleset.yaml';

/**
 * Reads and checks a rule-set folder. Any problem in any file is a CheckerError listing every
 * problem with FILE:LINE:COLUMN: a broken rule is never silently skipped.
 */
export async function loadRuleSet(dir: string = DEFAULT_RULESET_DIR): Promise<RuleSet> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch {
    throw new CheckerError('ruleset', `${dir}: cannot read the rule-set folder`);
  }
  if (!names.includes(METADATA_FILE)) throw new CheckerError('ruleset', `${path.join(dir, METADATA_FILE)}: missing (every rule set needs one)`);
  const texts = await Promise.all(names.map(async (name) => ({ name, file: path.join(dir, name), text: await readFile(path.join(dir, name), 'utf8') })));
  // Long-lived callers (tests, editors) load the same rules again and again; unchanged files give the same rule set.
  const hash = hashRuleFiles(texts);
  const key = `${dir}\0${hash}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const ruleset = (await fromSnapshot(dir, hash, texts.map((t) => t.file))) ?? (await import('./build-ruleset.js')).buildRuleSet(texts);
  cache.set(key, ruleset);
  return ruleset;
}

/** Where the build puts the built-in rule set, checked and serialised, and its compiled validator. */
export const GENERATED_DIR = fileURLToPath(new URL('../generated/', import.meta.url));

async function fromSnapshot(dir: string, hash: string, files: string[]): Promise<RuleSet | undefined> {
  if (path.resolve(dir) !== path.resolve(DEFAULT_RULESET_DIR)) return undefined;
  const json = await readFile(path.join(GENERATED_DIR, 'ruleset.json'), 'utf8').catch(() => undefined);
  return json === undefined ? undefined : reviveRuleSet(json, hash, dir, files);
}

const cache = new Map<string, RuleSet>();


