import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import type { MinMaxPenaltyCheck } from '../src/ruleset/types.js';

interface Obligation {
  id: string;
  provision: string;
  modality: string;
  topic: string;
  article_title: string;
  min_max_penalty_years?: number | { below_age_of_consent: number; above_age_of_consent: number };
}

const obligations = parse(readFileSync(fileURLToPath(new URL('reference/obligations.yaml', import.meta.url)), 'utf8')) as Obligation[];
const ruleset = await loadRuleSet();
const byObligation = new Map(ruleset.rules.map((r) => [r.obligation, r]));

describe('the rule set against test/reference/obligations.yaml', () => {
  it('has one rule per obligation, and no rule without one', () => {
    expect(obligations).toHaveLength(116);
    expect(ruleset.rules.map((r) => r.obligation).sort()).toEqual(obligations.map((o) => o.id).sort());
  });

  it.each(obligations.map((o) => [o.id, o] as const))('%s: same provision key, modality, topic and article title', (_, obligation) => {
    const rule = byObligation.get(obligation.id)!;
    expect(rule.provision).toBe(obligation.provision);
    expect(rule.modality).toBe(obligation.modality);
    expect(rule.topic).toBe(obligation.topic);
    expect(rule.articleTitle).toBe(obligation.article_title);
  });

  it.each(obligations.map((o) => [o.id, o] as const))('%s: same penalty figures', (_, obligation) => {
    const checks = byObligation.get(obligation.id)!.checks.filter((c): c is MinMaxPenaltyCheck => c.kind === 'min-max-penalty');
    const figure = obligation.min_max_penalty_years;
    if (figure === undefined) return expect(checks).toEqual([]);
    expect(checks).toHaveLength(1);
    const check = checks[0]!;
    if (typeof figure === 'number') {
      // One figure: either for any child (`years`) or only for a child below the age of consent.
      expect([check.years, check.belowConsent].filter((n) => n !== undefined)).toEqual([figure]);
      expect(check.aboveConsent).toBeUndefined();
    } else {
      expect(check.years).toBeUndefined();
      expect({ below: check.belowConsent, above: check.aboveConsent }).toEqual({ below: figure.below_age_of_consent, above: figure.above_age_of_consent });
    }
  });
});

describe('the rule set itself', () => {
  it('carries the Directive metadata', () => {
    expect(ruleset).toMatchObject({
      id: '2011-93-eu',
      directive: '2011/93/EU',
      celex: '32011L0093',
      eli: 'http://data.europa.eu/eli/dir/2011/93/oj',
      adopted: '2011-12-13',
      transpositionDeadline: '2013-12-18',
    });
  });

  it('gives every rule a stable id, a requirement in one sentence and a link to its article on EUR-Lex', () => {
    for (const rule of ruleset.rules) {
      expect(rule.id).toMatch(/^[a-z]+(-[a-z]+)*$/);
      expect(rule.requirement.length).toBeGreaterThan(20);
      expect(rule.url).toBe(`https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0093#art_${rule.article}`);
    }
    expect(new Set(ruleset.rules.map((r) => r.id)).size).toBe(ruleset.rules.length);
  });

  it('hashes its files, so that a changed rule changes the hash', async () => {
    expect(ruleset.hash).toMatch(/^[0-9a-f]{64}$/);
    expect((await loadRuleSet()).hash).toBe(ruleset.hash);
  });
});

describe('the build-time snapshot of the built-in rule set (dist/generated)', () => {
  it('revives exactly the rule set that loading the YAML gives, and is used only for the same files', async () => {
    const dist = (await import(new URL('../dist/ruleset/load-ruleset.js', import.meta.url).href)) as typeof import('../src/ruleset/load-ruleset.js');
    const { existsSync } = await import('node:fs');
    expect(existsSync(path.join(dist.GENERATED_DIR, 'ruleset.json')), 'run npm run build first').toBe(true);
    const revived = await dist.loadRuleSet(dist.DEFAULT_RULESET_DIR);
    const built = await loadRuleSet();
    const plain = (r: typeof built) => JSON.parse(JSON.stringify({ ...r, facts: [...r.facts], rulesByProvision: [...r.rulesByProvision], files: r.files.map((f) => path.basename(f)), rules: r.rules.map((x) => ({ ...x, at: { ...x.at, file: path.basename(x.at.file) } })) }));
    expect(plain(revived)).toEqual(plain(built));
    const { reviveRuleSet } = await import('../src/ruleset/snapshot.js');
    const json = readFileSync(path.join(dist.GENERATED_DIR, 'ruleset.json'), 'utf8');
    expect(reviveRuleSet(json, 'another-hash', dist.DEFAULT_RULESET_DIR, [])).toBeUndefined();
  });
});
