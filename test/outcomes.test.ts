import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './helpers.js';

/** How outcomes are decided: one fixture per behaviour, its expectations written inside it (see its README). */
function expectations(file: string) {
  const text = readFileSync(file, 'utf8');
  const all = (tag: string) => [...text.matchAll(new RegExp(`^# ${tag}: (.+?)\\s*$`, 'gm'))].map((m) => m[1]!);
  const pair = (line: string) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)] as const;
  return {
    args: all('args').flatMap((a) => a.split(/\s+/)),
    outcomes: all('expect').map(pair),
    messages: all('expect-message').map(pair),
    assessments: all('expect-assessment').map(pair),
    notices: all('expect-notice'),
    notBound: all('expect-not-bound'),
    exit: Number(all('expect-exit')[0]),
  };
}

interface JsonResult {
  member_state: string;
  not_bound?: string;
  notices: string[];
  provisions: Record<string, string>;
  findings: { provision: string; message: string; assessment?: { state: string } }[];
}

const dir = fixture('outcomes');
const cases = readdirSync(dir)
  .filter((name) => name !== 'README.md')
  .sort()
  .map((name) => {
    const target = path.join(dir, name);
    const first = statSync(target).isDirectory() ? path.join(target, readdirSync(target).sort()[0]!) : target;
    return [name, target, expectations(first)] as const;
  });

describe('how outcomes are decided (fixtures/outcomes)', () => {
  it.each(cases)('%s', async (_, target, expected) => {
    expect(expected.outcomes.length + expected.notBound.length).toBeGreaterThan(0);
    const { code, stdout, stderr } = await runCli(['check', target, '--format', 'json', '--all', '--today', '2024-07-15', ...expected.args]);
    expect(stderr).toBe('');
    const results = JSON.parse(stdout).results as JsonResult[];
    // Several descriptions of one Member State: one result per evaluation date.
    expect(results).toHaveLength(1);
    const [result] = results as [JsonResult];
    for (const [provision, outcome] of expected.outcomes) expect(`${provision} ${result.provisions[provision]}`).toBe(`${provision} ${outcome}`);
    for (const [provision, words] of expected.messages) {
      const messages = result.findings.filter((f) => f.provision === provision).map((f) => f.message);
      expect(messages.join('\n'), provision).toContain(words);
    }
    for (const [provision, state] of expected.assessments) {
      expect(result.findings.find((f) => f.provision === provision && f.assessment)?.assessment?.state).toBe(state);
    }
    for (const words of expected.notices) expect(result.notices.join('\n')).toContain(words);
    for (const words of expected.notBound) {
      expect(result.not_bound).toContain(words);
      expect(result.findings).toEqual([]);
    }
    expect(code).toBe(expected.exit);
  });
});
