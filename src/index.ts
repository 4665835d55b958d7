/** The library API: `check()` runs load → validate → evaluate; reporters turn the result into text. */
export { check, checkInputs, checkLoaded, loadInputs, resolveRuleSet, measureValidator, type CheckOptions, type CheckResult, type SkippedInput } from './check.js';
export { main, type CliIo } from './cli.js';
export { CheckerError } from './errors.js';
export { evaluateMeasureSet, evaluateRule } from './evaluate/evaluate.js';
export { findingsOf, worstOutcome, type CheckTrace, type MemberStateResult, type RuleResult } from './evaluate/result.js';
export { loadRuleSet, DEFAULT_RULESET_DIR } from './ruleset/load-ruleset.js';
export { buildRuleSet } from './ruleset/build-ruleset.js';
export { deriveMeasureSchema } from './ruleset/measure-schema.js';
export { normaliseProvisionKey } from './ruleset/provision.js';
export type { Rule, RuleSet, Check, FactDefinition } from './ruleset/types.js';
export { FORMAT_NAMES, loadReporter, type FormatName } from './report/formats.js';
export { formatJson, toJsonReport } from './report/json.js';
export { formatText } from './report/text.js';
export type { Reporter, ReportContext } from './report/context.js';
export { exitCodeFor } from './report/exit-code.js';
export type { FailOn } from './report/fail-on.js';
export type * from './types.js';
