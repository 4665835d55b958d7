import type { Reporter } from './context.js';

/** Every output format `check --format` takes. */
export const FORMAT_NAMES = ['text', 'json', 'sarif', 'junit', 'github', 'markdown', 'csv', 'codequality'] as const;
export type FormatName = (typeof FORMAT_NAMES)[number];

/** Reporters load on demand: a JSON run never loads chalk or the text layout. */
const LOADERS = {
  text: async () => (await import('./text.js')).formatText,
  json: async () => (await import('./json.js')).formatJson,
  sarif: async () => (await import('./sarif.js')).formatSarif,
  junit: async () => (await import('./junit.js')).formatJunit,
  github: async () => (await import('./github.js')).formatGithub,
  markdown: async () => (await import('./markdown.js')).formatMarkdown,
  csv: async () => (await import('./csv.js')).formatCsv,
  codequality: async () => (await import('./codequality.js')).formatCodeQuality,
} satisfies Record<FormatName, () => Promise<Reporter>>;

export function loadReporter(name: FormatName): Promise<Reporter> {
  return LOADERS[name]();
}

/** A report as a sequence of pieces: large reports are written as they are made. */
export type ChunkedReporter = (...args: Parameters<Reporter>) => Iterable<string>;

/** The reporter for `name` in pieces: JSON one Member State at a time, the others whole. */
export async function loadChunkedReporter(name: FormatName): Promise<ChunkedReporter> {
  if (name === 'json') return (await import('./json.js')).jsonChunks;
  const reporter = await loadReporter(name);
  return (result, context) => [reporter(result, context)];
}
