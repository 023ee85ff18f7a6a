import express from 'express';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { listen } from '../http/listen.test-helper.ts';
import { Health, createHealth } from './health.ts';

describe('Health readiness', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const sleep = (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason as Error);
      });
    });

  it('is ready when every check passes', async () => {
    const health = createHealth({ checks: { redis: () => undefined, user: () => Promise.resolve(true) } });
    const report = await health.readiness();
    expect(report).toEqual({
      status: 'ok',
      shuttingDown: false,
      failing: [],
      checks: { redis: { status: 'ok', durationMs: 0 }, user: { status: 'ok', durationMs: 0 } },
    });
  });

  it('lists the failing checks with a reason but never the error message', async () => {
    const health = createHealth({
      checks: {
        redis: () =>
          Promise.reject(
            Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:6379'), { code: 'ECONNREFUSED' }),
          ),
        user: () => false,
        payment: () => {
          throw new Error('payment.internal:3003 unreachable');
        },
        config: () => undefined,
      },
    });
    const report = await health.readiness();
    expect(report.status).toBe('unavailable');
    expect(report.failing).toEqual(['redis', 'user', 'payment']);
    expect(report.checks.redis).toMatchObject({ status: 'failed', reason: 'ECONNREFUSED' });
    expect(report.checks.user).toMatchObject({ status: 'failed', reason: 'unhealthy' });
    expect(report.checks.payment).toMatchObject({ status: 'failed', reason: 'error' });
    expect(JSON.stringify(report)).not.toMatch(/10\.1\.2\.3|internal/);
  });

  it('fails a check that outlives timeoutMs and aborts its signal', async () => {
    let aborted: unknown;
    const health = createHealth({
      timeoutMs: 500,
      checks: {
        slow: (signal) => {
          signal.addEventListener('abort', () => {
            aborted = signal.reason;
          });
          return new Promise(() => undefined);
        },
      },
    });
    const pending = health.readiness();
    await vi.advanceTimersByTimeAsync(500);
    const report = await pending;
    expect(report.checks.slow).toMatchObject({ status: 'failed', reason: 'timeout' });
    expect((aborted as DOMException).name).toBe('TimeoutError');
  });

  it('runs checks concurrently', async () => {
    const health = createHealth({
      timeoutMs: 5000,
      checks: { a: (s) => sleep(1000, s), b: (s) => sleep(1000, s), c: (s) => sleep(1000, s) },
    });
    let done = false;
    const pending = health.readiness().then((r) => {
      done = true;
      return r;
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(done).toBe(true);
    expect((await pending).status).toBe('ok');
  });

  it('reuses a result for cacheMs, then checks again', async () => {
    let now = 0;
    let runs = 0;
    let healthy = true;
    const health = createHealth({
      cacheMs: 1000,
      now: () => now,
      checks: { redis: () => (runs++, healthy) },
    });
    expect((await health.readiness()).status).toBe('ok');
    healthy = false;
    now = 999;
    expect((await health.readiness()).status).toBe('ok');
    expect(runs).toBe(1);
    now = 1000;
    const report = await health.readiness();
    expect([report.status, report.failing, runs]).toEqual(['unavailable', ['redis'], 2]);
  });

  it('shares one evaluation between concurrent callers', async () => {
    let runs = 0;
    const health = createHealth({ checks: { redis: (s) => (runs++, sleep(100, s)) } });
    const reports = Promise.all([health.readiness(), health.readiness(), health.readiness()]);
    await vi.advanceTimersByTimeAsync(100);
    expect((await reports).map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
    expect(runs).toBe(1);
  });

  it('turns unavailable as soon as shutdown begins, even with a cached ok, without running checks', async () => {
    let runs = 0;
    const health = createHealth({ cacheMs: 60_000, checks: { redis: () => void runs++ } });
    expect((await health.readiness()).status).toBe('ok');
    health.setShuttingDown();
    expect(await health.readiness()).toEqual({
      status: 'unavailable',
      shuttingDown: true,
      failing: ['shutdown'],
      checks: {},
    });
    expect([health.shuttingDown, runs]).toEqual([true, 1]);
  });

  it('stops running a disposed check', async () => {
    const health = createHealth({ cacheMs: 0 });
    const registration = health.register('redis', () => false);
    expect((await health.readiness()).status).toBe('unavailable');
    registration.dispose();
    expect((await health.readiness()).status).toBe('ok');
    expect(() => {
      health.register('x', () => true);
      health.register('x', () => true);
    }).toThrow(new RangeError('a check named "x" is already registered'));
  });

  it('validates its options', () => {
    expect(() => new Health({ timeoutMs: 0 })).toThrow(
      new RangeError('timeoutMs must be a positive number of milliseconds, got 0'),
    );
    expect(() => new Health({ cacheMs: -1 })).toThrow(
      new RangeError('cacheMs must be a non-negative number of milliseconds, got -1'),
    );
  });
});

describe('Health handlers', () => {
  it('answers /health 200 and /ready 200, then 503 with the failing check, then 503 on shutdown', async () => {
    let redisUp = true;
    const health = createHealth({ cacheMs: 0, checks: { redis: () => redisUp } });
    const app = express();
    app.get('/health', health.livenessHandler());
    app.get('/ready', health.readinessHandler());
    const server = await listen(app);
    try {
      const get = async (path: string) => {
        const res = await fetch(`${server.url}${path}`);
        return [res.status, (await res.json()) as Record<string, unknown>] as const;
      };
      expect(await get('/health')).toEqual([200, { status: 'ok' }]);
      expect((await get('/ready'))[0]).toBe(200);
      redisUp = false;
      const [status, body] = await get('/ready');
      expect([status, body.failing]).toEqual([503, ['redis']]);
      redisUp = true;
      health.setShuttingDown();
      expect((await get('/ready'))[0]).toBe(503);
      expect(await get('/health')).toEqual([200, { status: 'ok' }]);
    } finally {
      await server.close();
    }
  });

  it('shows readiness-neutral details in /health and never fails a probe with them', async () => {
    const health = createHealth({ cacheMs: 0, checks: { redis: () => true } });
    let behind = false;
    const detail = health.detail('payments', () => ({ behind }));
    health.detail('broken', () => {
      throw new Error('no');
    });
    expect(() => health.detail('payments', () => 1)).toThrow(RangeError);
    const app = express();
    app.get('/health', health.livenessHandler());
    app.get('/ready', health.readinessHandler());
    const server = await listen(app);
    try {
      const get = async (path: string) => {
        const res = await fetch(`${server.url}${path}`);
        return [res.status, (await res.json()) as Record<string, unknown>] as const;
      };
      behind = true;
      expect(await get('/health')).toEqual([
        200,
        { status: 'ok', details: { payments: { behind: true }, broken: { error: true } } },
      ]);
      expect((await get('/ready'))[0]).toBe(200);
      detail.dispose();
      expect((await get('/health'))[1]).toEqual({ status: 'ok', details: { broken: { error: true } } });
    } finally {
      await server.close();
    }
  });
});
