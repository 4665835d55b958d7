import type { OutcomeCounts } from '../evaluate/result.js';
import { OUTCOMES, type Diagnostic, type Outcome } from '../types.js';
import {
  derivedWords,
  NOT_CONFORM,
  NOT_CONFORM_LEGEND,
  INFORMATION_MISSING_LEGEND,
  notBoundLine,
  followUpSentence,
  informationMissingPhrase,
  timelineCell,
  realProcedureLine,
  stepSource,
  OUTCOME_CODES,
  OUTCOME_LABELS,
  STAGE_LABELS,
  assessmentStanding,
  provisionLabel,
  type AreaSummary,
  type Ground,
  type GroundRule,
  type ProcedureFollowUp,
  type ReviewMemberState,
  type ReviewModel,
  type TimelinePoint,
  selectionWords,
} from './build-review.js';
import { esc, html, join, trusted, type SafeHtml } from './html-template.js';

export { esc };

/**
 * The review as ONE self-contained HTML file: inline CSS, no script, nothing fetched. A
 * Content-Security-Policy forbids scripts and remote loads outright, as a second line of defence.
 *
 * Measure files are untrusted: all markup is built with the `html` template, which escapes every
 * interpolated value (& < > " ' and control characters) unless it is markup `html` made itself; a URL
 * becomes an href only when it is http(s).
 */

/** Cell colours, chosen for contrast ≥ 4.5:1 between text and background; the letter code always goes with them. */
const COLOURS: Record<Outcome, { bg: string; fg: string }> = {
  conform: { bg: '#cdeccf', fg: '#0b3d12' },
  'partially-conform': { bg: '#fde7a6', fg: '#4d3500' },
  'not-conform': { bg: '#f7c5c5', fg: '#6b0a0a' },
  'not-transposed': { bg: '#8f1414', fg: '#ffffff' },
  incomplete: { bg: '#d5dcf2', fg: '#1b2753' },
  'not-assessed': { bg: '#ffffff', fg: '#3d3d3d' },
  'not-applicable': { bg: '#ebebeb', fg: '#3d3d3d' },
};

const CSS_CLASS: Record<Outcome, string> = {
  conform: 'o-c',
  'partially-conform': 'o-pc',
  'not-conform': 'o-nc',
  'not-transposed': 'o-nt',
  incomplete: 'o-i',
  'not-assessed': 'o-nas',
  'not-applicable': 'o-na',
};


/** The normalised URL when it is http(s), else undefined (javascript:, data:, relative … are never linked). */
function httpUrl(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url.trim())) return undefined;
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return parsed.href;
  } catch {
    return undefined;
  }
}

/** An escaped href for an http(s) URL, else undefined. */
export function safeHref(url: string | undefined): string | undefined {
  const href = httpUrl(url);
  return href === undefined ? undefined : esc(href);
}

function link(url: string | undefined, text: string): SafeHtml {
  const href = httpUrl(url);
  return href ? html`<a href="${href}">${text}</a>` : html`${text}`;
}

/** A readable id fragment from trusted-looking text; anything else becomes `_`. */
function anchor(prefix: string, text: string): string {
  return `${prefix}-${text.replace(/[^A-Za-z0-9-]/g, '_')}`;
}

function code(outcome: Outcome, title = OUTCOME_LABELS[outcome]): SafeHtml {
  return html`<abbr title="${title}">${OUTCOME_CODES[outcome]}</abbr>`;
}

function outcomeBadge(outcome: Outcome): SafeHtml {
  return html`<span class="badge ${CSS_CLASS[outcome]}">${code(outcome)}</span> ${OUTCOME_LABELS[outcome]}`;
}

function msAbbr(state: { code: string; name: string }): SafeHtml {
  return state.name === state.code ? html`${state.code}` : html`<abbr title="${state.name}">${state.code}</abbr>`;
}

function countsLine(counts: OutcomeCounts): SafeHtml {
  return join(
    OUTCOMES.map((o) => html`${counts[o]}&nbsp;${code(o)}`),
    ', ',
  );
}

/** Trusted: built only from the constants above. */
const CSS = trusted(`
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 78rem; padding: 1.5rem 1.25rem 3rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #1a1a1a; background: #ffffff; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: .2rem 0 .4rem; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid #23395d; color: #14213d; }
h3 { font-size: 1.15rem; margin: 1.6rem 0 .4rem; color: #14213d; }
h4 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
a { color: #0a4a9e; }
a:focus-visible, [tabindex]:focus-visible { outline: 3px solid #0a4a9e; outline-offset: 2px; }
abbr[title] { text-decoration: none; cursor: help; }
p { margin: .4rem 0; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .8rem; color: #4a4a4a; margin: 0; }
.subtitle { color: #333333; max-width: 60rem; }
.cover { border-bottom: 3px solid #23395d; padding-bottom: 1rem; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .8rem 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.disclaimer { border-left: 4px solid #8a6d00; background: #fff8e1; padding: .5rem .8rem; max-width: 60rem; }
.muted { color: #4a4a4a; }
.small { font-size: .85em; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: .6rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; caption-side: top; }
th, td { border: 1px solid #b5b5b5; padding: .25rem .45rem; vertical-align: top; text-align: left; }
thead th { background: #e8ecf3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; max-width: 100%; }
.matrix { font-size: .8rem; }
.matrix th, .matrix td { padding: .1rem .25rem; }
.matrix thead th { text-align: center; white-space: nowrap; }
.matrix th[scope="row"] { white-space: nowrap; position: sticky; left: 0; background: #ffffff; font-weight: 600; }
.matrix td.o { text-align: center; font-weight: 700; min-width: 2.1rem; }
.matrix tr.topic th { background: #23395d; color: #ffffff; text-align: left; position: static; font-size: .85rem; }
.matrix td.total { white-space: nowrap; }
.matrix td.nb { background: repeating-linear-gradient(45deg, #f3f3f3, #f3f3f3 4px, #ffffff 4px, #ffffff 8px); }
.matrix tfoot th, .matrix tfoot td { background: #f3f3f3; }
.o-c { background: ${COLOURS.conform.bg}; color: ${COLOURS.conform.fg}; }
.o-pc { background: ${COLOURS['partially-conform'].bg}; color: ${COLOURS['partially-conform'].fg}; }
.o-nc { background: ${COLOURS['not-conform'].bg}; color: ${COLOURS['not-conform'].fg}; }
.o-nt { background: ${COLOURS['not-transposed'].bg}; color: ${COLOURS['not-transposed'].fg}; }
.o-i { background: ${COLOURS.incomplete.bg}; color: ${COLOURS.incomplete.fg}; }
.o-nas { background: ${COLOURS['not-assessed'].bg}; color: ${COLOURS['not-assessed'].fg}; }
.o-na { background: ${COLOURS['not-applicable'].bg}; color: ${COLOURS['not-applicable'].fg}; }
.badge { display: inline-block; min-width: 2.1rem; text-align: center; font-weight: 700; border-radius: 3px; padding: 0 .25rem; }
ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: .3rem 1.2rem; margin: .4rem 0; }
.priority { display: inline-block; font-size: .75rem; font-weight: 600; color: #ffffff; background: #5b2a86; border-radius: 3px; padding: 0 .35rem; vertical-align: middle; }
.matrix tr.topic .priority { background: #ffffff; color: #5b2a86; }
.area { border-left: 4px solid #5b2a86; padding: .1rem .8rem; margin: .8rem 0; background: #faf7fd; }
.grounds { width: 100%; }
.grounds td p, .grounds th p { margin: 0 0 .25rem; }
.grounds ul { margin: 0; padding-left: 1.1rem; }
.status-open { font-weight: 700; color: #6b0a0a; }
.status-closed { font-weight: 700; color: #0b3d12; }
figure { margin: .6rem 0 1rem; }
figcaption { font-size: .85rem; color: #4a4a4a; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
nav.toc ol { columns: 2 16rem; margin: .3rem 0; }
footer { margin-top: 3rem; border-top: 1px solid #b5b5b5; padding-top: .6rem; font-size: .85rem; color: #333333; }
@page { size: A4; margin: 14mm 12mm; }
@page matrix { size: A4 landscape; margin: 10mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; }
  nav.toc { break-after: page; }
  .matrix-section { page: matrix; }
  .matrix { font-size: 7pt; }
  .matrix tr.topic th { font-size: 7.5pt; }
  .scroll { overflow: visible; }
  .matrix th[scope="row"] { position: static; }
  .ms { break-before: page; }
  thead { display: table-header-group; }
  tfoot { display: table-row-group; }
  tr, .area, figure { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
}
`);

// ---------------------------------------------------------------------------------------------

function cover(model: ReviewModel): SafeHtml {
  const { ruleset, filter } = model;
  const selection = selectionWords(filter);
  const states = join(
    model.memberStates.map((s) => msAbbr(s)),
    ', ',
  );
  return html`<header class="cover">
<p class="kicker">conformity · infringement review</p>
<h1>${model.title}</h1>
<p class="subtitle">${ruleset.title}</p>
<dl class="facts">
<dt>Rule set</dt><dd>${ruleset.id} ${ruleset.version} — Directive ${ruleset.directive}${ruleset.celex ? html` (CELEX ${ruleset.celex})` : ''}</dd>
<dt>Law as of</dt><dd>${model.dateLabel}</dd>
<dt>Member States</dt><dd>${model.memberStates.length}${model.memberStates.length ? html`: ${states}` : ''}</dd>
<dt>Provisions</dt><dd>${model.provisions.length}</dd>
<dt>Selection</dt><dd>${selection.length ? selection.join('; ') : 'every Member State, topic and provision in the input'}</dd>
${model.timeline ? html`<dt>Timeline</dt><dd>${model.timeline.dates.join(', ')}</dd>\n` : ''}</dl>
<p class="disclaimer"><strong>Disclaimer.</strong> ${model.disclaimer}</p>
</header>`;
}

function toc(model: ReviewModel): SafeHtml {
  const items = [
    ['provenance', 'Provenance'],
    ...(model.diagnostics.length ? [['input-errors', 'Input errors']] : []),
    ['overview', 'Overview'],
    ...(model.priorityAreas.length ? [['priorities', 'Priority areas']] : []),
    ...(model.procedureOverview ? [['procedures', 'Infringement procedures']] : []),
    ['matrix', 'EU matrix'],
    ['topics', 'Topics'],
    ...(model.timeline ? [['timeline', 'Timeline']] : []),
    ['member-states', 'Member States'],
  ];
  const states = model.memberStates.map((s) => html`<li><a href="#${anchor('ms', s.code)}">${s.code} — ${s.name}</a></li>`);
  return html`<nav class="toc" aria-labelledby="toc-title">
<h2 id="toc-title">Contents</h2>
<ol>${items.map(([id, title]) => html`<li><a href="#${id!}">${title!}</a></li>`)}</ol>
${states.length ? html`<p class="small muted">Member States:</p><ol>${states}</ol>` : ''}
</nav>`;
}

function provenance(model: ReviewModel): SafeHtml {
  const rows = join(
    model.inputs.map((i) => html`<tr><td class="mono">${i.name}</td><td class="mono">${i.sha256 || 'not read'}</td></tr>`),
    '\n',
  );
  return html`<section aria-labelledby="provenance">
<h2 id="provenance">Provenance</h2>
<dl class="facts">
<dt>Tool</dt><dd>${model.tool.name} ${model.tool.version}</dd>
<dt>Rule set</dt><dd>${model.ruleset.id} ${model.ruleset.version}</dd>
<dt>Rule-set SHA-256</dt><dd class="mono">${model.ruleset.hash}</dd>
<dt>Evaluation date</dt><dd>${model.evaluationDate ? `--as-of ${model.evaluationDate}` : html`each measure set's own as_of`}</dd>
</dl>
<table>
<caption>Input files (${model.inputs.length}) and their SHA-256</caption>
<thead><tr><th scope="col">File</th><th scope="col">SHA-256</th></tr></thead>
<tbody>
${model.inputs.length ? rows : html`<tr><td colspan="2">none</td></tr>`}
</tbody>
</table>
</section>`;
}

function inputErrors(diagnostics: readonly Diagnostic[]): SafeHtml | undefined {
  if (diagnostics.length === 0) return undefined;
  const rows = join(
    diagnostics.map((d) => html`<tr><td class="mono">${d.file}:${d.line}:${d.column}</td><td>${d.code}</td><td>${d.message}</td></tr>`),
    '\n',
  );
  return html`<section aria-labelledby="input-errors">
<h2 id="input-errors">Input errors</h2>
<p>A Member State with an input error is not evaluated and does not appear in this report.</p>
<table>
<caption>Input errors (${diagnostics.length})</caption>
<thead><tr><th scope="col">Location</th><th scope="col">Code</th><th scope="col">Message</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</section>`;
}

function overview(model: ReviewModel): SafeHtml {
  const head = OUTCOMES.map((o) => html`<th scope="col" class="num">${code(o)}</th>`);
  const rows = join(
    model.memberStates.map((s) =>
      s.notBound !== undefined
        ? html`<tr><th scope="row"><a href="#${anchor('ms', s.code)}">${msAbbr(s)}</a></th><td>${s.evaluatedAt}</td><td colspan="${OUTCOMES.length + 3}">${notBoundLine(s)}</td></tr>`
        : html`<tr><th scope="row"><a href="#${anchor('ms', s.code)}">${msAbbr(s)}</a></th><td>${s.evaluatedAt}</td>${OUTCOMES.map((o) => html`<td class="num">${s.counts[o]}</td>`)}<td class="num"><strong>${s.notConform}</strong></td><td class="num">${s.informationMissing}</td><td class="num">${s.assessments.applied}</td></tr>`,
    ),
    '\n',
  );
  const euNotConform = model.memberStates.reduce((n, s) => n + s.notConform, 0);
  const euMissing = model.memberStates.reduce((n, s) => n + s.informationMissing, 0);
  const euAssessed = model.memberStates.reduce((n, s) => n + s.assessments.applied, 0);
  const foot = html`<tr><th scope="row">All</th><td></td>${OUTCOMES.map((o) => html`<td class="num">${model.totals[o]}</td>`)}<td class="num"><strong>${euNotConform}</strong></td><td class="num">${euMissing}</td><td class="num">${euAssessed}</td></tr>`;
  const frequent = join(
    model.mostFrequentGrounds.map((g) => {
      const p = model.provisionByKey.get(g.provision);
      return html`<li><strong>${provisionLabel(g.provision)}</strong>${p ? html` (${p.articleTitle})` : ''}: ${g.notConform} Member State${g.notConform === 1 ? '' : 's'} not conform — ${g.memberStates.join(', ')}</li>`;
    }),
    '\n',
  );
  return html`<section aria-labelledby="overview">
<h2 id="overview">Overview</h2>
<div class="scroll" role="region" aria-labelledby="totals-caption" tabindex="0">
<table>
<caption id="totals-caption">Outcomes per Member State (provisions per outcome)</caption>
<thead><tr><th scope="col">Member State</th><th scope="col">Law as of</th>${head}<th scope="col" class="num">Not conform</th><th scope="col" class="num">Information missing</th><th scope="col" class="num">Assessed</th></tr></thead>
<tbody>
${model.memberStates.length ? rows : html`<tr><td colspan="${OUTCOMES.length + 5}">No Member State evaluated.</td></tr>`}
</tbody>
<tfoot>${foot}</tfoot>
</table>
</div>
<p class="small">${NOT_CONFORM_LEGEND} ${INFORMATION_MISSING_LEGEND} “Assessed”: provisions whose outcome an analyst's recorded assessment decides.</p>
<h3 id="frequent-grounds">Most frequent grounds</h3>
${model.mostFrequentGrounds.length ? html`<ol>\n${frequent}\n</ol>` : html`<p>No provision is not conform in any Member State selected.</p>`}
</section>`;
}

function areaBlock(area: AreaSummary, prefix: 'priority' | 'topic', extra: SafeHtml | '' = '', intro: SafeHtml | '' = ''): SafeHtml {
  return html`<div class="area" id="${anchor(prefix, area.id)}">
<h3>${area.title} <span class="muted">(${area.articles})</span>${extra}</h3>
${intro}${join(
    area.sentences.map((s) => html`<p>${s}</p>`),
    '\n',
  )}
</div>`;
}

function priorities(model: ReviewModel): SafeHtml | undefined {
  if (model.priorityAreas.length === 0) return undefined;
  const sources = [...new Set(model.priorityAreas.map((a) => a.area.source))];
  return html`<section aria-labelledby="priorities">
<h2 id="priorities">Priority areas</h2>
<p>The areas the rule set names as priorities (${sources.join(', ')}).</p>
${join(
  model.priorityAreas.map((a) => areaBlock(a, 'priority', '', html`<p>${a.area.description} <span class="small muted">Source: ${a.area.source}.</span></p>`)),
  '\n',
)}
</section>`;
}

function procedureOverviewSection(model: ReviewModel): SafeHtml | undefined {
  const overview = model.procedureOverview;
  if (!overview) return undefined;
  return html`<section aria-labelledby="procedures">
<h2 id="procedures">Infringement procedures</h2>
${join(
  overview.sentences.map((s) => html`<p>${s}</p>`),
  '\n',
)}
</section>`;
}

function legend(): SafeHtml {
  const items = OUTCOMES.map((o) => html`<li><span class="badge ${CSS_CLASS[o]}">${OUTCOME_CODES[o]}</span> ${OUTCOME_LABELS[o]}</li>`);
  return html`<ul class="legend" aria-label="Legend">${items}<li><span class="badge o-na">*</span> outcome decided by an analyst's assessment</li></ul>
<p class="small">${NOT_CONFORM_LEGEND}</p>`;
}

function priorityBadge(group: string | undefined): SafeHtml | '' {
  return group ? html` <span class="priority">Priority area</span>` : '';
}

function matrixCell(state: ReviewMemberState, key: string, derivedFrom?: readonly string[]): SafeHtml {
  if (state.notBound !== undefined) return html`<td class="o nb"></td>`;
  const outcome = state.outcomes.get(key);
  if (!outcome) return html`<td class="o">—</td>`;
  const computed = state.assessedOutcome.get(key);
  const derived = derivedFrom ? derivedWords(derivedFrom) : undefined;
  const title = `${state.code} ${provisionLabel(key)}: ${OUTCOME_LABELS[outcome]}${derived ? ` (${derived})` : ''}${computed ? ` (analyst's assessment; computed: ${OUTCOME_LABELS[computed]})` : ''}`;
  return html`<td class="o ${CSS_CLASS[outcome]}"><abbr title="${title}">${OUTCOME_CODES[outcome]}${computed ? '*' : ''}</abbr></td>`;
}

function matrix(model: ReviewModel): SafeHtml {
  const states = model.memberStates;
  const width = states.length + 2;
  const head = html`<tr><th scope="col">Provision</th>${states.map((s) => html`<th scope="col">${s.notBound !== undefined ? html`<abbr title="${notBoundLine(s)}">${s.code}</abbr><br><span class="small">not bound</span>` : msAbbr(s)}</th>`)}<th scope="col">Not conform</th></tr>`;
  const bodies = join(
    model.topics.map((topic) => {
      const rows = topic.provisions.map((key) => {
        const p = model.provisionByKey.get(key)!;
        const total = model.provisionTotals.get(key)!;
        const breakdown = NOT_CONFORM.filter((o) => total.counts[o]).map((o) => html`${OUTCOME_CODES[o]}&nbsp;${total.counts[o]}`);
        return html`<tr><th scope="row"><abbr title="${`${provisionLabel(key)} — ${p.articleTitle}${p.modality === 'may' ? ' (optional)' : ''}`}">${key}</abbr></th>${states.map((s) => matrixCell(s, key, p.derivedFrom))}${
          p.derivedFrom
            ? html`<td class="total small">${derivedWords(p.derivedFrom)}</td></tr>`
            : html`<td class="total"><strong>${total.notConform}</strong>${breakdown.length ? html` <span class="small">(${join(breakdown, ', ')})</span>` : ''}</td></tr>`
        }`;
      });
      return html`<tbody id="${anchor('matrix', topic.id)}">
<tr class="topic"><th scope="rowgroup" colspan="${width}">${topic.title} (${topic.articles})${priorityBadge(topic.group)}</th></tr>
${join(rows, '\n')}
</tbody>`;
    }),
    '\n',
  );
  const foot = join(
    OUTCOMES.map(
      (o) => html`<tr><th scope="row">${code(o)}</th>${states.map((s) => html`<td class="num">${s.notBound !== undefined ? '' : s.counts[o]}</td>`)}<td class="num">${model.totals[o]}</td></tr>`,
    ),
    '\n',
  );
  const notConformRow = html`<tr><th scope="row">Not conform</th>${states.map((s) => html`<td class="num"><strong>${s.notBound !== undefined ? '' : s.notConform}</strong></td>`)}<td class="num"><strong>${NOT_CONFORM.reduce((n, o) => n + model.totals[o], 0)}</strong></td></tr>`;
  return html`<section class="matrix-section" aria-labelledby="matrix">
<h2 id="matrix">EU matrix</h2>
<p>Rows: the provisions, by topic in Directive order. Columns: the Member States; a Member State the Directive does not bind on the date has a “not bound” column without outcomes. The last column counts the Member States not conform on each provision; the last rows count each Member State's provisions per outcome.</p>
${legend()}
<div class="scroll" role="region" aria-labelledby="matrix-caption" tabindex="0">
<table class="matrix">
<caption id="matrix-caption">Outcome per provision and Member State, law as of ${model.dateLabel}</caption>
<thead>${head}</thead>
${model.topics.length ? bodies : html`<tbody><tr><td colspan="${width}">No provision selected.</td></tr></tbody>`}
<tfoot>
${notConformRow}
${foot}
</tfoot>
</table>
</div>
</section>`;
}

function topicsSection(model: ReviewModel): SafeHtml {
  const groupTitle = new Map<string, string>(model.priorityAreas.map((a) => [a.id, a.title]));
  return html`<section aria-labelledby="topics">
<h2 id="topics">Topics</h2>
${join(
  model.topicSummaries.map((t) => areaBlock(t, 'topic', t.group ? html`${priorityBadge(t.group)}<span class="small muted"> ${groupTitle.get(t.group) ?? ''}</span>` : '')),
  '\n',
)}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Timeline: a table and a stacked-bar SVG per date (no script).

function stackedBars(id: string, title: string, rows: { label: string; counts: OutcomeCounts }[]): SafeHtml {
  const labelWidth = 92;
  const barWidth = 560;
  const barHeight = 20;
  const gap = 8;
  const height = rows.length * (barHeight + gap) + gap;
  const width = labelWidth + barWidth + 10;
  const bars = rows.map((row, i) => {
    const total = OUTCOMES.reduce((n, o) => n + row.counts[o], 0) || 1;
    const y = gap + i * (barHeight + gap);
    let x = labelWidth;
    const segments = OUTCOMES.filter((o) => row.counts[o] > 0).map((o) => {
      const w = (row.counts[o] / total) * barWidth;
      const text = w >= 34 ? `${OUTCOME_CODES[o]} ${row.counts[o]}` : w >= 16 ? String(row.counts[o]) : '';
      const segment = html`<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${COLOURS[o].bg}" stroke="#ffffff" stroke-width="0.5"><title>${`${row.label}: ${row.counts[o]} ${OUTCOME_LABELS[o]}`}</title></rect>${
        text ? html`<text x="${(x + w / 2).toFixed(1)}" y="${y + 14}" text-anchor="middle" fill="${COLOURS[o].fg}">${text}</text>` : ''
      }`;
      x += w;
      return segment;
    });
    return html`<text x="0" y="${y + 14}" fill="#1a1a1a">${row.label}</text>${segments}`;
  });
  const description = `Stacked bars, one per date, of provisions per outcome: ${rows.map((r) => `${r.label}: ${OUTCOMES.map((o) => `${r.counts[o]} ${OUTCOME_CODES[o]}`).join(', ')}`).join('; ')}.`;
  return html`<figure>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">
<title id="${id}-title">${title}</title>
<desc id="${id}-desc">${description}</desc>
${join(bars, '\n')}
</svg>
<figcaption>${title}; the table gives the same figures.</figcaption>
</figure>`;
}

function change(points: readonly TimelinePoint[], i: number): string {
  if (i === 0) return '—';
  const delta = points[i]!.notConform - points[i - 1]!.notConform;
  return delta === 0 ? '0' : delta > 0 ? `+${delta}` : `−${-delta}`;
}

function memberStateTimeline(state: ReviewMemberState): SafeHtml | '' {
  const points = state.timeline;
  if (!points?.length) return '';
  const id = anchor('tl', state.code);
  const rows = points.map(
    (p, i) =>
      html`<tr><th scope="row">${p.date}</th><td>${p.version}</td>${OUTCOMES.map((o) => html`<td class="num">${p.counts[o]}</td>`)}<td class="num"><strong>${p.notConform}</strong></td><td class="num">${change(points, i)}</td></tr>`,
  );
  const notes = points.flatMap((p) => [...(p.notBound !== undefined ? [`${p.notBound}`] : []), ...p.notices].map((n) => `${p.date}: ${n}`));
  return html`<h4 id="${id}">Timeline</h4>
${noticesBlock(notes)}<table>
<caption>${state.code}: provisions per outcome on each date</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Measures as of</th>${OUTCOMES.map((o) => html`<th scope="col" class="num">${code(o)}</th>`)}<th scope="col" class="num">Not conform</th><th scope="col" class="num">Change</th></tr></thead>
<tbody>
${join(rows, '\n')}
</tbody>
</table>
${stackedBars(
  `${id}-chart`,
  `${state.code}: provisions per outcome by date`,
  points.map((p) => ({ label: p.date, counts: p.counts })),
)}`;
}

function timelineSection(model: ReviewModel): SafeHtml | undefined {
  const timeline = model.timeline;
  if (!timeline) return undefined;
  const head = timeline.dates.map((d) => html`<th scope="col" class="num">${d}</th>`);
  const rows = model.memberStates.map((s) => {
    const byDate = new Map((s.timeline ?? []).map((p) => [p.date, p]));
    return html`<tr><th scope="row"><a href="#${anchor('tl', s.code)}">${msAbbr(s)}</a></th>${timeline.dates.map((d) => html`<td class="num">${timelineCell(byDate.get(d))}</td>`)}</tr>`;
  });
  const eu = html`<tr><th scope="row">All</th>${timeline.eu.map((c) => html`<td class="num"><strong>${NOT_CONFORM.reduce((n, o) => n + c[o], 0)}</strong></td>`)}</tr>`;
  return html`<section aria-labelledby="timeline">
<h2 id="timeline">Timeline</h2>
<p>Each date evaluates the law as it stood that day (as with <code>--as-of</code>), using for each Member State its latest measures dated on or before it.</p>
<table>
<caption>Provisions not conform per Member State on each date</caption>
<thead><tr><th scope="col">Member State</th>${head}</tr></thead>
<tbody>
${join(rows, '\n')}
</tbody>
<tfoot>${eu}</tfoot>
</table>
${stackedBars(
  'tl-eu-chart',
  'All Member States selected: provision outcomes by date',
  timeline.dates.map((d, i) => ({ label: d, counts: timeline.eu[i]! })),
)}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Per Member State.

function assessmentText(rule: GroundRule): SafeHtml | undefined {
  const a = rule.assessment;
  if (!a) return undefined;
  const state = assessmentStanding(a);
  const who = [a.by, a.date].filter(Boolean).join(', ');
  return html`<p>${outcomeBadge(a.outcome)} — <em>${state}</em>${who ? ` (${who})` : ''}</p><p>Reason: ${a.reason}</p><p class="small muted mono">${`${a.at.file}:${a.at.line}`}</p>`;
}

function groundRow(model: ReviewModel, state: ReviewMemberState, ground: Ground, withId: boolean): SafeHtml {
  const p = model.provisionByKey.get(ground.provision)!;
  const computed = ground.rules.find((r) => r.assessment?.state === 'applied');
  const outcome = html`${outcomeBadge(ground.outcome)}${computed ? html`<p class="small">by assessment; computed: ${code(computed.computedOutcome)} ${OUTCOME_LABELS[computed.computedOutcome]}</p>` : ''}`;
  const requirement = ground.rules.map((r, i) => {
    const text = p.requirements[ground.rules.length === p.requirements.length ? i : 0] ?? p.requirements[0] ?? '';
    return html`<p>${text}</p><p><strong>Finding:</strong> ${r.message} <span class="small muted mono">${`${r.at.file}:${r.at.line}`}</span></p>`;
  });
  const national = [...new Set(ground.rules.flatMap((r) => r.national))];
  const assessments = ground.rules.map(assessmentText).filter((a) => a !== undefined);
  return html`<tr${withId ? html` id="${anchor(`g-${state.code}`, ground.provision)}"` : ''}><th scope="row"><p>${provisionLabel(p.key)}</p><p class="small">${p.articleTitle}${p.modality === 'may' ? ' (optional)' : ''}</p><p class="small">${link(p.url, `Art. ${p.article} on EUR-Lex`)}</p></th>
<td>${outcome}</td>
<td>${requirement}</td>
<td>${national.length ? html`<ul>${national.map((n) => html`<li>${n}</li>`)}</ul>` : html`<span class="muted">none in force</span>`}</td>
<td>${assessments.length ? assessments : html`<span class="muted">none</span>`}</td></tr>`;
}

function groundsTable(model: ReviewModel, state: ReviewMemberState, grounds: Ground[], caption: string, withIds: boolean): SafeHtml {
  return html`<div class="scroll" role="region" aria-label="${caption}" tabindex="0">
<table class="grounds">
<caption>${caption}</caption>
<thead><tr><th scope="col">Provision</th><th scope="col">Outcome</th><th scope="col">Requirement and finding</th><th scope="col">National provisions</th><th scope="col">Analyst assessment</th></tr></thead>
<tbody>
${join(
  grounds.map((g) => groundRow(model, state, g, withIds)),
  '\n',
)}
</tbody>
</table>
</div>`;
}

function followUpBlock(state: ReviewMemberState, followUp: ProcedureFollowUp): SafeHtml {
  const step = followUp.step;
  const label = `${STAGE_LABELS[step.stage]} of ${step.date}${step.reference ? ` (${step.reference})` : ''}`;
  const intro = followUpSentence(state, followUp, label);
  const row = (g: { provision: string; outcome: Outcome }, status: string, cls: string) =>
    html`<tr><th scope="row">${cls === 'status-open' ? html`<a href="#${anchor(`g-${state.code}`, g.provision)}">${provisionLabel(g.provision)}</a>` : provisionLabel(g.provision)}</th><td class="${CSS_CLASS[g.outcome]}">${code(g.outcome)} ${OUTCOME_LABELS[g.outcome]}</td><td class="${cls}">${status}</td></tr>`;
  const rows = [
    ...followUp.open.map((g) => row(g, 'still open', 'status-open')),
    ...followUp.conform.map((g) => row(g, 'now conform', 'status-closed')),
    ...followUp.informationMissing.map((g) => row(g, 'information missing', '')),
    ...followUp.notApplicable.map((g) => row(g, 'not applicable', '')),
  ];
  return html`<p>${intro}</p>
${
  rows.length
    ? html`<table>
<caption>${`Grounds of the ${label}, on ${state.evaluatedAt}`}</caption>
<thead><tr><th scope="col">Ground</th><th scope="col">Outcome on ${state.evaluatedAt}</th><th scope="col">Status</th></tr></thead>
<tbody>
${join(rows, '\n')}
</tbody>
</table>`
    : ''
}`;
}

function procedureBlock(state: ReviewMemberState): SafeHtml | '' {
  if (state.procedure.length === 0) return '';
  const rows = state.procedure.map(
    (s) =>
      html`<tr><td>${s.date}</td><td>${STAGE_LABELS[s.stage]}${s.afterEvaluation ? html` <span class="small muted">(after the evaluation date)</span>` : ''}</td><td>${s.reference ?? '—'}</td><td>${s.grounds.length ? s.grounds.join(', ') : '—'}</td><td>${stepSource(s)}</td></tr>`,
  );
  const real = state.realProcedures.map((p) => html`<p>${realProcedureLine(state, p)}</p>`);
  return html`<h4 id="${anchor('proc', state.code)}">Infringement procedure</h4>
${join(real, '\n')}
<table>
<caption>${state.code}: procedure steps</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Step</th><th scope="col">Reference</th><th scope="col">Grounds</th><th scope="col">Known from</th></tr></thead>
<tbody>
${join(rows, '\n')}
</tbody>
</table>
${state.followUp ? followUpBlock(state, state.followUp) : html`<p>No step dated on or before the evaluation date names grounds.</p>`}`;
}

function noticesBlock(notices: readonly string[]): SafeHtml | '' {
  return notices.length ? html`<ul class="notices">${notices.map((n) => html`<li><strong>Note:</strong> ${n}</li>`)}</ul>\n` : '';
}

function memberStateSection(model: ReviewModel, state: ReviewMemberState): SafeHtml {
  const id = anchor('ms', state.code);
  const files = join(
    state.files.map((f) => html`<span class="mono">${f}</span>`),
    ', ',
  );
  if (state.notBound !== undefined) {
    return html`<section class="ms" aria-labelledby="${id}">
<h3 id="${id}">${state.code} — ${state.name}</h3>
<p><strong>${notBoundLine(state)}</strong> (law as of ${state.evaluatedAt}; files: ${files}).</p>
${noticesBlock(state.notices)}${procedureBlock(state)}
${memberStateTimeline(state)}
</section>`;
  }
  const assessed = state.assessments;
  const assessedLine = assessed.applied + assessed.unnecessary + assessed['review-due'] + assessed['out-of-date'];
  return html`<section class="ms" aria-labelledby="${id}">
<h3 id="${id}">${state.code} — ${state.name}</h3>
<dl class="facts">
<dt>Law as of</dt><dd>${state.evaluatedAt}${state.evaluatedAt !== state.declaredAsOf ? html` (measures described as of ${state.declaredAsOf})` : ''}</dd>
<dt>Files</dt><dd>${files}</dd>
${state.otherVersions.length ? html`<dt>Other versions</dt><dd>${state.otherVersions.join(', ')} (not shown on this date)</dd>\n` : ''}<dt>Outcomes</dt><dd>${countsLine(state.counts)}; <strong>${state.notConform} not conform</strong>; ${informationMissingPhrase(state.counts)}</dd>
${assessedLine ? html`<dt>Assessments</dt><dd>${assessed.applied} applied, ${assessed.unnecessary} unnecessary, ${assessed['review-due']} review due, ${assessed['out-of-date']} out of date</dd>\n` : ''}<dt>Procedure</dt><dd>${state.procedure.length ? `${state.procedure.length} step(s)` : 'none known'}</dd>
</dl>
${noticesBlock(state.notices)}<h4 id="${anchor('grounds', state.code)}">Grounds</h4>
${
  state.grounds.length
    ? groundsTable(model, state, state.grounds, `${state.code}: provisions not conform on ${state.evaluatedAt} (${state.grounds.length})`, true)
    : html`<p>No selected provision is not conform; ${informationMissingPhrase(state.counts)}.</p>`
}
${state.assessed.length ? html`<h4 id="${anchor('assessed', state.code)}">Assessments on other provisions</h4>\n${groundsTable(model, state, state.assessed, `${state.code}: conform or not-applicable provisions an assessment touches`, false)}` : ''}
${procedureBlock(state)}
${memberStateTimeline(state)}
</section>`;
}

/** The review as one self-contained HTML document. */
export function renderReviewHtml(model: ReviewModel): string {
  const sections = [
    provenance(model),
    inputErrors(model.diagnostics),
    overview(model),
    priorities(model),
    procedureOverviewSection(model),
    matrix(model),
    topicsSection(model),
    timelineSection(model),
    html`<section aria-labelledby="member-states">
<h2 id="member-states">Member States</h2>
<p>For each Member State: the grounds (provisions not conform), with the requirement, the finding, the national provisions assessed and any analyst assessment; then the infringement procedure and which of its grounds are still open.</p>
${join(
  model.memberStates.map((s) => memberStateSection(model, s)),
  '\n',
)}
</section>`,
  ].filter((section) => section !== undefined);
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'">
<meta name="generator" content="${`${model.tool.name} ${model.tool.version}`}">
<title>${model.title}</title>
<style>${CSS}</style>
</head>
<body>
${cover(model)}
${toc(model)}
<main>
${join(sections, '\n')}
</main>
<footer>
<p>${model.disclaimer}</p>
<p>${`${model.tool.name} ${model.tool.version} · rules ${model.ruleset.id} ${model.ruleset.version} (sha256 ${model.ruleset.hash}) · law as of ${model.dateLabel}`}</p>
</footer>
</body>
</html>
`.toString();
}
