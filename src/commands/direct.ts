import { terminalWidth } from '../formats/terminal-safe.js';
import { parseDate, parseSize, printDiagnostics, type CommandContext } from './context.js';

/**
 * `explain` and `rules`, run straight from the command line without loading commander (some 10 ms,
 * a large part of what their start-up took beyond bare Node). Only the plain forms are taken here: the command, its operands and its
 * options, each option with a value that commander would read the same way. Anything else (help, an
 * unknown or misspelt option, a missing or odd value, a choice not offered, `--`, too many or too
 * few operands, the global options) goes to commander, which parses it with its own errors and
 * help. commands/explain.ts and commands/rules.ts register the same commands with commander and run
 * the same functions.
 */

export interface ExplainFlags {
  measures?: string[];
  format: 'text' | 'json';
  asOf?: string;
  today?: string;
  rules?: string;
  /** Commander always gives it (its default); a direct run takes no measures and leaves it out. */
  maxFileSize?: string;
  /** Taken as every command takes it (commands/options.ts); explain's text has no colour. */
  color?: boolean;
}

export async function runExplain(provision: string, flags: ExplainFlags, { io }: CommandContext): Promise<number> {
  const asOf = flags.asOf === undefined ? undefined : parseDate(flags.asOf);
  const { explain, explainJson, explainText } = await import('../analyst/explain.js');
  const explanation = await explain({
    provision,
    measures: flags.measures,
    asOf,
    today: flags.today === undefined ? undefined : parseDate(flags.today),
    rules: flags.rules,
    stdin: io.stdin,
    maxFileSize: flags.maxFileSize === undefined ? undefined : parseSize(flags.maxFileSize),
  });
  io.stdout(flags.format === 'json' ? explainJson(explanation) : explainText(explanation, terminalWidth(io.columns, io.env)));
  printDiagnostics(explanation.diagnostics, io);
  // Findings are what explain shows, never a failure; only bad input is.
  return explanation.diagnostics.length ? 2 : 0;
}

export interface RulesFlags {
  topic?: string;
  format: 'text' | 'json' | 'markdown';
  rules?: string;
  color?: boolean;
}

export async function runRules(flags: RulesFlags, { io }: CommandContext): Promise<number> {
  const [{ loadRuleSet, DEFAULT_RULESET_DIR }, { renderRules }] = await Promise.all([import('../ruleset/load-ruleset.js'), import('../analyst/rules-table.js')]);
  const ruleset = await loadRuleSet(flags.rules ?? DEFAULT_RULESET_DIR);
  const { format, topic } = flags;
  // The Markdown table's module is loaded only for it: start-up.
  io.stdout(format === 'markdown' ? (await import('../analyst/rules-markdown.js')).renderRulesMarkdown(ruleset, topic) : renderRules(ruleset, { format, topic, columns: terminalWidth(io.columns, io.env) }));
  return 0;
}

/** An option under each of its names: one that takes a value (`choices` as registered with commander), or a flag with the value it sets. */
interface ValueOption {
  key: string;
  choices?: readonly string[];
  flag?: boolean;
}

/** The common flags without a value (commands/options.ts registers them with commander). */
const COLOR: ValueOption = { key: 'color', flag: true };
const NO_COLOR: ValueOption = { key: 'color', flag: false };
const COMMON_FLAGS: Record<string, ValueOption> = { '--color': COLOR, '--no-color': NO_COLOR };

// Kept in step with registerExplain and registerRules (a test compares the two ways on every form taken here).
const FORMAT_EXPLAIN: ValueOption = { key: 'format', choices: ['text', 'json'] };
const FORMAT_RULES: ValueOption = { key: 'format', choices: ['text', 'json', 'markdown'] };
const AS_OF: ValueOption = { key: 'asOf' };
const TODAY: ValueOption = { key: 'today' };
const RULES_DIR: ValueOption = { key: 'rules' };
const TOPIC: ValueOption = { key: 'topic' };

const EXPLAIN_OPTIONS: Record<string, ValueOption> = { ...COMMON_FLAGS, '-f': FORMAT_EXPLAIN, '--format': FORMAT_EXPLAIN, '--as-of': AS_OF, '--today': TODAY, '--rules': RULES_DIR };
const RULES_OPTIONS: Record<string, ValueOption> = { ...COMMON_FLAGS, '-t': TOPIC, '--topic': TOPIC, '-f': FORMAT_RULES, '--format': FORMAT_RULES, '--rules': RULES_DIR };

/** Operands and option values, when every argument is a plain operand or a known option with a plain value; else undefined. */
export function parsePlain(args: readonly string[], options: Record<string, ValueOption>): { operands: string[]; values: Record<string, string | boolean> } | undefined {
  const operands: string[] = [];
  const values: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) {
      operands.push(arg);
      continue;
    }
    const flag = Object.hasOwn(options, arg) ? options[arg]!.flag : undefined;
    if (flag !== undefined) {
      values[options[arg]!.key] = flag;
      continue;
    }
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = equals === -1 ? arg : arg.slice(0, equals);
    const value = equals === -1 ? args[++i] : arg.slice(equals + 1);
    const option = Object.hasOwn(options, name) ? options[name]! : undefined;
    if (!option || option.flag !== undefined || value === undefined || value === '' || value.startsWith('-')) return undefined;
    if (option.choices && !option.choices.includes(value)) return undefined;
    values[option.key] = value;
  }
  return { operands, values };
}

/** The run of `argv` when it is a plain `explain` or `rules` command line; else undefined (commander's turn). */
export function directRun(argv: readonly string[]): ((context: CommandContext) => Promise<number>) | undefined {
  const [command, ...args] = argv;
  if (command === 'explain') {
    const parsed = parsePlain(args, EXPLAIN_OPTIONS);
    if (parsed?.operands.length !== 1) return undefined;
    const flags = { format: 'text', ...parsed.values } as ExplainFlags;
    return (context) => runExplain(parsed.operands[0]!, flags, context);
  }
  if (command === 'rules') {
    const parsed = parsePlain(args, RULES_OPTIONS);
    if (!parsed || parsed.operands.length !== 0) return undefined;
    const flags = { format: 'text', ...parsed.values } as RulesFlags;
    return (context) => runRules(flags, context);
  }
  return undefined;
}
