import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkInputs } from '../src/check.js';
import { buildReview } from '../src/report/build-review.js';
import { renderReviewHtml } from '../src/report/html.js';
import { html, join, SafeHtml, trusted } from '../src/report/html-template.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, rawInput } from './helpers.js';

/** What a browser shows for escaped text (the entities `esc` writes). */
function unescape(text: string): string {
  return text.replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', '#39': "'", amp: '&' })[e]!);
}

describe('html`…`: an auto-escaping template', () => {
  it('escapes interpolated text in element text and in attributes', () => {
    const payload = `<img src=x onerror="alert('1')"> & co`;
    expect(html`<p title="${payload}">${payload}</p>`.toString()).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt; &amp; co</p>',
    );
  });

  it('makes control characters visible and normalises line ends, as esc() does', () => {
    expect(html`<p>${'a\r\nb\u001b[31m\u202e'}</p>`.toString()).toBe('<p>a\nb\\x1b[31m\\u202e</p>');
  });

  it('keeps its literal parts as written and prints numbers', () => {
    expect(html`<td class="num">${42}&nbsp;${-1.5}</td>`.toString()).toBe('<td class="num">42&nbsp;-1.5</td>');
  });

  it('does not escape a nested fragment twice', () => {
    const inner = html`<b>${'a & b'}</b>`;
    expect(html`<p>${inner}</p>`.toString()).toBe('<p><b>a &amp; b</b></p>');
    expect(html`<div>${html`<p>${inner}</p>`}</div>`.toString()).toBe('<div><p><b>a &amp; b</b></p></div>');
  });

  it('joins arrays with nothing, escaping strings and keeping fragments, at any depth', () => {
    expect(html`<ul>${['<x>', html`<li>${'1'}</li>`, [2, html`<li>3</li>`]]}</ul>`.toString()).toBe('<ul>&lt;x&gt;<li>1</li>2<li>3</li></ul>');
    expect(html`<ol>${[]}</ol>`.toString()).toBe('<ol></ol>');
  });

  it('join() puts an escaped separator between items', () => {
    expect(join([html`<i>a</i>`, '<b>', 3], ' & ').toString()).toBe('<i>a</i> &amp; &lt;b&gt; &amp; 3');
    expect(join([], '\n').toString()).toBe('');
  });

  it('is the only way html.ts writes markup: trusted(…) only for its own stylesheet, no hand escaping', () => {
    const source = readFileSync(new URL('../src/report/html.ts', import.meta.url), 'utf8');
    expect(source.match(/\btrusted\(/g)).toEqual(['trusted(']);
    expect(source).toMatch(/const CSS = trusted\(`/);
    // Markup in a plain string or untagged template would bypass the template's escaping of its values.
    expect(source).not.toMatch(/(?<!html)`<|['"]<[a-z/]/);
  });

  it('emits trusted(…) markup as is, and SafeHtml cannot be forged with new', () => {
    expect(html`<style>${trusted('a > b { content: "x"; }')}</style>`.toString()).toBe('<style>a > b { content: "x"; }</style>');
    expect(() => new SafeHtml(Symbol('SafeHtml'), '<script>')).toThrow(TypeError);
  });

  it('never lets any string create markup: what a reader sees is the string itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii' }), (text) => {
        const out = html`<p title="${text}">${[text, html`<br>`]}</p>`.toString();
        const inside = out.slice('<p title="'.length, -'<br></p>'.length);
        const [attribute, body] = inside.split('">');
        expect(inside.split('">')).toHaveLength(2);
        expect(attribute).not.toMatch(/[<>"']/);
        expect(body).not.toMatch(/[<>"']/);
        const visible = text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
        expect(unescape(attribute!)).toBe(visible);
        expect(unescape(body!)).toBe(visible);
      }),
    );
  });
});

const ruleset = await loadRuleSet();
const hostileInputs = [rawInput('lu.yaml', readFileSync(fixture('hostile/lu.yaml')))];
const out = renderReviewHtml(buildReview({ result: checkInputs(hostileInputs, ruleset), ruleset }));

describe('HTML review of a hostile measure file (fixtures/hostile/lu.yaml)', () => {
  it('creates no element from measure text', () => {
    expect(out).not.toMatch(/<img/i);
    expect(out).not.toMatch(/<script/i);
    expect(out).not.toMatch(/<b>/);
    expect(out).not.toMatch(/<[^>]*\son[a-z]+=/i); // no event-handler attribute inside any tag
    expect(out).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(out).toContain('Reason: &lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('uses only the elements the report itself writes', () => {
    const written = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'header', 'nav', 'main', 'footer', 'section', 'div', 'figure', 'figcaption', 'svg', 'desc', 'rect', 'text']);
    const prose = ['h1', 'h2', 'h3', 'h4', 'p', 'a', 'abbr', 'span', 'strong', 'em', 'code', 'br', 'dl', 'dt', 'dd', 'ol', 'ul', 'li'];
    const tables = ['table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'];
    for (const tag of [...prose, ...tables]) written.add(tag);
    const tags = new Set([...out.matchAll(/<\/?([A-Za-z][A-Za-z0-9-]*)/g)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].filter((tag) => !written.has(tag))).toEqual([]);
  });
});
