import type { Reporter } from './context.js';

/** Every output format `check --format` takes. */
export const FORMAT_NAMES = ['text', 'json', 'sarif', 'junit', 'github', 'markdown', 'csv'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Reporters load on demand: a JSON run never loads chalk or cli-table3. */
const LOADERS = {
  text: async () => (await import('./text.js')).formatText,
  json: async () => (await import('./json.js')).formatJson,
  sarif: async () => (await import('./sarif.js')).formatSarif,
  junit: async () => (await import('./junit.js')).formatJunit,
  github: async () => (await import('./github.js')).formatGithub,
  markdown: async () => (await import('./markdown.js')).formatMarkdown,
  csv: async () => (await import('./csv.js')).formatCsv,
} satisfies Record<FormatName, () => Promise<Reporter>>;

export function loadReporter(name: FormatName): Promise<Reporter> {
  return LOADERS[name]();
}
