import { Option, type Command } from 'commander';
import { STDIN } from '../load/find-files.js';
import type { CommandContext } from './context.js';
import { runExplain, type ExplainFlags } from './direct.js';
import { addCommonOptions, maxFileSizeOption, todayOption } from './options.js';

/** Plain command lines (`explain 3(4) --format json`) run without commander: see direct.ts, which runs the same function. */
export function registerExplain(program: Command, context: CommandContext): void {
  const command = program
    .command('explain')
    .description('a provision\'s rules in plain words; with --measures, how each Member State came out and why')
    .argument('<provision>', 'provision key, e.g. 3(4) (also "Art. 3(4)", "Article 3(4)")')
    .option('-m, --measures <files...>', `measure files, folders or globs to trace (${STDIN} reads standard input)`)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--as-of <date>', 'evaluate the law as it stood on this date (YYYY-MM-DD)')
    .addOption(todayOption())
    .addOption(maxFileSizeOption());
  addCommonOptions(command)
    .action(async (provision: string, flags: ExplainFlags) => context.setExit(await runExplain(provision, flags, context)));
}
