import type { Command } from 'commander';
import { fs } from './node-fs.js';
import { noWorkflowCommands, type CliIo } from './commands/context.js';
import { CheckerError } from './errors.js';
import { terminalSafe } from './formats/terminal-safe.js';
import { VERSION } from './version.js';

export type { CliIo } from './commands/context.js';

/** The real process's standard streams and environment. */
export function processIo(): CliIo {
  const plain = plainStdout();
  return {
    stdout: plain ? writeStdoutSync : (text) => void stdoutStream().write(text),
    // Nothing on stderr may read as a GitHub workflow command (a file name can start with `::`).
    stderr: (text) => void stderrStream().write(noWorkflowCommands(text)),
    // Reading stops once past the limit: `check - < /dev/zero` costs the limit, not the machine's memory.
    stdin: async (maxBytes = Infinity) => (await import('./load/read-stream.js')).readStreamUpTo(process.stdin, maxBytes),
    env: process.env,
    isTTY: !plain && !!stdoutStream().isTTY,
    columns: plain ? undefined : stdoutStream().columns,
  };
}

/**
 * Whether standard output is a file, a pipe or /dev/null (no terminal): then it is written with
 * write(2) as output is made, without Node's stdout stream, whose machinery is a tenth of the
 * start-up of a short command (`rules`, `explain`).
 */
function plainStdout(): boolean {
  try {
    const out = fs.fstatSync(1);
    if (!out.isCharacterDevice()) return out.isFile() || out.isFIFO() || out.isSocket();
    const devNull = fs.statSync('/dev/null');
    return out.dev === devNull.dev && out.ino === devNull.ino && out.rdev === devNull.rdev;
  } catch {
    return false;
  }
}

/** Set once a reader of standard output went away (EPIPE): the rest is not written, and the run goes on. */
let stdoutClosed = false;

function writeStdoutSync(text: string): void {
  if (stdoutClosed) return;
  // The string as it is first: no buffer to allocate for megabytes of report (the write converts it).
  // Only what a short write leaves is converted here and written from where it stopped.
  let written = 0;
  try {
    written = fs.writeSync(1, text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return writeFailed(error as NodeJS.ErrnoException);
  }
  if (written === Buffer.byteLength(text, 'utf8')) return;
  const bytes = Buffer.from(text, 'utf8');
  for (let offset = written; offset < bytes.length; ) {
    try {
      offset += fs.writeSync(1, bytes, offset, bytes.length - offset);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // A pipe another process made non-blocking: wait for its reader.
      if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
      else return writeFailed(error as NodeJS.ErrnoException);
    }
  }
}

/** A reader that went away (EPIPE) stops the writing; anything else stops the run. */
function writeFailed(error: NodeJS.ErrnoException): void {
  if (error.code === 'EPIPE') stdoutClosed = true;
  else stdoutFailed(error);
}

function stdoutFailed(error: NodeJS.ErrnoException): never {
  stderrStream().write(`conformity: cannot write to standard output (${error.code ?? error.message})\n`);
  process.exit(2);
}

/** Node's stdout stream, with its error handler: a terminal, or what plainStdout cannot tell. */
function stdoutStream(): NodeJS.WriteStream {
  if (!stdoutHandled) {
    stdoutHandled = true;
    process.stdout.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      stdoutFailed(error);
    });
  }
  return process.stdout;
}
let stdoutHandled = false;

/** Node's stderr stream, made on first use: a reader of stderr that goes away ends the run quietly, exit 2. */
function stderrStream(): NodeJS.WriteStream {
  if (!stderrHandled) {
    stderrHandled = true;
    process.stderr.on('error', () => process.exit(2));
  }
  return process.stderr;
}
let stderrHandled = false;

/**
 * The process-wide handlers bin/conformity.js installs: SIGINT and SIGTERM remove any temporary
 * file of a report being written (the targets keep their previous content), then end the process by
 * that signal (exit status 130 / 143 in a shell); a
 * standard output that fails (ENOSPC, a closed pipe) ends the run with one line, exit 2 (a reader
 * that stops early, EPIPE, keeps the exit status: `conformity check … | head` is not an error); a
 * reader of stderr that goes away ends the run quietly, exit 2.
 */
export function installProcessHandlers(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      void import('./write-output.js')
        .then((output) => output.removeTemporaryFiles())
        .finally(() => {
          // Dying of the signal itself (the shell's 130 / 143), not process.exit: that would wait for a
          // thread blocked opening a FIFO that has no reader.
          process.removeAllListeners(signal);
          process.kill(process.pid, signal);
        });
    });
  }
  // The standard streams' handlers are installed where they are first used (processIo).
}

async function buildProgram(argv: readonly string[], io: CliIo, setExit: (code: number) => void): Promise<Command> {
  const [{ Command }, { COMMANDS }] = await Promise.all([import('commander'), import('./commands/index.js')]);
  const program = new Command('conformity')
    .description('Check how EU Member States have transposed a directive into national law (default: Directive 2011/93/EU).')
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces of internal errors')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run conformity --help for usage)');
  // Only the command being run is loaded; help (or a mistyped command) needs them all.
  const named = argv.find((arg) => !arg.startsWith('-'));
  const names = named && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const register of await Promise.all(names.map((name) => COMMANDS[name]!()))) register(program, { io, setExit });
  return program;
}

/** Commander's own errors (usage, help, version) carry a `commander.*` code. */
function isCommanderError(error: unknown): error is { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && code.startsWith('commander.');
}

const isVersionLine = (argv: readonly string[]) => argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V');
const isDirectLine = (argv: readonly string[]) => argv[0] === 'explain' || argv[0] === 'rules';

/** Command lines that read no measure files and must start fast: the version, plain `explain` and `rules`. */
export function isShortCommandLine(argv: readonly string[]): boolean {
  return isVersionLine(argv) || isDirectLine(argv);
}

/** Runs the CLI and returns its exit status: 0 clean, 1 findings at or above --fail-on, 2 bad input or usage. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  // The version needs nothing loaded.
  if (isVersionLine(argv)) {
    io.stdout(`${VERSION}\n`);
    return 0;
  }
  return run(argv, io, true);
}

/**
 * `main` with every command line taken by commander, as all were before plain `explain` and `rules`
 * lines got their direct path (commands/direct.ts): both must give the same output and exit status.
 */
export function mainThroughCommander(argv: readonly string[], io: CliIo): Promise<number> {
  return run(argv, io, false);
}

async function run(argv: readonly string[], io: CliIo, allowDirect: boolean): Promise<number> {
  let exitCode = 0;
  try {
    // Plain `explain` and `rules` command lines need no commander (see commands/direct.ts); the rest, help and usage errors do.
    const direct = allowDirect && isDirectLine(argv) ? (await import('./commands/direct.js')).directRun(argv) : undefined;
    if (direct) return await direct({ io, setExit: () => undefined });
    const program = await buildProgram(argv, io, (code) => (exitCode = code));
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (isCommanderError(error)) {
      // Help and version are not errors; every usage error is exit status 2 (the contract), not commander's 1.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    if (error instanceof CheckerError) {
      const lines = error.message.split('\n').map((line) => (error.code === 'ruleset' ? terminalSafe(line) : `conformity: ${terminalSafe(line)}`));
      io.stderr(`${lines.join('\n')}\n`);
      return 2;
    }
    const err = error as Error;
    io.stderr(`conformity: internal error: ${terminalSafe(err?.message ?? String(error))}\n`);
    if (argv.includes('--debug') && err?.stack) io.stderr(`${err.stack}\n`);
    return 2;
  }
}
