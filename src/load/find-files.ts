import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { CheckerError } from '../errors.js';

const MEASURE_FILE = /\.ya?ml$/i;

/** `-` stands for standard input. */
export const STDIN = '-';

/**
 * Expands the paths a user named into measure files: a file as it is, a directory to the `*.yaml` /
 * `*.yml` files below it (sorted, hidden folders and node_modules skipped), a glob to its matches.
 * A path that matches nothing is an error: a CI job must not pass because a path was mistyped.
 */
export async function findMeasureFiles(patterns: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const pattern of patterns) {
    if (pattern === STDIN) {
      found.push(STDIN);
      continue;
    }
    const info = await stat(pattern).catch(() => undefined);
    if (info?.isFile()) {
      found.push(pattern);
    } else if (info?.isDirectory()) {
      const files = await walk(pattern);
      if (files.length === 0) throw new CheckerError('input', `${pattern}: no *.yaml or *.yml files in this folder`);
      found.push(...files);
    } else if (/[*?[\]{}!]/.test(pattern)) {
      const { glob } = await import('tinyglobby');
      const matches = (await glob(pattern, { onlyFiles: true, expandDirectories: false })).filter((f) => MEASURE_FILE.test(f)).sort();
      if (matches.length === 0) throw new CheckerError('input', `${pattern}: no measure files match this pattern`);
      found.push(...matches);
    } else {
      throw new CheckerError('input', `${pattern}: no such file or folder`);
    }
  }
  return [...new Set(found)];
}

async function walk(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(full)));
    else if (entry.isFile() && MEASURE_FILE.test(entry.name)) files.push(full);
  }
  return files;
}
