import { Option, type Command } from 'commander';
import type { CommandContext } from './context.js';
import { runRules, type RulesFlags } from './direct.js';
import { addCommonOptions } from './options.js';

/** Plain command lines (`rules --format json`) run without commander: see direct.ts, which runs the same function. */
export function registerRules(program: Command, context: CommandContext): void {
  const command = program
    .command('rules')
    .description('the rule set as a table: id, provision, article, topic, modality, thresholds')
    .option('-t, --topic <topic>', 'only the rules of this topic (e.g. offences)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
  addCommonOptions(command)
    .action(async (flags: RulesFlags) => context.setExit(await runRules(flags, context)));
}
