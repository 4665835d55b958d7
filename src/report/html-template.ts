import { unsafeIn, visibleEscape } from '../text/characters.js';

/**
 * An auto-escaping HTML template: `html`…`` escapes every interpolated value unless it is already
 * `SafeHtml`, so forgetting to escape a piece of untrusted measure-file text is not possible by
 * omission. The literal parts of the template are the author's markup and are kept as written.
 *
 * Escaping suits element text and quoted attribute values (& < > " ' become entities). It does not
 * make a value safe as a URL, a tag or attribute name, or inside <script>/<style>: an href must be
 * vetted first (see safeHref in html.ts), and names must be literal.
 */

const TOKEN = Symbol('SafeHtml');

/** Markup that is safe to emit as is. Made only by `html` and `trusted`. */
export class SafeHtml {
  readonly #markup: string;

  constructor(token: symbol, markup: string) {
    if (token !== TOKEN) throw new TypeError('SafeHtml is made by html`…` or trusted(…), not by new');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

/** What a template may interpolate: text (escaped), numbers, safe markup, and arrays of these (joined with nothing). */
export type HtmlValue = string | number | SafeHtml | readonly HtmlValue[];

/** What HTML shows rather than renders (src/text/characters.ts, MEDIA.html); tab and line feed are kept, CR becomes LF before. */
const CONTROL = new RegExp(unsafeIn('html', 'visible'), 'g');
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element or a quoted attribute: & < > " ' escaped, control characters made visible. */
export function esc(text: string | number): string {
  return String(text)
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, visibleEscape)
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return esc(value as string | number);
}

/** Tagged template: the literal parts as written, every interpolated value escaped unless it is SafeHtml. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(TOKEN, out);
}

/** Items joined by a separator (escaped like any value), as one SafeHtml. */
export function join(items: readonly HtmlValue[], separator: HtmlValue): SafeHtml {
  return new SafeHtml(TOKEN, items.map(render).join(render(separator)));
}

/**
 * Emits `markup` unescaped. Only for constant markup the program itself writes (the stylesheet, built
 * from constants); never for anything read from an input file.
 */
export function trusted(markup: string): SafeHtml {
  return new SafeHtml(TOKEN, markup);
}
