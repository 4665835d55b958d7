import type { Command } from 'commander';
import type { CommandContext } from './context.js';

type Register = (program: Command, context: CommandContext) => void;

/**
 * Every command, in the order `--help` lists them, each loaded only when it is the one run (or when
 * help lists them all), so that start-up stays close to bare Node.
 */
export const COMMANDS: Record<string, () => Promise<Register>> = {
  check: async () => (await import('./check.js')).registerCheck,
  validate: async () => (await import('./validate.js')).registerValidate,
  report: async () => (await import('./report.js')).registerReport,
  diff: async () => (await import('./diff.js')).registerDiff,
  init: async () => (await import('./init.js')).registerInit,
  import: async () => (await import('./import.js')).registerImport,
  explain: async () => (await import('./explain.js')).registerExplain,
  rules: async () => (await import('./rules.js')).registerRules,
  schema: async () => (await import('./schema.js')).registerSchema,
};
