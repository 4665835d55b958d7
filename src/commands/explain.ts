import { Option, type Command } from 'commander';
import { STDIN } from '../load/find-files.js';
import { maxFileSizeOption, parseDate, parseSize, printDiagnostics, rulesOption, type CommandContext } from './context.js';

interface ExplainFlags {
  measures?: string[];
  format: 'text' | 'json';
  asOf?: string;
  rules?: string;
  maxFileSize: string;
}

async function runExplain(provision: string, flags: ExplainFlags, { io }: CommandContext): Promise<number> {
  const asOf = flags.asOf === undefined ? undefined : parseDate(flags.asOf);
  const { explain, explainJson, explainText } = await import('../analyst/explain.js');
  const explanation = await explain({
    provision,
    measures: flags.measures,
    asOf,
    rules: flags.rules,
    stdin: io.stdin,
    maxFileSize: parseSize(flags.maxFileSize),
  });
  io.stdout(flags.format === 'json' ? explainJson(explanation) : explainText(explanation));
  printDiagnostics(explanation.diagnostics, io);
  // Findings are what explain shows, never a failure; only bad input is.
  return explanation.diagnostics.length ? 2 : 0;
}

export function registerExplain(program: Command, context: CommandContext): void {
  program
    .command('explain')
    .description('a provision\'s rules in plain words; with --measures, how each Member State came out and why')
    .argument('<provision>', 'provision key, e.g. 3(4) (also "Art. 3(4)", "Article 3(4)")')
    .option('-m, --measures <files...>', `measure files, folders or globs to trace (${STDIN} reads standard input)`)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--as-of <date>', 'evaluate the law as it stood on this date (YYYY-MM-DD)')
    .addOption(rulesOption())
    .addOption(maxFileSizeOption())
    .action(async (provision: string, flags: ExplainFlags) => context.setExit(await runExplain(provision, flags, context)));
}
