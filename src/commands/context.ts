import { CheckerError } from '../errors.js';
import { terminalSafe } from '../formats/terminal-safe.js';
import type { Diagnostic } from '../types.js';

// Imports neither commander nor the file readers: commands/direct.ts runs `explain` and `rules` with it, without
// commander (start-up time). The options that need commander are in options.ts.

/** The outside world, passed in so that tests can run the CLI in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Standard input, read up to `maxBytes` (one byte past it tells that the input is larger). */
  stdin?: (maxBytes?: number) => Promise<Uint8Array>;
  env: Record<string, string | undefined>;
  /** Whether standard output is a terminal (colour, table width). */
  isTTY: boolean;
  columns?: number;
}

/** What every command's action gets: the streams, and where to put its exit status. */
export interface CommandContext {
  io: CliIo;
  setExit: (code: number) => void;
}

/** Colour follows the terminal, NO_COLOR and FORCE_COLOR (https://no-color.org, chalk's FORCE_COLOR). */
export function wantsColour(io: CliIo, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.isTTY && io.env.TERM !== 'dumb';
}

/**
 * GitHub's runner reads every output line that starts with `::` as a workflow command, stderr too: a
 * file named `::error file=x::y.yaml` must not forge an annotation. Such a relative name is shown
 * as `./::error…`, the same file.
 */
export function safeFileName(name: string): string {
  return name.startsWith(':') ? `./${name}` : name;
}

/** Any line of `text` that starts with `::` gets a space before it: only the github format writes workflow commands. */
export function noWorkflowCommands(text: string, atLineStart = true): string {
  // A plain search first: reports run to megabytes, and almost none holds such a line.
  if (!text.includes('::')) return text;
  return text.replace(atLineStart ? /^::/gm : /(?<=\n)::/g, ' ::');
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${terminalSafe(safeFileName(d.file))}:${d.line}:${d.column}: ${terminalSafe(d.message)}`;
}

/** Prints input errors as FILE:LINE:COLUMN: message, then a count. */
export function printDiagnostics(diagnostics: readonly Diagnostic[], io: CliIo): void {
  if (diagnostics.length === 0) return;
  io.stderr(`${diagnostics.map(formatDiagnostic).join('\n')}\n`);
  const files = new Set(diagnostics.map((d) => d.file)).size;
  io.stderr(`conformity: ${diagnostics.length} input error(s) in ${files} file(s)\n`);
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date written YYYY-MM-DD, else a usage error naming the flag. */
export function parseDate(value: string, flag = '--as-of'): string {
  const parsed = new Date(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new CheckerError('usage', `${flag} must be a real date written YYYY-MM-DD, not "${value}"`);
  }
  return value;
}

export function parseSize(value: string): number {
  const match = /^(\d+)\s*(k|kb|m|mb|)$/i.exec(value.trim());
  if (!match) throw new CheckerError('usage', `--max-file-size must be a number of bytes, or with k or m, not "${value}"`);
  const unit = match[2]!.toLowerCase();
  return Number(match[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1);
}

/** What a report may never overwrite: the files read, and the rule-set folder (see write-output.ts). */
export interface OutputGuard {
  files: readonly string[];
  folders?: readonly string[];
}

const guardOf = (inputs: readonly string[] | OutputGuard): OutputGuard => (Array.isArray(inputs) ? { files: inputs as readonly string[] } : (inputs as OutputGuard));

/**
 * Writes `text` to standard output as it is made. No line may start a workflow command unless
 * `linesAsWritten`: the github format writes them on purpose, and JSON starts no line with `::` (its
 * strings escape line breaks), so a report of megabytes is not searched for them.
 */
export function writeStdout(text: string | Iterable<string>, io: CliIo, linesAsWritten = false): void {
  let atLineStart = true;
  for (const chunk of typeof text === 'string' ? [text] : text) {
    if (chunk === '') continue;
    io.stdout(linesAsWritten ? chunk : noWorkflowCommands(chunk, atLineStart));
    atLineStart = chunk.endsWith('\n');
  }
}

/** Writes `text` to `path` whole or not at all (never onto an input), or to standard output. */
export async function emit(text: string | Iterable<string>, path: string | undefined, inputs: readonly string[] | OutputGuard, io: CliIo): Promise<void> {
  if (!path) return writeStdout(text, io);
  const { writeOutputs } = await import('../write-output.js');
  await writeOutputs([{ path, text }], guardOf(inputs));
}

/** Writes every file report all or nothing (every target checked before any is written). */
export async function emitFiles(outputs: readonly { path: string; text: string | Iterable<string> }[], inputs: readonly string[] | OutputGuard): Promise<void> {
  if (outputs.length === 0) return;
  const { writeOutputs } = await import('../write-output.js');
  await writeOutputs(outputs, guardOf(inputs));
}

/** One notice per file found in a folder that is not a measure file, left out. */
export function printSkipped(skipped: readonly { file: string; reason: string }[] | undefined, io: CliIo): void {
  for (const { file, reason } of skipped ?? []) io.stderr(`conformity: skipped ${terminalSafe(file)}: ${reason}\n`);
}
