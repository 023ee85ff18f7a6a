import { createServer } from 'node:net';
import { freePort } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import { runCli } from './support/run-cli.ts';

// How `npm start` (its CLI, run from source) refuses to start: Redis down, a port in use, bad
// options. The running case is in cli-start-run.test.ts.
describe('npm start, refusing to start', () => {
  const redis = useRedisServer();

  const ports = async (): Promise<{ USER_PORT: string; ORDER_PORT: string; PAYMENT_PORT: string }> => ({
    USER_PORT: String(await freePort()),
    ORDER_PORT: String(await freePort()),
    PAYMENT_PORT: String(await freePort()),
  });

  it(
    'fails fast with exit 1 and a clear message when Redis is unreachable',
    { timeout: 30_000 },
    async () => {
      const run = await runCli('start', [], {
        REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        ...(await ports()),
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Redis is unreachable at redis://127.0.0.1:');
      expect(run.stderr).toContain('ECONNREFUSED');
    },
  );

  it('exits 1 naming the port when one is in use', { timeout: 30_000 }, async () => {
    const env = { REDIS_URL: redis.url, ...(await ports()) };
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(env.PAYMENT_PORT), resolve));
    try {
      const run = await runCli('start', [], env);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`port ${env.PAYMENT_PORT} (payment) already in use`);
    } finally {
      blocker.close();
    }
  });

  it('exits 2 on a bad option and 0 with the usage on --help', async () => {
    expect((await runCli('start', ['--replicas', 'order=x'], {})).code).toBe(2);
    const help = await runCli('start', ['--help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: npm start');
  });
});
