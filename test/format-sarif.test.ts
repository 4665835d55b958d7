import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/check.js';
import { findingsOf } from '../src/evaluate/result.js';
import { findingKey } from '../src/formats/baseline.js';
import type { ReportContext } from '../src/formats/context.js';
import { artifactLocation, FINGERPRINT_KEY, fileUri, formatSarif, pascalCase, sarifLog } from '../src/formats/sarif.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, measureHead, checkTexts } from './helpers.js';
import { webText } from '../src/formats/web-text.js';

const ruleset = await loadRuleSet();
const context: ReportContext = { all: false, color: false, columns: 120 };

// The OASIS SARIF 2.1.0 schema (draft-07); test/schemas/SOURCE.md says where it comes from.
const schema = JSON.parse(readFileSync(new URL('./schemas/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats.default(ajv);
const validateSarif = ajv.compile(schema);

function schemaErrors(log: unknown): ErrorObject[] {
  return validateSarif(log) ? [] : (validateSarif.errors ?? []);
}

const VALID = `${measureHead()}provisions:
  "3(1)": { status: partial, national: [{ source: code, article: "1" }] }
  "3(4)": { status: transposed, national: [{ source: code, article: "2" }], max_penalty_years: 3 }
  "3(2)": { status: transposed, national: [{ source: code, article: "3" }] }
  "3(3)": { status: not-transposed }
  "22": { status: partial, national: [{ source: code, article: "4" }] }
  "25(2)": { status: not-transposed }
`;
// Under the rules of docs/outcomes.md: 3(4) 3 years against 5 → not-conform (error); 3(2) with no
// figure → incomplete (warning); 3(3) recorded not transposed → not-transposed (error); 22 partial →
// partially-conform (error); 25(2), an option not taken up → not-applicable; 3(1), a chapeau, is
// derived from 3(2)-3(6) (no finding of its own, whatever the file says of it); every other
// provision is absent → not-assessed (counted, listed only with --all).
const HOSTILE = readFileSync(fixture('hostile/lu.yaml'));

const check = (files: [name: string, text: string | Uint8Array][], asOf?: string): CheckResult => checkTexts(ruleset, files, asOf);

/** The report as a consumer reads it: the bytes written, parsed back. */
function sarifOf(result: CheckResult, all = false) {
  const text = formatSarif(result, { ...context, all });
  expect(text.endsWith('}\n')).toBe(true);
  return JSON.parse(text);
}

const EMPTY: CheckResult = {
  tool: { name: 'conformity', version: '0.1.0' },
  ruleset: { id: '2011-93-eu', directive: '2011/93/EU', version: '1.0.0', hash: 'f'.repeat(64), title: 'Directive 2011/93/EU' },
  inputs: [],
  results: [],
  diagnostics: [],
};

describe('SARIF output validates against the OASIS SARIF 2.1.0 schema', () => {
  it.each([
    ['the hostile fixture', () => check([['fixtures/hostile/lu.yaml', HOSTILE]])],
    ['a small valid file', () => check([['measures/de.yaml', VALID]])],
    ['both at once, with --as-of', () => check([['fixtures/hostile/lu.yaml', HOSTILE], ['measures/de.yaml', VALID]], '2019-07-25')],
    ['a file with input errors', () => check([['bad.yaml', VALID.replace('"3(4)"', '"3(9)"')]])],
    ['a hand-built result with no results', () => EMPTY],
  ])('%s: zero schema errors', (_name, make) => {
    const result = make();
    for (const all of [false, true]) expect(schemaErrors(sarifOf(result, all))).toEqual([]);
  });

  it('the schema is the official draft-07 one, and it rejects a broken log', () => {
    expect(schema).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', $id: 'https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json' });
    const log = sarifOf(check([['measures/de.yaml', VALID]]));
    log.runs[0].results[0].level = 'fatal';
    log.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0;
    expect(schemaErrors(log).map((e) => e.instancePath)).toEqual(
      expect.arrayContaining(['/runs/0/results/0/level', '/runs/0/results/0/locations/0/physicalLocation/region/startLine']),
    );
  });
});

describe('SARIF content', () => {
  const result = check([['measures/de.yaml', VALID]]);
  const log = sarifOf(result);
  const run = log.runs[0];
  const resultFor = (provision: string) => run.results.find((r: { properties: { provision: string } }) => r.properties.provision === provision);

  it('names the schema, the version and the tool', () => {
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    expect(run.tool.driver).toMatchObject({
      name: 'conformity',
      version: result.tool.version,
      informationUri: 'https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0093',
    });
  });

  it('lists every rule of the rule set, in order, with its descriptions and default level', () => {
    const rules = run.tool.driver.rules;
    expect(rules).toHaveLength(116);
    expect(rules).toHaveLength(ruleset.rules.length);
    expect(rules.map((r: { id: string }) => r.id)).toEqual(ruleset.rules.map((r) => r.id));
    const penalty = ruleset.rulesByProvision.get('3(4)')![0]!;
    expect(rules.find((r: { id: string }) => r.id === penalty.id)).toEqual({
      id: penalty.id,
      name: pascalCase(penalty.id),
      shortDescription: { text: `Art. 3(4) — ${penalty.articleTitle}` },
      fullDescription: { text: penalty.requirement },
      help: { text: expect.stringContaining(penalty.requirement), markdown: expect.stringContaining(`](${penalty.url})`) },
      helpUri: penalty.url,
      defaultConfiguration: { level: 'error' },
      properties: { tags: [penalty.topic, 'shall'], provision: '3(4)', obligation: penalty.obligation, topic: penalty.topic, modality: 'shall' },
    });
    for (const rule of rules) {
      expect(rule.help.text).toContain(rule.helpUri);
      expect(rule.help.markdown).toContain('**Requirement.**');
      expect(rule.properties.tags).toEqual([rule.properties.topic, rule.properties.modality]);
    }
    expect(rules.find((r: { id: string }) => r.id === penalty.id).help.text).toContain('max_penalty_years');
    const optional = ruleset.rulesByProvision.get('25(2)')![0]!;
    expect(rules.find((r: { id: string }) => r.id === optional.id).defaultConfiguration.level).toBe('note');
  });

  it.each([
    // provision, level, kind, message fragment
    ['3(4)', 'error', undefined, "3(4) not-conform: lowest maximum below the Directive's: CC 2 (figure recorded for the provision): 3 years, below the 5 years required"],
    ['3(2)', 'warning', undefined, '3(2) incomplete: max_penalty_years is not recorded'],
    ['3(3)', 'error', undefined, '3(3) not-transposed: recorded as not transposed'],
    ['22', 'error', undefined, '22 partially-conform: recorded as partially transposed'],
  ])('%s → level %s', (provision, level, kind, message) => {
    const found = resultFor(provision);
    expect(found.level).toBe(level);
    expect(found.kind).toBe(kind);
    expect(found.message.text).toContain(`DE ${message}`);
    expect(run.tool.driver.rules[found.ruleIndex].id).toBe(found.ruleId);
    expect(found.ruleId).toBe(ruleset.rulesByProvision.get(provision)![0]!.id);
  });

  it('points at the line and column of the fact in the file', () => {
    const lines = VALID.split('\n');
    const line = lines.findIndex((l) => l.includes('max_penalty_years: 3')) + 1;
    const column = lines[line - 1]!.indexOf('max_penalty_years: 3') + 'max_penalty_years: '.length + 1;
    expect(resultFor('3(4)').locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'measures/de.yaml', uriBaseId: '%SRCROOT%', index: 0 },
      region: { startLine: line, startColumn: column, endLine: line, endColumn: column + 1 },
    });
    expect(resultFor('3(4)').properties).toMatchObject({ member_state: 'DE', outcome: 'not-conform', computed_outcome: 'not-conform', national: ['CC 2'] });
  });

  it('has no result for a not-applicable provision (an option not taken up is no alert)', () => {
    expect(resultFor('25(2)')).toBeUndefined();
    expect(result.results[0]!.provisions.find((p) => p.provision === '25(2)')!.outcome).toBe('not-applicable');
  });

  it('has one result per finding with a severity, none for conform or not-applicable ones even with --all', () => {
    const expected = result.results.flatMap((r) => findingsOf(r)).filter((f) => f.severity !== 'none' && f.outcome !== 'not-applicable');
    expect(run.results).toHaveLength(expected.length);
    expect(run.results.map((r: { properties: { provision: string } }) => r.properties.provision)).toEqual(['3(2)', '3(3)', '3(4)', '22']);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    // --all adds the provisions not assessed and the derived chapeaux, never a conform or not-applicable one.
    const all = sarifOf(result, true).runs[0].results as { ruleId: string; properties: { provision: string; outcome: string } }[];
    const listedWithAll = result.results[0]!.rules.filter((f) => f.severity !== 'none' && f.outcome !== 'not-applicable');
    expect(all.map((r) => r.ruleId)).toEqual(listedWithAll.map((f) => f.rule.id));
    expect(all.filter((r) => r.properties.outcome === 'conform' || r.properties.outcome === 'not-applicable')).toEqual([]);
    const added = all.filter((r) => !['3(2)', '3(3)', '3(4)', '22'].includes(r.properties.provision));
    for (const r of added) expect(r.properties.outcome === 'not-assessed' || ['3(1)', '4(1)', '5(1)'].includes(r.properties.provision)).toBe(true);
  });

  it('a half-researched file raises no alert for what is not assessed, and none for a derived chapeau', () => {
    expect(result.results[0]!.summary['not-assessed']).toBeGreaterThan(100);
    expect(run.results.filter((r: { properties: { outcome: string } }) => r.properties.outcome === 'not-assessed')).toEqual([]);
    // The file records 3(1) as partial, but a chapeau is the worst of its paragraphs, not a finding of its own.
    expect(resultFor('3(1)')).toBeUndefined();
    expect(result.results[0]!.provisions.find((p) => p.provision === '3(1)')).toEqual({ provision: '3(1)', outcome: 'not-transposed', derived: true });
    const chapeau = sarifOf(result, true).runs[0].results.find((r: { properties: { provision: string } }) => r.properties.provision === '3(1)');
    expect(chapeau).toMatchObject({ level: 'note', properties: { outcome: 'not-transposed' } });
  });

  it('carries its provenance: rule set and hash, date, inputs and their SHA-256', () => {
    expect(run.properties).toEqual({
      ruleset: { id: '2011-93-eu', directive: '2011/93/EU', version: ruleset.version, hash: ruleset.hash, celex: '32011L0093' },
      as_of: '2024-06-30',
      inputs: [{ file: 'measures/de.yaml', sha256: result.inputs[0]!.sha256 }],
    });
    expect(result.inputs[0]!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(run.artifacts).toEqual([{ location: { uri: 'measures/de.yaml', uriBaseId: '%SRCROOT%' }, roles: ['analysisTarget'], hashes: { 'sha-256': result.inputs[0]!.sha256 } }]);
    expect(run.invocations).toEqual([{ executionSuccessful: true, workingDirectory: { uri: pathToFileURL(process.cwd()).href + '/' } }]);
  });

  it('is deterministic', () => {
    expect(formatSarif(check([['measures/de.yaml', VALID]]), context)).toBe(formatSarif(result, context));
    expect(formatSarif(result, context)).not.toMatch(/Time|time"/);
  });

  it('reports input errors as tool execution notifications', () => {
    const broken = sarifOf(check([['bad.yaml', VALID.replace('"3(4)"', '"3(9)"')]])).runs[0];
    expect(broken.results).toEqual([]);
    expect(broken.invocations[0].executionSuccessful).toBe(false);
    expect(broken.invocations[0].toolExecutionNotifications[0]).toMatchObject({
      level: 'error',
      descriptor: { id: 'not-evaluated' },
      message: { text: expect.stringContaining('must not close their alerts') },
    });
    expect(broken.invocations[0].toolExecutionNotifications[1]).toMatchObject({
      level: 'error',
      descriptor: { id: 'unknown-provision' },
      message: { text: expect.stringContaining('unknown provision "3(9)"') },
      locations: [{ physicalLocation: { artifactLocation: { uri: 'bad.yaml', uriBaseId: '%SRCROOT%', index: 0 }, region: { startLine: 9, startColumn: 3 } } }],
    });
  });
});

describe('SARIF with hostile text', () => {
  const text = HOSTILE.toString('utf8');
  const result = check([['fixtures/hostile/lu.yaml', HOSTILE]]);
  const run = sarifOf(result).runs[0];

  it('keeps every string intact in its properties (JSON escapes it), and shows in messages what would fool a reader', () => {
    const reason = /reason: "(.*)"\n/.exec(text)![1]!;
    const unescaped = JSON.parse(`"${reason}"`) as string;
    const assessed = run.results.find((r: { properties: { provision: string } }) => r.properties.provision === '9(c)');
    expect(assessed).toMatchObject({ level: 'error', properties: { outcome: 'not-conform', computed_outcome: 'conform' } });
    expect(assessed.properties.assessment.reason).toBe(unescaped);
    // Code scanning shows the message in a web page: controls (here BEL and ESC) are shown, as bidi controls would be.
    expect(unescaped).toMatch(/[\u0007\u001b]/);
    expect(assessed.message.text).toContain(webText(unescaped));
    expect(assessed.message.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u202a-\u202e\u2066-\u2069]/);
    expect(assessed.message.text).toContain('forged\\x07');
    const penalty = run.results.find((r: { properties: { provision: string } }) => r.properties.provision === '3(4)');
    expect(penalty.properties.national.join(' ')).toContain('art. 1 <b>bold</b> ]]><!-- %0A -->');
  });
});

describe('SARIF of a hand-built result with no results', () => {
  it('has no rules, no results and no artifacts, and still validates', () => {
    const log = sarifOf(EMPTY);
    expect(log.runs[0].tool.driver).toEqual({ name: 'conformity', version: '0.1.0', rules: [] });
    expect(log.runs[0]).toMatchObject({ results: [], artifacts: [], properties: { as_of: null, inputs: [] } });
    expect(schemaErrors(log)).toEqual([]);
  });

  it('takes the informationUri from the CELEX number when there is no rule to take it from', () => {
    const log = sarifOf({ ...EMPTY, ruleset: { ...EMPTY.ruleset, celex: '32011L0093' } });
    expect(log.runs[0].tool.driver.informationUri).toBe('https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0093');
  });

  it('lists the rules it is given (sarifLog)', () => {
    const log = sarifLog(EMPTY, ruleset.rules);
    expect(log.runs[0]!.tool.driver.rules).toHaveLength(116);
    expect(schemaErrors(JSON.parse(JSON.stringify(log)))).toEqual([]);
  });
});

describe('file names as SARIF URIs', () => {
  it.each([
    ['fixtures/hostile/lu.yaml', 'fixtures/hostile/lu.yaml'],
    ['measures\\de\\offences.yaml', 'measures/de/offences.yaml'],
    ['my measures/dé.yaml', 'my%20measures/d%C3%A9.yaml'],
    ['C:\\measures\\de.yaml', 'file:///C:/measures/de.yaml'],
    ['<stdin>', '%3Cstdin%3E'],
    ['a:b/#1?.yaml', 'a%3Ab/%231%3F.yaml'],
  ])('%s → %s', (name, uri) => {
    expect(fileUri(name)).toBe(uri);
    const log = sarifOf(check([[name, VALID]]));
    expect(log.runs[0].artifacts[0].location.uri).toBe(uri);
    expect(schemaErrors(log)).toEqual([]);
  });
});

describe('SARIF for code scanning: source root, fingerprints, category', () => {
  const result = check([['measures/de.yaml', VALID]]);
  const locator = (root: string, workingDirectory: string) => ({ root, workingDirectory, artifactIndex: new Map<string, number>() });

  it.each([
    // name, working directory, root, location
    ['measures/de.yaml', '/repo', '/repo', { uri: 'measures/de.yaml', uriBaseId: '%SRCROOT%' }],
    ['./measures/de.yaml', '/repo', '/repo', { uri: 'measures/de.yaml', uriBaseId: '%SRCROOT%' }],
    ['../de.yaml', '/repo/measures/sub', '/repo', { uri: 'measures/de.yaml', uriBaseId: '%SRCROOT%' }],
    ['/repo/measures/de.yaml', '/elsewhere', '/repo', { uri: 'measures/de.yaml', uriBaseId: '%SRCROOT%' }],
    ['/abs/path/de.yaml', '/repo', '/repo', { uri: 'file:///abs/path/de.yaml' }],
    ['../outside/dé.yaml', '/repo', '/repo', { uri: 'file:///outside/d%C3%A9.yaml' }],
    ['<stdin>', '/repo', '/repo', { uri: '%3Cstdin%3E', uriBaseId: '%SRCROOT%' }],
  ])('%s from %s (root %s) → %j', (name, cwd, root, location) => {
    expect(artifactLocation(name, locator(root, cwd))).toEqual(location);
  });

  it('declares %SRCROOT% and the working directory as folder URIs, and the category', () => {
    const log = JSON.parse(formatSarif(result, { ...context, sarif: { root: '/repo', workingDirectory: '/repo/sub', category: 'measures' } }));
    expect(log.runs[0].originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
    expect(log.runs[0].invocations[0].workingDirectory).toEqual({ uri: 'file:///repo/sub/' });
    expect(log.runs[0].automationDetails).toEqual({ id: 'measures/' });
    expect(log.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toMatchObject({ uri: 'sub/measures/de.yaml', uriBaseId: '%SRCROOT%' });
    expect(schemaErrors(log)).toEqual([]);
  });

  it('gives every result a fingerprint that depends on Member State, rule and provision only', () => {
    const log = sarifOf(result);
    const moved = sarifOf(check([['measures/de.yaml', VALID.replace('provisions:\n', 'provisions:\n  "3(5)(i)": { status: not-assessed }\n')]]));
    const prints = (l: typeof log) => new Map(l.runs[0].results.map((r: { ruleId: string; partialFingerprints: Record<string, string> }) => [r.ruleId, r.partialFingerprints[FINGERPRINT_KEY]]));
    const before = prints(log);
    const after = prints(moved);
    expect(new Set(before.values()).size).toBe(before.size);
    // A provision written not-assessed is no result: the same findings, each on another line, same fingerprint.
    expect([...after.keys()]).toEqual([...before.keys()]);
    for (const [rule, print] of before) expect(after.get(rule)).toBe(print);
    for (const print of before.values()) expect(print).toMatch(/^[0-9a-f]{64}$/);
  });

  it('with a baseline, says which results are new and which unchanged', () => {
    const threeFour = result.results[0]!.rules.find((r) => r.rule.provision === '3(4)')!;
    const known = new Set([findingKey('DE', threeFour.rule.id, '3(4)', 'error')]);
    const log = JSON.parse(formatSarif(result, { ...context, known }));
    const states = log.runs[0].results.map((r: { ruleId: string; baselineState: string }) => [r.ruleId, r.baselineState]);
    expect(states).toContainEqual([threeFour.rule.id, 'unchanged']);
    expect(states.filter(([, s]: string[]) => s === 'new').length).toBe(states.length - 1);
  });
});
