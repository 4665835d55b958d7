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
  /** The document as a place to step down from; undefined where nothing was parsed. */
  cursor(): PositionCursor | undefined;
}

/**
 * A place in the document, stepped down from by key or index: a file's hundreds of lookups without a
 * pointer built and walked from the top for each (measure-document.ts). Answers as `get` would for
 * the pointer of the same path.
 */
export interface PositionCursor {
  /** The map member that `key` names in the data (after renames), or undefined. */
  member(key: string): PositionCursor | undefined;
  /** The list item at `index`, or undefined. */
  item(index: number): PositionCursor | undefined;
  /** Where the value stands. */
  value(): SourceLocation;
  /** Where a map member's key stands; for a list item or the document, where the value stands. */
  key(): SourceLocation;
}

export interface ParsedYaml {
  file: string;
  /** Plain data (objects, arrays, strings, numbers, booleans, null); undefined for an empty file. */
  data: unknown;
  positions: PositionIndex;
  diagnostics: Diagnostic[];
}
