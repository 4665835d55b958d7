import { Option, type Command } from 'commander';
import { CheckerError } from '../errors.js';
import { STDIN } from '../load/find-files.js';
import { FAIL_ON_LEVELS, type FailOn } from '../report/fail-on.js';
import { FORMAT_NAMES, type FormatName } from '../report/formats.js';
import { terminalWidth } from '../report/terminal-safe.js';
import { emit, parseDate, parseSize, printDiagnostics, wantsColour, type CommandContext } from './context.js';
import { addCommonOptions, maxFileSizeOption, todayOption } from './options.js';

interface CheckFlags {
  format: string[];
  output?: string;
  failOn: FailOn;
  asOf?: string;
  rules?: string;
  all?: boolean;
  quiet?: boolean;
  color?: boolean;
  maxFileSize: string;
  today?: string;
}

interface FormatTarget {
  format: FormatName;
  path?: string;
}

/** `--format F` (standard output) and `--format F=PATH`, with `--output` for the one bare format. */
export function parseFormats(values: readonly string[], output?: string): FormatTarget[] {
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

async function runCheck(paths: string[], flags: CheckFlags, { io }: CommandContext): Promise<number> {
  const targets = parseFormats(flags.format, flags.output);
  const asOf = flags.asOf === undefined ? undefined : parseDate(flags.asOf);
  const [{ check }, { loadChunkedReporter }, { exitCodeFor }] = await Promise.all([import('../check.js'), import('../report/formats.js'), import('../report/exit-code.js')]);
  // Without --all no report lists conform rules, so results keep only the findings (flat memory on large runs).
  const result = await check({ paths, asOf, rules: flags.rules, stdin: io.stdin, maxFileSize: parseSize(flags.maxFileSize), compact: !flags.all, today: flags.today === undefined ? undefined : parseDate(flags.today) });
  // A log (standard output not a terminal) gets the compact layout: one line per finding.
  const layout = io.isTTY ? 'auto' : 'compact';
  const context = { all: !!flags.all, quiet: !!flags.quiet, color: wantsColour(io, flags.color), columns: terminalWidth(io.columns, io.env), layout } as const;
  const inputs = result.inputs.map((i) => i.name);
  // Files first, each whole or not at all; then standard output, written as it is made.
  const ordered = [...targets.filter((t) => t.path), ...targets.filter((t) => !t.path)];
  for (const target of ordered) {
    const reporter = await loadChunkedReporter(target.format);
    await emit(reporter(result, { ...context, color: target.path ? false : context.color }), target.path, inputs, io);
  }
  printDiagnostics(result.diagnostics, io);
  return exitCodeFor(result, flags.failOn);
}

export function registerCheck(program: Command, context: CommandContext): void {
  const command = program
    .command('check')
    .description('evaluate measure files against the rule set')
    .argument('<files...>', `measure files, folders or globs; ${STDIN} reads standard input`)
    .addOption(
      new Option('-f, --format <format>', `output format (${FORMAT_NAMES.join(', ')}), or FORMAT=PATH to write a file; repeatable`)
        .argParser((v: string, previous: string[] = []) => [...previous, v])
        .default([]),
    )
    .option('-o, --output <path>', 'write the report to this file (whole or not at all)')
    .addOption(new Option('--fail-on <level>', 'exit 1 when a finding has this severity or above').choices(FAIL_ON_LEVELS).default('error'))
    .option('--as-of <date>', 'evaluate the law as it stood on this date (YYYY-MM-DD)')
    .addOption(todayOption())
    .option('-a, --all', 'list conform provisions too')
    .addOption(maxFileSizeOption());
  addCommonOptions(command, 'list only error-severity findings')
    .action(async (files: string[], flags: CheckFlags) => context.setExit(await runCheck(files, flags, context)));
}
