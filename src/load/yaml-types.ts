import type { Diagnostic, SourceLocation } from '../types.js';

/** Where a value and, for a map member, its key stand in the file. */
export interface NodePosition {
  key?: SourceLocation;
  value: SourceLocation;
}

/** Positions by JSON pointer (`/provisions/3(4)/status`); `''` is the document itself. */
export type PositionIndex = Map<string, NodePosition>;

export interface ParsedYaml {
  file: string;
  /** Plain data (objects, arrays, strings, numbers, booleans, null); undefined for an empty file. */
  data: unknown;
  positions: PositionIndex;
  diagnostics: Diagnostic[];
}
