import { describe, expect, it } from 'vitest';
import { parseYaml } from '../src/load/parse-yaml.js';
import { normaliseProvisionKey, parseCitation } from '../src/ruleset/provision.js';
import { normaliseProvisionKeys } from '../src/validate/normalise-keys.js';

describe('provision citations as correlation tables write them', () => {
  it.each([
    // English
    ['Article 3(4)', '3(4)'],
    ['Art. 3(4)(a)', '3(4)(a)'],
    ['Article 3(4), first subparagraph', '3(4)'],
    ['Article 3(4) of Directive 2011/93/EU', '3(4)'],
    ['3(4)(a)', '3(4)(a)'],
    ['art. 3.4', '3(4)'],
    ['artikel 3.5 ii', '3(5)(ii)'],
    // German
    ['Artikel 3 Absatz 4', '3(4)'],
    ['Art. 5 Abs. 2', '5(2)'],
    ['Art. 3 Abs. 4 Buchst. a', '3(4)(a)'],
    ['Art. 2 Buchst. c Ziffer ii', '2(c)(ii)'],
    ['Art. 3 Abs. 4 Satz 2', '3(4)'],
    // French
    ['article 3, paragraphe 4, point a)', '3(4)(a)'],
    ['article 3, paragraphe 4, alinéa 2', '3(4)'],
    // Italian
    ['articolo 3, paragrafo 4, lettera a)', '3(4)(a)'],
    ['art. 5, comma 2', '5(2)'],
    // Spanish
    ['artículo 3, apartado 4, letra a)', '3(4)(a)'],
    // Portuguese
    ['artigo 3.º, n.º 4, alínea a)', '3(4)(a)'],
    // Dutch
    ['artikel 3, lid 4, onder a', '3(4)(a)'],
    // Polish
    ['art. 3 ust. 4 lit. a', '3(4)(a)'],
    ['artykuł 3 ust. 4', '3(4)'],
    // Swedish
    ['artikel 3 punkt 4', '3(4)'],
    // Romanian
    ['articolul 3 alineatul (4) litera (a)', '3(4)(a)'],
    // roman sub-points, upper case
    ['ART. 3(5)(II)', '3(5)(ii)'],
    ['Art. 2 lit. c sub iv', '2(c)(iv)'],
  ])('%j → %s', (citation, key) => {
    expect(parseCitation(citation)).toBe(key);
    expect(normaliseProvisionKey(citation)).toBe(key);
  });

  it.each(['', 'foo', 'Art.', '3(4', '__proto__', 'art. 3 bis', 'Recital 12', '3(4)(5)(6)(7)', 'x'.repeat(1000)])('%j is not a citation', (text) => {
    expect(normaliseProvisionKey(text)).toBeUndefined();
  });
});

describe('provision keys in measure files', () => {
  const known = ['3(1)', '3(4)', '3(10)', '22'];
  const keysOf = (text: string) => {
    const parsed = parseYaml('m.yaml', text);
    const diagnostics = normaliseProvisionKeys(parsed, known, text);
    return { diagnostics, keys: Object.keys((parsed.data as { provisions: object }).provisions) };
  };

  it('normalises a key written in another language', () => {
    expect(keysOf('provisions:\n  "Artikel 3 Absatz 4": { status: not-transposed }\n').keys).toEqual(['3(4)']);
  });

  it.each([
    ['0x16', '22'],
    ['+22', '22'],
    ['022', '22'],
    ['3.10', '3.1'],
  ])('refuses the unquoted key %s (read by YAML as %s) rather than read it as another provision', (written, number) => {
    const { diagnostics, keys } = keysOf(`provisions:\n  ${written}: { status: transposed }\n`);
    expect(keys).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ line: 2, column: 3, code: 'number-key' })]);
    expect(diagnostics[0]!.message).toContain(`"${written}" is read by YAML as the number ${number}`);
  });

  it('accepts an unquoted key written as the number it is, and quoted keys', () => {
    const { diagnostics, keys } = keysOf('provisions:\n  22: { status: transposed }\n  "3.10": { status: transposed }\n');
    expect(diagnostics).toEqual([]);
    expect(keys).toEqual(['22', '3(10)']);
  });
});
