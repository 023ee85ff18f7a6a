// A fresh folder outside the repository with npm and tsc run in it the way a user runs them.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';

/** The repository's root. */
export const repoRoot = new URL('../../..', import.meta.url).pathname.replace(/\/$/, '');

/** A temp folder; `remove()` deletes it. */
export interface TempProject {
  readonly dir: string;
  /**
   * Runs a command in `cwd` (default `dir`) with {@link userEnv}; resolves with its stdout, then
   * its stderr; rejects with both.
   */
  run(command: string, args: readonly string[], env?: NodeJS.ProcessEnv, cwd?: string): Promise<string>;
  remove(): void;
}

/**
 * A temp folder, optionally holding a copy of `from` without node_modules, dist and src/vendor
 * (what a fresh clone of it would hold).
 */
export function tempProject(prefix: string, from?: string): TempProject {
  const dir = mkdtempSync(join(tmpdir(), `shipshape-${prefix}-`));
  if (from) {
    const skipped = new Set(['node_modules', 'dist', join('src', 'vendor')]);
    cpSync(from, dir, {
      recursive: true,
      filter: (path) => !skipped.has(relative(from, path)) && !path.includes(`${sep}node_modules${sep}`),
    });
  }
  return {
    dir,
    run: (command, args, env = {}, cwd = dir) => run(cwd, command, args, env),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** npm flags for a test install: the machine's cache first, no audit or funding chatter. */
export const npmQuiet = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

async function run(
  cwd: string,
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<string> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, [...args], {
      cwd,
      env: { ...userEnv(), ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stderr ? `${stdout}\n${stderr}` : stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout}${stderr}`, { cause: error });
  }
}

/**
 * The environment a user's shell would have: without what `npm test` and turbo set for the
 * workspace (npm_*, INIT_CWD, TURBO_*) and without OTEL_* settings of the outer process.
 */
export function userEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(npm_|INIT_CWD$|TURBO_|OTEL_|VITEST|NODE_OPTIONS$)/i.test(name),
    ),
  );
}
