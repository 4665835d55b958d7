/** Shared types of the pipeline: load → validate → evaluate → report. */

/** Outcome of one rule (or one provision) for one Member State, in Commission vocabulary. */
export type Outcome =
  | 'conform'
  | 'partially-conform'
  | 'not-conform'
  | 'not-transposed'
  | 'incomplete'
  | 'not-assessed'
  | 'not-applicable';

export const OUTCOMES: readonly Outcome[] = [
  'conform',
  'partially-conform',
  'not-conform',
  'not-transposed',
  'incomplete',
  'not-assessed',
  'not-applicable',
];

/** Letter codes for outcomes, shown next to the words (and, in the HTML matrix, next to a colour). */
export const OUTCOME_CODES: Record<Outcome, string> = {
  conform: 'C',
  'partially-conform': 'PC',
  'not-conform': 'NC',
  'not-transposed': 'NT',
  incomplete: 'I',
  'not-assessed': 'NAS',
  'not-applicable': 'NA',
};

/** Outcomes that are findings against the Member State ("not conform": NT + NC + PC): the only possible infringement grounds. */
export function isNonConformity(outcome: Outcome): boolean {
  return outcome === 'not-transposed' || outcome === 'not-conform' || outcome === 'partially-conform';
}

/** Outcomes that say the facts recorded do not settle the question: information missing, never a ground. */
export function isInformationMissing(outcome: Outcome): boolean {
  return outcome === 'incomplete' || outcome === 'not-assessed';
}

/** Severity of a finding. `none` marks conform findings, which only `--all` shows. */
export type Severity = 'error' | 'warning' | 'info' | 'none';

export type Modality = 'shall' | 'shall-endeavour' | 'may';

/** A place in an input file. `line` and `column` are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** A value read from an input file, with where it was read. */
export interface Located<T> {
  value: T;
  at: SourceLocation;
}

/** The code of the one diagnostic that stands for the errors of a file past those listed ("N more errors in FILE"). */
export const TOO_MANY_ERRORS = 'too-many-errors';

/** A problem with the input (YAML syntax, schema, references): always an error of the input. */
export interface Diagnostic extends SourceLocation {
  /** Stable code, e.g. `yaml-syntax`, `schema`, `unknown-provision`, `duplicate-provision`. */
  code: string;
  message: string;
}

/** One national act cited by a measure file. */
export interface Source {
  id: string;
  title: string;
  abbreviation?: string;
  url?: string;
  referencesDirective?: Located<boolean>;
  /** `adopted_to_transpose: true`: the act was adopted to transpose the Directive, so Art. 27(3) requires it to refer to it. */
  adoptedToTranspose?: Located<boolean>;
  at: SourceLocation;
}

/** A national provision that transposes (part of) a Directive provision. */
export interface NationalReference {
  source: string;
  /** Where the `source` id stands. */
  sourceAt: SourceLocation;
  article: string;
  inForceFrom?: string;
  inForceUntil?: string;
  /** `sets_penalty: false`: the reference defines an element of the offence but sets no penalty; left out of penalty comparisons. */
  setsPenalty?: boolean;
  /** Facts that hold only while this reference is in force. */
  facts: Record<string, Located<unknown>>;
  at: SourceLocation;
}

export interface Assessment {
  outcome: Outcome;
  reason: string;
  by?: string;
  date?: string;
  expires?: string;
  at: SourceLocation;
}

/** `not-assessed`: the analyst has not researched the provision yet (the same as leaving it out). */
export type TranspositionStatus = 'transposed' | 'partial' | 'not-transposed' | 'not-assessed';

/** What a measure set says about one Directive provision. */
export interface ProvisionEntry {
  key: string;
  /** Where the provision key stands. */
  at: SourceLocation;
  status: Located<TranspositionStatus>;
  national: NationalReference[];
  facts: Record<string, Located<unknown>>;
  notes?: string;
  assessment?: Assessment;
}

/** Stages of an infringement procedure (Article 258 TFEU), in order. */
export const PROCEDURE_STAGES = ['letter-of-formal-notice', 'additional-letter', 'reasoned-opinion', 'referral', 'closed'] as const;
export type ProcedureStage = (typeof PROCEDURE_STAGES)[number];

/** One step of an infringement procedure against the Member State. */
export interface ProcedureStep {
  stage: ProcedureStage;
  date: string;
  reference?: string;
  /** Provision keys the step names as grounds. */
  grounds: string[];
  at: SourceLocation;
}

/** One input file after loading. */
export interface InputFile {
  /** The name shown in diagnostics and reports (as the user gave it; `<stdin>` for `-`). */
  name: string;
  sha256: string;
}

/** The facts of one Member State at one date, merged from one or more files. */
export interface MeasureSet {
  memberState: string;
  directive: string;
  asOf: string;
  files: string[];
  /** Where the `provisions` key of the first file stands: the place for findings on absent provisions. */
  at: SourceLocation;
  memberStateFacts: Record<string, Located<unknown>>;
  sources: Map<string, Source>;
  provisions: Map<string, ProvisionEntry>;
  /** Infringement procedure steps, by date. */
  procedures: ProcedureStep[];
}
