import { runRedisFixtureProcesses, useRedisClients } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { keys } from '../src/storage/keys.ts';

const redis = useRedisServer();
const connect = useRedisClients(() => redis.url);
const fixture = new URL('./fixtures/create-concurrently.ts', import.meta.url);

interface Report {
  orderIds: string[];
  fresh: number;
}

it('creates one order and one outbox entry for 20 requests with one key across 4 processes', async () => {
  const reports = await runRedisFixtureProcesses<Report>(fixture, redis.url, {
    processes: 4,
    connections: 5,
  });
  expect(new Set(reports.flatMap((r) => r.orderIds)).size).toBe(1);
  expect(reports.reduce((sum, r) => sum + r.fresh, 0)).toBe(1);
  expect(await connect().xlen(keys.outbox)).toBe(1);
});
