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
} from './build-review.js';

/**
 * The review as ONE self-contained HTML file: inline CSS, no script, nothing fetched. A
 * Content-Security-Policy forbids scripts and remote loads outright, as a second line of defence.
 *
 * Measure files are untrusted: every piece of text goes through `esc()` (& < > " ' and control
 * characters), and a URL becomes an href only when it is http(s).
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

/** An escaped href for an http(s) URL, else undefined (javascript:, data:, relative … are never linked). */
export function safeHref(url: string | undefined): string | undefined {
  if (!url || !/^https?:\/\//i.test(url.trim())) return undefined;
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;
    return esc(parsed.href);
  } catch {
    return undefined;
  }
}

function link(url: string | undefined, text: string): string {
  const href = safeHref(url);
  return href ? `<a href="${href}">${esc(text)}</a>` : esc(text);
}

/** A readable id fragment from trusted-looking text; anything else becomes `_`. */
function anchor(prefix: string, text: string): string {
  return `${prefix}-${text.replace(/[^A-Za-z0-9-]/g, '_')}`;
}

function code(outcome: Outcome, title = OUTCOME_LABELS[outcome]): string {
  return `<abbr title="${esc(title)}">${OUTCOME_CODES[outcome]}</abbr>`;
}

function outcomeBadge(outcome: Outcome): string {
  return `<span class="badge ${CSS_CLASS[outcome]}">${code(outcome)}</span> ${esc(OUTCOME_LABELS[outcome])}`;
}

function msAbbr(state: { code: string; name: string }): string {
  return state.name === state.code ? esc(state.code) : `<abbr title="${esc(state.name)}">${esc(state.code)}</abbr>`;
}

function countsLine(counts: OutcomeCounts): string {
  return OUTCOMES.map((o) => `${counts[o]}&nbsp;${code(o)}`).join(', ');
}

const CSS = `
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
`;

// ---------------------------------------------------------------------------------------------

function cover(model: ReviewModel): string {
  const { ruleset, filter } = model;
  const selection = [
    filter.memberStates.length ? `Member States ${filter.memberStates.join(', ')}` : '',
    filter.topics.length ? `topics ${filter.topics.join(', ')}` : '',
    filter.provisions.length ? `provisions ${filter.provisions.join(', ')}` : '',
  ].filter(Boolean);
  const states = model.memberStates.map((s) => msAbbr(s)).join(', ');
  return `<header class="cover">
<p class="kicker">conformity · infringement review</p>
<h1>${esc(model.title)}</h1>
<p class="subtitle">${esc(ruleset.title)}</p>
<dl class="facts">
<dt>Rule set</dt><dd>${esc(ruleset.id)} ${esc(ruleset.version)} — Directive ${esc(ruleset.directive)}${ruleset.celex ? ` (CELEX ${esc(ruleset.celex)})` : ''}</dd>
<dt>Law as of</dt><dd>${esc(model.dateLabel)}</dd>
<dt>Member States</dt><dd>${model.memberStates.length}${states ? `: ${states}` : ''}</dd>
<dt>Provisions</dt><dd>${model.provisions.length}</dd>
<dt>Selection</dt><dd>${selection.length ? esc(selection.join('; ')) : 'every Member State, topic and provision in the input'}</dd>
${model.timeline ? `<dt>Timeline</dt><dd>${esc(model.timeline.dates.join(', '))}</dd>\n` : ''}</dl>
<p class="disclaimer"><strong>Disclaimer.</strong> ${esc(model.disclaimer)}</p>
</header>`;
}

function toc(model: ReviewModel): string {
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
  const states = model.memberStates.map((s) => `<li><a href="#${anchor('ms', s.code)}">${esc(s.code)} — ${esc(s.name)}</a></li>`).join('');
  return `<nav class="toc" aria-labelledby="toc-title">
<h2 id="toc-title">Contents</h2>
<ol>${items.map(([id, title]) => `<li><a href="#${id}">${title}</a></li>`).join('')}</ol>
${states ? `<p class="small muted">Member States:</p><ol>${states}</ol>` : ''}
</nav>`;
}

function provenance(model: ReviewModel): string {
  const rows = model.inputs.map((i) => `<tr><td class="mono">${esc(i.name)}</td><td class="mono">${esc(i.sha256 || 'not read')}</td></tr>`).join('\n');
  return `<section aria-labelledby="provenance">
<h2 id="provenance">Provenance</h2>
<dl class="facts">
<dt>Tool</dt><dd>${esc(model.tool.name)} ${esc(model.tool.version)}</dd>
<dt>Rule set</dt><dd>${esc(model.ruleset.id)} ${esc(model.ruleset.version)}</dd>
<dt>Rule-set SHA-256</dt><dd class="mono">${esc(model.ruleset.hash)}</dd>
<dt>Evaluation date</dt><dd>${model.evaluationDate ? `--as-of ${esc(model.evaluationDate)}` : "each measure set's own as_of"}</dd>
</dl>
<table>
<caption>Input files (${model.inputs.length}) and their SHA-256</caption>
<thead><tr><th scope="col">File</th><th scope="col">SHA-256</th></tr></thead>
<tbody>
${rows || '<tr><td colspan="2">none</td></tr>'}
</tbody>
</table>
</section>`;
}

function inputErrors(diagnostics: readonly Diagnostic[]): string {
  if (diagnostics.length === 0) return '';
  const rows = diagnostics
    .map((d) => `<tr><td class="mono">${esc(d.file)}:${d.line}:${d.column}</td><td>${esc(d.code)}</td><td>${esc(d.message)}</td></tr>`)
    .join('\n');
  return `<section aria-labelledby="input-errors">
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

function overview(model: ReviewModel): string {
  const head = OUTCOMES.map((o) => `<th scope="col" class="num">${code(o)}</th>`).join('');
  const rows = model.memberStates
    .map((s) =>
      s.notBound !== undefined
        ? `<tr><th scope="row"><a href="#${anchor('ms', s.code)}">${msAbbr(s)}</a></th><td>${esc(s.evaluatedAt)}</td><td colspan="${OUTCOMES.length + 3}">${esc(notBoundLine(s))}</td></tr>`
        : `<tr><th scope="row"><a href="#${anchor('ms', s.code)}">${msAbbr(s)}</a></th><td>${esc(s.evaluatedAt)}</td>` +
          OUTCOMES.map((o) => `<td class="num">${s.counts[o]}</td>`).join('') +
          `<td class="num"><strong>${s.notConform}</strong></td><td class="num">${s.informationMissing}</td><td class="num">${s.assessments.applied}</td></tr>`,
    )
    .join('\n');
  const euNotConform = model.memberStates.reduce((n, s) => n + s.notConform, 0);
  const euMissing = model.memberStates.reduce((n, s) => n + s.informationMissing, 0);
  const euAssessed = model.memberStates.reduce((n, s) => n + s.assessments.applied, 0);
  const foot = `<tr><th scope="row">All</th><td></td>${OUTCOMES.map((o) => `<td class="num">${model.totals[o]}</td>`).join('')}<td class="num"><strong>${euNotConform}</strong></td><td class="num">${euMissing}</td><td class="num">${euAssessed}</td></tr>`;
  const frequent = model.mostFrequentGrounds
    .map((g) => {
      const p = model.provisionByKey.get(g.provision);
      return `<li><strong>${esc(provisionLabel(g.provision))}</strong>${p ? ` (${esc(p.articleTitle)})` : ''}: ${g.notConform} Member State${g.notConform === 1 ? '' : 's'} not conform — ${esc(g.memberStates.join(', '))}</li>`;
    })
    .join('\n');
  return `<section aria-labelledby="overview">
<h2 id="overview">Overview</h2>
<div class="scroll" role="region" aria-labelledby="totals-caption" tabindex="0">
<table>
<caption id="totals-caption">Outcomes per Member State (provisions per outcome)</caption>
<thead><tr><th scope="col">Member State</th><th scope="col">Law as of</th>${head}<th scope="col" class="num">Not conform</th><th scope="col" class="num">Information missing</th><th scope="col" class="num">Assessed</th></tr></thead>
<tbody>
${rows || `<tr><td colspan="${OUTCOMES.length + 5}">No Member State evaluated.</td></tr>`}
</tbody>
<tfoot>${foot}</tfoot>
</table>
</div>
<p class="small">${esc(NOT_CONFORM_LEGEND)} ${esc(INFORMATION_MISSING_LEGEND)} “Assessed”: provisions whose outcome an analyst's recorded assessment decides.</p>
<h3 id="frequent-grounds">Most frequent grounds</h3>
${frequent ? `<ol>\n${frequent}\n</ol>` : '<p>No provision is not conform in any Member State selected.</p>'}
</section>`;
}

function areaBlock(area: AreaSummary, prefix: 'priority' | 'topic', extra = '', intro = ''): string {
  return `<div class="area" id="${anchor(prefix, area.id)}">
<h3>${esc(area.title)} <span class="muted">(${esc(area.articles)})</span>${extra}</h3>
${intro}${area.sentences.map((s) => `<p>${esc(s)}</p>`).join('\n')}
</div>`;
}

function priorities(model: ReviewModel): string {
  if (model.priorityAreas.length === 0) return '';
  const sources = [...new Set(model.priorityAreas.map((a) => a.area.source))];
  return `<section aria-labelledby="priorities">
<h2 id="priorities">Priority areas</h2>
<p>The areas the rule set names as priorities (${esc(sources.join(', '))}).</p>
${model.priorityAreas.map((a) => areaBlock(a, 'priority', '', `<p>${esc(a.area.description)} <span class="small muted">Source: ${esc(a.area.source)}.</span></p>`)).join('\n')}
</section>`;
}

function procedureOverviewSection(model: ReviewModel): string {
  const overview = model.procedureOverview;
  if (!overview) return '';
  return `<section aria-labelledby="procedures">
<h2 id="procedures">Infringement procedures</h2>
${overview.sentences.map((s) => `<p>${esc(s)}</p>`).join('\n')}
</section>`;
}

function legend(): string {
  const items = OUTCOMES.map((o) => `<li><span class="badge ${CSS_CLASS[o]}">${OUTCOME_CODES[o]}</span> ${esc(OUTCOME_LABELS[o])}</li>`).join('');
  return `<ul class="legend" aria-label="Legend">${items}<li><span class="badge o-na">*</span> outcome decided by an analyst's assessment</li></ul>
<p class="small">${esc(NOT_CONFORM_LEGEND)}</p>`;
}

function priorityBadge(group: string | undefined): string {
  return group ? ` <span class="priority">Priority area</span>` : '';
}

function matrixCell(state: ReviewMemberState, key: string, derivedFrom?: readonly string[]): string {
  if (state.notBound !== undefined) return '<td class="o nb"></td>';
  const outcome = state.outcomes.get(key);
  if (!outcome) return '<td class="o">—</td>';
  const computed = state.assessedOutcome.get(key);
  const derived = derivedFrom ? derivedWords(derivedFrom) : undefined;
  const title = `${state.code} ${provisionLabel(key)}: ${OUTCOME_LABELS[outcome]}${derived ? ` (${derived})` : ''}${computed ? ` (analyst's assessment; computed: ${OUTCOME_LABELS[computed]})` : ''}`;
  return `<td class="o ${CSS_CLASS[outcome]}"><abbr title="${esc(title)}">${OUTCOME_CODES[outcome]}${computed ? '*' : ''}</abbr></td>`;
}

function matrix(model: ReviewModel): string {
  const states = model.memberStates;
  const width = states.length + 2;
  const head = `<tr><th scope="col">Provision</th>${states.map((s) => `<th scope="col">${s.notBound !== undefined ? `<abbr title="${esc(notBoundLine(s))}">${esc(s.code)}</abbr><br><span class="small">not bound</span>` : msAbbr(s)}</th>`).join('')}<th scope="col">Not conform</th></tr>`;
  const bodies = model.topics
    .map((topic) => {
      const rows = topic.provisions.map((key) => {
        const p = model.provisionByKey.get(key)!;
        const total = model.provisionTotals.get(key)!;
        const breakdown = NOT_CONFORM.filter((o) => total.counts[o]).map((o) => `${OUTCOME_CODES[o]}&nbsp;${total.counts[o]}`).join(', ');
        return (
          `<tr><th scope="row"><abbr title="${esc(`${provisionLabel(key)} — ${p.articleTitle}${p.modality === 'may' ? ' (optional)' : ''}`)}">${esc(key)}</abbr></th>` +
          states.map((s) => matrixCell(s, key, p.derivedFrom)).join('') +
          (p.derivedFrom
            ? `<td class="total small">${esc(derivedWords(p.derivedFrom))}</td></tr>`
            : `<td class="total"><strong>${total.notConform}</strong>${breakdown ? ` <span class="small">(${breakdown})</span>` : ''}</td></tr>`)
        );
      });
      return `<tbody id="${anchor('matrix', topic.id)}">
<tr class="topic"><th scope="rowgroup" colspan="${width}">${esc(topic.title)} (${esc(topic.articles)})${priorityBadge(topic.group)}</th></tr>
${rows.join('\n')}
</tbody>`;
    })
    .join('\n');
  const foot = OUTCOMES.map(
    (o) => `<tr><th scope="row">${code(o)}</th>${states.map((s) => `<td class="num">${s.notBound !== undefined ? '' : s.counts[o]}</td>`).join('')}<td class="num">${model.totals[o]}</td></tr>`,
  ).join('\n');
  const notConformRow = `<tr><th scope="row">Not conform</th>${states.map((s) => `<td class="num"><strong>${s.notBound !== undefined ? '' : s.notConform}</strong></td>`).join('')}<td class="num"><strong>${NOT_CONFORM.reduce((n, o) => n + model.totals[o], 0)}</strong></td></tr>`;
  return `<section class="matrix-section" aria-labelledby="matrix">
<h2 id="matrix">EU matrix</h2>
<p>Rows: the provisions, by topic in Directive order. Columns: the Member States; a Member State the Directive does not bind on the date has a “not bound” column without outcomes. The last column counts the Member States not conform on each provision; the last rows count each Member State's provisions per outcome.</p>
${legend()}
<div class="scroll" role="region" aria-labelledby="matrix-caption" tabindex="0">
<table class="matrix">
<caption id="matrix-caption">Outcome per provision and Member State, law as of ${esc(model.dateLabel)}</caption>
<thead>${head}</thead>
${bodies || `<tbody><tr><td colspan="${width}">No provision selected.</td></tr></tbody>`}
<tfoot>
${notConformRow}
${foot}
</tfoot>
</table>
</div>
</section>`;
}

function topicsSection(model: ReviewModel): string {
  const groupTitle = new Map<string, string>(model.priorityAreas.map((a) => [a.id, a.title]));
  return `<section aria-labelledby="topics">
<h2 id="topics">Topics</h2>
${model.topicSummaries
  .map((t) => areaBlock(t, 'topic', t.group ? `${priorityBadge(t.group)}<span class="small muted"> ${esc(groupTitle.get(t.group) ?? '')}</span>` : ''))
  .join('\n')}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Timeline: a table and a stacked-bar SVG per date (no script).

function stackedBars(id: string, title: string, rows: { label: string; counts: OutcomeCounts }[]): string {
  const labelWidth = 92;
  const barWidth = 560;
  const barHeight = 20;
  const gap = 8;
  const height = rows.length * (barHeight + gap) + gap;
  const width = labelWidth + barWidth + 10;
  const bars = rows
    .map((row, i) => {
      const total = OUTCOMES.reduce((n, o) => n + row.counts[o], 0) || 1;
      const y = gap + i * (barHeight + gap);
      let x = labelWidth;
      const segments = OUTCOMES.filter((o) => row.counts[o] > 0).map((o) => {
        const w = (row.counts[o] / total) * barWidth;
        const text = w >= 34 ? `${OUTCOME_CODES[o]} ${row.counts[o]}` : w >= 16 ? String(row.counts[o]) : '';
        const segment =
          `<rect x="${x.toFixed(1)}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${COLOURS[o].bg}" stroke="#ffffff" stroke-width="0.5"><title>${esc(`${row.label}: ${row.counts[o]} ${OUTCOME_LABELS[o]}`)}</title></rect>` +
          (text ? `<text x="${(x + w / 2).toFixed(1)}" y="${y + 14}" text-anchor="middle" fill="${COLOURS[o].fg}">${esc(text)}</text>` : '');
        x += w;
        return segment;
      });
      return `<text x="0" y="${y + 14}" fill="#1a1a1a">${esc(row.label)}</text>${segments.join('')}`;
    })
    .join('\n');
  return `<figure>
<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc">
<title id="${id}-title">${esc(title)}</title>
<desc id="${id}-desc">${esc(`Stacked bars, one per date, of provisions per outcome: ${rows.map((r) => `${r.label}: ${OUTCOMES.map((o) => `${r.counts[o]} ${OUTCOME_CODES[o]}`).join(', ')}`).join('; ')}.`)}</desc>
${bars}
</svg>
<figcaption>${esc(title)}; the table gives the same figures.</figcaption>
</figure>`;
}

function change(points: readonly TimelinePoint[], i: number): string {
  if (i === 0) return '—';
  const delta = points[i]!.notConform - points[i - 1]!.notConform;
  return delta === 0 ? '0' : delta > 0 ? `+${delta}` : `−${-delta}`;
}

function memberStateTimeline(state: ReviewMemberState): string {
  const points = state.timeline;
  if (!points?.length) return '';
  const id = anchor('tl', state.code);
  const rows = points
    .map(
      (p, i) =>
        `<tr><th scope="row">${esc(p.date)}</th><td>${esc(p.version)}</td>${OUTCOMES.map((o) => `<td class="num">${p.counts[o]}</td>`).join('')}<td class="num"><strong>${p.notConform}</strong></td><td class="num">${change(points, i)}</td></tr>`,
    )
    .join('\n');
  const notes = points.flatMap((p) => [...(p.notBound !== undefined ? [`${p.notBound}`] : []), ...p.notices].map((n) => `${p.date}: ${n}`));
  return `<h4 id="${id}">Timeline</h4>
${noticesBlock(notes)}<table>
<caption>${esc(state.code)}: provisions per outcome on each date</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Measures as of</th>${OUTCOMES.map((o) => `<th scope="col" class="num">${code(o)}</th>`).join('')}<th scope="col" class="num">Not conform</th><th scope="col" class="num">Change</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${stackedBars(`${id}-chart`, `${state.code}: provisions per outcome by date`, points.map((p) => ({ label: p.date, counts: p.counts })))}`;
}

function timelineSection(model: ReviewModel): string {
  const timeline = model.timeline;
  if (!timeline) return '';
  const head = timeline.dates.map((d) => `<th scope="col" class="num">${esc(d)}</th>`).join('');
  const rows = model.memberStates
    .map((s) => {
      const byDate = new Map((s.timeline ?? []).map((p) => [p.date, p]));
      return `<tr><th scope="row"><a href="#${anchor('tl', s.code)}">${msAbbr(s)}</a></th>${timeline.dates.map((d) => `<td class="num">${timelineCell(byDate.get(d))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const eu = `<tr><th scope="row">All</th>${timeline.eu.map((c) => `<td class="num"><strong>${NOT_CONFORM.reduce((n, o) => n + c[o], 0)}</strong></td>`).join('')}</tr>`;
  return `<section aria-labelledby="timeline">
<h2 id="timeline">Timeline</h2>
<p>Each date evaluates the law as it stood that day (as with <code>--as-of</code>), using for each Member State its latest measures dated on or before it.</p>
<table>
<caption>Provisions not conform per Member State on each date</caption>
<thead><tr><th scope="col">Member State</th>${head}</tr></thead>
<tbody>
${rows}
</tbody>
<tfoot>${eu}</tfoot>
</table>
${stackedBars('tl-eu-chart', 'All Member States selected: provision outcomes by date', timeline.dates.map((d, i) => ({ label: d, counts: timeline.eu[i]! })))}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Per Member State.

function assessmentText(rule: GroundRule): string {
  const a = rule.assessment;
  if (!a) return '';
  const state = assessmentStanding(a);
  const who = [a.by, a.date].filter(Boolean).join(', ');
  return `<p>${outcomeBadge(a.outcome)} — <em>${esc(state)}</em>${who ? ` (${esc(who)})` : ''}</p><p>Reason: ${esc(a.reason)}</p><p class="small muted mono">${esc(`${a.at.file}:${a.at.line}`)}</p>`;
}

function groundRow(model: ReviewModel, state: ReviewMemberState, ground: Ground, withId: boolean): string {
  const p = model.provisionByKey.get(ground.provision)!;
  const computed = ground.rules.find((r) => r.assessment?.state === 'applied');
  const outcome = `${outcomeBadge(ground.outcome)}${computed ? `<p class="small">by assessment; computed: ${code(computed.computedOutcome)} ${esc(OUTCOME_LABELS[computed.computedOutcome])}</p>` : ''}`;
  const requirement = ground.rules
    .map((r, i) => {
      const text = p.requirements[ground.rules.length === p.requirements.length ? i : 0] ?? p.requirements[0] ?? '';
      return `<p>${esc(text)}</p><p><strong>Finding:</strong> ${esc(r.message)} <span class="small muted mono">${esc(`${r.at.file}:${r.at.line}`)}</span></p>`;
    })
    .join('');
  const national = [...new Set(ground.rules.flatMap((r) => r.national))];
  const assessments = ground.rules.map(assessmentText).filter(Boolean).join('');
  return `<tr${withId ? ` id="${anchor(`g-${state.code}`, ground.provision)}"` : ''}><th scope="row"><p>${esc(provisionLabel(p.key))}</p><p class="small">${esc(p.articleTitle)}${p.modality === 'may' ? ' (optional)' : ''}</p><p class="small">${link(p.url, `Art. ${p.article} on EUR-Lex`)}</p></th>
<td>${outcome}</td>
<td>${requirement}</td>
<td>${national.length ? `<ul>${national.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : '<span class="muted">none in force</span>'}</td>
<td>${assessments || '<span class="muted">none</span>'}</td></tr>`;
}

function groundsTable(model: ReviewModel, state: ReviewMemberState, grounds: Ground[], caption: string, withIds: boolean): string {
  return `<div class="scroll" role="region" aria-label="${esc(caption)}" tabindex="0">
<table class="grounds">
<caption>${esc(caption)}</caption>
<thead><tr><th scope="col">Provision</th><th scope="col">Outcome</th><th scope="col">Requirement and finding</th><th scope="col">National provisions</th><th scope="col">Analyst assessment</th></tr></thead>
<tbody>
${grounds.map((g) => groundRow(model, state, g, withIds)).join('\n')}
</tbody>
</table>
</div>`;
}

function followUpBlock(state: ReviewMemberState, followUp: ProcedureFollowUp): string {
  const step = followUp.step;
  const label = `${STAGE_LABELS[step.stage]} of ${step.date}${step.reference ? ` (${step.reference})` : ''}`;
  const intro = followUpSentence(state, followUp, label);
  const row = (g: { provision: string; outcome: Outcome }, status: string, cls: string) =>
    `<tr><th scope="row">${cls === 'status-open' ? `<a href="#${anchor(`g-${state.code}`, g.provision)}">${esc(provisionLabel(g.provision))}</a>` : esc(provisionLabel(g.provision))}</th><td class="${CSS_CLASS[g.outcome]}">${code(g.outcome)} ${esc(OUTCOME_LABELS[g.outcome])}</td><td class="${cls}">${esc(status)}</td></tr>`;
  const rows = [
    ...followUp.open.map((g) => row(g, 'still open', 'status-open')),
    ...followUp.conform.map((g) => row(g, 'now conform', 'status-closed')),
    ...followUp.informationMissing.map((g) => row(g, 'information missing', '')),
    ...followUp.notApplicable.map((g) => row(g, 'not applicable', '')),
  ];
  return `<p>${esc(intro)}</p>
${
  rows.length
    ? `<table>
<caption>${esc(`Grounds of the ${label}, on ${state.evaluatedAt}`)}</caption>
<thead><tr><th scope="col">Ground</th><th scope="col">Outcome on ${esc(state.evaluatedAt)}</th><th scope="col">Status</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`
    : ''
}`;
}

function procedureBlock(state: ReviewMemberState): string {
  if (state.procedure.length === 0) return '';
  const rows = state.procedure
    .map(
      (s) =>
        `<tr><td>${esc(s.date)}</td><td>${esc(STAGE_LABELS[s.stage])}${s.afterEvaluation ? ' <span class="small muted">(after the evaluation date)</span>' : ''}</td><td>${esc(s.reference ?? '—')}</td><td>${s.grounds.length ? esc(s.grounds.join(', ')) : '—'}</td><td>${esc(stepSource(s))}</td></tr>`,
    )
    .join('\n');
  const real = state.realProcedures.map((p) => `<p>${esc(realProcedureLine(state, p))}</p>`).join('\n');
  return `<h4 id="${anchor('proc', state.code)}">Infringement procedure</h4>
${real}
<table>
<caption>${esc(state.code)}: procedure steps</caption>
<thead><tr><th scope="col">Date</th><th scope="col">Step</th><th scope="col">Reference</th><th scope="col">Grounds</th><th scope="col">Known from</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
${state.followUp ? followUpBlock(state, state.followUp) : '<p>No step dated on or before the evaluation date names grounds.</p>'}`;
}

function noticesBlock(notices: readonly string[]): string {
  return notices.length ? `<ul class="notices">${notices.map((n) => `<li><strong>Note:</strong> ${esc(n)}</li>`).join('')}</ul>\n` : '';
}

function memberStateSection(model: ReviewModel, state: ReviewMemberState): string {
  const id = anchor('ms', state.code);
  const files = state.files.map((f) => `<span class="mono">${esc(f)}</span>`).join(', ');
  if (state.notBound !== undefined) {
    return `<section class="ms" aria-labelledby="${id}">
<h3 id="${id}">${esc(state.code)} — ${esc(state.name)}</h3>
<p><strong>${esc(notBoundLine(state))}</strong> (law as of ${esc(state.evaluatedAt)}; files: ${files}).</p>
${noticesBlock(state.notices)}${procedureBlock(state)}
${memberStateTimeline(state)}
</section>`;
  }
  const assessed = state.assessments;
  const assessedLine = assessed.applied + assessed.unnecessary + assessed['review-due'] + assessed['out-of-date'];
  return `<section class="ms" aria-labelledby="${id}">
<h3 id="${id}">${esc(state.code)} — ${esc(state.name)}</h3>
<dl class="facts">
<dt>Law as of</dt><dd>${esc(state.evaluatedAt)}${state.evaluatedAt !== state.declaredAsOf ? ` (measures described as of ${esc(state.declaredAsOf)})` : ''}</dd>
<dt>Files</dt><dd>${files}</dd>
${state.otherVersions.length ? `<dt>Other versions</dt><dd>${esc(state.otherVersions.join(', '))} (not shown on this date)</dd>\n` : ''}<dt>Outcomes</dt><dd>${countsLine(state.counts)}; <strong>${state.notConform} not conform</strong>; ${esc(informationMissingPhrase(state.counts))}</dd>
${assessedLine ? `<dt>Assessments</dt><dd>${assessed.applied} applied, ${assessed.unnecessary} unnecessary, ${assessed['review-due']} review due, ${assessed['out-of-date']} out of date</dd>\n` : ''}<dt>Procedure</dt><dd>${state.procedure.length ? `${state.procedure.length} step(s)` : 'none known'}</dd>
</dl>
${noticesBlock(state.notices)}<h4 id="${anchor('grounds', state.code)}">Grounds</h4>
${state.grounds.length ? groundsTable(model, state, state.grounds, `${state.code}: provisions not conform on ${state.evaluatedAt} (${state.grounds.length})`, true) : `<p>No selected provision is not conform; ${esc(informationMissingPhrase(state.counts))}.</p>`}
${state.assessed.length ? `<h4 id="${anchor('assessed', state.code)}">Assessments on other provisions</h4>\n${groundsTable(model, state, state.assessed, `${state.code}: conform or not-applicable provisions an assessment touches`, false)}` : ''}
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
    `<section aria-labelledby="member-states">
<h2 id="member-states">Member States</h2>
<p>For each Member State: the grounds (provisions not conform), with the requirement, the finding, the national provisions assessed and any analyst assessment; then the infringement procedure and which of its grounds are still open.</p>
${model.memberStates.map((s) => memberStateSection(model, s)).join('\n')}
</section>`,
  ].filter(Boolean);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'">
<meta name="generator" content="${esc(`${model.tool.name} ${model.tool.version}`)}">
<title>${esc(model.title)}</title>
<style>${CSS}</style>
</head>
<body>
${cover(model)}
${toc(model)}
<main>
${sections.join('\n')}
</main>
<footer>
<p>${esc(model.disclaimer)}</p>
<p>${esc(`${model.tool.name} ${model.tool.version} · rules ${model.ruleset.id} ${model.ruleset.version} (sha256 ${model.ruleset.hash}) · law as of ${model.dateLabel}`)}</p>
</footer>
</body>
</html>
`;
}
