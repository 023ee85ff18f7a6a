import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { repositoryRoot } from '../../src/services.ts';

/** The order service's dead-letter tool (`npm run dlq -- …`), built. */
const dlqCli = `${repositoryRoot}services/order/dist/cli/dlq.js`;

/** Runs `npm run dlq -- <args>` (its built CLI) against `redisUrl`. */
export async function runDlq(
  redisUrl: string,
  args: readonly string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [dlqCli, ...args], {
    env: { PATH: process.env['PATH'] ?? '', REDIS_URL: redisUrl, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
