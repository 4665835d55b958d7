import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT, tempFolders } from './helpers.js';

// Child-process tests of the built CLI (npm run build first), each in a private temp folder.
const BIN = path.join(ROOT, 'bin/conformity.js');
const DE = fixture('measures/fi.yaml');
const privateFolder = tempFolders('ci');

function cli(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, encoding: 'utf8', input: options.input, env: { ...process.env, NO_COLOR: '1', GITHUB_STEP_SUMMARY: '', ...options.env } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

const temporaries = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.tmp'));
const MT = fixture('measures/mt.yaml');

describe('outputs are never destroyed', () => {
  it('writes straight into a FIFO (never replaced by a regular file)', async () => {
    const folder = privateFolder();
    const fifo = path.join(folder, 'report.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn(process.execPath, [BIN, 'check', DE, '--format', `json=${fifo}`, '--fail-on', 'never'], { cwd: folder });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const reader = spawn('cat', [fifo]);
    let text = '';
    reader.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const read = new Promise((resolve) => reader.on('exit', resolve));
    const code = await exited;
    await read;
    expect(code).toBe(0);
    expect(JSON.parse(text).results[0].member_state).toBe('FI');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(temporaries(folder)).toEqual([]);
  });

  it('writes through a symlink to its target, atomically, and keeps the link', () => {
    const folder = privateFolder();
    mkdirSync(path.join(folder, 'reports'));
    writeFileSync(path.join(folder, 'reports/real.sarif'), 'old');
    symlinkSync('reports/real.sarif', path.join(folder, 'link.sarif'));
    const run = cli(['check', DE, '--format', 'sarif=link.sarif', '--fail-on', 'never'], { cwd: folder });
    expect(run.code).toBe(0);
    expect(lstatSync(path.join(folder, 'link.sarif')).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(path.join(folder, 'reports/real.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(temporaries(folder)).toEqual([]);
    expect(temporaries(path.join(folder, 'reports'))).toEqual([]);
  });

  it('refuses a link to an input and a rule file, and writes nothing then (all or nothing)', () => {
    const folder = privateFolder();
    const input = path.join(folder, 'de.yaml');
    writeFileSync(input, readFileSync(DE));
    symlinkSync('de.yaml', path.join(folder, 'link.json'));
    writeFileSync(path.join(folder, 'first.json'), 'old');
    const toInput = cli(['check', 'de.yaml', '--format', 'junit=first.json', '--format', 'json=link.json'], { cwd: folder });
    expect(toInput.code).toBe(2);
    expect(toInput.stderr).toBe('conformity: link.json: refusing to overwrite an input file\n');
    expect(readFileSync(path.join(folder, 'first.json'), 'utf8')).toBe('old');
    expect(readFileSync(input)).toEqual(readFileSync(DE));
    // A rule file of a custom rule set (copied into the private folder), directly and through a link.
    const rules = path.join(folder, 'rules');
    spawnSync('cp', ['-r', path.join(ROOT, 'rules/2011-93-eu'), rules]);
    const ruleFile = readdirSync(rules).find((name) => name.endsWith('.yaml'))!;
    const before = readFileSync(path.join(rules, ruleFile));
    symlinkSync(path.join(rules, ruleFile), path.join(folder, 'rule-link.json'));
    for (const target of [path.join(rules, ruleFile), 'rule-link.json']) {
      const run = cli(['check', 'de.yaml', '--rules', rules, '--output', target, '--format', 'json'], { cwd: folder });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('refusing to overwrite a rule-set file');
    }
    expect(readFileSync(path.join(rules, ruleFile))).toEqual(before);
  });

  it('checks every target before writing any: a missing folder for the second leaves the first untouched', () => {
    const folder = privateFolder();
    writeFileSync(path.join(folder, 'a.json'), 'old');
    const run = cli(['check', DE, '--format', 'json=a.json', '--format', 'sarif=missing/b.sarif'], { cwd: folder });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^conformity: missing\/b\.sarif: the folder .* does not exist\n$/);
    expect(readFileSync(path.join(folder, 'a.json'), 'utf8')).toBe('old');
    expect(temporaries(folder)).toEqual([]);
  });

  it('a failed write to standard output is exit 2 with one line (a file over the size limit: EFBIG)', () => {
    const folder = privateFolder();
    const out = path.join(folder, 'out.json');
    const run = spawnSync('bash', ['-c', `ulimit -f 4; exec "${process.execPath}" "${BIN}" check "${fixture('measures')}" --format json > "${out}"`], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('conformity: cannot write to standard output (EFBIG)\n');
  });

  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s while writing: no temporary file left, the previous report intact, exit %i in a shell', async (signal, expected) => {
    const folder = privateFolder();
    writeFileSync(path.join(folder, 'a.json'), 'previous');
    const fifo = path.join(folder, 'blocked.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // a.json is written to its temporary file first; then the FIFO, with no reader, blocks the run.
    // bash reports how the CLI ended as a shell does ($? is 128 + the signal number).
    const script = `bash -c 'echo $$ > pid; exec "${process.execPath}" "${BIN}" check "${DE}" --format json=a.json --format sarif=blocked.fifo'; echo "status $?"`;
    const child = spawn('bash', ['-c', script], { cwd: folder });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    for (let i = 0; i < 200 && temporaries(folder).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(temporaries(folder)).toHaveLength(1);
    const exited = new Promise((resolve) => child.on('exit', resolve));
    process.kill(Number(readFileSync(path.join(folder, 'pid'), 'utf8')), signal);
    await exited;
    expect(out).toBe(`status ${expected}\n`);
    expect(temporaries(folder)).toEqual([]);
    expect(readFileSync(path.join(folder, 'a.json'), 'utf8')).toBe('previous');
  });

  it('a reader of stderr that goes away ends the run quietly, exit 2', async () => {
    const child = spawn(process.execPath, [BIN, 'check', fixture('invalid')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
  });
});

describe('no forged workflow commands', () => {
  it('a file named like a workflow command starts no stderr line with ::', () => {
    const folder = privateFolder();
    mkdirSync(path.join(folder, 'measures'));
    writeFileSync(path.join(folder, 'measures', '::error file=README.md,line=1::x.yaml'), 'format: 1\nnot: [valid\n');
    for (const format of ['json', 'junit', 'markdown', 'sarif', 'codequality']) {
      const run = cli(['check', '::error file=README.md,line=1::x.yaml', '--format', format], { cwd: path.join(folder, 'measures') });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('./::error file=README.md,line=1::x.yaml:');
      expect(`${run.stdout}\n${run.stderr}`).not.toMatch(/^::/m);
    }
    const github = cli(['check', '::error file=README.md,line=1::x.yaml', '--format', 'github'], { cwd: path.join(folder, 'measures') });
    for (const line of github.stdout.split('\n').filter(Boolean)) expect(line).toMatch(/^::error file=%3A%3Aerror/);
    expect(github.stderr).not.toMatch(/^::/m);
  });
});

describe('CI formats and gates', () => {
  it('--format codequality: the GitLab subset, stable fingerprints', () => {
    const run = cli(['check', MT, '--format', 'codequality', '--fail-on', 'never']);
    const issues = JSON.parse(run.stdout) as { description: string; check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }[];
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) {
      expect(Object.keys(issue).sort()).toEqual(['check_name', 'description', 'fingerprint', 'location', 'severity', 'type']);
      expect(['info', 'minor', 'major', 'critical', 'blocker']).toContain(issue.severity);
      expect(issue.location.lines.begin).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(issues.map((i) => i.fingerprint)).size).toBe(issues.length);
    // A half-researched file: the ~70 provisions not assessed, and the chapeaux derived from their paragraphs, are no issues.
    expect(issues.filter((i) => / not-assessed: /.test(i.description) || /^MT Art\. [345]\(1\) /.test(i.description))).toEqual([]);
    expect(issues.filter((i) => i.severity === 'major').length).toBeGreaterThan(20);
    expect(JSON.parse(cli(['check', MT, '--format', 'codequality', '--fail-on', 'never']).stdout)).toEqual(issues);
  });

  it('--write-baseline then --baseline: known findings do not fail; a new one does', () => {
    const folder = privateFolder();
    writeFileSync(path.join(folder, 'de.yaml'), readFileSync(MT));
    expect(cli(['check', 'de.yaml', '--format', 'json=out.json'], { cwd: folder }).code).toBe(1);
    expect(cli(['check', 'de.yaml', '--write-baseline', 'baseline.json', '--format', 'json=out.json'], { cwd: folder }).code).toBe(1);
    const known = cli(['check', 'de.yaml', '--baseline', 'baseline.json', '--format', 'json'], { cwd: folder });
    expect(known.code).toBe(0);
    expect(known.stderr).toContain('0 new finding(s)');
    expect(JSON.parse(known.stdout).results[0].findings.every((f: { baseline: string }) => f.baseline === 'known')).toBe(true);
    // The baseline holds what can fail a run: provisions not assessed too (warnings, seen by --fail-on warning).
    const baseline = JSON.parse(readFileSync(path.join(folder, 'baseline.json'), 'utf8')) as { findings: { provision: string; outcome: string; severity: string }[] };
    expect(baseline.findings.some((f) => f.outcome === 'not-assessed' && f.severity === 'warning')).toBe(true);
    expect(cli(['check', 'de.yaml', '--baseline', 'baseline.json', '--fail-on', 'warning', '--max-warnings', '0'], { cwd: folder }).code).toBe(0);
    // A finding the baseline does not list is new.
    const withoutOne = (outcome: string) => {
      const i = baseline.findings.findIndex((f) => f.outcome === outcome);
      expect(i).toBeGreaterThanOrEqual(0);
      return JSON.stringify({ ...baseline, findings: baseline.findings.filter((_, j) => j !== i) });
    };
    writeFileSync(path.join(folder, 'smaller.json'), withoutOne('not-conform'));
    const fresh = cli(['check', 'de.yaml', '--baseline', 'smaller.json', '--format', 'json'], { cwd: folder });
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toMatch(/: 1 new finding\(s\) \(1 error, 0 warning\)/);
    // A new provision not assessed is a new warning: it fails only at --fail-on warning.
    writeFileSync(path.join(folder, 'smaller.json'), withoutOne('not-assessed'));
    expect(cli(['check', 'de.yaml', '--baseline', 'smaller.json'], { cwd: folder }).code).toBe(0);
    expect(cli(['check', 'de.yaml', '--baseline', 'smaller.json', '--fail-on', 'warning'], { cwd: folder }).code).toBe(1);
    // A known provision not assessed that is then recorded as not transposed got worse: a new error.
    expect(baseline.findings.find((f) => f.provision === '22')).toMatchObject({ outcome: 'not-assessed', severity: 'warning' });
    writeFileSync(path.join(folder, 'de.yaml'), `${readFileSync(MT, 'utf8')}  "22": { status: not-transposed }\n`);
    const worse = cli(['check', 'de.yaml', '--baseline', 'baseline.json'], { cwd: folder });
    expect(worse.code).toBe(1);
    expect(worse.stderr).toMatch(/: 1 new finding\(s\) \(1 error, 0 warning\)/);
    const broken = cli(['check', 'de.yaml', '--baseline', 'de.yaml'], { cwd: folder });
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('--baseline de.yaml: not JSON');
    // A severity is needed: a finding is known at its severity and below, so one that got worse is new.
    writeFileSync(path.join(folder, 'no-severity.json'), JSON.stringify({ format: 'conformity-baseline/1', findings: [{ member_state: 'MT', rule: 'r', provision: '22' }] }));
    const unrated = cli(['check', 'de.yaml', '--baseline', 'no-severity.json'], { cwd: folder });
    expect(unrated.code).toBe(2);
    expect(unrated.stderr).toContain('findings[0] needs member_state, rule and provision as strings, and severity "error", "warning" or "info"');
  });

  it('--max-warnings N fails when there are more new warnings than N', () => {
    // Provisions not assessed are warnings too (as for --fail-on warning), though only --all lists them.
    type Finding = { severity: string; outcome: string };
    const findings = (args: string[]) => JSON.parse(cli(['check', MT, '--format', 'json', '--fail-on', 'never', ...args]).stdout).results[0].findings as Finding[];
    const listed = findings([]).filter((f) => f.severity === 'warning');
    const every = findings(['--all']).filter((f) => f.severity === 'warning');
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.some((f) => f.outcome === 'not-assessed')).toBe(false);
    expect(every.filter((f) => f.outcome !== 'not-assessed')).toEqual(listed);
    const warnings = every.length;
    expect(warnings).toBeGreaterThan(listed.length);
    expect(cli(['check', MT, '--format', 'json', '--fail-on', 'never', '--max-warnings', String(warnings)]).code).toBe(0);
    const over = cli(['check', MT, '--format', 'json', '--fail-on', 'never', '--max-warnings', String(warnings - 1)]);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain(`more than --max-warnings ${warnings - 1}`);
    expect(cli(['check', DE, '--max-warnings', 'many']).code).toBe(2);
  });

  it('--format github appends a Markdown job summary to $GITHUB_STEP_SUMMARY; --step-summary does with any format', () => {
    const folder = privateFolder();
    const summary = path.join(folder, 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    cli(['check', MT, '--format', 'github'], { env: { GITHUB_STEP_SUMMARY: summary } });
    cli(['check', MT, '--format', 'json', '--step-summary'], { env: { GITHUB_STEP_SUMMARY: summary } });
    const text = readFileSync(summary, 'utf8');
    expect(text.startsWith('earlier step\n# Conformity report')).toBe(true);
    expect(text.split('# Conformity report').length - 1).toBe(2);
    expect(existsSync(path.join(folder, 'x'))).toBe(false);
  });
});

// Microsoft's SARIF Multitool (a .NET program shipped in @microsoft/sarif-multitool-linux). Its npm
// bin passes arguments through a shell, so it is run directly.
const multitool = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;

describe('SARIF that GitHub code scanning accepts: Multitool, SARIF and GitHub rules', () => {
  const folder = privateFolder();
  const repo = path.join(folder, 'repo');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'measures/sub'), { recursive: true });
  writeFileSync(path.join(repo, 'measures/de.yaml'), readFileSync(MT));
  writeFileSync(path.join(folder, 'outside.yaml'), readFileSync(MT));
  writeFileSync(path.join(repo, 'measures/bad.yaml'), readFileSync(DE, 'utf8').replace('member_state: FI', 'member_state: SE').replace('provisions:', 'provisions:\n  "99(9)": { status: transposed }'));

  // Every SARIF made below is validated in one Multitool run at the end (each run costs seconds of .NET start-up).
  const made: [name: string, file: string][] = [];

  it.each([
    ['relative', ['measures/de.yaml'], repo],
    ['absolute', [path.join(repo, 'measures/de.yaml')], repo],
    ['./', ['./measures/de.yaml'], repo],
    ['../', ['../de.yaml'], path.join(repo, 'measures/sub')],
    ['outside the root', ['../outside.yaml'], repo],
    ['stdin', ['-'], repo],
    ['an input error', ['measures/de.yaml', 'measures/bad.yaml'], repo],
  ])('%s: a SARIF file with %%SRCROOT%% and the run status', (name, inputs, cwd) => {
    const sarif = path.join(folder, `${name.replace(/\W/g, '_')}.sarif`);
    const run = cli(['check', ...inputs, '--format', `sarif=${sarif}`, '--sarif-category', 'measures'], { cwd, input: inputs[0] === '-' ? readFileSync(MT, 'utf8') : undefined });
    expect(run.code).toBe(name === 'an input error' ? 2 : 1);
    const log = JSON.parse(readFileSync(sarif, 'utf8'));
    expect(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${repo}/`);
    if (name === 'an input error') expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    made.push([name, sarif]);
  });

  it('the Multitool finds zero errors and zero warnings in each of them, and does report a bad one', () => {
    expect(made).toHaveLength(7);
    // One log holding every run: the Multitool spends about a second of CPU on each file it reads (and
    // looks up every URL's host), so seven files cost seven times one. The logs differ only in their
    // runs; each run's problems are told apart by the lines it occupies.
    const logs = made.map(([, file]) => JSON.parse(readFileSync(file, 'utf8')) as { runs: unknown[] });
    for (const log of logs) {
      expect(log.runs).toHaveLength(1);
      expect({ ...log, runs: [] }).toEqual({ ...logs[0], runs: [] });
    }
    const lines = JSON.stringify({ ...logs[0], runs: [] }, null, 2).split('\n').slice(0, -2);
    lines.push('  "runs": [');
    const runLines: [name: string, first: number, last: number][] = [];
    logs.forEach((log, index) => {
      const runText = JSON.stringify(log.runs[0], null, 2).split('\n').map((line) => `    ${line}`);
      if (index < logs.length - 1) runText[runText.length - 1] += ',';
      runLines.push([made[index]![0], lines.length + 1, lines.length + runText.length]);
      lines.push(...runText);
    });
    lines.push('  ]', '}');
    const all = path.join(folder, 'all-runs.sarif');
    writeFileSync(all, `${lines.join('\n')}\n`);
    expect((JSON.parse(readFileSync(all, 'utf8')) as { runs: unknown[] }).runs).toEqual(logs.map((log) => log.runs[0]));
    const bad = path.join(folder, 'bad.sarif');
    writeFileSync(bad, JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'r' }] } }, results: [{ ruleId: 'r', message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: '/abs' } } }] }] }] }));
    // A host lookup that gets no answer waits 1 s, not the resolver's 5 s: the lookups decide nothing.
    const validation = spawnSync(multitool, ['validate', '--rule-kind', 'Sarif;Gh', all, bad], { encoding: 'utf8', env: { ...process.env, RES_OPTIONS: 'timeout:1 attempts:1' } });
    expect(validation.error).toBeUndefined();
    const problems = validation.stdout.split('\n').filter((line) => /: (error|warning) [A-Z]+\d+/.test(line));
    // The check can fail: the bad file is reported.
    expect(problems.some((line) => line.startsWith(bad) && /error (SARIF1004|GH\d+)/.test(line))).toBe(true);
    // Whatever is reported of the log with every run, the log's own lines included, is a failure.
    const ofAll = problems.filter((line) => line.startsWith(`${all}(`));
    const lineOf = (problem: string) => Number(/^[^(]*\((\d+)/.exec(problem.slice(all.length))?.[1]);
    for (const [name, first, last] of runLines) expect(ofAll.filter((problem) => lineOf(problem) >= first && lineOf(problem) <= last), name).toEqual([]);
    expect(ofAll).toEqual([]);
  }, 60_000);
});
