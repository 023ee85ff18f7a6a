// Three real Node processes hammer keys spread over the slots of a real Redis Cluster (3 masters,
// 3 replicas): every key's limit must hold exactly across them. On a Cluster client the limiter
// sends each decision on its own (no batching across slots).
import { useRedisCluster } from '@shipshape/test-harness/vitest';
import { describe, expect, it } from 'vitest';
import type { RateLimitAlgorithm } from '../../src/rate-limit/index.ts';
import { nextMessage, useHammerProcesses, type HammerResult as Result } from './fixtures/hammer-processes.ts';

const cluster = useRedisCluster();
const processes = 3;
const children = useHammerProcesses(processes, () => cluster().url);
const limit = 50;
const keyCount = 6; // CRC16 spreads these over the three masters
const attemptsPerProcess = 240; // 720 attempts on 6 keys: 2.4× each key's limit
const windowMs = 864_000_000; // ten days: nothing refills during the test

describe('three processes sharing keys on a Redis Cluster', () => {
  it.each<RateLimitAlgorithm>(['gcra', 'token-bucket', 'fixed-window', 'sliding-window-log'])(
    '%s admits exactly the limit of every key',
    async (algorithm) => {
      const keys = Array.from({ length: keyCount }, (_, i) => `cluster-${algorithm}-${i}`);
      const results = children().map((child) => nextMessage<Result>(child));
      for (const child of children()) {
        child.send({
          algorithm,
          key: keys[0],
          keys,
          limit,
          windowMs,
          attempts: attemptsPerProcess,
          concurrency: 16,
        });
      }
      const settled = await Promise.all(results);
      const total = (field: keyof Result): number => settled.reduce((sum, r) => sum + r[field], 0);
      expect(total('degraded')).toBe(0);
      expect(total('allowed')).toBe(limit * keyCount);
      expect(total('rejected')).toBe(processes * attemptsPerProcess - limit * keyCount);
    },
    60_000,
  );
});
