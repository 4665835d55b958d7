import { Command, CommanderError, Option } from 'commander';
import { check, type CheckResult } from './check.js';
import { CheckerError } from './errors.js';
import { STDIN } from './load/find-files.js';
import { DEFAULT_MAX_FILE_SIZE } from './load/read-input.js';
import type { ReportContext } from './report/context.js';
import { exitCodeFor, FAIL_ON_LEVELS, type FailOn } from './report/exit-code.js';
import { FORMAT_NAMES, REPORTERS, type FormatName } from './report/index.js';
import { terminalSafe } from './report/terminal-safe.js';
import type { Diagnostic } from './types.js';
import { VERSION } from './version.js';
import { writeOutputFile } from './write-output.js';

/** The outside world, passed in so that tests can run the CLI in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdin?: () => Promise<Uint8Array>;
  env: Record<string, string | undefined>;
  /** Whether standard output is a terminal (colour, table width). */
  isTTY: boolean;
  columns?: number;
}

/** The real process's standard streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    env: process.env,
    isTTY: !!process.stdout.isTTY,
    columns: process.stdout.columns,
  };
}

/** Colour follows the terminal, NO_COLOR and FORCE_COLOR (https://no-color.org, chalk's FORCE_COLOR). */
export function wantsColour(io: CliIo, flag: boolean | undefined): boolean {
  if (flag !== undefined) return flag;
  if (io.env.NO_COLOR) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return io.isTTY && io.env.TERM !== 'dumb';
}

function formatDiagnostic(d: Diagnostic): string {
  return `${terminalSafe(d.file)}:${d.line}:${d.column}: ${terminalSafe(d.message)}`;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
function parseDate(value: string): string {
  const parsed = new Date(`${value}T00:00:00Z`);
  if (!DATE.test(value) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== value) {
    throw new CheckerError('usage', `--as-of must be a real date written YYYY-MM-DD, not "${value}"`);
  }
  return value;
}

interface FormatTarget {
  format: FormatName;
  path?: string;
}
function parseFormats(values: readonly string[], output?: string): FormatTarget[] {
  const targets = (values.length ? values : ['text']).map((value): FormatTarget => {
    const [name, ...rest] = value.split('=');
    if (!FORMAT_NAMES.includes(name as FormatName)) {
      throw new CheckerError('usage', `--format ${value}: unknown format; choose from ${FORMAT_NAMES.join(', ')}`);
    }
    return { format: name as FormatName, path: rest.length ? rest.join('=') : undefined };
  });
  const toStdout = targets.filter((t) => !t.path);
  if (output) {
    if (toStdout.length !== 1) throw new CheckerError('usage', '--output takes the one format written without =PATH');
    toStdout[0]!.path = output;
  } else if (toStdout.length > 1) {
    throw new CheckerError('usage', 'only one format can go to standard output; give the others a file: --format sarif=out.sarif');
  }
  return targets;
}

function parseSize(value: string): number {
  const match = /^(\d+)\s*(k|kb|m|mb|)$/i.exec(value.trim());
  if (!match) throw new CheckerError('usage', `--max-file-size must be a number of bytes, or with k or m, not "${value}"`);
  const unit = match[2]!.toLowerCase();
  return Number(match[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1);
}

interface CheckFlags {
  format: string[];
  output?: string;
  failOn: FailOn;
  asOf?: string;
  rules?: string;
  all?: boolean;
  color?: boolean;
  maxFileSize: string;
}

async function runCheck(paths: string[], flags: CheckFlags, io: CliIo): Promise<number> {
  const targets = parseFormats(flags.format, flags.output);
  const asOf = flags.asOf === undefined ? undefined : parseDate(flags.asOf);
  const result = await check({ paths, asOf, rules: flags.rules, stdin: io.stdin, maxFileSize: parseSize(flags.maxFileSize) });
  const context: ReportContext = { all: !!flags.all, color: wantsColour(io, flags.color), columns: io.columns ?? 160 };
  for (const target of targets) {
    const text = REPORTERS[target.format](result, { ...context, color: target.path ? false : context.color });
    if (target.path) await writeOutputFile(target.path, text, result.inputs.map((i) => i.name));
    else io.stdout(text);
  }
  reportDiagnostics(result, io);
  return exitCodeFor(result, flags.failOn);
}

function reportDiagnostics(result: CheckResult, io: CliIo): void {
  if (result.diagnostics.length === 0) return;
  io.stderr(`${result.diagnostics.map(formatDiagnostic).join('\n')}\n`);
  const files = new Set(result.diagnostics.map((d) => d.file)).size;
  io.stderr(`conformity: ${result.diagnostics.length} input error(s) in ${files} file(s)\n`);
}

async function runValidate(paths: string[], flags: { rules?: string; maxFileSize: string }, io: CliIo): Promise<number> {
  const result = await check({ paths, rules: flags.rules, stdin: io.stdin, validateOnly: true, maxFileSize: parseSize(flags.maxFileSize) });
  reportDiagnostics(result, io);
  if (result.diagnostics.length) return 2;
  io.stdout(`${result.inputs.length} measure file(s) valid against rule set ${result.ruleset.id} ${result.ruleset.version}\n`);
  return 0;
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('conformity')
    .description('Check how EU Member States have transposed a directive into national law (default: Directive 2011/93/EU).')
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces of internal errors')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run conformity --help for usage)');

  const rulesOption = () => new Option('--rules <dir>', 'rule-set folder (default: the built-in 2011/93/EU rules)');
  const sizeOption = () => new Option('--max-file-size <bytes>', 'largest measure file accepted (k and m suffixes allowed)').default(String(DEFAULT_MAX_FILE_SIZE));

  program
    .command('check')
    .description('evaluate measure files against the rule set')
    .argument('<files...>', `measure files, folders or globs; ${STDIN} reads standard input`)
    .addOption(new Option('-f, --format <format>', `output format (${FORMAT_NAMES.join(', ')}), or FORMAT=PATH to write a file; repeatable`).argParser((v: string, previous: string[] = []) => [...previous, v]).default([]))
    .option('-o, --output <path>', 'write the report to this file (whole or not at all)')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding has this severity or above').choices(FAIL_ON_LEVELS).default('error'))
    .option('--as-of <date>', 'evaluate the law as it stood on this date (YYYY-MM-DD)')
    .addOption(rulesOption())
    .option('-a, --all', 'list conform provisions too')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .addOption(sizeOption())
    .action(async (files: string[], flags: CheckFlags) => setExit(await runCheck(files, flags, io)));

  program
    .command('validate')
    .description('check measure files against the schema and their references, without evaluating')
    .argument('<files...>', `measure files, folders or globs; ${STDIN} reads standard input`)
    .addOption(rulesOption())
    .addOption(sizeOption())
    .action(async (files: string[], flags: { rules?: string; maxFileSize: string }) => setExit(await runValidate(files, flags, io)));

  return program;
}

/** Runs the CLI and returns its exit status: 0 clean, 1 findings at or above --fail-on, 2 bad input or usage. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; every usage error is exit status 2 (the contract), not commander's 1.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    if (error instanceof CheckerError) {
      io.stderr(`${error.message.split('\n').map((line) => (error.code === 'ruleset' ? terminalSafe(line) : `conformity: ${terminalSafe(line)}`)).join('\n')}\n`);
      return 2;
    }
    const err = error as Error;
    io.stderr(`conformity: internal error: ${terminalSafe(err?.message ?? String(error))}\n`);
    if (argv.includes('--debug') && err?.stack) io.stderr(`${err.stack}\n`);
    return 2;
  }
}
