import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { evaluateMeasureSet, todayUtc } from './evaluate/evaluate.js';
import { chooseVersions } from './evaluate/versions.js';
import { compactResult, ResultSharing } from './evaluate/compact-result.js';
import type { MemberStateResult } from './evaluate/result.js';
import { mergeOutputs, processInWorkers } from './check-worker-pool.js';
import { findMeasureFiles, STDIN } from './load/find-files.js';
import { toMeasureDocument, type MeasureDocument } from './load/measure-document.js';
import { predictSetKey, setKey } from './load/measure-set-key.js';
import { mergeMeasureDocuments } from './load/merge.js';
import { DEFAULT_PARSE_LIMITS, parseYaml, type ParseLimits } from './load/parse-yaml.js';
import { decodeUtf8, DEFAULT_MAX_FILE_SIZE, readInput, sha256, type RawInput } from './load/read-input.js';
import { DEFAULT_RULESET_DIR, GENERATED_DIR, loadRuleSet } from './ruleset/load-ruleset.js';
import { deriveMeasureSchema } from './ruleset/measure-schema.js';
import { memberStateHint } from './ruleset/member-states.js';
import type { Rule, RuleSet } from './ruleset/types.js';
import type { Diagnostic, InputFile, MeasureSet } from './types.js';
import { createAjv, validateParsed } from './validate/ajv.js';
import { normaliseProvisionKeys } from './validate/normalise-keys.js';
import { checkReferences } from './validate/references.js';
import { VERSION } from './version.js';

/** Everything a report needs: provenance, one result per Member State and date, and input errors. */
export interface CheckResult {
  tool: { name: 'conformity'; version: string };
  ruleset: { id: string; directive: string; version: string; hash: string; celex?: string; title: string };
  /** Every rule of the rule set, in Directive order (with `compact`, results list only findings). */
  rules?: readonly Rule[];
  /** The `--as-of` date, when one was given; otherwise each result is evaluated at its files' own `as_of`. */
  asOf?: string;
  /** The day of the run (`--today`): assessments expiring on or before it are due for review. */
  today?: string;
  inputs: InputFile[];
  results: MemberStateResult[];
  /** Problems with the input. A Member State with any is not evaluated; the others are. */
  diagnostics: Diagnostic[];
}

export interface CheckOptions {
  /** Files, folders (searched for *.yaml / *.yml) and globs; `-` is standard input. */
  paths: readonly string[];
  /**
   * Evaluate the law as it stood on this date (YYYY-MM-DD). Of several descriptions of one Member
   * State, the latest as of that date is used (else the earliest, with a notice).
   */
  asOf?: string;
  /** The day of the run, for assessments' `expires` (default: today, UTC). */
  today?: string;
  /** A rule-set folder, or a rule set already loaded; default: the built-in 2011/93/EU rules. */
  rules?: string | RuleSet;
  /** Largest input file in bytes (default 5 MiB). */
  maxFileSize?: number;
  /** Reads standard input, for `-`. */
  stdin?: () => Promise<Uint8Array>;
  /** Only validate: no evaluation, `results` stays empty. */
  validateOnly?: boolean;
  /** Worker threads for large runs (default: one per core from 40 files a worker on; 0 or 1: none). */
  workers?: number;
  /**
   * Keep in each result only the rules a report lists by default (not conform, or assessed), without
   * check traces: for large runs. Summaries and per-provision outcomes are whole either way.
   */
  compact?: boolean;
}

const compiledSchemas = new WeakMap<RuleSet, ValidateFunction>();

const require = createRequire(import.meta.url);

/** The validator the build compiled for the built-in rule set, if these are exactly its rules. */
function prebuiltValidator(ruleset: RuleSet): ValidateFunction | undefined {
  try {
    const module = require(path.join(GENERATED_DIR, 'measure-validator.cjs')) as { hash?: string; validate?: ValidateFunction };
    return module.hash === ruleset.hash ? module.validate : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The measure-file validator for a rule set: the one the build compiled when the rule set is the
 * built-in one, unchanged; otherwise compiled here, once per rule set.
 */
export function measureValidator(ruleset: RuleSet): ValidateFunction {
  let validate = compiledSchemas.get(ruleset);
  if (!validate) {
    validate = prebuiltValidator(ruleset) ?? createAjv().compile(deriveMeasureSchema(ruleset));
    compiledSchemas.set(ruleset, validate);
  }
  return validate;
}

/** Parses and validates one input; returns its typed document when it is valid. */
export function loadMeasureInput(
  input: RawInput,
  ruleset: RuleSet,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): { file: InputFile; document?: MeasureDocument; diagnostics: Diagnostic[] } {
  const file: InputFile = { name: input.name, sha256: input.bytes ? sha256(input.bytes) : '' };
  const fail = (diagnostics: Diagnostic[]) => ({ file, diagnostics });
  if (!input.bytes) {
    return fail([{ file: input.name, line: 1, column: 1, code: 'file-too-large', message: `the file is ${input.size} bytes, above the limit (--max-file-size)` }]);
  }
  const decoded = decodeUtf8(input.name, input.bytes);
  if (decoded.diagnostic) return fail([decoded.diagnostic]);
  const parsed = parseYaml(input.name, decoded.text!, limits);
  if (parsed.diagnostics.length) return fail(parsed.diagnostics);
  if (parsed.data === undefined || parsed.data === null) {
    return fail([{ file: input.name, line: 1, column: 1, code: 'empty', message: 'the file is empty; a measure file starts with format: 1, directive, member_state and as_of' }]);
  }
  // A file for another directive: say so once, rather than list every provision the rules do not know.
  const directive = (parsed.data as { directive?: unknown }).directive;
  if (typeof directive === 'string' && directive !== ruleset.directive) {
    const at = parsed.positions.get('/directive')?.value ?? { file: input.name, line: 1, column: 1 };
    return fail([{ ...at, code: 'directive', message: `directive must be "${ruleset.directive}", not "${directive}" (the rule set in use is ${ruleset.id}; --rules DIR picks another)` }]);
  }
  const diagnostics = normaliseProvisionKeys(parsed, ruleset.provisions);
  for (const problem of validateParsed(measureValidator(ruleset), parsed)) {
    const data = parsed.data as { member_state?: unknown };
    const hint = typeof data.member_state === 'string' ? memberStateHint(data.member_state) : '';
    if (problem.message.startsWith('member_state is') && hint) {
      problem.message = `member_state is "${String(data.member_state)}", which is not an EU Member State code${hint}`;
    } else if (/ is missing "national"$/.test(problem.message)) {
      problem.message += ': a provision transposed or partial cites at least one national provision (or say status: not-transposed)';
    }
    diagnostics.push(problem);
  }
  if (diagnostics.length) return fail(diagnostics);
  return { file, document: toMeasureDocument(parsed, ruleset), diagnostics };
}

function provenance(ruleset: RuleSet): Pick<CheckResult, 'tool' | 'ruleset'> {
  return {
    tool: { name: 'conformity', version: VERSION },
    ruleset: { id: ruleset.id, directive: ruleset.directive, version: ruleset.version, hash: ruleset.hash, celex: ruleset.celex, title: ruleset.title },
  };
}

const byPlace = (a: Diagnostic, b: Diagnostic) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
const byMemberState = (a: MemberStateResult, b: MemberStateResult) => a.memberState.localeCompare(b.memberState) || a.asOf.localeCompare(b.asOf);

/** Merges documents into measure sets, checks their references and evaluates each complete one. */
function evaluateDocuments(
  documents: readonly MeasureDocument[],
  complete: (set: MeasureSet) => boolean,
  ruleset: RuleSet,
  options: Pick<CheckOptions, 'asOf' | 'today' | 'validateOnly' | 'compact'>,
  sharing: ResultSharing,
): { results: MemberStateResult[]; diagnostics: Diagnostic[] } {
  const merged = mergeMeasureDocuments(documents);
  const diagnostics = [...merged.diagnostics];
  const results: MemberStateResult[] = [];
  for (const set of merged.sets) {
    const problems = checkReferences(set);
    diagnostics.push(...problems);
    // A Member State is evaluated only from a complete, valid description: never from part of it.
    if (problems.length || merged.diagnostics.length || !complete(set) || options.validateOnly) continue;
    const result = evaluateMeasureSet(ruleset, set, { evaluationDate: options.asOf, today: options.today });
    results.push(options.compact ? compactResult(result, sharing) : result);
  }
  return { results, diagnostics };
}

/** Every input parsed and validated: what the files say, and what was wrong with them. */
export interface LoadedInputs {
  files: InputFile[];
  documents: MeasureDocument[];
  diagnostics: Diagnostic[];
  /** Sets (by their header lines) that a file failed to load for: never evaluated from part of their files. */
  failedKeys: Set<string>;
}

/** Parses and validates every input, once. */
export function loadInputs(inputs: readonly RawInput[], ruleset: RuleSet): LoadedInputs {
  const loaded: LoadedInputs = { files: [], documents: [], diagnostics: [], failedKeys: new Set() };
  for (const input of inputs) {
    const one = loadMeasureInput(input, ruleset);
    loaded.files.push(one.file);
    loaded.diagnostics.push(...one.diagnostics);
    if (one.document) loaded.documents.push(one.document);
    else if (input.bytes) loaded.failedKeys.add(predictSetKey(input.bytes) ?? '');
  }
  return loaded;
}

/** Merges loaded documents by Member State and date, and evaluates each set that has no input error. */
export function checkLoaded(loaded: LoadedInputs, ruleset: RuleSet, options: Pick<CheckOptions, 'asOf' | 'today' | 'validateOnly' | 'compact'> = {}): CheckResult {
  const diagnostics = [...loaded.diagnostics];
  const failedFiles = new Set(diagnostics.map((d) => d.file));
  const complete = (set: MeasureSet) => !loaded.failedKeys.has(setKey(set)) && !set.files.some((f) => failedFiles.has(f));
  const evaluated = evaluateDocuments(loaded.documents, complete, ruleset, options, new ResultSharing());
  diagnostics.push(...evaluated.diagnostics);
  diagnostics.sort(byPlace);
  const results = evaluated.results.sort(byMemberState);
  return {
    ...provenance(ruleset),
    rules: ruleset.rules,
    asOf: options.asOf,
    today: options.today ?? todayUtc(),
    inputs: loaded.files,
    results: options.asOf ? chooseVersions(results, options.asOf) : results,
    diagnostics,
  };
}

/**
 * The core, without file I/O: validates every input, merges the files of each Member State and date,
 * and evaluates each measure set that has no input error. Every input's errors are reported, not
 * only the first's.
 */
export function checkInputs(inputs: readonly RawInput[], ruleset: RuleSet, options: Pick<CheckOptions, 'asOf' | 'today' | 'validateOnly' | 'compact'> = {}): CheckResult {
  return checkLoaded(loadInputs(inputs, ruleset), ruleset, options);
}

export { predictSetKey } from './load/measure-set-key.js';

/** Loads the rule set named by `rules` (default: built in). */
export async function resolveRuleSet(rules?: string | RuleSet): Promise<RuleSet> {
  return typeof rules === 'object' ? rules : loadRuleSet(rules ?? DEFAULT_RULESET_DIR);
}

/** What processing some measure sets gives: plain data, so that a worker thread can send it back. */
export interface GroupOutput {
  inputs: [name: string, file: InputFile][];
  diagnostics: Diagnostic[];
  results: [key: string, results: MemberStateResult[]][];
  /** Files whose parsed header names another set than their header lines seemed to. */
  misfiled: string[];
  failedKeys: string[];
}

type ReadInput = (name: string) => Promise<RawInput>;

/** Loads the files of one planned set; records what they say unless only their documents are wanted. */
async function loadGroup(names: readonly string[], key: string, ruleset: RuleSet, read: ReadInput, out?: GroupOutput): Promise<MeasureDocument[]> {
  const documents: MeasureDocument[] = [];
  for (const name of names) {
    const loaded = loadMeasureInput(await read(name), ruleset);
    if (out) {
      out.inputs.push([name, loaded.file]);
      out.diagnostics.push(...loaded.diagnostics);
      if (loaded.diagnostics.length) out.failedKeys.push(key);
    }
    if (!loaded.document) continue;
    if (setKey(loaded.document) === key) documents.push(loaded.document);
    else out?.misfiled.push(name);
  }
  return documents;
}

/** Pass 2 for some planned sets: load, merge and evaluate one set at a time, dropping its documents after. */
export async function processGroups(
  groups: readonly (readonly [string, readonly string[]])[],
  ruleset: RuleSet,
  options: Pick<CheckOptions, 'asOf' | 'today' | 'validateOnly' | 'compact' | 'maxFileSize'>,
  read: ReadInput = (name) => readInput(name, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE),
): Promise<GroupOutput> {
  const out: GroupOutput = { inputs: [], diagnostics: [], results: [], misfiled: [], failedKeys: [] };
  const sharing = new ResultSharing();
  for (const [key, names] of groups) {
    const documents = await loadGroup(names, key, ruleset, read, out);
    const failed = out.failedKeys.includes(key);
    const evaluated = evaluateDocuments(documents, () => !failed, ruleset, options, sharing);
    out.diagnostics.push(...evaluated.diagnostics);
    out.results.push([key, evaluated.results]);
  }
  return out;
}

/** Fewer files than this are checked in this thread: starting workers would cost more than it saves. */
const FILES_PER_WORKER = 40;

/**
 * Reads the measure files named by `paths` and checks them: the library's main entry point.
 * Files are processed measure set by measure set, and each set's parsed documents are dropped once
 * it is evaluated, so memory stays flat however many files there are; large runs are shared among
 * worker threads, one per core.
 */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const ruleset = await resolveRuleSet(options.rules);
  const paths = await findMeasureFiles(options.paths);
  const maxBytes = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let stdin: RawInput | undefined;
  const read = async (name: string) => (name === STDIN ? (stdin ??= await readInput(name, maxBytes, options.stdin)) : readInput(name, maxBytes));

  // Pass 1: group the files by the measure set their header lines name (no YAML parsing).
  const planned = new Map<string, string[]>();
  for (const name of paths) {
    const raw = await read(name);
    const key = (raw.bytes && predictSetKey(raw.bytes)) ?? `\0unknown\0${name}`;
    (planned.get(key) ?? planned.set(key, []).get(key)!).push(name);
  }

  // Pass 2, here or in worker threads.
  const groups = [...planned];
  const workers = typeof options.rules === 'object' || planned.size === 0 || paths.includes(STDIN) ? 0 : (options.workers ?? Math.min(availableParallelism(), Math.floor(paths.length / FILES_PER_WORKER)));
  const outputs = workers > 1 ? await processInWorkers(groups, workers, ruleset, options) : undefined;
  const output = outputs ? mergeOutputs(outputs) : await processGroups(groups, ruleset, options, read);

  const inputs = new Map(output.inputs);
  const diagnostics = output.diagnostics;
  const results = new Map(output.results);
  const failedKeys = new Set(output.failedKeys);

  // A file whose header was guessed wrong joins its real set: that set is evaluated again, whole.
  const late = new Map<string, MeasureDocument[]>();
  const sharing = new ResultSharing();
  for (const name of output.misfiled) {
    const loaded = loadMeasureInput(await read(name), ruleset);
    const key = setKey(loaded.document!);
    (late.get(key) ?? late.set(key, []).get(key)!).push(loaded.document!);
  }
  for (const [key, documents] of late) {
    const earlier = planned.has(key) ? await loadGroup(planned.get(key)!, key, ruleset, read) : [];
    const failed = failedKeys.has(key) || documents.some((doc) => diagnostics.some((d) => d.file === doc.file));
    const evaluated = evaluateDocuments([...earlier, ...documents], () => !failed, ruleset, options, sharing);
    diagnostics.push(...evaluated.diagnostics);
    results.set(key, evaluated.results);
  }

  diagnostics.sort(byPlace);
  const all = [...results.values()].flat().sort(byMemberState);
  return {
    ...provenance(ruleset),
    rules: ruleset.rules,
    asOf: options.asOf,
    today: options.today ?? todayUtc(),
    inputs: paths.map((p) => inputs.get(p)!).filter(Boolean),
    results: options.asOf ? chooseVersions(all, options.asOf) : all,
    diagnostics,
  };
}
