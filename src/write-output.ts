import { randomBytes } from 'node:crypto';
import { open, realpath, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { CheckerError } from './errors.js';

async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([stat(a).catch(() => undefined), stat(b).catch(() => undefined)]);
  return !!x && !!y && x.dev === y.dev && x.ino === y.ino;
}

/**
 * Writes a report whole or not at all: into a temporary file in the same folder, then renamed over
 * the target. Refuses to overwrite any of `inputs`, so a report can never destroy a measure file.
 */
export async function writeOutputFile(target: string, text: string | Iterable<string>, inputs: readonly string[]): Promise<void> {
  for (const input of inputs) {
    if (await sameFile(target, input)) throw new CheckerError('output', `${target}: refusing to overwrite an input file`);
  }
  const directory = path.dirname(path.resolve(target));
  const real = await realpath(directory).catch(() => {
    throw new CheckerError('output', `${target}: the folder ${directory} does not exist`);
  });
  const temporary = path.join(real, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx');
    try {
      for (const chunk of typeof text === 'string' ? [text] : text) await handle.write(chunk);
    } finally {
      await handle.close();
    }
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    if (error instanceof CheckerError) throw error;
    throw new CheckerError('output', `${target}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
