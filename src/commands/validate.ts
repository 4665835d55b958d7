import type { Command } from 'commander';
import { STDIN } from '../load/find-files.js';
import { parseSize, printDiagnostics, type CommandContext } from './context.js';
import { addCommonOptions, maxFileSizeOption, type CommonFlags } from './options.js';
import { addInputOptions, inputFlags, type InputFlags } from './check.js';
import { printSkipped } from './context.js';

type ValidateFlags = CommonFlags & { maxFileSize: string } & InputFlags;

async function runValidate(paths: string[], flags: ValidateFlags, { io }: CommandContext): Promise<number> {
  const { check } = await import('../check.js');
  const result = await check({ paths, rules: flags.rules, stdin: io.stdin, validateOnly: true, maxFileSize: parseSize(flags.maxFileSize), ...inputFlags(flags) });
  printSkipped(result.skipped, io);
  printDiagnostics(result.diagnostics, io);
  if (result.diagnostics.length) return 2;
  if (!flags.quiet) io.stdout(`${result.inputs.length} measure file(s) valid against rule set ${result.ruleset.id} ${result.ruleset.version}\n`);
  return 0;
}

export function registerValidate(program: Command, context: CommandContext): void {
  const command = program
    .command('validate')
    .description('check measure files against the schema and their references, without evaluating')
    .argument('<files...>', `measure files, folders or globs; ${STDIN} reads standard input`)
    .addOption(maxFileSizeOption());
  addCommonOptions(addInputOptions(command), 'print nothing when every file is valid (errors still go to standard error)')
    .action(async (files: string[], flags: ValidateFlags) => context.setExit(await runValidate(files, flags, context)));
}
