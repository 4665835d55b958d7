import { unsafeIn, visibleEscape } from '../text/characters.js';

/** What a reader of a web page must see was there (bidi controls, separators, controls). */
const UNSAFE = new RegExp(unsafeIn('webMessage', 'visible'), 'g');

/**
 * Text for SARIF messages and Code Quality descriptions, which GitHub code scanning and GitLab merge
 * requests show in a web page: a bidi control from a measure file must not reorder what a reviewer
 * reads, so it is shown as `\u202e`.
 */
export function webText(text: string): string {
  return text.replace(UNSAFE, visibleEscape);
}
