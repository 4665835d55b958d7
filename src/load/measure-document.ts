import type { RuleSet } from '../ruleset/types.js';
import type { Assessment, Located, NationalReference, Outcome, ProcedureStage, ProcedureStep, ProvisionEntry, Source, SourceLocation, TranspositionStatus } from '../types.js';
import type { ParsedYaml } from './parse-yaml.js';
import type { PositionCursor } from './yaml-types.js';

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

/** Where nothing was found: the file's first line (never expected for data the schema accepted). */
const nowhere = (file: string): PositionCursor => {
  const start = { file, line: 1, column: 1 };
  return { member: () => undefined, item: () => undefined, value: () => start, key: () => start };
};

/** The member or item `step` names, or where the file lacks it the place itself: the nearest place above, as locate() gives. */
const within = (place: PositionCursor, step: string | number): PositionCursor => (typeof step === 'number' ? place.item(step) : place.member(step)) ?? place;

/** Builds the typed document from data the measure schema has accepted. */
export function toMeasureDocument(parsed: ParsedYaml, ruleset: RuleSet): MeasureDocument {
  const raw = parsed.data as RawMeasureFile;
  // Every value's place, found by stepping down from the top.
  const root = parsed.positions.cursor() ?? nowhere(parsed.file);
  const factsOf = (object: Record<string, unknown>, place: PositionCursor, names: Iterable<string>): Record<string, Located<unknown>> => {
    // No prototype: a fact named `constructor` or `toString` that a file leaves out is absent, not inherited.
    const facts: Record<string, Located<unknown>> = Object.create(null) as Record<string, Located<unknown>>;
    for (const name of names) {
      if (Object.hasOwn(object, name)) facts[name] = { value: object[name], at: within(place, name).value() };
    }
    return facts;
  };

  const factNames = factNamesOf(ruleset);
  const sources = new Map<string, Source>();
  const sourcesPlace = within(root, 'sources');
  for (const [id, source] of Object.entries(raw.sources ?? {})) {
    const place = within(sourcesPlace, id);
    sources.set(id, {
      id,
      title: source.title,
      abbreviation: source.abbreviation,
      url: source.url,
      referencesDirective:
        source.references_directive === undefined ? undefined : { value: source.references_directive, at: within(place, 'references_directive').value() },
      adoptedToTranspose:
        source.adopted_to_transpose === undefined ? undefined : { value: source.adopted_to_transpose, at: within(place, 'adopted_to_transpose').value() },
      at: place.key(),
    });
  }

  const provisions = new Map<string, ProvisionEntry>();
  const provisionsPlace = within(root, 'provisions');
  for (const [key, entry] of Object.entries(raw.provisions)) {
    const place = within(provisionsPlace, key);
    const provisionFacts = factNames.byProvision.get(key) ?? [];
    const list = within(place, 'national');
    const national: NationalReference[] = (entry.national ?? []).map((ref, index) => {
      const refPlace = within(list, index);
      return {
        source: ref.source,
        sourceAt: within(refPlace, 'source').value(),
        article: ref.article,
        inForceFrom: ref.in_force_from,
        inForceUntil: ref.in_force_until,
        setsPenalty: ref.sets_penalty,
        facts: factsOf(ref, refPlace, provisionFacts),
        at: refPlace.value(),
      };
    });
    const assessment: Assessment | undefined = entry.assessment && {
      ...entry.assessment,
      at: within(place, 'assessment').key(),
    };
    provisions.set(key, {
      key,
      at: place.key(),
      status: { value: entry.status, at: within(place, 'status').value() },
      national,
      facts: factsOf(entry, place, provisionFacts),
      notes: entry.notes,
      assessment,
    });
  }

  const procedures = within(root, 'procedures');
  return {
    file: parsed.file,
    memberState: raw.member_state,
    directive: raw.directive,
    asOf: raw.as_of,
    at: provisionsPlace.key(),
    memberStateFacts: factsOf(raw, root, factNames.memberState),
    sources,
    provisions,
    procedures: (raw.procedures ?? []).map((step, index) => ({
      stage: step.stage,
      date: step.date,
      reference: step.reference,
      grounds: step.grounds ?? [],
      at: within(procedures, index).value(),
    })),
  };
}
