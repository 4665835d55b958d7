import type { CheckTrace, MemberStateResult, RuleResult } from '../evaluate/result.js';
import { CheckerError } from '../errors.js';
import { loadRuleSet } from '../ruleset/load-ruleset.js';
import { terminalSafe } from '../formats/terminal-safe.js';
import { wrapText } from '../formats/text-layout.js';
import { didYouMean, normaliseProvisionKey } from '../ruleset/provision.js';
import type { RuleSet } from '../ruleset/types.js';
import type { Diagnostic, MeasureSet, Outcome, SourceLocation } from '../types.js';
import { VERSION } from '../version.js';
import { ruleJson } from './rules-table.js';

/**
 * `conformity explain PROVISION [--measures FILE...]`: a provision's rules in plain words and, with
 * measure files, each Member State's trace: what every check read (with FILE:LINE:COLUMN), what it
 * compared, the national provisions in force on the evaluation date, and any assessment.
 */

export interface ExplainOptions {
  /** The provision as the user wrote it: `3(4)`, `Art. 3(4)`, `article 3 (4)`. */
  provision: string;
  /** Measure files, folders or globs; `-` is standard input. */
  measures?: readonly string[];
  asOf?: string;
  /** The day of the run, for assessments' `expires` (default: today, UTC). */
  today?: string;
  rules?: string | RuleSet;
  maxFileSize?: number;
  stdin?: (maxBytes?: number) => Promise<Uint8Array>;
}

type Place = { file: string; line: number; column: number };
const place = (at: SourceLocation | undefined): Place | null => (at ? { file: at.file, line: at.line, column: at.column } : null);

export interface NationalTrace {
  source: string;
  /** As findings cite it: "CC s. 111 (new)". */
  label: string;
  article: string;
  in_force_from: string | null;
  in_force_until: string | null;
  /** Whether it counts on the evaluation date. */
  in_force: boolean;
  at: Place;
}

export interface RuleTrace {
  rule: string;
  obligation: string;
  modality: string;
  outcome: Outcome;
  computed_outcome: Outcome;
  severity: string;
  message: string;
  at: Place;
  /** What the measure file says of the provision; null when it has no entry. */
  entry: { status: string; at: Place; notes: string | null } | null;
  /** National provisions behind the outcome, as findings cite them. */
  national: string[];
  national_references: NationalTrace[];
  checks: {
    kind: string;
    status: CheckTrace['status'];
    expected: string;
    message: string;
    read: { fact: string; value: unknown; at: Place; reference: string | null }[];
    /** Penalty checks: the binding national figure per age group, against the Directive's. */
    comparisons?: { group: string | null; national: string; national_years: number; required_years: number; verdict: string; at: Place }[];
    at: Place | null;
  }[];
  assessment: {
    outcome: Outcome;
    state: string;
    reason: string;
    by: string | null;
    date: string | null;
    expires: string | null;
    at: Place;
  } | null;
}

export interface MemberStateTrace {
  member_state: string;
  /** The date the law was evaluated at. */
  evaluated_at: string;
  /** Where that date comes from: `--as-of`, or the files' own `as_of`. */
  evaluated_at_from: '--as-of' | 'as_of';
  declared_as_of: string;
  files: string[];
  /** The provision's outcome: the worst of its rules'. */
  outcome: Outcome;
  rules: RuleTrace[];
}

export interface Explanation {
  tool: { name: 'conformity'; version: string };
  ruleset: { id: string; directive: string; version: string; hash: string };
  provision: string;
  /** The provision as given on the command line. */
  input: string;
  as_of: string | null;
  rules: ReturnType<typeof ruleJson>[];
  /** Present with --measures: one trace per Member State and date. */
  member_states?: MemberStateTrace[];
  diagnostics: Diagnostic[];
}

/** The canonical key of a provision the rule set covers, or a usage error with did-you-mean (exit 2). */
export function resolveProvision(input: string, ruleset: RuleSet): string {
  const canonical = normaliseProvisionKey(input);
  if (canonical && ruleset.rulesByProvision.has(canonical)) return canonical;
  const shown = canonical && canonical !== input ? `"${input}" (${canonical})` : `"${input}"`;
  const hint = didYouMean(canonical ?? input, ruleset.provisions);
  const why = canonical ? `the rule set ${ruleset.id} has no rule for it` : 'provision keys look like 3(4), 3(5)(ii) or 22';
  throw new CheckerError('usage', `unknown provision ${shown}${hint || `: ${why}`} (\`conformity rules\` lists every provision)`);
}

/** Standard input read once, however many times it is asked for. */
function once(read?: (maxBytes?: number) => Promise<Uint8Array>): ((maxBytes?: number) => Promise<Uint8Array>) | undefined {
  if (!read) return undefined;
  let bytes: Promise<Uint8Array> | undefined;
  return (maxBytes) => (bytes ??= read(maxBytes));
}

function labelOf(set: MeasureSet, source: string, article: string): string {
  const s = set.sources.get(source);
  return `${s?.abbreviation ?? s?.title ?? source} ${article}`;
}

/** What tracing needs of evaluation, loaded only with measure files (explain without them starts as fast as `rules`). */
interface TraceHelpers {
  isInForce: typeof import('../evaluate/checks.js').isInForce;
  worstOutcome: typeof import('../evaluate/result.js').worstOutcome;
}

function ruleTrace(result: RuleResult, set: MeasureSet | undefined, date: string, { isInForce }: TraceHelpers): RuleTrace {
  const entry = set?.provisions.get(result.rule.provision);
  const a = result.assessment;
  return {
    rule: result.rule.id,
    obligation: result.rule.obligation,
    modality: result.rule.modality,
    outcome: result.outcome,
    computed_outcome: result.computedOutcome,
    severity: result.severity,
    message: result.message,
    at: place(result.at)!,
    entry: entry ? { status: entry.status.value, at: place(entry.status.at)!, notes: entry.notes ?? null } : null,
    national: result.national,
    national_references: (entry?.national ?? []).map((ref) => ({
      source: ref.source,
      label: labelOf(set!, ref.source, ref.article),
      article: ref.article,
      in_force_from: ref.inForceFrom ?? null,
      in_force_until: ref.inForceUntil ?? null,
      in_force: isInForce(ref, date),
      at: place(ref.at)!,
    })),
    checks: result.checks.map((c) => ({
      kind: c.kind,
      status: c.status,
      expected: c.expected,
      message: c.message,
      read: c.read.map((r) => ({ fact: r.fact, value: r.value, at: place(r.at)!, reference: r.reference ?? null })),
      ...(c.comparisons && {
        comparisons: c.comparisons.map((x) => ({
          group: x.group ?? null,
          national: x.national,
          national_years: x.nationalYears,
          required_years: x.requiredYears,
          verdict: x.verdict,
          at: place(x.at)!,
        })),
      }),
      at: place(c.at),
    })),
    assessment: a
      ? { outcome: a.outcome, state: a.state, reason: a.reason, by: a.by ?? null, date: a.date ?? null, expires: a.expires ?? null, at: place(a.at)! }
      : null,
  };
}

function memberStateTrace(result: MemberStateResult, set: MeasureSet | undefined, provision: string, asOf: string | undefined, helpers: TraceHelpers): MemberStateTrace {
  const rules = result.rules.filter((r) => r.rule.provision === provision);
  return {
    member_state: result.memberState,
    evaluated_at: result.evaluatedAt,
    evaluated_at_from: asOf ? '--as-of' : 'as_of',
    declared_as_of: result.declaredAsOf,
    files: result.files,
    outcome: result.provisions.find((p) => p.provision === provision)?.outcome ?? helpers.worstOutcome(rules.map((r) => r.outcome)),
    rules: rules.map((r) => ruleTrace(r, set, result.evaluatedAt, helpers)),
  };
}

/** Builds the explanation; with `measures`, evaluates them exactly as `check` does (loadInputs, checkLoaded). */
export async function explain(options: ExplainOptions): Promise<Explanation> {
  const ruleset = typeof options.rules === 'object' ? options.rules : await loadRuleSet(options.rules);
  const provision = resolveProvision(options.provision, ruleset);
  const rules = ruleset.rulesByProvision.get(provision)!;
  const explanation: Explanation = {
    tool: { name: 'conformity', version: VERSION },
    ruleset: { id: ruleset.id, directive: ruleset.directive, version: ruleset.version, hash: ruleset.hash },
    provision,
    input: options.provision,
    as_of: options.asOf ?? null,
    rules: rules.map((rule) => ruleJson(rule, ruleset)),
    diagnostics: [],
  };
  if (!options.measures?.length) return explanation;

  // Evaluation (YAML, ajv) and file reading are loaded only when there is something to evaluate.
  const [{ checkLoaded, readAndLoadInputs }, { isInForce }, { worstOutcome }, { mergeMeasureDocuments }] = await Promise.all([
    import('../check.js'),
    import('../evaluate/checks.js'),
    import('../evaluate/result.js'),
    import('../load/merge.js'),
  ]);
  const { loaded } = await readAndLoadInputs(options.measures, ruleset, { maxFileSize: options.maxFileSize, stdin: once(options.stdin) });
  const result = checkLoaded(loaded, ruleset, { evaluationDate: options.asOf, today: options.today });
  // The measure sets too, for what a result does not carry: each national reference with its dates.
  const sets = mergeMeasureDocuments(loaded.documents).sets;
  const setOf = (r: MemberStateResult) => sets.find((s) => s.memberState === r.memberState && s.asOf === r.declaredAsOf);
  const { diagnostics: _none, ...head } = explanation;
  return { ...head, member_states: result.results.map((r) => memberStateTrace(r, setOf(r), provision, options.asOf, { isInForce, worstOutcome })), diagnostics: result.diagnostics };
}

/** A fact's value as an analyst would write it: `10`, `{ below_consent: 10, above_consent: 2 }`, `"unlimited"`. */
export function showValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(showValue).join(', ')}]`;
  if (value && typeof value === 'object') {
    return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${showValue(v)}`).join(', ')} }`;
  }
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const where = (at: Place | null | undefined) => (at ? `${at.file}:${at.line}:${at.column}` : '');
const MODALITY_WORDS: Record<string, string> = { shall: 'mandatory', 'shall-endeavour': 'mandatory: best efforts', may: 'optional' };

function describeRule(rule: Explanation['rules'][number], lines: string[]): void {
  lines.push(`Rule ${rule.id}`);
  lines.push(`  Provision:     ${rule.provision}${rule.obligation !== rule.provision ? ` (obligation ${rule.obligation})` : ''}`);
  lines.push(`  Article:       Art. ${rule.article} — ${rule.article_title}`);
  lines.push(`  Topic:         ${rule.topic}`);
  lines.push(`  Modality:      ${rule.modality} (${MODALITY_WORDS[rule.modality] ?? rule.modality})`);
  lines.push(`  Requirement:   ${rule.requirement}`);
  if (rule.applies_when) lines.push(`  Applies when:  at least one of ${rule.applies_when.any_transposed.join(', ')} is transposed`);
  if (rule.checks.length === 0) {
    lines.push('  Checks:        none beyond the measure itself: transposed with a national provision in force is conform');
  } else {
    lines.push('  Checks:');
    for (const check of rule.checks) lines.push(`    - ${check.kind}: ${check.description}`);
  }
  const read = rule.facts.filter((f) => f.use === 'read');
  const optional = rule.facts.filter((f) => f.use === 'optional');
  const factLine = (f: (typeof rule.facts)[number]) => {
    const where = f.scope === 'member-state' ? ', top of the file' : f.scope === 'national-reference' ? ', on national references' : f.scope === 'source' ? ', under sources' : '';
    return `    - ${f.name} (${f.type}${f.unit ? `, ${f.unit}` : ''}${where}): ${f.title}. ${f.description}`;
  };
  if (read.length) lines.push('  Facts read:', ...read.map(factLine));
  if (optional.length) lines.push('  Optional facts (recorded for the analyst, not checked):', ...optional.map(factLine));
  if (!read.length && !optional.length) lines.push('  Facts read:    none');
  lines.push(`  Official text: ${rule.url}`);
}

function traceLines(state: MemberStateTrace, lines: string[]): void {
  const from = state.evaluated_at_from === '--as-of' ? `--as-of; the files are as of ${state.declared_as_of}` : 'the files\' as_of';
  lines.push(`${state.member_state} — law as of ${state.evaluated_at} (${from})`);
  lines.push(`  Files: ${state.files.join(', ')}`);
  lines.push(`  Provision outcome: ${state.outcome}`);
  for (const rule of state.rules) {
    lines.push(`  Rule ${rule.rule}: ${rule.outcome} (computed: ${rule.computed_outcome})`);
    if (!rule.entry) lines.push('    Recorded: no entry for this provision in the measure files');
    else lines.push(`    Recorded: status ${rule.entry.status} at ${where(rule.entry.at)}${rule.entry.notes ? ` — notes: ${rule.entry.notes}` : ''}`);
    const inForce = rule.national_references.filter((n) => n.in_force);
    const outOfForce = rule.national_references.filter((n) => !n.in_force);
    const dates = (n: NationalTrace) => {
      const parts = [n.in_force_from ? `from ${n.in_force_from}` : '', n.in_force_until ? `until ${n.in_force_until}` : ''].filter(Boolean);
      return parts.length ? ` [${parts.join(', ')}]` : '';
    };
    if (rule.national_references.length) {
      lines.push(`    National provisions in force on ${state.evaluated_at}:${inForce.length ? '' : ' none'}`);
      for (const n of inForce) lines.push(`      - ${n.label}${dates(n)} at ${where(n.at)}`);
      if (outOfForce.length) {
        lines.push(`    Not in force on ${state.evaluated_at} (not counted):`);
        for (const n of outOfForce) lines.push(`      - ${n.label}${dates(n)} at ${where(n.at)}`);
      }
    }
    if (rule.checks.length === 0 && rule.entry) lines.push('    Checks: none ran (a national provision in force is all this rule asks, once transposed)');
    for (const check of rule.checks) {
      lines.push(`    Check ${check.kind}: ${check.status}`);
      if (check.read.length === 0) lines.push('      read: nothing recorded');
      for (const r of check.read) lines.push(`      read: ${r.fact} = ${showValue(r.value)} at ${where(r.at)}`);
      lines.push(`      expected: ${check.expected}`);
      lines.push(`      result: ${check.message}${check.at && check.status !== 'pass' ? ` (${where(check.at)})` : ''}`);
    }
    lines.push(`    Computed outcome: ${rule.computed_outcome} — ${rule.message}`);
    const a = rule.assessment;
    if (a) {
      const who = [a.by ? `by ${a.by}` : '', a.date ? `on ${a.date}` : '', a.expires ? `expires ${a.expires}` : ''].filter(Boolean).join(', ');
      const effect = {
        applied: `applied: the reported outcome is ${a.outcome}`,
        unnecessary: `unnecessary: it equals the computed outcome ${rule.computed_outcome}`,
        'review-due': `review due: expired on ${a.expires}, not applied`,
        'out-of-date': `not applied on ${state.evaluated_at}: the national provisions in force then differ from those of the description`,
      }[a.state] ?? a.state;
      lines.push(`    Assessment: ${a.outcome}${who ? ` (${who})` : ''} at ${where(a.at)}`);
      lines.push(`      state: ${effect}`);
      lines.push(`      reason: ${a.reason}`);
    }
  }
}

/**
 * Where a wrapped line's continuation starts: under the value of `Label:   value`, under the text of
 * `- item`, else four columns in; never past the middle of the line.
 */
function hangingIndent(line: string, columns: number): string {
  const lead = /^ */.exec(line)![0].length;
  const label = /^ *(?:- |[A-Za-z][A-Za-z ()]{0,28}: +)/.exec(line)?.[0].length;
  const at = label !== undefined && label <= columns / 2 ? label : lead + 4;
  return ' '.repeat(Math.min(at, Math.floor(columns / 2)));
}

/**
 * Plain text wrapped to `columns`; every line goes through terminalSafe (measure files and rule sets
 * are not trusted). Paths and URLs are never broken.
 */
export function explainText(explanation: Explanation, columns = 80): string {
  const lines: string[] = [];
  const first = explanation.rules[0]!;
  lines.push(`Art. ${explanation.provision} — ${first.article_title}`);
  lines.push(`Directive ${explanation.ruleset.directive} · rule set ${explanation.ruleset.id} ${explanation.ruleset.version} · ${explanation.rules.length} rule${explanation.rules.length === 1 ? '' : 's'}`);
  for (const rule of explanation.rules) {
    lines.push('');
    describeRule(rule, lines);
  }
  if (explanation.member_states) {
    lines.push('', `Trace${explanation.as_of ? ` on ${explanation.as_of}` : ''}:`);
    if (explanation.member_states.length === 0) lines.push('  no Member State could be evaluated (see the input errors)');
    for (const state of explanation.member_states) {
      lines.push('');
      traceLines(state, lines);
    }
  }
  const width = Math.max(columns, 40);
  return `${lines.flatMap((line) => wrapText(terminalSafe(line), width, { indent: hangingIndent(line, width) })).join('\n')}\n`;
}

export function explainJson(explanation: Explanation): string {
  return `${JSON.stringify(explanation, null, 2)}\n`;
}
