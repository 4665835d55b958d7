import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/index.js';
import type { CliIo } from './commands/context.js';
import { CheckerError } from './errors.js';
import { terminalSafe } from './report/terminal-safe.js';
import { VERSION } from './version.js';

export type { CliIo } from './commands/context.js';

/** The real process's standard streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return new Uint8Array(Buffer.concat(chunks));
    },
    env: process.env,
    isTTY: !!process.stdout.isTTY,
    columns: process.stdout.columns,
  };
}

function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('conformity')
    .description('Check how EU Member States have transposed a directive into national law (default: Directive 2011/93/EU).')
    .version(VERSION, '-V, --version')
    .option('--debug', 'show stack traces of internal errors')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride()
    .showHelpAfterError('(run conformity --help for usage)');
  for (const register of COMMANDS) register(program, { io, setExit });
  return program;
}

/** Runs the CLI and returns its exit status: 0 clean, 1 findings at or above --fail-on, 2 bad input or usage. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const program = buildProgram(io, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are not errors; every usage error is exit status 2 (the contract), not commander's 1.
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? 0 : 2;
    }
    if (error instanceof CheckerError) {
      const lines = error.message.split('\n').map((line) => (error.code === 'ruleset' ? terminalSafe(line) : `conformity: ${terminalSafe(line)}`));
      io.stderr(`${lines.join('\n')}\n`);
      return 2;
    }
    const err = error as Error;
    io.stderr(`conformity: internal error: ${terminalSafe(err?.message ?? String(error))}\n`);
    if (argv.includes('--debug') && err?.stack) io.stderr(`${err.stack}\n`);
    return 2;
  }
}
