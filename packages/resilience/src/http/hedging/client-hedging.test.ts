import { describe, expect, it } from 'vitest';
import { ClientHedging } from './client-hedging.ts';
import { LatencyWindow } from './latency-window.ts';

const budget = { tryWithdraw: () => true, deposit: () => undefined };

describe('LatencyWindow', () => {
  it('has no value before 20 samples, then the percentile, recomputed every 16 samples', () => {
    const window = new LatencyWindow(95);
    for (let i = 1; i <= 19; i++) window.add(i);
    expect(window.value).toBeUndefined();
    window.add(20);
    expect(window.value).toBe(19);
    window.add(1000);
    expect(window.value).toBe(19);
  });

  it('keeps the last 256 samples', () => {
    const window = new LatencyWindow(95);
    for (let i = 0; i < 256; i++) window.add(500);
    for (let i = 0; i < 256; i++) window.add(i < 243 ? 10 : 500);
    expect(window.value).toBe(500);
    for (let i = 0; i < 256; i++) window.add(10);
    expect(window.value).toBe(10);
  });
});

describe('ClientHedging', () => {
  it('hedges nothing by default, and never a request that may not be sent twice', () => {
    expect(new ClientHedging('svc', undefined, budget).forCall(undefined, true, '')).toBeUndefined();
    const on = new ClientHedging('svc', { delayMs: 30 }, budget);
    expect(on.forCall(undefined, false, '')).toBeUndefined();
    expect(on.forCall(false, true, '')).toBeUndefined();
    expect(on.forCall(undefined, true, '')).toEqual({ delayMs: 30, maxHedges: 1, window: undefined });
  });

  it('uses maxDelayMs until the window knows the percentile, then the percentile within the bounds', () => {
    const hedging = new ClientHedging('svc', { minDelayMs: 5, maxDelayMs: 400 }, budget);
    const first = hedging.forCall(undefined, true, '/users/:id')!;
    expect(first.delayMs).toBe(400);
    for (let i = 0; i < 100; i++) first.window!.add(i < 95 ? 20 : 80);
    expect(hedging.forCall(undefined, true, '/users/:id')!.delayMs).toBe(20);
    for (let i = 0; i < 300; i++) first.window!.add(1);
    expect(hedging.forCall(undefined, true, '/users/:id')!.delayMs).toBe(5);
    expect(hedging.forCall(undefined, true, '/other')!.delayMs).toBe(400);
  });

  it('takes a call’s own options instead of the client’s and validates them once', () => {
    const hedging = new ClientHedging('svc', false, budget);
    const route = { delayMs: 15, maxHedges: 2 };
    expect(hedging.forCall(route, true, '')).toEqual({ delayMs: 15, maxHedges: 2, window: undefined });
    expect(() => hedging.forCall({ percentile: 100 }, true, '')).toThrow(
      'request.hedging.percentile must be in (0, 100), got 100',
    );
  });

  it('validates the client options at construction, naming the option and the value', () => {
    expect(() => new ClientHedging('svc', { maxHedges: 0 }, budget)).toThrow(
      'hedging.maxHedges must be an integer >= 1, got 0',
    );
    expect(() => new ClientHedging('svc', { minDelayMs: 50, maxDelayMs: 10 }, budget)).toThrow(
      'hedging.maxDelayMs must be a finite number >= 50, got 10',
    );
  });

  it('draws hedges from the retry budget unless given its own', () => {
    expect(new ClientHedging('svc', {}, budget).budget).toBe(budget);
    expect(new ClientHedging('svc', { budget: { ratio: 0.1 } }, budget).budget).not.toBe(budget);
  });
});
