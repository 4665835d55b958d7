import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';
import type addFormatsModule from 'ajv-formats';
import { locate, type ParsedYaml } from '../load/parse-yaml.js';
import { unescapeSegment } from '../load/json-pointer.js';
import type { Diagnostic } from '../types.js';
import { MAX_ERRORS_PER_FILE, moreLine } from './error-cap.js';
import { clip, Suggester } from './suggest.js';

const didYouMean = (wanted: string, known: readonly string[]) => new Suggester(known).didYouMean(wanted);

/** One ajv instance setting for every schema we compile: all errors, with the failing schema attached. */
export function createAjv(extra: Partial<Options> = {}): Ajv2020 {
  // Loaded here: a run with the built-in rules uses the validator compiled at build time, and never
  // needs ajv itself (a hundred files to load, ~20 ms of start-up).
  const require = createRequire(import.meta.url);
  const { Ajv2020 } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  const addFormats = require('ajv-formats') as typeof addFormatsModule;
  // ownProperties: a fact or key named like an Object.prototype member (`constructor`) is looked up on the data itself only.
  const ajv = new Ajv2020({ ...extra, allErrors: true, verbose: true, strict: true, strictRequired: false, strictTypes: false, allowUnionTypes: true, ownProperties: true,
    // Our schemas are ours, not users': a test checks them against the meta-schema once, not every run.
    validateSchema: false });
  addFormats.default(ajv, ['date', 'uri']);
  // Our own annotation: the plain-words shape of a union, used in messages instead of its branches.
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  // Advice the schema gives with its own errors, so that no message is rewritten after the fact.
  ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-value-hints', schemaType: 'object' });
  return ajv;
}

/** `/provisions/3(4)/national/0/source` → `provisions["3(4)"].national[0].source`. */
export function formatKeyPath(pointer: string): string {
  if (pointer === '') return 'the document';
  let out = '';
  for (const raw of pointer.slice(1).split('/')) {
    // A key is quoted at most MAX_QUOTED characters long: a message never echoes a long stretch of input.
    const segment = clip(unescapeSegment(raw));
    if (/^\d+$/.test(segment)) out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}

const TYPE_WORDS: Record<string, string> = {
  object: 'a map of keys',
  array: 'a list',
  string: 'text',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'empty',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

/** Sentence for one ajv error; undefined for errors that only repeat another one. */
function sentence(error: ErrorObject): { message: string; pointer: string; at: 'key' | 'value' } | undefined {
  const where = formatKeyPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema as Record<string, unknown> | undefined;
  switch (error.keyword) {
    case 'required': {
      const hint = typeof parent?.['x-hint'] === 'string' ? `: ${parent['x-hint']}` : '';
      return { message: `${where} is missing "${String(params.missingProperty)}"${hint}`, pointer: error.instancePath, at: 'key' };
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty);
      const known = Object.keys((parent?.properties as object | undefined) ?? {});
      const hint = didYouMean(name, known);
      return {
        message: `unknown key "${clip(name)}" in ${where}${hint || (known.length ? `; allowed: ${known.join(', ')}` : '')}`,
        pointer: `${error.instancePath}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        at: 'key',
      };
    }
    case 'type':
      return { message: `${where} must be ${typeWords(params.type)}, not ${describeValue(error.data)}`, pointer: error.instancePath, at: 'value' };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const value = typeof error.data === 'string' ? error.data : undefined;
      const known = (parent?.['x-value-hints'] as Record<string, string> | undefined) ?? {};
      const hint =
        value === undefined
          ? ''
          : Object.hasOwn(known, value.toUpperCase())
            ? `; ${known[value.toUpperCase()]}`
            : allowed.includes(value.toUpperCase())
              ? `; write it in upper case: ${value.toUpperCase()}`
              : didYouMean(value, allowed);
      const expected = parent?.['x-expected'];
      const list = allowed.length > 12 ? `${allowed.slice(0, 12).join(', ')}, …` : allowed.join(', ');
      const what = typeof expected === 'string' ? expected : `one of ${list}`;
      return { message: `${where} is ${describeValue(error.data)}, which is not ${what}${hint}`, pointer: error.instancePath, at: 'value' };
    }
    case 'const':
      return { message: `${where} must be ${JSON.stringify(params.allowedValue)}, not ${describeValue(error.data)}`, pointer: error.instancePath, at: 'value' };
    case 'format':
      return {
        message:
          params.format === 'date'
            ? `${where} must be a real calendar date written YYYY-MM-DD, not ${describeValue(error.data)}`
            : `${where} must be a ${String(params.format)}, not ${describeValue(error.data)}`,
        pointer: error.instancePath,
        at: 'value',
      };
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum': {
      const words = { minimum: 'at least', exclusiveMinimum: 'more than', maximum: 'at most', exclusiveMaximum: 'less than' }[error.keyword];
      return { message: `${where} must be ${words} ${String(params.limit)}, not ${describeValue(error.data)}`, pointer: error.instancePath, at: 'value' };
    }
    case 'minItems':
      return { message: `${where} must list at least ${String(params.limit)} item${params.limit === 1 ? '' : 's'}`, pointer: error.instancePath, at: 'key' };
    case 'maxItems':
      return { message: `${where} must list at most ${String(params.limit)} items`, pointer: error.instancePath, at: 'key' };
    case 'minLength':
      return { message: `${where} must not be empty`, pointer: error.instancePath, at: 'value' };
    case 'maxLength':
      return { message: `${where} is longer than ${String(params.limit)} characters`, pointer: error.instancePath, at: 'value' };
    case 'pattern':
      return { message: `${where} is ${describeValue(error.data)}, which does not have the expected form`, pointer: error.instancePath, at: 'value' };
    case 'uniqueItems':
      return { message: `${where} lists the same item twice`, pointer: error.instancePath, at: 'value' };
    case 'propertyNames':
      return undefined; // the inner error names the key
    case 'anyOf':
    case 'oneOf': {
      const expected = parent?.['x-expected'];
      return typeof expected === 'string'
        ? { message: `${where} must be ${expected}, not ${describeValue(error.data)}`, pointer: error.instancePath, at: 'value' }
        : { message: `${where} does not match any allowed form`, pointer: error.instancePath, at: 'value' };
    }
    case 'not': {
      const expected = parent?.['x-expected'];
      return { message: `${where} ${typeof expected === 'string' ? expected : 'has a combination of keys that is not allowed'}`, pointer: error.instancePath, at: 'value' };
    }
    case 'if':
    case 'allOf':
      return undefined; // the failing branch reports itself
    default:
      return { message: `${where}: ${error.message ?? 'is not valid'}`, pointer: error.instancePath, at: 'value' };
  }
}

/** Keywords sentence() says nothing for. */
const SILENT = new Set(['propertyNames', 'if', 'allOf']);

/**
 * Turns ajv's errors into one plain sentence each at the right FILE:LINE:COLUMN. Errors inside a
 * union (anyOf/oneOf) are replaced by one sentence for the union; repeats are dropped.
 */
export function translateAjvErrors(errors: readonly ErrorObject[] | null | undefined, parsed: ParsedYaml): Diagnostic[] {
  if (!errors) return [];
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => `${e.schemaPath}/`);
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  let more = 0;
  for (const error of errors) {
    if (unions.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    // Past the cap, count the rest (roughly: repeats and silent keywords aside) without describing them.
    if (out.length >= MAX_ERRORS_PER_FILE) {
      if (!SILENT.has(error.keyword)) more++;
      continue;
    }
    const described = sentence(error);
    if (!described) continue;
    const at = locate(parsed.positions, described.pointer, described.at) ?? { file: parsed.file, line: 1, column: 1 };
    const key = `${at.line}:${at.column}:${described.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ file: parsed.file, line: at.line, column: at.column, code: 'schema', message: described.message });
  }
  if (more) out.push(moreLine(parsed.file, out[out.length - 1]!, more));
  return out;
}

/** Runs a compiled schema over parsed data and translates what fails. */
export function validateParsed(validate: ValidateFunction, parsed: ParsedYaml): Diagnostic[] {
  return validate(parsed.data) ? [] : translateAjvErrors(validate.errors, parsed);
}
