import { fileURLToPath } from 'node:url';
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import { runFixtureProcesses, startFixtureProcess } from '../src/testing/fixture-process.ts';
import { useRedisClients } from '../src/testing/redis-clients.ts';

const redis = useRedisServer();
const connect = useRedisClients(() => redis.url);
const fixture = fileURLToPath(new URL('./fixtures/report-after-start.ts', import.meta.url));

interface Report {
  pid: number;
  counts: number[];
}

describe('runFixtureProcesses', () => {
  it('releases every process at once and returns one report per process', async () => {
    const control = connect();
    await control.del('kit:test:start', 'kit:test:counter');
    let counterAtRelease: string | null = 'unset';
    const reports = await runFixtureProcesses<Report>({
      fixture,
      processes: 3,
      env: { REDIS_URL: redis.url, CONNECTIONS: '2' },
      release: async () => {
        counterAtRelease = await control.get('kit:test:counter');
        await control.set('kit:test:start', '1');
      },
    });
    expect(counterAtRelease).toBeNull();
    expect(new Set(reports.map((r) => r.pid)).size).toBe(3);
    expect(reports.flatMap((r) => r.counts).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 30_000);
});

describe('startFixtureProcess', () => {
  it('rejects ready and report with the exit code when the fixture fails', async () => {
    const started = startFixtureProcess<Report>(fixture, { EXIT_CODE: '3' });
    await expect(started.ready).rejects.toThrow(/exited with 3/);
    await expect(started.report).rejects.toThrow(/exited with 3/);
  }, 30_000);
});
