import type { ParsedYaml } from '../load/parse-yaml.js';
import { didYouMean, normaliseProvisionKey } from '../ruleset/provision.js';
import type { Diagnostic, SourceLocation } from '../types.js';

/**
 * A key as YAML writes a number back: `0x16`, `022`, `+22` and `22.0` are read as the number 22,
 * `3.10` as 3.1, `1e3` as 1000. Only such keys can differ from what the file wrote (`3(4)` never does).
 */
const NUMBER_KEY = /^(?:-?(?:\d+(?:\.\d+)?(?:e[+-]\d+)?|Infinity)|NaN)$/;

/** The known provisions as a set, once per rule set's list (each file asks). */
const knownSets = new WeakMap<readonly string[], ReadonlySet<string>>();
const knownSetOf = (known: readonly string[]) => knownSets.get(known) ?? knownSets.set(known, new Set(known)).get(known)!;

/**
 * The key as the file writes it, when it is a plain (unquoted) scalar at `at`; undefined when it is
 * quoted, or the text is not at hand.
 */
function plainKeySource(source: SourceText | undefined, at: SourceLocation): string | undefined {
  if (!source) return undefined;
  const start = source.lineStart(at.line);
  if (start === undefined) return undefined;
  const line = source.text.slice(start + at.column - 1, source.text.indexOf('\n', start) === -1 ? undefined : source.text.indexOf('\n', start));
  const rest = line.replace(/^(?:[&!]\S*\s+)*/, ''); // an anchor or a tag before the key
  if (/^["'?]/.test(rest)) return undefined;
  return /^(.*?)\s*:(?:\s|$)/.exec(rest)?.[1];
}

/** A file's text with its line starts, found once. */
class SourceText {
  private starts: number[] | undefined;
  constructor(readonly text: string) {}
  lineStart(line: number): number | undefined {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) this.starts.push(i + 1);
    }
    return this.starts[line - 1];
  }
}

/**
 * Rewrites the keys under `provisions` to canonical form (`Art. 3(4)` → `3(4)`, `Artikel 3 Absatz 4`
 * → `3(4)`), moving their positions along, so that the schema sees canonical keys. An unknown key is
 * a diagnostic with did-you-mean, and is dropped so the schema does not report it a second time.
 * With the file's `text`, an unquoted key that YAML read as a different number (`0x16:` as 22) is
 * refused rather than taken as another provision.
 */
export function normaliseProvisionKeys(parsed: ParsedYaml, known: readonly string[], text?: string): Diagnostic[] {
  const data = parsed.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const diagnostics = normaliseGrounds(parsed, data.procedures, known);
  const provisions = data.provisions;
  if (!provisions || typeof provisions !== 'object' || Array.isArray(provisions)) return diagnostics;
  const knownSet = knownSetOf(known);
  const source = text === undefined ? undefined : new SourceText(text);
  // Asked only for a number key, and for a diagnostic: most keys never need their place.
  const provisionsPlace = parsed.positions.cursor()?.member('provisions');
  const keyAt = (key: string) => provisionsPlace?.member(key)?.key() ?? { file: parsed.file, line: 1, column: 1 };
  /** How the file writes `key` where YAML read it as a number written otherwise (`0x16` read as 22); else undefined. */
  const numberWrittenOtherwise = (key: string) => {
    const written = NUMBER_KEY.test(key) ? plainKeySource(source, keyAt(key)) : undefined;
    return written !== undefined && written !== key ? written : undefined;
  };
  // As most files are written: every key canonical and known (`11` written as 11). Nothing to move.
  if (Object.keys(provisions).every((key) => knownSet.has(key) && numberWrittenOtherwise(key) === undefined)) return diagnostics;
  const renamed: Record<string, unknown> = {};
  const originalOf = new Map<string, string>();
  let changed = false;
  const moves = new Map<string, string>();
  for (const [key, value] of Object.entries(provisions)) {
    const written = numberWrittenOtherwise(key);
    if (written !== undefined) {
      diagnostics.push({
        ...keyAt(key),
        code: 'number-key',
        message: `the key ${JSON.stringify(written.slice(0, 60))} is read by YAML as the number ${key}, not as a provision key; write the provision key in quotes, e.g. "3(4)"`,
      });
      changed = true;
      continue;
    }
    const canonical = normaliseProvisionKey(key);
    if (!canonical || !knownSet.has(canonical)) {
      const shown = canonical && canonical !== key ? `"${key}" (${canonical})` : `"${key}"`;
      diagnostics.push({ ...keyAt(key), code: 'unknown-provision', message: `unknown provision ${shown}${didYouMean(canonical ?? key, known)}` });
      changed = true;
      continue;
    }
    const earlier = originalOf.get(canonical);
    if (earlier !== undefined) {
      const first = provisionsPlace?.member(earlier)?.key();
      diagnostics.push({
        ...keyAt(key),
        code: 'duplicate-provision',
        message: `provision ${canonical} is described twice in this file (also as "${earlier}"${first ? ` at line ${first.line}` : ''})`,
      });
      changed = true;
      continue;
    }
    originalOf.set(canonical, key);
    // A known provision key is never `__proto__`; assignment is much cheaper than defineProperty.
    renamed[canonical] = value;
    if (canonical !== key) {
      changed = true;
      moves.set(key, canonical);
    }
  }
  parsed.positions.renameKeys('/provisions', moves);
  if (changed) data.provisions = renamed;
  return diagnostics;
}

/** Provision keys named as grounds of a procedure step are normalised the same way. */
function normaliseGrounds(parsed: ParsedYaml, procedures: unknown, known: readonly string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (!Array.isArray(procedures)) return diagnostics;
  const knownSet = knownSetOf(known);
  procedures.forEach((step: unknown, i) => {
    const grounds = (step as { grounds?: unknown } | null)?.grounds;
    if (!Array.isArray(grounds)) return;
    const kept: unknown[] = [];
    grounds.forEach((ground, j) => {
      if (typeof ground !== 'string') return kept.push(ground);
      const canonical = normaliseProvisionKey(ground);
      if (canonical && knownSet.has(canonical)) return kept.push(canonical);
      const at = parsed.positions.get(`/procedures/${i}/grounds/${j}`)?.value ?? { file: parsed.file, line: 1, column: 1 };
      diagnostics.push({ ...at, code: 'unknown-provision', message: `unknown provision "${ground}" in grounds${didYouMean(canonical ?? ground, known)}` });
    });
    (step as { grounds: unknown[] }).grounds = kept;
  });
  return diagnostics;
}
