/**
 * Did-you-mean hints and quoted names whose cost is bounded whatever the input: a hostile file can
 * cite thousands of undefined names against a thousand long defined ones, and an unbounded
 * edit-distance search over all of them (with the whole list of names in every message) took minutes
 * and gigabytes.
 */

/** Longest name quoted in a message, and longest name a hint is searched for. */
export const MAX_QUOTED = 60;
/** Most candidates compared with one name: beyond them, no hint. */
const MAX_COMPARED = 2_000;
/** Most names a list of defined names shows. */
const MAX_LISTED = 10;

/** `name` cut to MAX_QUOTED characters (whole code points), with an ellipsis when cut. */
export function clip(name: string, max = MAX_QUOTED): string {
  if (name.length <= max) return name;
  let end = max;
  const code = name.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--; // never split a surrogate pair
  return `${name.slice(0, end)}…`;
}

/** `a, b, c and 997 more`: at most MAX_LISTED names, each clipped. */
export function listNames(names: readonly string[]): string {
  const shown = names.slice(0, MAX_LISTED).map((n) => clip(n)).join(', ');
  return names.length > MAX_LISTED ? `${shown} and ${names.length - MAX_LISTED} more` : shown;
}

/**
 * Levenshtein distance when it is at most `budget`, else `budget + 1`: only a band of width
 * 2·budget+1 is computed, and the search stops once a whole row exceeds the budget.
 */
export function boundedDistance(a: string, b: string, budget: number): number {
  if (Math.abs(a.length - b.length) > budget) return budget + 1;
  const over = budget + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => (j <= budget ? j : over));
  for (let i = 1; i <= a.length; i++) {
    const current = new Array<number>(b.length + 1).fill(over);
    current[0] = i <= budget ? i : over;
    let rowMin = current[0];
    const from = Math.max(1, i - budget);
    const to = Math.min(b.length, i + budget);
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      const value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      current[j] = value > over ? over : value;
      if (current[j]! < rowMin) rowMin = current[j]!;
    }
    if (rowMin > budget) return over;
    previous = current;
  }
  return Math.min(previous[b.length]!, over);
}

/**
 * Hints for names looked up among one fixed list of known names, each distinct name computed once.
 * Names longer than MAX_QUOTED get no hint (nobody mistypes 5,000 characters), and at most
 * MAX_COMPARED candidates of a plausible length are compared.
 */
export class Suggester {
  private readonly known: string[];
  private readonly hints = new Map<string, string>();

  constructor(known: Iterable<string>) {
    this.known = [...known].filter((n) => n.length <= MAX_QUOTED);
  }

  /** Up to three nearest known names, nearest first. */
  nearest(wanted: string): string[] {
    if (wanted.length > MAX_QUOTED) return [];
    const budget = Math.max(2, Math.ceil(wanted.length / 3));
    const scored: { name: string; distance: number }[] = [];
    let compared = 0;
    for (const name of this.known) {
      if (Math.abs(name.length - wanted.length) > budget) continue;
      if (++compared > MAX_COMPARED) break;
      const distance = boundedDistance(wanted, name, budget);
      if (distance <= budget) scored.push({ name, distance });
    }
    scored.sort((x, y) => x.distance - y.distance || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
    return scored.slice(0, 3).map((s) => s.name);
  }

  /** `; did you mean a, b or c?`, or an empty string. */
  didYouMean(wanted: string): string {
    let hint = this.hints.get(wanted);
    if (hint === undefined) {
      const names = this.nearest(wanted);
      const last = names.pop();
      hint = last === undefined ? '' : `; did you mean ${names.length ? `${names.join(', ')} or ${last}` : last}?`;
      if (this.hints.size < 10_000) this.hints.set(wanted, hint);
    }
    return hint;
  }
}
