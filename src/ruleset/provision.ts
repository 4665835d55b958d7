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

/** Canonical form of a provision key as a user wrote it, or undefined when it is not a provision key at all. */
export function normaliseProvisionKey(input: string): string | undefined {
  const stripped = input.trim().replace(PREFIX, '').replace(/\s+/g, '');
  const lowered = stripped.replace(/\(([A-Za-z]+)\)/g, (_, point: string) => `(${point.toLowerCase()})`);
  return CANONICAL.test(lowered) ? lowered : undefined;
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

/**
 * Up to `limit` known names nearest to `wanted`, nearest first, within a distance that still looks
 * like a typo. For provision keys, keys of the same article are preferred on ties.
 */
export function nearest(wanted: string, known: Iterable<string>, limit = 3): string[] {
  const budget = Math.max(2, Math.ceil(wanted.length / 3));
  const article = articleOf(wanted);
  const scored: { name: string; score: number }[] = [];
  for (const name of known) {
    const distance = editDistance(wanted, name);
    if (distance > budget) continue;
    scored.push({ name, score: distance * 2 + (articleOf(name) === article ? 0 : 3) });
  }
  scored.sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, limit).map((s) => s.name);
}

/** `did you mean a, b or c?` or an empty string. */
export function didYouMean(wanted: string, known: Iterable<string>): string {
  const names = nearest(wanted, known);
  if (names.length === 0) return '';
  const last = names.pop()!;
  return `; did you mean ${names.length ? `${names.join(', ')} or ${last}` : last}?`;
}
