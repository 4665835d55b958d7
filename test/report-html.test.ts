import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check, checkInputs } from '../src/check.js';
import { buildReview } from '../src/report/build-review.js';
import { esc, renderReviewHtml, safeHref } from '../src/report/html.js';
import { loadRuleSet } from '../src/ruleset/load-ruleset.js';
import { fixture, rawInput, measureHead } from './helpers.js';

const ruleset = await loadRuleSet();

const PROCEDURE = `${measureHead('AT', '2024-06-30', null)}procedures:
  - { stage: letter-of-formal-notice, date: 2019-07-25, reference: INFR(2019)0001, grounds: ["3(4)", "19(3)", "23(1)"] }
provisions:
  "3(4)": { status: transposed, national: [{ source: code, article: "art. 1" }], max_penalty_years: 15 }
  "19(3)": { status: not-transposed }
`;

function raw(files: Record<string, string | Uint8Array>) {
  return Object.entries(files).map(([name, text]) => rawInput(name, text));
}

const measures = await check({ paths: [fixture('measures')], rules: ruleset });
const html = renderReviewHtml(buildReview({ result: measures, ruleset }));

const hostileInputs = raw({ 'lu.yaml': readFileSync(fixture('hostile/lu.yaml')) });
const hostile = renderReviewHtml(buildReview({ result: checkInputs(hostileInputs, ruleset), ruleset }));

describe('HTML review: one self-contained, accessible document', () => {
  it('is a complete document in English with a title and one h1', () => {
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain('<title>Infringement review: Directive 2011/93/EU</title>');
  });

  it('has no script, no external resource, and a CSP that forbids both', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<(link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'`);
    // Every href is an in-page anchor or an https link to the official text.
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(#[A-Za-z0-9_-]+|https:\/\/eur-lex\.europa\.eu\/)/);
  });

  it('uses each id once, and every in-page link points at one', () => {
    const ids = [...html.matchAll(/ id="([^"]*)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, target] of html.matchAll(/href="#([^"]*)"/g)) expect(ids).toContain(target);
  });

  it('numbers headings in order, without skipping a level', () => {
    const levels = [...html.matchAll(/<h([1-6])[ >]/g)].map((m) => Number(m[1]));
    for (let i = 1; i < levels.length; i++) expect(levels[i]! - levels[i - 1]!).toBeLessThanOrEqual(1);
  });

  it('gives every table a caption and every th a scope', () => {
    const tables = html.match(/<table[ >]/g)!.length;
    expect(html.match(/<caption[ >]/g)!.length).toBe(tables);
    for (const [th] of html.matchAll(/<th\b[^>]*>/g)) expect(th).toMatch(/scope="(col|row|rowgroup|colgroup)"/);
  });

  it('shows the cover: rule set, as-of, provenance with each file and SHA-256, disclaimer', () => {
    expect(html).toContain('2011-93-eu 1.0.0 — Directive 2011/93/EU (CELEX 32011L0093)');
    expect(html).toContain(measures.ruleset.hash);
    for (const input of measures.inputs) {
      expect(html).toContain(esc(input.name));
      expect(html).toContain(input.sha256);
    }
    expect(html).toContain('not the law itself');
    expect(html).toContain(`conformity ${measures.tool.version}`);
  });

  it('writes letter codes with colour classes and titles, never colour alone, and a legend', () => {
    expect(html).toMatch(/<td class="o o-nc"><abbr title="MT Art\. 3\(4\): not conform">NC<\/abbr><\/td>/);
    expect(html).toMatch(/<td class="o o-nt"><abbr title="[^"]*">NT<\/abbr><\/td>/);
    expect(html).toContain('<ul class="legend" aria-label="Legend">');
    // An outcome decided by an assessment is marked.
    expect(html).toMatch(/analyst&#39;s assessment; computed: [^"]*">[A-Z]+\*<\/abbr>/);
    // Per-provision totals and per-Member-State counts.
    // 22: DE partial, MT not described (not assessed: no ground), FI conform.
    expect(html).toMatch(/<th scope="row"><abbr title="Art\. 22 — [^"]*">22<\/abbr><\/th>(<td[^>]*>.*?<\/td>){3}<td class="total"><strong>1<\/strong> <span class="small">\(PC&nbsp;1\)/);
    expect(html).toMatch(/<abbr title="MT Art\. 22: not assessed \(not yet researched\)">NAS<\/abbr>/);
    expect(html).toContain('<tr><th scope="row">Not conform</th><td class="num"><strong>22</strong></td><td class="num"><strong>30</strong></td><td class="num"><strong>0</strong></td>');
    // A chapeau is shown, derived from its paragraphs, and not counted.
    expect(html).toMatch(/<abbr title="DE Art\. 3\(1\): not conform \(derived from 3\(2\)–3\(6\), not counted\)">NC<\/abbr>/);
    expect(html).toMatch(/>3\(1\)<\/abbr><\/th>(<td[^>]*>.*?<\/td>){3}<td class="total small">derived from 3\(2\)–3\(6\), not counted<\/td>/);
  });

  it("shows the rule set's priority areas with their description and source, and summarises each topic", () => {
    expect(html).toContain('id="priorities"');
    expect(html).toContain('Prevention and intervention <span class="muted">(Arts 22–24)</span>');
    expect(html).toContain('<p>The areas the rule set names as priorities (COM(2020) 607).</p>');
    expect(html).toContain('Preventive intervention programmes, prevention, and intervention programmes during or after criminal proceedings (Articles 22 to 24). <span class="small muted">Source: COM(2020) 607.</span>');
    expect(html).toContain('Most frequent grounds');
    // Prevention (Arts 22–24): DE 22 and 23(2) partial, MT 24(1) not conform; one Member State each, in Directive order.
    expect(html).toContain('Most frequent grounds: Art. 24(1) (2 Member States not conform), Art. 22 (1 Member State not conform), Art. 23(2) (1 Member State not conform).');
  });

  it('breaks the page before each Member State and repeats table headers in print', () => {
    expect(html.match(/<section class="ms"/g)).toHaveLength(3);
    expect(html).toMatch(/@media print \{[\s\S]*\.ms \{ break-before: page; \}/);
    expect(html).toMatch(/@media print \{[\s\S]*thead \{ display: table-header-group; \}/);
  });

  it('lists grounds with requirement, finding, national provision, assessment reason and EUR-Lex link', () => {
    const de = html.slice(html.indexOf('id="ms-DE"'), html.indexOf('id="ms-MT"'));
    expect(de).toContain('DE: provisions not conform on 2024-06-30 (22)');
    expect(de).toMatch(/<tr id="g-DE-5_6_">[\s\S]*?lowest maximum below the Directive&#39;s: CC s\. 132 \(figure recorded for the provision\): 2 years, below the 3 years required/);
    expect(de).toContain('href="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32011L0093#art_5">Art. 5 on EUR-Lex</a>');
    expect(de).toMatch(/Reason: /);
  });

  it('shows the procedure follow-up and the timeline chart as inline SVG', () => {
    const inputs = raw({ 'at.yaml': PROCEDURE });
    const model = buildReview({
      result: checkInputs(inputs, ruleset),
      ruleset,
      timeline: ['2014-01-01', '2024-01-01'].map((date) => ({ date, result: checkInputs(inputs, ruleset, { evaluationDate: date }) })),
    });
    const out = renderReviewHtml(model);
    expect(out).toContain(
      'Latest step: Letter of formal notice of 2019-07-25 (INFR(2019)0001). Of its 3 grounds shown, 1 is still open and 1 is now conform on 2024-06-30; for 1 the information is missing (not assessed or incomplete), so whether it is open cannot be said.',
    );
    expect(out).toMatch(/Art\. 23\(1\)<\/th><td class="o-nas">.*information missing/);
    expect(out).toMatch(/Art\. 19\(3\)<\/a><\/th><td class="o-nt">.*still open/);
    expect(out).toMatch(/Art\. 3\(4\)<\/th><td class="o-c">.*now conform/);
    expect(out).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]* role="img" aria-labelledby="tl-AT-chart-title tl-AT-chart-desc">/);
    expect(out).toContain('<h2 id="timeline">Timeline</h2>');
    expect(out).not.toMatch(/<script/i);
  });
});

describe('HTML escaping of hostile measure files (fixtures/hostile/lu.yaml)', () => {
  it('escapes markup from measure files: no element is created from it', () => {
    expect(hostile).not.toMatch(/<script/i);
    expect(hostile).not.toMatch(/<img/i);
    expect(hostile).not.toMatch(/<b>|<!--/);
    expect(hostile).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile).toContain('art. 1 &lt;b&gt;bold&lt;/b&gt; ]]&gt;&lt;!-- %0A --&gt;');
    expect(hostile).toContain('=HYPERLINK(&quot;http://example.invalid&quot;,&quot;x&quot;)');
  });

  it('makes control characters visible and never links a javascript: URL', () => {
    expect(hostile).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
    expect(hostile).toContain('\\x1b]8;;http://evil.invalid\\x07link');
    expect(hostile).not.toMatch(/href="javascript/i);
    expect(hostile).not.toMatch(/href="http:\/\/evil/i);
  });

  it('escapes & < > " \' and rejects non-http(s) URLs', () => {
    expect(esc(`<a href="x" onclick='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    for (const url of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'data:text/html,<script>', 'vbscript:x', '//evil.example/', '/relative', 'file:///etc/passwd', '']) {
      expect(safeHref(url)).toBeUndefined();
    }
    expect(safeHref('https://example.eu/a?b="c"&d=<e>')).toBe('https://example.eu/a?b=%22c%22&amp;d=%3Ce%3E');
  });

  it('puts a rule link in href only when it is http(s)', () => {
    const model = buildReview({ result: checkInputs(hostileInputs, ruleset), ruleset });
    model.provisionByKey.get('3(4)')!.url = 'javascript:alert(document.domain)';
    model.provisionByKey.get('9(c)')!.url = 'https://example.eu/x"onmouseover="alert(1)';
    const out = renderReviewHtml(model);
    expect(out).not.toContain('javascript:alert(document.domain)');
    expect(out).toContain('Art. 3 on EUR-Lex');
    expect(out).not.toMatch(/"onmouseover=/);
    expect(out).toContain('href="https://example.eu/x%22onmouseover=%22alert(1)"');
  });
});
