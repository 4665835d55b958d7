import { fs } from '../node-fs.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CheckerError } from '../errors.js';
import { dataFileNames, hashRuleFiles, knownHash, reviveRuleSet } from './snapshot.js';
import type { RuleSet } from './types.js';

/** The built-in rule set: Directive 2011/93/EU. */
export const DEFAULT_RULESET_DIR = fileURLToPath(new URL('../../rules/2011-93-eu/', import.meta.url));

/** Where the build puts the built-in rule set, checked and serialised, and its compiled validator. */
export const GENERATED_DIR = fileURLToPath(new URL('../generated/', import.meta.url));

const METADATA_FILE = 'ruleset.yaml';

/** The rule files of a rule-set folder, in name order (the order they are hashed in). */
function ruleFileNames(dir: string): string[] {
  let names: string[];
  try {
    // Synchronous, like the reads below: a handful of small files, read much quicker so at start-up.
    names = fs.readdirSync(dir).filter((n) => /\.ya?ml$/i.test(n)).sort();
  } catch {
    throw new CheckerError('ruleset', `${dir}: cannot read the rule-set folder`);
  }
  if (!names.includes(METADATA_FILE)) throw new CheckerError('ruleset', `${path.join(dir, METADATA_FILE)}: missing (every rule set needs one)`);
  return names;
}

/**
 * Reads and checks a rule-set folder. Any problem in any file is a CheckerError listing every
 * problem with FILE:LINE:COLUMN: a broken rule is never silently skipped.
 */
export async function loadRuleSet(dir: string = DEFAULT_RULESET_DIR): Promise<RuleSet> {
  return loadRuleSetWith(dir, path.resolve(dir) === path.resolve(DEFAULT_RULESET_DIR) ? path.join(GENERATED_DIR, 'ruleset.json') : undefined);
}

/** loadRuleSet, with the snapshot to try (if any) named: exported for tests. */
export async function loadRuleSetWith(dir: string, snapshotFile: string | undefined): Promise<RuleSet> {
  // Data files (real procedures) are part of the rule set's identity: a report names exactly what it used.
  const names = [...ruleFileNames(dir), ...dataFileNames(dir)];
  const files = names.map((name) => path.join(dir, name));
  const root = realFolder(dir);
  const texts = names.map((name, i) => ({ name, file: files[i]!, text: readRuleFile(root, files[i]!) }));
  // The built-in rules, unchanged since the build, have the snapshot's hash: no need to work it out.
  const companion = snapshotFile === undefined ? undefined : readSnapshot(snapshotFile.replace(/\.json$/, '-files.txt'));
  const hash = knownHash(companion, texts) ?? hashRuleFiles(texts);
  // Long-lived callers (tests, editors) load the same rules again and again; unchanged files give the same rule set.
  const key = `${dir}\0${hash}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const snapshot = snapshotFile === undefined ? undefined : readSnapshot(snapshotFile);
  const revived = snapshot === undefined ? undefined : reviveRuleSet(snapshot, hash, dir, files);
  const ruleset = revived ?? (await import('./build-ruleset.js')).buildRuleSet(texts);
  cache.set(key, ruleset);
  return ruleset;
}

/** The rule-set folder's real path (links resolved), which every rule file must stay inside. */
function realFolder(dir: string): string {
  try {
    return fs.realpathSync.native(dir);
  } catch (error) {
    throw new CheckerError('ruleset', `${dir}: cannot read the rule-set folder (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** Largest rule file read: the built-in ones are under 100 KB. */
const MAX_RULE_FILE = 5 * 1024 * 1024;

/**
 * One rule file, which must be a regular file inside the rule-set folder (a link is followed only
 * while it stays inside). A FIFO, device or folder is refused before reading: a FIFO would hang.
 */
function readRuleFile(root: string, file: string): string {
  let real: string;
  let fd: number;
  try {
    // The system's realpath: Node's own walks the path in JavaScript, a few ms of every start-up.
    real = fs.realpathSync.native(file);
    if (!real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) {
      throw new CheckerError('ruleset', `${file}: a link to a place outside the rule-set folder (not read)`);
    }
    // Non-blocking: opening a FIFO would otherwise wait for a writer.
    fd = fs.openSync(real, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (error) {
    if (error instanceof CheckerError) throw error;
    throw new CheckerError('ruleset', `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const info = fs.fstatSync(fd);
    if (!info.isFile()) throw new CheckerError('ruleset', `${file}: not a regular file (a rule file must be one)`);
    if (info.size > MAX_RULE_FILE) throw new CheckerError('ruleset', `${file}: ${info.size} bytes, too large for a rule file`);
    return fs.readFileSync(fd, 'utf8');
  } finally {
    fs.closeSync(fd);
  }
}

function readSnapshot(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const cache = new Map<string, RuleSet>();
