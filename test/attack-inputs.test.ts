import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, processGroups, resolveRuleSet } from '../src/check.js';
import { ROOT } from './helpers.js';

/**
 * Inputs as CI jobs and hostile submitters give them (issues #14 and #17): links, non-measure YAML,
 * changed-files runs, stdin names, unreadable paths, files changing mid-run, and the cost of
 * errors. Child processes run the compiled CLI in private temp folders.
 */

const BIN = path.join(ROOT, 'bin/conformity.js');
const made: string[] = [];
afterAll(() => made.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A private temp folder holding `files` (path → text or bytes; parents made). */
function folder(files: Record<string, string | Uint8Array> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'conformity-attack-'));
  made.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The compiled CLI in `cwd`, timed. */
function cli(args: string[], cwd: string, input?: string) {
  const started = performance.now();
  const run = spawnSync(process.execPath, [BIN, ...args], { cwd, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr, seconds: (performance.now() - started) / 1000 };
}

const json = (stdout: string) => JSON.parse(stdout) as { inputs: { file: string }[]; results: { member_state: string; files: string[] }[]; diagnostics: { file: string; code: string; message: string }[] };

const measure = (memberState: string, key = '3(1)', extra = '') =>
  `format: 1\ndirective: 2011/93/EU\nmember_state: ${memberState}\nas_of: 2024-06-30\nsources: { code: { title: Code } }\nprovisions:\n  "${key}": { status: transposed, national: [{ source: code, article: "1" }] }\n${extra}`;

const SECRET = 'root:$y$j9T$secret-hash-that-must-never-be-printed:19000:0:99999:7:::';

describe('links in searched folders and globs', () => {
  const dir = folder({
    'm/de.yaml': measure('DE'),
    'm/sub/fr.yaml': measure('FR'),
    'outside/shadow.yaml': `${SECRET}\ndaemon:*:19000:0:99999:7:::\n`,
    'outside/measure.yaml': measure('IT'),
  });
  symlinkSync('../outside/shadow.yaml', path.join(dir, 'm/evil.yaml'));
  symlinkSync(path.join(dir, 'outside'), path.join(dir, 'm/outdir'));
  symlinkSync('..', path.join(dir, 'm/sub/loop'));
  symlinkSync('de.yaml', path.join(dir, 'm/z-again.yaml'));
  symlinkSync('sub', path.join(dir, 'm/z-linked-sub'));

  it.each([['a folder', 'm'], ['a glob', 'm/**/*.yaml']])('%s: follows links inside, reads each file once, refuses links outside without reading them', (_, target) => {
    const run = cli(['check', target, '--format', 'json', '--fail-on', 'never'], dir);
    expect(run.code).toBe(2);
    const report = json(run.stdout);
    expect(report.results.map((r) => r.member_state)).toEqual(['DE', 'FR']);
    // de.yaml, z-again.yaml (a link to it) and m/sub through two links: each file once.
    expect(report.inputs.map((i) => i.file)).toEqual(['m/de.yaml', 'm/sub/fr.yaml']);
    expect(run.stderr).toContain('m/evil.yaml:1:1: a link to a place outside m (not read)');
    expect(run.stderr).toContain('m/outdir:1:1: a link to a place outside m (not read)');
    expect(run.stderr).not.toContain('secret-hash');
    expect(run.stderr).not.toContain('daemon');
  });

  it('reads a file named twice (a.yaml, ./a.yaml, a link) once', () => {
    const run = cli(['check', 'm/de.yaml', './m/de.yaml', 'm/z-again.yaml', '--format', 'json'], dir);
    expect(json(run.stdout).inputs.map((i) => i.file)).toEqual(['m/de.yaml']);
    const twice = cli(['check', 'm/sub', './m/sub/', 'm/sub/*.yaml', '--format', 'json'], dir);
    expect(twice.stderr).not.toMatch(/no \*\.yaml|no measure files match/);
    expect(twice.stderr).toContain('m/sub/loop:1:1: a link to a place outside m/sub (not read)');
    expect(json(twice.stdout).inputs.map((i) => i.file)).toEqual(['m/sub/fr.yaml']);
  });

  it('names a file that is no measure file in one error that quotes none of it', () => {
    const run = cli(['check', 'outside/shadow.yaml', '--format', 'json'], dir);
    expect(run.code).toBe(2);
    const lines = run.stderr.split('\n').filter((l) => l.startsWith('outside/'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^outside\/shadow\.yaml:1:1: not a measure file: it has no format or directive key/);
    expect(run.stderr).not.toContain('secret-hash');
  });
});

describe('YAML that is not a measure file, --exclude, globs and folders alike', () => {
  const dir = folder({
    'repo/de.yaml': measure('DE'),
    'repo/FR.YAML': measure('FR'),
    'repo/docker-compose.yml': 'services:\n  web:\n    image: nginx\n',
    'repo/mkdocs.yml': 'site_name: x\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n',
    'repo/empty.yaml': '',
    'repo/node_modules/pkg/it.yaml': measure('IT'),
    'repo/drafts/pl.yaml': measure('PL', '3(1)', 'colour: blue\n'),
  });

  it('skips them in a folder with a notice, and names each', () => {
    const run = cli(['validate', 'repo', '--exclude', 'drafts'], dir);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('2 measure file(s) valid');
    expect(run.stderr).toContain('conformity: skipped repo/docker-compose.yml: not a measure file (no format or directive key)');
    expect(run.stderr).toContain('conformity: skipped repo/mkdocs.yml: not a measure file');
    expect(run.stderr).toContain('conformity: skipped repo/empty.yaml: empty');
  });

  it('keeps a named one an error', () => {
    const run = cli(['validate', 'repo/docker-compose.yml'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('repo/docker-compose.yml:1:1: not a measure file: it has no format or directive key');
  });

  it('finds the same files from a folder and a glob: .YAML in, node_modules and excluded paths out', async () => {
    const fromFolder = await check({ paths: [path.join(dir, 'repo')], exclude: ['**/drafts/**'], validateOnly: true });
    const fromGlob = await check({ paths: [`${dir}/repo/**/*.yaml`], exclude: ['drafts/'], validateOnly: true });
    const names = (r: typeof fromFolder) => r.inputs.map((i) => path.basename(i.name));
    expect(names(fromFolder)).toEqual(['FR.YAML', 'de.yaml']);
    expect(names(fromGlob)).toEqual(['FR.YAML', 'de.yaml']);
    expect(fromFolder.diagnostics).toEqual([]);
  });
});

describe('changed-files mode and standard input', () => {
  const dir = folder({
    'm/de-1.yaml': measure('DE', '3(1)'),
    'm/de-2.yaml': measure('DE', '3(2)'),
    'm/fr.yaml': measure('FR', '3(1)'),
    'm/notes.yml': 'title: not a measure file\n',
  });

  it('--complete-sets reads the rest of a named file\'s set from its folder, and nothing else', () => {
    const alone = json(cli(['check', 'm/de-1.yaml', '--format', 'json', '--all', '--fail-on', 'never'], dir).stdout);
    const completed = cli(['check', 'm/de-1.yaml', '--complete-sets', '--format', 'json', '--all', '--fail-on', 'never'], dir);
    const report = json(completed.stdout);
    expect(alone.results[0]!.files).toEqual(['m/de-1.yaml']);
    expect(report.results.map((r) => [r.member_state, r.files])).toEqual([['DE', ['m/de-1.yaml', 'm/de-2.yaml']]]);
    expect(completed.stderr).not.toContain('skipped');
  });

  it('--stdin-filename names standard input in every format', () => {
    for (const format of ['text', 'json', 'sarif', 'junit', 'github', 'markdown', 'csv']) {
      const run = cli(['check', '-', '--stdin-filename', 'm/named.yaml', '--format', format, '--all', '--fail-on', 'never'], dir, measure('DE', '3(1)', '  "3(2)": { status: not-transposed }\n'));
      expect(run.code, `${format}: ${run.stderr}`).toBe(0);
      expect(run.stdout, format).toContain('named.yaml');
      expect(run.stdout, format).not.toContain('<stdin>');
    }
    const broken = cli(['check', '-', '--stdin-filename', 'm/named.yaml'], dir, measure('DE', '3(9)'));
    expect(broken.stderr).toContain('m/named.yaml:7:3: unknown provision "3(9)"');
  });
});

describe('nothing half done', () => {
  const BAD = '  "3(9)": { status: transposed }\n';
  const headers: [string, string][] = [
    ['quoted keys', `"format": 1\n"directive": 2011/93/EU\n"member_state": "DE"\n"as_of": "2024-06-30"\nprovisions:\n${BAD}`],
    ['anchors', `format: 1\ndirective: 2011/93/EU\nmember_state: &ms DE\nas_of: &d 2024-06-30\nprovisions:\n${BAD}`],
    ['tags', `format: 1\ndirective: !!str 2011/93/EU\nmember_state: !!str DE\nas_of: !!str 2024-06-30\nprovisions:\n${BAD}`],
    ['indentation', `  format: 1\n  directive: 2011/93/EU\n  member_state: DE\n  as_of: 2024-06-30\n  provisions:\n  ${BAD}`],
    ['a flow map', `{ format: 1, directive: 2011/93/EU, member_state: DE, as_of: 2024-06-30, provisions: { "3(9)": {} } }\n`],
    ['a syntax error after a quoted key', `format: 1\ndirective: 2011/93/EU\n'member_state': DE\nas_of: 2024-06-30\nprovisions: [\n`],
  ];

  it.each(headers)('a Member State whose second file fails (header with %s) is not evaluated from its first', async (_, text) => {
    const dir = folder({ 'a.yaml': measure('DE', '3(1)'), 'b.yaml': text, 'c.yaml': measure('FR') });
    const result = await check({ paths: [dir] });
    expect(result.results.map((r) => r.memberState)).toEqual(['FR']);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  it('withholds every set a file may belong to when its Member State cannot be told, and says so', async () => {
    const dir = folder({ 'a.yaml': measure('DE'), 'b.yaml': 'format: 1\ndirective: 2011/93/EU\nprovisions: [\n', 'c.yaml': measure('FR') });
    const result = await check({ paths: [dir] });
    expect(result.results).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['yaml-syntax', 'set-withheld']);
    expect(result.diagnostics[1]!.message).toContain('which Member State this file describes cannot be told');
  });

  it('reports an over-long path or a file name that is not UTF-8 for that path, and the valid Member States still', () => {
    const dir = folder({ 'm/fr.yaml': measure('FR') });
    writeFileSync(Buffer.concat([Buffer.from(path.join(dir, 'm/bad-')), Buffer.from([0xff, 0xfe]), Buffer.from('.yaml')]), measure('DE'));
    const run = cli(['check', 'm', `m/${'x'.repeat(300)}.yaml`, '--format', 'json', '--fail-on', 'never'], dir);
    expect(run.code).toBe(2);
    expect(json(run.stdout).results.map((r) => r.member_state)).toEqual(['FR']);
    expect(run.stderr).toContain('the name is not valid UTF-8 (not read)');
    expect(run.stderr).toContain('cannot read (ENAMETOOLONG)');
    expect(run.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('reports a file that changed or went away between reading passes for that file, and holds its set back', async () => {
    const dir = folder({ 'de.yaml': measure('DE'), 'fr.yaml': measure('FR'), 'it.yaml': measure('IT') });
    const ruleset = await resolveRuleSet();
    const key = (ms: string) => `${ms}\x002011/93/EU\x002024-06-30`;
    const output = await processGroups(
      [
        [key('DE'), [[path.join(dir, 'de.yaml'), 'a different sha256']]],
        [key('FR'), [[path.join(dir, 'gone.yaml'), 'whatever']]],
        [key('IT'), [[path.join(dir, 'it.yaml'), (await import('../src/load/read-input.js')).sha256(new TextEncoder().encode(measure('IT')))]]],
      ],
      ruleset,
      {},
    );
    expect(output.diagnostics.map((d) => [path.basename(d.file), d.code])).toEqual([
      ['de.yaml', 'input-changed'],
      ['gone.yaml', 'input-changed'],
    ]);
    expect(output.diagnostics[0]!.message).toBe('the file changed during the run; check again');
    expect(output.results.map(([k, r]) => [k.slice(0, 2), r.length])).toEqual([['DE', 0], ['FR', 0], ['IT', 1]]);
  });
});

describe('files changing while a run reads them (child processes)', () => {
  it('reports the file that changed or went away, never an internal error, and keeps every other result', async () => {
    const memberStates = 'AT BE BG CY CZ EE ES FI FR EL HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK'.split(' ');
    const files: Record<string, string> = { 'm/DE-0.yaml': measure('DE', '3(1)'), 'm/DE-1.yaml': measure('DE', '3(2)') };
    for (const ms of memberStates) for (const [i, key] of ['3(1)', '3(2)', '3(3)', '3(4)'].entries()) files[`m/${ms}-${i}.yaml`] = measure(ms, key);
    const dir = folder(files);
    // Rewrites and deletes one DE file as fast as it can until killed.
    const churn = spawn(process.execPath, ['-e', `const fs = require('fs'); const text = ${JSON.stringify(measure('DE', '3(1)'))}; for (let i = 0; ; i++) { if (i % 3 === 0) { try { fs.unlinkSync('m/DE-0.yaml'); } catch {} } else fs.writeFileSync('m/DE-0.yaml', text + '#'.repeat(i % 40) + '\\n'); }`], { cwd: dir, stdio: 'ignore' });
    try {
      for (let run = 0; run < 6; run++) {
        const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [BIN, 'check', 'm', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          child.on('close', (code) => resolve({ code, stdout, stderr }));
        });
        expect(result.stderr).not.toMatch(/internal error|Cannot read properties|\n\s+at /);
        const report = json(result.stdout);
        expect(report.results.filter((r) => r.member_state !== 'DE')).toHaveLength(memberStates.length);
        for (const d of report.diagnostics) expect(path.basename(d.file)).toBe('DE-0.yaml');
        if (report.diagnostics.some((d) => d.code === 'input-changed')) expect(report.results.map((r) => r.member_state)).not.toContain('DE');
        expect(result.code).toBe(report.diagnostics.length ? 2 : 0);
      }
    } finally {
      churn.kill();
    }
  }, 60_000);
});

/** Attack classes as generators: each must finish well within the ceiling (measured: under 1 s each). */
describe('bounded work per input (whole process, ceiling 30 s)', () => {
  const header = 'format: 1\ndirective: 2011/93/EU\nmember_state: DE\nas_of: 2024-06-30\n';
  const keys = '3(1) 3(2) 3(3) 3(4) 3(5)(i) 3(5)(ii) 3(5)(iii) 3(6) 4(1) 4(2) 4(3) 4(4) 4(5) 4(6) 4(7) 5(1) 5(2) 5(3) 5(4) 5(5)'.split(' ');
  /** A thousand 62-character source ids, and `provisions` × `refs` citations of undefined ones. */
  function undefinedSources(provisions: number, refs: number, refLength: number): string {
    const lines = [header, 'sources:\n'];
    for (let i = 0; i < 1000; i++) lines.push(`  ${'s'.repeat(58)}${String(i).padStart(4, '0')}: { title: T }\n`);
    lines.push('provisions:\n');
    for (let p = 0; p < provisions; p++) {
      lines.push(`  "${keys[p]}":\n    status: transposed\n    national:\n`);
      for (let i = 0; i < refs; i++) lines.push(`      - { source: ${'s'.repeat(refLength)}x${p}_${i}, article: "1" }\n`);
    }
    return lines.join('');
  }

  it.each([
    ['92 KB', 1, 200, 60],
    ['480 KB', 8, 500, 60],
    ['2 MB', 20, 500, 160],
  ])('undefined sources among a thousand long ids (%s): at most 100 errors, one count, bounded hints', (_, provisions, refs, refLength) => {
    const dir = folder({ 'refs.yaml': undefinedSources(provisions, refs, refLength) });
    const run = cli(['check', 'refs.yaml', '--format', 'json'], dir);
    expect(run.code).toBe(2);
    expect(run.seconds).toBeLessThan(CEILING);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(102); // 100 errors, "N more errors in refs.yaml", the count line
    expect(lines[100]).toBe(`refs.yaml:${lines[100]!.split(':')[1]}:19: ${provisions * refs - 100} more errors in refs.yaml`);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(1_200);
  });

  it('thousands of unknown long keys: 100 errors, each key quoted at most 60 characters', () => {
    const keysText = Array.from({ length: 3000 }, (_, i) => `k${i}${'y'.repeat(1000)}: 1\n`).join('');
    const dir = folder({ 'keys.yaml': `${header}provisions: {}\n${keysText}` });
    const run = cli(['check', 'keys.yaml', '--format', 'json'], dir);
    expect(run.code).toBe(2);
    expect(run.seconds).toBeLessThan(CEILING);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(102);
    expect(lines[0]).toMatch(/unknown key "k0y{58}…" in the document/);
    expect(lines.at(-2)).toMatch(/^keys\.yaml:\d+:\d+: 2900 more errors in keys\.yaml$/);
  });
});

describe('rule sets', () => {
  const RULESET = `id: proto-facts\nversion: 0.1.0\ndirective: 2099/2/EU\ntitle: Invented directive\nadopted: 2099-01-15\ntransposition_deadline: 2100-06-30\nofficial_text: https://example.invalid/d\narticle_url: https://example.invalid/d#art_{article}\nfacts:\n`;
  const fact = (name: string, scope = 'provision') => `  ${name}:\n    type: boolean\n    scope: ${scope}\n    title: A fact\n    description: A fact named like an Object.prototype member.\n`;
  const rule = (id: string, provision: string, name: string) =>
    `  - id: ${id}\n    provision: "${provision}"\n    article_title: A\n    topic: safety\n    modality: shall\n    requirement: It must be true.\n    checks:\n      - kind: fact-equals\n        fact: ${name}\n        value: true\n`;
  const file = (ms: string, body: string) =>
    `format: 1\ndirective: 2099/2/EU\nmember_state: ${ms}\nas_of: 2100-07-01\nsources: { a: { title: A } }\nprovisions:\n${body}`;

  it.each([['provision', '  "2(1)": { status: transposed, national: [{ source: a, article: "1" }], constructor: true }\n', ''], ['member-state', '  "2(1)": { status: transposed, national: [{ source: a, article: "1" }] }\n', 'constructor: true\n']])(
    'a %s fact named constructor works like any other',
    async (scope, given, top) => {
      const dir = folder({ 'rules/ruleset.yaml': RULESET + fact('constructor', scope), 'rules/a.yaml': `rules:\n${rule('constructor-rule', '2(1)', 'constructor')}` });
      writeFileSync(path.join(dir, 'lu.yaml'), `${top}${file('LU', given)}`);
      writeFileSync(path.join(dir, 'fr.yaml'), file('FR', '  "2(1)": { status: transposed, national: [{ source: a, article: "1" }] }\n'));
      const run = cli(['check', '--rules', 'rules', 'lu.yaml', 'fr.yaml', '--format', 'json', '--all', '--fail-on', 'never'], dir);
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout) as { results: { member_state: string; provisions: Record<string, string> }[] };
      expect(report.results.map((r) => [r.member_state, r.provisions['2(1)']])).toEqual([
        ['FR', 'incomplete'],
        ['LU', 'conform'],
      ]);
    },
  );

  it.each([
    ['a FIFO', (p: string) => run('mkfifo', [p]), 'not a regular file'],
    ['a folder', (p: string) => mkdirSync(p), 'not a regular file'],
    ['a link outside the folder', (p: string) => symlinkSync(path.join(path.dirname(p), '..', 'outside.yaml'), p), 'a link to a place outside the rule-set folder'],
  ])('a rule file that is %s is an error, not a hang', (_, make, words) => {
    const dir = folder({ 'rules/ruleset.yaml': RULESET + fact('flag'), 'rules/a.yaml': `rules:\n${rule('r', '2(1)', 'flag')}`, 'outside.yaml': SECRET, 'lu.yaml': file('LU', '  "2(1)": { status: not-transposed }\n') });
    make(path.join(dir, 'rules/x.yaml'));
    const result = cli(['check', '--rules', 'rules', 'lu.yaml'], dir);
    expect(result.code).toBe(2);
    expect(result.seconds).toBeLessThan(CEILING);
    expect(result.stderr).toContain(`rules/x.yaml: ${words}`);
    expect(result.stderr).not.toContain('secret-hash');
  });
});

const CEILING = 30;

function run(command: string, args: string[]): void {
  if (spawnSync(command, args).status !== 0) throw new Error(`${command} failed`);
}
