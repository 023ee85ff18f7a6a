import { fileURLToPath } from 'node:url';
import { runFixtureProcesses, useRedisClients } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { keys } from '../src/storage/keys.ts';

const redis = useRedisServer();
const connect = useRedisClients(() => redis.url);
const fixture = fileURLToPath(new URL('./fixtures/create-concurrently.ts', import.meta.url));

interface Report {
  created: number;
  taken: number;
}

it('lets exactly one of 20 concurrent creations with one email win across 4 processes', async () => {
  const control = connect();
  const reports = await runFixtureProcesses<Report>({
    fixture,
    processes: 4,
    env: { REDIS_URL: redis.url, CONNECTIONS: '5' },
    release: async () => {
      await control.set('user:test:start', '1');
    },
  });
  expect(reports.reduce((sum, r) => sum + r.created, 0)).toBe(1);
  expect(reports.reduce((sum, r) => sum + r.taken, 0)).toBe(19);
  expect(await control.zcard(keys.users)).toBe(1);
});
