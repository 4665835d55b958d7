import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import stringWidth from 'string-width';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type CliIo } from '../src/cli.js';
import { COMMANDS } from '../src/commands/index.js';
import { terminalSafe } from '../src/formats/terminal-safe.js';
import { wrapText } from '../src/formats/text-layout.js';
import { fixture, ROOT, runCli } from './helpers.js';

const BIN = path.join(ROOT, 'bin/conformity.js');
const dir = mkdtempSync(path.join(tmpdir(), 'conformity-width-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Lines wider than `width`, except one that overruns only by a single unbreakable word (a path or URL). */
function overlong(text: string, width: number): string[] {
  return text.split('\n').filter((line) => {
    if (stringWidth(line) <= width) return false;
    const words = line.trim().split(/\s+/);
    return !words.some((word) => /[/\\]/.test(word) && stringWidth(line) - stringWidth(word) <= width);
  });
}

/** The CLI as a child process, as a log sees it (standard output not a terminal), with COLUMNS set. */
function runChild(args: string[], columns: number): string {
  try {
    return execFileSync(process.execPath, [BIN, ...args], { env: { ...process.env, COLUMNS: String(columns), NO_COLOR: '1' }, encoding: 'utf8' });
  } catch (error) {
    return (error as { stdout: string }).stdout;
  }
}

/** The CLI in-process as a log sees it: what processIo gives when standard output is a file or pipe. */
async function inLog(args: string[], columns: number): Promise<string> {
  let out = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: () => undefined, env: { COLUMNS: String(columns), NO_COLOR: '1' }, isTTY: false, columns: undefined };
  await main(args, io);
  return out;
}

/** The CLI in-process on a terminal of `columns`. */
async function onTerminal(args: string[], columns: number): Promise<string> {
  let out = '';
  const io: CliIo = { stdout: (t) => void (out += t), stderr: () => undefined, env: {}, isTTY: true, columns };
  await main([...args, '--no-color'], io);
  return out;
}

const MEASURES = fixture('measures');
const COMMAND_LINES = [
  ['check', MEASURES],
  ['check', MEASURES, '--all'],
  ['explain', '3(4)'],
  ['explain', '3(4)', '--measures', MEASURES],
  ['explain', '9(c)', '--measures', MEASURES],
  ['rules'],
  ['diff', path.join(ROOT, 'examples/de/2021-06-30.yaml'), path.join(ROOT, 'examples/de/2024-06-01.yaml')],
];

describe('text output fits the terminal', () => {
  it.each(COMMAND_LINES.flatMap((args) => [80, 200].map((columns) => [args, columns] as const)))('%j at COLUMNS=%i (a log)', async (args, columns) => {
    const out = await inLog([...args], columns);
    expect(out.length).toBeGreaterThan(200);
    expect(overlong(out, columns)).toEqual([]);
  });

  it.each(COMMAND_LINES.flatMap((args) => [80, 120, 200].map((columns) => [args, columns] as const)))('%j on a terminal of %i columns', async (args, columns) => {
    expect(overlong(await onTerminal([...args], columns), columns)).toEqual([]);
  });

  it('a log gets one line per finding: FILE:LINE:COL  severity  provision  outcome: message (a child process)', async () => {
    // The real process: standard output a pipe, the width from COLUMNS; the in-process runs above see the same.
    const out = runChild(['check', path.join(MEASURES, 'mt.yaml')], 80);
    expect(await inLog(['check', path.join(MEASURES, 'mt.yaml')], 80)).toBe(out);
    expect(out).not.toContain('│');
    // At 80 columns the message goes below a long location, indented.
    expect(out).toMatch(/^ {2}\S+mt\.yaml:71:22 +error +2\(a\)\n {6}not-conform: child_age_limit is 16/m);
    expect(runChild(['check', path.join(MEASURES, 'mt.yaml')], 200)).toMatch(/^ {2}\S+mt\.yaml:71:22 +error +2\(a\) +not-conform: child_age_limit is 16/m);
  });

  it('a wide terminal gets the table, a narrow one the compact layout', async () => {
    expect(await onTerminal(['check', MEASURES], 200)).toMatch(/│ Provision +│/);
    expect(await onTerminal(['check', MEASURES], 80)).not.toContain('│');
  });

  it('wide and combining characters are measured as the terminal draws them', () => {
    const cjk = '刑法第176条 '.repeat(20);
    for (const line of wrapText(cjk, 40)) expect(stringWidth(line)).toBeLessThanOrEqual(40);
    const combining = 'e\u0301'.repeat(100);
    const lines = wrapText(combining, 30);
    expect(lines.every((l) => stringWidth(l) <= 30)).toBe(true);
    expect(lines.join('')).toBe(combining);
  });

  it('a URL or path is never broken, even where it overruns', () => {
    const url = `https://eur-lex.europa.eu/${'x'.repeat(100)}`;
    expect(wrapText(`see ${url} here`, 40)).toEqual(['see', url, 'here']);
  });
});

describe('untrusted text in text outputs', () => {
  it.each([
    ['escape sequences are removed', 'a\u001b[31mred\u001b]8;;http://x\u0007link', 'aredlink'],
    ['bidi controls are shown', 'a\u202eb\u2066c', 'a\\u202eb\\u2066c'],
    ['invisible characters are shown', 'a\u200bb\ufeffc\u00adz', 'a\\u200bb\\ufeffc\\xadz'],
    ['lone surrogates are shown', 'a\ud800b\udc00c', 'a\\ud800b\\udc00c'],
    ['a pair is kept', 'a😀b', 'a😀b'],
    ['line breaks become spaces', 'a\nb\r\nc', 'a b c'],
  ])('%s', (_, input, output) => expect(terminalSafe(input)).toBe(output));

  it('a rule file\'s escape sequences never reach the terminal through `rules`', async () => {
    const rules = path.join(dir, 'rules');
    execFileSync('cp', ['-r', path.join(ROOT, 'rules/2011-93-eu'), rules]);
    const file = path.join(rules, 'ruleset.yaml');
    const { readFileSync } = await import('node:fs');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^title: .*$/m, 'title: "Evil \\e]8;;http://x\\a title \\e[2J"'));
    for (const format of ['text', 'markdown']) {
      const { stdout } = await runCli(['rules', '--rules', rules, '--format', format]);
      expect(stdout).not.toContain('\u001b');
    }
  });
});

describe('the same common flags on every command', () => {
  it.each(Object.keys(COMMANDS))('%s takes --rules, --color and --no-color', async (name) => {
    const { stdout } = await runCli([name, '--help']);
    for (const flag of ['--rules <dir>', '--color', '--no-color']) expect(stdout).toContain(flag);
  });

  it.each(['check', 'validate', 'init', 'import'])('%s takes -q, --quiet', async (name) => {
    expect((await runCli([name, '--help'])).stdout).toContain('-q, --quiet');
  });

  it.each([
    ['explain', '3(4)', '--no-color'],
    ['explain', '3(4)', '--color'],
    ['rules', '--no-color'],
    ['schema', '--no-color'],
    ['validate', fixture('measures/mt.yaml'), '--no-color', '--quiet'],
  ])('%s … accepts the common flags', async (...argv) => {
    const { code, stderr } = await runCli(argv);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
