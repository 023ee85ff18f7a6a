import { request } from 'node:http';
import express from 'express';
import type { Request, Response } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { deadlineMiddleware, requestDeadline, requestSignal } from './deadline.ts';
import type { DeadlineOptions } from './deadline.ts';
import { listen } from './listen.test-helper.ts';
import type { Listening } from './listen.test-helper.ts';

/** A handler that waits for its signal (or `waitMs`) and records what it saw. */
function buildApp(
  options: DeadlineOptions,
  seen: { runs: number; reasons: unknown[]; aborted: boolean[] },
  waitMs = 10_000,
) {
  const app = express();
  app.use(deadlineMiddleware(options));
  app.get('/work', async (req: Request, res: Response) => {
    seen.runs += 1;
    const signal = requestSignal(req);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, waitMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        seen.reasons.push(signal.reason);
        resolve();
      });
    });
    if (!signal.aborted) res.json({ ok: true, remainingMs: requestDeadline(req)?.remainingMs() });
  });
  app.get('/fast', (req: Request, res: Response) => {
    seen.runs += 1;
    res.json({ ok: true });
    setTimeout(() => seen.aborted.push(requestSignal(req).aborted), 150);
  });
  return app;
}

describe('deadlineMiddleware', () => {
  let server: Listening | undefined;
  const seen = () => ({ runs: 0, reasons: [] as unknown[], aborted: [] as boolean[] });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it.each(['0', '-5', 'soon', '1.5', '12ms'])(
    'answers 400 validation_failed without running the handler when the header is %s',
    async (value) => {
      const s = seen();
      server = await listen(buildApp({}, s));
      const res = await fetch(`${server.url}/work`, { headers: { 'x-request-timeout-ms': value } });
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
      expect(await res.json()).toMatchObject({
        status: 400,
        code: 'validation_failed',
        errors: [{ path: 'headers.x-request-timeout-ms' }],
      });
      expect(s.runs).toBe(0);
    },
  );

  it('raises a deadline below minTimeoutMs to it', async () => {
    const s = seen();
    const readings = [1_000_000, 1_000_000];
    server = await listen(buildApp({ minTimeoutMs: 250, now: () => readings.shift() ?? 1_000_000 }, s, 20));
    const res = await fetch(`${server.url}/work`, { headers: { 'x-request-timeout-ms': '1' } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, remainingMs: 250 });
  });

  it('answers 504 and aborts the handler signal when the deadline passes first', async () => {
    const s = seen();
    server = await listen(buildApp({}, s));
    const res = await fetch(`${server.url}/work`, { headers: { 'x-request-timeout-ms': '50' } });
    expect(res.status).toBe(504);
    expect(await res.json()).toMatchObject({ code: 'deadline_exceeded' });
    expect(s.runs).toBe(1);
    expect(s.reasons).toHaveLength(1);
    expect((s.reasons[0] as DOMException).name).toBe('TimeoutError');
  });

  it('bounds the asked deadline by maxTimeoutMs', async () => {
    const s = seen();
    server = await listen(buildApp({ maxTimeoutMs: 50 }, s));
    const res = await fetch(`${server.url}/work`, { headers: { 'x-request-timeout-ms': '600000' } });
    expect(res.status).toBe(504);
  });

  it('applies defaultTimeoutMs to requests without the header', async () => {
    const s = seen();
    server = await listen(buildApp({ defaultTimeoutMs: 50 }, s));
    expect((await fetch(`${server.url}/work`)).status).toBe(504);
  });

  it('treats a deadline beyond the timer range as no deadline rather than an expired one', async () => {
    const s = seen();
    server = await listen(buildApp({}, s, 20));
    const res = await fetch(`${server.url}/work`, { headers: { 'x-request-timeout-ms': '99999999999999' } });
    expect(res.status).toBe(200);
  });

  it('reports the remaining time from the injected clock', async () => {
    const s = seen();
    const readings = [1_000_000, 1_001_200]; // at arrival, then when the handler asks
    server = await listen(buildApp({ now: () => readings.shift() ?? 1_001_200 }, s, 20));
    const res = await fetch(`${server.url}/work`, { headers: { 'x-request-timeout-ms': '5000' } });
    expect(await res.json()).toEqual({ ok: true, remainingMs: 3800 });
  });

  it('clears the deadline when the response finishes in time', async () => {
    const s = seen();
    server = await listen(buildApp({}, s));
    const res = await fetch(`${server.url}/fast`, { headers: { 'x-request-timeout-ms': '50' } });
    expect(res.status).toBe(200);
    // The handler looks at its signal 150 ms after answering, well past the 50 ms deadline.
    await vi.waitFor(() => expect(s.aborted).toHaveLength(1), { timeout: 5_000 });
    expect(s.aborted).toEqual([false]);
  });

  it('aborts the signal when the client disconnects', async () => {
    const s = seen();
    server = await listen(buildApp({}, s));
    const req = request(`${server.url}/work`, { headers: { 'x-request-timeout-ms': '60000' } });
    req.on('error', () => undefined);
    req.end();
    await vi.waitFor(() => expect(s.runs).toBe(1), { timeout: 5_000 });
    req.destroy();
    await vi.waitFor(() => expect(s.reasons).toHaveLength(1), { timeout: 5_000 });
    expect((s.reasons[0] as DOMException).name).toBe('AbortError');
  });

  it('rejects a minTimeoutMs above maxTimeoutMs', () => {
    expect(() => deadlineMiddleware({ minTimeoutMs: 100, maxTimeoutMs: 50 })).toThrow(
      new RangeError('minTimeoutMs must not exceed maxTimeoutMs (50), got 100'),
    );
  });

  it('rejects a non-positive maxTimeoutMs', () => {
    expect(() => deadlineMiddleware({ maxTimeoutMs: 0 })).toThrow(
      new RangeError('maxTimeoutMs must be a positive number of milliseconds, got 0'),
    );
  });
});
