// npm run bench:attacks: runs `conformity check` (whole process) on each attack class of
// attack-inputs.js and prints wall time, peak resident memory, exit code and the first line of
// stderr. The bound every class must keep: under 5 s and 500 MB. Not a test (see
// test/attack-bounds.test.ts); writes bench/out/attacks.json.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ATTACK_CLASSES } from './attack-inputs.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'bench/out/attacks');
// CONFORMITY_BIN runs another build (say, the one before a change) on the same inputs.
const BIN = process.env.CONFORMITY_BIN ?? path.join(ROOT, 'bin/conformity.js');
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const TIMEOUT_MS = 120_000;
const only = process.env.ATTACKS ? new RegExp(process.env.ATTACKS, 'i') : undefined;

if (!existsSync(path.join(ROOT, 'dist/cli.js'))) {
  console.error('bench: run `npm run build` first');
  process.exit(2);
}

/** Runs the CLI on one input; for a stream, offers up to `streamBytes` of zeros and counts what it took. */
function run(args, stream) {
  return new Promise((resolve) => {
    const command = TIME ? [TIME, '-f', 'MAXRSS %M', process.execPath, BIN, ...args] : [process.execPath, BIN, ...args];
    const started = process.hrtime.bigint();
    // Its own process group, so that a timeout ends /usr/bin/time and the node under it together.
    const child = spawn(command[0], command.slice(1), { stdio: [stream ? 'pipe' : 'ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    let offered = 0;
    child.stderr.on('data', (chunk) => {
      if (stderr.length < 100_000) stderr += chunk;
    });
    const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), TIMEOUT_MS);
    if (stream) {
      const zeros = Buffer.alloc(64 * 1024);
      child.stdin.on('error', () => {});
      const pump = () => {
        while (offered < stream.streamBytes) {
          offered += zeros.length;
          if (!child.stdin.write(zeros)) return void child.stdin.once('drain', pump);
        }
        child.stdin.end();
      };
      pump();
    }
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /MAXRSS (\d+)/.exec(stderr);
      const message = stderr.replace(/MAXRSS \d+\s*$/, '').replace(/Command exited with non-zero status \d+\s*/, '');
      resolve({ seconds, rssMb: rss ? Number(rss[1]) / 1024 : undefined, code: code ?? signal, first: message.split('\n')[0].slice(0, 140), offeredMb: stream ? offered / 1024 / 1024 : undefined });
    });
  });
}

mkdirSync(OUT, { recursive: true });
const results = { date: new Date().toISOString(), node: process.version, cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))), classes: [] };
console.log(`${results.cpus} CPUs, load average ${results.loadAverage.join(' ')}; bound: 5 s, 500 MB`);
for (const attack of ATTACK_CLASSES) {
  if (only && !only.test(attack.name)) continue;
  let result;
  if (attack.stdin) {
    result = await run(['check', '-', '--format', 'json'], attack);
  } else {
    const file = path.join(OUT, `${attack.name.replace(/\W+/g, '-').replace(/^-|-$/g, '').toLowerCase()}.yaml`);
    writeFileSync(file, attack.input());
    result = await run(['check', file, '--format', 'json'], undefined);
  }
  const within = result.seconds < 5 && (result.rssMb === undefined || result.rssMb < 500);
  results.classes.push({ name: attack.name, before: attack.before, ...result, within });
  console.log(
    `${within ? 'ok  ' : 'OVER'} ${attack.name.padEnd(68)} ${result.seconds.toFixed(2).padStart(6)} s ${result.rssMb === undefined ? '' : `${result.rssMb.toFixed(0).padStart(5)} MB`}  exit ${result.code}` +
      `${result.offeredMb === undefined ? '' : `  (${result.offeredMb.toFixed(0)} MB offered)`}\n     ${result.first}`,
  );
}
writeFileSync(path.join(ROOT, process.env.ATTACKS_OUT ?? 'bench/out/attacks.json'), `${JSON.stringify(results, null, 2)}\n`);
