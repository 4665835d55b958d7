import { TOO_MANY_ERRORS, type Diagnostic } from '../types.js';

/** Most errors listed for one file: past them, one line says how many more there are. */
export const MAX_ERRORS_PER_FILE = 100;

export const TOO_MANY = TOO_MANY_ERRORS;

/** `N more errors in FILE`, at the place of an earlier error of that file. */
export const moreLine = (file: string, at: Pick<Diagnostic, 'line' | 'column'>, count: number): Diagnostic => ({
  file,
  line: at.line,
  column: at.column,
  code: TOO_MANY,
  message: `${count} more error${count === 1 ? '' : 's'} in ${file}`,
});

/** How many errors a `too-many-errors` line stands for. */
const countOf = (d: Diagnostic) => Number(/^(\d+) more/.exec(d.message)?.[1] ?? 0);

/**
 * Counts errors per file and builds at most MAX_ERRORS_PER_FILE of them: past the limit a producer
 * only counts, so a file with a million mistakes costs a counter, not a million messages.
 */
export class ErrorBudget {
  readonly diagnostics: Diagnostic[] = [];
  private readonly counts = new Map<string, { count: number; first?: Diagnostic }>();

  /** True while `file` still has room: call before building an expensive message. */
  room(file: string): boolean {
    return (this.counts.get(file)?.count ?? 0) < MAX_ERRORS_PER_FILE;
  }

  add(diagnostic: Diagnostic): void {
    this.addLazily(diagnostic.file, () => diagnostic);
  }

  /** Counts one error in `file`; builds it only if there is room. */
  addLazily(file: string, make: () => Diagnostic): void {
    const entry = this.counts.get(file) ?? this.counts.set(file, { count: 0 }).get(file)!;
    if (entry.count < MAX_ERRORS_PER_FILE) {
      const made = make();
      this.diagnostics.push(made);
      entry.first ??= made;
    }
    entry.count++;
  }

  /** The errors built, then one `N more errors in FILE` line per file over the limit. */
  result(): Diagnostic[] {
    const out = [...this.diagnostics];
    for (const [file, { count, first }] of this.counts) {
      if (count > MAX_ERRORS_PER_FILE && first) out.push(moreLine(file, first, count - MAX_ERRORS_PER_FILE));
    }
    return out;
  }
}

/**
 * Keeps the first MAX_ERRORS_PER_FILE errors of each file (in the order given: sort first) and one
 * line for the rest, folding in the `N more` lines producers already wrote.
 */
export function capPerFile(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const byFile = new Map<string, { kept: Diagnostic[]; more: number; last?: Diagnostic }>();
  for (const d of diagnostics) {
    const entry = byFile.get(d.file) ?? byFile.set(d.file, { kept: [], more: 0 }).get(d.file)!;
    if (d.code === TOO_MANY) entry.more += countOf(d);
    else if (entry.kept.length < MAX_ERRORS_PER_FILE) entry.kept.push(d);
    else entry.more++;
  }
  if ([...byFile.values()].every((e) => e.more === 0)) return [...diagnostics];
  const out: Diagnostic[] = [];
  for (const [file, { kept, more }] of byFile) {
    out.push(...kept);
    if (more > 0) out.push(moreLine(file, kept[kept.length - 1] ?? { file, line: 1, column: 1, code: TOO_MANY, message: '' }, more));
  }
  return out;
}
