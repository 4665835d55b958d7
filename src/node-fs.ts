import { createRequire } from 'node:module';

/**
 * node:fs, taken with require: importing it as an ES module makes Node build its namespace, which reads
 * every export (`ReadStream` among them) and so loads the whole stream machinery, some 5 ms of every
 * start. Types still come from `import type … from 'node:fs'`.
 */
export const fs = createRequire(import.meta.url)('node:fs') as typeof import('node:fs');
