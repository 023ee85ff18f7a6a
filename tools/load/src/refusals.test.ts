import { describe, expect, it } from 'vitest';
import { formatRefusalNote, rateLimitRefusals, refusalNoteShare } from './refusals.ts';
import type { KindResult, LoadResult } from './run-load.ts';

function kind(statuses: Record<string, number>): KindResult {
  const count = Object.values(statuses).reduce((sum, n) => sum + n, 0);
  const latency = { count, minMs: 1, meanMs: 1, p50Ms: 1, p90Ms: 1, p99Ms: 1, p999Ms: 1, maxMs: 1 };
  return { sent: count, dropped: 0, completed: count, statuses, latency, serviceTime: latency };
}

function run(kinds: LoadResult['kinds']): Pick<LoadResult, 'completed' | 'kinds'> {
  const completed = Object.values(kinds).reduce((sum, k) => sum + k.completed, 0);
  return { completed, kinds };
}

describe('rateLimitRefusals', () => {
  it('counts the 429s per service the request kinds went to, most first', () => {
    const refusals = rateLimitRefusals(
      run({
        'create-user': kind({ '201': 15, '429': 85 }),
        'create-order': kind({ '202': 51, '429': 349 }),
        'read-order': kind({ '200': 82, '429': 351, '404': 17 }),
        'list-payments': kind({ '200': 50 }),
      }),
    );
    expect(refusals).toEqual({
      refused: 785,
      completed: 1000,
      share: 0.785,
      byService: [
        ['order', 700],
        ['user', 85],
      ],
    });
  });
});

describe('formatRefusalNote', () => {
  it('names the limiter, the share refused per service and the settings to raise', () => {
    const note = formatRefusalNote(
      rateLimitRefusals(
        run({
          'create-user': kind({ '429': 85, '201': 15 }),
          'read-order': kind({ '429': 700, '200': 200 }),
        }),
      ),
    );
    expect(note).toBe(
      "RATE LIMITED: 785 of 1000 requests (78.5%) were refused with 429 by the services' inbound rate " +
        'limiter (order 700, user 85): this run measured the limiter, not the flow. The limit is per ' +
        'client, and this generator is one client: raise rateLimit.limit (RATE_LIMIT__LIMIT=5000 npm ' +
        'start, or docker compose up; at runtime npm run chaos -- order rateLimit.limit=5000), or lower --rate.',
    );
  });

  it(`appears from ${refusalNoteShare * 100}% of the responses refused, not below`, () => {
    const at = (refused: number): string | undefined =>
      formatRefusalNote(
        rateLimitRefusals(run({ 'create-order': kind({ '429': refused, '202': 1000 - refused }) })),
      );
    expect(at(99)).toBeUndefined();
    expect(at(100)).toContain('RATE LIMITED: 100 of 1000 requests (10.0%)');
    expect(at(0)).toBeUndefined();
  });

  it('says nothing about a run that completed nothing', () => {
    expect(formatRefusalNote(rateLimitRefusals(run({})))).toBeUndefined();
  });
});
