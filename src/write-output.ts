import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { fs } from './node-fs.js';
import { lstat, open, readlink, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { CheckerError } from './errors.js';

/** What a report may never overwrite: the files read (inputs) and everything inside the rule-set folders. */
export interface Protected {
  files: readonly string[];
  folders?: readonly string[];
}

/**
 * How a target is written. `atomic`: a regular file or a new path (for a symlink, its final target),
 * through a temporary file renamed over it. `direct`: a character device, FIFO or socket, or a path
 * under /dev or /proc (`/dev/stdout`), opened and written in place: renaming over them would replace
 * the device with a regular file.
 */
export interface PlannedOutput {
  target: string;
  mode: 'atomic' | 'direct';
  /** The file actually written: the target, or the end of its chain of symlinks. */
  file: string;
}

/** Temporary files not yet renamed: removed when a signal ends the run (see `removeTemporaryFiles`). */
const temporaries = new Set<string>();

/** Removes every temporary file of an unfinished write; synchronous, for signal handlers. */
export function removeTemporaryFiles(): void {
  for (const file of temporaries) fs.rmSync(file, { force: true });
  temporaries.clear();
}

function failure(target: string, error: unknown): CheckerError {
  if (error instanceof CheckerError) return error;
  return new CheckerError('output', `${target}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
}

const statOrUndefined = (file: string) => stat(file).catch(() => undefined);

function sameFile(a: Stats | undefined, b: Stats | undefined): boolean {
  return !!a && !!b && a.dev === b.dev && a.ino === b.ino;
}

/** The end of a chain of symlinks, even when it does not exist yet (a dangling link is written through). */
async function finalPath(file: string): Promise<string> {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    const info = await lstat(current).catch(() => undefined);
    if (!info?.isSymbolicLink()) {
      // The folder's own links resolved too, so that the temporary file is made beside the real target.
      const folder = await realpath(path.dirname(current)).catch(() => undefined);
      return folder ? path.join(folder, path.basename(current)) : current;
    }
    current = path.resolve(path.dirname(current), await readlink(current));
  }
  throw new CheckerError('output', `${file}: too many levels of symbolic links`);
}

const insideDevices = (file: string) => /^\/(dev|proc)\//.test(path.resolve(file));

/**
 * Checks one target before anything is written: not an input, not inside a rule-set folder, not a
 * folder, its folder exists. Returns how it will be written.
 */
export async function planOutput(target: string, guard: Protected): Promise<PlannedOutput> {
  const info = await statOrUndefined(target);
  if (info?.isDirectory()) throw new CheckerError('output', `${target}: is a folder, not a file`);
  if (info && !info.isCharacterDevice()) {
    const inputs = await Promise.all(guard.files.map(statOrUndefined));
    if (inputs.some((input) => sameFile(info, input))) throw new CheckerError('output', `${target}: refusing to overwrite an input file`);
  }
  if (info && !info.isFile()) return { target, mode: 'direct', file: target };
  if (insideDevices(target)) return { target, mode: 'direct', file: target };
  const file = await finalPath(target);
  for (const folder of guard.folders ?? []) {
    const real = await realpath(folder).catch(() => path.resolve(folder));
    const relative = path.relative(real, file);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) throw new CheckerError('output', `${target}: refusing to overwrite a rule-set file`);
  }
  const folderInfo = await statOrUndefined(path.dirname(file));
  if (!folderInfo?.isDirectory()) throw new CheckerError('output', `${target}: the folder ${path.dirname(file)} does not exist`);
  return { target, mode: 'atomic', file };
}

async function writeChunks(file: string, flags: string, text: string | Iterable<string>): Promise<void> {
  const handle = await open(file, flags);
  try {
    for (const chunk of typeof text === 'string' ? [text] : text) await handle.write(chunk);
  } finally {
    await handle.close();
  }
}

async function writeTemporary(plan: PlannedOutput, text: string | Iterable<string>): Promise<string> {
  const temporary = path.join(path.dirname(plan.file), `.${path.basename(plan.file)}.${randomBytes(6).toString('hex')}.tmp`);
  // Registered before it exists, so that a signal arriving during the open still removes it.
  temporaries.add(temporary);
  try {
    await writeChunks(temporary, 'wx', text);
  } catch (error) {
    await rm(temporary, { force: true });
    temporaries.delete(temporary);
    throw failure(plan.target, error);
  }
  return temporary;
}

/**
 * Writes several reports all or nothing: every target checked first, then every regular file
 * written to a temporary file, then the devices and FIFOs, and only when all of that worked, the
 * temporary files renamed over their targets. On any failure no target has changed (a device
 * written before the failure excepted: it cannot be taken back).
 */
export async function writeOutputs(outputs: readonly { path: string; text: string | Iterable<string> }[], guard: Protected): Promise<void> {
  const plans = await Promise.all(outputs.map((output) => planOutput(output.path, guard)));
  const seen = new Map<string, string>();
  for (const plan of plans) {
    if (plan.mode === 'direct') continue;
    const other = seen.get(plan.file);
    if (other !== undefined) throw new CheckerError('usage', `${plan.target}: the same file as ${other}; give each report its own file`);
    seen.set(plan.file, plan.target);
  }
  const written: [PlannedOutput, string][] = [];
  try {
    for (const [i, plan] of plans.entries()) {
      if (plan.mode === 'atomic') written.push([plan, await writeTemporary(plan, outputs[i]!.text)]);
    }
    for (const [i, plan] of plans.entries()) {
      if (plan.mode !== 'direct') continue;
      // A regular file behind /dev/stdout is appended to, as the shell opened it.
      const info = await statOrUndefined(plan.file);
      await writeChunks(plan.file, info?.isFile() ? 'a' : 'w', outputs[i]!.text).catch((error: unknown) => {
        throw failure(plan.target, error);
      });
    }
    for (const [plan, temporary] of written) {
      await rename(temporary, plan.file).catch((error: unknown) => {
        throw failure(plan.target, error);
      });
      temporaries.delete(temporary);
    }
  } finally {
    for (const [, temporary] of written) {
      if (!temporaries.has(temporary)) continue;
      await rm(temporary, { force: true });
      temporaries.delete(temporary);
    }
  }
}

/**
 * Writes a report whole or not at all (see `writeOutputs`). Refuses to overwrite any of `inputs`, so
 * a report can never destroy a measure file.
 */
export async function writeOutputFile(target: string, text: string | Iterable<string>, inputs: readonly string[] | Protected): Promise<void> {
  const guard = Array.isArray(inputs) ? { files: inputs as readonly string[] } : (inputs as Protected);
  await writeOutputs([{ path: target, text }], guard);
}
