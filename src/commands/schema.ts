import type { Command } from 'commander';
import { emit, type CommandContext } from './context.js';
import { addCommonOptions } from './options.js';

interface SchemaFlags {
  output?: string;
  rules?: string;
}

async function runSchema(flags: SchemaFlags, { io }: CommandContext): Promise<number> {
  const [{ loadRuleSet, DEFAULT_RULESET_DIR }, { deriveMeasureSchema }] = await Promise.all([
    import('../ruleset/load-ruleset.js'),
    import('../ruleset/measure-schema.js'),
  ]);
  const ruleset = await loadRuleSet(flags.rules ?? DEFAULT_RULESET_DIR);
  // The rule files are the inputs: --output never overwrites one of them.
  await emit(`${JSON.stringify(deriveMeasureSchema(ruleset), null, 2)}\n`, flags.output, ruleset.files, io);
  return 0;
}

export function registerSchema(program: Command, context: CommandContext): void {
  const command = program
    .command('schema')
    .description('print the JSON Schema (draft 2020-12) for measure files, derived from the rule set')
    .option('-o, --output <path>', 'write the schema to this file (whole or not at all), e.g. measures.schema.json')
  addCommonOptions(command)
    .action(async (flags: SchemaFlags) => context.setExit(await runSchema(flags, context)));
}
