import type { CheckResult } from '../check.js';
import { findingsOf, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import type { Rule } from '../ruleset/types.js';
import type { Diagnostic, Severity, SourceLocation } from '../types.js';
import { assessmentText } from './assessment-text.js';
import { reportDate, type Reporter } from './context.js';

/**
 * SARIF 2.1.0 (OASIS Standard), for code-scanning dashboards and SARIF viewers.
 *
 * - One run. `tool.driver.rules` lists every rule of the rule set (116 for 2011/93/EU), so that a
 *   result's `ruleIndex` points at its rule and a viewer can show the requirement and the link to
 *   the article.
 * - One result per finding that `--format json` lists (`findingsOf`), except conform ones
 *   (severity `none`): `error` → level `error`, `warning` → `warning`, `info` → `note`. An optional
 *   provision not taken up (`not-applicable`) is a result of kind `notApplicable`, whose level SARIF
 *   requires to be `none`.
 * - Locations are the measure file positions, relative as the user gave them, with `/` separators.
 * - Input errors are `toolExecutionNotifications` of the run's one invocation.
 * - Provenance (rule set and its hash, evaluation date, inputs and their SHA-256) is in
 *   `run.properties` and `run.artifacts`. No timestamps: the same input gives the same bytes.
 */

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

type SarifLevel = 'error' | 'warning' | 'note' | 'none';

const LEVEL: Record<Exclude<Severity, 'none'>, SarifLevel> = { error: 'error', warning: 'warning', info: 'note' };

/** `sexual-activity-below-consent` → `SexualActivityBelowConsent`; falls back to the id. */
export function pascalCase(id: string): string {
  const name = id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
  return name || id;
}

/**
 * A file name as a SARIF `uri`: a relative path stays relative, with `/` separators and each segment
 * percent-encoded (so `my measures\de.yaml` → `my%20measures/de.yaml`); a Windows drive path becomes a
 * `file:` URI, whose drive letter would otherwise read as a URI scheme.
 */
export function fileUri(name: string): string {
  const slashed = name.replace(/\\/g, '/');
  const drive = /^([A-Za-z]):\//.exec(slashed);
  const path = drive ? slashed.slice(2) : slashed;
  const encoded = path
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return drive ? `file:///${drive[1]}:${encoded}` : encoded;
}

/** The page the rule set's links point into: a rule's `url` without its `#fragment`. */
function informationUri(result: CheckResult, rules: readonly Rule[]): string | undefined {
  const url = rules[0]?.url.replace(/#.*$/, '');
  if (url) return url;
  return result.ruleset.celex ? `https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:${result.ruleset.celex}` : undefined;
}

function reportingDescriptor(rule: Rule) {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: `Art. ${rule.provision} — ${rule.articleTitle}` },
    fullDescription: { text: rule.requirement },
    helpUri: rule.url,
    defaultConfiguration: { level: (rule.modality === 'may' ? 'note' : 'error') satisfies SarifLevel },
    properties: { provision: rule.provision, obligation: rule.obligation, topic: rule.topic, modality: rule.modality },
  };
}

function physicalLocation(at: SourceLocation, artifactIndex: ReadonlyMap<string, number>) {
  const index = artifactIndex.get(at.file);
  return {
    artifactLocation: { uri: fileUri(at.file), ...(index !== undefined && { index }) },
    // SARIF lines and columns start at 1; a position we do not know is left out rather than invented.
    ...(at.line >= 1 && { region: { startLine: at.line, ...(at.column >= 1 && { startColumn: at.column }) } }),
  };
}

/** The assessment after the message, as a sentence of its own. */
function assessmentSentence(finding: RuleResult): string {
  if (!finding.assessment) return '';
  const stop = /[.!?]$/.test(finding.message) ? ' ' : '. ';
  return `${stop}${assessmentText(finding)}: ${finding.assessment.reason}`;
}

function sarifResult(state: MemberStateResult, finding: RuleResult, ruleIndex: ReadonlyMap<string, number>, artifactIndex: ReadonlyMap<string, number>) {
  const { rule } = finding;
  const index = ruleIndex.get(rule.id);
  const notApplicable = finding.outcome === 'not-applicable';
  return {
    ruleId: rule.id,
    ...(index !== undefined && { ruleIndex: index }),
    ...(notApplicable ? { kind: 'notApplicable', level: 'none' } : { level: LEVEL[finding.severity as Exclude<Severity, 'none'>] }),
    message: { text: `${rule.provision} ${finding.outcome}: ${finding.message}${assessmentSentence(finding)}` },
    locations: [{ physicalLocation: physicalLocation(finding.at, artifactIndex) }],
    properties: {
      member_state: state.memberState,
      as_of: state.evaluatedAt,
      provision: rule.provision,
      outcome: finding.outcome,
      computed_outcome: finding.computedOutcome,
      severity: finding.severity,
      national: finding.national,
      ...(finding.assessment && {
        assessment: {
          outcome: finding.assessment.outcome,
          state: finding.assessment.state,
          reason: finding.assessment.reason,
          by: finding.assessment.by,
          date: finding.assessment.date,
          expires: finding.assessment.expires,
        },
      }),
    },
  };
}

function notification(diagnostic: Diagnostic, artifactIndex: ReadonlyMap<string, number>) {
  return {
    level: 'error',
    message: { text: diagnostic.message },
    descriptor: { id: diagnostic.code },
    locations: [{ physicalLocation: physicalLocation(diagnostic, artifactIndex) }],
  };
}

/** The SARIF log as a plain object, listing `rules` (the full rule set) in `tool.driver.rules`. */
export function sarifLog(result: CheckResult, rules: readonly Rule[], all = false) {
  const ruleIndex = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (!ruleIndex.has(rule.id)) ruleIndex.set(rule.id, i);
  });
  const artifactIndex = new Map<string, number>();
  result.inputs.forEach((input, i) => {
    if (!artifactIndex.has(input.name)) artifactIndex.set(input.name, i);
  });
  const results = result.results.flatMap((state) =>
    findingsOf(state, all)
      .filter((finding) => finding.severity !== 'none')
      .map((finding) => sarifResult(state, finding, ruleIndex, artifactIndex)),
  );
  const infoUri = informationUri(result, rules);
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0' as const,
    runs: [
      {
        tool: {
          driver: {
            name: 'conformity',
            version: result.tool.version,
            ...(infoUri && { informationUri: infoUri }),
            rules: rules.map(reportingDescriptor),
          },
        },
        invocations: [
          {
            executionSuccessful: result.diagnostics.length === 0,
            ...(result.diagnostics.length > 0 && { toolExecutionNotifications: result.diagnostics.map((d) => notification(d, artifactIndex)) }),
          },
        ],
        artifacts: result.inputs.map((input) => ({
          location: { uri: fileUri(input.name) },
          roles: ['analysisTarget'],
          ...(input.sha256 && { hashes: { 'sha-256': input.sha256 } }),
        })),
        columnKind: 'utf16CodeUnits',
        results,
        properties: {
          ruleset: {
            id: result.ruleset.id,
            directive: result.ruleset.directive,
            version: result.ruleset.version,
            hash: result.ruleset.hash,
            ...(result.ruleset.celex && { celex: result.ruleset.celex }),
          },
          as_of: reportDate(result) ?? null,
          inputs: result.inputs.map((input) => ({ file: input.name, sha256: input.sha256 })),
        },
      },
    ],
  };
}

/**
 * The rules a result was evaluated against: every Member State result holds every rule of the rule
 * set, in Directive order; with no result, none is known.
 */
export function rulesOf(result: CheckResult): Rule[] {
  if (result.rules?.length) return [...result.rules];
  const rules: Rule[] = [];
  const seen = new Set<string>();
  for (const state of result.results) {
    for (const { rule } of state.rules) {
      if (seen.has(rule.id)) continue;
      seen.add(rule.id);
      rules.push(rule);
    }
  }
  return rules;
}

export const formatSarif: Reporter = (result, context) => `${JSON.stringify(sarifLog(result, rulesOf(result), context.all), null, 2)}\n`;
