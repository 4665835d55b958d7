// A deterministic synthetic corpus of measure files written the way analysts write them, not the way
// our fixtures happen to be: notes and assessment reasons as block scalars (literal and folded, with
// every chomping indicator), multi-line plain and quoted scalars, comments everywhere, quoted and
// unquoted keys, flow and block lists of references, CRLF in some files, anchors and aliases in a
// few, short and long files. Every file is valid for the built-in rule set, and every file is a
// measure set of its own (its Member State and date are unique in the corpus).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Bump when the generator changes, so that a cached corpus is written again. */
const GENERATOR_VERSION = 3;

const MEMBER_STATES = ['AT', 'BE', 'BG', 'CY', 'CZ', 'DE', 'DK', 'EE', 'EL', 'ES', 'FI', 'FR', 'HR', 'HU', 'IE', 'IT', 'LT', 'LU', 'LV', 'MT', 'NL', 'PL', 'PT', 'RO', 'SE', 'SI', 'SK'];
const OUTCOMES = ['conform', 'partially-conform', 'not-conform', 'not-transposed', 'incomplete', 'not-applicable'];
const STAGES = ['letter-of-formal-notice', 'additional-letter', 'reasoned-opinion', 'referral', 'closed'];
const WORDS = [
  'the', 'offence', 'covers', 'only', 'acts', 'committed', 'against', 'a', 'child', 'under', 'age', 'of', 'consent', 'national', 'court',
  'held', 'in', 'its', 'judgment', 'that', 'provision', 'applies', 'also', 'to', 'attempts', 'penalty', 'is', 'lower', 'than', 'Directive',
  'requires', 'see', 'explanatory', 'memorandum', 'Bundestag', 'Drucksache', 'Sejm', 'Riigikogu', 'Cour', 'de', 'cassation', 'arrêt', 'Straße',
  'Łódź', 'Ελλάδα', 'Bălți', 'analyst', 'note', 'reform', 'pending', 'draft', 'bill', 'section', 'paragraph', 'amended', '2019', '2021',
  '§', '12(3)', 'art.', 'no.', '(illustrative)', 'e.g.', 'i.e.', 'cf.', 'pp.', '45–47', '"quoted"', "it's", 'per-se', '50%', '&', 'n°',
];
/** Words a plain scalar may not start with (indicators) or hold (`: `, ` #`): used in quoted and block text only. */
const PLAIN_UNSAFE = /^[-?:,[\]{}#&*!|>'"%@`]|: |\s#|:$/;

/** A small seeded generator (mulberry32): the same seed, the same corpus, on any machine. */
export function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
  };
  return random;
}

function sentence(random, min, max, plainSafe = false) {
  const words = [];
  const count = random.int(min, max);
  while (words.length < count) {
    const word = random.pick(WORDS);
    if (plainSafe && PLAIN_UNSAFE.test(word)) continue;
    words.push(word);
  }
  const text = words.join(' ');
  return plainSafe ? text.replace(/[:#]/g, '') : text;
}

function date(random, from = 2000, to = 2024) {
  const year = random.int(from, to);
  const month = String(random.int(1, 12)).padStart(2, '0');
  const day = String(random.int(1, 28)).padStart(2, '0');
  return `${year}-${month}-${day}`;
}

const quoteDouble = (text) => `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const quoteSingle = (text) => `'${text.replace(/'/g, "''")}'`;

/** A short text value on one line: plain where YAML reads it back as the same string, quoted otherwise. */
function inlineText(random, text) {
  const plainOk = !PLAIN_UNSAFE.test(text) && !/^(?:[-+]?[0-9.]|~|null|true|false|yes|no)/i.test(text) && text.trim() === text && text !== '';
  if (plainOk && random.chance(0.6)) return text;
  return random.chance(0.5) ? quoteDouble(text) : quoteSingle(text);
}

/**
 * A note or reason of several lines, in one of the ways analysts write them; `indent` is the
 * indentation of its key. Returns the text after `key:` (starting with a space) and the lines below.
 */
function longText(random, indent) {
  const inner = ' '.repeat(indent + random.pick([2, 2, 2, 4]));
  const paragraphs = Array.from({ length: random.int(1, 3) }, () => Array.from({ length: random.int(1, 4) }, () => sentence(random, 4, 14)));
  const style = random.pick(['|', '|-', '|+', '>', '>-', '>+', '|', '>-', 'plain', 'double', 'single']);
  const comment = random.chance(0.2) ? '  # kept verbatim' : '';
  if (style === 'plain') {
    // A multi-line plain scalar: continuation lines indented, folded into spaces; no comment may follow its first line.
    const lines = paragraphs.flat().map(() => sentence(random, 3, 10, true));
    return [` see ${lines[0]}`, ...lines.slice(1).map((l) => `${inner}${l}`)];
  }
  if (style === 'double' || style === 'single') {
    // A quoted scalar over several lines: each line break folds into a space, an empty line is a line break.
    const escape = style === 'double' ? (t) => t.replace(/\\/g, '\\\\').replace(/"/g, '\\"') : (t) => t.replace(/'/g, "''");
    const quote = style === 'double' ? '"' : "'";
    const lines = [];
    paragraphs.forEach((paragraph, index) => {
      if (index > 0) lines.push('');
      let line = '';
      for (const word of escape(paragraph.join(' ')).split(' ')) {
        if (line && line.length + word.length > 60) {
          lines.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      if (style === 'double' && random.chance(0.3)) line += ' caf\\u00e9';
      lines.push(line);
    });
    lines[lines.length - 1] += quote;
    return [` ${quote}${lines[0]}`, ...lines.slice(1).map((l) => (l ? `${inner}${l}` : ''))];
  }
  const lines = [];
  paragraphs.forEach((paragraph, index) => {
    if (index > 0) lines.push('');
    for (const line of paragraph) lines.push(`${inner}${line}`);
    // A more-indented line in a folded scalar keeps its line break.
    if (style.startsWith('>') && random.chance(0.2)) lines.push(`${inner}  - ${sentence(random, 2, 5)}`);
  });
  if (style.endsWith('+') && random.chance(0.5)) lines.push('');
  return [` ${style}${comment}`, ...lines];
}

function factValue(random, fact) {
  switch (fact.type) {
    case 'boolean':
      return random.chance(0.8) ? 'true' : 'false';
    case 'age':
      return String(random.int(12, 18));
    case 'years':
      return String(random.int(1, 30));
    case 'years-or-unlimited':
      return random.chance(0.3) ? 'unlimited' : String(random.int(5, 30));
    case 'penalty-years':
      if (random.chance(0.1)) return 'life';
      if (random.chance(0.2)) return `{ below_consent: ${random.int(2, 20)}, above_consent: ${random.int(1, 15)} }`;
      return random.chance(0.1) ? `${random.int(1, 19)}.5` : String(random.int(1, 20));
    case 'date':
      return date(random, 2010, 2015);
    case 'text':
      return inlineText(random, sentence(random, 2, 8));
    case 'text-list':
      return `[${Array.from({ length: random.int(1, 3) }, () => inlineText(random, sentence(random, 1, 4))).join(', ')}]`;
    default:
      throw new Error(`unknown fact type ${fact.type}`);
  }
}

function provisionKey(random, key, quoting) {
  switch (quoting) {
    case 'double':
      return `"${key}"`;
    case 'single':
      return `'${key}'`;
    case 'plain':
      return key;
    default:
      return random.pick([`"${key}"`, `'${key}'`, key, `"Art. ${key}"`, `Article ${key}`]);
  }
}

/**
 * One measure file's text. `ruleset` is the loaded rule set (provisions, facts, rules by provision);
 * the same random state and arguments give the same text.
 */
export function measureFileText(random, ruleset, { memberState, asOf }) {
  const eol = random.chance(0.15) ? '\r\n' : '\n';
  const size = random.pick(['short', 'medium', 'medium', 'medium', 'long']);
  const anchors = random.chance(0.05);
  const keyQuoting = random.pick(['double', 'double', 'single', 'plain', 'mixed']);
  const nationalStyle = random.pick(['flow', 'block-flow', 'block', 'mixed']);
  const trailingComments = random.chance(0.5);
  const comment = (text) => (trailingComments && random.chance(0.3) ? `   # ${text}` : '');
  const lines = [];

  lines.push(`# Synthetic benchmark file ${memberState} ${asOf}: invented data, not an assessment of any Member State.`);
  if (random.chance(0.5)) lines.push('#', `# ${sentence(random, 6, 12)}`);
  if (random.chance(0.2)) lines.push('---');
  lines.push(`${random.chance(0.2) ? '"format"' : 'format'}: 1${comment('format version')}`);
  lines.push(`directive: ${random.pick(['2011/93/EU', '"2011/93/EU"', "'2011/93/EU'"])}`);
  lines.push(`${random.chance(0.2) ? "'member_state'" : 'member_state'}: ${random.chance(0.3) ? `"${memberState}"` : memberState}${comment('EU code')}`);
  lines.push(`as_of: ${asOf}`);
  for (const fact of ruleset.facts.values()) {
    if (fact.scope === 'member-state' && random.chance(0.8)) lines.push(`${fact.name}: ${factValue(random, fact)}`);
  }
  if (random.chance(0.3)) {
    const [first, ...rest] = longText(random, 0);
    lines.push(`notes:${first}`, ...rest);
  }

  const sourceIds = Array.from({ length: random.int(1, size === 'long' ? 12 : 5) }, (_, i) => `${random.pick(['cc', 'ccp', 'act', 'code', 'law', 'dec'])}${i}`);
  if (random.chance(0.3)) lines.push('', '# -- national acts --');
  lines.push('sources:');
  for (const id of sourceIds) {
    const title = `${sentence(random, 2, 6)} (illustrative)`;
    if (random.chance(0.5)) {
      lines.push(`  ${id}: { title: ${quoteDouble(title)}, abbreviation: ${id.toUpperCase()}, references_directive: ${random.chance(0.8)} }`);
    } else {
      lines.push(`  ${id}:${comment('act')}`, `    title: ${inlineText(random, title)}`);
      if (random.chance(0.5)) lines.push(`    abbreviation: ${id.toUpperCase()}`);
      if (random.chance(0.3)) lines.push(`    url: https://example.invalid/${id}/${random.int(1, 999)}`);
      lines.push(`    references_directive: ${random.chance(0.8)}`);
    }
  }

  const count = size === 'short' ? random.int(3, 10) : size === 'medium' ? random.int(20, 60) : ruleset.provisions.length;
  const chosen = size === 'long' ? ruleset.provisions : ruleset.provisions.filter(() => random.chance(count / ruleset.provisions.length));
  // A file describes at least one provision (`provisions:` with nothing under it is no map).
  const keys = chosen.length ? chosen : [random.pick(ruleset.provisions)];
  lines.push('', 'provisions:');
  let article = '';
  let firstRefs;
  keys.forEach((key) => {
    const current = key.split('(')[0];
    if (current !== article && random.chance(0.6)) lines.push(`  # -- Article ${current} --`);
    article = current;
    const facts = [...new Set(ruleset.rulesByProvision.get(key).flatMap((r) => r.facts))].map((f) => ruleset.facts.get(f)).filter((f) => f.scope === 'provision');
    const status = random.pick(['transposed', 'transposed', 'transposed', 'partial', 'not-transposed']);
    const pad = '    ';
    lines.push(`  ${provisionKey(random, key, keyQuoting)}:${comment('provision')}`);
    lines.push(`${pad}status: ${status}${comment('status')}`);
    if (status !== 'not-transposed') {
      const refs = Array.from({ length: random.int(1, size === 'long' ? 4 : 2) }, () => {
        const ref = [`source: ${random.pick(sourceIds)}`, `article: ${inlineText(random, `${random.pick(['§', 'art.', 'section', 'ch. 20 s.'])} ${random.int(1, 300)}${random.chance(0.3) ? `(${random.int(1, 9)})` : ''}`)}`];
        if (random.chance(0.3)) {
          const from = date(random, 2005, 2015);
          ref.push(`in_force_from: ${from}`);
          if (random.chance(0.2)) ref.push(`in_force_until: ${date(random, 2016, 2030)}`);
        }
        return ref;
      });
      const style = nationalStyle === 'mixed' ? random.pick(['flow', 'block-flow', 'block']) : nationalStyle;
      if (anchors && firstRefs && random.chance(0.3)) {
        lines.push(`${pad}national: *${firstRefs}`);
      } else {
        const anchor = anchors && !firstRefs ? ' &refs' : '';
        if (anchor) firstRefs = 'refs';
        if (style === 'flow') {
          lines.push(`${pad}national:${anchor} [${refs.map((r) => `{ ${r.join(', ')} }`).join(', ')}]`);
        } else if (style === 'block-flow') {
          lines.push(`${pad}national:${anchor}${comment('references')}`, ...refs.map((r) => `${pad}  - { ${r.join(', ')} }`));
        } else {
          lines.push(`${pad}national:${anchor}`);
          for (const r of refs) {
            lines.push(`${pad}  - ${r[0]}`, ...r.slice(1).map((field) => `${pad}    ${field}`));
            if (random.chance(0.15)) {
              const [first, ...rest] = longText(random, pad.length + 4);
              lines.push(`${pad}    notes:${first}`, ...rest);
            }
          }
        }
      }
    }
    for (const fact of facts) {
      if (!random.chance(0.7)) continue;
      if (fact.type === 'text-list' && random.chance(0.5)) {
        lines.push(`${pad}${fact.name}:`, ...Array.from({ length: random.int(1, 4) }, () => `${pad}  - ${inlineText(random, sentence(random, 1, 5))}`));
      } else {
        lines.push(`${pad}${fact.name}: ${factValue(random, fact)}${comment('fact')}`);
      }
    }
    if (random.chance(size === 'short' ? 0.3 : 0.5)) {
      const [first, ...rest] = longText(random, pad.length);
      lines.push(`${pad}notes:${first}`, ...rest);
    }
    if (random.chance(0.2)) {
      const [first, ...rest] = longText(random, pad.length + 2);
      lines.push(`${pad}assessment:${comment('analyst judgement')}`, `${pad}  outcome: ${random.pick(OUTCOMES)}`, `${pad}  reason:${first}`, ...rest);
      if (random.chance(0.7)) lines.push(`${pad}  by: ${random.pick(['AB', 'CD', 'team-3', '"J. K."'])}`);
      if (random.chance(0.5)) lines.push(`${pad}  date: ${date(random, 2020, 2023)}`);
    }
    if (random.chance(0.05)) lines.push('');
  });

  if (random.chance(0.3)) {
    lines.push('procedures:');
    for (let i = random.int(1, 3); i > 0; i--) {
      const grounds = keys.filter(() => random.chance(0.05)).slice(0, 4).map((k) => `"${k}"`);
      lines.push(`  - stage: ${random.pick(STAGES)}`, `    date: ${date(random, 2014, 2024)}`);
      if (random.chance(0.5)) lines.push(`    reference: ${inlineText(random, `INFR(${random.int(2014, 2024)})${random.int(1000, 2999)}`)}`);
      if (grounds.length) lines.push(`    grounds: [${grounds.join(', ')}]`);
    }
  }
  if (random.chance(0.3)) lines.push('# end of file');
  return lines.join(eol) + eol;
}

/** Writes `size` files under `outDir` (1,000 a folder), unless that corpus is there already. */
export function generateCorpus(size, outDir, ruleset, seed = 20_110_093) {
  const marker = path.join(outDir, `.complete-${size}-v${GENERATOR_VERSION}-${seed}`);
  if (existsSync(marker)) return outDir;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const random = createRandom(seed);
  const start = Date.UTC(2014, 0, 1);
  for (let i = 0; i < size; i++) {
    const memberState = MEMBER_STATES[i % MEMBER_STATES.length];
    // Each file its own date, so that each is a measure set of its own.
    const asOf = new Date(start + Math.floor(i / MEMBER_STATES.length) * 86_400_000).toISOString().slice(0, 10);
    const folder = path.join(outDir, String(Math.floor(i / 1000)).padStart(2, '0'));
    if (i % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `m${String(i).padStart(5, '0')}.yaml`), measureFileText(random, ruleset, { memberState, asOf }));
  }
  writeFileSync(marker, '');
  return outDir;
}
