import type { LoadedInputs } from '../check-types.js';
import { versionsOn } from '../evaluate/versions.js';
import { parseYaml } from '../load/parse-yaml.js';
import type { RawInput } from '../load/read-input.js';
import type { ProcedureStep, SourceLocation } from '../types.js';

/** What `report` does with its loaded inputs beyond one evaluation. */

/**
 * The inputs to evaluate on `date`: for each Member State, the files of the one description chosen for
 * that date (versionsOn), not every version: a timeline compares the law of each date, once.
 */
export function versionsLoadedOn(loaded: LoadedInputs, date: string): LoadedInputs {
  const chosen = new Set(versionsOn(loaded.documents, date, (d) => d.asOf).map(({ version }) => `${version.memberState}\0${version.asOf}`));
  return { ...loaded, documents: loaded.documents.filter((d) => chosen.has(`${d.memberState}\0${d.asOf}`)) };
}

/** Where a recorded step's `reference` stands: its file parsed again (only on the error path). */
export function referenceLocation(inputs: readonly RawInput[], step: ProcedureStep): SourceLocation | undefined {
  const input = inputs.find((i) => i.name === step.at.file);
  if (!input?.bytes) return undefined;
  const parsed = parseYaml(input.name, new TextDecoder().decode(input.bytes));
  for (const [pointer, position] of parsed.positions) {
    const match = /^\/procedures\/(\d+)$/.exec(pointer);
    if (match && position.value.line === step.at.line && position.value.column === step.at.column) {
      return parsed.positions.get(`${pointer}/reference`)?.value;
    }
  }
  return undefined;
}

