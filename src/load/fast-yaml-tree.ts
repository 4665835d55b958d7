import type { SourceLocation } from '../types.js';
import { pointerSegment, unescapeSegment } from './json-pointer.js';
import { copyRenamed, PointerCursor } from './map-positions.js';
import type { NodePosition, PositionCursor, PositionIndex } from './yaml-types.js';

/** The tree the fast YAML path (fast-yaml.ts) reads a document into, and its positions, found on demand. */

export const SCALAR = 0;
export const MAP = 1;
export const LIST = 2;
export const ALIAS = 3;
export const EMPTY = 4;

/** A node as js-yaml's listener saw it. */
export interface YamlNode {
  kind: typeof SCALAR | typeof MAP | typeof LIST | typeof ALIAS | typeof EMPTY;
  /** Where the full parse places it: its first character after any anchor; an empty value after its indicator and spaces. */
  start: number;
  /** A scalar's value (core schema); an alias's anchor name. */
  value: unknown;
  /** A list's items; a map's keys and values, alternating. */
  children: YamlNode[] | undefined;
  anchor: string | null;
  /** Followed by `:` on its line: a map's key. */
  isKey: boolean;
  /** A large map's pair index by key, made on its first lookup. */
  keyIndex: Map<string, number> | undefined;
}

/** The key a map's key node gives in the data (`null` → '', `1` → '1'). */
export function keyOf(node: YamlNode): string {
  return node.value == null ? '' : String(node.value);
}

/** Line and column of offsets, from the starts of the text's lines. */
export class LineTable {
  private starts: number[] | undefined;
  private lastLine = 0;

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  at(offset: number): SourceLocation {
    const starts = (this.starts ??= lineStartsOf(this.text));
    // Places come mostly in the order of the text: from the last line found, then by halves.
    let low = this.lastLine;
    if (!(starts[low]! <= offset && (low + 1 === starts.length || offset < starts[low + 1]!))) {
      low = 0;
      let high = starts.length - 1;
      while (low < high) {
        const middle = (low + high + 1) >> 1;
        if (starts[middle]! <= offset) low = middle;
        else high = middle - 1;
      }
      this.lastLine = low;
    }
    return { file: this.file, line: low + 1, column: offset - starts[low]! + 1 };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Maps with more pairs than this get an index by key on their first lookup; smaller ones are scanned. */
const SCAN_PAIRS = 8;

const LIST_INDEX = /^(?:0|[1-9][0-9]*)$/;
const BAD_ESCAPE = /~(?![01])/;
const SLASH = 47;

/**
 * The positions of a document the fast path read, found in its tree when asked: a file's few hundred
 * lookups cost less than indexing each of its thousands of nodes by pointer (a string built, hashed
 * and stored, and two places worked out, for every node). Answers as the full parse's index would:
 * a map member's key and value, a list item's value, through aliases to their anchors' nodes.
 */
export class TreePositions implements PositionIndex {
  /** One set of renamed keys, answered from the tree: under `parent`, old key → new, and new → old. */
  renames: { parent: string; byOld: ReadonlyMap<string, string>; byNew: ReadonlyMap<string, string> } | undefined;
  /** Every position indexed as the full parse does: made only for renames the tree cannot answer by itself. */
  private index: Map<string, NodePosition> | undefined;

  constructor(
    private readonly root: YamlNode,
    private readonly anchors: ReadonlyMap<string, YamlNode>,
    private readonly lines: LineTable,
  ) {}

  get(pointer: string): NodePosition | undefined {
    if (this.index) return this.index.get(pointer);
    const found = this.find(pointer);
    if (!found) return undefined;
    const [node, keyNode] = found;
    return keyNode ? { key: this.place(keyNode), value: this.place(node) } : { value: this.place(node) };
  }

  /** The node at `pointer`, and its key's node if it is a map member. */
  private find(pointer: string): Step | undefined {
    if (pointer === '') return [this.root, undefined];
    if (pointer.charCodeAt(0) !== SLASH) return undefined;
    let step: Step = [this.root, undefined];
    let from = 1;
    for (;;) {
      const end = pointer.indexOf('/', from);
      const raw = pointer.slice(from, end === -1 ? undefined : end);
      // Only ~0 and ~1 are escapes (RFC 6901): a pointer with another `~` names nothing the full parse indexed.
      if (raw.includes('~') && BAD_ESCAPE.test(raw)) return undefined;
      const segment = unescapeSegment(raw);
      const container = this.resolved(step[0]);
      const next =
        container.kind === MAP
          ? this.member(container, segment, !!this.renames && from - 1 === this.renames.parent.length && pointer.startsWith(this.renames.parent))
          : container.kind === LIST && LIST_INDEX.test(segment)
            ? item(container, Number(segment))
            : undefined;
      if (!next) return undefined;
      step = next;
      if (end === -1) return step;
      from = end + 1;
    }
  }

  /** The member of `map` named `key` in the data: under the renames' parent, by its key before the rename. */
  member(map: YamlNode, key: string, underRenames: boolean): Step | undefined {
    const renamed = underRenames ? this.renames!.byNew.get(key) : undefined;
    const index = pairIndex(map, renamed ?? key);
    return index === -1 ? undefined : [map.children![index + 1]!, map.children![index]!];
  }

  cursor(): PositionCursor {
    // An index made for renames the tree cannot answer: stepped through by pointer.
    if (this.index) return PointerCursor.at(this, '')!;
    return new TreeCursor(this, this.root, undefined, this.renames ? '' : undefined);
  }

  /** Where `node` stands. */
  place(node: YamlNode): SourceLocation {
    return this.lines.at(node.start);
  }

  renameKeys(parent: string, renamed: ReadonlyMap<string, string>): void {
    if (renamed.size === 0) return;
    if (!this.index && !this.renames && this.answersRenames(parent, renamed)) {
      this.renames = { parent, byOld: renamed, byNew: new Map([...renamed].map(([from, to]) => [to, from])) };
      return;
    }
    // Anything else (two keys renamed to one, onto a key the map has, chains, a second call): the full parse's way.
    this.index ??= new Map(this);
    copyRenamed(this.index, parent, renamed);
  }

  /** Whether the tree answers these renames by itself: under one map, each from a key it has to one it has not, no two to one key. */
  private answersRenames(parent: string, renamed: ReadonlyMap<string, string>): boolean {
    const found = this.find(parent);
    const map = found && this.resolved(found[0]);
    if (!map || map.kind !== MAP) return false;
    const targets = new Set<string>();
    for (const [from, to] of renamed) {
      if (pairIndex(map, from) === -1 || pairIndex(map, to) !== -1 || renamed.has(to) || targets.has(to)) return false;
      targets.add(to);
    }
    return true;
  }

  /** Every pointer in document order (each node, then everything under it), as the full parse indexes them: the error path and tests only. */
  [Symbol.iterator](): IterableIterator<[string, NodePosition]> {
    if (this.index) return this.index.entries();
    const all = new Map<string, NodePosition>([['', { value: this.lines.at(this.root.start) }]]);
    // Depth is bounded by the parse limits: recursion is safe here.
    const visit = (pointer: string, given: YamlNode) => {
      const node = this.resolved(given);
      const children = node.children;
      if (!children) return;
      if (node.kind === LIST) {
        children.forEach((item, index) => {
          const childPointer = `${pointer}/${index}`;
          all.set(childPointer, { value: this.lines.at(item.start) });
          visit(childPointer, item);
        });
      } else if (node.kind === MAP) {
        for (let i = 0; i + 1 < children.length; i += 2) {
          const childPointer = `${pointer}/${pointerSegment(keyOf(children[i]!))}`;
          all.set(childPointer, { key: this.lines.at(children[i]!.start), value: this.lines.at(children[i + 1]!.start) });
          visit(childPointer, children[i + 1]!);
        }
      }
    };
    visit('', this.root);
    if (this.renames) copyRenamed(all, this.renames.parent, this.renames.byOld);
    return all.entries();
  }

  /** An alias's anchored node (each alias of an accepted document names one finished anchor). */
  resolved(node: YamlNode): YamlNode {
    return node.kind === ALIAS ? (this.anchors.get(node.value as string) ?? node) : node;
  }
}

/** Where `key`'s pair starts among a map's children, or -1. */
function pairIndex(map: YamlNode, key: string): number {
  const children = map.children!;
  if (children.length <= SCAN_PAIRS * 2) {
    for (let i = 0; i + 1 < children.length; i += 2) if (keyOf(children[i]!) === key) return i;
    return -1;
  }
  if (!map.keyIndex) {
    map.keyIndex = new Map();
    for (let i = 0; i + 1 < children.length; i += 2) map.keyIndex.set(keyOf(children[i]!), i);
  }
  return map.keyIndex.get(key) ?? -1;
}

/** A node reached, and its key's node if it is a map member. */
type Step = [node: YamlNode, key: YamlNode | undefined];

function item(list: YamlNode, index: number): Step | undefined {
  const node = list.children![index];
  return node && [node, undefined];
}

/** A cursor on the tree: a step is a key compared or an index taken, no pointer built (but where renames need one). */
class TreeCursor implements PositionCursor {
  constructor(
    private readonly tree: TreePositions,
    private readonly node: YamlNode,
    private readonly keyNode: YamlNode | undefined,
    /** This node's pointer, kept only while a rename record may apply below. */
    private readonly pointer: string | undefined,
  ) {}

  member(key: string): PositionCursor | undefined {
    const container = this.tree.resolved(this.node);
    if (container.kind !== MAP) return undefined;
    const { pointer } = this;
    const next = this.tree.member(container, key, pointer !== undefined && pointer === this.tree.renames!.parent);
    return next && new TreeCursor(this.tree, next[0], next[1], pointer === undefined ? undefined : `${pointer}/${pointerSegment(key)}`);
  }

  item(index: number): PositionCursor | undefined {
    const container = this.tree.resolved(this.node);
    const next = container.kind === LIST ? item(container, index) : undefined;
    return next && new TreeCursor(this.tree, next[0], undefined, this.pointer === undefined ? undefined : `${this.pointer}/${index}`);
  }

  value(): SourceLocation {
    return this.tree.place(this.node);
  }

  key(): SourceLocation {
    return this.tree.place(this.keyNode ?? this.node);
  }
}
