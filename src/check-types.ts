import type { MemberStateResult } from './evaluate/result.js';
import type { MeasureDocument } from './load/measure-document.js';
import type { SetGuess } from './load/measure-set-key.js';
import type { Rule, RuleSet } from './ruleset/types.js';
import type { Diagnostic, InputFile } from './types.js';

/**
 * The types of a check run, kept below their users: the reporters, diff and the report command read
 * a CheckResult without depending on the pipeline that makes it (src/check.ts), and the worker pool
 * shares the planning types without a cycle.
 */

/** Everything a report needs: provenance, one result per Member State and date, and input errors. */
export interface CheckResult {
  tool: { name: 'conformity'; version: string };
  ruleset: { id: string; directive: string; version: string; hash: string; celex?: string; title: string };
  /** Every rule of the rule set, in Directive order (with `compact`, results list only findings). */
  rules?: readonly Rule[];
  /** The `--as-of` date, when one was given; otherwise each result is evaluated at its files' own `as_of`. */
  evaluationDate?: string;
  /** The day of the run (`--today`): assessments expiring on or before it are due for review. */
  today?: string;
  inputs: InputFile[];
  results: MemberStateResult[];
  /** Problems with the input. A Member State with any is not evaluated; the others are. */
  diagnostics: Diagnostic[];
  /** Files found in folders or by globs that are not measure files (docker-compose.yml, mkdocs.yml): left out. */
  skipped?: SkippedInput[];
}

/** A file left out of a run, and why: a notice, not an error. */
export interface SkippedInput {
  file: string;
  reason: string;
}

export interface CheckOptions {
  /** Files, folders (searched for *.yaml / *.yml) and globs; `-` is standard input. */
  paths: readonly string[];
  /**
   * Evaluate the law as it stood on this date (YYYY-MM-DD). Of several descriptions of one Member
   * State, the latest as of that date is used (else the earliest, with a notice).
   */
  evaluationDate?: string;
  /** @deprecated The name of 0.1.0: `evaluationDate` (still read when that is not given). */
  asOf?: string;
  /** The day of the run, for assessments' `expires` (default: today, UTC). */
  today?: string;
  /** A rule-set folder, or a rule set already loaded; default: the built-in 2011/93/EU rules. */
  rules?: string | RuleSet;
  /** Largest input file in bytes (default 5 MiB). */
  maxFileSize?: number;
  /** Reads standard input, for `-`. */
  stdin?: (maxBytes?: number) => Promise<Uint8Array>;
  /** Only validate: no evaluation, `results` stays empty. */
  validateOnly?: boolean;
  /** Worker threads for large runs (default: one per core from 40 files a worker on; 0 or 1: none). */
  workers?: number;
  /**
   * Keep in each result only the rules a report lists by default (not conform, or assessed), without
   * check traces: for large runs. Summaries and per-provision outcomes are whole either way.
   */
  compact?: boolean;
  /** Glob patterns of files and folders to leave out. */
  exclude?: readonly string[];
  /**
   * Changed-files mode: for each measure set a named file belongs to, also read the set's other files
   * from the same folder, so that part of a Member State's files can be checked on its own.
   */
  completeSets?: boolean;
  /** The name standard input's results are given in every report (default `<stdin>`). */
  stdinFilename?: string;
}

/** A file planned in pass 1: its name and what it held then (sha256, or its size when too large to read). */
export type PlannedFile = readonly [name: string, fingerprint: string];
/** The files of one measure set as pass 1 guessed it (a key starting with NUL: not guessed). */
export type PlannedGroup = readonly [key: string, files: readonly PlannedFile[]];

/** What processing some measure sets gives: plain data, so that a worker thread can send it back. */
export interface GroupOutput {
  inputs: [name: string, file: InputFile][];
  diagnostics: Diagnostic[];
  results: [key: string, results: MemberStateResult[]][];
  /** Files whose parsed header names another set than their header lines seemed to. */
  misfiled: PlannedFile[];
  /** Files that failed, and the sets each may belong to. */
  failed: SetGuess[];
}

/** One input parsed and validated. */
export interface LoadedInput {
  file: InputFile;
  /** The typed document, when the file is valid. */
  document?: MeasureDocument;
  diagnostics: Diagnostic[];
  /** For a file that failed: the measure sets it may belong to (undefined: none, it is no measure file). */
  belongsTo?: SetGuess;
}

/** Every input parsed and validated: what the files say, and what was wrong with them. */
export interface LoadedInputs {
  files: InputFile[];
  documents: MeasureDocument[];
  diagnostics: Diagnostic[];
  /** Files that failed to load, and the sets each may belong to: those are never evaluated from part of their files. */
  failed: SetGuess[];
}
