import { freePort } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../src/index.ts';
import { waitForConfig } from '../src/overrides/wait-for-config.ts';
import { runCli } from './support/run-cli.ts';

// `npm run chaos` as a child process against two running payment replicas and a private Redis.
describe('npm run chaos', () => {
  const server = useRedisServer();
  let stack: Stack;
  let redis: Redis;
  const env = (): Record<string, string> => ({ REDIS_URL: server.url });

  beforeAll(async () => {
    stack = await startStack({ redisUrl: server.url, replicas: { user: 0, order: 0, payment: 2 } });
    redis = new Redis(server.url);
  }, 90_000);

  afterAll(async () => {
    await redis?.quit();
    await stack?.stop();
  }, 60_000);

  it('sets a chaos key on every replica and prints what it set', { timeout: 30_000 }, async () => {
    const run = await runCli('chaos', ['payment', 'errorRate=0.5', 'latency-ms=250ms'], env());
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('payment: chaos.errorRate = 0.5 (was not overridden)');
    expect(run.stdout).toContain('payment: chaos.latencyMs = 250 (was not overridden)');
    expect(await redis.hgetall('config:payment')).toEqual({
      'chaos.errorRate': '0.5',
      'chaos.latencyMs': '250ms',
    });
    await waitForConfig(
      stack.processes,
      (config) => config['chaos.errorRate']?.value === 0.5 && config['chaos.latencyMs']?.value === 250,
      { adminToken: stack.adminToken },
    );
  });

  it('shows the overrides in force', async () => {
    const run = await runCli('chaos', ['payment'], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('payment: chaos.errorRate = 0.5');
  });

  it('removes one override with an empty value', { timeout: 30_000 }, async () => {
    const run = await runCli('chaos', ['payment', 'latencyMs='], env());
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('chaos.latencyMs override removed (was 250ms)');
    expect(await redis.hgetall('config:payment')).toEqual({ 'chaos.errorRate': '0.5' });
  });

  it('refuses an out-of-range value, an unknown key and a startup-only key, writing nothing', async () => {
    const run = await runCli(
      'chaos',
      ['payment', 'declineRate=0.2', 'errorRate=1.5', 'bogus=1', 'port=1'],
      env(),
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('errorRate:');
    expect(run.stderr).toContain('bogus: unknown key');
    expect(run.stderr).toContain('port: port only applies at startup');
    expect(await redis.hgetall('config:payment')).toEqual({ 'chaos.errorRate': '0.5' });
  });

  it('refuses a key of another service', async () => {
    const run = await runCli('chaos', ['user', 'declineRate=0.5'], env());
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('declineRate: unknown key (not a setting of the user service)');
  });

  it(
    'reset removes every override and the replicas fall back to their defaults',
    { timeout: 30_000 },
    async () => {
      const run = await runCli('chaos', ['payment', 'reset'], env());
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('removed chaos.errorRate (was 0.5)');
      expect(await redis.exists('config:payment')).toBe(0);
      await waitForConfig(stack.processes, (config) => config['chaos.errorRate']?.source === 'default', {
        adminToken: stack.adminToken,
      });
    },
  );

  it('exits 2 on bad usage', async () => {
    for (const args of [
      ['shipping', 'x=1'],
      ['payment', 'errorRate'],
      ['payment', 'reset', 'x=1'],
    ]) {
      const run = await runCli('chaos', args, env());
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
    }
  });

  it('exits 1 with a clear message when Redis is unreachable', async () => {
    const run = await runCli('chaos', ['payment', 'errorRate=1'], {
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Redis is unreachable at redis://127.0.0.1:');
    expect(run.stderr).toContain('ECONNREFUSED');
  });
});
