import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

const require = createRequire(import.meta.url);
let library: typeof Yaml | undefined;

/**
 * The yaml library, loaded on first use: files the fast path reads (under 1 MB, no syntax error)
 * never need it, and loading it is some 30 ms of a one-file check's start-up (an editor runs one on
 * every save).
 */
export function yamlLibrary(): typeof Yaml {
  return (library ??= require('yaml') as typeof Yaml);
}
