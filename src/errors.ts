/**
 * A failure of set-up rather than of a measure file: a missing input, a broken rule set, a bad flag.
 * The CLI prints `message` (which already carries FILE:LINE:COLUMN where there is one) and exits 2.
 */
export class CheckerError extends Error {
  constructor(
    readonly code: 'usage' | 'input' | 'ruleset' | 'output',
    message: string,
  ) {
    super(message);
    this.name = 'CheckerError';
  }
}
