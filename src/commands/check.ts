import { Option, type Command } from 'commander';
import { CheckerError } from '../errors.js';
import { STDIN } from '../load/find-files.js';
import { FAIL_ON_LEVELS, type FailOn } from '../formats/fail-on.js';
import { FORMAT_NAMES, loadChunkedReporter, type FormatName } from '../formats/formats.js';
import { emitFiles, parseDate, parseSize, printDiagnostics, wantsColour, writeStdout, type CommandContext, printSkipped } from './context.js';
import { addCommonOptions, maxFileSizeOption, todayOption } from './options.js';
import { terminalWidth } from '../formats/terminal-safe.js';

/** Formats whose lines go out as written: github's workflow commands are meant; JSON starts no line with `::`. */
const LINES_AS_WRITTEN: ReadonlySet<FormatName> = new Set(['github', 'json', 'sarif', 'codequality']);

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
  sarifRoot?: string;
  sarifCategory?: string;
  stepSummary?: boolean;
  baseline?: string;
  writeBaseline?: string;
  maxWarnings?: string;
  today?: string;
  exclude: string[];
  completeSets?: boolean;
  stdinFilename?: string;
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

function parseCount(value: string, flag: string): number {
  if (!/^\d+$/.test(value.trim())) throw new CheckerError('usage', `${flag} must be a whole number, not "${value}"`);
  return Number(value);
}

async function readBaseline(file: string): Promise<Set<string>> {
  const [{ readFile }, { parseBaseline }] = await Promise.all([import('node:fs/promises'), import('../formats/baseline.js')]);
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new CheckerError('usage', `--baseline ${file}: cannot read (${error.code ?? error.message})`);
  });
  const keys = parseBaseline(text);
  if (typeof keys === 'string') throw new CheckerError('usage', `--baseline ${file}: ${keys}`);
  return keys;
}

async function runCheck(paths: string[], flags: CheckFlags, { io }: CommandContext): Promise<number> {
  const targets = parseFormats(flags.format, flags.output);
  const asOf = flags.asOf === undefined ? undefined : parseDate(flags.asOf);
  const maxWarnings = flags.maxWarnings === undefined ? undefined : parseCount(flags.maxWarnings, '--max-warnings');
  const known = flags.baseline === undefined ? undefined : await readBaseline(flags.baseline);
  const [{ check }, { exitCodeFor, newFindingCounts }, { DEFAULT_RULESET_DIR }] = await Promise.all([
    import('../check.js'),
    import('../formats/exit-code.js'),
    import('../ruleset/load-ruleset.js'),
  ]);
  // Without --all no report lists conform rules, so results keep only the findings (flat memory on large runs).
  const result = await check({ paths, evaluationDate: asOf, rules: flags.rules, stdin: io.stdin, maxFileSize: parseSize(flags.maxFileSize), compact: !flags.all, today: flags.today === undefined ? undefined : parseDate(flags.today), ...inputFlags(flags) });
  if (!flags.quiet) printSkipped(result.skipped, io);
  const context = {
    all: !!flags.all,
    quiet: !!flags.quiet,
    color: wantsColour(io, flags.color),
    columns: terminalWidth(io.columns, io.env),
    // A log (standard output not a terminal) gets the compact layout: one line per finding.
    layout: io.isTTY ? ('auto' as const) : ('compact' as const),
    failOn: flags.failOn,
    known,
    sarif: { root: flags.sarifRoot, category: flags.sarifCategory, workingDirectory: process.cwd() },
  };
  // Never written over: the files read, and the rule set (a rule file is as much an input as a measure file).
  const guard = { files: result.inputs.map((i) => i.name), folders: [flags.rules ?? DEFAULT_RULESET_DIR] };
  // Files first, all or nothing; then standard output, written as it is made.
  const files = [];
  for (const target of targets.filter((t) => t.path)) {
    const reporter = await loadChunkedReporter(target.format);
    files.push({ path: target.path!, text: reporter(result, { ...context, color: false }) });
  }
  if (flags.writeBaseline) files.push({ path: flags.writeBaseline, text: (await import('../formats/baseline.js')).formatBaseline(result) });
  await emitFiles(files, guard);
  for (const target of targets.filter((t) => !t.path)) {
    writeStdout((await loadChunkedReporter(target.format))(result, context), io, LINES_AS_WRITTEN.has(target.format));
  }
  const summaryFile = io.env.GITHUB_STEP_SUMMARY;
  if (summaryFile && (flags.stepSummary || targets.some((t) => t.format === 'github'))) {
    const [{ appendFile }, { formatMarkdown }] = await Promise.all([import('node:fs/promises'), import('../formats/markdown.js')]);
    await appendFile(summaryFile, formatMarkdown(result, { ...context, color: false })).catch((error: NodeJS.ErrnoException) => {
      throw new CheckerError('output', `GITHUB_STEP_SUMMARY ${summaryFile}: cannot write (${error.code ?? error.message})`);
    });
  }
  printDiagnostics(result.diagnostics, io);
  const counts = newFindingCounts(result, known);
  if (known) io.stderr(`conformity: baseline ${flags.baseline}: ${counts.error + counts.warning + counts.info} new finding(s) (${counts.error} error, ${counts.warning} warning); known findings do not fail the run\n`);
  if (maxWarnings !== undefined && counts.warning > maxWarnings) {
    // Provisions not assessed are warnings too, but reports list them only with --all: say how many there are.
    const notAssessed = result.results.reduce((n, r) => n + r.summary['not-assessed'], 0);
    const which = notAssessed ? ` (provisions not assessed among them: ${notAssessed}, listed with --all)` : '';
    io.stderr(`conformity: ${counts.warning} warning(s)${which}, more than --max-warnings ${maxWarnings}\n`);
  }
  return exitCodeFor(result, flags.failOn, { known, maxWarnings });
}

/** The input-selection flags `check` and `validate` share. */
export interface InputFlags {
  exclude: string[];
  completeSets?: boolean;
  stdinFilename?: string;
}

export const inputFlags = (flags: InputFlags) => ({ exclude: flags.exclude, completeSets: flags.completeSets, stdinFilename: flags.stdinFilename });

export function addInputOptions(command: Command): Command {
  return command
    .addOption(new Option('--exclude <glob>', 'leave out files and folders matching this glob (a bare name matches at any depth); repeatable').argParser((v: string, previous: string[] = []) => [...previous, v]).default([]))
    .option('--complete-sets', "changed-files mode: also read the other files of each named file's Member State from its folder")
    .option('--stdin-filename <name>', `the name reports give standard input (${STDIN})`);
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
    .addOption(maxFileSizeOption())
    .option('--sarif-root <dir>', 'SARIF: the folder locations are relative to (%SRCROOT%; default: the repository root, else the working directory)')
    .option('--sarif-category <name>', 'SARIF: the analysis category (automationDetails.id), to upload several SARIF files side by side')
    .option('--step-summary', 'append a Markdown summary to $GITHUB_STEP_SUMMARY (done anyway with --format github)')
    .option('--baseline <file>', 'findings in this baseline file are reported as known and do not fail the run')
    .option('--write-baseline <file>', 'write the findings of this run as a baseline file')
    .option('--max-warnings <n>', 'exit 1 when there are more than N new warnings');
  addCommonOptions(addInputOptions(command), 'list only error-severity findings').action(async (files: string[], flags: CheckFlags) => context.setExit(await runCheck(files, flags, context)));
}
