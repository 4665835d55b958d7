import type { Command } from 'commander';
import { registerCheck } from './check.js';
import type { CommandContext } from './context.js';
import { registerDiff } from './diff.js';
import { registerExplain } from './explain.js';
import { registerImport } from './import.js';
import { registerInit } from './init.js';
import { registerReport } from './report.js';
import { registerRules } from './rules.js';
import { registerSchema } from './schema.js';
import { registerValidate } from './validate.js';

/**
 * Every command, in the order `--help` lists them. Each registers its options here and loads its
 * implementation only when it runs, so that `--version` and `--help` start fast.
 */
export const COMMANDS: ((program: Command, context: CommandContext) => void)[] = [
  registerCheck,
  registerValidate,
  registerReport,
  registerDiff,
  registerInit,
  registerImport,
  registerExplain,
  registerRules,
  registerSchema,
];
