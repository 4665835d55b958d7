import type { Reporter } from './context.js';
import { formatJson } from './json.js';
import { formatText } from './text.js';

export type FormatName = 'text' | 'json';

/** Every output format, by the name `--format` takes. */
export const REPORTERS = {
  text: formatText,
  json: formatJson,
} satisfies Record<FormatName, Reporter>;

export const FORMAT_NAMES = Object.keys(REPORTERS) as FormatName[];
