import { describe, expect, it } from 'vitest';
import { didYouMean, normaliseProvisionKey } from '../src/ruleset/provision.js';
import { compareProvisionKeys } from '../src/ruleset/order.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';

describe('normaliseProvisionKey', () => {
  it.each([
    ['3(4)', '3(4)'],
    ['Art. 3(4)', '3(4)'],
    ['Article 3(4)', '3(4)'],
    ['art 3 (4)', '3(4)'],
    ['ART.3(5)(II)', '3(5)(ii)'],
    ['  20 (3) (b) ', '20(3)(b)'],
    ['22', '22'],
    ['Art. 9(A)', '9(a)'],
    ['3.4', '3(4)'],
  ])('%j → %s', (input, expected) => expect(normaliseProvisionKey(input)).toBe(expected));

  it.each(['', 'Art.', '3(4', '3()', 'foo', '__proto__', '0(1)', '3(4)(5)(6)(7)'])('%j is not a provision key', (input) => {
    expect(normaliseProvisionKey(input)).toBeUndefined();
  });
});

const ruleset = await loadRuleSet();

describe('didYouMean', () => {
  it.each([
    ['3(5)(iv)', '3(5)(i)'],
    ['3(9)', '3(2)'],
    ['20(3)(g)', '20(3)(a)'],
    ['25(1)(a)', '25(1)'],
  ])('suggests a near key for %s', (wanted, suggestion) => expect(didYouMean(wanted, ruleset.provisions)).toContain(suggestion));

  it('suggests the points a paragraph is divided into: 3(5) → 3(5)(i), (ii), (iii)', () => {
    expect(didYouMean('3(5)', ruleset.provisions)).toBe('; did you mean 3(5)(i), 3(5)(ii) or 3(5)(iii)?');
  });

  it('suggests the provision a too-fine key is part of first', () => expect(didYouMean('3(4)(a)', ruleset.provisions)).toMatch(/^; did you mean 3\(4\)[,?]/));

  it('bounds the work for a very long name', () => expect(didYouMean('9'.repeat(100_000), ruleset.provisions)).toBe(''));

  it('suggests nothing for a key nowhere near', () => expect(didYouMean('999(9)(xx)', ruleset.provisions)).toBe(''));
});

describe('Directive order', () => {
  it('sorts points, roman numerals and two-digit paragraphs as the Directive does', () => {
    const keys = ['13(1)(a)', '3(10)', '2(c)(iv)', '3(5)(ii)', '2(c)(ii)', '3(1)', '13(1)', '3(5)(iii)', '22', '3(5)(i)'];
    expect([...keys].sort(compareProvisionKeys)).toEqual(['2(c)(ii)', '2(c)(iv)', '3(1)', '3(5)(i)', '3(5)(ii)', '3(5)(iii)', '3(10)', '13(1)', '13(1)(a)', '22']);
  });
});
