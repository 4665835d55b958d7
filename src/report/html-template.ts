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

/** C0/C1 controls (tab and line feed aside), DEL, line/paragraph separators and bidirectional overrides. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an HTML element or a quoted attribute: & < > " ' escaped, control characters made visible. */
export function esc(text: string | number): string {
  return String(text)
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    })
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
