import path from 'node:path';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { evaluateMeasureSet } from './evaluate/evaluate.js';
import type { MemberStateResult } from './evaluate/result.js';
import { findMeasureFiles } from './load/find-files.js';
import { toMeasureDocument, type MeasureDocument } from './load/measure-document.js';
import { mergeMeasureDocuments } from './load/merge.js';
import { DEFAULT_PARSE_LIMITS, parseYaml, type ParseLimits } from './load/parse-yaml.js';
import { decodeUtf8, DEFAULT_MAX_FILE_SIZE, readInput, sha256, type RawInput } from './load/read-input.js';
import { DEFAULT_RULESET_DIR, GENERATED_DIR, loadRuleSet } from './ruleset/load-ruleset.js';
import { deriveMeasureSchema } from './ruleset/measure-schema.js';
import { memberStateHint } from './ruleset/member-states.js';
import type { RuleSet } from './ruleset/types.js';
import type { Diagnostic, InputFile } from './types.js';
import { createAjv, validateParsed } from './validate/ajv.js';
import { normaliseProvisionKeys } from './validate/normalise-keys.js';
import { checkReferences } from './validate/references.js';
import { VERSION } from './version.js';

/** Everything a report needs: provenance, one result per Member State and date, and input errors. */
export interface CheckResult {
  tool: { name: 'conformity'; version: string };
  ruleset: { id: string; directive: string; version: string; hash: string; celex?: string; title: string };
  /** The `--as-of` date, when one was given; otherwise each result is evaluated at its files' own `as_of`. */
  asOf?: string;
  inputs: InputFile[];
  results: MemberStateResult[];
  /** Problems with the input. A Member State with any is not evaluated; the others are. */
  diagnostics: Diagnostic[];
}

export interface CheckOptions {
  /** Files, folders (searched for *.yaml / *.yml) and globs; `-` is standard input. */
  paths: readonly string[];
  /** Evaluate the law as it stood on this date (YYYY-MM-DD). */
  asOf?: string;
  /** A rule-set folder, or a rule set already loaded; default: the built-in 2011/93/EU rules. */
  rules?: string | RuleSet;
  /** Largest input file in bytes (default 5 MiB). */
  maxFileSize?: number;
  /** Reads standard input, for `-`. */
  stdin?: () => Promise<Uint8Array>;
  /** Only validate: no evaluation, `results` stays empty. */
  validateOnly?: boolean;
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

/**
 * The core, without file I/O: validates every input, merges the files of each Member State and date,
 * and evaluates each measure set that has no input error. Every input's errors are reported, not
 * only the first's.
 */
export function checkInputs(inputs: readonly RawInput[], ruleset: RuleSet, options: Pick<CheckOptions, 'asOf' | 'validateOnly'> = {}): CheckResult {
  const files: InputFile[] = [];
  const documents: MeasureDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const input of inputs) {
    const loaded = loadMeasureInput(input, ruleset);
    files.push(loaded.file);
    diagnostics.push(...loaded.diagnostics);
    if (loaded.document) documents.push(loaded.document);
  }
  const merged = mergeMeasureDocuments(documents);
  diagnostics.push(...merged.diagnostics);
  const failedFiles = new Set(diagnostics.map((d) => d.file));
  const results: MemberStateResult[] = [];
  for (const set of merged.sets) {
    const problems = checkReferences(set);
    diagnostics.push(...problems);
    // A Member State is evaluated only from a complete, valid description: never from part of it.
    if (problems.length || set.files.some((f) => failedFiles.has(f))) continue;
    if (!options.validateOnly) results.push(evaluateMeasureSet(ruleset, set, options.asOf));
  }
  diagnostics.sort(byPlace);
  return { ...provenance(ruleset), asOf: options.asOf, inputs: files, results, diagnostics };
}

/** Loads the rule set named by `rules` (default: built in). */
export async function resolveRuleSet(rules?: string | RuleSet): Promise<RuleSet> {
  return typeof rules === 'object' ? rules : loadRuleSet(rules ?? DEFAULT_RULESET_DIR);
}

/** Reads the measure files named by `paths` and checks them: the library's main entry point. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const ruleset = await resolveRuleSet(options.rules);
  const paths = await findMeasureFiles(options.paths);
  const inputs: RawInput[] = [];
  for (const name of paths) inputs.push(await readInput(name, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, options.stdin));
  return checkInputs(inputs, ruleset, options);
}
