import { fs } from '../node-fs.js';
import { createRequire } from 'node:module';
import { CheckerError } from '../errors.js';
import { characterPattern, classesTreated } from '../text/characters.js';
import type { Diagnostic } from '../types.js';
import { STDIN } from './find-files.js';

/** The raw bytes of one input, before any parsing. */
export interface RawInput {
  name: string;
  /** Undefined when the file is larger than the limit and was not read. */
  bytes?: Uint8Array;
  size: number;
  /** The bytes' SHA-256, where already worked out. */
  sha256?: string;
}

/** Default largest measure file accepted; the largest real ones are well under 1 MB. */
export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;

/**
 * Reads standard input. Given the limit, it should stop reading once past it (`readStreamUpTo`, read-stream.ts):
 * `check -` fed from an endless stream must not take all memory before the limit is applied.
 */
export type StdinReader = (maxBytes: number) => Promise<Uint8Array>;

/** Reads one measure file read-only, refusing files above `maxBytes` before reading them. */
export async function readInput(name: string, maxBytes = DEFAULT_MAX_FILE_SIZE, stdin?: StdinReader): Promise<RawInput> {
  if (name === STDIN) {
    if (!stdin) throw new CheckerError('input', '-: standard input is not available');
    const bytes = await stdin(maxBytes);
    // Past the limit, `size` is what was read before reading stopped: the input is at least that large.
    return { name: '<stdin>', bytes: bytes.length > maxBytes ? undefined : bytes, size: bytes.length };
  }
  return readFile(name, maxBytes);
}

/**
 * A named file, read synchronously: a large run reads thousands of small files, and waiting on the
 * event loop for each costs more than the read itself.
 */
function readFile(name: string, maxBytes = DEFAULT_MAX_FILE_SIZE): RawInput {
  let fd: number;
  try {
    fd = fs.openSync(name, 'r');
  } catch (error) {
    throw new CheckerError('input', `${name}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  try {
    const { size } = fs.fstatSync(fd);
    if (size > maxBytes) return { name, size };
    // The size may change while reading: read until the end, whatever stat said.
    let bytes = new Uint8Array(size + 1);
    let length = 0;
    for (;;) {
      if (length === bytes.length) {
        if (length > maxBytes) return { name, size: length };
        const larger = new Uint8Array(bytes.length * 2);
        larger.set(bytes);
        bytes = larger;
      }
      const read = fs.readSync(fd, bytes, length, bytes.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return length > maxBytes ? { name, size: length } : { name, bytes: bytes.subarray(0, length), size: length };
  } finally {
    fs.closeSync(fd);
  }
}

/** Loaded on the first hash: commands that read no measure file (`rules`, `explain`) never need node:crypto. */
let createHash: typeof import('node:crypto').createHash | undefined;

export function sha256(bytes: Uint8Array): string {
  createHash ??= (createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')).createHash;
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Decodes UTF-8 (a leading BOM is dropped; CRLF is left to the YAML parser). Invalid UTF-8 is a
 * diagnostic at the line and column of the first bad byte.
 */
export function decodeUtf8(name: string, bytes: Uint8Array): { text?: string; diagnostic?: Diagnostic } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(bytes);
    const bad = lossy.indexOf('\uFFFD');
    const before = lossy.slice(0, Math.max(bad, 0));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { diagnostic: { file: name, line, column, code: 'encoding', message: `the file is not valid UTF-8${binaryHint(bytes)}` } };
  }
  // YAML allows only printable characters (YAML 1.2, 5.1); a raw control character is refused here,
  // with its position, rather than passed on into reports.
  const control = NON_PRINTABLE.exec(text);
  if (control) {
    const before = text.slice(0, control.index);
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    const code = control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    return { diagnostic: { file: name, line, column, code: 'encoding', message: `control character U+${code} is not allowed in YAML${binaryHint(bytes)}` } };
  }
  return { text };
}

/**
 * Binary input (an image, an archive, `!!binary` noise decoded by mistake) is refused by the first
 * bad byte, with one message; a NUL among the first 8 KB (git's test) says why.
 */
function binaryHint(bytes: Uint8Array): string {
  return bytes.subarray(0, 8192).includes(0) ? ' (this looks like a binary file, not YAML text)' : '';
}

/** Not printable in YAML 1.2 (src/text/characters.ts, MEDIA.yamlInput; lone surrogates cannot survive the strict decoder). */
const NON_PRINTABLE = new RegExp(characterPattern(classesTreated('yamlInput', 'refused').filter((name) => name !== 'loneSurrogates')));
