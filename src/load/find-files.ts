import type { Dirent, Stats } from 'node:fs';
import { fs } from '../node-fs.js';
import path from 'node:path';
import { CheckerError } from '../errors.js';
import type { Diagnostic } from '../types.js';
import { globMatcher, isGlob, splitGlob } from './glob-pattern.js';

const MEASURE_FILE = /\.ya?ml$/i;

/** `-` stands for standard input. */
export const STDIN = '-';

/** One input to read: named on the command line (`explicit`), or found in a folder or by a glob. */
export interface FoundInput {
  name: string;
  explicit: boolean;
}

export interface FoundInputs {
  files: FoundInput[];
  /** Paths that could not be searched or are refused (links leading outside, unreadable folders). */
  diagnostics: Diagnostic[];
  /** Real paths of the files found: one file reached twice is read once. */
  seen: Set<string>;
}

export interface FindOptions {
  /** Glob patterns of files and folders to leave out (matched against the path, and a bare name against each name). */
  exclude?: readonly string[];
}

/** A matcher for `--exclude` patterns: a pattern without `/` matches any one name on the path. */
export function excluder(patterns: readonly string[] = []): (file: string) => boolean {
  if (patterns.length === 0) return () => false;
  const matchers = patterns.map((p) => ({ bare: !p.replace(/\/+$/, '').includes('/'), match: globMatcher(p.replace(/^\.\//, '').replace(/\/+$/, '')) }));
  return (file) => {
    const relative = path.relative(process.cwd(), path.resolve(file)).split(path.sep).join('/');
    const names = relative.split('/');
    return matchers.some(({ bare, match }) => match(relative) || (bare && names.some((n) => match(n))));
  };
}

const problem = (file: string, message: string, code = 'input'): Diagnostic => ({ file, line: 1, column: 1, code, message });
const reason = (error: unknown) => (error as NodeJS.ErrnoException).code ?? 'error';

/**
 * Expands the paths a user named into measure files: a file as it is, a folder to the `*.yaml` /
 * `*.yml` files below it (sorted, hidden folders and node_modules skipped), a glob to its matches,
 * searched the same way. Links inside a searched folder are followed when they stay inside it (a
 * glob: inside its fixed leading folders), each folder once; a link leading outside is refused and
 * never read. A path that matches nothing is an error: a CI job must not pass because a path was
 * mistyped. A folder or file that cannot be searched is a diagnostic for that path, not an abort.
 */
export async function findInputs(patterns: readonly string[], options: FindOptions = {}): Promise<FoundInputs> {
  const found: FoundInputs = { files: [], diagnostics: [], seen: new Set() };
  const excluded = excluder(options.exclude);
  for (const pattern of patterns) {
    if (pattern === STDIN) {
      if (!found.files.some((f) => f.name === STDIN)) found.files.push({ name: STDIN, explicit: true });
      continue;
    }
    let info: Stats | undefined;
    try {
      info = fs.statSync(pattern);
    } catch (error) {
      const code = reason(error);
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && !isGlob(pattern)) {
        found.diagnostics.push(problem(pattern, `cannot read (${code})`));
        continue;
      }
    }
    if (info?.isDirectory()) {
      const before = found.diagnostics.length;
      const root = fs.realpathSync(pattern);
      // Files found before (the folder named twice) count: only a folder with no measure file at all is an error.
      if (walk(pattern, root, root, pattern, Infinity, () => true, excluded, found) === 0 && found.diagnostics.length === before) {
        throw new CheckerError('input', `${pattern}: no *.yaml or *.yml files in this folder`);
      }
    } else if (info) {
      if (excluded(pattern)) continue;
      if (!info.isFile()) {
        found.diagnostics.push(problem(pattern, 'not a regular file or folder (not read)'));
        continue;
      }
      const real = fs.realpathSync(pattern);
      if (!found.seen.has(real)) {
        found.seen.add(real);
        found.files.push({ name: pattern, explicit: true });
      }
    } else if (isGlob(pattern)) {
      const { base, rest } = splitGlob(pattern);
      const match = globMatcher(rest);
      let root: string | undefined;
      try {
        if (fs.statSync(base).isDirectory()) root = fs.realpathSync(base);
      } catch {
        // no such base: no match
      }
      const depth = rest.includes('**') ? Infinity : rest.split('/').length - 1;
      const display = base === '.' && !pattern.startsWith('./') ? '' : base;
      const matched = root ? walk(display, root, root, base, depth, (relative) => match(relative), excluded, found) : 0;
      if (matched === 0) throw new CheckerError('input', `${pattern}: no measure files match this pattern`);
    } else {
      throw new CheckerError('input', `${pattern}: no such file or folder`);
    }
  }
  // A folder named twice refuses the same link twice: say it once.
  const said = new Set<string>();
  found.diagnostics = found.diagnostics.filter((d) => !said.has(`${d.file}\0${d.message}`) && Boolean(said.add(`${d.file}\0${d.message}`)));
  return found;
}

/**
 * The old entry point: the measure files `patterns` name, a search problem thrown as an error. Used
 * by commands that read their inputs whole (explain, report).
 */
export async function findMeasureFiles(patterns: readonly string[]): Promise<string[]> {
  const found = await findInputs(patterns);
  const first = found.diagnostics[0];
  if (first) throw new CheckerError('input', `${first.file}: ${first.message}`);
  return found.files.map((f) => f.name);
}

const byName = (a: Dirent<Buffer>, b: Dirent<Buffer>) => Buffer.compare(a.name, b.name);
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Collects the measure files under `directory` (shown as `display`, really at `real`): links are
 * followed while they stay inside `root`, each real folder is searched once (a link loop ends
 * there), and `accept` sees each file's path relative to the search's start. Returns how many
 * files matched, those found before included.
 */
function walk(
  display: string,
  real: string,
  root: string,
  rootName: string,
  depth: number,
  accept: (relative: string) => boolean,
  excluded: (file: string) => boolean,
  found: FoundInputs,
  relative = '',
  visited = new Set<string>([real]),
): number {
  let matched = 0;
  let entries: Dirent<Buffer>[];
  try {
    entries = fs.readdirSync(display || '.', { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    found.diagnostics.push(problem(display || '.', `cannot read this folder (${reason(error)})`));
    return 0;
  }
  entries.sort(byName);
  for (const entry of entries) {
    let name: string;
    try {
      name = utf8.decode(entry.name);
    } catch {
      const shown = path.join(display, new TextDecoder().decode(entry.name));
      if (entry.isDirectory() || MEASURE_FILE.test(entry.name.toString('latin1'))) found.diagnostics.push(problem(shown, 'the name is not valid UTF-8 (not read)'));
      continue;
    }
    if (name.startsWith('.') || name === 'node_modules') continue;
    const full = display ? path.join(display, name) : name;
    const rel = relative ? `${relative}/${name}` : name;
    if (excluded(full)) continue;
    let kind: 'folder' | 'file' | 'other';
    let target = path.join(real, name);
    if (entry.isSymbolicLink()) {
      let info: Stats;
      try {
        target = fs.realpathSync(full);
        info = fs.statSync(target);
      } catch (error) {
        if (MEASURE_FILE.test(name)) found.diagnostics.push(problem(full, `a link that leads nowhere (${reason(error)})`));
        continue;
      }
      if (target !== root && !target.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) {
        if (info.isDirectory() || MEASURE_FILE.test(name)) {
          found.diagnostics.push(problem(full, `a link to a place outside ${rootName} (not read)`, 'link-outside'));
        }
        continue;
      }
      kind = info.isDirectory() ? 'folder' : info.isFile() ? 'file' : 'other';
    } else kind = entry.isDirectory() ? 'folder' : entry.isFile() ? 'file' : 'other';

    if (kind === 'folder') {
      if (depth <= 0 || visited.has(target)) continue;
      visited.add(target);
      matched += walk(full, target, root, rootName, depth - 1, accept, excluded, found, rel, visited);
    } else if (MEASURE_FILE.test(name) && accept(rel)) {
      if (kind === 'other') found.diagnostics.push(problem(full, 'not a regular file (not read)'));
      else {
        matched++;
        if (!found.seen.has(target)) {
          found.seen.add(target);
          found.files.push({ name: full, explicit: false });
        }
      }
    }
  }
  return matched;
}

/**
 * The measure files beside the named files (`--complete-sets`): every `*.yaml`/`*.yml` regular file in
 * their folders (not below), not already found, nor excluded, nor reached through a link.
 */
export function siblingFiles(named: readonly FoundInput[], found: FoundInputs, exclude?: readonly string[]): string[] {
  const excluded = excluder(exclude);
  const folders = [...new Set(named.filter((f) => f.explicit && f.name !== STDIN).map((f) => path.dirname(f.name)))];
  const siblings: string[] = [];
  for (const folder of folders) {
    let entries: Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      continue; // the named files were read from it; a folder that cannot be listed adds nothing
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (!entry.isFile() || entry.name.startsWith('.') || !MEASURE_FILE.test(entry.name)) continue;
      const full = path.join(folder, entry.name);
      const real = path.join(fs.realpathSync(folder), entry.name);
      if (found.seen.has(real) || excluded(full)) continue;
      found.seen.add(real);
      siblings.push(full);
    }
  }
  return siblings;
}
