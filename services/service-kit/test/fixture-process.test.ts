import { waitFor } from '@shipshape/test-harness';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import {
  runFixtureProcesses,
  runRedisFixtureProcesses,
  startFixtureProcess,
} from '../src/testing/fixture-process.ts';
import { useRedisClients } from '../src/testing/redis-clients.ts';

const redis = useRedisServer();
const connect = useRedisClients(() => redis.url);
const fixtureUrl = new URL('./fixtures/report-after-start.ts', import.meta.url);
const fixture = fixtureUrl.pathname;

interface Report {
  pid: number;
  counts: number[];
}

describe('runRedisFixtureProcesses', () => {
  it('releases every process at once and returns one report per process', async () => {
    await connect().del('kit:test:counter');
    const reports = await runRedisFixtureProcesses<Report>(fixtureUrl, redis.url, {
      processes: 3,
      connections: 2,
    });
    expect(new Set(reports.map((r) => r.pid)).size).toBe(3);
    expect(reports.flatMap((r) => r.counts).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 30_000);
});

describe('runFixtureProcesses', () => {
  it('releases the processes only after every one of them is ready', async () => {
    const control = connect();
    await control.del('kit:test:counter', 'kit:test:start');
    let counterAtRelease: string | null = 'unset';
    await runFixtureProcesses<Report>({
      fixture,
      processes: 2,
      env: { REDIS_URL: redis.url, CONNECTIONS: '1', START_KEY: 'kit:test:start' },
      release: async () => {
        counterAtRelease = await control.get('kit:test:counter');
        await control.set('kit:test:start', '1');
      },
    });
    expect(counterAtRelease).toBeNull();
    expect(await control.get('kit:test:counter')).toBe('2');
  }, 30_000);

  it('kills the processes when the release fails', async () => {
    const control = connect();
    const clientCount = async (): Promise<number> =>
      String(await control.client('LIST'))
        .trim()
        .split('\n').length;
    const before = await clientCount();
    const started: Promise<Report[]> = runFixtureProcesses<Report>({
      fixture,
      processes: 2,
      env: { REDIS_URL: redis.url, CONNECTIONS: '1', START_KEY: 'kit:test:never' },
      release: () => Promise.reject(new Error('release failed')),
    });
    await expect(started).rejects.toThrow('release failed');
    // Both children were connected (ready) when the release failed; SIGKILL closes their sockets.
    await waitFor('the killed fixtures to disconnect', async () => (await clientCount()) === before, {
      timeoutMs: 20_000,
    });
  }, 30_000);
});

describe('startFixtureProcess', () => {
  it('rejects ready and report with the exit code when the fixture fails', async () => {
    const started = startFixtureProcess<Report>(fixture, { EXIT_CODE: '3' });
    await expect(started.ready).rejects.toThrow(/exited with 3/);
    await expect(started.report).rejects.toThrow(/exited with 3/);
  }, 30_000);

  it('fails the fixture with a RangeError naming a missing variable', async () => {
    const started = startFixtureProcess<Report>(fixture, {
      REDIS_URL: redis.url,
      CONNECTIONS: '1',
      START_KEY: '',
    });
    await expect(started.report).rejects.toThrow(/exited with 1/);
  }, 30_000);
});
