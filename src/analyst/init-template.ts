import { isMap, isScalar, parseDocument } from 'yaml';
import { CheckerError } from '../errors.js';
import { unsafeIn } from '../text/characters.js';
import { EU_MEMBER_STATES, memberStateHint } from '../ruleset/member-states.js';
import { didYouMean, normaliseProvisionKey } from '../ruleset/provision.js';
import { factOfCheck, type Check, type FactDefinition, type Rule, type RuleSet } from '../ruleset/types.js';
import { describeCheck, FACT_TYPE_WORDS, orList, selectRules } from './rules-table.js';

/**
 * `conformity init`: a measure-file template that lists the provisions of the rule set (all, or those
 * of some topics, or some provisions) in Directive order, each `not-assessed` and preceded by comments
 * saying what the Directive requires and which facts the rule reads. The template validates as it
 * is, and `check` reports each provision of it as not assessed (missing information) until described.
 */

export interface TemplateOptions {
  memberState: string;
  asOf: string;
  /** The modeline's `$schema`: a path relative to the measure file, an absolute path or a URL. */
  schema: string;
  /** The `--rules DIR` the user gave, repeated in the hint for `conformity schema`. */
  rulesDir?: string;
  /** When the template was written (YYYY-MM-DD). */
  today: string;
  /** Only these provisions (canonical keys, from selectProvisions); default: every one. */
  provisions?: readonly string[];
}

/**
 * The provisions of `--topic A,B` and `--provision 3(4),5(2)` (both: those of either), in Directive
 * order; a usage error with did-you-mean for an unknown topic or provision. Undefined: every provision.
 */
export function selectProvisions(ruleset: RuleSet, topics?: readonly string[], provisions?: readonly string[]): string[] | undefined {
  if (!topics?.length && !provisions?.length) return undefined;
  const chosen = new Set<string>();
  for (const topic of topics ?? []) for (const rule of selectRules(ruleset, topic)) chosen.add(rule.provision);
  for (const given of provisions ?? []) {
    const key = normaliseProvisionKey(given);
    if (!key || !ruleset.rulesByProvision.has(key)) {
      throw new CheckerError('usage', `--provision ${given}: unknown provision${didYouMean(key ?? given, ruleset.provisions)} (\`conformity rules\` lists every provision)`);
    }
    chosen.add(key);
  }
  return ruleset.provisions.filter((key) => chosen.has(key));
}

/** Controls, line breaks and bidi controls (src/text/characters.ts, MEDIA.commentFlag). */
const COMMENT_FLAG_REFUSED = new RegExp(unsafeIn('commentFlag', 'refused'));

/** A value written into a YAML comment line: one line, no control characters; else a usage error naming the flag. */
export function commentSafe(value: string, flag: string): string {
  if (COMMENT_FLAG_REFUSED.test(value) || /\s/.test(value) || value.length > 1000) {
    throw new CheckerError('usage', `${flag} must be a path or URL without spaces, line breaks or control characters`);
  }
  return value;
}

/** The file the modeline points at unless `--schema` says otherwise: next to the measure file. */
export const DEFAULT_SCHEMA_FILE = 'measures.schema.json';

const WIDTH = 100;
/** A fact placeholder reads best on one line: it may run a little longer. */
const FACT_WIDTH = 120;

/** An EU Member State code in upper case, or a usage error (exit 2) naming the valid codes. */
export function parseMemberState(input: string): string {
  const code = input.trim().toUpperCase();
  if ((EU_MEMBER_STATES as readonly string[]).includes(code)) return code;
  const hint = memberStateHint(code);
  throw new CheckerError('usage', `"${input}" is not an EU Member State code${hint}; use one of ${EU_MEMBER_STATES.join(', ')}`);
}

/** Today's date where the analyst is, YYYY-MM-DD. */
export function localToday(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** Controls, line breaks and bidi controls have no place in a YAML comment (src/text/characters.ts, MEDIA.yamlComment). */
const NOT_IN_COMMENT = new RegExp(`(?:${unsafeIn('yamlComment', 'space')})+`, 'g');
/** Rule-set text on one line, without control characters. */
export const oneLine = (text: string) => text.replace(NOT_IN_COMMENT, ' ').replace(/\s+/g, ' ').trim();

/** Words wrapped at WIDTH columns: the first line starts with `lead`, the others with `nextLead`. */
function wrap(text: string, lead: string, nextLead = lead): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of oneLine(text).split(' ')) {
    const prefix = lines.length ? nextLead : lead;
    if (line && prefix.length + line.length + 1 + word.length > WIDTH) {
      lines.push(`${prefix}${line}`);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(`${lines.length ? nextLead : lead}${line}`);
  return lines.map((l) => l.trimEnd());
}

/** `text` as YAML comment lines: `INDENT# text`, continuation lines `INDENT# HANGtext`. */
function comment(text: string, indent: string, hang = ''): string[] {
  return wrap(text, `${indent}# `, `${indent}# ${hang}`);
}

/** A YAML scalar: plain where that is safe, else double-quoted (JSON strings are YAML). */
function scalar(value: string): string {
  return /^[A-Za-z0-9][A-Za-z0-9/._-]*$/.test(value) && !/^(?:true|false|null|yes|no|on|off|~)$/i.test(value) && !/^[0-9._-]+$/.test(value)
    ? value
    : JSON.stringify(value);
}

/** A placeholder value for a fact: of the right shape, never one that passes a check by accident. */
function placeholder(fact: FactDefinition, checks: readonly Check[]): string {
  switch (fact.type) {
    case 'penalty-years': {
      const penalty = checks.find((c): c is Extract<Check, { kind: 'min-max-penalty' }> => c.kind === 'min-max-penalty');
      return penalty && penalty.years === undefined && penalty.belowConsent !== undefined && penalty.aboveConsent !== undefined
        ? '{ below_consent: 0, above_consent: 0 }'
        : '0';
    }
    case 'age':
    case 'years':
    case 'years-or-unlimited':
      return '0';
    case 'date':
      return 'YYYY-MM-DD';
    case 'text':
      return '""';
    case 'text-list':
      return '[]';
    case 'boolean':
      // No value: uncommented and left empty, it is a schema error pointing at this line.
      return '';
  }
}

const CONSENT = 'the age of sexual consent';

/** The figures of a penalty check, short: "at least 8 years below the age of sexual consent, at least 3 at or above it". */
function penaltyShort(check: Extract<Check, { kind: 'min-max-penalty' }>): string {
  const years = (n: number) => `${n} year${n === 1 ? '' : 's'}`;
  if (check.years !== undefined) return `at least ${years(check.years)}`;
  if (check.belowConsent !== undefined && check.aboveConsent !== undefined) {
    return `at least ${years(check.belowConsent)} below ${CONSENT}, at least ${check.aboveConsent} at or above it`;
  }
  if (check.belowConsent !== undefined) return `at least ${years(check.belowConsent)} (child below ${CONSENT})`;
  return `at least ${years(check.aboveConsent!)} (child at or above ${CONSENT})`;
}

/** What a check of each kind asks of the template: the requirement on `fact` it reads, and a line to show beside the facts. */
interface CheckTemplate<K extends Check['kind']> {
  required: (check: Check & { kind: K }, fact: string) => string | undefined;
  line?: (indent: string) => string;
}

/**
 * Per check kind, so that a new kind does not compile until its template is written (not an
 * if-chain that passes it over in silence).
 */
const CHECK_TEMPLATES: { [K in Check['kind']]: CheckTemplate<K> } = {
  'min-max-penalty': { required: (check, fact) => (fact === 'max_penalty_years' ? penaltyShort(check) : undefined) },
  'fact-equals': { required: (check, fact) => (check.fact === fact ? JSON.stringify(check.value) : undefined) },
  'fact-at-least': { required: (check, fact) => (check.fact === fact ? `at least ${check.value}` : undefined) },
  'fact-greater-than': { required: (check, fact) => (check.fact === fact ? `more than ${check.value}` : undefined) },
  'fact-present': { required: (check, fact) => (check.fact === fact ? 'that it is recorded' : undefined) },
  'in-force-by': {
    required: () => undefined,
    line: (indent) => `${indent}#   national: [{ source: ID, article: "…", in_force_from: YYYY-MM-DD }]   # on each reference`,
  },
  'sources-cite-directive': {
    required: () => undefined,
    line: (indent) => `${indent}#   (adopted_to_transpose and references_directive: true or false on each act under sources, at the top of the file)`,
  },
  'analyst-judgement': {
    required: (check, fact) => (check.settledBy?.fact === fact ? `${JSON.stringify(check.settledBy.value)} settles it; otherwise an analyst's assessment` : undefined),
    line: (indent) => `${indent}#   assessment: { outcome: …, reason: "…", by: …, date: YYYY-MM-DD }   # an analyst's judgement decides it`,
  },
  'transposition-complete-by': { required: () => undefined },
};

function templateOf<K extends Check['kind']>(check: Check & { kind: K }): CheckTemplate<K> {
  return CHECK_TEMPLATES[check.kind] as CheckTemplate<K>;
}

/** What the Directive requires of one fact, from the checks that read it. */
function requiredOf(fact: string, checks: readonly Check[]): string | undefined {
  const words = checks.map((check) => templateOf(check).required(check, fact)).filter((w): w is string => w !== undefined);
  return words.length ? words.join('; ') : undefined;
}

/** Type words for the template, shorter than the rule table's. */
const TEMPLATE_TYPE_WORDS: Partial<Record<FactDefinition['type'], string>> = {
  'penalty-years': 'years',
  'years-or-unlimited': 'years, or unlimited',
  years: 'years',
  age: 'whole years',
  date: 'a date',
};

function factWords(fact: FactDefinition): string {
  const type = TEMPLATE_TYPE_WORDS[fact.type] ?? FACT_TYPE_WORDS[fact.type];
  return fact.unit && !type.includes(fact.unit) ? `${fact.unit}; ${type}` : type;
}

/** `#   max_penalty_years: 0   # years; …; the Directive requires at least 5 years …` (wrapped when long). */
function factLine(fact: FactDefinition, checks: readonly Check[], indent: string, read: boolean): string[] {
  const value = placeholder(fact, checks);
  const required = requiredOf(fact.name, checks);
  const note = `${factWords(fact)}; ${required ? `the Directive requires ${required}` : read ? 'read by a check' : 'recorded for the analyst, not checked'}`;
  const head = `${indent}#   ${fact.name}:${value ? ` ${value}` : ''}   # `;
  if (head.length + note.length <= FACT_WIDTH) return [`${head}${note}`];
  // Too long for one line: the type on the line, the requirement on commented lines below it.
  const tail = required ? `the Directive requires ${required}` : read ? 'read by a check' : 'recorded for the analyst, not checked';
  return [`${head}${factWords(fact)}`, ...wrap(tail, `${indent}#       `)];
}

function provisionBlock(key: string, rules: readonly Rule[], ruleset: RuleSet, indent: string): string[] {
  const modalities = [...new Set(rules.map((r) => r.modality))].join(' / ');
  const lines = [`${indent}# Art. ${key} — ${oneLine(rules[0]!.articleTitle)} (${modalities})`];
  const several = rules.length > 1;
  for (const rule of rules) {
    lines.push(...comment(`${several ? `[${rule.modality}] ` : ''}${rule.requirement}`, indent, several ? '  ' : ''));
    for (const check of rule.checks) lines.push(...comment(`Check: ${describeCheck(check, ruleset)}.`, indent, '  '));
    if (rule.appliesWhen) {
      const orFact = rule.appliesWhen.orFact ? `, or where ${rule.appliesWhen.orFact} is recorded` : '';
      lines.push(...comment(`Applies only where ${orList(rule.appliesWhen.anyTransposed)} is transposed${orFact}.`, indent));
    }
    if (rule.modality === 'may') lines.push(...comment('Optional: recorded as not-transposed (not taken up), it is not-applicable.', indent));
  }
  const checks = rules.flatMap((r) => r.checks);
  const read = new Set(checks.map(factOfCheck).filter((f): f is string => f !== undefined));
  const factNames = [...new Set(rules.flatMap((r) => r.facts))];
  const extra = [...new Set(checks.map((c) => templateOf(c).line?.(indent)).filter((l): l is string => l !== undefined))];
  if (factNames.length || extra.length) {
    lines.push(`${indent}# Facts (once transposed, under the provision key):`);
    for (const name of factNames) lines.push(...factLine(ruleset.facts.get(name)!, checks, indent, read.has(name)));
    lines.push(...extra);
  }
  lines.push(`${indent}${JSON.stringify(key)}: { status: not-assessed }`);
  return lines;
}

/** The measure-file template, as YAML text. */
export function initTemplate(ruleset: RuleSet, options: TemplateOptions): string {
  // The worked example is a provision of this rule set: the first with a penalty to record, if any.
  const penaltyRule = ruleset.rules.find((r) => r.checks.some((c) => c.kind === 'min-max-penalty'));
  const example = { key: penaltyRule?.provision ?? ruleset.provisions[0]!, penalty: penaltyRule !== undefined };
  const citesDirective = ruleset.rules.find((r) => r.checks.some((c) => c.kind === 'sources-cite-directive'));
  const schema = commentSafe(options.schema, '--schema');
  const rulesDir = options.rulesDir === undefined ? undefined : commentSafe(options.rulesDir, '--rules');
  const schemaHint = `conformity schema${rulesDir ? ` --rules ${rulesDir}` : ''} --output ${schema === DEFAULT_SCHEMA_FILE ? DEFAULT_SCHEMA_FILE : 'PATH'}`;
  const keys = options.provisions ?? ruleset.provisions;
  const part = options.provisions ? ` It lists ${keys.length} of the rule set's ${ruleset.provisions.length} provisions; the others, left out, are not assessed either.` : '';
  const out: string[] = [
    `# yaml-language-server: $schema=${schema}`,
    '#',
    ...comment(
      `Measure file for ${options.memberState} under Directive ${ruleset.directive} (rule set ${ruleset.id} ${ruleset.version}), ` +
        `started with \`conformity init\` on ${options.today}.`,
      '',
    ),
    '#',
    ...comment(
      'Editor support: the first line tells the YAML language server (in VS Code, the YAML extension by Red Hat) ' +
        'where the JSON Schema for this file is, so that it completes provision keys and facts, shows what each ' +
        `means and flags mistakes as you type. It points at ${schema}${schema === DEFAULT_SCHEMA_FILE ? ', next to this file' : ''}; write that file with`,
      '',
    ),
    `#   ${schemaHint}`,
    ...comment('(a relative path is read from the folder of this file; change the line if the schema lives elsewhere).', ''),
    '#',
    ...comment(
      'Every provision below starts as not-assessed, so `conformity check` reports each as not assessed ' +
        `(information missing, a warning) until you describe the national measure.${part} For each provision:`,
      '',
    ),
    '#   1. list the national acts under sources, by a short id;',
    '#   2. replace { status: not-assessed } with the measure and the facts listed above the key',
    '#      (status: not-transposed where national law has none):',
    `#        ${JSON.stringify(example.key)}:`,
    '#          status: transposed          # or partial',
    '#          national:                   # where national law does it',
    '#            - { source: cc, article: "art. 100", in_force_from: 2021-07-01 }',
    ...(example.penalty ? ['#          max_penalty_years: 10       # or life; or { below_consent: 10, above_consent: 5 }'] : []),
    '#      A fact may also be written on a national reference: it then counts only while that',
    '#      reference is in force.',
    `#   3. run \`conformity check THIS_FILE\`; \`conformity explain ${example.key} --measures THIS_FILE\` shows why a`,
    '#      provision came out as it did.',
    '#',
    'format: 1',
    `directive: ${scalar(ruleset.directive)}`,
    `member_state: ${options.memberState}`,
    `as_of: ${options.asOf}   # the date this description is accurate for`,
  ];
  const memberStateFacts = [...ruleset.facts.values()].filter((f) => f.scope === 'member-state');
  for (const fact of memberStateFacts) {
    const checks = ruleset.rules.flatMap((r) => r.checks).filter((c) => 'fact' in c && c.fact === fact.name);
    out.push(...comment(`${fact.title}: ${fact.description}`, ''));
    out.push(...factLine(fact, checks, '', checks.length > 0).map((l) => l.replace(/^# {3}/, '# ')));
  }
  out.push(
    '',
    ...comment('The national acts cited below, by a short id, e.g.:', ''),
    '#   cc:',
    '#     title: Criminal Code',
    '#     abbreviation: CC                 # optional: how findings cite it ("CC art. 100")',
    '#     url: https://example.org/criminal-code',
    ...(citesDirective ? [`#     references_directive: false      # Art. ${citesDirective.provision}: does the act refer to the Directive?`] : []),
    'sources: {}',
    '',
    'provisions:',
  );
  let article = '';
  for (const key of keys) {
    const rules = ruleset.rulesByProvision.get(key)!;
    const first = rules[0]!;
    if (first.article !== article) {
      article = first.article;
      out.push('', ...comment(`-- Article ${article}: ${first.articleTitle} --`, '  '), `  # ${oneLine(first.url)}`);
    }
    else out.push('');
    out.push(...provisionBlock(key, rules, ruleset, '  '));
  }
  return `${out.join('\n')}\n`;
}

/**
 * `init --from FILE`: a new dated version of an existing description: the file as it is (sources,
 * references, facts, comments), with `as_of` set to the new date and a note saying where it came
 * from. The new date must be later than the old one (two versions of one date would clash).
 */
export function newDatedVersion(text: string, options: { file: string; asOf: string; today: string; memberState?: string }): { text: string; memberState: string } {
  const doc = parseDocument(text, { prettyErrors: false });
  const lineCounter = text.slice(0, doc.errors[0]?.pos[0] ?? 0).split('\n');
  if (doc.errors.length) {
    throw new CheckerError('input', `${options.file}:${lineCounter.length}:${lineCounter.at(-1)!.length + 1}: not a readable measure file: ${doc.errors[0]!.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  const pairOf = (key: string) => (isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === key) : undefined);
  const asOfPair = pairOf('as_of');
  const memberPair = pairOf('member_state');
  if (!asOfPair || !isScalar(asOfPair.value) || !asOfPair.value.range || !memberPair || !isScalar(memberPair.value)) {
    throw new CheckerError('input', `${options.file}:1:1: not a measure file with member_state and as_of to start a new version from`);
  }
  const memberState = parseMemberState(String(memberPair.value.value));
  if (options.memberState !== undefined && options.memberState !== memberState) {
    throw new CheckerError('usage', `${options.file} describes ${memberState}, not ${options.memberState}`);
  }
  const old = String(asOfPair.value.value);
  if (!(options.asOf > old)) {
    throw new CheckerError('usage', `the new version's as_of (${options.asOf}) must be later than ${options.file}'s (${oneLine(old)}); give --as-of`);
  }
  const [start, end] = asOfPair.value.range;
  const note = comment(`New version of ${oneLine(options.file)} (as of ${oneLine(old)}), started with \`conformity init --from\` on ${options.today}: the same sources and references; update what changed by ${options.asOf}.`, '');
  const body = `${text.slice(0, start)}${options.asOf}${text.slice(end)}`;
  // The modeline stays the first line, where the language server looks for it.
  const modeline = /^# yaml-language-server:[^\n]*\n/.exec(body)?.[0] ?? '';
  return { text: `${modeline}${note.join('\n')}\n${body.slice(modeline.length)}`, memberState };
}
