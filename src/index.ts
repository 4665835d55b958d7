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
export { FORMAT_NAMES, loadReporter, type FormatName } from './formats/formats.js';
export { formatJson, toJsonReport } from './formats/json.js';
export { formatText } from './formats/text.js';
export type { Reporter, ReportContext } from './formats/context.js';
export { exitCodeFor } from './formats/exit-code.js';
export type { FailOn } from './formats/fail-on.js';
export type * from './types.js';
