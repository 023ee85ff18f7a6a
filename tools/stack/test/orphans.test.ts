import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';

const fixture = fileURLToPath(new URL('fixtures/stack-owner.ts', import.meta.url));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// Service processes never outlive the process that started them, however it ends.
describe('no orphans', () => {
  const redis = useRedisServer();

  for (const signal of ['SIGKILL', 'SIGTERM'] as const)
    it(`the services die when their owner is ended by ${signal}`, { timeout: 60_000 }, async () => {
      const owner = spawn(process.execPath, [fixture], {
        env: { PATH: process.env['PATH'] ?? '', REDIS_URL: redis.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let output = '';
      owner.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      try {
        await waitFor('the fixture to report its service pid', () => output.includes('}'), {
          timeoutMs: 45_000,
        });
        const { pid } = JSON.parse(output) as { pid: number };
        expect(alive(pid)).toBe(true);
        const exited = once(owner, 'exit');
        owner.kill(signal);
        await exited;
        await waitFor(`payment process ${pid} to die with its owner`, () => !alive(pid), {
          timeoutMs: 10_000,
        });
      } finally {
        if (owner.exitCode === null && owner.signalCode === null) owner.kill('SIGKILL');
      }
    });
});
