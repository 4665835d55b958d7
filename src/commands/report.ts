import { Option, type Command } from 'commander';
import { CheckerError } from '../errors.js';
import { STDIN } from '../load/find-files.js';
import { emit, parseDate, parseSize, printDiagnostics, type CommandContext, printSkipped } from './context.js';
import { addCommonOptions, maxFileSizeOption, todayOption } from './options.js';

export const REVIEW_FORMATS = ['html', 'markdown'] as const;
type ReviewFormat = (typeof REVIEW_FORMATS)[number];

interface ReportFlags {
  format: ReviewFormat;
  output?: string;
  asOf?: string;
  timeline?: string;
  memberState?: string;
  topic?: string;
  provision?: string;
  rules?: string;
  maxFileSize: string;
  today?: string;
}

/** `a,b , c` → ['a', 'b', 'c']; undefined stays undefined. */
function list(value: string | undefined): string[] | undefined {
  return value === undefined ? undefined : value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** `--timeline D1,D2,…`: real dates, ascending, each once. */
export function parseTimeline(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const dates = list(value)!.map((d) => parseDate(d, '--timeline'));
  if (dates.length === 0) throw new CheckerError('usage', '--timeline takes one or more dates written YYYY-MM-DD, separated by commas');
  return [...new Set(dates)].sort();
}

async function runReport(paths: string[], flags: ReportFlags, { io }: CommandContext): Promise<number> {
  const asOf = flags.asOf === undefined ? undefined : parseDate(flags.asOf);
  const timeline = parseTimeline(flags.timeline);
  const maxFileSize = parseSize(flags.maxFileSize);
  const [{ checkLoaded, readAndLoadInputs, resolveRuleSet }, { buildReview }, { loadProcedures }, { referenceLocation, versionsLoadedOn }] =
    await Promise.all([
      import('../check.js'),
      import('../report/build-review.js'),
      import('../ruleset/procedures.js'),
      import('../report/report-inputs.js'),
    ]);
  const ruleset = await resolveRuleSet(flags.rules);
  // Only `report` reads the rule set's real procedures; a broken procedures file stops it (exit 2) before any input is read.
  const procedures = loadProcedures(ruleset);
  // Read and parsed once (standard input can only be read once); evaluated on the as-of date and on each timeline date.
  const { inputs, loaded, skipped } = await readAndLoadInputs(paths, ruleset, { maxFileSize, stdin: io.stdin });
  printSkipped(skipped, io);
  const today = flags.today === undefined ? undefined : parseDate(flags.today);
  const result = checkLoaded(loaded, ruleset, { evaluationDate: asOf, today });
  const atDates = (timeline ?? []).map((date) => ({ date, result: checkLoaded(versionsLoadedOn(loaded, date), ruleset, { evaluationDate: date, today }) }));

  printDiagnostics(result.diagnostics, io);
  if (result.results.length === 0) {
    io.stderr('conformity: no Member State could be evaluated; no report written\n');
    return 2;
  }
  const model = buildReview({
    result,
    ruleset,
    procedures,
    referenceAt: (step) => referenceLocation(inputs, step),
    timeline: timeline && atDates,
    filter: { memberStates: list(flags.memberState), topics: list(flags.topic), provisions: list(flags.provision) },
  });
  const render =
    flags.format === 'html' ? (await import('../report/html.js')).renderReviewHtml : (await import('../report/markdown.js')).renderReviewMarkdown;
  await emit(render(model), flags.output, result.inputs.map((i) => i.name), io);
  // The report is a document: findings never fail it; only bad input does.
  return result.diagnostics.length ? 2 : 0;
}

export function registerReport(program: Command, context: CommandContext): void {
  const command = program
    .command('report')
    .description('infringement-review report over many Member States: an EU matrix, topic summaries and one section per Member State')
    .argument('<files...>', `measure files, folders or globs; ${STDIN} reads standard input`)
    .addOption(new Option('-f, --format <format>', 'report format').choices(REVIEW_FORMATS).makeOptionMandatory())
    .option('-o, --output <path>', 'write the report to this file (whole or not at all)')
    .option('--as-of <date>', 'evaluate the law as it stood on this date (YYYY-MM-DD)')
    .option('--timeline <dates>', 'also evaluate on each of these dates (comma-separated YYYY-MM-DD) and show how outcomes changed')
    .option('--member-state <codes>', 'only these Member States (comma-separated, e.g. DE,MT)')
    .option('--topic <topics>', 'only provisions of these topics (comma-separated, e.g. offences,prevention)')
    .option('--provision <keys>', 'only these provisions (comma-separated, e.g. 3(4),22)')
    .addOption(todayOption())
    .addOption(maxFileSizeOption());
  addCommonOptions(command)
    .action(async (files: string[], flags: ReportFlags) => context.setExit(await runReport(files, flags, context)));
}
