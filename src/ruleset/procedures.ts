import { fs } from '../node-fs.js';
import path from 'node:path';
import { CheckerError } from '../errors.js';
import { locate, parseYaml } from '../load/parse-yaml.js';
import { createAjv, validateParsed } from '../validate/ajv.js';
import type { Diagnostic, ProcedureStage, SourceLocation } from '../types.js';
import { EU_MEMBER_STATES } from './member-states.js';
import type { RuleSet } from './types.js';
import proceduresSchema from './procedures.schema.json' with { type: 'json' };

/**
 * Real infringement procedures shipped with a rule set as data (`procedures:` in ruleset.yaml), read
 * only by `report`: a check never pays for it.
 */

export interface RealProcedureStep {
  stage: ProcedureStage;
  date: string;
  /** Known from press reports only, not from the Commission's register. */
  press: boolean;
  at: SourceLocation;
}

export interface RealProcedure {
  reference: string;
  memberState: string;
  subject: string;
  /** By date. */
  steps: RealProcedureStep[];
  /** The first and last register snapshots listing the case as active. */
  firstSeen: string;
  lastSeen: string;
  /** The first snapshot no longer listing it (the mirror does not say why). */
  notListedFrom?: string;
  at: SourceLocation;
}

export interface ProceduresData {
  file: string;
  directive: string;
  /** Where the data comes from, in words. */
  source: string;
  pressSource?: string;
  snapshots: { first: string; last: string; count: number };
  procedures: RealProcedure[];
}

interface RawProcedures {
  source: string;
  press_source?: string;
  directive: string;
  register_snapshots: { first: string; last: string; count: number };
  procedures: {
    reference: string;
    member_state: string;
    subject: string;
    steps: { date: string; step: string; source?: 'press' }[];
    active_in_register: { first_seen: string; last_seen: string; not_listed_from?: string };
  }[];
}

/** The register's step names, in the project's stage vocabulary (types.ts PROCEDURE_STAGES). */
const STAGES: Record<string, ProcedureStage> = {
  'letter-of-formal-notice': 'letter-of-formal-notice',
  'additional-letter-of-formal-notice': 'additional-letter',
  'reasoned-opinion': 'reasoned-opinion',
  referral: 'referral',
  closed: 'closed',
};

function fail(diagnostics: readonly Diagnostic[]): never {
  throw new CheckerError('ruleset', diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n'));
}

/** Parses and checks a procedures file's text; every problem is a CheckerError with FILE:LINE:COLUMN (exit 2). */
export function parseProcedures(file: string, text: string, ruleset: Pick<RuleSet, 'directive' | 'formerMemberStates'>): ProceduresData {
  const parsed = parseYaml(file, text);
  if (parsed.diagnostics.length) fail(parsed.diagnostics);
  const problems = validateParsed(createAjv().compile(proceduresSchema), parsed);
  if (problems.length) fail(problems);
  const raw = parsed.data as RawProcedures;
  const at = (pointer: string) => locate(parsed.positions, pointer)!;
  const diagnostics: Diagnostic[] = [];
  const problem = (pointer: string, message: string) => diagnostics.push({ ...at(pointer), code: 'procedures', message });
  if (raw.directive !== ruleset.directive) problem('/directive', `the procedures are for Directive ${raw.directive}, the rule set for ${ruleset.directive}`);
  const known = new Set<string>([...EU_MEMBER_STATES, ...ruleset.formerMemberStates]);
  const references = new Map<string, number>();
  const procedures = raw.procedures.map((p, index): RealProcedure => {
    const pointer = `/procedures/${index}`;
    if (!known.has(p.member_state)) problem(`${pointer}/member_state`, `unknown Member State "${p.member_state}"`);
    const earlier = references.get(p.reference);
    if (earlier !== undefined) problem(`${pointer}/reference`, `${p.reference} is listed already at line ${at(`/procedures/${earlier}`).line}`);
    references.set(p.reference, index);
    const steps = p.steps
      .map((s, i) => ({ stage: STAGES[s.step]!, date: s.date, press: s.source === 'press', at: at(`${pointer}/steps/${i}`) }))
      .sort((a, b) => a.date.localeCompare(b.date));
    return {
      reference: p.reference,
      memberState: p.member_state,
      subject: p.subject,
      steps,
      firstSeen: p.active_in_register.first_seen,
      lastSeen: p.active_in_register.last_seen,
      notListedFrom: p.active_in_register.not_listed_from,
      at: at(pointer),
    };
  });
  if (diagnostics.length) fail(diagnostics);
  return {
    file,
    directive: raw.directive,
    source: raw.source.trim(),
    pressSource: raw.press_source?.trim(),
    snapshots: raw.register_snapshots,
    procedures,
  };
}

/** The folder a rule set was read from (where its ruleset.yaml is). */
function rulesetDir(ruleset: Pick<RuleSet, 'files'>): string | undefined {
  const metadata = ruleset.files.find((f) => path.basename(f) === 'ruleset.yaml');
  return metadata && path.dirname(metadata);
}

/** The rule set's real procedures, or undefined when it ships none. A missing or broken file is a CheckerError (exit 2). */
export function loadProcedures(ruleset: Pick<RuleSet, 'directive' | 'formerMemberStates' | 'proceduresFile' | 'files'>): ProceduresData | undefined {
  if (!ruleset.proceduresFile) return undefined;
  const dir = rulesetDir(ruleset);
  if (!dir) throw new CheckerError('ruleset', `procedures: ${ruleset.proceduresFile}: the rule set's folder is unknown`);
  const file = path.join(dir, ruleset.proceduresFile);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new CheckerError('ruleset', `${file}: cannot read the procedures file that ruleset.yaml names`);
  }
  return parseProcedures(file, text, ruleset);
}
