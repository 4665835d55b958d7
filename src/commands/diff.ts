import { Option, type Command } from 'commander';
import type { CheckResult } from '../check-types.js';
import { CheckerError } from '../errors.js';
import { STDIN } from '../load/find-files.js';
import { terminalSafe } from '../formats/terminal-safe.js';
import type { RuleSet } from '../ruleset/types.js';
import type { MeasureSet } from '../types.js';
import { emit, parseDate, parseSize, printDiagnostics, wantsColour, type CommandContext, printSkipped } from './context.js';
import { addCommonOptions, maxFileSizeOption, todayOption } from './options.js';

/** Kept here (not imported from src/diff/format.ts) so that registering the command loads nothing. */
const FORMATS = ['text', 'json', 'markdown'] as const;

interface DiffFlags {
  format: (typeof FORMATS)[number];
  output?: string;
  asOf?: string;
  rules?: string;
  color?: boolean;
  maxFileSize: string;
  today?: string;
}

type SideName = 'OLD' | 'NEW';

type Checked = { result: CheckResult; sets: MeasureSet[]; error?: undefined } | { result?: undefined; sets?: undefined; error: unknown };

/**
 * Checks one side. A set-up error (a missing file, an unreadable folder) names the side and is
 * returned, not thrown, so that the other side is still checked and its errors reported too. The
 * rule set is loaded once beforehand, so its errors are nobody's side.
 */
async function checkSide(side: SideName, path: string, ruleset: RuleSet, asOf: string | undefined, flags: DiffFlags, { io }: CommandContext): Promise<Checked> {
  const [{ checkLoaded, readAndLoadInputs }, { mergeMeasureDocuments }] = await Promise.all([import('../check.js'), import('../load/merge.js')]);
  try {
    // Loaded here rather than through check(): the measure sets are compared too, for changes in the law behind unchanged outcomes.
    const maxFileSize = parseSize(flags.maxFileSize);
    const { loaded, skipped } = await readAndLoadInputs([path], ruleset, { maxFileSize, stdin: io.stdin });
    printSkipped(skipped, io);
    const today = flags.today === undefined ? undefined : parseDate(flags.today);
    return { result: checkLoaded(loaded, ruleset, { evaluationDate: asOf, today }), sets: mergeMeasureDocuments(loaded.documents).sets };
  } catch (error) {
    return { error: error instanceof CheckerError && error.code !== 'ruleset' ? new CheckerError(error.code, `${side}: ${error.message}`) : error };
  }
}

/**
 * Input errors on either side: each side's diagnostics under a line naming the side, and no diff at
 * all. A Member State with an input error is not evaluated, so a partial diff would report it as
 * appeared or disappeared: a false alarm, or a regression hidden.
 */
function reportInputErrors(sides: [SideName, string, Checked][], io: CommandContext['io']): boolean {
  let failed = false;
  for (const [side, path, { result, error }] of sides) {
    if (error) {
      // Internal errors go the CLI's usual way; a set-up error is printed as main() prints it, and the other side still reported.
      if (!(error instanceof CheckerError)) throw error;
      io.stderr(`${error.message.split('\n').map((line) => `conformity: ${terminalSafe(line)}`).join('\n')}\n`);
      failed = true;
      continue;
    }
    if (!result?.diagnostics.length) continue;
    failed = true;
    io.stderr(`conformity: ${side} (${terminalSafe(path)}) has input errors; nothing was compared:\n`);
    printDiagnostics(result.diagnostics, io);
  }
  return failed;
}

async function runDiff(oldPath: string, newPath: string, flags: DiffFlags, context: CommandContext): Promise<number> {
  const { io } = context;
  const asOf = flags.asOf === undefined ? undefined : parseDate(flags.asOf);
  parseSize(flags.maxFileSize);
  if (oldPath === STDIN && newPath === STDIN) throw new CheckerError('usage', 'standard input (-) can be only one side of a diff: OLD or NEW');
  const [{ resolveRuleSet }, { compareResults, diffExitCode }, { formatDiff }] = await Promise.all([
    import('../check.js'),
    import('../diff/compare.js'),
    import('../diff/format.js'),
  ]);
  const ruleset = await resolveRuleSet(flags.rules);
  const old = await checkSide('OLD', oldPath, ruleset, asOf, flags, context);
  const now = await checkSide('NEW', newPath, ruleset, asOf, flags, context);
  const sides: [SideName, string, Checked][] = [
    ['OLD', oldPath, old],
    ['NEW', newPath, now],
  ];
  if (reportInputErrors(sides, io)) return 2;
  const oldResult = old.result!;
  const newResult = now.result!;
  const diff = compareResults(oldResult, newResult, { old: old.sets!, new: now.sets! });
  const { terminalWidth } = await import('../formats/terminal-safe.js');
  const text = formatDiff(diff, flags.format, { color: !flags.output && wantsColour(io, flags.color), width: flags.output ? undefined : terminalWidth(io.columns, io.env) });
  await emit(text, flags.output, [...oldResult.inputs, ...newResult.inputs].map((i) => i.name), io);
  return diffExitCode(diff);
}

export function registerDiff(program: Command, context: CommandContext): void {
  const command = program
    .command('diff')
    .description('which outcomes changed between two versions of Member States\' measures (exit 1 if any got worse)')
    .argument('<old>', `the earlier measures: a file, folder or glob; ${STDIN} reads standard input`)
    .argument('<new>', `the later measures: a file, folder or glob; ${STDIN} reads standard input`)
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('text'))
    .option('-o, --output <path>', 'write the diff to this file (whole or not at all)')
    .option('--as-of <date>', 'evaluate both sides as the law stood on this date (YYYY-MM-DD); default: each side at its files\' as_of')
    .addOption(todayOption())
    .addOption(maxFileSizeOption());
  addCommonOptions(command)
    .action(async (oldPath: string, newPath: string, flags: DiffFlags) => context.setExit(await runDiff(oldPath, newPath, flags, context)));
}
