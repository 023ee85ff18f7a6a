import { fileURLToPath } from 'node:url';
import { runFixtureProcesses, useRedisClients } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { keys } from '../src/storage/keys.ts';

const redis = useRedisServer();
const connect = useRedisClients(() => redis.url);
const fixture = fileURLToPath(new URL('./fixtures/create-concurrently.ts', import.meta.url));

interface Report {
  orderIds: string[];
  fresh: number;
}

it('creates one order and one outbox entry for 20 requests with one key across 4 processes', async () => {
  const control = connect();
  const reports = await runFixtureProcesses<Report>({
    fixture,
    processes: 4,
    env: { REDIS_URL: redis.url, CONNECTIONS: '5' },
    release: async () => {
      await control.set('order:test:start', '1');
    },
  });
  expect(new Set(reports.flatMap((r) => r.orderIds)).size).toBe(1);
  expect(reports.reduce((sum, r) => sum + r.fresh, 0)).toBe(1);
  expect(await control.xlen(keys.outbox)).toBe(1);
});
