import fc from 'fast-check';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { checkInputs } from '../src/check.js';
import type { Outcome } from '../src/types.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { EU_MEMBER_STATES } from '../src/ruleset/member-states.js';
import type { FactDefinition } from '../src/ruleset/types.js';
import { fixture, rawInput, runCli } from './helpers.js';

const ruleset = await loadRuleSet();
/** Runs per property; CI keeps the whole file under a few seconds. */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 200);

const date = fc.date({ min: new Date('2000-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const years = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }), fc.constant('life' as const));

function factValue(fact: FactDefinition): fc.Arbitrary<unknown> {
  switch (fact.type) {
    case 'boolean':
      return fc.boolean();
    case 'age':
      return fc.integer({ min: 0, max: 99 });
    case 'years':
      return fc.integer({ min: 0, max: 100 });
    case 'years-or-unlimited':
      return fc.oneof(fc.integer({ min: 0, max: 100 }), fc.constant('unlimited'));
    case 'penalty-years':
      return fc.oneof(years, fc.record({ below_consent: years, above_consent: years }, { requiredKeys: [] }).filter((o) => Object.keys(o).length > 0));
    case 'date':
      return date;
    case 'text':
      return fc.string({ maxLength: 40 });
    case 'text-list':
      return fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 });
  }
}

const national = fc.record(
  { source: fc.constantFrom('code', 'act'), article: fc.string({ minLength: 1, maxLength: 20 }), in_force_from: date, in_force_until: date },
  { requiredKeys: ['source', 'article'] },
).filter((n) => !(n.in_force_from && n.in_force_until && n.in_force_until < n.in_force_from));

/** A random measure file that the schema accepts: any subset of provisions, statuses, facts and dates. */
const measureFile = fc
  .record({
    member_state: fc.constantFrom(...EU_MEMBER_STATES),
    as_of: date,
    age: fc.option(fc.integer({ min: 0, max: 99 }), { nil: undefined }),
    cites: fc.record({ code: fc.option(fc.boolean(), { nil: undefined }), act: fc.option(fc.boolean(), { nil: undefined }) }),
    provisions: fc.uniqueArray(fc.constantFrom(...ruleset.provisions), { maxLength: 40 }).chain((keys) =>
      fc.tuple(
        ...keys.map((key) => {
          const facts = [...new Set(ruleset.rulesByProvision.get(key)!.flatMap((r) => r.facts))].map((f) => ruleset.facts.get(f)!);
          const factRecord = fc.record(Object.fromEntries(facts.map((f) => [f.name, factValue(f)])), { requiredKeys: [] });
          return fc.record({
            key: fc.constant(key),
            status: fc.constantFrom('transposed', 'partial', 'not-transposed', 'not-assessed'),
            national: fc.array(national, { minLength: 1, maxLength: 3 }),
            facts: factRecord,
          });
        }),
      ),
    ),
  })
  .map((m) => ({
    format: 1,
    directive: '2011/93/EU',
    member_state: m.member_state,
    as_of: m.as_of,
    ...(m.age !== undefined && { age_of_sexual_consent: m.age }),
    sources: {
      code: { title: 'Code', ...(m.cites.code !== undefined && { references_directive: m.cites.code }) },
      act: { title: 'Act', ...(m.cites.act !== undefined && { references_directive: m.cites.act }) },
    },
    provisions: Object.fromEntries(m.provisions.map((p) => [p.key, { status: p.status, national: p.national, ...p.facts }])),
  }));

const DERIVED = ruleset.rules.filter((r) => r.derivedFrom).length;

const RANK: Record<Outcome, number> = { 'not-transposed': 0, 'not-conform': 1, 'partially-conform': 2, incomplete: 3, 'not-assessed': 4, conform: 5, 'not-applicable': 6 };

function run(data: unknown) {
  const text = stringify(data);
  return checkInputs([rawInput('p.yaml', text)], ruleset);
}

describe('properties over random valid measure files', () => {
  it('evaluates every schema-valid file without throwing, one outcome per provision', () => {
    fc.assert(
      fc.property(measureFile, (data) => {
        const result = run(data);
        expect(result.diagnostics).toEqual([]);
        const evaluated = result.results[0]!;
        const counts = Object.values(evaluated.summary).reduce((a, b) => a + b, 0);
        if (evaluated.notBound !== undefined) {
          // DK, or UK after 2020-01-31: not bound, so no outcome at all.
          expect(['DK', 'UK']).toContain(evaluated.memberState);
          expect([counts, evaluated.rules.length]).toEqual([0, 0]);
          return;
        }
        // One outcome per provision; the summary leaves out the chapeaux derived from their paragraphs.
        expect(evaluated.provisions.map((p) => p.provision)).toEqual(ruleset.provisions);
        expect(counts).toBe(ruleset.provisions.length - DERIVED);
        // Only an explicit `status: not-transposed` (or a description recording nothing in force on its
        // own date) gives not-transposed: a provision the file leaves out never does.
        for (const p of evaluated.provisions) if (p.outcome === 'not-transposed' && !p.derived) expect(Object.keys((data as { provisions: object }).provisions)).toEqual(expect.arrayContaining([p.provision]));
      }),
      { numRuns: RUNS },
    );
  });

  it('never makes an outcome worse when a national maximum penalty is raised', () => {
    const penaltyKeys = ruleset.rules.filter((r) => r.checks.some((c) => c.kind === 'min-max-penalty')).map((r) => r.provision);
    fc.assert(
      fc.property(measureFile, fc.constantFrom(...penaltyKeys), fc.integer({ min: 1, max: 20 }), (original, key, raise) => {
        const data = structuredClone(original);
        const provisions = data.provisions as Record<string, Record<string, unknown>>;
        const current = provisions[key]?.max_penalty_years;
        // Raising needs a figure to raise; recording a first figure is another matter.
        fc.pre(current !== undefined);
        const first = run(data).results[0]!;
        // A Member State not bound has no outcome to compare.
        fc.pre(first.notBound === undefined);
        const before = first.rules.find((r) => r.rule.provision === key)!;
        const raised =
          current === 'life' ? 'life'
          : typeof current === 'number' ? Math.min(100, current + raise)
          : Object.fromEntries(Object.entries(current as object).map(([k, v]) => [k, v === 'life' ? v : Math.min(100, (v as number) + raise)]));
        provisions[key]!.max_penalty_years = raised;
        const after = run(data).results[0]!.rules.find((r) => r.rule.provision === key)!;
        expect(RANK[after.outcome]).toBeGreaterThanOrEqual(RANK[before.outcome]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('random byte-level mutations of fixtures', () => {
  const corpus = [
    fixture('hostile/lu.yaml'),
    ...readdirSync(fixture('measures'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
      .map((e) => path.join(e.parentPath, e.name)),
  ].map((f) => new Uint8Array(readFileSync(f)));

  const mutation = fc.record({
    source: fc.integer({ min: 0, max: corpus.length - 1 }),
    edits: fc.array(
      fc.record({ at: fc.nat(), kind: fc.constantFrom('flip', 'delete', 'insert', 'duplicate'), byte: fc.integer({ min: 0, max: 255 }), length: fc.integer({ min: 1, max: 40 }) }),
      { minLength: 1, maxLength: 4 },
    ),
  });

  function mutate(bytes: Uint8Array, edits: { at: number; kind: string; byte: number; length: number }[]): Uint8Array {
    let out = Array.from(bytes);
    for (const edit of edits) {
      const at = out.length ? edit.at % out.length : 0;
      if (edit.kind === 'flip') out[at] = edit.byte;
      else if (edit.kind === 'delete') out.splice(at, edit.length);
      else if (edit.kind === 'insert') out.splice(at, 0, edit.byte);
      else out = [...out.slice(0, at), ...out.slice(at, at + edit.length), ...out.slice(at)];
    }
    return new Uint8Array(out);
  }

  it('always ends with 0, 1 or 2, no stack trace, and contract JSON for 0 and 1', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async ({ source, edits }) => {
        const { code, stdout, stderr } = await runCli(['check', '-', '--format', 'json'], { stdin: mutate(corpus[source]!, edits) });
        expect([0, 1, 2]).toContain(code);
        expect(stderr).not.toMatch(/internal error|\n\s+at /);
        if (code === 2) expect(stderr).toMatch(/^<stdin>:\d+:\d+: /);
        else {
          const json = JSON.parse(stdout);
          expect(json).toMatchObject({ tool: { name: 'conformity' }, ruleset: { directive: '2011/93/EU' } });
          for (const result of json.results) {
            expect(Object.keys(result.summary).sort()).toEqual(['conform', 'incomplete', 'not-applicable', 'not-assessed', 'not-conform', 'not-transposed', 'partially-conform']);
            for (const f of result.findings) expect(f).toMatchObject({ provision: expect.any(String), rule: expect.any(String), outcome: expect.any(String), severity: expect.any(String), line: expect.any(Number), column: expect.any(Number) });
          }
        }
      }),
      { numRuns: RUNS },
    );
  });
});
