import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../src/check.js';
import type { ReportContext } from '../src/formats/context.js';
import { findingsWithNotAssessed } from '../src/evaluate/result.js';
import { findingKey } from '../src/formats/baseline.js';
import { exitCodeFor, failsAt } from '../src/formats/exit-code.js';
import { formatJunit, xmlAttr, xmlSafe, xmlText } from '../src/formats/junit.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, measureHead, checkTexts } from './helpers.js';

const ruleset = await loadRuleSet();
const context: ReportContext = { all: false, color: false, columns: 120 };

const VALID = `${measureHead()}provisions:
  "3(1)": { status: partial, national: [{ source: code, article: "1" }] }
  "3(4)": { status: transposed, national: [{ source: code, article: "2" }], max_penalty_years: 3 }
  "2(a)": { status: transposed, national: [{ source: code, article: "3" }], child_age_limit: 18 }
  "3(2)": { status: transposed, national: [{ source: code, article: "4" }] }
  "3(3)": { status: not-transposed }
  "22": { status: partial, national: [{ source: code, article: "5" }] }
  "25(2)": { status: not-transposed }
`;
// Under docs/outcomes.md: 3(4) 3 years against 5 → not-conform; 3(3) → not-transposed; 22 partial →
// partially-conform (errors); 3(2) with no figure → incomplete; 3(5)(i), absent → not-assessed
// (warnings); 25(2), an option not taken up → not-applicable; 2(a) → conform; 3(1), a chapeau, is
// the worst of 3(2)-3(6) (not-transposed, for 3(3)) and no finding of its own.
const HOSTILE = readFileSync(fixture('hostile/lu.yaml'));

const check = (files: [name: string, text: string | Uint8Array][], asOf?: string): CheckResult => checkTexts(ruleset, files, asOf);

const EMPTY: CheckResult = {
  tool: { name: 'conformity', version: '0.1.0' },
  ruleset: { id: '2011-93-eu', directive: '2011/93/EU', version: '1.0.0', hash: 'f'.repeat(64), title: 'Directive 2011/93/EU' },
  inputs: [],
  results: [],
  diagnostics: [],
};

// A real XML parser; numeric character references (&#10; &#13;) decoded as any XML parser does.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

interface TestCase {
  '@_classname': string;
  '@_name': string;
  '@_file'?: string;
  '@_line'?: string;
  failure?: { '#text': string; '@_message': string; '@_type': string };
  error?: { '#text': string; '@_message': string; '@_type': string };
  skipped?: { '@_message': string };
  'system-out'?: string;
}
interface TestSuite {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  properties?: { property: { '@_name': string; '@_value': string }[] };
  testcase?: TestCase[];
}
interface TestSuites {
  '@_name': string;
  '@_tests': string;
  '@_failures': string;
  '@_errors': string;
  '@_skipped': string;
  testsuite?: TestSuite[];
}

/** The report as written, checked for well-formedness and parsed. */
function junitOf(result: CheckResult): { xml: string; suites: TestSuites } {
  const xml = formatJunit(result, context);
  expect(XMLValidator.validate(xml)).toBe(true);
  return { xml, suites: parser.parse(xml).testsuites as TestSuites };
}

// Jenkins xUnit's schema; test/schemas/SOURCE.md says where it comes from. xmllint is Debian's libxml2-utils (.ci/run installs it).
const XSD = fileURLToPath(new URL('./schemas/junit-10.xsd', import.meta.url));

/** xmllint's complaints about `xml` against junit-10.xsd; '' when valid. */
function xmllintErrors(xml: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'conformity-junit-'));
  try {
    const file = path.join(folder, 'report.xml');
    writeFileSync(file, xml);
    const run = spawnSync('xmllint', ['--noout', '--schema', XSD, file], { encoding: 'utf8' });
    if (run.error) throw new Error(`xmllint is needed (apt-get install libxml2-utils): ${run.error.message}`);
    return run.status === 0 ? '' : run.stderr;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDFFF]/u;

describe('JUnit XML is well-formed and counts what it holds', () => {
  it.each([
    ['the hostile fixture', () => check([['fixtures/hostile/lu.yaml', HOSTILE]])],
    ['a small valid file', () => check([['measures/de.yaml', VALID]])],
    ['both at once, with --as-of', () => check([['fixtures/hostile/lu.yaml', HOSTILE], ['measures/de.yaml', VALID]], '2019-07-25')],
    ['a valid file and a file with input errors', () => check([['measures/de.yaml', VALID], ['bad.yaml', VALID.replace('"3(4)"', '"3(9)"').replace('DE', 'FR')]])],
    ['a hand-built result with no results', () => EMPTY],
  ])('%s', (_name, make) => {
    const result = make();
    const { xml, suites } = junitOf(result);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="conformity" ')).toBe(true);
    expect(xml.endsWith('</testsuites>\n')).toBe(true);
    expect(xml).not.toMatch(NOT_XML);
    expect(xml).not.toContain('<![CDATA[');
    const list = suites.testsuite ?? [];
    expect(list).toHaveLength(result.results.length + (result.diagnostics.length ? 1 : 0));
    result.results.forEach((state, i) => {
      const suite = list[i]!;
      expect(suite['@_name']).toBe(state.memberState);
      expect(suite.testcase).toHaveLength(state.provisions.length);
      expect(Number(suite['@_tests'])).toBe(state.provisions.length);
      const errorProvisions = new Set(state.rules.filter((r) => r.severity === 'error').map((r) => r.rule.provision));
      expect(Number(suite['@_failures'])).toBe(errorProvisions.size);
      expect(suite.testcase!.filter((c) => c.failure)).toHaveLength(errorProvisions.size);
      const skipped = state.provisions.filter((p) => p.outcome === 'not-applicable').length;
      expect(Number(suite['@_skipped'])).toBe(skipped);
      expect(suite.testcase!.filter((c) => c.skipped)).toHaveLength(skipped);
      expect(suite['@_errors']).toBe('0');
    });
    expect(xmllintErrors(xml)).toBe('');
    for (const key of ['@_tests', '@_failures', '@_errors'] as const) {
      expect(Number(suites[key])).toBe(list.reduce((sum, s) => sum + Number(s[key]), 0));
    }
  });
});

describe('JUnit mapping', () => {
  const result = check([['measures/de.yaml', VALID]]);
  const { suites } = junitOf(result);
  const suite = suites.testsuite![0]!;
  const testcase = (provision: string) => suite.testcase!.find((c) => c['@_name'].startsWith(`Art. ${provision} `))!;
  const title = (provision: string) => ruleset.rulesByProvision.get(provision)![0]!.articleTitle;

  it.each([
    // provision, element expected, type or text
    ['3(4)', 'failure', 'not-conform'],
    ['3(3)', 'failure', 'not-transposed'],
    ['22', 'failure', 'partially-conform'],
    ['3(2)', 'system-out', 'incomplete'],
    ['3(5)(i)', 'system-out', 'not-assessed'],
    ['3(1)', 'system-out', 'not-transposed'],
    ['25(2)', 'skipped', 'not-applicable'],
    ['2(a)', 'none', 'conform'],
  ])('Art. %s → %s (%s)', (provision, kind, outcome) => {
    const c = testcase(provision);
    expect(c['@_name']).toBe(`Art. ${provision} ${title(provision)}`);
    expect(c['@_classname']).toBe(`DE.${ruleset.rulesByProvision.get(provision)![0]!.topic}`);
    expect(Boolean(c.failure)).toBe(kind === 'failure');
    expect(Boolean(c.skipped)).toBe(kind === 'skipped');
    expect(Boolean(c['system-out'])).toBe(kind === 'system-out');
    if (kind === 'failure') {
      expect(c.failure!['@_type']).toBe(outcome);
      expect(c.failure!['@_message']).toContain(`${provision} ${outcome}: `);
    }
    if (kind === 'system-out') expect(c['system-out']).toContain(`${provision} ${outcome}`);
    if (kind === 'skipped') expect(c.skipped!['@_message']).toContain(`${provision} not-applicable`);
  });

  it('puts the message, national provisions and FILE:LINE:COLUMN in the failure body', () => {
    const lines = VALID.split('\n');
    const line = lines.findIndex((l) => l.includes('max_penalty_years: 3')) + 1;
    const column = lines[line - 1]!.indexOf('max_penalty_years: 3') + 'max_penalty_years: '.length + 1;
    const c = testcase('3(4)');
    const penalty = "lowest maximum below the Directive's: CC 2 (figure recorded for the provision): 3 years, below the 5 years required (child below the age of sexual consent)";
    expect(c.failure!['@_message']).toBe(`3(4) not-conform: ${penalty}`);
    expect(c.failure!['#text']).toContain(penalty);
    expect(c.failure!['#text']).toContain('national: CC 2');
    expect(c.failure!['#text']).toContain(`at measures/de.yaml:${line}:${column}`);
    // junit-10.xsd has no file or line on a case: the suite carries the file.
    expect(c['@_file']).toBeUndefined();
    expect(suite).toMatchObject({ '@_file': 'measures/de.yaml' });
  });

  it('carries its provenance in the suite properties', () => {
    const props = Object.fromEntries(suite.properties!.property.map((p) => [p['@_name'], p['@_value']]));
    expect(props).toMatchObject({
      tool: `conformity ${result.tool.version}`,
      ruleset: `2011-93-eu ${ruleset.version}`,
      'ruleset.hash': ruleset.hash,
      as_of: '2024-06-30',
      'file:measures/de.yaml': `sha256:${result.inputs[0]!.sha256}`,
    });
  });

  it('reports input errors as an "input" suite of errors', () => {
    const broken = junitOf(check([['bad.yaml', VALID.replace('"3(4)"', '"3(9)"')]])).suites;
    expect(broken).toMatchObject({ '@_tests': '1', '@_errors': '1', '@_failures': '0' });
    const c = broken.testsuite![0]!.testcase![0]!;
    expect(broken.testsuite![0]!['@_name']).toBe('input');
    expect(c['@_name']).toBe('bad.yaml:9:3');
    expect(c.error).toMatchObject({ '@_type': 'unknown-provision', '@_message': expect.stringContaining('unknown provision "3(9)"') });
  });

  it('is deterministic', () => {
    expect(formatJunit(check([['measures/de.yaml', VALID]]), context)).toBe(formatJunit(result, context));
  });
});

describe('JUnit with hostile text', () => {
  const source = HOSTILE.toString('utf8');
  const yamlString = (key: string, after = '') => JSON.parse(`"${new RegExp(`${after}[\\s\\S]*?${key}: "(.*)"\\n`).exec(source)![1]!}"`) as string;
  const result = check([['fixtures/hostile/lu.yaml', HOSTILE]]);
  const { xml, suites } = junitOf(result);
  const testcase = (provision: string) => suites.testsuite![0]!.testcase!.find((c) => c['@_name'].startsWith(`Art. ${provision} `))!;

  it('escapes markup: nothing in the measure file becomes an element', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<b>');
    expect(xml).not.toContain('<img');
    expect(xml).not.toContain(']]>');
    expect(xml).not.toContain('<!--');
  });

  it('gives the strings back intact where XML allows them', () => {
    const failure = testcase('3(4)').failure!['#text'];
    expect(failure).toContain('art. 1 <b>bold</b> ]]><!-- %0A -->');
    expect(failure).toContain('=HYPERLINK("http://example.invalid","x")');
    // CR LF survives as a character reference; a parser reads the CR back. (3(5)(i) partial is partially-conform, an error.)
    expect(testcase('3(5)(i)').failure!['#text']).toContain(`@cmd|' /C calc'!A0 -2+3 | col \r\n::warning::forged too`);
    expect(testcase('9(c)').failure!['#text']).toContain('by <img src=x onerror=alert(1)>');
  });

  it('removes the control characters and keeps the rest', () => {
    const reason = yamlString('reason');
    expect(reason).toMatch(/[\u0007\u001b]/);
    const cleaned = reason.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g, '');
    const c = testcase('9(c)');
    expect(c.failure!['#text']).toContain(cleaned);
    // In an attribute, the newline is a character reference, so it survives normalisation.
    expect(c.failure!['@_message']).toBe(`9(c) not-conform: assessed (computed conform): ${cleaned}`);
    expect(xml).not.toMatch(/[\u0007\u001b]/);
  });
});

describe('JUnit of a hand-built result', () => {
  it('with no results is an empty, well-formed testsuites', () => {
    const { xml, suites } = junitOf(EMPTY);
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="conformity" tests="0" failures="0" errors="0" time="0">\n</testsuites>\n');
    expect(suites).toMatchObject({ '@_tests': '0', '@_failures': '0', '@_errors': '0' });
  });

  it('stays well-formed with characters XML forbids anywhere in its text', () => {
    const base = check([['measures/de.yaml', VALID]]);
    const state = base.results[0]!;
    const evil = 'a\u0000b\u0008c\u000Bd\u000Ce\u001Ff\uFFFEg\uFFFFh\uD800i\uDC00j😀k"l\'m&n<o>p]]>q\r\ns\tt\u0085u';
    const kept = 'abcdefghij😀k"l\'m&n<o>p]]>q\r\ns\ttu';
    const hostile: CheckResult = {
      ...base,
      results: [
        {
          ...state,
          memberState: `DE${evil}`,
          rules: state.rules.map((r) => (r.rule.provision === '3(4)' ? { ...r, message: evil, national: [evil], rule: { ...r.rule, articleTitle: evil, topic: evil } } : r)),
        },
      ],
    };
    const { xml, suites } = junitOf(hostile);
    expect(xml).not.toMatch(NOT_XML);
    const suite = suites.testsuite![0]!;
    expect(suite['@_name']).toBe(`DE${kept}`);
    const c = suite.testcase!.find((t) => t['@_name'].startsWith('Art. 3(4) '))!;
    expect(c['@_name']).toBe(`Art. 3(4) ${kept}`);
    expect(c['@_classname']).toBe(`DE${kept}.${kept}`);
    expect(c.failure!['@_message']).toBe(`3(4) not-conform: ${kept}`);
    expect(c.failure!['#text']).toContain(`national: ${kept}`);
  });
});

describe('XML escaping (property)', () => {
  const piece = fc.oneof(
    fc.constantFrom('&', '<', '>', '"', "'", '\r', '\n', '\r\n', '\t', ']]>', '<![CDATA[', '--', '&#13;', '&amp;', '\u0000', '\u001b', '\u0085', '\uFFFE', '\uFFFF', '\uD800', '\uDFFF', '😀', 'é'),
    fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
  );
  const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

  it('any string, as attribute and as text, parses back as itself less what XML cannot carry', () => {
    fc.assert(
      fc.property(text, (s) => {
        const xml = `<a b="${xmlAttr(s)}">${xmlText(s)}</a>`;
        expect(xml).not.toMatch(NOT_XML);
        // Parsers normalise raw tab, LF and CR in attributes to spaces (and CR LF in text to LF): only references survive.
        expect(xmlAttr(s)).not.toMatch(/[\t\n\r]/);
        expect(xmlText(s)).not.toContain('\r');
        expect(XMLValidator.validate(xml)).toBe(true);
        const parsed = parser.parse(xml).a as { '@_b': string; '#text'?: string } | string;
        const attr = typeof parsed === 'string' ? '' : parsed['@_b'];
        const body = typeof parsed === 'string' ? parsed : (parsed['#text'] ?? '');
        expect(attr).toBe(xmlSafe(s));
        expect(body).toBe(xmlSafe(s));
      }),
      { numRuns: 500 },
    );
  });
});

describe('JUnit that CI servers read the same way every run', () => {
  const result = check([['measures/de.yaml', VALID]]);
  const caseIds = (xml: string) =>
    (parser.parse(xml).testsuites as TestSuites).testsuite!.flatMap((suite) => suite.testcase!.map((c) => `${suite['@_name']}|${c['@_classname']}|${c['@_name']}`));

  it('keeps suite, classname and name of every case whether it passes or fails, and no date in them', () => {
    const failing = formatJunit(result, context);
    const fixed = check([['measures/de.yaml', VALID.replace('max_penalty_years: 3', 'max_penalty_years: 8')]]);
    const passing = formatJunit(fixed, context);
    expect(caseIds(passing)).toEqual(caseIds(failing));
    expect(caseIds(failing).join('\n')).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const threeFour = (xml: string) => (parser.parse(xml).testsuites as TestSuites).testsuite![0]!.testcase!.find((c) => c['@_name'].startsWith('Art. 3(4) '))!;
    expect(threeFour(failing).failure).toBeDefined();
    expect(threeFour(passing).failure).toBeUndefined();
  });

  it('fails the cases at or above --fail-on, and passes the others with their message in system-out', () => {
    const count = (failOn: ReportContext['failOn']) => Number((parser.parse(formatJunit(result, { ...context, failOn })).testsuites as TestSuites)['@_failures']);
    const errors = new Set(result.results[0]!.rules.filter((r) => r.severity === 'error').map((r) => r.rule.provision)).size;
    const warnings = new Set(result.results[0]!.rules.filter((r) => r.severity === 'error' || r.severity === 'warning').map((r) => r.rule.provision)).size;
    expect(count('error')).toBe(errors);
    expect(count(undefined)).toBe(errors);
    expect(count('warning')).toBe(warnings);
    expect(warnings).toBeGreaterThan(errors);
    expect(count('never')).toBe(0);
    // What fails is what the exit status counts: not-assessed provisions (warnings) at --fail-on warning,
    // not-applicable ones (info) at --fail-on info, and never a chapeau derived from its paragraphs.
    const counted = findingsWithNotAssessed(result.results[0]!);
    for (const failOn of ['error', 'warning', 'info'] as const) {
      expect(count(failOn)).toBe(new Set(counted.filter((r) => failsAt(r.severity, failOn)).map((r) => r.rule.provision)).size);
      expect(exitCodeFor(result, failOn)).toBe(1);
    }
    expect(warnings - errors).toBeGreaterThan(80); // 3(2) incomplete, and the mandatory provisions not assessed
    const info = parser.parse(formatJunit(result, { ...context, failOn: 'info' })).testsuites as TestSuites;
    const chapeau = info.testsuite![0]!.testcase!.find((t) => t['@_name'].startsWith('Art. 3(1) '))!;
    expect(chapeau.failure).toBeUndefined();
    expect(chapeau['system-out']).toContain('derived from 3(2), 3(3), 3(4)');
    const never = parser.parse(formatJunit(result, { ...context, failOn: 'never' })).testsuites as TestSuites;
    const c = never.testsuite![0]!.testcase!.find((t) => t['@_name'].startsWith('Art. 3(4) '))!;
    expect(c['system-out']).toContain('CC 2 (figure recorded for the provision): 3 years, below the 5 years required');
    expect(xmllintErrors(formatJunit(result, { ...context, failOn: 'warning' }))).toBe('');
  });

  it('a finding the baseline knows passes, marked as known', () => {
    const threeFour = result.results[0]!.rules.find((r) => r.rule.provision === '3(4)')!;
    const known = new Set([findingKey('DE', threeFour.rule.id, '3(4)', 'error')]);
    const suites = parser.parse(formatJunit(result, { ...context, known })).testsuites as TestSuites;
    const c = suites.testsuite![0]!.testcase!.find((t) => t['@_name'].startsWith('Art. 3(4) '))!;
    expect(c.failure).toBeUndefined();
    expect(c['system-out']).toContain('known: in the baseline');
  });

  it('has time attributes and the date as a property', () => {
    const xml = formatJunit(result, context);
    expect(xml).toMatch(/<testsuites [^>]*time="0"/);
    expect(xml).toMatch(/<testsuite [^>]*time="0"/);
    expect(xml).toMatch(/<testcase [^>]*time="0"/);
    expect(xml).toContain('<property name="as_of" value="2024-06-30"/>');
  });

  it('starts no line with :: (a workflow command when the report is printed in a CI log)', () => {
    const hostile = check([['fixtures/hostile/lu.yaml', HOSTILE]]);
    const xml = formatJunit(hostile, context);
    expect(xml).not.toMatch(/^::/m);
    expect(xml).toContain('&#58;:warning::forged too');
  });

  it('rejects what the schema forbids (the check can fail)', () => {
    expect(xmllintErrors('<testsuites><testsuite name="x"><testcase name="y" file="z"/></testsuite></testsuites>')).toMatch(/fails to validate|not allowed|missing/);
  });
});
