import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import { DEFAULT_RULESET_DIR } from '../src/ruleset/load-ruleset.js';
import { fixture, ROOT, runCli, tempFolders } from './helpers.js';

const newTempFolder = tempFolders('rules');

describe('internal errors', () => {
  const failingIo = (stderr: string[]) => ({
    stdout: () => {
      throw new Error('disk on fire');
    },
    stderr: (t: string) => void stderr.push(t),
    env: {},
    isTTY: false,
  });

  it('become one line and exit status 2, without a stack trace', async () => {
    const stderr: string[] = [];
    expect(await main(['check', fixture('measures/fi.yaml')], failingIo(stderr))).toBe(2);
    expect(stderr.join('')).toBe('conformity: internal error: disk on fire\n');
  });

  it('show the stack with --debug', async () => {
    const stderr: string[] = [];
    expect(await main(['--debug', 'check', fixture('measures/fi.yaml')], failingIo(stderr))).toBe(2);
    expect(stderr.join('')).toMatch(/internal error: disk on fire\nError: disk on fire\n\s+at /);
  });
});

describe('a reader that stops early', () => {
  it('ends quietly on EPIPE (conformity check … | head -1)', () => {
    const bin = path.join(ROOT, 'bin/conformity.js');
    const run = spawnSync('sh', ['-c', `node "${bin}" check "${fixture('measures')}" --all --format json | head -c 10`], { encoding: 'utf8' });
    expect(run.stdout).toBe('{\n  "tool"');
    expect(run.stderr).toBe('');
  });
});

describe('rule sets', () => {
  function brokenRuleSet(edit: (text: string) => string, file = 'offences.yaml'): string {
    const dir = newTempFolder();
    cpSync(DEFAULT_RULESET_DIR, dir, { recursive: true });
    const target = path.join(dir, file);
    writeFileSync(target, edit(readFileSync(target, 'utf8')));
    return dir;
  }

  it.each([
    ['a misspelt check kind', (t: string) => t.replace('kind: min-max-penalty', 'kind: min-max-penalti'), 'is "min-max-penalti", which is not one of'],
    ['a broken YAML line', (t: string) => t.replace('rules:', 'rules: [', ), 'is never closed'],
    ['a duplicate id', (t: string) => t.replace(/id: ([a-z-]+)\n([\s\S]*?)id: [a-z-]+\n/, 'id: $1\n$2id: $1\n'), 'the id is already used at'],
  ])('a rule file with %s is an error naming the file and line', async (_, edit, words) => {
    const dir = brokenRuleSet(edit);
    const { code, stderr } = await runCli(['check', fixture('measures/fi.yaml'), '--rules', dir]);
    expect(code).toBe(2);
    expect(stderr).toMatch(new RegExp(`^${path.join(dir, 'offences.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    expect(stderr).toContain(words);
  });

  it('refuses a check that reads an undeclared fact', async () => {
    const dir = brokenRuleSet((t) => t.replace('fact: child_age_limit', 'fact: child_age_limt'), 'definitions.yaml');
    const { code, stderr } = await runCli(['validate', fixture('measures/fi.yaml'), '--rules', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain('reads fact "child_age_limt", which ruleset.yaml does not declare');
  });

  it('names a missing rule-set folder', async () => {
    const { code, stderr } = await runCli(['check', fixture('measures/fi.yaml'), '--rules', '/no/such/rules']);
    expect(code).toBe(2);
    expect(stderr).toContain('/no/such/rules: cannot read the rule-set folder');
  });
});
