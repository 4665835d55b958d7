import type { RuleSet } from '../ruleset/types.js';
import type { Assessment, Located, NationalReference, Outcome, ProcedureStage, ProcedureStep, ProvisionEntry, Source, SourceLocation, TranspositionStatus } from '../types.js';
import { locate, pointerSegment, type ParsedYaml } from './parse-yaml.js';

/** One measure file, schema-valid, as typed data with the location of every value. */
export interface MeasureDocument {
  file: string;
  memberState: string;
  directive: string;
  asOf: string;
  /** Where the `provisions` key stands. */
  at: SourceLocation;
  memberStateFacts: Record<string, Located<unknown>>;
  sources: Map<string, Source>;
  provisions: Map<string, ProvisionEntry>;
  procedures: ProcedureStep[];
}

interface RawNational {
  source: string;
  article: string;
  in_force_from?: string;
  in_force_until?: string;
  sets_penalty?: boolean;
  [fact: string]: unknown;
}
interface RawProvision {
  status: TranspositionStatus;
  national?: RawNational[];
  notes?: string;
  assessment?: { outcome: Outcome; reason: string; by?: string; date?: string; expires?: string };
  [fact: string]: unknown;
}
interface RawSource {
  title: string;
  abbreviation?: string;
  url?: string;
  references_directive?: boolean;
  adopted_to_transpose?: boolean;
}
interface RawMeasureFile {
  member_state: string;
  directive: string;
  as_of: string;
  sources?: Record<string, RawSource>;
  provisions: Record<string, RawProvision>;
  procedures?: { stage: ProcedureStage; date: string; reference?: string; grounds?: string[] }[];
  [fact: string]: unknown;
}

interface FactNames {
  memberState: string[];
  byProvision: Map<string, string[]>;
}

/** The facts each provision's rules read, and the Member-State facts: worked out once per rule set, not per file. */
const factNamesByRuleSet = new WeakMap<RuleSet, FactNames>();
function factNamesOf(ruleset: RuleSet): FactNames {
  let names = factNamesByRuleSet.get(ruleset);
  if (!names) {
    const byProvision = new Map<string, string[]>();
    for (const [key, rules] of ruleset.rulesByProvision) byProvision.set(key, [...new Set(rules.flatMap((r) => r.facts))]);
    const memberState = [...ruleset.facts.values()].filter((f) => f.scope === 'member-state').map((f) => f.name);
    names = { memberState, byProvision };
    factNamesByRuleSet.set(ruleset, names);
  }
  return names;
}

/** Builds the typed document from data the measure schema has accepted. */
export function toMeasureDocument(parsed: ParsedYaml, ruleset: RuleSet): MeasureDocument {
  const raw = parsed.data as RawMeasureFile;
  const at = (pointer: string, prefer: 'key' | 'value' = 'value'): SourceLocation =>
    locate(parsed.positions, pointer, prefer) ?? { file: parsed.file, line: 1, column: 1 };
  const factsOf = (object: Record<string, unknown>, pointer: string, names: Iterable<string>): Record<string, Located<unknown>> => {
    // No prototype: a fact named `constructor` or `toString` that a file leaves out is absent, not inherited.
    const facts: Record<string, Located<unknown>> = Object.create(null) as Record<string, Located<unknown>>;
    for (const name of names) {
      if (Object.hasOwn(object, name)) facts[name] = { value: object[name], at: at(`${pointer}/${name}`) };
    }
    return facts;
  };

  const factNames = factNamesOf(ruleset);
  const sources = new Map<string, Source>();
  for (const [id, source] of Object.entries(raw.sources ?? {})) {
    const pointer = `/sources/${pointerSegment(id)}`;
    sources.set(id, {
      id,
      title: source.title,
      abbreviation: source.abbreviation,
      url: source.url,
      referencesDirective:
        source.references_directive === undefined ? undefined : { value: source.references_directive, at: at(`${pointer}/references_directive`) },
      adoptedToTranspose:
        source.adopted_to_transpose === undefined ? undefined : { value: source.adopted_to_transpose, at: at(`${pointer}/adopted_to_transpose`) },
      at: at(pointer, 'key'),
    });
  }

  const provisions = new Map<string, ProvisionEntry>();
  for (const [key, entry] of Object.entries(raw.provisions)) {
    const pointer = `/provisions/${pointerSegment(key)}`;
    const provisionFacts = factNames.byProvision.get(key) ?? [];
    const national: NationalReference[] = (entry.national ?? []).map((ref, index) => ({
      source: ref.source,
      sourceAt: at(`${pointer}/national/${index}/source`),
      article: ref.article,
      inForceFrom: ref.in_force_from,
      inForceUntil: ref.in_force_until,
      setsPenalty: ref.sets_penalty,
      facts: factsOf(ref, `${pointer}/national/${index}`, provisionFacts),
      at: at(`${pointer}/national/${index}`),
    }));
    const assessment: Assessment | undefined = entry.assessment && {
      ...entry.assessment,
      at: at(`${pointer}/assessment`, 'key'),
    };
    provisions.set(key, {
      key,
      at: at(pointer, 'key'),
      status: { value: entry.status, at: at(`${pointer}/status`) },
      national,
      facts: factsOf(entry, pointer, provisionFacts),
      notes: entry.notes,
      assessment,
    });
  }

  return {
    file: parsed.file,
    memberState: raw.member_state,
    directive: raw.directive,
    asOf: raw.as_of,
    at: at('/provisions', 'key'),
    memberStateFacts: factsOf(raw, '', factNames.memberState),
    sources,
    provisions,
    procedures: (raw.procedures ?? []).map((step, index) => ({
      stage: step.stage,
      date: step.date,
      reference: step.reference,
      grounds: step.grounds ?? [],
      at: at(`/procedures/${index}`),
    })),
  };
}
