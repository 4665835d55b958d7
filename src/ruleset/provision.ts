/**
 * Provision keys: the canonical form is ARTICLE(PARAGRAPH)(POINT), e.g. `3(4)`, `3(5)(ii)`, `9(a)`, `22`.
 * Users also write `Art. 3(4)`, `Article 3(4)` or `art 3 (4)`; those normalise to the canonical key.
 */

const CANONICAL = /^[1-9][0-9]{0,2}(?:\((?:[1-9][0-9]?|[a-z]|[ivx]{1,6})\)){0,3}$/;
const PREFIX = /^(?:article|art)\b\.?\s*/i;

/** True when `key` is already in canonical form. */
export function isCanonicalProvisionKey(key: string): boolean {
  return CANONICAL.test(key);
}

/**
 * Words of provision citations in the EU's official languages (lower case, without accents), by
 * what they introduce. Correlation tables write "Artikel 3 Absatz 4", "art. 3 ust. 4 lit. a",
 * "articolo 3, comma 4, lettera a)"; only the numbers and letters after these words make the key.
 */
const STRUCTURE_WORDS = new Set([
  // article
  'article', 'articles', 'art', 'arts', 'artikel', 'artikels', 'articolo', 'articulo', 'artigo', 'artykul', 'articol', 'articolul', 'artikla', 'artiklan', 'clanek', 'clanak', 'cikk', 'straipsnis', 'pants', 'artikkel',
  // paragraph
  'paragraph', 'paragraphs', 'para', 'paras', 'par', 'paragraphe', 'paragrafo', 'paragraf', 'paragrafu', 'absatz', 'abs', 'lid', 'apartado', 'apdo', 'ap', 'numero', 'nr', 'no', 'ust', 'ustep', 'stycket', 'stycke', 'st', 'alineat', 'alineatul', 'alin', 'comma', 'co', 'odstavec', 'odst', 'bekezdes', 'dalis',
  // point and sub-point
  'point', 'points', 'pt', 'pts', 'letter', 'lettera', 'lett', 'letra', 'let', 'lit', 'litt', 'litera', 'buchstabe', 'buchst', 'bst', 'onder', 'sub', 'punkt', 'pkt', 'punto', 'punct', 'punctul', 'ziffer', 'ziff', 'led', 'pismeno', 'pism', 'pont', 'alpont', 'punktas', 'punktu',
]);
/** Words that introduce a part finer than a provision (a subparagraph, a sentence): the value after them is dropped. */
const FINER_WORDS = new Set(['subparagraph', 'subpara', 'unterabsatz', 'uabs', 'satz', 'sentence', 'phrase', 'frase', 'zin', 'zdanie', 'mening', 'teza', 'tiret', 'indent', 'tiree', 'veta']);
/** Ordinals and connectives that may stand in a citation and carry no number. */
const FILLER_WORDS = new Set(['of', 'the', 'first', 'second', 'third', 'der', 'des', 'de', 'la', 'le', 'du', 'della', 'del', 'dello', 'dei', 'da', 'do', 'dos', 'van', 'het', 'av', 'din', 'al', 'lui', 'und', 'and', 'et', 'e', 'y', 'en', 'och', 'oraz', 'si']);
/** Where a citation goes on to name the act ("of Directive 2011/93/EU"), the rest is not part of the key. */
const ACT_WORD = /\b(?:directive|richtlinie|directiva|direttiva|richtlijn|dyrektyw\w*|direktiv\w*|directivei|smernic\w*|direktiv)\b.*$/;
const ROMAN = /^[ivx]{1,6}$/;

/**
 * The canonical key of a provision citation in any of the usual forms, or undefined: `3(4)(a)`,
 * `Art. 3(4)`, `art. 3.4`, `Artikel 3 Absatz 4`, `Art. 3 Abs. 4 Buchst. a`, `article 3, paragraphe 4,
 * point a)`, `articolo 3, paragrafo 4, lettera a)`, `artículo 3, apartado 4, letra a)`, `art. 3 ust. 4
 * lit. a`, `artikel 3, lid 4, onder a`, `artigo 3.º, n.º 4, alínea a)`, `2(c)(ii)`. Words are read
 * only for what they are (article, paragraph, point); the numbers and letters give the key in order.
 */
export function parseCitation(input: string): string | undefined {
  // Longer than any citation, a bracket opened and never closed ("3(4") or empty ("3()"): not read as a provision.
  if (input.length > 200 || /\(\s*\)/.test(input) || (input.match(/\(/g)?.length ?? 0) > (input.match(/\)/g)?.length ?? 0)) return undefined;
  const text = input
    .toLowerCase()
    .replace(/\bn\.?\s*[º°]/g, ' numero ') // Portuguese "n.º 4": paragraph 4
    .replace(/[º°ª]/g, '') // "3.º": an ordinal mark, not a letter
    .replace(/[łŀ]/g, 'l')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(ACT_WORD, '');
  const values: string[] = [];
  let skipNext = false;
  let pointWord = false;
  for (const [token] of text.matchAll(/\d+|[a-z]+|[^\sa-z\d]/g)) {
    if (/^[^a-z\d]$/.test(token)) continue; // punctuation: ( ) . , ; § and the like
    if (skipNext) {
      skipNext = false;
      continue;
    }
    if (token === 'alinea') {
      // French "alinéa 2" is a subparagraph (dropped); Portuguese "alínea a)" a point.
      pointWord = true;
      continue;
    }
    if (STRUCTURE_WORDS.has(token) || (token.length > 1 && FILLER_WORDS.has(token) && values.length > 0)) continue;
    if (FINER_WORDS.has(token)) {
      skipNext = true;
      continue;
    }
    if (/^\d+$/.test(token)) {
      if (pointWord) {
        pointWord = false;
        continue;
      }
      values.push(String(Number(token)));
      continue;
    }
    pointWord = false;
    if (token.length === 1 || ROMAN.test(token)) values.push(token);
    else return undefined; // a word that is no part of a citation
  }
  if (values.length === 0 || values.length > 4 || !/^\d+$/.test(values[0]!)) return undefined;
  const key = `${values[0]}${values.slice(1).map((v) => `(${v})`).join('')}`;
  return CANONICAL.test(key) ? key : undefined;
}

/** Canonical form of a provision key as a user wrote it, or undefined when it is not a provision key at all. */
export function normaliseProvisionKey(input: string): string | undefined {
  const stripped = input.trim().replace(PREFIX, '').replace(/\s+/g, '');
  const lowered = stripped.replace(/\(([A-Za-z]+)\)/g, (_, point: string) => `(${point.toLowerCase()})`);
  return CANONICAL.test(lowered) ? lowered : parseCitation(input);
}

/** The article number of a canonical key: `20(3)(b)` → `20`. */
export function articleOf(key: string): string {
  const open = key.indexOf('(');
  return open === -1 ? key : key.slice(0, open);
}

/** Levenshtein distance, small strings only. */
export function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0]!;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j]!;
      previous[j] = Math.min(above + 1, previous[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length]!;
}

/** Longest name compared for did-you-mean: the work stays bounded whatever the input. */
const MAX_COMPARED = 64;

/**
 * Up to `limit` known names nearest to `wanted`, nearest first, within a distance that still looks
 * like a typo. For provision keys, the provisions a key contains come first (`3(5)` → `3(5)(i)`,
 * `3(5)(ii)`, `3(5)(iii)`), then the one it is part of, and keys of the same article on ties.
 */
export function nearest(wanted: string, known: Iterable<string>, limit = 3): string[] {
  if (wanted.length > MAX_COMPARED) return [];
  const candidates = [...known];
  const children = candidates.filter((name) => name.startsWith(`${wanted}(`));
  if (children.length) return children.slice(0, Math.max(limit, 6));
  const parents = candidates.filter((name) => wanted.startsWith(`${name}(`)).sort((a, b) => b.length - a.length);
  const budget = Math.max(2, Math.ceil(wanted.length / 3));
  const article = articleOf(wanted);
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    if (name.length > MAX_COMPARED || Math.abs(name.length - wanted.length) > budget || parents.includes(name)) continue;
    const distance = editDistance(wanted, name);
    if (distance > budget) continue;
    scored.push({ name, score: distance * 2 + (articleOf(name) === article ? 0 : 3) });
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return [...parents.slice(0, 1), ...scored.map((s) => s.name)].slice(0, limit);
}

/** `did you mean a, b or c?` or an empty string. */
export function didYouMean(wanted: string, known: Iterable<string>): string {
  const names = nearest(wanted, known);
  if (names.length === 0) return '';
  const last = names.pop()!;
  return `; did you mean ${names.length ? `${names.join(', ')} or ${last}` : last}?`;
}
