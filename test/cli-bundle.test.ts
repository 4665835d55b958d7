import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, ROOT } from './helpers.js';

// bin/conformity.js runs the CLI bundled into CommonJS chunks (scripts/bundle-cli.mjs, dist/bundle/);
// the library and the in-process tests use the ES modules in dist/. Both must behave alike.

const BIN = path.join(ROOT, 'bin/conformity.js');
const BUNDLE = path.join(ROOT, 'dist/bundle');
/** The CLI from the ES modules, as bin/conformity.js ran it before the bundle. */
const FROM_MODULES = `const { installProcessHandlers, main } = await import(${JSON.stringify(path.join(ROOT, 'dist/cli.js'))});
installProcessHandlers();
process.exitCode = await main(process.argv.slice(1));`;

const run = (args: string[]) => spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const outcome = (r: ReturnType<typeof run>) => ({ status: r.status, stdout: r.stdout, stderr: r.stderr });

describe('the bundled CLI (bin/conformity.js)', () => {
  it.each([
    [['--version']],
    [['check', fixture('measures'), '--format', 'json', '--today', '2026-01-01']],
    [['check', fixture('eu27'), '--format', 'sarif', '--today', '2026-01-01']],
    [['check', fixture('invalid')]],
    [['rules', '--format', 'json']],
    [['explain', '3(4)']],
    [['report', fixture('eu27'), '--format', 'markdown', '--today', '2026-01-01']],
  ])('gives what the ES modules give: %j', (args) => {
    const bundled = run([BIN, ...args]);
    expect(bundled.status).not.toBeNull();
    expect(outcome(bundled)).toEqual(outcome(run(['--input-type=module', '-e', FROM_MODULES, '--', ...args])));
  });

  it('is CommonJS by its folder, with the worker thread beside the chunk that starts it', () => {
    expect(JSON.parse(readFileSync(path.join(BUNDLE, 'package.json'), 'utf8'))).toEqual({ type: 'commonjs' });
    expect(existsSync(path.join(BUNDLE, 'check-worker.js'))).toBe(true);
    const chunks = readdirSync(BUNDLE).filter((name) => name.endsWith('.js'));
    const naming = chunks.filter((name) => readFileSync(path.join(BUNDLE, name), 'utf8').includes('new URL("./check-worker.js"'));
    expect(naming.length).toBe(1);
  });

  it('runs from the ES modules where the bundle was not built (tsc alone)', () => {
    // A copy of the package whose dist/ has everything but bundle/ (linked, so modules resolve as in the real one).
    const folder = mkdtempSync(path.join(tmpdir(), 'conformity-unbundled-'));
    try {
      mkdirSync(path.join(folder, 'bin'));
      mkdirSync(path.join(folder, 'dist'));
      copyFileSync(BIN, path.join(folder, 'bin/conformity.js'));
      copyFileSync(path.join(ROOT, 'package.json'), path.join(folder, 'package.json'));
      for (const name of readdirSync(path.join(ROOT, 'dist')).filter((n) => n !== 'bundle')) symlinkSync(path.join(ROOT, 'dist', name), path.join(folder, 'dist', name));
      const args = ['check', fixture('measures'), '--format', 'json', '--today', '2026-01-01'];
      expect(outcome(run([path.join(folder, 'bin/conformity.js'), ...args]))).toEqual(outcome(run([BIN, ...args])));
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it.each([['the bundled', path.join(BUNDLE, 'check-worker.js')], ['the ES-module', path.join(ROOT, 'dist/check-worker.js')]])(
    '%s check worker whose rule set cannot be read fails, even where rejections only warn',
    (_, worker) => {
      const script = `const { Worker } = require('node:worker_threads');
const w = new Worker(${JSON.stringify(worker)}, { workerData: { rules: '/no/such/rules' } });
w.on('message', (m) => console.log('message', m));
w.on('error', (e) => console.log('error', e.message));
w.on('exit', (code) => console.log('exit', code));
setTimeout(() => { console.log('hung'); process.exit(3); }, 10000).unref();`;
      const result = spawnSync(process.execPath, ['--unhandled-rejections=warn', '-e', script], { encoding: 'utf8' });
      expect(result.stdout).toMatch(/^error .*\/no\/such\/rules.*\nexit 1\n$/);
    },
  );
});
