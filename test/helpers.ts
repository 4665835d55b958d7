import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { checkInputs, type CheckResult } from '../src/check.js';
import { main, mainThroughCommander, type CliIo } from '../src/cli.js';
import type { RawInput } from '../src/load/read-input.js';
import type { RuleSet } from '../src/ruleset/types.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const SHARED = fileURLToPath(new URL('../../shared/', import.meta.url));
export const fixture = (relative: string) => fileURLToPath(new URL(`../fixtures/${relative}`, import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI in-process with captured streams, no colour unless the env asks for it;
 * `throughCommander` leaves out the direct path of plain `explain` and `rules` lines.
 */
export async function runCli(argv: string[], options: { stdin?: string | Uint8Array; env?: Record<string, string>; isTTY?: boolean; throughCommander?: boolean } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdin: async () => (typeof options.stdin === 'string' ? new TextEncoder().encode(options.stdin) : (options.stdin ?? new Uint8Array())),
    env: options.env ?? {},
    isTTY: options.isTTY ?? false,
    columns: 200,
  };
  const code = await (options.throughCommander ? mainThroughCommander : main)(argv, io);
  return { code, stdout, stderr };
}

/** A measure file's text (or bytes) as the reader gives it to checkInputs. */
export function rawInput(name: string, text: string | Uint8Array): RawInput {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return { name, bytes, size: bytes.length };
}

/**
 * The lines a small test measure text starts with: format, directive, Member State, date and one
 * illustrative source, `code` (abbreviated CC unless `abbreviation` is null). Each test writes its
 * own procedures and provisions after it.
 */
export function measureHead(memberState = 'DE', asOf = '2024-06-30', abbreviation: string | null = 'CC'): string {
  const abbreviated = abbreviation === null ? '' : `, abbreviation: ${abbreviation}`;
  return `format: 1\ndirective: 2011/93/EU\nmember_state: ${memberState}\nas_of: ${asOf}\nsources:\n  code: { title: Criminal Code (illustrative)${abbreviated}, references_directive: true }\n`;
}

/** checkInputs over named measure texts, on `evaluationDate` if given. */
export function checkTexts(ruleset: RuleSet, files: readonly [name: string, text: string | Uint8Array][], evaluationDate?: string): CheckResult {
  return checkInputs(files.map(([name, text]) => rawInput(name, text)), ruleset, { evaluationDate });
}

/** A check result with nothing in it, for reporters' edge cases. */
export const EMPTY_RESULT: CheckResult = {
  tool: { name: 'conformity', version: '0.0.0' },
  ruleset: { id: 'r', directive: '2011/93/EU', version: '1', hash: 'abc', title: 't' },
  inputs: [],
  results: [],
  diagnostics: [],
};

/** A maker of private temporary folders named `conformity-NAME-…`, all removed after the test file. */
export function tempFolders(name: string): () => string {
  const made: string[] = [];
  afterAll(() => {
    for (const folder of made) rmSync(folder, { recursive: true, force: true });
  });
  return () => {
    const folder = mkdtempSync(path.join(tmpdir(), `conformity-${name}-`));
    made.push(folder);
    return folder;
  };
}
