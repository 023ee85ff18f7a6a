import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import * as z from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSources, loadConfig } from '../src/index.ts';
import { RedisSource } from '../src/sources/redis-source.ts';
import { kubeMount, makeTmpDir } from '../src/test-support/kube-mount.test-helper.ts';
import { runFixture } from './run-fixture.ts';

const schema = z.object({ logLevel: z.string(), chaos: z.object({ errorRate: z.number().default(0) }) });

function countResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const type of process.getActiveResourcesInfo()) counts.set(type, (counts.get(type) ?? 0) + 1);
  return counts;
}

describe('close()', () => {
  const redis = useRedisServer();
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    dir = await makeTmpDir();
    await mkdir(join(dir, 'cm'));
    await mkdir(join(dir, 'sec'));
    await kubeMount(join(dir, 'cm'), { logLevel: 'debug' });
    await writeFile(join(dir, 'config.json'), '{}');
    env = {
      CONFIG_FILE: join(dir, 'config.json'),
      CONFIG_DIR: join(dir, 'cm'),
      SECRETS_DIR: join(dir, 'sec'),
    };
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('releases every watcher, timer and socket it opened in this process', async () => {
    const before = countResources();
    const config = await loadConfig({
      schema,
      debounceMs: 10,
      sources: [...defaultSources({ env }), new RedisSource({ redis: redis.url, service: 'payment' })],
    });
    await writeFile(join(dir, 'config.json'), JSON.stringify({ unrelated: true }));
    const during = countResources();
    expect(during.get('FSEventWrap') ?? 0).toBeGreaterThan(before.get('FSEventWrap') ?? 0);
    await config.close();
    await waitFor('handles released', () => {
      const after = countResources();
      return [...after].every(([type, count]) => count <= (before.get(type) ?? 0));
    });
  });

  it('releases the Redis connections when the first load fails validation', async () => {
    await writeFile(join(dir, 'config.json'), JSON.stringify({ nope: 1 }));
    const before = countResources();
    const failing = loadConfig({
      schema,
      sources: [
        ...defaultSources({ env: { ...env, LOG_LEVEL: '' } }),
        new RedisSource({ redis: redis.url, service: 'x' }),
      ],
      unknownKeys: 'error',
    });
    await expect(failing).rejects.toThrow(/nope: unknown key/);
    await waitFor('handles released', () => {
      const after = countResources();
      return [...after].every(([type, count]) => count <= (before.get(type) ?? 0));
    });
  });

  it('lets a child process that loaded and closed a config exit on its own', async () => {
    const result = await runFixture('load-and-close.ts', { ...env, REDIS_URL: redis.url });
    expect(result.timedOut).toBe(false);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('closed errorRate=0.5\n');
    expect(result.code).toBe(0);
  });

  it('lets the child exit on its own when Redis is unreachable too', async () => {
    const result = await runFixture('load-and-close.ts', { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(result.timedOut).toBe(false);
    expect(result.stdout).toBe('closed errorRate=0.5\n');
    expect(result.code).toBe(0);
  });
});
