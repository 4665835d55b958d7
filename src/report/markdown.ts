import type { OutcomeCounts } from '../evaluate/result.js';
import { OUTCOMES, type Outcome } from '../types.js';
import {
  derivedWords,
  NOT_CONFORM,
  NOT_CONFORM_LEGEND,
  OUTCOME_CODES,
  OUTCOME_LABELS,
  INFORMATION_MISSING_LEGEND,
  STAGE_LABELS,
  followUpSentence,
  informationMissingPhrase,
  notBoundLine,
  realProcedureLine,
  stepSource,
  timelineCell,
  assessmentStanding,
  provisionLabel,
  type AreaSummary,
  type Ground,
  type GroundRule,
  type ReviewMemberState,
  type ReviewModel,
  selectionWords,
} from './build-review.js';
import { markdownTable as table, markdownText } from '../formats/markdown-text.js';

/**
 * The review in GitHub-flavoured Markdown, with the structure of the HTML report: lint-clean
 * (markdownlint defaults, line length aside) by construction.
 *
 * Measure files are untrusted: every piece of text goes through `md()`, which leaves only plain
 * text — no emphasis, code, links, autolinks, HTML, math, @-mentions or #-references, and no line
 * break or pipe that could end a table row or cell.
 */

/** Plain text for a paragraph, list item, heading or table cell (measure-file text made inert). */
export const md = (text: string | number): string => markdownText(text, 'prose');

/** A link to an http(s) URL with the URL percent-encoded to safe characters; anything else is plain text. */
export function mdLink(url: string | undefined, text: string): string {
  if (!url || !/^https?:\/\//i.test(url.trim())) return md(text);
  let href: string;
  try {
    const parsed = new URL(url.trim());
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return md(text);
    href = parsed.href;
  } catch {
    return md(text);
  }
  const percent = (c: string) => [...new TextEncoder().encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
  // Parentheses, brackets, pipes, spaces, < > and backslashes would end the link or the table cell.
  const safe = href.replace(/[^A-Za-z0-9\-._~:/?#@!$'*+,;=%&]/g, percent).replace(/&(?=[A-Za-z0-9#]+;)/g, '%26');
  return `[${md(text)}](${safe})`;
}

function codeOf(outcome: Outcome): string {
  return OUTCOME_CODES[outcome];
}

function label(outcome: Outcome): string {
  return `${OUTCOME_LABELS[outcome]} (${OUTCOME_CODES[outcome]})`;
}

function countsLine(counts: OutcomeCounts): string {
  return OUTCOMES.map((o) => `${counts[o]} ${codeOf(o)}`).join(', ');
}

function cover(model: ReviewModel): string[] {
  const { ruleset, filter } = model;
  const selection = selectionWords(filter);
  const facts = [
    `Rule set: ${md(ruleset.id)} ${md(ruleset.version)} — Directive ${md(ruleset.directive)}${ruleset.celex ? ` (CELEX ${md(ruleset.celex)})` : ''}`,
    `Law as of: ${md(model.dateLabel)}`,
    `Member States: ${model.memberStates.length}${model.memberStates.length ? ` — ${model.memberStates.map((s) => md(s.code)).join(', ')}` : ''}`,
    `Provisions: ${model.provisions.length}`,
    `Selection: ${selection.length ? md(selection.join('; ')) : 'every Member State, topic and provision in the input'}`,
    ...(model.timeline ? [`Timeline: ${md(model.timeline.dates.join(', '))}`] : []),
  ];
  return [`# ${md(model.title)}`, md(ruleset.title), facts.map((f) => `- ${f}`).join('\n'), `Disclaimer: ${md(model.disclaimer)}`];
}

function provenance(model: ReviewModel): string[] {
  return [
    '## Provenance',
    [
      `- Tool: ${md(model.tool.name)} ${md(model.tool.version)}`,
      `- Rule set: ${md(model.ruleset.id)} ${md(model.ruleset.version)}, SHA-256 ${md(model.ruleset.hash)}`,
      `- Evaluation date: ${model.evaluationDate ? `--as-of ${md(model.evaluationDate)}` : "each measure set's own as\\_of"}`,
    ].join('\n'),
    model.inputs.length ? table(['File', 'SHA-256'], model.inputs.map((i) => [md(i.name), md(i.sha256 || 'not read')])) : 'No input file.',
  ];
}

function inputErrors(model: ReviewModel): string[] {
  if (model.diagnostics.length === 0) return [];
  return [
    '## Input errors',
    'A Member State with an input error is not evaluated and does not appear in this report.',
    table(
      ['Location', 'Code', 'Message'],
      model.diagnostics.map((d) => [`${md(d.file)}:${d.line}:${d.column}`, md(d.code), md(d.message)]),
    ),
  ];
}

function overview(model: ReviewModel): string[] {
  const head = ['Member State', 'Law as of', ...OUTCOMES.map(codeOf), 'Not conform', 'Information missing', 'Assessed'];
  const rows = model.memberStates.map((s) =>
    s.notBound !== undefined
      ? [`${md(s.code)} (${md(s.name)})`, md(s.evaluatedAt), ...OUTCOMES.map(() => ''), 'not bound', '', '']
      : [
          `${md(s.code)} (${md(s.name)})`,
          md(s.evaluatedAt),
          ...OUTCOMES.map((o) => String(s.counts[o])),
          String(s.notConform),
          String(s.informationMissing),
          String(s.assessments.applied),
        ],
  );
  rows.push([
    'All',
    '',
    ...OUTCOMES.map((o) => String(model.totals[o])),
    String(model.memberStates.reduce((n, s) => n + s.notConform, 0)),
    String(model.memberStates.reduce((n, s) => n + s.informationMissing, 0)),
    String(model.memberStates.reduce((n, s) => n + s.assessments.applied, 0)),
  ]);
  const notBound = model.memberStates.filter((s) => s.notBound !== undefined).map((s) => md(notBoundLine(s)));
  const frequent = model.mostFrequentGrounds.map((g, i) => {
    const p = model.provisionByKey.get(g.provision);
    return `${i + 1}. ${md(provisionLabel(g.provision))}${p ? ` (${md(p.articleTitle)})` : ''}: ${g.notConform} Member State${g.notConform === 1 ? '' : 's'} not conform — ${md(g.memberStates.join(', '))}`;
  });
  return [
    '## Overview',
    table(head, rows, ['left', 'left', ...OUTCOMES.map(() => 'right' as const), 'right', 'right', 'right']),
    ...(notBound.length ? [notBound.map((line) => `- ${line}`).join('\n')] : []),
    `${md(NOT_CONFORM_LEGEND)} ${md(INFORMATION_MISSING_LEGEND)} Assessed: provisions whose outcome an analyst's recorded assessment decides.`,
    '### Most frequent grounds',
    frequent.length ? frequent.join('\n') : 'No provision is not conform in any Member State selected.',
  ];
}

function area(summary: AreaSummary, extra = ''): string[] {
  return [`### ${md(summary.title)} (${md(summary.articles)})`, ...(extra ? [extra] : []), summary.sentences.map(md).join(' ')];
}

function priorities(model: ReviewModel): string[] {
  if (model.priorityAreas.length === 0) return [];
  const sources = [...new Set(model.priorityAreas.map((a) => a.area.source))];
  return [
    '## Priority areas',
    `The areas the rule set names as priorities (${md(sources.join(', '))}).`,
    ...model.priorityAreas.flatMap((a) => area(a, `${md(a.area.description)} Source: ${md(a.area.source)}.`)),
  ];
}

function procedureOverview(model: ReviewModel): string[] {
  const overview = model.procedureOverview;
  return overview ? ['## Infringement procedures', ...overview.sentences.map(md)] : [];
}

function matrix(model: ReviewModel): string[] {
  const states = model.memberStates;
  const legend = table(
    ['Code', 'Outcome'],
    [...OUTCOMES.map((o) => [codeOf(o), md(OUTCOME_LABELS[o])]), ['\\*', "outcome decided by an analyst's assessment"]],
  );
  const blocks = [
    '## EU matrix',
    `Outcome per provision (rows, by topic in Directive order) and Member State (columns); law as of ${md(model.dateLabel)}. A Member State the Directive does not bind on the date has a "not bound" column without outcomes. The last column counts the Member States not conform on the provision.`,
    legend,
    md(NOT_CONFORM_LEGEND),
  ];
  for (const topic of model.topics) {
    const rows = topic.provisions.map((key) => {
      const p = model.provisionByKey.get(key)!;
      const total = model.provisionTotals.get(key)!;
      const breakdown = NOT_CONFORM.filter((o) => total.counts[o]).map((o) => `${codeOf(o)} ${total.counts[o]}`).join(', ');
      return [
        md(key),
        ...states.map((s) => {
          if (s.notBound !== undefined) return ' ';
          const outcome = s.outcomes.get(key);
          return outcome ? `${codeOf(outcome)}${s.assessedOutcome.has(key) ? '\\*' : ''}` : '—';
        }),
        p.derivedFrom ? md(derivedWords(p.derivedFrom)) : `${total.notConform}${breakdown ? ` (${breakdown})` : ''}`,
      ];
    });
    blocks.push(
      `### Matrix: ${md(topic.title)} (${md(topic.articles)})`,
      table(['Provision', ...states.map((s) => (s.notBound !== undefined ? `${md(s.code)} not bound` : md(s.code))), 'Not conform'], rows, ['left', ...states.map(() => 'center' as const), 'left']),
    );
  }
  if (model.topics.length === 0) blocks.push('No provision selected.');
  return blocks;
}

function topics(model: ReviewModel): string[] {
  const groupTitle = new Map<string, string>(model.priorityAreas.map((a) => [a.id, a.title]));
  return ['## Topics', ...model.topicSummaries.flatMap((t) => area(t, t.group ? `Priority area: ${md(groupTitle.get(t.group) ?? '')}.` : ''))];
}

function timeline(model: ReviewModel): string[] {
  const tl = model.timeline;
  if (!tl) return [];
  const rows = model.memberStates.map((s) => {
    const byDate = new Map((s.timeline ?? []).map((p) => [p.date, p]));
    return [md(s.code), ...tl.dates.map((d) => timelineCell(byDate.get(d)))];
  });
  rows.push(['All', ...tl.eu.map((c) => String(NOT_CONFORM.reduce((n, o) => n + c[o], 0)))]);
  return [
    '## Timeline',
    "Each date evaluates the law as it stood that day (as with --as-of), using for each Member State its latest measures dated on or before it. Provisions not conform per Member State on each date:",
    table(['Member State', ...tl.dates.map(md)], rows, ['left', ...tl.dates.map(() => 'right' as const)]),
  ];
}

function assessmentText(rule: GroundRule): string {
  const a = rule.assessment;
  if (!a) return '';
  const state = assessmentStanding(a);
  const who = [a.by, a.date].filter(Boolean).join(', ');
  return `${md(label(a.outcome))}, ${md(state)}${who ? ` (${md(who)})` : ''}. Reason: ${md(a.reason)} (${md(`${a.at.file}:${a.at.line}`)})`;
}

function groundRows(model: ReviewModel, grounds: readonly Ground[]): string[][] {
  return grounds.map((ground) => {
    const p = model.provisionByKey.get(ground.provision)!;
    const computed = ground.rules.find((r) => r.assessment?.state === 'applied');
    const requirement = [...new Set(p.requirements)].map(md).join(' — ');
    const findings = ground.rules.map((r) => `${md(r.message)} (${md(`${r.at.file}:${r.at.line}`)})`).join(' — ');
    const national = [...new Set(ground.rules.flatMap((r) => r.national))].map(md).join('; ');
    return [
      `${md(provisionLabel(p.key))} ${md(p.articleTitle)}${p.modality === 'may' ? ' (optional)' : ''}`,
      `${md(label(ground.outcome))}${computed ? `; by assessment, computed ${md(label(computed.computedOutcome))}` : ''}`,
      requirement,
      findings,
      national || 'none in force',
      ground.rules.map(assessmentText).filter(Boolean).join(' — ') || 'none',
      mdLink(p.url, `Art. ${p.article} on EUR-Lex`),
    ];
  });
}

const GROUND_HEAD = ['Provision', 'Outcome', 'Requirement', 'Finding', 'National provisions', 'Analyst assessment', 'Official text'];

function procedure(state: ReviewMemberState): string[] {
  if (state.procedure.length === 0) return [];
  const code = md(state.code);
  const blocks = [
    `#### ${code}: infringement procedure`,
    ...state.realProcedures.map((p) => md(realProcedureLine(state, p))),
    table(
      ['Date', 'Step', 'Reference', 'Grounds', 'Known from'],
      state.procedure.map((s) => [
        md(s.date),
        `${md(STAGE_LABELS[s.stage])}${s.afterEvaluation ? ' (after the evaluation date)' : ''}`,
        md(s.reference ?? '—'),
        s.grounds.length ? md(s.grounds.join(', ')) : '—',
        md(stepSource(s)),
      ]),
    ),
  ];
  const f = state.followUp;
  if (!f) {
    blocks.push('No step dated on or before the evaluation date names grounds.');
    return blocks;
  }
  const step = f.step;
  const stepLabel = `${STAGE_LABELS[step.stage]} of ${step.date}${step.reference ? ` (${step.reference})` : ''}`;
  blocks.push(md(followUpSentence(state, f, stepLabel)));
  const rows = [
    ...f.open.map((g) => [md(provisionLabel(g.provision)), md(label(g.outcome)), 'still open']),
    ...f.conform.map((g) => [md(provisionLabel(g.provision)), md(label(g.outcome)), 'now conform']),
    ...f.informationMissing.map((g) => [md(provisionLabel(g.provision)), md(label(g.outcome)), 'information missing']),
    ...f.notApplicable.map((g) => [md(provisionLabel(g.provision)), md(label(g.outcome)), 'not applicable']),
  ];
  if (rows.length) blocks.push(table(['Ground', `Outcome on ${md(state.evaluatedAt)}`, 'Status'], rows));
  return blocks;
}

function memberStateTimeline(state: ReviewMemberState): string[] {
  const points = state.timeline;
  if (!points?.length) return [];
  const notes = points.flatMap((p) => [...(p.notBound !== undefined ? [p.notBound] : []), ...p.notices].map((n) => `- Note: ${md(`${p.date}: ${n}`)}`));
  return [
    `#### ${md(state.code)}: timeline`,
    ...(notes.length ? [notes.join('\n')] : []),
    table(
      ['Date', 'Measures as of', ...OUTCOMES.map(codeOf), 'Not conform', 'Change'],
      points.map((p, i) => {
        const delta = i === 0 ? '—' : p.notConform - points[i - 1]!.notConform;
        return [md(p.date), md(p.version), ...OUTCOMES.map((o) => String(p.counts[o])), String(p.notConform), typeof delta === 'number' && delta > 0 ? `+${delta}` : String(delta)];
      }),
      ['left', 'left', ...OUTCOMES.map(() => 'right' as const), 'right', 'right'],
    ),
  ];
}

function memberState(model: ReviewModel, state: ReviewMemberState): string[] {
  const code = md(state.code);
  const a = state.assessments;
  const assessments = a.applied + a.unnecessary + a['review-due'] + a['out-of-date'];
  const notices = state.notices.map((n) => `- Note: ${md(n)}`).join('\n');
  if (state.notBound !== undefined) {
    return [
      `### ${code} — ${md(state.name)}`,
      `${md(notBoundLine(state))} (law as of ${md(state.evaluatedAt)}; files: ${state.files.map(md).join(', ')}).`,
      ...(notices ? [notices] : []),
      ...procedure(state),
      ...memberStateTimeline(state),
    ];
  }
  const facts = [
    `Law as of: ${md(state.evaluatedAt)}${state.evaluatedAt !== state.declaredAsOf ? ` (measures described as of ${md(state.declaredAsOf)})` : ''}`,
    `Files: ${state.files.map(md).join(', ')}`,
    ...(state.otherVersions.length ? [`Other versions: ${md(state.otherVersions.join(', '))} (not shown on this date)`] : []),
    `Outcomes: ${countsLine(state.counts)}; ${state.notConform} not conform; ${md(informationMissingPhrase(state.counts))}`,
    ...(assessments ? [`Assessments: ${a.applied} applied, ${a.unnecessary} unnecessary, ${a['review-due']} review due, ${a['out-of-date']} out of date`] : []),
    `Procedure: ${state.procedure.length ? `${state.procedure.length} step(s)` : 'none known'}`,
  ];
  const blocks = [`### ${code} — ${md(state.name)}`, facts.map((f) => `- ${f}`).join('\n'), ...(notices ? [notices] : []), `#### ${code}: grounds`];
  blocks.push(state.grounds.length ? table(GROUND_HEAD, groundRows(model, state.grounds)) : `No selected provision is not conform; ${md(informationMissingPhrase(state.counts))}.`);
  if (state.assessed.length) blocks.push(`#### ${code}: assessments on other provisions`, table(GROUND_HEAD, groundRows(model, state.assessed)));
  blocks.push(...procedure(state), ...memberStateTimeline(state));
  return blocks;
}

/** The review as GitHub-flavoured Markdown. */
export function renderReviewMarkdown(model: ReviewModel): string {
  const blocks = [
    ...cover(model),
    ...provenance(model),
    ...inputErrors(model),
    ...overview(model),
    ...priorities(model),
    ...procedureOverview(model),
    ...matrix(model),
    ...topics(model),
    ...timeline(model),
    '## Member States',
    ...(model.memberStates.length ? model.memberStates.flatMap((s) => memberState(model, s)) : ['No Member State selected.']),
    '## Disclaimer',
    md(model.disclaimer),
  ];
  return `${blocks.join('\n\n')}\n`;
}
