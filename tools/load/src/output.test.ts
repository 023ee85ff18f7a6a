import { describe, expect, it } from 'vitest';
import { createProgressPrinter, formatProgressLine } from './progress.ts';
import type { LoadResult, ProgressSnapshot } from './run-load.ts';
import { formatSummary } from './summary.ts';

const latency = {
  count: 10,
  minMs: 1,
  meanMs: 5,
  p50Ms: 4.2,
  p90Ms: 9,
  p99Ms: 1234,
  p999Ms: 1300,
  maxMs: 1301,
};

describe('formatProgressLine', () => {
  it('shows rates per second, interval percentiles, statuses and error codes', () => {
    const snapshot: ProgressSnapshot = {
      elapsedMs: 12_000,
      intervalMs: 1000,
      sent: 100,
      completed: 98,
      dropped: 0,
      latency,
      targetRate: 100,
      inFlight: 2,
      statuses: new Map([
        ['202', 90],
        ['429', 8],
      ]),
      errors: new Map([['rate_limited', 8]]),
    };
    expect(formatProgressLine(snapshot)).toBe(
      '[  12s] target 100/s sent 100/s done 98/s in-flight 2 | p50 4.20ms p99 1.23s | 202:90 429:8 | errors rate_limited:8',
    );
  });
});

describe('formatSummary', () => {
  it('prints both latency tables and warns about dropped requests', () => {
    const result = {
      seed: 7,
      profile: { profile: 'steady', rate: 10, durationMs: 1000 },
      targets: { user: ['http://127.0.0.1:3001/'] },
      startedAt: '2026-01-01T00:00:00.000Z',
      elapsedMs: 1000,
      interrupted: false,
      scheduled: 10,
      sent: 9,
      dropped: 1,
      completed: 9,
      targetRate: 10,
      achievedRate: 10,
      statuses: { '201': 9 },
      errors: {},
      latency,
      serviceTime: latency,
      sendLag: latency,
      kinds: {
        'create-user': {
          sent: 9,
          dropped: 1,
          completed: 9,
          statuses: { '201': 9 },
          latency,
          serviceTime: latency,
        },
      },
    } as unknown as LoadResult;
    const text = formatSummary(result);
    expect(text).toContain('Shipshape load — steady 10 req/s for 1s, seed 7');
    expect(text).toContain('create-user     10  4.20ms  9.00ms  1.23s  1.30s  1.30s');
    expect(text).toContain('service time from actual send');
    expect(text).toContain('WARNING: 1 due requests were dropped');
  });
});

describe('createProgressPrinter', () => {
  const snapshot: ProgressSnapshot = {
    elapsedMs: 1000,
    intervalMs: 1000,
    sent: 5,
    completed: 5,
    dropped: 0,
    latency,
    targetRate: 5,
    inFlight: 0,
    statuses: new Map([['200', 5]]),
    errors: new Map(),
  };

  it('redraws one line in place on a terminal', () => {
    const written: string[] = [];
    const printer = createProgressPrinter({ isTTY: true, write: (text: string) => written.push(text) });
    printer.print(snapshot);
    printer.print(snapshot);
    printer.end();
    expect(written.map((w) => w.slice(0, 6))).toEqual(['\r\x1b[2K[', '\r\x1b[2K[', '\n']);
  });

  it('writes a new line per interval elsewhere', () => {
    const written: string[] = [];
    const printer = createProgressPrinter({ isTTY: false, write: (text: string) => written.push(text) });
    printer.print(snapshot);
    printer.end();
    expect(written).toHaveLength(1);
    expect(written[0]).toMatch(/^\[ {3}1s\] target 5\/s .*\n$/);
  });
});
