import { describe, expect, it } from 'vitest';
import { directRun } from '../src/commands/direct.js';
import { fixture, runCli } from './helpers.js';

// `explain` and `rules` command lines in their plain forms run without commander (start-up time);
// everything else goes to commander. Both ways must give the same output and exit status.

const TAKEN: string[][] = [
  ['explain', '3(4)'],
  ['explain', 'Art. 3(4)'],
  ['explain', 'article 3 (5)(II)'],
  ['explain', '3(4)', '--format', 'json'],
  ['explain', '-f', 'json', '3(4)'],
  ['explain', '3(4)', '--format=json'],
  ['explain', '3(4)', '--format', 'json', '--format', 'text'],
  ['explain', '3(4)', '--as-of', '2020-01-01', '-f', 'json'],
  ['explain', '3(4)', '--as-of=2020-02-30'],
  ['explain', '3(9)'],
  ['explain', '3(4)x'],
  ['explain', 'help'],
  ['explain', '3(4)', '--rules', '/no/such/rules'],
  ['explain', '3(4)', '--rules', fixture('rulesets/invented-directive')],
  ['explain', '4(1)', '--format', 'json', '--rules', fixture('rulesets/invented-directive')],
  ['rules'],
  ['rules', '--format', 'json'],
  ['rules', '-f', 'markdown'],
  ['rules', '--topic', 'offences', '--format=json'],
  ['rules', '-t', 'offences'],
  ['rules', '--topic', 'offence'],
  ['rules', '--rules', '/no/such/rules'],
  ['rules', '--format', 'json', '--rules', fixture('rulesets/invented-directive')],
];

const LEFT_TO_COMMANDER: string[][] = [
  ['explain'],
  ['explain', '3(4)', '3(5)'],
  ['explain', '--help'],
  ['explain', '3(4)', '-h'],
  ['explain', '3(4)', '--format', 'xml'],
  ['explain', '3(4)', '--format'],
  ['explain', '3(4)', '--format='],
  ['explain', '3(4)', '-fjson'],
  ['explain', '3(4)', '-f=json'],
  ['explain', '3(4)', '--formats', 'json'],
  ['explain', '3(4)', '--debug'],
  ['explain', '3(4)', '-V'],
  ['explain', '--', '3(4)'],
  ['explain', '-'],
  ['explain', '-1'],
  ['explain', '3(4)', '--measures', 'fixtures/measures'],
  ['explain', '3(4)', '-m', '-'],
  ['explain', '3(4)', '--max-file-size', '1k'],
  ['explain', '3(4)', '--rules', '--format'],
  ['explain', '3(4)', '--as-of', '-1'],
  ['rules', 'extra'],
  ['rules', 'help'],
  ['rules', '--topic'],
  ['rules', '--format', 'csv'],
  ['rules', '--version'],
  ['rules', '--help'],
  ['help', 'rules'],
  ['--debug', 'explain', '3(4)'],
  ['check', 'fixtures/measures'],
  [],
];

describe('explain and rules without commander', () => {
  it('take only the plain forms of their command lines', () => {
    for (const argv of TAKEN) expect(directRun(argv), argv.join(' ')).toBeTypeOf('function');
    for (const argv of LEFT_TO_COMMANDER) expect(directRun(argv), argv.join(' ')).toBeUndefined();
  });

  it('give exactly what commander gives for every form they take', async () => {
    for (const argv of TAKEN) expect(await runCli(argv, { throughCommander: true }), argv.join(' ')).toEqual(await runCli(argv));
  });

  it('are tried on output, both exit statuses, and usage and rule-set errors', async () => {
    const runs = await Promise.all(TAKEN.map((argv) => runCli(argv)));
    expect(new Set(runs.map((r) => r.code))).toEqual(new Set([0, 2]));
    expect(runs.filter((r) => r.code === 0).every((r) => r.stdout !== '' && r.stderr === '')).toBe(true);
    expect(runs.filter((r) => r.code === 2).every((r) => r.stdout === '' && r.stderr !== '')).toBe(true);
  });
});
