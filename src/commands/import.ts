import { lstat } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { CheckerError } from '../errors.js';
import { STDIN } from '../load/find-files.js';
import { DEFAULT_MAX_FILE_SIZE } from '../load/read-input.js';
import { terminalSafe } from '../formats/terminal-safe.js';
import { emit, parseDate, parseSize, safeFileName, type CommandContext } from './context.js';
import { addCommonOptions } from './options.js';

interface ImportFlags {
  memberState: string;
  output?: string;
  columns?: string;
  asOf?: string;
  rules?: string;
  force?: boolean;
  maxFileSize: string;
  quiet?: boolean;
}

/**
 * `conformity import TABLE.csv --member-state XX`: a correlation table turned into a measure file.
 * Exit 0 when every row was mapped, 1 when some were left out (the file is still written), 2 on bad
 * usage or an unreadable table.
 */
async function runImport(table: string, flags: ImportFlags, { io }: CommandContext): Promise<number> {
  const [{ loadRuleSet, DEFAULT_RULESET_DIR }, { parseMemberState, localToday }, { importTable, parseColumns }, { readInput }] = await Promise.all([
    import('../ruleset/load-ruleset.js'),
    import('../analyst/init-template.js'),
    import('../analyst/import-table.js'),
    import('../load/read-input.js'),
  ]);
  const memberState = parseMemberState(flags.memberState);
  const today = localToday();
  const asOf = flags.asOf === undefined ? today : parseDate(flags.asOf);
  const columns = flags.columns === undefined ? {} : parseColumns(flags.columns);
  const maxFileSize = parseSize(flags.maxFileSize);
  if (flags.output && !flags.force && (await lstat(flags.output).catch(() => undefined))) {
    throw new CheckerError('output', `${flags.output}: the file exists; refusing to overwrite it (use --force to replace it)`);
  }
  const ruleset = await loadRuleSet(flags.rules ?? DEFAULT_RULESET_DIR);

  const input = await readInput(table, maxFileSize, io.stdin);
  if (!input.bytes) throw new CheckerError('input', `${input.name}: the file is ${input.name === '<stdin>' ? `more than ${input.size - 1}` : input.size} bytes, above the limit (--max-file-size)`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(input.bytes);
  } catch {
    throw new CheckerError('input', `${input.name}: the table is not valid UTF-8; save it as "CSV UTF-8" (comma or semicolon separated)`);
  }

  const result = importTable(text, { file: input.name, memberState, asOf, today, ruleset, columns });
  await emit(result.yaml, flags.output, table === STDIN ? [] : [table], io);

  const name = terminalSafe(safeFileName(input.name));
  if (result.problems.length) {
    io.stderr(`${result.problems.map((p) => `${name}:${p.row}:1: ${terminalSafe(p.message)}`).join('\n')}\n`);
  }
  const others = Object.entries(result.otherMemberStates);
  if (others.length && !flags.quiet) {
    io.stderr(`conformity: skipped ${others.map(([code, n]) => `${n} row(s) for ${terminalSafe(code)}`).join(', ')} (only ${memberState}'s rows are imported)\n`);
  }
  const written = flags.output ? `wrote ${terminalSafe(flags.output)}: ` : '';
  const notMapped = result.problems.length ? `; ${new Set(result.problems.map((p) => p.row)).size} row(s) not mapped in full` : '';
  if (!flags.quiet && (flags.output || result.problems.length)) {
    io.stderr(`conformity: ${written}${result.provisions} provision(s) of Directive ${ruleset.directive} for ${memberState} from ${result.rows} row(s)${notMapped}\n`);
  }
  return result.problems.length ? 1 : 0;
}

export function registerImport(program: Command, context: CommandContext): void {
  const command = program
    .command('import')
    .description('turn a correlation table (CSV, e.g. from check --format csv) into a measure file')
    .argument('<table>', `the table: CSV, comma or semicolon separated, UTF-8; ${STDIN} reads standard input`)
    .requiredOption('-m, --member-state <code>', 'the Member State the table is for, e.g. DE (EL for Greece)')
    .option('-o, --output <path>', 'write the measure file here (whole or not at all; not over an existing file)')
    .option('--force', 'with --output, replace an existing file')
    .option(
      '--columns <mapping>',
      'which column holds what, by header name or 1-based number: provision=H,national=H,comment=H,status=H,source=H,member_state=H',
    )
    .option('--as-of <date>', 'the measure file\'s as_of (YYYY-MM-DD; default: today)')
    .addOption(new Option('--max-file-size <bytes>', 'largest table accepted (k and m suffixes allowed)').default(String(DEFAULT_MAX_FILE_SIZE)));
  addCommonOptions(command, 'list only the rows not mapped on standard error, no summary')
    .action(async (table: string, flags: ImportFlags) => context.setExit(await runImport(table, flags, context)));
}
