// Four real Node processes hammer one key on one real Redis: the limit must hold across them.
import { useRedisServer } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import type { RateLimitAlgorithm } from '../../src/rate-limit/index.ts';
import { nextMessage, useHammerProcesses, type HammerResult as Result } from './fixtures/hammer-processes.ts';

const redis = useRedisServer();
const processes = 4;
const children = useHammerProcesses(processes, () => redis.url);
const limit = 200;
const attemptsPerProcess = 150; // 600 attempts in all, 3× the limit
// Ten days, so nothing refills or slides during the test; windows are epoch-aligned.
const windowMs = 864_000_000;

async function hammer(algorithm: RateLimitAlgorithm): Promise<Result[]> {
  const key = `shared-${algorithm}`;
  const results = children().map((child) => nextMessage<Result>(child));
  for (const child of children()) {
    child.send({ algorithm, key, limit, windowMs, attempts: attemptsPerProcess, concurrency: 16 });
  }
  return Promise.all(results);
}

const total = (results: Result[], field: keyof Result): number =>
  results.reduce((sum, r) => sum + r[field], 0);

describe('four processes sharing one Redis key', () => {
  it.each<RateLimitAlgorithm>(['token-bucket', 'gcra', 'leaky-bucket', 'fixed-window', 'sliding-window-log'])(
    '%s admits exactly the limit',
    async (algorithm) => {
      const results = await hammer(algorithm);
      expect(total(results, 'degraded')).toBe(0);
      expect(total(results, 'allowed')).toBe(limit);
      expect(total(results, 'rejected')).toBe(processes * attemptsPerProcess - limit);
      // Every process took part, so the processes really raced.
      expect(results.every((r) => r.allowed + r.rejected === attemptsPerProcess)).toBe(true);
    },
    60_000,
  );

  it('sliding-window-counter admits the limit within one window and at most twice it across an edge', async () => {
    const windowBefore = Math.floor(Date.now() / windowMs);
    const results = await hammer('sliding-window-counter');
    const crossedEdge = Math.floor(Date.now() / windowMs) !== windowBefore;
    expect(total(results, 'degraded')).toBe(0);
    const allowed = total(results, 'allowed');
    if (crossedEdge) {
      expect(allowed).toBeGreaterThanOrEqual(limit);
      expect(allowed).toBeLessThanOrEqual(2 * limit);
    } else {
      expect(allowed).toBe(limit);
    }
  }, 60_000);
});
