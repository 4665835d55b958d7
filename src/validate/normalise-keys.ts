import { pointerSegment, type ParsedYaml } from '../load/parse-yaml.js';
import { didYouMean, normaliseProvisionKey } from '../ruleset/provision.js';
import type { Diagnostic } from '../types.js';

/**
 * Rewrites the keys under `provisions` to canonical form (`Art. 3(4)` → `3(4)`), moving their
 * positions along, so that the schema sees canonical keys. An unknown key is a diagnostic with
 * did-you-mean, and is dropped so the schema does not report it a second time.
 */
export function normaliseProvisionKeys(parsed: ParsedYaml, known: readonly string[]): Diagnostic[] {
  const data = parsed.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object' || Array.isArray(data)) return [];
  const diagnostics = normaliseGrounds(parsed, data.procedures, known);
  const provisions = data.provisions;
  if (!provisions || typeof provisions !== 'object' || Array.isArray(provisions)) return diagnostics;
  const knownSet = new Set(known);
  const renamed: Record<string, unknown> = {};
  const originalOf = new Map<string, string>();
  let changed = false;
  for (const [key, value] of Object.entries(provisions)) {
    const pointer = `/provisions/${pointerSegment(key)}`;
    const at = parsed.positions.get(pointer)?.key ?? { file: parsed.file, line: 1, column: 1 };
    const canonical = normaliseProvisionKey(key);
    if (!canonical || !knownSet.has(canonical)) {
      const shown = canonical && canonical !== key ? `"${key}" (${canonical})` : `"${key}"`;
      diagnostics.push({ ...at, code: 'unknown-provision', message: `unknown provision ${shown}${didYouMean(canonical ?? key, known)}` });
      changed = true;
      continue;
    }
    const earlier = originalOf.get(canonical);
    if (earlier !== undefined) {
      const first = parsed.positions.get(`/provisions/${pointerSegment(earlier)}`)?.key;
      diagnostics.push({
        ...at,
        code: 'duplicate-provision',
        message: `provision ${canonical} is described twice in this file (also as "${earlier}"${first ? ` at line ${first.line}` : ''})`,
      });
      changed = true;
      continue;
    }
    originalOf.set(canonical, key);
    Object.defineProperty(renamed, canonical, { value, enumerable: true, writable: true, configurable: true });
    if (canonical !== key) {
      changed = true;
      movePositions(parsed, pointer, `/provisions/${pointerSegment(canonical)}`);
    }
  }
  if (changed) data.provisions = renamed;
  return diagnostics;
}

/** Provision keys named as grounds of a procedure step are normalised the same way. */
function normaliseGrounds(parsed: ParsedYaml, procedures: unknown, known: readonly string[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (!Array.isArray(procedures)) return diagnostics;
  const knownSet = new Set(known);
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

function movePositions(parsed: ParsedYaml, from: string, to: string): void {
  for (const [pointer, position] of [...parsed.positions]) {
    if (pointer === from || pointer.startsWith(`${from}/`)) parsed.positions.set(to + pointer.slice(from.length), position);
  }
}
