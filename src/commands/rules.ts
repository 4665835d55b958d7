import { Option, type Command } from 'commander';
import { rulesOption, type CommandContext } from './context.js';

interface RulesFlags {
  topic?: string;
  format: 'text' | 'json' | 'markdown';
  rules?: string;
}

async function runRules(flags: RulesFlags, { io }: CommandContext): Promise<number> {
  const [{ loadRuleSet, DEFAULT_RULESET_DIR }, { renderRules }] = await Promise.all([import('../ruleset/load-ruleset.js'), import('../analyst/rules-table.js')]);
  const ruleset = await loadRuleSet(flags.rules ?? DEFAULT_RULESET_DIR);
  io.stdout(renderRules(ruleset, { format: flags.format, topic: flags.topic, columns: io.columns ?? 160 }));
  return 0;
}

export function registerRules(program: Command, context: CommandContext): void {
  program
    .command('rules')
    .description('the rule set as a table: id, provision, article, topic, modality, thresholds')
    .option('-t, --topic <topic>', 'only the rules of this topic (e.g. offences)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'markdown']).default('text'))
    .addOption(rulesOption())
    .action(async (flags: RulesFlags) => context.setExit(await runRules(flags, context)));
}
