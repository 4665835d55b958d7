import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { fixture, ROOT } from './helpers.js';

// npm pack, then install the tarball into a private prefix, preferring the npm cache (the
// dependencies' tarballs are there since npm ci; --offline fails with ENOTCACHED because npm ci keeps
// no package metadata), and run the installed command from another folder. About 6 s.
const folder = mkdtempSync(path.join(tmpdir(), 'conformity-pack-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });

describe('the published package', () => {
  const packed = npm(['pack', '--json', '--pack-destination', folder, '--ignore-scripts'], ROOT);
  const listing = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  const files = listing[0]!.files.map((f) => f.path);

  it('holds the licence, the built code, its sources for the maps, the rules, the action and the hooks; no tests', () => {
    expect(packed.status).toBe(0);
    expect(files).toEqual(expect.arrayContaining(['LICENSE', 'README.md', 'package.json', 'bin/conformity.js', 'dist/cli.js', 'dist/index.d.ts', 'src/cli.ts', 'action.yml', '.pre-commit-hooks.yaml']));
    expect(files.some((f) => f.startsWith('rules/2011-93-eu/'))).toBe(true);
    expect(files.some((f) => f.startsWith('test/') || f.startsWith('fixtures/') || f.startsWith('node_modules/'))).toBe(false);
    // Every source map points at a shipped source.
    for (const map of files.filter((f) => f.endsWith('.js.map'))) {
      const { sources } = JSON.parse(readFileSync(path.join(ROOT, map), 'utf8')) as { sources: string[] };
      for (const source of sources) expect(files, `${map} → ${source}`).toContain(path.posix.join(path.posix.dirname(map), source));
    }
    const licence = readFileSync(path.join(ROOT, 'LICENSE'), 'utf8');
    expect(licence).toContain('European Union Public Licence v. 1.2');
    expect(licence).toContain('15. Applicable Law');
    expect(licence.length).toBeGreaterThan(12_000);
  });

  it('installs from the tarball and runs from another folder: --version and a check', () => {
    const prefix = path.join(folder, 'prefix');
    const tarball = path.join(folder, listing[0]!.filename);
    const install = npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', tarball], folder);
    expect(install.status, install.stderr).toBe(0);
    const bin = path.join(prefix, 'bin', 'conformity');
    const version = spawnSync(bin, ['--version'], { cwd: folder, encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version);
    const check = spawnSync(bin, ['check', fixture('measures/fi.yaml'), '--format', 'json'], { cwd: folder, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(JSON.parse(check.stdout).results[0].member_state).toBe('FI');
    expect(readdirSync(path.join(prefix, 'lib/node_modules/conformity'))).toContain('dist');
  }, 120_000);
});

describe('action.yml, the composite GitHub Action', () => {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { description: string; default?: string; required?: boolean }>;
    runs: { using: string; steps: { run: string; shell: string; env?: Record<string, string> }[] };
  };

  it('is a composite action whose every input is used, and only through the environment', () => {
    expect(action.runs.using).toBe('composite');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['paths', 'formats', 'fail-on', 'sarif-category']));
    const steps = JSON.stringify(action.runs.steps);
    for (const [name, input] of Object.entries(action.inputs)) {
      expect(input.description.length).toBeGreaterThan(0);
      expect(steps, name).toContain(`\${{ inputs.${name} }}`);
    }
    for (const step of action.runs.steps) {
      expect(step.shell).toBe('bash');
      expect(step.run).not.toContain('${{');
    }
    for (const name of Object.keys(action.inputs)) {
      const variable = `INPUT_${name.toUpperCase().replace(/-/g, '_')}`;
      expect(action.runs.steps.some((s) => s.env?.[variable] === `\${{ inputs.${name} }}` && s.run.includes(`$${variable}`)), name).toBe(true);
    }
  });

  it('.pre-commit-hooks.yaml runs the installed command on YAML files', () => {
    const hooks = parse(readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; entry: string; language: string; files: string }[];
    expect(hooks.map((h) => h.id)).toEqual(['conformity-validate', 'conformity-check']);
    for (const hook of hooks) {
      expect(hook.language).toBe('node');
      expect(hook.entry).toMatch(/^conformity (validate|check)$/);
      expect(new RegExp(hook.files).test('measures/de.yaml')).toBe(true);
    }
  });
});
