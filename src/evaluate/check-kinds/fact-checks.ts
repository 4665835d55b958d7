import type { FactCompareCheck, FactEqualsCheck, FactPresentCheck } from '../../ruleset/types.js';
import { asNumber, entryAt, readOf, show, staleFactHint, valuesOf, type CheckContext, type FactValue } from '../check-context.js';
import type { CheckTrace } from '../result.js';

const where = (v: FactValue) => (v.reference ? ` (${v.reference})` : '');

/**
 * Every value recorded must equal the Directive's: where several national provisions cover the
 * conduct, each must (one requiring a complaint is enough for the conduct it covers to fail).
 */
export function factEquals(check: FactEqualsCheck, context: CheckContext): CheckTrace {
  const values = valuesOf(check.fact, context);
  const expected = `${check.fact}: ${show(check.value)}`;
  const base = { kind: check.kind, expected, read: readOf(values) };
  if (values.length === 0) {
    return { ...base, status: 'missing', message: `${check.fact} is not recorded (required: ${show(check.value)})${staleFactHint(check.fact, context)}`, at: entryAt(context) };
  }
  const wrong = values.find((v) => v.value !== check.value);
  if (wrong) return { ...base, status: 'fail', message: `${check.fact} is ${show(wrong.value)}${where(wrong)}; the Directive requires ${show(check.value)}`, at: wrong.at };
  return { ...base, status: 'pass', message: `${check.fact} is ${show(check.value)}${values.length === 1 ? where(values[0]!) : ''}`, at: values[0]!.at };
}

/** The least favourable value binds, as for penalties. */
export function factCompare(check: FactCompareCheck, context: CheckContext): CheckTrace {
  const values = valuesOf(check.fact, context);
  const relation = check.kind === 'fact-at-least' ? 'at least' : 'more than';
  const expected = `${check.fact} ${relation} ${check.value}`;
  const base = { kind: check.kind, expected, read: readOf(values) };
  if (values.length === 0) {
    return { ...base, status: 'missing', message: `${check.fact} is not recorded (required: ${relation} ${check.value})${staleFactHint(check.fact, context)}`, at: entryAt(context) };
  }
  const worst = values.reduce((a, b) => (asNumber(b.value) < asNumber(a.value) ? b : a));
  const n = asNumber(worst.value);
  const holds = check.kind === 'fact-at-least' ? n >= check.value : n > check.value;
  const said = `${check.fact} is ${show(worst.value)}${where(worst)}`;
  return holds
    ? { ...base, status: 'pass', message: `${said}, ${relation} ${check.value}`, at: worst.at }
    : { ...base, status: 'fail', message: `${said}; the Directive requires ${relation} ${check.value}`, at: worst.at };
}

export function factPresent(check: FactPresentCheck, context: CheckContext): CheckTrace {
  const values = valuesOf(check.fact, context);
  const base = { kind: check.kind, expected: `${check.fact} recorded`, read: readOf(values) };
  return values.length
    ? { ...base, status: 'pass', message: `${check.fact} is ${show(values[0]!.value)}${where(values[0]!)}`, at: values[0]!.at }
    : { ...base, status: 'missing', message: `${check.fact} is not recorded${staleFactHint(check.fact, context)}`, at: entryAt(context) };
}
