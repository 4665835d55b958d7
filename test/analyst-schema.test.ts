import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { normaliseProvisionKey } from '../src/ruleset/provision.js';
import { fixture, runCli, tempFolders } from './helpers.js';

const newTempFolder = tempFolders('schema');

type Schema = Record<string, any>;

/**
 * A second ajv, independent of the engine's (src/validate/ajv.ts): strict, every error, and the
 * formats the schema uses. Only the schema's own annotations (`x-expected`, `x-hint`, `x-value-hints`: advice for
 * error messages, ignored by other validators) are declared to it.
 * strictTypes is off: `then: { properties: { national: { minItems: 1 } } }` is valid JSON Schema
 * that ajv's strictTypes lint would want to repeat `type: array` in.
 */
function independentAjv(): Ajv2020 {
  const ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true, allowUnionTypes: true, strictRequired: false });
  addFormatsModule.default(ajv);
  ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-hint', schemaType: 'string' });
  ajv.addKeyword({ keyword: 'x-value-hints', schemaType: 'object' });
  return ajv;
}

/** Every *.yaml / *.yml below `dir`. */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(name) ? [full] : [];
    });
}

/** The data of a measure file as the engine validates it: provision keys normalised (`Art. 3(4)` → `3(4)`). */
function measureData(file: string): Record<string, unknown> {
  const data = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const provisions = data.provisions as Record<string, unknown> | undefined;
  if (provisions) {
    data.provisions = Object.fromEntries(Object.entries(provisions).map(([key, value]) => [normaliseProvisionKey(key) ?? key, value]));
  }
  return data;
}

let schema: Schema;
beforeAll(async () => {
  const { code, stdout, stderr } = await runCli(['schema']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  schema = JSON.parse(stdout);
});

describe('conformity schema', () => {
  it('prints the draft 2020-12 schema, pretty', async () => {
    const { stdout } = await runCli(['schema']);
    expect(stdout).toMatch(/^\{\n {2}"\$schema": "https:\/\/json-schema\.org\/draft\/2020-12\/schema",\n/);
    expect(stdout.endsWith('}\n')).toBe(true);
    expect(schema.properties.provisions.properties['3(4)']).toBeDefined();
  });

  it('is itself valid against the 2020-12 meta-schema', () => {
    const ajv = independentAjv();
    const valid = ajv.validateSchema(schema);
    expect(ajv.errors ?? [], ajv.errorsText(ajv.errors)).toEqual([]);
    expect(valid).toBe(true);
  });

  const measureFiles = yamlFiles(fixture('measures'));
  it.each(measureFiles.map((f) => [path.relative(fixture(''), f), f]))('accepts %s (a second, independent ajv)', (_, file) => {
    const validate = independentAjv().compile(schema);
    const valid = validate(measureData(file));
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('found the fixtures, including those written with "Art. 3(4)" spellings', () => {
    expect(measureFiles.length).toBeGreaterThanOrEqual(4);
    expect(measureFiles.some((f) => /^\s+Art\. 3\(4\):/m.test(readFileSync(f, 'utf8')))).toBe(true);
  });

  it.each([
    'assessment-without-reason.yaml',
    'bad-country.yaml',
    'impossible-date.yaml',
    'negative-penalty.yaml',
    'transposed-without-national.yaml',
    'unknown-directive.yaml',
    'unknown-top-level-key.yaml',
    'wrong-type.yaml',
  ])('rejects the schema error of invalid/%s', (name) => {
    const validate = independentAjv().compile(schema);
    expect(validate(measureData(fixture(`invalid/${name}`)))).toBe(false);
  });

  it('accepts the template `conformity init` writes', async () => {
    const { stdout } = await runCli(['init', 'DE']);
    const validate = independentAjv().compile(schema);
    expect(validate(parse(stdout))).toBe(true);
  });

  it('gives every provision key and every fact a title and a description', async () => {
    const ruleset = await loadRuleSet();
    const provisions = schema.properties.provisions.properties as Record<string, Schema>;
    // (A JS object lists "11" before "2(a)": compare as sets.)
    expect(Object.keys(provisions).sort()).toEqual([...ruleset.provisions].sort());
    for (const [key, entry] of Object.entries(provisions)) {
      expect(entry.title, key).toMatch(new RegExp(`^Art\\. ${key.replace(/[()]/g, '\\$&')} — `));
      expect(entry.description, key).toBeTruthy();
    }
    for (const fact of ruleset.facts.values()) {
      const shape = fact.scope === 'member-state'
        ? schema.properties[fact.name]
        : Object.values(schema.$defs as Record<string, Schema>).find((d) => d.properties?.[fact.name])?.properties[fact.name];
      expect(shape?.title, fact.name).toBeTruthy();
      expect(shape?.description, fact.name).toBeTruthy();
    }
  });

  it('describes every other property', () => {
    const gaps = new Set<string>();
    const resolve = (node: Schema): Schema => (typeof node.$ref === 'string' && !node.title && !node.description ? schema.$defs[node.$ref.split('/').pop()!] : node);
    const walk = (node: Schema | undefined, at: string) => {
      if (!node || typeof node !== 'object') return;
      for (const [name, property] of Object.entries((node.properties ?? {}) as Record<string, Schema>)) {
        const here = `${at}/properties/${name}`;
        const target = resolve(property);
        if (!target?.title && !target?.description) gaps.add(here.replace(/\/\$defs\/provision[^/]*/, '/$defs/provision*'));
        walk(property, here);
      }
      // `then` / `else` only constrain properties declared elsewhere; `items` and `additionalProperties` declare.
      if (node.items) walk(node.items, `${at}/items`);
      if (node.then?.properties?.below_consent) walk(node.then, `${at}/then`);
    };
    walk(schema, '');
    for (const [name, def] of Object.entries(schema.$defs as Record<string, Schema>)) walk(def, `/$defs/${name}`);
    expect([...gaps]).toEqual([]);
  });

  it('--output writes the schema whole, and --rules picks the rule set', async () => {
    const out = path.join(newTempFolder(), 'measures.schema.json');
    const { code, stdout } = await runCli(['schema', '--output', out]);
    expect(code).toBe(0);
    expect(stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual(schema);
    const bad = await runCli(['schema', '--rules', '/no/such/rules']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('cannot read the rule-set folder');
  });
});
