import type { CheckResult } from '../check-types.js';
import { findingsWithNotAssessed, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import type { Diagnostic, Outcome, Severity } from '../types.js';
import { isKnown } from './baseline.js';
import type { ReportContext, Reporter } from './context.js';
import { failsAt } from './exit-code.js';
import { unsafeIn, visibleEscape } from '../text/characters.js';

/**
 * JUnit XML, for CI systems that show test reports; valid against Jenkins xUnit's `junit-10.xsd`.
 *
 * One `<testsuite>` per Member State (named by its code only: a CI server matches cases across runs
 * by suite, classname and name, so none of them holds a date; the date is a property), one
 * `<testcase>` per Directive provision, named the same whether it passes or fails:
 *
 * | provision                                                 | testcase                                  |
 * | --------------------------------------------------------- | ----------------------------------------- |
 * | a new finding at or above `--fail-on` (default `error`)   | `<failure message type="OUTCOME">`: fails |
 * | `not-applicable` (optional, not taken up), not failing    | `<skipped message>`                       |
 * | other findings: below `--fail-on`, or known (`--baseline`) | passes, with a `<system-out>` note        |
 * | a chapeau (3(1), 4(1), 5(1)), derived from its paragraphs  | passes, with a `<system-out>` note        |
 * | conform                                                   | passes                                    |
 *
 * The bodies list each rule's outcome, message, assessment, national provisions and
 * `FILE:LINE:COLUMN` (the schema allows no `file` or `line` on a case; the suite's `file` is the
 * Member State's first file). Input errors (a Member State that could not be evaluated) are an extra
 * suite, `input`, with one `<error>` testcase per problem. Provenance (tool, rule set and its hash,
 * dates, input files and their SHA-256) is in each suite's `<properties>`. `time` is 0: nothing is
 * timed, so that the same input gives the same bytes.
 *
 * All text is escaped, and characters XML 1.0 cannot carry (C0 controls but tab, LF and CR; U+FFFE,
 * U+FFFF; lone surrogates) are removed, as are DEL and the C1 controls, which XML discourages; the
 * output is well-formed whatever the measure files hold. Bidi controls and line separators are shown
 * as `\uNNNN`, as in the other reports. No CDATA. A text line that would start with
 * `::` (a GitHub workflow command, when the report goes to a CI log) starts with `&#58;:` instead.
 */

// Forbidden in XML 1.0 (https://www.w3.org/TR/xml/#charsets), plus DEL and C1 controls (discouraged):
// removed. Bidi controls and line separators are shown, as in every other report a person reads:
// CI servers render JUnit text in their web pages. (src/text/characters.ts, MEDIA.xml)
const NOT_XML = new RegExp(unsafeIn('xml', 'removed'), 'g');
const SHOWN = new RegExp(unsafeIn('xml', 'visible'), 'g');

/** Drops characters XML cannot carry, and shows bidi controls and line separators as `\uNNNN`. */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, '').replace(SHOWN, visibleEscape);
}

/** Text content: `& < >` escaped, and CR as a reference so that parsers do not turn it into LF. */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Attribute value (always double-quoted): also quotes, and tab/LF/CR as references so they survive normalisation. */
export function xmlAttr(text: string | number): string {
  return xmlText(String(text))
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

type Attributes = Record<string, string | number | undefined>;

function attributeList(attributes: Attributes): string {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttr(value!)}"`)
    .join('');
}

/** `body` is markup already escaped; without one the element is empty. */
function element(name: string, attributes: Attributes, body?: string): string {
  return body === undefined ? `<${name}${attributeList(attributes)}/>` : `<${name}${attributeList(attributes)}>${body}</${name}>`;
}

/** An element whose children go on their own lines. */
function block(name: string, attributes: Attributes, children: string, indent: string): string {
  return `${indent}<${name}${attributeList(attributes)}>\n${children}${indent}</${name}>\n`;
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, none: 3 };

function worstSeverity(rules: readonly RuleResult[]): Severity {
  let worst: Severity = 'none';
  for (const rule of rules) if (SEVERITY_RANK[rule.severity] < SEVERITY_RANK[worst]) worst = rule.severity;
  return worst;
}

/** One rule's finding in plain lines: outcome and message, assessment, national provisions, place. */
function ruleLines(finding: RuleResult): string[] {
  const lines = [`${finding.rule.id}: ${finding.outcome} (${finding.severity}): ${finding.message}`];
  if (finding.outcome !== finding.computedOutcome) lines.push(`  computed outcome: ${finding.computedOutcome}`);
  const assessment = finding.assessment;
  if (assessment) {
    const who = [assessment.by, assessment.date].filter(Boolean).join(', ');
    lines.push(`  assessment (${assessment.state}${assessment.expires ? `, expires ${assessment.expires}` : ''}): ${assessment.outcome}${who ? ` by ${who}` : ''}: ${assessment.reason}`);
  }
  if (finding.national.length) lines.push(`  national: ${finding.national.join('; ')}`);
  lines.push(`  at ${finding.at.file}:${finding.at.line}:${finding.at.column}`);
  if (finding.rule.url) lines.push(`  ${finding.rule.url}`);
  return lines;
}

interface Case {
  xml: string;
  failed: boolean;
  skipped: boolean;
}

function provisionCase(
  state: MemberStateResult,
  provision: string,
  outcome: Outcome,
  rules: readonly RuleResult[],
  findings: ReadonlySet<RuleResult>,
  context: Partial<ReportContext>,
): Case {
  const first = rules[0];
  const topic = first?.rule.topic ?? 'provisions';
  const title = first?.rule.articleTitle;
  const severity = worstSeverity(rules);
  const worst = rules.find((r) => r.severity === severity) ?? first;
  const attributes = { classname: `${state.memberState}.${topic}`, name: title ? `Art. ${provision} ${title}` : `Art. ${provision}`, time: 0 };
  const notable = rules.filter((r) => r.severity !== 'none');
  // Only what the exit status counts can fail a case: a derived chapeau is never a finding of its own.
  const failing = notable.filter((r) => findings.has(r) && failsAt(r.severity, context.failOn) && !isKnown(context.known, state, r));
  const known = notable.filter((r) => isKnown(context.known, state, r));
  const body = notable.flatMap((r) => (isKnown(context.known, state, r) ? [...ruleLines(r), '  known: in the baseline'] : ruleLines(r))).join('\n');
  if (failing.length) {
    const cause = failing.find((r) => r.severity === worstSeverity(failing))!;
    const assessed = cause.assessment?.state === 'applied' ? cause.assessment : undefined;
    const message = assessed
      ? `${provision} ${cause.outcome}: assessed (computed ${cause.computedOutcome}): ${assessed.reason}`
      : `${provision} ${cause.outcome}: ${cause.message}`;
    return { xml: element('testcase', attributes, element('failure', { message, type: cause.outcome }, xmlText(`${body}\n`))), failed: true, skipped: false };
  }
  if (outcome === 'not-applicable' && known.length === 0) {
    const message = `${provision} not-applicable: ${worst?.message ?? 'optional provision not taken up'}`;
    return { xml: element('testcase', attributes, element('skipped', { message })), failed: false, skipped: true };
  }
  if (notable.length) {
    return { xml: element('testcase', attributes, element('system-out', {}, xmlText(`${provision} ${outcome}\n${body}\n`))), failed: false, skipped: false };
  }
  return { xml: element('testcase', attributes), failed: false, skipped: false };
}

function properties(entries: [string, string | undefined][]): string {
  const props = entries.filter(([, value]) => value !== undefined && value !== '').map(([name, value]) => `      ${element('property', { name, value })}`);
  return props.length ? `    <properties>\n${props.join('\n')}\n    </properties>\n` : '';
}

interface Suite {
  xml: string;
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function memberStateSuite(result: CheckResult, state: MemberStateResult, context: Partial<ReportContext>): Suite {
  const byProvision = new Map<string, RuleResult[]>();
  for (const rule of state.rules) {
    const list = byProvision.get(rule.rule.provision);
    if (list) list.push(rule);
    else byProvision.set(rule.rule.provision, [rule]);
  }
  const findings = new Set(findingsWithNotAssessed(state));
  const cases = state.provisions.map((p) => provisionCase(state, p.provision, p.outcome, byProvision.get(p.provision) ?? [], findings, context));
  const failures = cases.filter((c) => c.failed).length;
  const skipped = cases.filter((c) => c.skipped).length;
  const hashes = new Map(result.inputs.map((i) => [i.name, i.sha256]));
  const props = properties([
    ['tool', `${result.tool.name} ${result.tool.version}`],
    ['ruleset', `${result.ruleset.id} ${result.ruleset.version}`],
    ['ruleset.hash', result.ruleset.hash],
    ['directive', result.ruleset.directive],
    ['member_state', state.memberState],
    ['as_of', state.evaluatedAt],
    ['declared_as_of', state.declaredAsOf],
    ...state.files.map((file): [string, string | undefined] => [`file:${file}`, hashes.get(file) ? `sha256:${hashes.get(file)}` : undefined]),
  ]);
  const attributes = { name: state.memberState, tests: cases.length, failures, errors: 0, skipped, time: 0, file: state.files[0] };
  const xml = block('testsuite', attributes, `${props}${cases.map((c) => `    ${c.xml}\n`).join('')}`, '  ');
  return { xml, tests: cases.length, failures, errors: 0, skipped };
}

function inputSuite(diagnostics: readonly Diagnostic[]): Suite {
  const cases = diagnostics.map((d) => {
    const place = `${d.file}:${d.line}:${d.column}`;
    return `    ${element('testcase', { classname: 'input', name: place, time: 0 }, element('error', { message: d.message, type: d.code }, xmlText(`${place}: ${d.message}\n`)))}\n`;
  });
  const xml = block('testsuite', { name: 'input', tests: cases.length, failures: 0, errors: cases.length, skipped: 0, time: 0 }, cases.join(''), '  ');
  return { xml, tests: cases.length, failures: 0, errors: cases.length, skipped: 0 };
}

export const formatJunit: Reporter = (result, context) => {
  const suites = result.results.map((state) => memberStateSuite(result, state, context));
  if (result.diagnostics.length) suites.push(inputSuite(result.diagnostics));
  const total = (key: 'tests' | 'failures' | 'errors') => suites.reduce((sum, s) => sum + s[key], 0);
  const attributes = { name: 'conformity', tests: total('tests'), failures: total('failures'), errors: total('errors'), time: 0 };
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n${block('testsuites', attributes, suites.map((s) => s.xml).join(''), '')}`;
  return xml.replace(/^::/gm, '&#58;:');
};
