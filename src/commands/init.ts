import { lstat } from 'node:fs/promises';
import type { Command } from 'commander';
import { CheckerError } from '../errors.js';
import { emit, parseDate, type CommandContext } from './context.js';
import { addCommonOptions } from './options.js';

interface InitFlags {
  output?: string;
  force?: boolean;
  rules?: string;
  asOf?: string;
  schema?: string;
  quiet?: boolean;
}

async function runInit(memberState: string, flags: InitFlags, { io }: CommandContext): Promise<number> {
  const [{ loadRuleSet, DEFAULT_RULESET_DIR }, { initTemplate, parseMemberState, localToday, DEFAULT_SCHEMA_FILE }] = await Promise.all([
    import('../ruleset/load-ruleset.js'),
    import('../analyst/init-template.js'),
  ]);
  const code = parseMemberState(memberState);
  const today = localToday();
  const asOf = flags.asOf === undefined ? today : parseDate(flags.asOf);
  if (flags.output && !flags.force && (await lstat(flags.output).catch(() => undefined))) {
    throw new CheckerError('output', `${flags.output}: the file exists; refusing to overwrite it (use --force to replace it)`);
  }
  const ruleset = await loadRuleSet(flags.rules ?? DEFAULT_RULESET_DIR);
  const text = initTemplate(ruleset, { memberState: code, asOf, schema: flags.schema ?? DEFAULT_SCHEMA_FILE, rulesDir: flags.rules, today });
  await emit(text, flags.output, ruleset.files, io);
  if (flags.output && !flags.quiet) {
    io.stderr(`conformity: wrote ${flags.output}: ${ruleset.provisions.length} provisions of Directive ${ruleset.directive} for ${code}, all not-transposed\n`);
  }
  return 0;
}

export function registerInit(program: Command, context: CommandContext): void {
  const command = program
    .command('init')
    .description('write a measure-file template listing every provision of the rule set')
    .argument('<member-state>', 'EU Member State code, e.g. DE (EL for Greece)')
    .option('-o, --output <path>', 'write the template to this file (whole or not at all; not over an existing file)')
    .option('--force', 'with --output, replace an existing file')
    .option('--as-of <date>', 'the date the description will be accurate for (YYYY-MM-DD; default: today)')
    .option('--schema <path-or-url>', 'the JSON Schema the yaml-language-server modeline points at (default: measures.schema.json, next to the file)')
  addCommonOptions(command, 'no note on standard error after writing the file')
    .action(async (memberState: string, flags: InitFlags) => context.setExit(await runInit(memberState, flags, context)));
}
