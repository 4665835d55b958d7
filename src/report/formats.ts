import type { Reporter } from './context.js';

/** Every output format `check --format` takes. */
export const FORMAT_NAMES = ['text', 'json'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Reporters load on demand: a JSON run never loads chalk or cli-table3. */
const LOADERS = {
  text: async () => (await import('./text.js')).formatText,
  json: async () => (await import('./json.js')).formatJson,
} satisfies Record<FormatName, () => Promise<Reporter>>;

export function loadReporter(name: FormatName): Promise<Reporter> {
  return LOADERS[name]();
}
