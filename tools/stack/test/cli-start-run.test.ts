import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort, waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCli } from './support/run-cli.ts';

// `npm start` (its CLI, run from source; turbo builds the services before tests) running all
// three services against a private Redis on free ports, stopped by Ctrl-C.
describe('npm start, running', () => {
  const redis = useRedisServer();
  const children: ChildProcess[] = [];

  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  const ports = async (): Promise<{ USER_PORT: string; ORDER_PORT: string; PAYMENT_PORT: string }> => ({
    USER_PORT: String(await freePort()),
    ORDER_PORT: String(await freePort()),
    PAYMENT_PORT: String(await freePort()),
  });

  it(
    'runs the three services with prefixed logs and stops them gracefully on Ctrl-C',
    { timeout: 120_000 },
    async () => {
      const env = { REDIS_URL: redis.url, ...(await ports()) };
      const child = spawnCli('start', ['--no-console'], env);
      children.push(child);
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = once(child, 'exit');
      await waitFor(
        'npm start to report ready',
        () => output.includes('[stack] ready:') || child.exitCode !== null,
        {
          timeoutMs: 90_000,
        },
      );
      expect(output).toContain('[stack] ready:');
      for (const variable of ['USER_PORT', 'ORDER_PORT', 'PAYMENT_PORT'])
        expect((await fetch(`http://127.0.0.1:${env[variable as keyof typeof env]}/ready`)).status).toBe(200);
      for (const prefix of ['user-0    | ', 'order-0   | ', 'payment-0 | '])
        expect(output).toMatch(
          new RegExp(`${prefix.replace(/[|]/g, '\\|')}\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO`),
        );

      child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      expect(output).toContain('[stack] stopped');
      for (const variable of ['USER_PORT', 'ORDER_PORT', 'PAYMENT_PORT'])
        await expect(fetch(`http://127.0.0.1:${env[variable as keyof typeof env]}/health`)).rejects.toThrow();
    },
  );
});
