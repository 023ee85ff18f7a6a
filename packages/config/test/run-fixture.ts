import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** How a child process ended. */
export interface FixtureResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/**
 * Runs `test/fixtures/<name>` with Node (type stripping runs the .ts directly) and resolves when
 * it exits, or after `timeoutMs` with `timedOut` set (the child is then killed).
 */
export function runFixture(name: string, env: NodeJS.ProcessEnv, timeoutMs = 15_000): Promise<FixtureResult> {
  const path = fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
  const child = spawn(process.execPath, [path], { env: { PATH: process.env['PATH'], ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}
