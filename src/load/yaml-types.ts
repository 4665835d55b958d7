import type { Diagnostic, SourceLocation } from '../types.js';

/** Where a value and, for a map member, its key stand in the file. */
export interface NodePosition {
  key?: SourceLocation;
  value: SourceLocation;
}

/**
 * Positions by JSON pointer (`/provisions/3(4)/status`); `''` is the document itself. Iterated, it
 * gives every pointer in document order (each node before what it holds).
 */
export interface PositionIndex extends Iterable<[pointer: string, position: NodePosition]> {
  get(pointer: string): NodePosition | undefined;
  /**
   * Keys renamed in the data under `parent` (`Art. 3(4)` → `3(4)`, from → to): the positions under
   * each old key are found under its new one too.
   */
  renameKeys(parent: string, renamed: ReadonlyMap<string, string>): void;
}

export interface ParsedYaml {
  file: string;
  /** Plain data (objects, arrays, strings, numbers, booleans, null); undefined for an empty file. */
  data: unknown;
  positions: PositionIndex;
  diagnostics: Diagnostic[];
}
