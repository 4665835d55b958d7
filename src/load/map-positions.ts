import { pointerSegment } from './json-pointer.js';
import type { SourceLocation } from '../types.js';
import type { NodePosition, PositionCursor, PositionIndex } from './yaml-types.js';

/** A position index that holds every pointer: the full parse's, and the empty one of a file that failed. */
export class MapPositions extends Map<string, NodePosition> implements PositionIndex {
  renameKeys(parent: string, renamed: ReadonlyMap<string, string>): void {
    copyRenamed(this, parent, renamed);
  }

  cursor(): PositionCursor | undefined {
    return PointerCursor.at(this, '');
  }
}

/** A cursor over any index by pointer: each step a pointer built and looked up. */
export class PointerCursor implements PositionCursor {
  static at(positions: Pick<PositionIndex, 'get'>, pointer: string): PointerCursor | undefined {
    const position = positions.get(pointer);
    return position && new PointerCursor(positions, pointer, position);
  }

  private constructor(
    private readonly positions: Pick<PositionIndex, 'get'>,
    private readonly pointer: string,
    private readonly position: NodePosition,
  ) {}

  member(key: string): PositionCursor | undefined {
    return PointerCursor.at(this.positions, `${this.pointer}/${pointerSegment(key)}`);
  }

  item(index: number): PositionCursor | undefined {
    return PointerCursor.at(this.positions, `${this.pointer}/${index}`);
  }

  value(): SourceLocation {
    return this.position.value;
  }

  key(): SourceLocation {
    return this.position.key ?? this.position.value;
  }
}

/** Positions under each renamed key copied to the new name, in one pass over the index (not one per key). */
export function copyRenamed(positions: Map<string, NodePosition>, parent: string, renamed: ReadonlyMap<string, string>): void {
  if (renamed.size === 0) return;
  const segments = new Map([...renamed].map(([from, to]) => [pointerSegment(from), pointerSegment(to)]));
  const prefix = `${parent}/`;
  // Set after the walk: a Map walked while it grows visits what it gains.
  const moved: [string, NodePosition][] = [];
  for (const [pointer, position] of positions) {
    if (!pointer.startsWith(prefix)) continue;
    const end = pointer.indexOf('/', prefix.length);
    const from = pointer.slice(prefix.length, end === -1 ? undefined : end);
    const to = segments.get(from);
    if (to !== undefined) moved.push([prefix + to + (end === -1 ? '' : pointer.slice(end)), position]);
  }
  for (const [pointer, position] of moved) positions.set(pointer, position);
}
