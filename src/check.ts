import { availableParallelism } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { evaluateMeasureSet, todayUtc } from './evaluate/evaluate.js';
import { chooseVersions } from './evaluate/versions.js';
import { compactResult, ResultSharing } from './evaluate/compact-result.js';
import type { MemberStateResult } from './evaluate/result.js';
import { mergeOutputs, processInWorkers } from './check-worker-pool.js';
import { findInputs, siblingFiles, STDIN, type FoundInput } from './load/find-files.js';
import { toMeasureDocument, type MeasureDocument } from './load/measure-document.js';
import {
  guessFromData,
  guessFromText,
  hasMeasureMark,
  isMeasureData,
  latin1,
  mayBelongTo,
  openness,
  predictSetKey,
  setKey,
  type SetGuess,
} from './load/measure-set-key.js';
import { mergeMeasureDocuments } from './load/merge.js';
import { DEFAULT_PARSE_LIMITS, parseYaml, type ParseLimits } from './load/parse-yaml.js';
import { decodeUtf8, DEFAULT_MAX_FILE_SIZE, readInput, sha256, type RawInput } from './load/read-input.js';
import { readHead } from './load/read-head.js';
import { DEFAULT_RULESET_DIR, GENERATED_DIR, loadRuleSet } from './ruleset/load-ruleset.js';
import { deriveMeasureSchema } from './ruleset/measure-schema.js';
import type { RuleSet } from './ruleset/types.js';
import type { Diagnostic, InputFile, MeasureSet } from './types.js';
import { createAjv, validateParsed } from './validate/ajv.js';
import { capPerFile } from './validate/error-cap.js';
import { clip } from './validate/suggest.js';
import { normaliseProvisionKeys } from './validate/normalise-keys.js';
import { checkReferences } from './validate/references.js';
import { VERSION } from './version.js';
import type { CheckOptions, CheckResult, GroupOutput, LoadedInput, LoadedInputs, PlannedFile, PlannedGroup, SkippedInput } from './check-types.js';

export type { CheckOptions, CheckResult, GroupOutput, LoadedInput, LoadedInputs, PlannedFile, PlannedGroup, SkippedInput } from './check-types.js';
import { CheckerError } from './errors.js';


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


const NOT_A_MEASURE_FILE = 'a measure file starts with format: 1, directive, member_state and as_of';

/**
 * Why text found in a folder is not a measure file (and is left out), or undefined when it may be one:
 * it has a `format` or `directive` key. Other YAML (docker-compose.yml, mkdocs.yml) is no error there.
 */
function notMeasureReason(input: RawInput, text = input.bytes && latin1(input.bytes)): string | undefined {
  if (!input.bytes) {
    const head = readHead(input.name);
    return head === undefined || hasMeasureMark(head) ? undefined : 'not a measure file (no format or directive key)';
  }
  // The mark is ASCII: look for it in the bytes as Latin-1 text (no decoding: pass 1 reads every file).
  if (hasMeasureMark(text!)) return undefined;
  const decoded = decodeUtf8(input.name, input.bytes);
  if (decoded.text === undefined) return 'not a measure file (not UTF-8 text)';
  const parsed = parseYaml(input.name, decoded.text);
  if (!parsed.diagnostics.length && isMeasureData(parsed.data)) return undefined;
  return !parsed.diagnostics.length && (parsed.data === undefined || parsed.data === null) ? 'empty' : 'not a measure file (no format or directive key)';
}

/** Parses and validates one input; returns its typed document when it is valid. */
export function loadMeasureInput(input: RawInput, ruleset: RuleSet, limits: ParseLimits = DEFAULT_PARSE_LIMITS): LoadedInput {
  const file: InputFile = { name: input.name, sha256: input.bytes ? (input.sha256 ?? sha256(input.bytes)) : '' };
  const fail = (diagnostics: Diagnostic[], belongsTo?: SetGuess): LoadedInput => ({ file, diagnostics: capPerFile(diagnostics), belongsTo });
  const whole = (code: string, message: string): Diagnostic => ({ file: input.name, line: 1, column: 1, code, message });
  if (!input.bytes) {
    // What it is cannot be known without reading it: it may belong to any set (check() reads its head to narrow that).
    // Standard input is read only up to the limit: its size is then "more than".
    const size = input.name === '<stdin>' ? `more than ${input.size - 1}` : String(input.size);
    return fail([whole('file-too-large', `the file is ${size} bytes, above the limit (--max-file-size)`)], { file: input.name });
  }
  const decoded = decodeUtf8(input.name, input.bytes);
  if (decoded.diagnostic) {
    const text = Buffer.from(input.bytes).toString('latin1');
    return fail([decoded.diagnostic], hasMeasureMark(text) ? guessFromText(input.name, text) : undefined);
  }
  const text = decoded.text!;
  const marked = hasMeasureMark(text);
  const parsed = parseYaml(input.name, text, limits);
  // Content that is not a measure file gets one error that quotes none of it (it may be /etc/shadow).
  if (parsed.diagnostics.length) return marked ? fail(parsed.diagnostics, guessFromText(input.name, text)) : fail([whole('not-measure-file', `not a measure file: ${NOT_A_MEASURE_FILE}`)]);
  if (parsed.data === undefined || parsed.data === null) return fail([whole('empty', `the file is empty; ${NOT_A_MEASURE_FILE}`)]);
  if (!marked && !isMeasureData(parsed.data)) {
    const map = typeof parsed.data === 'object' && !Array.isArray(parsed.data);
    return fail([whole('not-measure-file', map ? `not a measure file: it has no format or directive key (${NOT_A_MEASURE_FILE})` : `the document must be a map of keys: this is not a measure file (${NOT_A_MEASURE_FILE})`)]);
  }
  // A file for another directive: say so once, rather than list every provision the rules do not know.
  const directive = (parsed.data as { directive?: unknown }).directive;
  if (typeof directive === 'string' && directive !== ruleset.directive) {
    const at = parsed.positions.get('/directive')?.value ?? { file: input.name, line: 1, column: 1 };
    return fail([{ ...at, code: 'directive', message: `directive must be "${ruleset.directive}", not "${clip(directive)}" (the rule set in use is ${ruleset.id}; --rules DIR picks another)` }]);
  }
  const diagnostics = normaliseProvisionKeys(parsed, ruleset.provisions, decoded.text);
  // One by one: a spread of 100,000 errors would overflow the stack.
  for (const problem of validateParsed(measureValidator(ruleset), parsed)) diagnostics.push(problem);
  if (diagnostics.length) return fail(diagnostics, guessFromData(input.name, parsed.data));
  return { file, document: toMeasureDocument(parsed, ruleset), diagnostics };
}

function provenance(ruleset: RuleSet): Pick<CheckResult, 'tool' | 'ruleset'> {
  return {
    tool: { name: 'conformity', version: VERSION },
    ruleset: { id: ruleset.id, directive: ruleset.directive, version: ruleset.version, hash: ruleset.hash, celex: ruleset.celex, title: ruleset.title },
  };
}

const byPlace = (a: Diagnostic, b: Diagnostic) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;
const byMemberState = (a: MemberStateResult, b: MemberStateResult) => a.memberState.localeCompare(b.memberState) || a.declaredAsOf.localeCompare(b.declaredAsOf);

/** Merges documents into measure sets, checks their references and evaluates each complete one. */
function evaluateDocuments(
  documents: readonly MeasureDocument[],
  complete: (set: MeasureSet) => boolean,
  ruleset: RuleSet,
  options: Pick<CheckOptions, 'evaluationDate' | 'today' | 'validateOnly' | 'compact'>,
  sharing: ResultSharing | undefined,
): { results: MemberStateResult[]; diagnostics: Diagnostic[] } {
  const merged = mergeMeasureDocuments(documents);
  const diagnostics = [...merged.diagnostics];
  const results: MemberStateResult[] = [];
  for (const set of merged.sets) {
    const problems = checkReferences(set);
    diagnostics.push(...problems);
    // A Member State is evaluated only from a complete, valid description: never from part of it.
    if (problems.length || merged.diagnostics.length || !complete(set) || options.validateOnly) continue;
    const result = evaluateMeasureSet(ruleset, set, { evaluationDate: options.evaluationDate, today: options.today });
    results.push(options.compact ? compactResult(result, sharing) : result);
  }
  return { results, diagnostics };
}


/** Parses and validates every input, once. */
export function loadInputs(inputs: readonly RawInput[], ruleset: RuleSet): LoadedInputs {
  const loaded: LoadedInputs = { files: [], documents: [], diagnostics: [], failed: [] };
  for (const input of inputs) {
    const one = loadMeasureInput(input, ruleset);
    loaded.files.push(one.file);
    loaded.diagnostics.push(...one.diagnostics);
    if (one.document) loaded.documents.push(one.document);
    else if (one.belongsTo) loaded.failed.push(one.belongsTo);
  }
  return loaded;
}

/** A line for each failed file whose set cannot be told: the sets held back for it are said, not silently missing. */
function withheldNotes(failed: readonly SetGuess[]): Diagnostic[] {
  return failed.flatMap((guess) => {
    const words = openness(guess);
    return words ? [{ file: guess.file, line: 1, column: 1, code: 'set-withheld', message: words }] : [];
  });
}

/** Sorted, capped per file; each withheld-set note follows its file's errors. */
function finalDiagnostics(diagnostics: Diagnostic[], failed: readonly SetGuess[]): Diagnostic[] {
  const out = capPerFile(diagnostics.sort(byPlace));
  for (const note of withheldNotes(failed)) {
    let at = out.length;
    while (at > 0 && out[at - 1]!.file !== note.file) at--;
    out.splice(at === 0 ? out.length : at, 0, note);
  }
  return out;
}

/** Merges loaded documents by Member State and date, and evaluates each set that has no input error. */
/** 0.1.0 callers wrote `asOf`: read as `evaluationDate`. */
const withEvaluationDate = <T extends Pick<CheckOptions, 'evaluationDate' | 'asOf'>>(options: T): T =>
  options.evaluationDate === undefined && options.asOf !== undefined ? { ...options, evaluationDate: options.asOf } : options;

export function checkLoaded(loaded: LoadedInputs, ruleset: RuleSet, given: Pick<CheckOptions, 'evaluationDate' | 'asOf' | 'today' | 'validateOnly' | 'compact'> = {}): CheckResult {
  const options = withEvaluationDate(given);
  const diagnostics = [...loaded.diagnostics];
  const failedFiles = new Set(diagnostics.map((d) => d.file));
  const complete = (set: MeasureSet) => !loaded.failed.some((g) => mayBelongTo(g, setKey(set))) && !set.files.some((f) => failedFiles.has(f));
  const evaluated = evaluateDocuments(loaded.documents, complete, ruleset, options, new ResultSharing());
  diagnostics.push(...evaluated.diagnostics);
  const results = evaluated.results.sort(byMemberState);
  return {
    ...provenance(ruleset),
    rules: ruleset.rules,
    evaluationDate: options.evaluationDate,
    today: options.today ?? todayUtc(),
    inputs: loaded.files,
    // The version of each Member State for --as-of is chosen from the sets not withheld.
    results: options.evaluationDate ? chooseVersions(results, options.evaluationDate) : results,
    diagnostics: finalDiagnostics(diagnostics, loaded.failed),
  };
}

/**
 * The core, without file I/O: validates every input, merges the files of each Member State and date,
 * and evaluates each measure set that has no input error. Every input's errors are reported, not
 * only the first's.
 */
export function checkInputs(inputs: readonly RawInput[], ruleset: RuleSet, options: Pick<CheckOptions, 'evaluationDate' | 'asOf' | 'today' | 'validateOnly' | 'compact'> = {}): CheckResult {
  return checkLoaded(loadInputs(inputs, ruleset), ruleset, options);
}

export { predictSetKey } from './load/measure-set-key.js';

/** Loads the rule set named by `rules` (default: built in). */
export async function resolveRuleSet(rules?: string | RuleSet): Promise<RuleSet> {
  return typeof rules === 'object' ? rules : loadRuleSet(rules ?? DEFAULT_RULESET_DIR);
}

const emptyOutput = (): GroupOutput => ({ inputs: [], diagnostics: [], results: [], misfiled: [], failed: [] });

type ReadInput = (name: string) => Promise<RawInput>;

const errorText = (name: string, error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
};

/**
 * Reads a planned file again and loads it, or says why not: it cannot be read any more, or it is
 * not what pass 1 read (changed while the run went on). Never a half-read file's results.
 */
async function loadPlanned([name, fingerprint]: PlannedFile, key: string, ruleset: RuleSet, read: ReadInput): Promise<LoadedInput | { problem: Diagnostic; guess: SetGuess }> {
  const guess: SetGuess = key.startsWith('\0') ? { file: name } : (([memberState, directive, asOf]) => ({ file: name, memberState, directive, asOf }))(key.split('\0'));
  const problem = (message: string) => ({ problem: { file: name, line: 1, column: 1, code: 'input-changed', message }, guess });
  let input: RawInput;
  try {
    input = await read(name);
  } catch (error) {
    return problem(`${errorText(name, error)}: the file went away or became unreadable during the run; check again`);
  }
  const loaded = loadMeasureInput(input, ruleset);
  if ((input.bytes ? loaded.file.sha256 : `size ${input.size}`) !== fingerprint) return problem('the file changed during the run; check again');
  if (!input.bytes && name !== STDIN && loaded.belongsTo) {
    // Too large to read: its first lines still tell which set it holds back.
    const head = readHead(name);
    loaded.belongsTo = head === undefined ? loaded.belongsTo : hasMeasureMark(head) ? guessFromText(input.name, head) : undefined;
  }
  return loaded;
}

/** Loads the files of one planned set; records what they say unless only their documents are wanted. */
async function loadGroup(files: readonly PlannedFile[], key: string, ruleset: RuleSet, read: ReadInput, out: GroupOutput): Promise<MeasureDocument[]> {
  const documents: MeasureDocument[] = [];
  for (const planned of files) {
    const loaded = await loadPlanned(planned, key, ruleset, read);
    if ('problem' in loaded) {
      out.diagnostics.push(loaded.problem);
      out.failed.push(loaded.guess);
      continue;
    }
    out.inputs.push([planned[0], loaded.file]);
    out.diagnostics.push(...loaded.diagnostics);
    if (loaded.diagnostics.length && loaded.belongsTo) out.failed.push(loaded.belongsTo);
    if (!loaded.document) continue;
    if (setKey(loaded.document) === key) documents.push(loaded.document);
    else out.misfiled.push(planned);
  }
  return documents;
}

/**
 * Pass 2 for some planned sets: load, merge and evaluate one set at a time, dropping its documents
 * after. With `sharing` (a large run in this thread), compact results keep what they have in common once.
 */
export async function processGroups(
  groups: readonly PlannedGroup[],
  ruleset: RuleSet,
  options: Pick<CheckOptions, 'evaluationDate' | 'today' | 'validateOnly' | 'compact' | 'maxFileSize'>,
  read: ReadInput = (name) => readInput(name, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE),
  sharing?: ResultSharing,
): Promise<GroupOutput> {
  const out = emptyOutput();
  for (const [key, files] of groups) {
    const documents = await loadGroup(files, key, ruleset, read, out);
    // Failed files of other groups are weighed in check(), once every group is done.
    const failed = out.failed.some((g) => mayBelongTo(g, key));
    const evaluated = evaluateDocuments(documents, () => !failed, ruleset, options, sharing);
    out.diagnostics.push(...evaluated.diagnostics);
    out.results.push([key, evaluated.results]);
  }
  return out;
}

/**
 * Reads and loads every input `paths` name, with check()'s rules for finding them (links, --exclude,
 * YAML that is not a measure file skipped in folders): the one loading path of the commands that need
 * whole documents (report, explain, diff). A path that cannot be searched stops the run.
 */
export async function readAndLoadInputs(
  paths: readonly string[],
  ruleset: RuleSet,
  options: Pick<CheckOptions, 'maxFileSize' | 'stdin' | 'exclude'> = {},
): Promise<{ inputs: RawInput[]; loaded: LoadedInputs; skipped: SkippedInput[] }> {
  const found = await findInputs(paths, { exclude: options.exclude });
  const first = found.diagnostics[0];
  if (first) throw new CheckerError('input', `${first.file}: ${first.message}`);
  const inputs: RawInput[] = [];
  const skipped: SkippedInput[] = [];
  for (const input of found.files) {
    const raw = await readInput(input.name, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, options.stdin);
    const reason = input.explicit ? undefined : notMeasureReason(raw);
    if (reason) skipped.push({ file: input.name, reason });
    else inputs.push(raw);
  }
  return { inputs, loaded: loadInputs(inputs, ruleset), skipped };
}

/** Pass 1 keeps the files it read for pass 2 up to this many bytes in all (a large run reads them again, one set at a time). */
const KEEP_BYTES = 32 * 1024 * 1024;

/** Fewer files than this are checked in this thread: starting workers would cost more than it saves. */
// Measured on files written as analysts write them (bench/generate-corpus.js), 2 cores: 270 files take
// 1.5 s in one thread and 1.8 s in two workers; 2,700 files 10.4 s and 8.9 s.
const FILES_PER_WORKER = 500;

/**
 * Reads the measure files named by `paths` and checks them: the library's main entry point.
 * Files are processed measure set by measure set, and each set's parsed documents are dropped once
 * it is evaluated, so memory stays flat however many files there are; large runs are shared among
 * worker threads, one per core. A file is read in pass 1 (to plan); a small run keeps those bytes,
 * a large one reads the file again in pass 2: one that changed or went away in between is an error
 * for that file, and its set is not evaluated.
 */
export async function check(given: CheckOptions): Promise<CheckResult> {
  const options = withEvaluationDate(given);
  const ruleset = await resolveRuleSet(options.rules);
  const found = await findInputs(options.paths, { exclude: options.exclude });
  const maxBytes = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  let stdin: RawInput | undefined;
  const read = async (name: string) => {
    if (name !== STDIN) return readInput(name, maxBytes);
    stdin ??= await readInput(name, maxBytes, options.stdin);
    return options.stdinFilename ? { ...stdin, name: options.stdinFilename } : stdin;
  };
  const diagnostics = [...found.diagnostics];
  const skipped: SkippedInput[] = [];
  // What pass 1 read, kept for pass 2 up to a budget: no second read and hash of a small run's files.
  const kept = new Map<string, RawInput>();
  let keptBytes = 0;
  let totalBytes = 0;
  const readKept = (name: string) => {
    const raw = kept.get(name);
    if (!raw) return read(name);
    kept.delete(name);
    return Promise.resolve(raw);
  };

  // Pass 1: group the files by the measure set their header lines name (no YAML parsing).
  const planned = new Map<string, PlannedFile[]>();
  const paths: string[] = [];
  const plan = async (input: FoundInput, only?: ReadonlySet<string>) => {
    let raw: RawInput;
    try {
      raw = await read(input.name);
    } catch (error) {
      if (!(error instanceof CheckerError)) throw error;
      diagnostics.push({ file: input.name, line: 1, column: 1, code: 'unreadable', message: errorText(input.name, error) });
      return;
    }
    // Decoded once for both looks at the header lines.
    const text = raw.bytes && latin1(raw.bytes);
    const key = (text === undefined ? undefined : predictSetKey(text)) ?? `\0unknown\0${input.name}`;
    if (only && !only.has(key)) return;
    if (!input.explicit) {
      const reason = notMeasureReason(raw, text);
      if (reason) return void skipped.push({ file: input.name, reason });
    }
    paths.push(input.name);
    totalBytes += raw.size;
    const fingerprint = raw.bytes ? sha256(raw.bytes) : `size ${raw.size}`;
    if (raw.bytes && input.name !== STDIN && !kept.has(input.name) && keptBytes + raw.size <= KEEP_BYTES) {
      kept.set(input.name, { ...raw, sha256: fingerprint });
      keptBytes += raw.size;
    }
    (planned.get(key) ?? planned.set(key, []).get(key)!).push([input.name, fingerprint]);
  };
  for (const input of found.files) await plan(input);
  if (options.completeSets) {
    const named = new Set([...planned.keys()].filter((k) => !k.startsWith('\0')));
    for (const name of siblingFiles(found.files, found, options.exclude)) await plan({ name, explicit: false }, named);
  }

  // Pass 2, here or in worker threads.
  const groups = [...planned];
  const workers = typeof options.rules === 'object' || planned.size === 0 || paths.includes(STDIN) ? 0 : (options.workers ?? Math.min(availableParallelism(), Math.floor(paths.length / FILES_PER_WORKER)));
  if (workers > 1) kept.clear();
  const outputs = workers > 1 ? await processInWorkers(groups, workers, ruleset, options) : undefined;
  // Sharing what compact results have in common pays in a large run; a small one keeps them as made
  // (worker threads share each batch themselves).
  const sharing = paths.length >= FILES_PER_WORKER || totalBytes > KEEP_BYTES ? new ResultSharing() : undefined;
  const output = outputs ? mergeOutputs(outputs) : await processGroups(groups, ruleset, options, readKept, sharing);
  kept.clear();

  const inputs = new Map(output.inputs);
  diagnostics.push(...output.diagnostics);
  const results = new Map(output.results);
  const failed = output.failed;

  // A file whose header was guessed wrong joins its real set: that set is evaluated again, whole.
  const late = new Map<string, MeasureDocument[]>();
  const again = emptyOutput();
  for (const misfiled of output.misfiled) {
    const loaded = await loadPlanned(misfiled, '\0', ruleset, read);
    if ('problem' in loaded || !loaded.document) {
      if ('problem' in loaded) again.diagnostics.push(loaded.problem);
      again.failed.push('problem' in loaded ? loaded.guess : { file: misfiled[0] });
      continue;
    }
    const key = setKey(loaded.document);
    (late.get(key) ?? late.set(key, []).get(key)!).push(loaded.document);
  }
  for (const [key, documents] of late) {
    // Read again: only what went wrong now (a file changed since) is new.
    const reread = emptyOutput();
    const earlier = planned.has(key) ? await loadGroup(planned.get(key)!, key, ruleset, read, reread) : [];
    again.diagnostics.push(...reread.diagnostics.filter((d) => d.code === 'input-changed'));
    again.failed.push(...reread.failed);
    const evaluated = evaluateDocuments([...earlier, ...documents], () => true, ruleset, options, sharing);
    diagnostics.push(...evaluated.diagnostics);
    results.set(key, evaluated.results);
  }
  diagnostics.push(...again.diagnostics);
  failed.push(...again.failed);

  // Nothing half done: a set a failed file may belong to is not evaluated, whichever group it was read in.
  for (const key of results.keys()) if (failed.some((g) => mayBelongTo(g, key))) results.set(key, []);

  const all = [...results.values()].flat().sort(byMemberState);
  return {
    ...provenance(ruleset),
    rules: ruleset.rules,
    evaluationDate: options.evaluationDate,
    today: options.today ?? todayUtc(),
    inputs: paths.map((p) => inputs.get(p)).filter((f) => f !== undefined),
    results: options.evaluationDate ? chooseVersions(all, options.evaluationDate) : all,
    diagnostics: finalDiagnostics(diagnostics, failed),
    skipped,
  };
}
