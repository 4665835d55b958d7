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
  topic?: string;
  provision?: string;
  from?: string;
  quiet?: boolean;
}

/** `a,b , c` → ['a', 'b', 'c']; undefined stays undefined. */
const list = (value: string | undefined) => value?.split(',').map((v) => v.trim()).filter(Boolean);

async function runInit(memberState: string | undefined, flags: InitFlags, { io }: CommandContext): Promise<number> {
  const [{ loadRuleSet, DEFAULT_RULESET_DIR }, template] = await Promise.all([import('../ruleset/load-ruleset.js'), import('../analyst/init-template.js')]);
  const code = memberState === undefined ? undefined : template.parseMemberState(memberState);
  const today = template.localToday();
  const asOf = flags.asOf === undefined ? today : parseDate(flags.asOf);
  if (flags.output && !flags.force && (await lstat(flags.output).catch(() => undefined))) {
    throw new CheckerError('output', `${flags.output}: the file exists; refusing to overwrite it (use --force to replace it)`);
  }
  if (flags.from !== undefined) {
    if (flags.topic !== undefined || flags.provision !== undefined || flags.schema !== undefined) {
      throw new CheckerError('usage', '--from starts from an existing file: it takes no --topic, --provision or --schema');
    }
    const { readFile } = await import('node:fs/promises');
    const text = await readFile(flags.from, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CheckerError('input', `${flags.from}: cannot read the file (${error.code ?? error.message})`);
    });
    const version = template.newDatedVersion(text, { file: flags.from, asOf, today, memberState: code });
    await emit(version.text, flags.output, [flags.from], io);
    if (flags.output && !flags.quiet) io.stderr(`conformity: wrote ${flags.output}: ${version.memberState} as of ${asOf}, from ${flags.from}\n`);
    return 0;
  }
  if (code === undefined) throw new CheckerError('usage', "missing required argument 'member-state' (or --from FILE)");
  const ruleset = await loadRuleSet(flags.rules ?? DEFAULT_RULESET_DIR);
  const provisions = template.selectProvisions(ruleset, list(flags.topic), list(flags.provision));
  const text = template.initTemplate(ruleset, { memberState: code, asOf, schema: flags.schema ?? template.DEFAULT_SCHEMA_FILE, rulesDir: flags.rules, today, provisions });
  await emit(text, flags.output, ruleset.files, io);
  if (flags.output && !flags.quiet) {
    const count = provisions?.length ?? ruleset.provisions.length;
    io.stderr(`conformity: wrote ${flags.output}: ${count} provisions of Directive ${ruleset.directive} for ${code}, all not-assessed\n`);
  }
  return 0;
}

export function registerInit(program: Command, context: CommandContext): void {
  const command = program
    .command('init')
    .description('write a measure-file template listing the provisions of the rule set (or a new dated version of a description)')
    .argument('[member-state]', 'EU Member State code, e.g. DE (EL for Greece); with --from, taken from the file')
    .option('-o, --output <path>', 'write the template to this file (whole or not at all; not over an existing file)')
    .option('--force', 'with --output, replace an existing file')
    .option('--as-of <date>', 'the date the description will be accurate for (YYYY-MM-DD; default: today)')
    .option('--schema <path-or-url>', 'the JSON Schema the yaml-language-server modeline points at (default: measures.schema.json, next to the file)')
    .option('--topic <topics>', 'only the provisions of these topics (comma-separated, e.g. offences,penalties)')
    .option('--provision <keys>', 'only these provisions (comma-separated, e.g. 3(4),5(2)); with --topic, those of either')
    .option('--from <file>', 'a new dated version of this measure file: the same sources and references, a new as_of');
  addCommonOptions(command, 'no note on standard error after writing the file')
    .action(async (memberState: string | undefined, flags: InitFlags) => context.setExit(await runInit(memberState, flags, context)));
}
