import { runRedisFixtureProcesses, useRedisClients } from '@shipshape/service-kit/testing';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { expect, it } from 'vitest';
import { keys } from '../src/storage/keys.ts';

const redis = useRedisServer();
const connect = useRedisClients(() => redis.url);
const fixture = new URL('./fixtures/create-concurrently.ts', import.meta.url);

interface Report {
  created: number;
  taken: number;
}

it('lets exactly one of 20 concurrent creations with one email win across 4 processes', async () => {
  const reports = await runRedisFixtureProcesses<Report>(fixture, redis.url, {
    processes: 4,
    connections: 5,
  });
  expect(reports.reduce((sum, r) => sum + r.created, 0)).toBe(1);
  expect(reports.reduce((sum, r) => sum + r.taken, 0)).toBe(19);
  expect(await connect().zcard(keys.users)).toBe(1);
});
