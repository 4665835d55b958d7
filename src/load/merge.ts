import type { Diagnostic, MeasureSet, SourceLocation } from '../types.js';
import type { MeasureDocument } from './measure-document.js';

const where = (at: SourceLocation) => `${at.file}:${at.line}:${at.column}`;

/**
 * Files with the same Member State, directive and `as_of` describe one measure set and are merged.
 * A provision, source or Member State fact given twice (differently) among them is a diagnostic
 * naming both places. Sets come out sorted by Member State, then date.
 */
export function mergeMeasureDocuments(documents: readonly MeasureDocument[]): { sets: MeasureSet[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const groups = new Map<string, MeasureSet>();
  for (const doc of documents) {
    const id = `${doc.memberState}\0${doc.directive}\0${doc.asOf}`;
    const set = groups.get(id);
    if (!set) {
      groups.set(id, {
        memberState: doc.memberState,
        directive: doc.directive,
        asOf: doc.asOf,
        files: [doc.file],
        at: doc.at,
        memberStateFacts: Object.assign(Object.create(null) as MeasureSet['memberStateFacts'], doc.memberStateFacts),
        sources: new Map(doc.sources),
        provisions: new Map(doc.provisions),
        procedures: [...doc.procedures],
      });
      continue;
    }
    set.files.push(doc.file);
    set.procedures.push(...doc.procedures);
    for (const [key, entry] of doc.provisions) {
      const earlier = set.provisions.get(key);
      if (earlier) {
        diagnostics.push({
          ...entry.at,
          code: 'duplicate-provision',
          message: `provision ${key} of ${doc.memberState} (as of ${doc.asOf}) is already described at ${where(earlier.at)}`,
        });
      } else set.provisions.set(key, entry);
    }
    for (const [id, source] of doc.sources) {
      const earlier = set.sources.get(id);
      if (!earlier) set.sources.set(id, source);
      else if (earlier.title !== source.title || earlier.url !== source.url || earlier.abbreviation !== source.abbreviation ||
        earlier.referencesDirective?.value !== source.referencesDirective?.value || earlier.adoptedToTranspose?.value !== source.adoptedToTranspose?.value) {
        diagnostics.push({ ...source.at, code: 'duplicate-source', message: `source "${id}" is defined differently at ${where(earlier.at)}` });
      }
    }
    for (const [name, fact] of Object.entries(doc.memberStateFacts)) {
      const earlier = set.memberStateFacts[name];
      if (!earlier) set.memberStateFacts[name] = fact;
      else if (earlier.value !== fact.value) {
        diagnostics.push({ ...fact.at, code: 'conflicting-fact', message: `${name} is ${String(fact.value)} here but ${String(earlier.value)} at ${where(earlier.at)}` });
      }
    }
  }
  for (const set of groups.values()) set.procedures.sort((a, b) => a.date.localeCompare(b.date));
  const sets = [...groups.values()].sort((a, b) => a.memberState.localeCompare(b.memberState) || a.asOf.localeCompare(b.asOf));
  return { sets, diagnostics };
}
