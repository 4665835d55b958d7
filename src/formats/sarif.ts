import { createHash } from 'node:crypto';
import { fs } from '../node-fs.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Sarif from 'sarif';
import type { CheckResult } from '../check-types.js';
import { describeCheck } from '../ruleset/check-words.js';
import { findingsOf, type MemberStateResult, type RuleResult } from '../evaluate/result.js';
import type { Rule, RuleSet } from '../ruleset/types.js';
import type { Diagnostic, Severity, SourceLocation } from '../types.js';
import { assessmentText } from './assessment-text.js';
import { isKnown } from './baseline.js';
import { reportDate, type ReportContext, type Reporter } from './context.js';
import { webText } from './web-text.js';

/**
 * SARIF 2.1.0 (OASIS Standard), for code-scanning dashboards (GitHub code scanning accepts it as it
 * is: Microsoft's SARIF Multitool, SARIF and GitHub rules, finds nothing to say) and SARIF viewers.
 *
 * - One run. `tool.driver.rules` lists every rule of the rule set (116 for 2011/93/EU), each with
 *   `help` (the requirement, the checks, the EUR-Lex link) and `properties.tags` (topic, modality).
 * - One result per finding that `--format json` lists (`findingsOf`), except conform ones (severity
 *   `none`) and not-applicable ones (an option not taken up is no alert): `error` → level `error`,
 *   `warning` → `warning`, `info` → `note`. `partialFingerprints` key a result by Member State, rule
 *   and provision, so an alert survives edits that move lines. With `--baseline`, `baselineState`
 *   says whether a finding is `new` or `unchanged`.
 * - Locations are relative to `%SRCROOT%` (`originalUriBaseIds`: the repository root, else the
 *   working directory, or `--sarif-root`); a file outside it is a `file://` URI.
 * - Input errors are `toolExecutionNotifications`, and `executionSuccessful: false`: the Member
 *   States of those files were not evaluated, so this log must not close their alerts.
 * - `--sarif-category` → `automationDetails.id`. Provenance (rule set and its hash, evaluation date,
 *   inputs and their SHA-256) is in `run.properties` and `run.artifacts`. No timestamps.
 */

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

export const SOURCE_ROOT = '%SRCROOT%';

/** Key of `partialFingerprints`; the version changes only if the key's recipe does. */
export const FINGERPRINT_KEY = 'conformityFinding/v1';

const LEVEL: Record<Exclude<Severity, 'none'>, Sarif.Result.level> = { error: 'error', warning: 'warning', info: 'note' };

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
 * A relative file name as a SARIF `uri`: `/` separators and each segment percent-encoded (so
 * `my measures\\de.yaml` → `my%20measures/de.yaml`); a Windows drive path becomes a `file:` URI,
 * whose drive letter would otherwise read as a URI scheme.
 */
export function fileUri(name: string): string {
  const slashed = name.replace(/\\/g, '/');
  const drive = /^([A-Za-z]):\//.exec(slashed);
  const rest = drive ? slashed.slice(2) : slashed;
  const encoded = rest
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
  return drive ? `file:///${drive[1]}:${encoded}` : encoded;
}

/** The folder a URI base stands for, as SARIF wants it: an absolute `file:` URI ending in `/`. */
function folderUri(folder: string): string {
  const uri = pathToFileURL(folder).href;
  return uri.endsWith('/') ? uri : `${uri}/`;
}

/** The nearest folder holding `.git` at or above `from`, else `from`: the default `%SRCROOT%`. */
export function defaultSourceRoot(from: string): string {
  for (let folder = path.resolve(from); ; folder = path.dirname(folder)) {
    if (fs.existsSync(path.join(folder, '.git'))) return folder;
    if (path.dirname(folder) === folder) return path.resolve(from);
  }
}

/** Where file names point: relative to `root` when inside it, else absolute `file:` URIs. */
interface Locator {
  root: string;
  workingDirectory: string;
  artifactIndex: ReadonlyMap<string, number>;
}

const STDIN_NAME = '<stdin>';

/** A file name as the user gave it → a SARIF artifact location. */
export function artifactLocation(name: string, locator: Locator): Sarif.ArtifactLocation {
  const index = locator.artifactIndex.get(name);
  const withIndex = index === undefined ? {} : { index };
  if (name === STDIN_NAME || /^[A-Za-z]:[\\/]/.test(name)) {
    const uri = fileUri(name);
    return uri.startsWith('file:') ? { uri, ...withIndex } : { uri, uriBaseId: SOURCE_ROOT, ...withIndex };
  }
  const absolute = path.resolve(locator.workingDirectory, name);
  const relative = path.relative(locator.root, absolute);
  if (relative && !relative.startsWith('..') && !path.isAbsolute(relative)) return { uri: fileUri(relative), uriBaseId: SOURCE_ROOT, ...withIndex };
  return { uri: pathToFileURL(absolute).href, ...withIndex };
}

/** The page the rule set's links point into: a rule's `url` without its `#fragment`. */
function informationUri(result: CheckResult, rules: readonly Rule[]): string | undefined {
  const url = rules[0]?.url.replace(/#.*$/, '');
  if (url) return url;
  return result.ruleset.celex ? `https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:${result.ruleset.celex}` : undefined;
}

// describeCheck reads the rule set only for fact units, which a report does not have; the checks read well without.
const NO_FACTS = { facts: new Map() } as unknown as RuleSet;

/** Markdown-safe: rule sets are data, possibly not ours. */
const markdownPlain = (text: string) => text.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`);

function ruleHelp(rule: Rule): Sarif.MultiformatMessageString {
  const checks = rule.checks.map((check) => describeCheck(check, NO_FACTS));
  const text = [
    `Art. ${rule.provision} (${rule.modality}) — ${rule.articleTitle}.`,
    `Requirement: ${rule.requirement}`,
    checks.length ? `Checks: ${checks.join('; ')}.` : 'Checks: that the provision is transposed.',
    `Official text: ${rule.url}`,
  ].join('\n');
  const markdown = [
    `**Art. ${markdownPlain(rule.provision)}** (${markdownPlain(rule.modality)}) — ${markdownPlain(rule.articleTitle)}`,
    '',
    `**Requirement.** ${markdownPlain(rule.requirement)}`,
    '',
    checks.length ? `**Checks.**\n\n${checks.map((c) => `- ${markdownPlain(c)}`).join('\n')}` : '**Checks.** That the provision is transposed.',
    '',
    `[Art. ${markdownPlain(rule.article)} on EUR-Lex](${rule.url})`,
  ].join('\n');
  return { text, markdown };
}

function reportingDescriptor(rule: Rule): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: webText(`Art. ${rule.provision} — ${rule.articleTitle}`) },
    fullDescription: { text: webText(rule.requirement) },
    help: ruleHelp(rule),
    helpUri: rule.url,
    defaultConfiguration: { level: rule.modality === 'may' ? 'note' : 'error' },
    properties: { tags: [rule.topic, rule.modality], provision: rule.provision, obligation: rule.obligation, topic: rule.topic, modality: rule.modality },
  };
}

function physicalLocation(at: SourceLocation, locator: Locator): Sarif.PhysicalLocation {
  // SARIF lines and columns start at 1; a position we do not know is left out rather than invented.
  // The region is the one character where the finding stands: we know where, not how far.
  const region: Sarif.Region | undefined =
    at.line >= 1 ? { startLine: at.line, endLine: at.line, ...(at.column >= 1 && { startColumn: at.column, endColumn: at.column + 1 }) } : undefined;
  return { artifactLocation: artifactLocation(at.file, locator), ...(region && { region }) };
}

/** The assessment after the message, as a sentence of its own. */
function assessmentSentence(finding: RuleResult): string {
  if (!finding.assessment) return '';
  const stop = /[.!?]$/.test(finding.message) ? ' ' : '. ';
  return `${stop}${assessmentText(finding)}: ${finding.assessment.reason}`;
}

/** Stable across runs and line moves: Member State, rule and provision (the baseline's key too). */
export function fingerprint(memberState: string, finding: RuleResult): string {
  return createHash('sha256').update(`${memberState}\u0000${finding.rule.id}\u0000${finding.rule.provision}`).digest('hex');
}

function sarifResult(state: MemberStateResult, finding: RuleResult, ruleIndex: ReadonlyMap<string, number>, locator: Locator, context: Partial<ReportContext>): Sarif.Result {
  const { rule } = finding;
  const index = ruleIndex.get(rule.id);
  return {
    ruleId: rule.id,
    ...(index !== undefined && { ruleIndex: index }),
    level: LEVEL[finding.severity as Exclude<Severity, 'none'>],
    message: { text: webText(`${state.memberState} ${rule.provision} ${finding.outcome}: ${finding.message}${assessmentSentence(finding)}`) },
    locations: [{ physicalLocation: physicalLocation(finding.at, locator) }],
    partialFingerprints: { [FINGERPRINT_KEY]: fingerprint(state.memberState, finding) },
    ...(context.known && { baselineState: isKnown(context.known, state, finding) ? 'unchanged' : 'new' }),
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

function notification(diagnostic: Diagnostic, locator: Locator): Sarif.Notification {
  return {
    level: 'error',
    message: { text: webText(diagnostic.message) },
    descriptor: { id: diagnostic.code },
    locations: [{ physicalLocation: physicalLocation(diagnostic, locator) }],
  };
}

/** The one notification that says what input errors mean for this log's results. */
function notEvaluatedNotice(diagnostics: readonly Diagnostic[]): Sarif.Notification {
  const files = new Set(diagnostics.map((d) => d.file)).size;
  return {
    level: 'error',
    message: {
      text: `${diagnostics.length} input error(s) in ${files} file(s): the Member States of those files were not evaluated, so this log is incomplete and must not close their alerts.`,
    },
    descriptor: { id: 'not-evaluated' },
  };
}

/** The SARIF log as a plain object, listing `rules` (the full rule set) in `tool.driver.rules`. */
export function sarifLog(result: CheckResult, rules: readonly Rule[], all = false, context: Partial<ReportContext> = {}): Sarif.Log {
  const ruleIndex = new Map<string, number>();
  rules.forEach((rule, i) => {
    if (!ruleIndex.has(rule.id)) ruleIndex.set(rule.id, i);
  });
  const artifactIndex = new Map<string, number>();
  result.inputs.forEach((input, i) => {
    if (!artifactIndex.has(input.name)) artifactIndex.set(input.name, i);
  });
  const workingDirectory = context.sarif?.workingDirectory ?? process.cwd();
  const root = path.resolve(workingDirectory, context.sarif?.root ?? defaultSourceRoot(workingDirectory));
  const locator: Locator = { root, workingDirectory, artifactIndex };
  const results = result.results.flatMap((state) =>
    findingsOf(state, all)
      .filter((finding) => finding.severity !== 'none' && finding.outcome !== 'not-applicable')
      .map((finding) => sarifResult(state, finding, ruleIndex, locator, context)),
  );
  const infoUri = informationUri(result, rules);
  const category = context.sarif?.category;
  const failed = result.diagnostics.length > 0;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
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
        ...(category && { automationDetails: { id: category.endsWith('/') ? category : `${category}/` } }),
        originalUriBaseIds: { [SOURCE_ROOT]: { uri: folderUri(root) } },
        invocations: [
          {
            executionSuccessful: !failed,
            workingDirectory: { uri: folderUri(workingDirectory) },
            ...(failed && { toolExecutionNotifications: [notEvaluatedNotice(result.diagnostics), ...result.diagnostics.map((d) => notification(d, locator))] }),
          },
        ],
        artifacts: result.inputs.map((input) => {
          const { index: _index, ...location } = artifactLocation(input.name, locator);
          return { location, roles: ['analysisTarget'], ...(input.sha256 && { hashes: { 'sha-256': input.sha256 } }) };
        }),
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

export const formatSarif: Reporter = (result, context) => `${JSON.stringify(sarifLog(result, rulesOf(result), context.all, context), null, 2)}\n`;
