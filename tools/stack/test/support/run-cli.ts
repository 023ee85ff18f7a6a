import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** A CLI of this package, run from source (`node src/cli/<name>.ts`). */
export function cliPath(name: 'start' | 'chaos'): string {
  return fileURLToPath(new URL(`../../src/cli/${name}.ts`, import.meta.url));
}

/** The result of {@link runCli}. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a CLI to its end with `env` on top of `PATH` only (no inherited settings). */
export async function runCli(
  name: 'start' | 'chaos',
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<CliRun> {
  const child = spawnCli(name, args, env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}

/** Spawns a CLI with piped output; the caller must make sure it ends. */
export function spawnCli(
  name: 'start' | 'chaos',
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): ChildProcess {
  return spawn(process.execPath, [cliPath(name), ...args], {
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
