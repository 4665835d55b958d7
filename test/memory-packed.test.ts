import { describe, expect, it } from 'vitest';
import { check, resolveRuleSet } from '../src/check.js';
import { compactRule, ResultSharing } from '../src/evaluate/compact-result.js';
import { findingsWithNotAssessed } from '../src/evaluate/result.js';

// In a run shared among worker threads, compact results keep their rules packed (deflated JSON,
// repeated strings in a table) and unpack them when `rules` is read: what is read back must be what
// compactRule keeps, field for field. (test/check-grouping.test.ts compares whole outputs with workers.)

const ruleset = await resolveRuleSet();
const run = (compact: boolean) => check({ paths: ['fixtures/eu27', 'fixtures/measures'], rules: ruleset, compact, today: '2025-06-01' });
/** Each result of a full run, compacted and packed as the worker pool does. */
const packedRun = async () => {
  const { results } = await run(false);
  const sharing = new ResultSharing(true);
  return { results: results.map((r) => sharing.share({ ...r, rules: findingsWithNotAssessed(r).map((rule) => compactRule(rule)) }, true)) };
};

describe('packed compact results', () => {
  it('read back exactly the rules compactRule keeps, on every fixture', async () => {
    const [full, compact] = await Promise.all([run(false), packedRun()]);
    expect(compact.results.length).toBe(full.results.length);
    let assessed = 0;
    let compared = 0;
    for (const [i, result] of compact.results.entries()) {
      const expected = findingsWithNotAssessed(full.results[i]!).map((r) => compactRule(r));
      expect(result.rules).toEqual(expected);
      for (const [j, r] of result.rules.entries()) expect(r.rule).toBe(expected[j]!.rule);
      assessed += result.rules.filter((r) => r.assessment).length;
      compared += result.rules.filter((r) => r.checks.some((c) => c.comparisons?.length)).length;
    }
    // The fixtures exercise the packed fields that are easy to lose.
    expect(assessed).toBeGreaterThan(0);
    expect(compared).toBeGreaterThan(0);
  });

  it('give the same objects on each read, as JUnit matches findings with rules by identity', async () => {
    const { results } = await packedRun();
    const state = results.find((r) => r.rules.length)!;
    expect(Object.getOwnPropertyDescriptor(state, 'rules')?.get).toBeTypeOf('function');
    const rules = state.rules;
    expect(state.rules).toBe(rules);
    for (const finding of findingsWithNotAssessed(state)) expect(rules).toContain(finding);
    // Reading a few other results in between keeps them too.
    for (const other of results.slice(0, 3)) void other.rules;
    expect(state.rules).toBe(rules);
  });

  it('become a plain array again when assigned, and survive a spread', async () => {
    const { results } = await packedRun();
    const state = results.find((r) => r.rules.length)!;
    const spread = { ...state };
    expect(spread.rules).toEqual(state.rules);
    state.rules = [];
    expect(state.rules).toEqual([]);
    expect(Object.keys(state)).toContain('rules');
  });

  it('keep any text whole: letters beyond Latin-1, lone surrogates, empty notes', async () => {
    const { results } = await run(false);
    const source = results.find((r) => findingsWithNotAssessed(r).length >= 3)!;
    const texts = ['Łódź, Ελλάδα — § 176', 'lone \ud800 surrogate', ''];
    const rules = findingsWithNotAssessed(source)
      .slice(0, 3)
      .map((r, i) => ({ ...compactRule(r), notes: texts[i], message: `${texts[i]} ${r.message}` }));
    const packed = new ResultSharing(true).share({ ...source, rules }, true);
    expect(Object.getOwnPropertyDescriptor(packed, 'rules')?.get).toBeTypeOf('function');
    expect(packed.rules.map((r) => r.notes)).toEqual(texts);
    expect(packed.rules.map((r) => r.message)).toEqual(rules.map((r) => r.message));
  });

  it('are left as objects in a run of one thread, and by a worker (results travel by structured clone)', async () => {
    const { results } = await run(true);
    for (const result of results) expect(Object.getOwnPropertyDescriptor(result, 'rules')?.value).toBeInstanceOf(Array);
  });
});
