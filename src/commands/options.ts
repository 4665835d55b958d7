import { Option, type Command } from 'commander';
import { DEFAULT_MAX_FILE_SIZE } from '../load/read-input.js';

/** Options several commands share. */
export const rulesOption = () => new Option('--rules <dir>', 'rule-set folder (default: the built-in 2011/93/EU rules)');
export const maxFileSizeOption = () =>
  new Option('--max-file-size <bytes>', 'largest measure file accepted (k and m suffixes allowed)').default(String(DEFAULT_MAX_FILE_SIZE));

/** The day of the run, for assessments' `expires`: fixed for reproducible reports. */
export const todayOption = () => new Option('--today <date>', "the day of the run (YYYY-MM-DD) that assessments' expires dates are compared with (default: today)");

/** The flags every command takes (commands/direct.ts reads the same ones without commander). */
export interface CommonFlags {
  rules?: string;
  color?: boolean;
  quiet?: boolean;
}

/**
 * `--rules`, `--color`, `--no-color` and, where it means something, `-q, --quiet` on `command`: defined
 * once, so every command takes the same flags with the same words. `quiet` says what --quiet does there.
 */
export function addCommonOptions(command: Command, quiet?: string): Command {
  command
    .addOption(rulesOption())
    .addOption(new Option('--color', 'force colour (where the output has any)'))
    .addOption(new Option('--no-color', 'no colour'));
  return quiet ? command.addOption(new Option('-q, --quiet', quiet)) : command;
}
