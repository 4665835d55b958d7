import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixture, ROOT } from './helpers.js';

// The CI recipes of docs/ci.md, run as the CI would run them (the built CLI in place of the
// installed one), in a private folder; the files they name are checked. The README's library
// example is run too.
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const CI_PAGE = readFileSync(path.join(ROOT, 'docs/ci.md'), 'utf8');
/** The first YAML block under a `## heading` of docs/ci.md. */
function recipe(heading: string): Record<string, any> {
  const start = CI_PAGE.indexOf(`\n## ${heading}\n`);
  expect(start, `docs/ci.md has no "## ${heading}" section`).toBeGreaterThan(-1);
  return parse(/```yaml\n([\s\S]*?)```/.exec(CI_PAGE.slice(start))![1]!) as Record<string, any>;
}
const [github, gitlab] = [recipe('GitHub Actions'), recipe('GitLab CI')];
const BIN = path.join(ROOT, 'bin/conformity.js');

const folder = mkdtempSync(path.join(tmpdir(), 'conformity-readme-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function workspace(name: string, withError = false): string {
  const repo = path.join(folder, name);
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'measures'));
  cpSync(fixture('measures/mt.yaml'), path.join(repo, 'measures/mt.yaml'));
  cpSync(fixture('measures/fi.yaml'), path.join(repo, 'measures/fi.yaml'));
  if (withError) writeFileSync(path.join(repo, 'measures/bad.yaml'), readFileSync(fixture('measures/fi.yaml'), 'utf8').replace('member_state: FI', 'member_state: SE').replace('provisions:', 'provisions:\n  "99(9)": { status: transposed }'));
  return repo;
}

describe('docs/ci.md: GitHub Actions recipe, with the shipped action', () => {
  const steps = github!.jobs.check.steps as { uses?: string; with?: Record<string, string>; run?: string; if?: string }[];
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: string }>; runs: { steps: { run: string; env?: Record<string, string> }[] } };
  const ours = steps.find((s) => s.uses?.includes('/conformity@'))!;

  /** The action's check step, with the recipe's inputs, as the runner would run it. */
  function runAction(repo: string) {
    const step = action.runs.steps.at(-1)!;
    const inputs = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [name, ours.with?.[name] ?? input.default ?? '']));
    const env: Record<string, string> = { ...(process.env as Record<string, string>), GITHUB_ACTION_PATH: ROOT, GITHUB_STEP_SUMMARY: path.join(repo, 'summary.md'), NO_COLOR: '1' };
    for (const [variable, value] of Object.entries(step.env!)) env[variable] = inputs[/inputs\.([\w-]+)/.exec(value)![1]!]!;
    return spawnSync('bash', ['-c', step.run], { cwd: repo, env, encoding: 'utf8' });
  }

  it('gives annotations, a job summary, a SARIF with the category and a JUnit file', () => {
    expect(ours.with).toMatchObject({ paths: 'measures/', 'fail-on': 'error', 'sarif-category': 'measures' });
    const repo = workspace('github');
    const run = runAction(repo);
    expect(run.status).toBe(1);
    expect(run.stdout.split('\n').filter(Boolean).every((line) => line.startsWith('::'))).toBe(true);
    expect(readFileSync(path.join(repo, 'summary.md'), 'utf8')).toContain('# Conformity report');
    const sarif = JSON.parse(readFileSync(path.join(repo, 'conformity.sarif'), 'utf8'));
    expect(sarif.runs[0].automationDetails.id).toBe('measures/');
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true);
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation).toMatchObject({ uri: 'measures/mt.yaml', uriBaseId: '%SRCROOT%' });
    expect(readFileSync(path.join(repo, 'conformity.xml'), 'utf8')).toContain('<testsuite name="MT"');
    // Half-researched files: what is not assessed is counted in the summary, not raised as alerts or annotations.
    expect(sarif.runs[0].results.filter((r: { properties: { outcome: string } }) => r.properties.outcome === 'not-assessed')).toEqual([]);
    expect(run.stdout).not.toMatch(/ not-assessed::/);
    expect(readFileSync(path.join(repo, 'summary.md'), 'utf8')).toMatch(/\(\d+ not conform, [1-9]\d* not assessed, /);
    const upload = steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(upload.with).toMatchObject({ sarif_file: 'conformity.sarif', category: 'measures' });
  });

  it('does not upload a SARIF made while an input error kept a Member State from being evaluated', () => {
    const repo = workspace('github-error', true);
    expect(runAction(repo).status).toBe(2);
    const guard = steps.find((s) => s.run?.includes('executionSuccessful'))!;
    const output = path.join(repo, 'github-output');
    const run = spawnSync('bash', ['-c', guard.run!], { cwd: repo, env: { ...process.env, GITHUB_OUTPUT: output }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe('ok=false\n');
    expect(steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!.if).toContain("steps.complete.outputs.ok == 'true'");
  });
});

describe('docs/ci.md: GitLab CI recipe', () => {
  it('gives the JUnit and Code Quality files its artifacts name', () => {
    const job = gitlab!.conformity as { script: string[]; artifacts: { reports: Record<string, string> } };
    const repo = workspace('gitlab');
    const command = job.script[0]!.replace(/^npx --yes \S+/, `"${process.execPath}" "${BIN}"`);
    const run = spawnSync('bash', ['-c', command], { cwd: repo, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status).toBe(1);
    const junit = readFileSync(path.join(repo, job.artifacts.reports.junit!), 'utf8');
    expect(junit).toContain('<testsuites name="conformity"');
    const quality = JSON.parse(readFileSync(path.join(repo, job.artifacts.reports.codequality!), 'utf8')) as { location: { path: string } }[];
    expect(quality.length).toBeGreaterThan(0);
    expect(quality[0]!.location.path).toBe('measures/mt.yaml');
  });
});

describe('README: library example', () => {
  it('runs as written against the built package', () => {
    const code = /## Library\n\n```ts\n([\s\S]*?)```/.exec(README)![1]!;
    const project = path.join(folder, 'library');
    mkdirSync(path.join(project, 'node_modules'), { recursive: true });
    symlinkSync(ROOT, path.join(project, 'node_modules/conformity'));
    mkdirSync(path.join(project, 'measures'));
    cpSync(fixture('measures/fi.yaml'), path.join(project, 'measures/fi.yaml'));
    writeFileSync(path.join(project, 'example.mjs'), code);
    const run = spawnSync(process.execPath, ['example.mjs'], { cwd: project, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).results[0].member_state).toBe('FI');
    expect(existsSync(path.join(project, 'measures/fi.yaml'))).toBe(true);
  });
});
