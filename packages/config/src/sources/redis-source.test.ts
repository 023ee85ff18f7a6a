import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Config, loadConfig } from '../config.ts';
import type { ReloadEvent } from '../config-events.ts';
import { makeTmpDir } from '../test-support/kube-mount.test-helper.ts';
import { testSchema as schema } from '../test-support/schema.test-helper.ts';
import { defaultSources } from './default-sources.ts';
import { clearOverride, clearOverrides, RedisSource, setOverride } from './redis-source.ts';

const password = 'correct-horse-battery';
const env = { DB__PASSWORD: password };

describe('RedisSource', () => {
  const server = useRedisServer();
  let admin: Redis;
  const configs: Config<typeof schema>[] = [];

  beforeEach(async () => {
    admin = new Redis(server.url, { maxRetriesPerRequest: null });
    admin.on('error', () => {});
    await admin.flushall();
  });
  afterEach(async () => {
    await Promise.all(configs.splice(0).map((c) => c.close()));
    admin.disconnect();
  });

  const start = async (service = 'payment', options: { startupTimeoutMs?: number } = {}) => {
    const config = await loadConfig({
      schema,
      sources: [...defaultSources({ env }), new RedisSource({ redis: server.url, service, ...options })],
      debounceMs: 20,
    });
    configs.push(config);
    return config;
  };

  it('reads overrides present at startup, coerced like env vars, naming the hash field', async () => {
    await admin.hset('config:payment', 'chaos.errorRate', '0.25', 'payment.timeoutMs', '3s');
    const config = await start();
    expect(config.get('chaos.errorRate')).toBe(0.25);
    expect(config.describe()['payment.timeoutMs']).toEqual({
      value: 3000,
      source: 'redis:config:payment/payment.timeoutMs',
    });
  });

  it('pushes one setOverride to every replica and one clearOverride back', async () => {
    const [a, b, other] = [await start(), await start(), await start('order')];
    await setOverride(admin, 'payment', 'chaos.errorRate', 0.5);
    await waitFor(
      'both replicas see 0.5',
      () => a.get('chaos.errorRate') === 0.5 && b.get('chaos.errorRate') === 0.5,
    );
    expect(other.get('chaos.errorRate')).toBe(0);

    await clearOverride(admin, 'payment', 'chaos.errorRate');
    await waitFor(
      'both replicas back to 0',
      () => a.get('chaos.errorRate') === 0 && b.get('chaos.errorRate') === 0,
    );
  });

  it('clears every override of a service at once', async () => {
    const config = await start();
    await setOverride(admin, 'payment', 'chaos.enabled', true);
    await waitFor('enabled', () => config.get('chaos.enabled'));
    await clearOverrides(admin, 'payment');
    await waitFor('disabled', () => !config.get('chaos.enabled'));
  });

  it('sits above every other layer', async () => {
    const dir = await makeTmpDir();
    try {
      const file = join(dir, 'config.json');
      await mkdir(join(dir, 'cm'));
      await mkdir(join(dir, 'sec'));
      await writeFile(file, JSON.stringify({ payment: { retries: 1 } }));
      await writeFile(join(dir, 'cm', 'payment.retries'), '2');
      await writeFile(join(dir, 'sec', 'payment.retries'), '3');
      await admin.hset('config:payment', 'payment.retries', '5');
      const layered = {
        ...env,
        CONFIG_FILE: file,
        CONFIG_DIR: join(dir, 'cm'),
        SECRETS_DIR: join(dir, 'sec'),
      };
      const config = await loadConfig({
        schema,
        watch: false,
        sources: [
          ...defaultSources({ env: { ...layered, PAYMENT__RETRIES: '4' } }),
          new RedisSource({ redis: server.url, service: 'payment' }),
        ],
      });
      configs.push(config);
      expect(config.describe()['payment.retries']).toEqual({
        value: 5,
        source: 'redis:config:payment/payment.retries',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('rejects an invalid override and keeps the last good snapshot', async () => {
    const config = await start();
    const reloads: ReloadEvent[] = [];
    config.onReload((e) => reloads.push(e));
    config.onError(() => {});
    const good = config.get();
    await setOverride(admin, 'payment', 'chaos.errorRate', 'lots');
    await waitFor('a failed reload', () => reloads.some((r) => r.outcome === 'failure'));
    expect(config.get()).toBe(good);
    expect(reloads.find((r) => r.outcome === 'failure')).toMatchObject({
      source: 'redis',
      error: { problems: [{ key: 'chaos.errorRate', source: 'redis:config:payment/chaos.errorRate' }] },
    });
  });

  it('survives a Redis restart: re-reads the hash and resubscribes', async () => {
    const config = await start();
    await setOverride(admin, 'payment', 'chaos.errorRate', 0.5);
    await waitFor('override applied', () => config.get('chaos.errorRate') === 0.5);

    await server.restart(); // same port, empty dataset
    await waitFor('empty hash after restart re-read', () => config.get('chaos.errorRate') === 0, {
      timeoutMs: 15_000,
    });
    await waitFor('admin reconnected', async () => (await admin.ping().catch(() => '')) === 'PONG');
    // Only the resubscribed channel can deliver this: the hash was already re-read above.
    await setOverride(admin, 'payment', 'chaos.errorRate', 0.7);
    await waitFor('override after restart applied', () => config.get('chaos.errorRate') === 0.7, {
      timeoutMs: 15_000,
    });
  });

  it('starts without overrides when Redis is down, after a bounded wait, and applies them once it is back', async () => {
    await server.stop();
    try {
      const config = new Config({
        schema,
        sources: [
          ...defaultSources({ env }),
          new RedisSource({ redis: server.url, service: 'payment', startupTimeoutMs: 300 }),
        ],
        debounceMs: 20,
      });
      configs.push(config);
      const errors: Error[] = [];
      config.onError((e) => errors.push(e));
      await config.load();
      expect(errors.map((e) => e.message)).toContain(
        'Redis was unreachable at startup: started without config:payment overrides',
      );
      expect(config.get('chaos.errorRate')).toBe(0);
      expect(config.describe()['chaos.errorRate']?.source).toBe('default');

      await server.start();
      await waitFor('admin reconnected', async () => (await admin.ping().catch(() => '')) === 'PONG', {
        timeoutMs: 15_000,
      });
      await setOverride(admin, 'payment', 'chaos.errorRate', 0.3);
      await waitFor('override applied after Redis came back', () => config.get('chaos.errorRate') === 0.3, {
        timeoutMs: 15_000,
      });
    } finally {
      await server.start().catch(() => undefined);
    }
  });
});
